from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.appendonly import AppendOnlyError, AppendOnlyModel  # noqa: F401 (re-exported)


class AccessLogEntry(AppendOnlyModel):
    """Who read or exported whose record, when, and what. Append-only: the application
    refuses updates and deletes, and on PostgreSQL a trigger refuses them too."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed record")
        EDIT = "edit", _("Edited record")
        EXPORT = "export", _("Exported")
        LIST = "list", _("Listed")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("who"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="access_log",
                                   verbose_name=_("whose record"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    what = models.CharField(_("what"), max_length=200)
    path = models.CharField(_("address"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["supervisee", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.what}"
