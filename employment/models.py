"""Employment help (就业帮扶): partner enterprises under a help agreement, their training
bases, the jobs and training places they post, people's job profiles, applications with
their status history, placements and the 30- and 90-day follow-ups.

What a job is matched on is data here (industry, district, workplace venue type, shift and
working days, juveniles allowed); occupational bans, prohibition orders and the travel
limit live on the person's record (portal.people) and employment/matching.py applies them.
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ENTERPRISE = "enterprise"


class Shift(models.TextChoices):
    DAY = "day", _("Day shift")
    EVENING = "evening", _("Evening shift")
    NIGHT = "night", _("Night shift")
    ROTATING = "rotating", _("Rotating shifts")
    FLEXIBLE = "flexible", _("Flexible hours")


class DayPeriod(models.TextChoices):
    """Parts of a day: what a shift covers, when a person reports, when a class meets."""

    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")
    NIGHT = "night", _("night")


# Which parts of the day each shift takes. Flexible hours can be arranged around duties.
SHIFT_PERIODS = {
    Shift.DAY: frozenset({DayPeriod.MORNING, DayPeriod.AFTERNOON}),
    Shift.EVENING: frozenset({DayPeriod.EVENING}),
    Shift.NIGHT: frozenset({DayPeriod.NIGHT}),
    Shift.ROTATING: frozenset({DayPeriod.MORNING, DayPeriod.AFTERNOON, DayPeriod.EVENING,
                               DayPeriod.NIGHT}),
    Shift.FLEXIBLE: frozenset(),
}

WEEKDAYS = [
    ("1", _("Monday")), ("2", _("Tuesday")), ("3", _("Wednesday")), ("4", _("Thursday")),
    ("5", _("Friday")), ("6", _("Saturday")), ("7", _("Sunday")),
]
WEEKDAY_NAMES = dict(WEEKDAYS)


@functools.lru_cache(maxsize=256)
def weekday_set(value: str) -> frozenset[int]:
    """"135" → {1, 3, 5}. Cached: there are only a few distinct patterns."""
    return frozenset(int(c) for c in value or "" if c in "1234567")


class HelpAgreement(models.Model):
    """A help agreement (帮教协议) between a corrections unit and a partner enterprise:
    how long it runs and how many places the enterprise promises."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT,
        related_name="help_agreements", verbose_name=_("enterprise"),
        limit_choices_to={"kind": ENTERPRISE},
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT,
                             related_name="help_agreements", verbose_name=_("unit"))
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    places_promised = models.PositiveSmallIntegerField(_("places promised"), default=0)
    terms = models.TextField(_("terms"), blank=True,
                             help_text=_("What each side undertakes, preferential policies."))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("help agreement")
        verbose_name_plural = _("help agreements")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on")),
                                   name="helpagreement_period_ordered"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.starts_on:%Y-%m-%d}"

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


class TrainingBase(models.Model):
    """A training base (实训基地) an enterprise runs: where its training places are held."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT,
        related_name="training_bases", verbose_name=_("enterprise"),
        limit_choices_to={"kind": ENTERPRISE},
    )
    name = models.CharField(_("name"), max_length=120)
    district = models.ForeignKey("taxonomy.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"],
                                    name="trainingbase_unique_name"),
        ]

    def __str__(self):
        return self.name


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class _Opening(models.Model):
    """What jobs and training places share: who offers it, where, when, for whom."""

    Status = OpeningStatus

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("enterprise"), limit_choices_to={"kind": ENTERPRISE},
    )
    description = models.TextField(_("description"), blank=True)
    industry = models.ForeignKey(
        "taxonomy.Industry", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("industry"),
        help_text=_("Occupational bans name industries: this decides who may apply."),
    )
    district = models.ForeignKey("taxonomy.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    venue_type = models.ForeignKey(
        "taxonomy.VenueType", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("kind of workplace"),
        help_text=_("Only if the workplace is a kind of place a prohibition order can name "
                    "(a bar, a school…)."),
    )
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices,
                             default=Shift.DAY)
    work_days = models.CharField(_("working days"), max_length=7, default="12345",
                                 help_text=_("ISO weekdays, 1 = Monday … 7 = Sunday."))
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week"), default=40, validators=[MinValueValidator(1), MaxValueValidator(84)])
    schedule = models.CharField(_("schedule"), max_length=200, blank=True,
                                help_text=_("For example 8:30–17:30, lunch break 12:00–13:30."))
    juveniles_allowed = models.BooleanField(
        _("open to juveniles aged 16 and 17"), default=False,
        help_text=_("Light work suited to 16- and 17-year-olds (Labour Law Art. 15, 64)."))
    status = models.CharField(_("status"), max_length=10, choices=OpeningStatus.choices,
                              default=OpeningStatus.OPEN, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status == OpeningStatus.OPEN

    @property
    def weekdays(self) -> frozenset[int]:
        return weekday_set(self.work_days)

    @property
    def work_day_names(self) -> list[str]:
        return [str(WEEKDAY_NAMES[str(d)]) for d in sorted(self.weekdays)]


class Job(_Opening):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="jobs",
        verbose_name=_("enterprise"), limit_choices_to={"kind": ENTERPRISE},
    )
    title = models.CharField(_("job title"), max_length=100)
    pay_min = models.PositiveIntegerField(_("pay from (yuan a month)"), null=True, blank=True)
    pay_max = models.PositiveIntegerField(_("pay up to (yuan a month)"), null=True, blank=True)
    skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+",
                                    verbose_name=_("skills wanted"))
    places = models.PositiveSmallIntegerField(_("places"), default=1,
                                              validators=[MinValueValidator(1)])
    # How many skills the job wants, kept by triggers on the skills' table (migration
    # 0003) whoever writes them; never written by the application.
    skill_count = models.PositiveSmallIntegerField(_("number of skills wanted"), default=0,
                                                   editable=False)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "district"]),
            models.Index(fields=["organisation", "status"]),
            # The job board: open jobs, newest first.
            models.Index(fields=["status", "-created_at"], name="job_board_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True)
                | Q(pay_max__gte=F("pay_min")),
                name="job_pay_range_ordered"),
        ]

    def __str__(self):
        return self.title

    kind = "job"


class TrainingPlace(_Opening):
    """Places on a training programme at one of the enterprise's training bases."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT,
        related_name="training_places", verbose_name=_("enterprise"),
        limit_choices_to={"kind": ENTERPRISE},
    )
    base = models.ForeignKey(TrainingBase, on_delete=models.PROTECT,
                             related_name="training_places", verbose_name=_("training base"))
    programme = models.CharField(_("programme"), max_length=100)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), default=10,
                                                validators=[MinValueValidator(1)])
    skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+",
                                    verbose_name=_("skills taught"))

    class Meta:
        verbose_name = _("training place")
        verbose_name_plural = _("training places")
        ordering = ["starts_on", "pk"]
        indexes = [
            models.Index(fields=["status", "district"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on")),
                                   name="trainingplace_period_ordered"),
        ]

    def __str__(self):
        return self.programme

    kind = "training"

    @property
    def title(self) -> str:
        return self.programme


class JobProfile(models.Model):
    """What a person tells employers about themselves, and what they look for. Partner
    enterprises see it only while the person's EMPLOYER_PROFILE consent is given (or on
    an application the person made or agreed to)."""

    supervisee = models.OneToOneField("people.Supervisee", on_delete=models.CASCADE,
                                      related_name="job_profile", verbose_name=_("person"))
    skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+",
                                    verbose_name=_("my skills"))
    work_history = models.TextField(
        _("work history in brief"), blank=True, max_length=1000,
        help_text=_("Jobs you have done and for how long. Do not write about your case."))
    preferred_districts = models.ManyToManyField(
        "taxonomy.District", blank=True, related_name="+",
        verbose_name=_("districts I would like to work in"))
    preferred_shifts = models.JSONField(_("shifts I can work"), default=list, blank=True)
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("at most this many hours a week"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(84)])
    # Reporting duties are set by the caseworker: the day and time the person reports
    # in person, which a job should leave free (Art. 34: do not disrupt work and life).
    reporting_weekday = models.PositiveSmallIntegerField(
        _("reporting day"), null=True, blank=True, choices=[(int(k), v) for k, v in WEEKDAYS])
    reporting_period = models.CharField(_("reporting time"), max_length=10, blank=True,
                                        choices=DayPeriod.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("job profile")
        verbose_name_plural = _("job profiles")

    def __str__(self):
        return str(self.supervisee_id)


class ApplicationStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended, waiting for the person to agree")
    APPLIED = "applied", _("Applied")
    INTERVIEW = "interview", _("Interview")
    OFFERED = "offered", _("Offered")
    HIRED = "hired", _("Hired")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_STATUSES = (ApplicationStatus.RECOMMENDED, ApplicationStatus.APPLIED,
                   ApplicationStatus.INTERVIEW, ApplicationStatus.OFFERED)
FINAL_STATUSES = (ApplicationStatus.HIRED, ApplicationStatus.DECLINED,
                  ApplicationStatus.WITHDRAWN)


class Application(models.Model):
    """A person's application for a job or a training place: made by the person, or
    recommended by a caseworker and shared with the enterprise only once the person
    agrees (docs/domain.md rule 3: employers see a candidate only once they apply or agree)."""

    Status = ApplicationStatus

    class Source(models.TextChoices):
        PERSON = "person", _("The person applied")
        CASEWORKER = "caseworker", _("Recommended by the caseworker")

    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="job_applications", verbose_name=_("person"))
    job = models.ForeignKey(Job, on_delete=models.PROTECT, null=True, blank=True,
                            related_name="applications", verbose_name=_("job"))
    training_place = models.ForeignKey(TrainingPlace, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="applications",
                                       verbose_name=_("training place"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("enterprise"))
    # Set once the enterprise may see the application (the person applied or agreed);
    # portal.access.PARTNER_RELATIONS follows this relation, never `organisation`.
    shared_with = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="shared_applications",
                                    verbose_name=_("shared with"))
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                              db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices,
                              default=Source.PERSON)
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+",
                                       verbose_name=_("recommended by"))
    message = models.CharField(_("message"), max_length=500, blank=True,
                               help_text=_("The person's own note to the enterprise."))
    recommendation_note = models.CharField(
        _("caseworker's note"), max_length=500, blank=True,
        help_text=_("Why the caseworker recommends this; for the person, never shown to the "
                    "enterprise."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["supervisee", "status"]),
            models.Index(fields=["shared_with", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(job__isnull=False, training_place__isnull=True)
                | Q(job__isnull=True, training_place__isnull=False),
                name="application_job_xor_training"),
            # One application per person and opening; re-applying reopens it.
            models.UniqueConstraint(fields=["supervisee", "job"], condition=Q(job__isnull=False),
                                    name="application_one_per_job"),
            models.UniqueConstraint(fields=["supervisee", "training_place"],
                                    condition=Q(training_place__isnull=False),
                                    name="application_one_per_training_place"),
        ]

    def __str__(self):
        return f"{self.supervisee_id} → {self.opening}"

    @property
    def opening(self):
        return self.job if self.job_id else self.training_place

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def status_label(self) -> str:
        if self.status == ApplicationStatus.HIRED and self.training_place_id:
            return str(_("Accepted for training"))
        return self.get_status_display()


class ApplicationStatusChange(models.Model):
    """Every change of an application's status: who, when, from what to what. Rows are
    only ever added."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="history", verbose_name=_("application"))
    from_status = models.CharField(_("from"), max_length=20, blank=True,
                                   choices=ApplicationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A recorded status change is never edited.")
        super().save(*args, **kwargs)


FOLLOW_UP_DAYS = (30, 90)


class Placement(models.Model):
    """A hire: the person started work on `started_on`. The caseworker follows up at 30 and
    90 days to record whether the person is still employed."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="placement", verbose_name=_("application"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="job_placements", verbose_name=_("person"))
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="placements",
                            verbose_name=_("job"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("enterprise"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "started_on"])]

    def __str__(self):
        return f"{self.supervisee_id} · {self.job_id} · {self.started_on}"


class FollowUp(models.Model):
    """The 30- or 90-day check on a placement, completed by the caseworker."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE,
                                  related_name="follow_ups", verbose_name=_("placement"))
    day = models.PositiveSmallIntegerField(_("after days"),
                                           choices=[(d, str(d)) for d in FOLLOW_UP_DAYS])
    due_on = models.DateField(_("due on"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("completed by"))
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # When the caseworker was told it is due (send_followup_reminders); once only.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "day"], name="followup_one_per_day"),
        ]

    def __str__(self):
        return f"{self.placement_id} · {self.day}"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class TrainingEnrolment(models.Model):
    """A person accepted for a training place (the application's "Accepted for training"):
    the training counterpart of a placement. The caseworker records how it ended —
    completed, or left before the end — once the course has begun."""

    class Outcome(models.TextChoices):
        IN_TRAINING = "in_training", _("In training")
        COMPLETED = "completed", _("Completed the training")
        LEFT = "left", _("Left before the end")

    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="training_enrolment",
                                       verbose_name=_("application"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="training_enrolments", verbose_name=_("person"))
    training_place = models.ForeignKey(TrainingPlace, on_delete=models.PROTECT,
                                       related_name="enrolments",
                                       verbose_name=_("training place"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("enterprise"))
    started_on = models.DateField(_("starts on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               default=Outcome.IN_TRAINING)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "started_on"])]

    def __str__(self):
        return f"{self.supervisee_id} · {self.training_place_id} · {self.started_on}"

    @property
    def is_done(self) -> bool:
        return self.outcome != self.Outcome.IN_TRAINING
