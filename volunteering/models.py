"""Service and volunteering: activities, sign-ups with a waiting list, attendance, the
append-only hours ledger and volunteer-service certificates.

Two kinds of hours never mix (docs/domain.md rule 1): public-welfare activity (公益活动),
organised by a corrections unit, may count toward monthly targets; volunteer service
(志愿服务), joined freely, is the only kind that goes on a certificate or into the export
for the national volunteer-service system, and only with the person's consent.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import register_setting

from portal.appendonly import (  # noqa: F401 (AppendOnlyError re-exported)
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
)
from portal.taxonomy.models import Term

MAX_HOURS_PER_ENTRY = Decimal("24")


class ServiceKind(models.TextChoices):
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare activity")
    VOLUNTEER_SERVICE = "volunteer_service", _("Volunteer service")


class Theme(Term):
    """Themes of activities (巡逻, 法治宣传, 敬老助老…): an editable list."""

    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(Term.Meta):
        verbose_name = _("activity theme")
        verbose_name_plural = _("activity themes")


@register_setting(icon="time")
class ServiceSettings(BaseGenericSetting):
    """Numbers the county sets, edited in the admin rather than in code."""

    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancellation cut-off (hours before the start)"), default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("After this, a confirmed participant can no longer cancel in the portal."),
    )
    certificate_min_hours = models.DecimalField(
        _("hours for a certificate"), max_digits=6, decimal_places=1, default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Volunteer-service hours a person needs before asking for a certificate."),
    )

    class Meta:
        verbose_name = _("service and volunteering settings")


class Activity(models.Model):
    """A public-welfare activity or a volunteer-service activity. Organised either by a
    partner organisation (NGO or volunteer team) or by a corrections unit."""

    Kind = ServiceKind

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=120)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="activities",
                              verbose_name=_("theme"))
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices,
                            db_index=True)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200)
    district = models.ForeignKey("taxonomy.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("district"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(1000)])
    waitlist_limit = models.PositiveIntegerField(
        _("waiting-list places"), default=10, validators=[MaxValueValidator(1000)],
        help_text=_("How many people may wait for a place once the activity is full "
                    "(0: no waiting list)."),
    )
    signup_deadline = models.DateTimeField(_("sign-up deadline"))
    hours = models.DecimalField(
        _("hours credited"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_HOURS_PER_ENTRY)],
        help_text=_("The planned service hours; attendance times decide what is credited."),
    )
    skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+",
                                    verbose_name=_("skills wanted"))
    suitable_for_juveniles = models.BooleanField(_("suitable for juveniles"), default=False)
    venue_type = models.ForeignKey(
        "taxonomy.VenueType", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("venue type"),
        help_text=_("People whose prohibition order names this kind of place are not offered "
                    "the activity."),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="activities", verbose_name=_("organising partner"),
    )
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="activities", verbose_name=_("organising unit"),
    )
    # Volunteer service a unit organises is recorded, and so certified, by a partner
    # volunteer-service organisation named here (docs/domain.md rule 2).
    recording_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="recorded_activities", verbose_name=_("recording organisation"),
        help_text=_("For volunteer service a unit organises: the volunteer-service "
                    "organisation that records and certifies the hours."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    # Confirmed places, kept under the activity's row lock by every service that changes a
    # sign-up, so "places left" can be filtered on without counting sign-ups per row.
    places_taken = models.PositiveIntegerField(_("places taken"), default=0)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # Raised whenever time, place or status changes, so calendar apps update their copy.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("completed or cancelled at"), null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["organisation", "starts_at"]),
            models.Index(fields=["unit", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False, unit__isnull=True)
                           | Q(organisation__isnull=True, unit__isnull=False)),
                name="activity_one_organiser",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(signup_deadline__lte=F("starts_at")),
                                   name="activity_deadline_before_start"),
            models.CheckConstraint(condition=Q(places_taken__lte=F("capacity")),
                                   name="activity_not_overbooked"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser(self):
        """The body in whose name attendance and hours are recorded."""
        return self.organisation or self.unit

    @property
    def certifier(self):
        """The volunteer-service organisation that records and certifies this activity's
        volunteer-service hours: the organising partner, or the partner a unit names.
        None for public-welfare activity, which no certificate lists."""
        if self.kind != ServiceKind.VOLUNTEER_SERVICE:
            return None
        return self.organisation or self.recording_organisation

    @property
    def organiser_name(self) -> str:
        return str(self.organiser) if self.organiser else ""

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def is_volunteer_service(self) -> bool:
        return self.kind == ServiceKind.VOLUNTEER_SERVICE

    def signup_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and now <= self.signup_deadline

    def cancellation_deadline(self, cutoff_hours: int) -> datetime.datetime:
        return self.starts_at - datetime.timedelta(hours=cutoff_hours)


class Signup(models.Model):
    """One person's place (or place in the queue) on one activity. A cancelled sign-up
    stays as history; signing up again makes a new row at the end of the queue."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups",
                                 verbose_name=_("activity"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="activity_signups", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    attendance = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices,
                                  default=Attendance.UNKNOWN, blank=True)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("attendance recorded by"))
    # Self check-in: the person scanned the activity's poster code, so the times above are
    # their own word. No hours are credited until an organiser confirms them.
    self_checkin = models.BooleanField(_("checked in by the person"), default=False)
    self_checkin_confirmed_at = models.DateTimeField(_("self check-in confirmed at"),
                                                     null=True, blank=True)
    self_checkin_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("self check-in confirmed by"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["activity", "status", "created_at"]),
            models.Index(fields=["supervisee", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "supervisee"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="signup_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="signup_checkout_after_checkin",
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.supervisee_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def self_checkin_waiting(self) -> bool:
        """A self check-in the organiser has not confirmed yet."""
        return self.self_checkin and self.self_checkin_confirmed_at is None


class HoursEntry(AppendOnlyModel):
    """One line of the hours ledger. Never changed: a correction is a new entry that
    reverses an earlier one (negative hours, `reverses` set), usually followed by the
    corrected figure. Totals are sums of entries, nothing else."""

    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="hours_entries", verbose_name=_("person"))
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="hours_entries", verbose_name=_("activity"))
    signup = models.ForeignKey(Signup, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="hours_entries", verbose_name=_("sign-up"))
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    service_date = models.DateField(_("service date"))
    # The body that recorded the hours and so certifies them (谁记录谁证明).
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded for partner"))
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("recorded for unit"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reason = models.CharField(_("why"), max_length=300)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("reverses entry"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("hours ledger entry")
        verbose_name_plural = _("hours ledger")
        ordering = ["service_date", "recorded_at", "pk"]
        indexes = [
            models.Index(fields=["supervisee", "service_date"]),
            models.Index(fields=["activity", "supervisee"]),
            models.Index(fields=["kind", "service_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=-MAX_HOURS_PER_ENTRY, hours__lte=MAX_HOURS_PER_ENTRY)
                & ~Q(hours=0),
                name="hoursentry_hours_sane",
            ),
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False, unit__isnull=True)
                           | Q(organisation__isnull=True, unit__isnull=False)),
                name="hoursentry_one_recorder",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(hours__lt=0),
                name="hoursentry_reversal_negative",
            ),
        ]

    def __str__(self):
        return f"{self.service_date} {self.hours:+}"

    @property
    def recorder_name(self) -> str:
        return str(self.organisation or self.unit)


class HoursConfirmation(AppendOnlyModel):
    """A caseworker's confirmation of a ledger entry: only confirmed hours count toward
    the monthly targets. Append-only like the ledger."""

    entry = models.OneToOneField(HoursEntry, on_delete=models.PROTECT,
                                 related_name="confirmation", verbose_name=_("entry"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("hours confirmation")
        verbose_name_plural = _("hours confirmations")

    def __str__(self):
        return f"{self.entry_id} ✓ {self.confirmed_at:%Y-%m-%d}"


class UnconfirmedHours(models.Model):
    """The ledger entries nobody has confirmed yet, one row each: the work list behind
    "hours to confirm" and the today list's week-old entries, kept by the database
    (triggers add a row with each new entry and remove it with the entry's confirmation;
    portal/rollups.py). Reading it costs what is waiting, not the ledger's
    millions of confirmed entries."""

    entry = models.OneToOneField(HoursEntry, on_delete=models.CASCADE, primary_key=True,
                                 related_name="+")
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.CASCADE,
                                   related_name="+")
    recorded_at = models.DateTimeField()
    # The entry's own figures, copied with it (the ledger is append-only: they never
    # change), so the work lists read the waiting rows alone (since migration 0006).
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    kind = models.CharField(max_length=20, choices=ServiceKind.choices, default="")
    service_date = models.DateField(null=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.DO_NOTHING,
                                     null=True, db_constraint=False, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.DO_NOTHING, null=True,
                             db_constraint=False, related_name="+")
    # The person's unit, caseworker and flags as they are now (everything portal.access.
    # scope_q decides who sees them by), kept by the database as the person changes (since
    # migration 0008): a unit's waiting entries are found by unit, not person by person.
    # (No index of their own: the unit's leads the one below; the caseworker's is only
    # ever asked for with it.)
    person_unit = models.ForeignKey("organisations.Unit", on_delete=models.DO_NOTHING,
                                    null=True, db_constraint=False, db_index=False,
                                    related_name="+")
    person_caseworker = models.ForeignKey(settings.AUTH_USER_MODEL,
                                          on_delete=models.DO_NOTHING, null=True,
                                          db_constraint=False, db_index=False,
                                          related_name="+")
    person_is_juvenile = models.BooleanField(default=False)
    person_is_sealed = models.BooleanField(default=False)

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [models.Index(fields=["supervisee", "recorded_at"]),
                   models.Index(fields=["person_unit", "recorded_at"],
                                name="volunteering_waiting_unit")]

    def __str__(self):
        return f"{self.entry_id} waiting"


class HoursCorrectionRequest(models.Model):
    """A participant reports that the hours credited for a sign-up are wrong; the organiser
    approves (which writes correcting ledger entries) or rejects."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organiser")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    signup = models.ForeignKey(Signup, on_delete=models.PROTECT,
                               related_name="correction_requests", verbose_name=_("sign-up"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    hours = models.DecimalField(
        _("hours I served"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_ENTRY)])
    reason = models.CharField(_("what was wrong"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("hours correction request")
        verbose_name_plural = _("hours correction requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["signup"], condition=Q(status="pending"),
                                    name="correction_one_pending_per_signup"),
        ]

    def __str__(self):
        return f"{self.signup_id}: {self.hours} ({self.get_status_display()})"


class CertificateQuerySet(AppendOnlyQuerySet):
    def in_force(self):
        """Certificates neither revoked nor replaced."""
        return self.filter(revocation__isnull=True, replaced_by__isnull=True)


class Certificate(AppendOnlyModel):
    """A person's volunteer-service record (志愿服务记录证明): every organisation's certified
    hours (CertificateLine, each organisation certifying what it recorded, docs/domain.md
    rule 2) and the total. A snapshot that is never edited: a newer record replaces it
    (`replaces`), a revocation is a row of its own (CertificateRevocation). Only
    volunteer-service organisations certify: no corrections body is ever named here."""

    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="volunteer_certificates",
                                   verbose_name=_("person"))
    serial = models.CharField(_("serial number"), max_length=30, unique=True)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    holder_name = models.CharField(_("name"), max_length=50)
    volunteer_number = models.CharField(_("volunteer number"), max_length=30, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    service_content = models.CharField(_("service content"), max_length=500)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by user"))
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("replaces certificate"))
    replace_reason = models.CharField(_("reason for replacing"), max_length=300, blank=True)

    objects = CertificateQuerySet.as_manager()

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("volunteer-service record")
        verbose_name_plural = _("volunteer-service records")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="certificate_hours_positive"),
        ]

    def __str__(self):
        return self.serial

    @property
    def revocation_or_none(self):
        try:
            return self.revocation
        except CertificateRevocation.DoesNotExist:
            return None

    @property
    def replacement_or_none(self):
        try:
            return self.replaced_by
        except Certificate.DoesNotExist:
            return None

    @property
    def is_revoked(self) -> bool:
        return self.revocation_or_none is not None

    @property
    def is_replaced(self) -> bool:
        return self.replacement_or_none is not None

    @property
    def is_valid(self) -> bool:
        """In force: neither revoked nor replaced by a newer record."""
        return not self.is_revoked and not self.is_replaced


class CertificateLine(AppendOnlyModel):
    """One organisation's certified volunteer-service hours on a record: the organisation
    that recorded them certifies them (谁记录谁证明). Always a partner organisation."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="lines",
                                    verbose_name=_("certificate"))
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("certifying organisation"))
    organisation_name = models.CharField(_("certified by"), max_length=150)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("certified hours of one organisation")
        verbose_name_plural = _("certified hours of one organisation")
        ordering = ["certificate", "organisation_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "organisation"],
                                    name="certificateline_one_per_organisation"),
            models.CheckConstraint(condition=Q(hours__gt=0),
                                   name="certificateline_hours_positive"),
        ]

    def __str__(self):
        return f"{self.certificate_id} · {self.organisation_name} · {self.hours}"


class CertificateRevocation(AppendOnlyModel):
    """A certificate withdrawn, with who and why: a row of its own, the certificate is
    never edited."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT,
                                       related_name="revocation", verbose_name=_("certificate"))
    revoked_at = models.DateTimeField(_("revoked at"), default=timezone.now)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("revoked by"))
    reason = models.CharField(_("reason for revoking"), max_length=300)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("certificate revocation")
        verbose_name_plural = _("certificate revocations")

    def __str__(self):
        return f"{self.certificate_id} revoked {self.revoked_at:%Y-%m-%d}"


class VolunteerProfile(models.Model):
    """What the national volunteer-service system knows the person by: their volunteer
    number (志愿者编号), when known. Edited by the person or by staff who may see them."""

    supervisee = models.OneToOneField("people.Supervisee", on_delete=models.CASCADE,
                                      related_name="volunteer_profile",
                                      verbose_name=_("person"))
    volunteer_number = models.CharField(
        _("volunteer number"), max_length=30, blank=True,
        help_text=_("The number in the national volunteer-service system, if registered."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("updated by"))

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self):
        return f"{self.supervisee_id}: {self.volunteer_number}"


class VolunteerExport(AppendOnlyModel):
    """One export for the national volunteer-service system: who made it, when, and how
    many entries went into it. Its entries are ExportedHours rows."""

    number = models.CharField(_("export number"), max_length=30, unique=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("made by"))
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"), default=0)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("volunteer-hours export")
        verbose_name_plural = _("volunteer-hours exports")
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return self.number


class ExportedHours(AppendOnlyModel):
    """One person's hours of one activity on one day as they went into an export: the
    next export shows when, and in which export, an entry went out before."""

    export = models.ForeignKey(VolunteerExport, on_delete=models.PROTECT,
                               related_name="entries", verbose_name=_("export"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("person"))
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("activity"))
    service_date = models.DateField(_("service date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("exported hours")
        verbose_name_plural = _("exported hours")
        indexes = [models.Index(fields=["supervisee", "activity", "service_date"])]

    def __str__(self):
        return f"{self.export_id}: {self.supervisee_id} {self.service_date}"
