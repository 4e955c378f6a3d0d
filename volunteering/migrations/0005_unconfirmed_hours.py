import django.db.models.deletion
from django.db import migrations, models


def install(apps, schema_editor):
    from portal.rollups import UNCONFIRMED_V1 as UNCONFIRMED, install

    install(UNCONFIRMED, schema_editor)


def uninstall(apps, schema_editor):
    from portal.rollups import UNCONFIRMED_V1 as UNCONFIRMED, uninstall

    uninstall(UNCONFIRMED, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_month_hours'),
        ('volunteering', '0004_activity_sequence'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnconfirmedHours',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='volunteering.hoursentry')),
                ('recorded_at', models.DateTimeField()),
                ('supervisee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.supervisee')),
            ],
            options={
                'indexes': [models.Index(fields=['supervisee', 'recorded_at'], name='volunteerin_supervi_68690e_idx')],
            },
        ),
        # The ledger's triggers, and the entries waiting now.
        migrations.RunPython(install, uninstall),
    ]
