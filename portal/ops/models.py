"""Operations: how long a unit keeps released persons' personal data, and the append-only
log of what the retention task anonymised."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.appendonly import AppendOnlyModel


class RetentionPolicy(models.Model):
    """How many years after release a unit keeps a person's identifying data. A unit
    without its own policy follows its nearest parent that has one, then the setting
    XY_RETENTION_YEARS."""

    unit = models.OneToOneField("organisations.Unit", on_delete=models.CASCADE,
                                related_name="retention_policy", verbose_name=_("unit"))
    years_after_release = models.PositiveSmallIntegerField(
        _("years kept after release"),
        help_text=_("Personal identifiers of released persons are anonymised this many "
                    "years after their release."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(condition=models.Q(years_after_release__gte=1),
                                   name="retention_at_least_one_year"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.years_after_release}"


class RetentionLogEntry(AppendOnlyModel):
    """One row per action of the retention task: whose data, what was done, under which
    rule. Never changed or removed (a PostgreSQL trigger refuses it too)."""

    class Action(models.TextChoices):
        ANONYMISED = "anonymised", _("Personal identifiers anonymised")
        REMOVED = "removed", _("Records removed")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # The person's record stays (anonymised), so the ledgers keep pointing at it.
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("person"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    what = models.CharField(_("what"), max_length=300)
    rule = models.CharField(_("rule"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("run by"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("retention log entry")
        verbose_name_plural = _("retention log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} · {self.supervisee_id} · {self.action}"
