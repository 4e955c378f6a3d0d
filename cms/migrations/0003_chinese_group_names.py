"""The groups, the moderation workflow and the root page that Wagtail and the portal create
get Chinese names: they are data, not messages, so the catalogue cannot translate them, and
a unit administrator reads them in the admin (users, groups, "送交审核员审批").
portal.access names them (EDITORS_GROUP, MODERATORS_GROUP, UNIT_ADMIN_GROUP)."""

from django.db import migrations

GROUPS = [("Editors", "编辑"), ("Moderators", "审核员"), ("Unit administrators", "单位管理员")]
WORKFLOWS = [("Moderators approval", "审核员审批")]
ROOT_TITLES = ("Root", "根目录")  # the tree's root page, the admin explorer's top


def rename(apps, pairs_groups, pairs_workflows, root_titles):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=root_titles[0]).update(
        title=root_titles[1], draft_title=root_titles[1])
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in pairs_groups:
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for old, new in pairs_workflows:
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, GROUPS, WORKFLOWS, ROOT_TITLES)


def backwards(apps, schema_editor):
    rename(apps, [(n, o) for o, n in GROUPS], [(n, o) for o, n in WORKFLOWS],
           ROOT_TITLES[::-1])


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0002_home_page"),
        # Wagtail's own migrations that grant permissions to "Editors" and "Moderators".
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        # These look the groups up by their English names: they run first.
        ("organisations", "0002_unit_administrators_group"),
        ("ops", "0003_unit_administrators_retention"),
        ("courses", "0002_categories_permissions_append_only"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
