import django.db.models.deletion
from django.db import migrations, models


def install(apps, schema_editor):
    from portal.rollups import MONTH_HOURS_V1 as MONTH_HOURS, install

    install(MONTH_HOURS, schema_editor)


def uninstall(apps, schema_editor):
    from portal.rollups import MONTH_HOURS_V1 as MONTH_HOURS, uninstall

    uninstall(MONTH_HOURS, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_default_targets'),
        ('courses', '0003_catalogue_version'),
        ('volunteering', '0004_activity_sequence'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthHours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('study', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('public_welfare', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('public_welfare_confirmed', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('volunteer', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('volunteer_confirmed', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('supervisee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='month_hours', to='people.supervisee')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('supervisee', 'month'), name='people_monthhours_person_month')],
            },
        ),
        # The ledgers' triggers, and the table filled from the entries already there.
        migrations.RunPython(install, uninstall),
    ]
