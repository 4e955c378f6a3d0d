from django.db import migrations

# The same function portal.audit and volunteering use (CREATE OR REPLACE: migration order
# does not matter). The retention log refuses UPDATE, DELETE and TRUNCATE; the courses
# ledgers had row triggers only (courses/migrations/0002), so they get TRUNCATE ones here.
FORWARD = """
CREATE OR REPLACE FUNCTION xy_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ops_retentionlogentry_append_only
    BEFORE UPDATE OR DELETE ON ops_retentionlogentry
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER ops_retentionlogentry_no_truncate
    BEFORE TRUNCATE ON ops_retentionlogentry
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER courses_studyhoursentry_no_truncate
    BEFORE TRUNCATE ON courses_studyhoursentry
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER courses_attendance_no_truncate
    BEFORE TRUNCATE ON courses_attendance
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ops_retentionlogentry_append_only ON ops_retentionlogentry;
DROP TRIGGER IF EXISTS ops_retentionlogentry_no_truncate ON ops_retentionlogentry;
DROP TRIGGER IF EXISTS courses_studyhoursentry_no_truncate ON courses_studyhoursentry;
DROP TRIGGER IF EXISTS courses_attendance_no_truncate ON courses_attendance;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0001_initial"),
        ("courses", "0002_categories_permissions_append_only"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
