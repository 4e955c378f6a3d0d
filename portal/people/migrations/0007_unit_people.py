"""people_unitpeople: head counts and running referrals by unit, caseworker, flags and
status, kept by triggers on the people and the referrals. The SQL is as this migration
ran it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRES_FILL = [
    "LOCK TABLE people_supervisee, helpnet_referral IN SHARE MODE",
    "DELETE FROM people_unitpeople",
    "INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, COUNT(*), COALESCE(SUM(o.n), 0) FROM people_supervisee s LEFT JOIN (SELECT r.supervisee_id, COUNT(*) AS n FROM helpnet_referral r WHERE r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined') GROUP BY r.supervisee_id) o ON o.supervisee_id = s.id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status",
]
POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION xy_unit_people_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, status, SUM(people), SUM(open_referrals) FROM (SELECT n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed, n.status, 1, (SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = n.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) FROM xy_new n) d (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, status HAVING SUM(people) <> 0 OR SUM(open_referrals) <> 0 ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, status ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_people_insert AFTER INSERT ON people_supervisee
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_people_insert();

CREATE OR REPLACE FUNCTION xy_unit_people_update() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, status, SUM(people), SUM(open_referrals) FROM (SELECT o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed, o.status, -1, -(SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = o.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) FROM xy_old o JOIN xy_new n ON n.id = o.id WHERE (o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed, o.status) IS DISTINCT FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed, n.status) UNION ALL SELECT n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed, n.status, 1, (SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = n.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) FROM xy_old o JOIN xy_new n ON n.id = o.id WHERE (o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed, o.status) IS DISTINCT FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed, n.status)) d (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, status HAVING SUM(people) <> 0 OR SUM(open_referrals) <> 0 ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, status ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_people_update AFTER UPDATE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_people_update();

CREATE OR REPLACE FUNCTION xy_unit_people_delete() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, status, SUM(people), SUM(open_referrals) FROM (SELECT o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed, o.status, -1, -(SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = o.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) FROM xy_old o) d (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, status HAVING SUM(people) <> 0 OR SUM(open_referrals) <> 0 ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, status ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_people_delete AFTER DELETE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_people_delete();

CREATE OR REPLACE FUNCTION xy_unit_referrals_insert() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM xy_new)
      ORDER BY id FOR SHARE;
    INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, status, SUM(people), SUM(open_referrals) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, 1 FROM xy_new r JOIN people_supervisee s ON s.id = r.supervisee_id WHERE r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) d (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, status HAVING SUM(people) <> 0 OR SUM(open_referrals) <> 0 ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, status ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_referrals_insert AFTER INSERT ON helpnet_referral
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_referrals_insert();

CREATE OR REPLACE FUNCTION xy_unit_referrals_update() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM (SELECT supervisee_id FROM xy_old UNION SELECT supervisee_id FROM xy_new) AS both_)
      ORDER BY id FOR SHARE;
    INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, status, SUM(people), SUM(open_referrals) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, -1 FROM xy_old r JOIN people_supervisee s ON s.id = r.supervisee_id WHERE r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined') UNION ALL SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, 1 FROM xy_new r JOIN people_supervisee s ON s.id = r.supervisee_id WHERE r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) d (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, status HAVING SUM(people) <> 0 OR SUM(open_referrals) <> 0 ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, status ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_referrals_update AFTER UPDATE ON helpnet_referral
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_referrals_update();

CREATE OR REPLACE FUNCTION xy_unit_referrals_delete() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM xy_old)
      ORDER BY id FOR SHARE;
    INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, status, SUM(people), SUM(open_referrals) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, -1 FROM xy_old r JOIN people_supervisee s ON s.id = r.supervisee_id WHERE r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) d (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, status HAVING SUM(people) <> 0 OR SUM(open_referrals) <> 0 ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, status ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_referrals_delete AFTER DELETE ON helpnet_referral
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_referrals_delete();
"""
POSTGRES_DROP = """DROP TRIGGER IF EXISTS xy_unit_people_insert ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unit_people_insert();
DROP TRIGGER IF EXISTS xy_unit_people_update ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unit_people_update();
DROP TRIGGER IF EXISTS xy_unit_people_delete ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unit_people_delete();
DROP TRIGGER IF EXISTS xy_unit_referrals_insert ON helpnet_referral;
DROP FUNCTION IF EXISTS xy_unit_referrals_insert();
DROP TRIGGER IF EXISTS xy_unit_referrals_update ON helpnet_referral;
DROP FUNCTION IF EXISTS xy_unit_referrals_update();
DROP TRIGGER IF EXISTS xy_unit_referrals_delete ON helpnet_referral;
DROP FUNCTION IF EXISTS xy_unit_referrals_delete();
"""
SQLITE_FILL = [
    "DELETE FROM people_unitpeople",
    "INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, COUNT(*), COALESCE(SUM(o.n), 0) FROM people_supervisee s LEFT JOIN (SELECT r.supervisee_id, COUNT(*) AS n FROM helpnet_referral r WHERE r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined') GROUP BY r.supervisee_id) o ON o.supervisee_id = s.id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status",
]
SQLITE_TRIGGERS = [
    "CREATE TRIGGER xy_unit_people_insert AFTER INSERT ON people_supervisee BEGIN INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT NEW.unit_id, COALESCE(NEW.caseworker_id, 0), NEW.is_juvenile, NEW.is_sealed, NEW.status, 1, (SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = NEW.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) WHERE true ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; END",
    """CREATE TRIGGER xy_unit_people_update AFTER UPDATE OF unit_id, caseworker_id,
        is_juvenile, is_sealed, status ON people_supervisee
    WHEN OLD.unit_id IS NOT NEW.unit_id OR COALESCE(OLD.caseworker_id, 0)
         IS NOT COALESCE(NEW.caseworker_id, 0) OR OLD.is_juvenile IS NOT NEW.is_juvenile
         OR OLD.is_sealed IS NOT NEW.is_sealed OR OLD.status IS NOT NEW.status
    BEGIN INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT OLD.unit_id, COALESCE(OLD.caseworker_id, 0), OLD.is_juvenile, OLD.is_sealed, OLD.status, -1, -(SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = OLD.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) WHERE true ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT NEW.unit_id, COALESCE(NEW.caseworker_id, 0), NEW.is_juvenile, NEW.is_sealed, NEW.status, 1, (SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = NEW.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) WHERE true ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; END""",
    "CREATE TRIGGER xy_unit_people_delete AFTER DELETE ON people_supervisee BEGIN INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT OLD.unit_id, COALESCE(OLD.caseworker_id, 0), OLD.is_juvenile, OLD.is_sealed, OLD.status, -1, -(SELECT COUNT(*) FROM helpnet_referral r WHERE r.supervisee_id = OLD.id AND r.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined')) WHERE true ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; END",
    "CREATE TRIGGER xy_unit_referrals_insert AFTER INSERT ON helpnet_referral BEGIN INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, 1 FROM people_supervisee s WHERE s.id = NEW.supervisee_id AND NEW.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined') ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; END",
    "CREATE TRIGGER xy_unit_referrals_update AFTER UPDATE OF status, supervisee_id ON helpnet_referral BEGIN INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, -1 FROM people_supervisee s WHERE s.id = OLD.supervisee_id AND OLD.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined') ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, 1 FROM people_supervisee s WHERE s.id = NEW.supervisee_id AND NEW.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined') ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; END",
    "CREATE TRIGGER xy_unit_referrals_delete AFTER DELETE ON helpnet_referral BEGIN INSERT INTO people_unitpeople (unit_id, caseworker_id, is_juvenile, is_sealed, status, people, open_referrals) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status, 0, -1 FROM people_supervisee s WHERE s.id = OLD.supervisee_id AND OLD.status NOT IN ('closed', 'declined', 'withdrawn', 'consent_declined') ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, status) DO UPDATE SET people = people_unitpeople.people + excluded.people, open_referrals = people_unitpeople.open_referrals + excluded.open_referrals; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_unit_people_insert",
    "DROP TRIGGER IF EXISTS xy_unit_people_update",
    "DROP TRIGGER IF EXISTS xy_unit_people_delete",
    "DROP TRIGGER IF EXISTS xy_unit_referrals_insert",
    "DROP TRIGGER IF EXISTS xy_unit_referrals_update",
    "DROP TRIGGER IF EXISTS xy_unit_referrals_delete",
]


def run(schema_editor, postgres, sqlite):
    """Run this database's statements in order (PostgreSQL's scripts hold several)."""
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    """The counts from the people and their referrals as they stand, then the triggers."""
    run(schema_editor, POSTGRES_FILL + [POSTGRES_TRIGGERS], SQLITE_FILL + SQLITE_TRIGGERS)


def uninstall(apps, schema_editor):
    run(schema_editor, [POSTGRES_DROP], SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('helpnet', '0001_initial'),
        ('organisations', '0002_unit_administrators_group'),
        ('people', '0006_month_completions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitPeople',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_juvenile', models.BooleanField()),
                ('is_sealed', models.BooleanField()),
                ('status', models.CharField(max_length=20)),
                ('people', models.IntegerField(db_default=0, default=0)),
                ('open_referrals', models.IntegerField(db_default=0, default=0)),
                ('caseworker', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisations.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'caseworker', 'is_juvenile', 'is_sealed', 'status'), name='people_unitpeople_key')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
