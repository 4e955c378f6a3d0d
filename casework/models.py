"""A person's help plan (个别化矫正方案) and its history.

The plan is one row per person that the caseworker edits; every saved change also writes
an append-only revision holding the whole plan as it then stood, with who and when, so
the history can be read back without trusting the current row."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.appendonly import AppendOnlyModel


class HelpPlan(models.Model):
    supervisee = models.OneToOneField(
        "people.Supervisee", on_delete=models.PROTECT, related_name="help_plan",
        verbose_name=_("person"))
    goals = models.TextField(_("goals"), blank=True)
    courses = models.ManyToManyField(
        "courses.CoursePage", blank=True, related_name="help_plans",
        verbose_name=_("assigned courses"))
    service_expectations = models.TextField(_("service expectations"), blank=True)
    employment_steps = models.TextField(_("employment steps"), blank=True)
    referral_steps = models.TextField(_("referral steps"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("updated by"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("help plan")
        verbose_name_plural = _("help plans")
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self):
        return str(self.supervisee_id)


class HelpPlanRevision(AppendOnlyModel):
    """The plan as saved at `changed_at` by `changed_by`; never changed or deleted."""

    plan = models.ForeignKey(HelpPlan, on_delete=models.PROTECT, related_name="revisions",
                             verbose_name=_("help plan"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="help_plan_revisions", verbose_name=_("person"))
    number = models.PositiveIntegerField(_("revision"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_fields = models.JSONField(_("changed fields"), default=list)
    snapshot = models.JSONField(_("plan as saved"))
    note = models.CharField(_("why"), max_length=300, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("help plan revision")
        verbose_name_plural = _("help plan revisions")
        ordering = ["-changed_at", "-number"]
        indexes = [models.Index(fields=["supervisee", "-changed_at"])]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="helpplan_revision_once"),
        ]

    def __str__(self):
        return f"{self.plan_id} #{self.number}"
