from django.db import migrations

# The seed district's themes; administrators edit the list in the admin (snippets).
THEMES = [
    ("patrol", "巡逻", "Neighbourhood patrol"),
    ("legal-publicity", "法治宣传", "Legal publicity"),
    ("elderly-care", "敬老助老", "Elderly care"),
    ("civility", "文明创建", "Civility drive"),
    ("clean-up", "环境清洁", "Clean-up"),
]


def forwards(apps, schema_editor):
    Theme = apps.get_model("volunteering", "Theme")
    for order, (code, name, name_en) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0002_ledger_append_only_trigger")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
