"""Supervisee records: sensitive personal information (PIPL Art. 28). Every staff read
goes through portal.access, which logs it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ManagementLevel(models.TextChoices):
    STRICT = "strict", _("Strict")
    ORDINARY = "ordinary", _("Ordinary")
    LENIENT = "lenient", _("Lenient")


class Supervisee(models.Model):
    class SentenceKind(models.TextChoices):
        SURVEILLANCE = "surveillance", _("Public surveillance")
        SUSPENDED = "suspended", _("Suspended sentence")
        PAROLE = "parole", _("Parole")
        OUTSIDE_PRISON = "outside_prison", _("Temporary service outside prison")

    class Status(models.TextChoices):
        IN_CORRECTION = "in_correction", _("Under community correction")
        RELEASED = "released", _("Released, in post-release help")
        CLOSED = "closed", _("Help period ended")

    class Gender(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident identity card")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisee",
        verbose_name=_("account"),
    )
    legal_name = models.CharField(_("legal name"), max_length=50)
    alias = models.CharField(
        _("alias"), max_length=50, blank=True,
        help_text=_("Shown to partners instead of the legal name."),
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices,
                               default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("ID number"), max_length=30, blank=True)

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="supervisees",
        verbose_name=_("unit"),
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="caseload", verbose_name=_("caseworker"),
    )
    sentence_kind = models.CharField(_("sentence kind"), max_length=20,
                                     choices=SentenceKind.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    level = models.CharField(_("management level"), max_length=10,
                             choices=ManagementLevel.choices, default=ManagementLevel.ORDINARY)
    is_juvenile = models.BooleanField(_("juvenile"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.IN_CORRECTION)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    help_ends_on = models.DateField(_("post-release help ends"), null=True, blank=True)
    is_sealed = models.BooleanField(
        _("file sealed"), default=False,
        help_text=_("A sealed juvenile file is open only to unit administrators."),
    )
    home_district = models.ForeignKey(
        "taxonomy.District", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("home district"),
    )
    skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+",
                                    verbose_name=_("skills"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("supervisee")
        verbose_name_plural = _("supervisees")
        ordering = ["legal_name", "pk"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["caseworker", "status"]),
            models.Index(fields=["status", "term_end"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")),
                                   name="supervisee_term_ordered"),
        ]

    def __str__(self):
        return self.legal_name

    @property
    def masked_name(self) -> str:
        """张三丰 → 张**; what a partner or a public page may show."""
        return mask_name(self.legal_name)

    @property
    def partner_name(self) -> str:
        return self.alias or self.masked_name

    @property
    def masked_id_number(self) -> str:
        n = self.id_number
        return n[:3] + "*" * max(len(n) - 7, 0) + n[-4:] if len(n) > 7 else "*" * len(n)

    @property
    def in_correction(self) -> bool:
        return self.status == self.Status.IN_CORRECTION

    def days_left(self, today: datetime.date | None = None) -> int:
        today = today or timezone.localdate()
        return (self.term_end - today).days

    def active_prohibitions(self, today=None):
        today = today or timezone.localdate()
        return [p for p in self.prohibitions.all() if p.is_active(today)]

    def active_bans(self, today=None):
        today = today or timezone.localdate()
        return [b for b in self.occupational_bans.all() if b.is_active(today)]


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


class _Period(models.Model):
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_active(self, today: datetime.date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


class ProhibitionOrder(_Period):
    """A court's prohibition order (禁止令): places, activities or contacts the person must
    avoid. Venue types are structured so activity and job matching can apply them."""

    class Kind(models.TextChoices):
        VENUE_TYPE = "venue_type", _("Kind of place")
        PLACE = "place", _("Named place")
        ACTIVITY = "activity", _("Activity")
        CONTACT = "contact", _("Contact with a person")

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE,
                                   related_name="prohibitions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    venue_type = models.ForeignKey("taxonomy.VenueType", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("venue type"))
    district = models.ForeignKey("taxonomy.District", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("district"))
    description = models.CharField(_("description"), max_length=200)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("prohibition order")
        verbose_name_plural = _("prohibition orders")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="venue_type") | Q(venue_type__isnull=False),
                name="prohibition_venue_type_named",
            ),
        ]

    def __str__(self):
        return self.description


class OccupationalBan(_Period):
    """A court's occupational ban (从业禁止) on an industry for a period."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE,
                                   related_name="occupational_bans")
    industry = models.ForeignKey("taxonomy.Industry", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("industry"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("occupational ban")
        verbose_name_plural = _("occupational bans")

    def __str__(self):
        return str(self.industry)


class TravelApproval(_Period):
    """Approval to leave the city or county (Art. 27) for a destination and period."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE,
                                   related_name="travel_approvals")
    destination = models.ForeignKey("taxonomy.District", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("destination"))
    reason = models.CharField(_("reason"), max_length=200)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("travel approval")
        verbose_name_plural = _("travel approvals")

    def __str__(self):
        return f"{self.destination} {self.starts_on:%Y-%m-%d}"


class Consent(models.Model):
    """One decision by the person; the latest per kind is in force. Never edited."""

    class Kind(models.TextChoices):
        VOLUNTEER_EXPORT = "volunteer_export", _(
            "Send my volunteer-service hours to the national volunteer-service system")
        EMPLOYER_PROFILE = "employer_profile", _(
            "Show my job profile to partner enterprises")
        CERTIFICATE = "certificate", _(
            "Issue volunteer-service certificates for my hours")

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE,
                                   related_name="consents")
    kind = models.CharField(_("consent"), max_length=30, choices=Kind.choices)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["supervisee", "kind", "-recorded_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.granted}"

    def save(self, *args, **kwargs):
        # A changed mind is a new row, so the history of decisions stays as it was.
        if self.pk is not None:
            raise ValueError("A recorded consent is never edited; record a new decision.")
        super().save(*args, **kwargs)


class LevelTarget(models.Model):
    """Monthly study and service targets per management level. Provinces set the numbers;
    administrators edit them here rather than in code."""

    level = models.CharField(_("management level"), max_length=10,
                             choices=ManagementLevel.choices, unique=True)
    study_hours = models.DecimalField(_("study hours a month"), max_digits=5, decimal_places=1)
    service_hours = models.DecimalField(_("service hours a month"), max_digits=5,
                                        decimal_places=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("monthly target")
        verbose_name_plural = _("monthly targets")
        ordering = ["level"]

    def __str__(self):
        return self.get_level_display()


class MonthHours(models.Model):
    """A person's hours in one month, rolled up from the two ledgers: study hours
    (courses.StudyHoursEntry by `credited_on`), public-welfare and volunteer-service hours
    as recorded and as confirmed (volunteering.HoursEntry by `service_date`, and its
    HoursConfirmation).

    Written only by the database: triggers on the ledgers add each new entry (and each
    confirmation) to its month in the same transaction as the entry itself, so every row
    equals the sum of its entries at every commit (portal/rollups.py; `manage.py rollups
    --check` proves it on live data). Pages that need many people's
    month totals read one row per person instead of summing their entries."""

    # No index of its own: the unique (supervisee, month) below serves a person's rows;
    # an index on the person alone tempts PostgreSQL to probe it and filter the months.
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE,
                                   related_name="month_hours", db_constraint=True,
                                   db_index=False)
    month = models.DateField()  # the first day of the month
    study = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    public_welfare = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    public_welfare_confirmed = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    volunteer = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    volunteer_confirmed = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    # Courses completed in the month (courses.Enrolment by completed_at, local time).
    completions = models.IntegerField(default=0, db_default=0)

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [models.UniqueConstraint(fields=["supervisee", "month"],
                                               name="people_monthhours_person_month")]

    def __str__(self):
        return f"{self.supervisee_id} {self.month:%Y-%m}"


class ScopeKey(models.Model):
    """What portal.access.scope_q decides who sees a person by (their unit, caseworker,
    juvenile flag and sealed flag), as the key of a table the database keeps of people
    who share it (portal/rollups.py)."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    # No constraint: 0 stands for no caseworker (a key column cannot be NULL).
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                                   db_constraint=False, related_name="+")
    is_juvenile = models.BooleanField()
    is_sealed = models.BooleanField()

    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True


class UnitPeople(ScopeKey):
    """The number of people, and of their referrals still running, who share a scope key
    and a status (what the unit dashboard counts them by), so a viewer's share of a unit
    is a few of these rows rather than one per person.

    Written only by the database (portal/rollups.py): triggers on the people's rows and on
    helpnet_referral, in the same transaction as the change. A row of zeros means no one
    (people who moved away leave one)."""

    status = models.CharField(max_length=20)
    people = models.IntegerField(default=0, db_default=0)
    open_referrals = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["unit", "caseworker", "is_juvenile", "is_sealed", "status"],
            name="people_unitpeople_key")]

    def __str__(self):
        return f"{self.unit_id} {self.status}"


class UnitMonthHours(ScopeKey):
    """The month's hours (MonthHours' study, public-welfare and volunteer-service hours
    as recorded) of the people who share a unit, a caseworker, the juvenile flag and the
    sealed flag: everything portal.access.scope_q decides who sees them by, so a
    viewer's share of a unit is a few of these rows rather than one per person.

    Written only by the database (portal/rollups.py): triggers on people_monthhours add
    each change to its person's key, and a person whose unit, caseworker or flags change
    takes their months from the old key to the new one, in the same transaction. A row
    of zeros means no hours (people who moved away leave one)."""

    month = models.DateField()  # the first day of the month
    study = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    public_welfare = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    volunteer = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    completions = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["unit", "caseworker", "is_juvenile", "is_sealed", "month"],
            name="people_unitmonthhours_key")]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"
