"""Records that are never changed: the access log, hours ledgers, attendance. A mistake is
put right by a new row that points at the one it corrects. The application refuses
updates and deletes here; on PostgreSQL a trigger per table refuses them too (see
portal/audit/migrations/0002_append_only_trigger.py)."""

from django.db import models

MESSAGE = "These records are append-only: add a correcting entry instead."


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
