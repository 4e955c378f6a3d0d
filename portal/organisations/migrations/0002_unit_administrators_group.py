"""The "Unit administrators" group: the Django permissions a unit_admin membership brings
(portal.access.RolePermissionBackend grants them to every unit administrator; nobody needs
to be put in the group by hand): Wagtail admin access, and reading the province-wide
lists, targets and the access log. Units, partners and memberships are governed by
portal.access directly (their Wagtail permission policy), scoped to the administrator's
subtree, so they carry no model permission here."""

from django.db import migrations

GROUP = "Unit administrators"

# (app_label, model, verbose name for the permission text, actions)
PERMISSIONS = [
    # Province-wide lists and targets: unit administrators read them, superusers edit them
    # (or grant change here for a province that lets counties edit).
    ("taxonomy", "district", "district", ("view",)),
    ("taxonomy", "skill", "skill", ("view",)),
    ("taxonomy", "industry", "industry", ("view",)),
    ("taxonomy", "venuetype", "venue type", ("view",)),
    ("people", "leveltarget", "monthly target", ("view",)),
    ("audit", "accesslogentry", "access log entry", ("view",)),
]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    group, _ = Group.objects.get_or_create(name=GROUP)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin",
        defaults={"name": "Can access Wagtail admin"})
    granted = [access_admin]
    # Model permissions are normally created after all migrations (post_migrate); create
    # the ones the group needs now, the way Django names them, so a fresh database has them.
    for app_label, model, verbose_name, actions in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"})
            granted.append(permission)
    group.permissions.add(*granted)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("taxonomy", "0001_initial"),
        ("people", "0002_default_targets"),
        ("audit", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
