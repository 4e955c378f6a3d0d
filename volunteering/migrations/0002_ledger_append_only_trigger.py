from django.db import migrations

# The function is the same one portal.audit uses; CREATE OR REPLACE makes this migration
# independent of the order in which the two apps migrate.
FORWARD = """
CREATE OR REPLACE FUNCTION xy_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER volunteering_hoursentry_append_only
    BEFORE UPDATE OR DELETE ON volunteering_hoursentry
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_hoursentry_no_truncate
    BEFORE TRUNCATE ON volunteering_hoursentry
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_hoursconfirmation_append_only
    BEFORE UPDATE OR DELETE ON volunteering_hoursconfirmation
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_hoursconfirmation_no_truncate
    BEFORE TRUNCATE ON volunteering_hoursconfirmation
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS volunteering_hoursentry_append_only ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS volunteering_hoursentry_no_truncate ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS volunteering_hoursconfirmation_append_only ON volunteering_hoursconfirmation;
DROP TRIGGER IF EXISTS volunteering_hoursconfirmation_no_truncate ON volunteering_hoursconfirmation;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    """The hours ledger and its confirmations refuse UPDATE, DELETE and TRUNCATE in the
    database itself on PostgreSQL: a correction is a new entry, never an edit."""

    dependencies = [("volunteering", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
