"""The help network (帮扶): NGO and counselling providers' services, referrals from
caseworkers that come back with an outcome, counselling appointments with confidential
session notes, and the education-help fund.

Who may read what is decided in portal.access (the "Help network" section). Two rules
shape the models:

- A provider learns of a referral only once the person has consented: `Referral.shared_with`
  is empty until then, and portal.access.PARTNER_RELATIONS follows `shared_with`, never
  `service__organisation`.
- Session notes (SessionNote) are read only by the staff of the counselling provider that
  held the session; caseworkers see attendance and the summary the counsellor shares.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

DEFAULT_OVERDUE_DAYS = 5


@register_setting(icon="help")
class HelpNetworkSettings(BaseGenericSetting):
    """Numbers the administrators set in the Wagtail admin (Settings → Help network),
    not in code."""

    overdue_after_days = models.PositiveSmallIntegerField(
        _("a referral is overdue after (days)"), default=DEFAULT_OVERDUE_DAYS,
        validators=[MinValueValidator(1)],
        help_text=_("Days a provider has to accept or decline a consented referral before "
                    "it is flagged to the caseworker."))

    class Meta:
        verbose_name = _("help network")


def overdue_after_days() -> int:
    row = HelpNetworkSettings.objects.only("overdue_after_days").first()
    return row.overdue_after_days if row else DEFAULT_OVERDUE_DAYS


# --- Services --------------------------------------------------------------------------------

class Service(models.Model):
    """What a provider offers: shown in the partner directory and the referral form."""

    class Type(models.TextChoices):
        COUNSELLING = "counselling", _("Psychological counselling")
        FAMILY = "family", _("Family support")
        ADDICTION = "addiction", _("Addiction recovery")
        LEGAL_AID = "legal_aid", _("Legal aid")
        SOCIAL_WORK = "social_work", _("Social work and case support")
        EDUCATION = "education", _("Schooling and study support")
        LIVELIHOOD = "livelihood", _("Livelihood and hardship help")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Adults and juveniles")
        ADULTS = "adults", _("Adults")
        JUVENILES = "juveniles", _("Juveniles")
        FAMILIES = "families", _("Families")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="help_services",
                                     verbose_name=_("provider"))
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    audience = models.CharField(_("who it serves"), max_length=20, choices=Audience.choices,
                                default=Audience.EVERYONE)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(_("area served"), max_length=100,
                            help_text=_("Towns or districts the service covers."))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=10,
        help_text=_("How many referrals the provider can work on at a time."))
    contact = models.CharField(_("contact"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("help service")
        verbose_name_plural = _("help services")
        ordering = ["organisation__name", "name", "pk"]

    def __str__(self):
        return f"{self.organisation.name} · {self.name}"

    def serves(self, supervisee) -> bool:
        if self.audience == self.Audience.ADULTS:
            return not supervisee.is_juvenile
        if self.audience == self.Audience.JUVENILES:
            return supervisee.is_juvenile
        return True


# --- Referrals -------------------------------------------------------------------------------

class ReferralStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", _("Waiting for the person's consent")
    CONSENT_DECLINED = "consent_declined", _("The person did not consent")
    PENDING = "pending", _("Waiting for the provider")
    ACCEPTED = "accepted", _("Accepted by the provider")
    IN_PROGRESS = "in_progress", _("Sessions under way")
    CLOSED = "closed", _("Closed with an outcome")
    DECLINED = "declined", _("Declined by the provider")
    WITHDRAWN = "withdrawn", _("Withdrawn by the caseworker")


FINAL_REFERRAL_STATUSES = (ReferralStatus.CLOSED, ReferralStatus.DECLINED,
                           ReferralStatus.WITHDRAWN, ReferralStatus.CONSENT_DECLINED)
# What the provider may see at all: a referral the person consented to.
SHARED_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED,
                            ReferralStatus.IN_PROGRESS, ReferralStatus.CLOSED,
                            ReferralStatus.DECLINED)


# What a provider reads never says or hints that a person is under correction
# (docs/domain.md rule 3; the words are portal.neutral's).
NEUTRAL_SUMMARY = _("The referring caseworker will explain what help is needed when you "
                    "get in touch.")



class ReferralQuerySet(models.QuerySet):
    def open(self):
        """Referrals still running: not closed, declined, withdrawn or refused consent."""
        return self.exclude(status__in=FINAL_REFERRAL_STATUSES)

    def overdue(self, now: datetime.datetime | None = None, days: int | None = None):
        """Consented referrals the provider has not answered within the set number of
        days (HelpNetworkSettings.overdue_after_days)."""
        now = now or timezone.now()
        days = overdue_after_days() if days is None else days
        return self.filter(status=ReferralStatus.PENDING,
                           consent_at__lt=now - datetime.timedelta(days=days))


class Referral(models.Model):
    Status = ReferralStatus

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", _("Goals achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        DROPPED_OUT = "dropped_out", _("The person stopped coming")

    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="referrals", verbose_name=_("person"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("service"))
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices,
                              default=ReferralStatus.AWAITING_CONSENT, db_index=True)
    reason = models.TextField(_("reason for the referral (staff only)"))
    # What the provider reads; the reason above stays with corrections staff. Empty for
    # referrals made before the summary existed: the provider then sees a neutral line.
    provider_summary = models.CharField(_("summary for the provider"), max_length=300,
                                        blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("referred by"))
    created_at = models.DateTimeField(_("referred at"), default=timezone.now)
    # The person's decision; the provider sees nothing before it is granted.
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("consent recorded by"))
    # Set when the person consents; portal.access follows this, never service__organisation.
    shared_with = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="shared_referrals",
                                    verbose_name=_("shared with"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    response_note = models.CharField(_("provider's answer"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               blank=True)
    outcome_report = models.TextField(_("outcome report"), blank=True)
    sessions_held = models.PositiveSmallIntegerField(_("sessions held"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReferralQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["supervisee", "status"]),
            models.Index(fields=["shared_with", "status"]),
            models.Index(fields=["status", "consent_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(shared_with__isnull=True) | Q(consent_at__isnull=False),
                name="referral_shared_only_after_consent"),
        ]

    def __str__(self):
        return f"{self.service} ← #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_REFERRAL_STATUSES

    @property
    def summary_for_provider(self) -> str:
        """What the provider (and the person, who agrees to sharing it) reads: the
        summary, or a neutral line, never the staff reason."""
        return self.provider_summary or str(NEUTRAL_SUMMARY)

    @property
    def consented(self) -> bool:
        return self.shared_with_id is not None

    def is_overdue(self, now=None, days=None) -> bool:
        if self.status != ReferralStatus.PENDING or self.consent_at is None:
            return False
        now = now or timezone.now()
        days = overdue_after_days() if days is None else days
        return self.consent_at < now - datetime.timedelta(days=days)


class ReferralEvent(models.Model):
    """History of a referral: each status change and each session the provider logs,
    with who and when. Never edited."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        SESSION = "session", _("Session held")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.STATUS)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.referral_id} {self.kind} {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A referral's history is never edited.")
        super().save(*args, **kwargs)

    @property
    def to_label(self) -> str:
        return ReferralStatus(self.to_status).label if self.to_status else ""


# --- Counselling appointments --------------------------------------------------------------

class CounsellingSlot(models.Model):
    """A time a counselling provider offers; at most one live appointment books it."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        ONLINE = "online", _("Online video")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="counselling_slots",
                                     verbose_name=_("provider"))
    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("counsellor"))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices,
                            default=Mode.IN_PERSON)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_cancelled = models.BooleanField(_("withdrawn"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("counselling slot")
        verbose_name_plural = _("counselling slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.organisation.name} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_APPOINTMENT_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED,
                             AppointmentStatus.MISSED)


class Appointment(models.Model):
    Status = AppointmentStatus

    slot = models.ForeignKey(CounsellingSlot, on_delete=models.PROTECT,
                             related_name="appointments", verbose_name=_("slot"))
    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="appointments", verbose_name=_("person"))
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="appointments", verbose_name=_("referral"))
    status = models.CharField(_("status"), max_length=20, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED, db_index=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("booked by"))
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attendance_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("attendance recorded by"))
    attendance_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    # What the counsellor chooses to tell the caseworker; the notes stay with the provider.
    shared_summary = models.CharField(_("summary shared with the caseworker"), max_length=500,
                                      blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("counselling appointment")
        verbose_name_plural = _("counselling appointments")
        ordering = ["-slot__starts_at", "-pk"]
        constraints = [
            # The database's own guarantee against double booking, whatever the code does.
            models.UniqueConstraint(fields=["slot"],
                                    condition=Q(status__in=["booked", "attended", "missed"]),
                                    name="appointment_one_live_per_slot"),
        ]
        indexes = [models.Index(fields=["supervisee", "status"])]

    def __str__(self):
        return f"{self.slot} #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_APPOINTMENT_STATUSES


class SessionNote(models.Model):
    """The counsellor's confidential note of a session (PIPL Art. 28: health and
    counselling). Read only by the staff of the provider that held the session."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT,
                                    related_name="notes", verbose_name=_("appointment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.appointment_id} {self.created_at:%Y-%m-%d}"


# --- Education-help fund ---------------------------------------------------------------------

class FundStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class FundApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=FundStatus.SUBMITTED)


class FundApplication(models.Model):
    """An application to the education-help fund for the person or a family member;
    decided by an administrator of the person's unit."""

    Status = FundStatus

    class Beneficiary(models.TextChoices):
        SELF = "self", _("The person")
        CHILD = "child", _("The person's child")
        OTHER = "other", _("Another family member")

    supervisee = models.ForeignKey("people.Supervisee", on_delete=models.PROTECT,
                                   related_name="fund_applications", verbose_name=_("person"))
    beneficiary = models.CharField(_("for whom"), max_length=10, choices=Beneficiary.choices,
                                   default=Beneficiary.SELF)
    beneficiary_name = models.CharField(_("beneficiary's name"), max_length=50, blank=True)
    need = models.TextField(_("need"))
    amount = models.DecimalField(_("amount requested (yuan)"), max_digits=9, decimal_places=2,
                                 validators=[MinValueValidator(1)])
    # The juvenile schooling line: a school-age beneficiary's school and grade.
    is_schooling = models.BooleanField(_("for a juvenile's schooling"), default=False)
    school = models.CharField(_("school"), max_length=100, blank=True)
    grade = models.CharField(_("grade"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=FundStatus.choices,
                              default=FundStatus.SUBMITTED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("submitted by"))
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    amount_approved = models.DecimalField(_("amount approved (yuan)"), max_digits=9,
                                          decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("payment recorded by"))
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    follow_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)

    objects = FundApplicationQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("education-help fund application")
        verbose_name_plural = _("education-help fund applications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["supervisee", "status"])]

    def __str__(self):
        return f"#{self.pk} {self.amount}"


class PrivateStorage(FileSystemStorage):
    """Files never served by the web server: settings.PRIVATE_MEDIA_ROOT, outside
    MEDIA_ROOT, read only through an access-checked view."""

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location, **kwargs)
        self.fixed_location = location

    # Plain properties, not cached: tests point PRIVATE_MEDIA_ROOT at a temporary folder.
    @property
    def base_location(self):
        return self.fixed_location or getattr(settings, "PRIVATE_MEDIA_ROOT",
                                              settings.BASE_DIR / "private_media")

    @property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def _document_path(instance, filename):
    return f"helpnet/fund/{instance.application_id}/{filename}"


class FundDocument(models.Model):
    application = models.ForeignKey(FundApplication, on_delete=models.PROTECT,
                                    related_name="documents", verbose_name=_("application"))
    file = models.FileField(_("file"), upload_to=_document_path, storage=PrivateStorage(),
                            max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("fund document")
        verbose_name_plural = _("fund documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
