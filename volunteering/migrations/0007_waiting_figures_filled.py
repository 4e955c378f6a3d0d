"""The waiting rows made again from the ledger with their entries' figures, and the
triggers that copy them from now on (portal/rollups.py, UNCONFIRMED_V2)."""

from django.db import migrations


def install(apps, schema_editor):
    """The waiting rows made again from the ledger with their entries' figures, and the
    triggers that copy them from now on."""
    from portal.rollups import UNCONFIRMED_V2, install

    install(UNCONFIRMED_V2, schema_editor)


def uninstall(apps, schema_editor):
    from portal.rollups import UNCONFIRMED_V2, uninstall

    uninstall(UNCONFIRMED_V2, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("volunteering", "0006_waiting_figures"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
