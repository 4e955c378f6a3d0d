"""The waiting rows made again from the ledger with their people's unit, caseworker and
flags, and the triggers that keep them from now on (portal/rollups.py, UNCONFIRMED)."""

from django.db import migrations


def install(apps, schema_editor):
    from portal.rollups import UNCONFIRMED, install

    install(UNCONFIRMED, schema_editor)


def uninstall(apps, schema_editor):
    from portal.rollups import UNCONFIRMED, uninstall

    uninstall(UNCONFIRMED, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("volunteering", "0008_waiting_person"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
