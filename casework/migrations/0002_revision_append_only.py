from django.db import migrations

FORWARD = """
CREATE TRIGGER casework_helpplanrevision_append_only
    BEFORE UPDATE OR DELETE ON casework_helpplanrevision
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS casework_helpplanrevision_append_only ON casework_helpplanrevision;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    """Help-plan revisions refuse UPDATE and DELETE in the database itself on PostgreSQL
    (the function comes from the audit app's migration)."""

    dependencies = [("casework", "0001_initial"), ("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
