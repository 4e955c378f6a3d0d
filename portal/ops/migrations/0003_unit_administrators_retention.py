"""Unit administrators set the retention period of their units and read the retention log
about them (scoped by portal.access.units_administered_by in portal/ops/viewsets.py):
the "Unit administrators" group (portal/organisations/migrations/0002, granted by
portal.access.RolePermissionBackend to every unit_admin membership) gets add, change and
view on retention policies and view on the retention log."""

from django.db import migrations

GROUP = "Unit administrators"

# (model, verbose name for the permission text, actions)
PERMISSIONS = [
    ("retentionpolicy", "retention policy", ("add", "change", "view")),
    ("retentionlogentry", "retention log entry", ("view",)),
]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # Model permissions are normally created after all migrations (post_migrate); create
    # them now, the way Django names them, so a fresh database has them.
    for model, verbose_name, actions in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="ops", model=model)
        for action in actions:
            yield Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"})[0]


def forwards(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def backwards(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0002_append_only_triggers"),
        ("organisations", "0002_unit_administrators_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
