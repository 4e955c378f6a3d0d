"""Records that are never changed: the access log, hours ledgers, attendance, help-plan
revisions, the retention log. A mistake is put right by a new row that points at the one
it corrects.

The application refuses updates and deletes of an `AppendOnlyModel`; on PostgreSQL
triggers refuse UPDATE, DELETE and TRUNCATE of its table too, so not even raw SQL can
rewrite it. Each migration holds its own copy of those triggers' SQL; `triggers_sql()`
gives the text for a new append-only table's migration to copy, and
tests/trust/test_immutable_records.py holds `append_only_tables()` to the triggers the
database has.
"""

from django.db import models

MESSAGE = "These records are append-only: add a correcting entry instead."

# The function the triggers call (made by portal/audit/migrations/0002 and again,
# unchanged, by the others that use it, so the order the apps migrate in does not matter).
REFUSE_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION xy_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def triggers_sql(table: str) -> tuple[str, str]:
    """PostgreSQL's triggers refusing UPDATE, DELETE and TRUNCATE of `table`, and the SQL
    removing them: a migration copies both as literals and runs them on PostgreSQL only."""
    forward = f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION xy_refuse_change();
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION xy_refuse_change();
"""
    backward = f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""
    return forward, backward


def append_only_tables() -> list[str]:
    """The table of every append-only model: the tables the database guards too."""
    from django.apps import apps

    return sorted(model._meta.db_table for model in apps.get_models()
                  if issubclass(model, AppendOnlyModel))


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(MESSAGE)

    def delete(self):
        raise AppendOnlyError(MESSAGE)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(MESSAGE)
