from django.db import migrations

from portal.dbtools import run_script

# Like every other append-only table: a statement trigger refuses TRUNCATE too.
FORWARD = """
CREATE TRIGGER casework_helpplanrevision_no_truncate
    BEFORE TRUNCATE ON casework_helpplanrevision
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS casework_helpplanrevision_no_truncate ON casework_helpplanrevision;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        run_script(schema_editor.connection, FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        run_script(schema_editor.connection, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_revision_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
