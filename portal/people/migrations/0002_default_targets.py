from decimal import Decimal

from django.db import migrations

# Starting values only; administrators change them in the admin (provinces set the numbers).
DEFAULTS = {"strict": (10, 10), "ordinary": (8, 8), "lenient": (6, 6)}


def forwards(apps, schema_editor):
    LevelTarget = apps.get_model("people", "LevelTarget")
    for level, (study, service) in DEFAULTS.items():
        LevelTarget.objects.get_or_create(
            level=level,
            defaults={"study_hours": Decimal(study), "service_hours": Decimal(service)},
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
