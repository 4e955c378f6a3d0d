from django.db import migrations

# The function is the same one portal.audit uses; CREATE OR REPLACE makes this migration
# independent of the order in which the apps migrate.
FORWARD = """
CREATE OR REPLACE FUNCTION xy_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER volunteering_certificate_append_only
    BEFORE UPDATE OR DELETE ON volunteering_certificate
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_certificate_no_truncate
    BEFORE TRUNCATE ON volunteering_certificate
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_certificateline_append_only
    BEFORE UPDATE OR DELETE ON volunteering_certificateline
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_certificateline_no_truncate
    BEFORE TRUNCATE ON volunteering_certificateline
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_certificaterevocation_append_only
    BEFORE UPDATE OR DELETE ON volunteering_certificaterevocation
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_certificaterevocation_no_truncate
    BEFORE TRUNCATE ON volunteering_certificaterevocation
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_volunteerexport_append_only
    BEFORE UPDATE OR DELETE ON volunteering_volunteerexport
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_volunteerexport_no_truncate
    BEFORE TRUNCATE ON volunteering_volunteerexport
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_exportedhours_append_only
    BEFORE UPDATE OR DELETE ON volunteering_exportedhours
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER volunteering_exportedhours_no_truncate
    BEFORE TRUNCATE ON volunteering_exportedhours
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS volunteering_certificate_append_only ON volunteering_certificate;
DROP TRIGGER IF EXISTS volunteering_certificate_no_truncate ON volunteering_certificate;
DROP TRIGGER IF EXISTS volunteering_certificateline_append_only ON volunteering_certificateline;
DROP TRIGGER IF EXISTS volunteering_certificateline_no_truncate ON volunteering_certificateline;
DROP TRIGGER IF EXISTS volunteering_certificaterevocation_append_only ON volunteering_certificaterevocation;
DROP TRIGGER IF EXISTS volunteering_certificaterevocation_no_truncate ON volunteering_certificaterevocation;
DROP TRIGGER IF EXISTS volunteering_volunteerexport_append_only ON volunteering_volunteerexport;
DROP TRIGGER IF EXISTS volunteering_volunteerexport_no_truncate ON volunteering_volunteerexport;
DROP TRIGGER IF EXISTS volunteering_exportedhours_append_only ON volunteering_exportedhours;
DROP TRIGGER IF EXISTS volunteering_exportedhours_no_truncate ON volunteering_exportedhours;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    """Certificates no longer carry an issuer of their own (their lines name the certifying
    organisations) nor a revocation (a row of its own); certificates, their lines, their
    revocations and the export records refuse UPDATE, DELETE and TRUNCATE on PostgreSQL."""

    dependencies = [("volunteering", "0011_neutral_certificates")]
    operations = [
        migrations.RemoveConstraint(
            model_name='certificate',
            name='certificate_one_issuer',
        ),
        migrations.RemoveField(
            model_name='certificate',
            name='issuer_name',
        ),
        migrations.RemoveField(
            model_name='certificate',
            name='organisation',
        ),
        migrations.RemoveField(
            model_name='certificate',
            name='revoke_reason',
        ),
        migrations.RemoveField(
            model_name='certificate',
            name='revoked_at',
        ),
        migrations.RemoveField(
            model_name='certificate',
            name='revoked_by',
        ),
        migrations.RemoveField(
            model_name='certificate',
            name='unit',
        ),
        migrations.RunPython(forwards, backwards),
    ]
