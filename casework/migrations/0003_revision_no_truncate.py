from django.db import migrations

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
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_revision_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
