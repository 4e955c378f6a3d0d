"""Writes for service and volunteering. Every function validates before it saves and runs in
one transaction; a refusal raises ServiceError (a stable code, a translated message and
the HTTP status the API answers with) and changes nothing.

Places are never over-booked: every change to an activity's sign-ups first locks the
activity's row (select_for_update; on SQLite the IMMEDIATE transaction mode serialises
writers), then counts and writes.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.services import access_log_record
from portal.errors import ServiceError
from portal.notifications.services import notify
from portal.people.models import Consent, Supervisee
from portal.people.selectors import current_consents

from . import selectors
from .models import (
    MAX_HOURS_PER_ENTRY,
    Activity,
    Certificate,
    CertificateLine,
    CertificateRevocation,
    ExportedHours,
    HoursConfirmation,
    HoursCorrectionRequest,
    HoursEntry,
    ServiceKind,
    Signup,
    VolunteerExport,
    VolunteerProfile,
)

CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=2)
CHECKIN_CLOSES_AFTER = datetime.timedelta(hours=12)
# A person checks themselves in from the poster code only around the activity's own times.
SELF_CHECKIN_OPENS_BEFORE = datetime.timedelta(minutes=30)
SELF_CHECKIN_CLOSES_AFTER = datetime.timedelta(hours=1)
POSTER_SALT = "volunteering.poster"
HALF_HOUR = Decimal("0.5")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand



def _locked(activity_id) -> Activity:
    try:
        return Activity.objects.select_for_update().get(pk=activity_id)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise ServiceError("not_found", _("That activity was not found."), 404) from None


def _require_manager(actor, activity: Activity) -> None:
    if not selectors.can_manage_activity(actor, activity):
        raise ServiceError("not_allowed", _("Only the activity's organisers can do that."), 403)


def _parse_hours(value, *, allow_zero: bool) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ServiceError("invalid_hours", _("Hours must be a number."), 422) from None
    low = Decimal("0") if allow_zero else Decimal("0.01")
    if hours < low or hours > MAX_HOURS_PER_ENTRY:
        raise ServiceError(
            "invalid_hours",
            _("Hours must be between %(low)s and %(high)s.") % {
                "low": 0, "high": MAX_HOURS_PER_ENTRY},
            422)
    return hours


def _activity_url(activity: Activity) -> str:
    return reverse("volunteering:activity", kwargs={"pk": activity.pk})


# --- Activities ----------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title", "theme", "kind", "description", "place", "district", "starts_at", "ends_at",
    "capacity", "waitlist_limit", "signup_deadline", "hours", "suitable_for_juveniles",
    "venue_type", "recording_organisation",
)


def _check_recorder(activity: Activity) -> None:
    """Volunteer service is recorded, and certified, by a volunteer-service organisation,
    never a corrections body (docs/domain.md rule 2): a unit's volunteer service names
    the partner that records it; what a unit organises alone is public-welfare work."""
    if activity.organisation_id is not None or activity.kind != ServiceKind.VOLUNTEER_SERVICE:
        activity.recording_organisation = None  # the organiser records its own hours
        return
    recorder = activity.recording_organisation
    if recorder is None:
        raise ServiceError("recording_partner_required", _(
            "Volunteer service organised by a unit must name the volunteer-service "
            "organisation that records and certifies the hours; otherwise make it a "
            "public-welfare activity."), 422)
    if recorder.kind not in selectors.ORGANISER_KINDS or not recorder.is_active:
        raise ServiceError("invalid_recording_partner", _(
            "The recording organisation must be an active volunteer team or NGO partner."),
            422)


def _check_organiser(actor, *, organisation, unit, kind, suitable_for_juveniles) -> None:
    organisations, units = selectors.organiser_bodies(actor)
    if organisation is not None and unit is not None:
        raise ServiceError("invalid", _("Choose one organiser."), 422)
    if organisation is None and unit is None:
        raise ServiceError("invalid", _("Choose who organises the activity."), 422)
    if organisation is not None and organisation.pk not in {o.pk for o in organisations}:
        raise ServiceError("not_allowed",
                           _("You cannot post activities for this organisation."), 403)
    if unit is not None and unit.pk not in {u.pk for u in units}:
        raise ServiceError("not_allowed", _("You cannot post activities for this unit."), 403)
    if organisation is not None and kind == ServiceKind.PUBLIC_WELFARE:
        # Public-welfare activity is the corrections body's own (Art. 42); its participants
        # are all under correction, which a partner must not learn.
        raise ServiceError("invalid", _(
            "Public-welfare activities are organised by a corrections unit; partners post "
            "volunteer service."), 422)
    if organisation is not None and suitable_for_juveniles:
        # Juveniles are handled apart (Art. 52) and never identified to partners (Art. 54).
        raise ServiceError("invalid", _(
            "Only a corrections unit can run an activity for juveniles."), 422)


def _check_times(*, starts_at, ends_at, signup_deadline, now) -> None:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The activity must end after it starts.")
    if signup_deadline > starts_at:
        errors["signup_deadline"] = _("The sign-up deadline must be before the start.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_save(*, actor, activity: Activity | None = None, organisation=None, unit=None,
                  skills=None, now=None, **fields) -> Activity:
    """Create (as a draft) or edit an activity. Editing is allowed while it is a draft or
    published; places cannot drop below those already confirmed, and added places go to
    the waiting list at once."""
    now = now or timezone.now()
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    if activity is None:
        activity = Activity(created_by=actor)
        creating = True
    else:
        activity = _locked(activity.pk)
        _require_manager(actor, activity)
        if activity.status not in (Activity.Status.DRAFT, Activity.Status.PUBLISHED):
            raise ServiceError("closed", _("A completed or cancelled activity cannot be edited."))
        creating = False
    watched = ("starts_at", "ends_at", "place", "district")
    before = {name: getattr(activity, name + "_id" if name == "district" else name, None)
              for name in watched}
    for name, value in fields.items():
        setattr(activity, name, value)
    if not creating and any(
            before[n] != getattr(activity, n + "_id" if n == "district" else n) for n in watched):
        activity.sequence += 1
    if creating or organisation is not None or unit is not None:
        activity.organisation, activity.unit = organisation, unit
    _check_organiser(actor, organisation=activity.organisation, unit=activity.unit,
                     kind=activity.kind, suitable_for_juveniles=activity.suitable_for_juveniles)
    _check_recorder(activity)
    _check_times(starts_at=activity.starts_at, ends_at=activity.ends_at,
                 signup_deadline=activity.signup_deadline, now=now)
    if creating and activity.starts_at <= now:
        raise ValidationError({"starts_at": _("The activity must start in the future.")})
    if activity.capacity is not None and activity.capacity < activity.places_taken:
        raise ValidationError({"capacity": _(
            "%(n)s people already have a place; cancel their sign-ups before lowering the "
            "number of places.") % {"n": activity.places_taken}})
    activity.full_clean()
    activity.save()
    if skills is not None:
        activity.skills.set(skills)
    if not creating:
        _promote(activity, now=now)
    return activity


@transaction.atomic
def activity_publish(*, actor, activity: Activity, now=None) -> Activity:
    now = now or timezone.now()
    activity = _locked(activity.pk)
    _require_manager(actor, activity)
    if activity.status != Activity.Status.DRAFT:
        raise ServiceError("not_draft", _("Only a draft can be published."))
    if activity.signup_deadline < now:
        raise ServiceError("deadline_passed",
                           _("The sign-up deadline has passed; change it before publishing."))
    activity.status = Activity.Status.PUBLISHED
    activity.published_at = now
    activity.save(update_fields=["status", "published_at", "updated_at"])
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, reason: str, now=None) -> Activity:
    """Cancel the activity and tell everyone with a place or on the waiting list."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    activity = _locked(activity.pk)
    _require_manager(actor, activity)
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.PUBLISHED):
        raise ServiceError("closed", _("This activity is already completed or cancelled."))
    if not reason:
        raise ServiceError("reason_required", _("Say why the activity is cancelled."), 422)
    activity.status = Activity.Status.CANCELLED
    activity.cancel_reason = reason[:300]
    activity.closed_at = now
    activity.sequence += 1
    activity.save(update_fields=["status", "cancel_reason", "closed_at", "sequence",
                                 "updated_at"])
    for signup in activity.signups.filter(status__in=Signup.ACTIVE).select_related(
            "supervisee__user"):
        notify(
            recipient=signup.supervisee.user, kind="activity_cancelled",
            title=_("Cancelled: %(title)s") % {"title": activity.title},
            body=_("The activity on %(date)s has been cancelled. Reason: %(reason)s") % {
                "date": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                "reason": activity.cancel_reason},
            url=_activity_url(activity),
        )
    return activity


@transaction.atomic
def activity_complete(*, actor, activity: Activity, now=None) -> Activity:
    """Close the activity after it has started: participants still checked in are checked
    out at the end time, confirmed participants who never checked in are no-shows."""
    now = now or timezone.now()
    activity = _locked(activity.pk)
    _require_manager(actor, activity)
    if activity.status != Activity.Status.PUBLISHED:
        raise ServiceError("not_published", _("Only a published activity can be completed."))
    if activity.starts_at > now:
        raise ServiceError("not_started", _("The activity has not started yet."))
    for signup in activity.signups.filter(status=Signup.Status.CONFIRMED):
        signup.activity = activity
        if signup.checked_in_at is None:
            if signup.attendance != Signup.Attendance.ATTENDED:
                signup.attendance = Signup.Attendance.NO_SHOW
                signup.attendance_recorded_by = actor
                signup.save(update_fields=["attendance", "attendance_recorded_by"])
        elif signup.checked_out_at is None and not signup.self_checkin_waiting:
            # (A self check-in nobody confirmed stays waiting: no hours without a look.)
            out = max(min(activity.ends_at, now), signup.checked_in_at)
            _checkout(signup, at=out, actor=actor,
                      reason=_("Checked out automatically when the activity was completed"))
    activity.status = Activity.Status.COMPLETED
    activity.closed_at = now
    activity.save(update_fields=["status", "closed_at", "updated_at"])
    return activity


# --- Sign-ups ------------------------------------------------------------------------------

@dataclass
class SignupResult:
    signup: Signup
    position: int | None  # place in the waiting list, None when confirmed

    @property
    def status(self) -> str:
        return self.signup.status


def signup_create(*, supervisee: Supervisee, activity_id, now=None) -> SignupResult:
    try:
        with transaction.atomic():
            return _signup_create(supervisee=supervisee, activity_id=activity_id, now=now)
    except IntegrityError:
        # Two requests of the same person raced past the check: the unique constraint holds.
        raise ServiceError("already_signed_up",
                           _("You are already signed up for this activity.")) from None


def _signup_create(*, supervisee, activity_id, now) -> SignupResult:
    now = now or timezone.now()
    activity = _locked(activity_id)
    if not Activity.objects.filter(pk=activity.pk).filter(
            selectors.offer_q(supervisee, timezone.localdate(now))).exists():
        # Not offered to this person (prohibition order, adults only…): the same answer as
        # for an activity that does not exist.
        raise ServiceError("not_found", _("That activity was not found."), 404)
    if activity.status == Activity.Status.DRAFT:
        raise ServiceError("not_found", _("That activity was not found."), 404)
    if activity.status != Activity.Status.PUBLISHED:
        raise ServiceError("closed", _("This activity is no longer open for sign-up."))
    if now > activity.signup_deadline:
        raise ServiceError("deadline_passed", _("The sign-up deadline has passed."))
    if Signup.objects.filter(activity=activity, supervisee=supervisee,
                             status__in=Signup.ACTIVE).exists():
        raise ServiceError("already_signed_up", _("You are already signed up for this activity."))
    clash = Signup.objects.filter(
        supervisee=supervisee, status=Signup.Status.CONFIRMED,
        activity__status=Activity.Status.PUBLISHED,
        activity__starts_at__lt=activity.ends_at, activity__ends_at__gt=activity.starts_at,
    ).select_related("activity").first()
    if clash is not None:
        raise ServiceError("time_clash", _(
            "You already have a place on “%(title)s” at the same time.") % {
            "title": clash.activity.title})
    if activity.places_taken < activity.capacity:
        signup = Signup.objects.create(activity=activity, supervisee=supervisee,
                                       status=Signup.Status.CONFIRMED, created_at=now,
                                       confirmed_at=now)
        activity.places_taken += 1
        activity.save(update_fields=["places_taken"])
        return SignupResult(signup, None)
    waiting = activity.signups.filter(status=Signup.Status.WAITLISTED).count()
    if waiting >= activity.waitlist_limit:
        raise ServiceError("full", _("This activity is full and its waiting list too."))
    signup = Signup.objects.create(activity=activity, supervisee=supervisee,
                                   status=Signup.Status.WAITLISTED, created_at=now)
    return SignupResult(signup, waiting + 1)


@transaction.atomic
def signup_cancel(*, supervisee: Supervisee, activity_id, now=None) -> Signup:
    """The person gives up their place (up to the cut-off) or leaves the waiting list;
    a freed place goes to the first person waiting."""
    now = now or timezone.now()
    activity = _locked(activity_id)
    signup = Signup.objects.filter(activity=activity, supervisee=supervisee,
                                   status__in=Signup.ACTIVE).first()
    if signup is None:
        raise ServiceError("not_signed_up", _("You are not signed up for this activity."))
    if activity.status != Activity.Status.PUBLISHED or now >= activity.starts_at:
        raise ServiceError("closed", _("This activity has started or is closed; "
                                       "nothing can be cancelled any more."))
    if signup.status == Signup.Status.CONFIRMED:
        cutoff = activity.cancellation_deadline(
            selectors.service_settings().cancellation_cutoff_hours)
        if now > cutoff:
            raise ServiceError("cancellation_closed", _(
                "Places can be cancelled until %(when)s; please tell the organiser instead.")
                % {"when": timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")})
        activity.places_taken -= 1
        activity.save(update_fields=["places_taken"])
    signup.status = Signup.Status.CANCELLED
    signup.cancelled_at = now
    signup.save(update_fields=["status", "cancelled_at"])
    _promote(activity, now=now)
    return signup


def _promote(activity: Activity, *, now) -> list[Signup]:
    """Give free places to the people waiting, first come first served, and tell them.
    The caller holds the activity's row lock."""
    promoted = []
    if activity.status != Activity.Status.PUBLISHED or now >= activity.starts_at:
        return promoted
    free = activity.capacity - activity.places_taken
    if free <= 0:
        return promoted
    queue = list(
        activity.signups.filter(status=Signup.Status.WAITLISTED)
        .select_related("supervisee__user").order_by("created_at", "pk")[:free]
    )
    for signup in queue:
        signup.status = Signup.Status.CONFIRMED
        signup.confirmed_at = now
        signup.save(update_fields=["status", "confirmed_at"])
        promoted.append(signup)
        notify(
            recipient=signup.supervisee.user, kind="waitlist_promoted",
            title=_("You have a place: %(title)s") % {"title": activity.title},
            body=_("A place became free and it is yours. The activity starts at %(when)s.")
            % {"when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")},
            url=_activity_url(activity),
        )
    if promoted:
        activity.places_taken += len(promoted)
        activity.save(update_fields=["places_taken"])
    return promoted


# --- Attendance ----------------------------------------------------------------------------

def person_from_payload(payload: str) -> Supervisee:
    """The person whose check-in QR code was scanned (portal.checkin signs it); a forged,
    altered or expired code is refused."""
    from portal.checkin.services import checkin_verify

    try:
        user = checkin_verify(payload)
    except ServiceError as error:
        raise ServiceError("invalid_qr", error.message, 400) from None
    supervisee = Supervisee.objects.filter(user=user).first()
    if supervisee is None:
        raise ServiceError("not_signed_up",
                           _("This person does not have a place on this activity."))
    return supervisee


def _signup_for_attendance(activity: Activity, *, signup=None, supervisee=None) -> Signup:
    if signup is None:
        signup = Signup.objects.filter(activity=activity, supervisee=supervisee,
                                       status=Signup.Status.CONFIRMED).first()
    elif signup.activity_id != activity.pk:
        signup = None
    if signup is None or signup.status != Signup.Status.CONFIRMED:
        raise ServiceError("not_signed_up",
                           _("This person does not have a place on this activity."))
    signup.activity = activity
    return signup


def _check_window(activity: Activity, at) -> None:
    if activity.status != Activity.Status.PUBLISHED:
        raise ServiceError("closed", _("Attendance is taken while the activity is published."))
    if at < activity.starts_at - CHECKIN_OPENS_BEFORE:
        raise ServiceError("too_early", _("Check-in opens two hours before the start."))
    if at > activity.ends_at + CHECKIN_CLOSES_AFTER:
        raise ServiceError("too_late", _(
            "Check-in has closed; record the attendance times on the list instead."))


@transaction.atomic
def checkin(*, actor, activity: Activity, signup: Signup | None = None,
            payload: str | None = None, at=None) -> Signup:
    at = at or timezone.now()
    activity = _locked(activity.pk)
    _require_manager(actor, activity)
    supervisee = person_from_payload(payload) if payload is not None else None
    signup = _signup_for_attendance(activity, signup=signup, supervisee=supervisee)
    _check_window(activity, at)
    if signup.checked_in_at is not None:
        raise ServiceError("already_checked_in", _("Already checked in at %(when)s.") % {
            "when": timezone.localtime(signup.checked_in_at).strftime("%H:%M")})
    signup.checked_in_at = at
    signup.attendance = Signup.Attendance.ATTENDED
    signup.attendance_recorded_by = actor
    signup.save(update_fields=["checked_in_at", "attendance", "attendance_recorded_by"])
    return signup


@transaction.atomic
def checkout(*, actor, activity: Activity, signup: Signup | None = None,
             payload: str | None = None, at=None) -> tuple[Signup, HoursEntry | None]:
    at = at or timezone.now()
    activity = _locked(activity.pk)
    _require_manager(actor, activity)
    supervisee = person_from_payload(payload) if payload is not None else None
    signup = _signup_for_attendance(activity, signup=signup, supervisee=supervisee)
    _check_window(activity, at)
    if signup.checked_in_at is None:
        raise ServiceError("not_checked_in", _("This person has not checked in."))
    if signup.checked_out_at is not None:
        raise ServiceError("already_checked_out", _("Already checked out at %(when)s.") % {
            "when": timezone.localtime(signup.checked_out_at).strftime("%H:%M")})
    confirming = signup.self_checkin_waiting
    entry = _checkout(signup, at=at, actor=actor, reason=_("Check-in and check-out times"))
    if confirming:
        # The organiser sees the person leave: that confirms their own check-in.
        _mark_confirmed(signup, actor=actor, now=at)
    return signup, entry


def attendance_scan(*, actor, activity: Activity, payload: str, at=None
                    ) -> tuple[str, Signup, HoursEntry | None]:
    """One scan does the next step: check in a person who has not, check out one who has.
    Answers ("in" or "out", the sign-up, the ledger entry written at check-out)."""
    _require_manager(actor, activity)
    supervisee = person_from_payload(payload)
    signup = Signup.objects.filter(activity=activity, supervisee=supervisee,
                                   status=Signup.Status.CONFIRMED).first()
    if signup is None or signup.checked_in_at is None:
        return "in", checkin(actor=actor, activity=activity, payload=payload, at=at), None
    if signup.checked_out_at is not None and signup.self_checkin_waiting:
        signup, entry = self_checkin_confirm(actor=actor, signup=signup, now=at)
        return "confirmed", signup, entry
    signup, entry = checkout(actor=actor, activity=activity, payload=payload, at=at)
    return "out", signup, entry


def hours_between(start, end) -> Decimal:
    """Time served, in whole half-hours (30 minutes → 0.5)."""
    seconds = Decimal((end - start).total_seconds())
    return ((seconds / 1800).to_integral_value(rounding=ROUND_FLOOR) * HALF_HOUR)


def _checkout(signup: Signup, *, at, actor, reason: str) -> HoursEntry | None:
    if at < signup.checked_in_at:
        raise ServiceError("invalid_times", _("Check-out cannot be before check-in."), 422)
    hours = hours_between(signup.checked_in_at, at)
    if hours > MAX_HOURS_PER_ENTRY:
        raise ServiceError("invalid_hours", _(
            "More than 24 hours between check-in and check-out; record the times by hand."),
            422)
    signup.checked_out_at = at
    signup.attendance = Signup.Attendance.ATTENDED
    signup.attendance_recorded_by = actor
    signup.save(update_fields=["checked_out_at", "attendance", "attendance_recorded_by"])
    if hours <= 0:
        return None
    return _ledger_add(signup=signup, hours=hours, reason=reason, recorded_by=actor)


@transaction.atomic
def attendance_record(*, actor, signup: Signup, checked_in_at, checked_out_at,
                      now=None) -> tuple[Signup, HoursEntry | None]:
    """Times from a paper list, entered after the fact (the check-in was not scanned)."""
    now = now or timezone.now()
    activity = _locked(signup.activity_id)
    _require_manager(actor, activity)
    signup = _signup_for_attendance(activity, signup=Signup.objects.get(pk=signup.pk))
    if activity.status not in (Activity.Status.PUBLISHED, Activity.Status.COMPLETED):
        raise ServiceError("closed", _("This activity was cancelled."))
    if signup.checked_in_at is not None:
        raise ServiceError("already_checked_in", _(
            "Times are already recorded; adjust the hours with a reason instead."))
    if checked_out_at <= checked_in_at:
        raise ServiceError("invalid_times", _("Check-out must be after check-in."), 422)
    if checked_out_at > now + datetime.timedelta(minutes=5):
        raise ServiceError("invalid_times", _("Times cannot be in the future."), 422)
    if (checked_in_at < activity.starts_at - CHECKIN_OPENS_BEFORE
            or checked_out_at > activity.ends_at + CHECKIN_CLOSES_AFTER):
        raise ServiceError("invalid_times", _("The times must lie around the activity's own."),
                           422)
    if hours_between(checked_in_at, checked_out_at) > MAX_HOURS_PER_ENTRY:
        raise ServiceError("invalid_times", _("More than 24 hours between the times."), 422)
    signup.checked_in_at = checked_in_at
    signup.save(update_fields=["checked_in_at"])
    entry = _checkout(signup, at=checked_out_at, actor=actor,
                      reason=_("Attendance times recorded by the organiser"))
    return signup, entry


@transaction.atomic
def noshow_record(*, actor, signup: Signup, now=None) -> Signup:
    now = now or timezone.now()
    activity = _locked(signup.activity_id)
    _require_manager(actor, activity)
    signup = _signup_for_attendance(activity, signup=Signup.objects.get(pk=signup.pk))
    if now < activity.starts_at:
        raise ServiceError("not_started", _("The activity has not started yet."))
    if signup.checked_in_at is not None or _credited(signup) > 0:
        raise ServiceError("attended", _(
            "This person checked in; adjust their hours with a reason instead."))
    signup.attendance = Signup.Attendance.NO_SHOW
    signup.attendance_recorded_by = actor
    signup.save(update_fields=["attendance", "attendance_recorded_by"])
    return signup


# --- Self check-in from the activity's poster code ---------------------------------------

def poster_token(activity: Activity) -> str:
    """The signed token in the activity's poster code (it names the activity, nothing
    else); the code cannot be made up for another activity."""
    return signing.Signer(salt=POSTER_SALT).sign(str(activity.pk))


def activity_from_poster(token: str) -> Activity:
    try:
        pk = int(signing.Signer(salt=POSTER_SALT).unsign((token or "").strip()[:100]))
        return Activity.objects.get(pk=pk)
    except (signing.BadSignature, ValueError, TypeError, Activity.DoesNotExist):
        raise ServiceError("invalid_poster", _(
            "This is not the check-in code of an activity."), 404) from None


def self_checkin_window(activity: Activity) -> tuple[datetime.datetime, datetime.datetime]:
    return (activity.starts_at - SELF_CHECKIN_OPENS_BEFORE,
            activity.ends_at + SELF_CHECKIN_CLOSES_AFTER)


@transaction.atomic
def self_checkin(*, supervisee: Supervisee, activity: Activity, at=None
                 ) -> tuple[str, Signup]:
    """The person scanned the poster: the first scan records their arrival, the next their
    leaving. Answers ("in" or "out", the sign-up). No hours until an organiser confirms."""
    at = at or timezone.now()
    activity = _locked(activity.pk)
    signup = Signup.objects.filter(activity=activity, supervisee=supervisee,
                                   status=Signup.Status.CONFIRMED).first()
    if signup is None:
        raise ServiceError("not_signed_up", _(
            "You do not have a place on this activity, so you cannot check in to it."))
    signup.activity = activity
    if activity.status != Activity.Status.PUBLISHED:
        raise ServiceError("closed", _("This activity is not taking attendance."))
    opens, closes = self_checkin_window(activity)
    if at < opens:
        raise ServiceError("too_early", _("Check-in opens at %(when)s.") % {
            "when": timezone.localtime(opens).strftime("%m-%d %H:%M")})
    if at > closes:
        raise ServiceError("too_late", _(
            "Check-in closed at %(when)s; ask the organiser to record your times.") % {
            "when": timezone.localtime(closes).strftime("%m-%d %H:%M")})
    if signup.checked_in_at is None:
        signup.checked_in_at = at
        step = "in"
    elif signup.checked_out_at is None:
        if at < signup.checked_in_at:
            raise ServiceError("invalid_times", _("Check-out cannot be before check-in."), 422)
        signup.checked_out_at = at
        step = "out"
    else:
        raise ServiceError("already_checked_out", _("You left at %(when)s.") % {
            "when": timezone.localtime(signup.checked_out_at).strftime("%H:%M")})
    signup.self_checkin = True
    signup.self_checkin_confirmed_at = None
    signup.self_checkin_confirmed_by = None
    signup.save(update_fields=["checked_in_at", "checked_out_at", "self_checkin",
                               "self_checkin_confirmed_at", "self_checkin_confirmed_by"])
    return step, signup


def _mark_confirmed(signup: Signup, *, actor, now) -> None:
    signup.self_checkin_confirmed_at = now
    signup.self_checkin_confirmed_by = actor
    signup.save(update_fields=["self_checkin_confirmed_at", "self_checkin_confirmed_by"])


@transaction.atomic
def self_checkin_confirm(*, actor, signup: Signup, now=None
                         ) -> tuple[Signup, HoursEntry | None]:
    """The organiser confirms a person's own times and the hours are credited in the
    ledger. A person still checked in is checked out now (or at the end, once over)."""
    now = now or timezone.now()
    activity = _locked(signup.activity_id)
    _require_manager(actor, activity)
    signup = _signup_for_attendance(activity, signup=Signup.objects.get(pk=signup.pk))
    if activity.status not in (Activity.Status.PUBLISHED, Activity.Status.COMPLETED):
        raise ServiceError("closed", _("This activity was cancelled."))
    if not signup.self_checkin_waiting or signup.checked_in_at is None:
        raise ServiceError("nothing_to_confirm", _("There is no self check-in to confirm."))
    if signup.checked_out_at is None:
        out = max(min(activity.ends_at, now), signup.checked_in_at)
        entry = _checkout(signup, at=out, actor=actor,
                          reason=_("Own check-in and check-out times, confirmed"))
    else:
        hours = hours_between(signup.checked_in_at, signup.checked_out_at)
        if hours > MAX_HOURS_PER_ENTRY:
            raise ServiceError("invalid_hours", _(
                "More than 24 hours between check-in and check-out; record the times by "
                "hand."), 422)
        signup.attendance = Signup.Attendance.ATTENDED
        signup.attendance_recorded_by = actor
        signup.save(update_fields=["attendance", "attendance_recorded_by"])
        entry = None
        if hours > 0 and _credited(signup) == 0:
            entry = _ledger_add(signup=signup, hours=hours, recorded_by=actor,
                                reason=_("Own check-in and check-out times, confirmed"))
    _mark_confirmed(signup, actor=actor, now=now)
    return signup, entry


# --- The hours ledger ---------------------------------------------------------------------

def _ledger_add(*, signup: Signup, hours: Decimal, reason: str, recorded_by,
                reverses: HoursEntry | None = None) -> HoursEntry:
    activity = signup.activity
    entry = HoursEntry(
        supervisee_id=signup.supervisee_id, activity=activity, signup=signup,
        kind=activity.kind, hours=hours,
        service_date=timezone.localdate(activity.starts_at),
        organisation_id=activity.organisation_id, unit_id=activity.unit_id,
        recorded_by=recorded_by, reason=str(reason)[:300], reverses=reverses,
    )
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry.save()
    return entry


def _credited(signup: Signup) -> Decimal:
    return signup.hours_entries.aggregate(t=Sum("hours"))["t"] or Decimal("0")


@transaction.atomic
def hours_adjust(*, actor, signup: Signup, hours, reason: str) -> list[HoursEntry]:
    """Set the hours credited for a sign-up to `hours`: every live entry is reversed by a
    new negative entry and the corrected figure is a new entry. Nothing is edited."""
    activity = _locked(signup.activity_id)
    _require_manager(actor, activity)
    signup = _signup_for_attendance(activity, signup=Signup.objects.get(pk=signup.pk))
    if activity.status not in (Activity.Status.PUBLISHED, Activity.Status.COMPLETED):
        raise ServiceError("closed", _("This activity was cancelled."))
    if timezone.now() < activity.starts_at:
        raise ServiceError("not_started", _("The activity has not started yet."))
    hours = _parse_hours(hours, allow_zero=True)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say why the hours are changed."), 422)
    if hours == _credited(signup):
        raise ServiceError("unchanged", _("These are already the hours credited."))
    written = []
    live = signup.hours_entries.filter(reverses__isnull=True, reversed_by__isnull=True)
    for entry in live.order_by("pk"):
        written.append(_ledger_add(signup=signup, hours=-entry.hours, reverses=entry,
                                   reason=reason, recorded_by=actor))
    if hours > 0:
        written.append(_ledger_add(signup=signup, hours=hours, reason=reason,
                                   recorded_by=actor))
        if signup.attendance != Signup.Attendance.ATTENDED:
            signup.attendance = Signup.Attendance.ATTENDED
            signup.attendance_recorded_by = actor
            signup.save(update_fields=["attendance", "attendance_recorded_by"])
    return written


@transaction.atomic
def correction_request_create(*, supervisee: Supervisee, signup: Signup, hours,
                              reason: str) -> HoursCorrectionRequest:
    """The person reports that the hours credited for their sign-up are wrong."""
    if signup.supervisee_id != supervisee.pk:
        raise ServiceError("not_found", _("That sign-up was not found."), 404)
    activity = signup.activity
    if signup.status != Signup.Status.CONFIRMED or timezone.now() < activity.starts_at:
        raise ServiceError("not_attended", _(
            "Hours can be corrected only for an activity you had a place on and that has "
            "started."))
    if activity.status == Activity.Status.CANCELLED:
        raise ServiceError("closed", _("This activity was cancelled."))
    hours = _parse_hours(hours, allow_zero=True)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say what was wrong."), 422)
    if hours == _credited(signup):
        raise ServiceError("unchanged", _("These are already the hours credited."))
    if signup.correction_requests.filter(status=HoursCorrectionRequest.Status.PENDING).exists():
        raise ServiceError("already_pending", _(
            "You have already reported a correction for this activity; wait for the "
            "organiser's answer."))
    return HoursCorrectionRequest.objects.create(
        signup=signup, requested_by=supervisee.user, hours=hours, reason=reason[:300])


@transaction.atomic
def correction_decide(*, actor, request: HoursCorrectionRequest, approve: bool,
                      note: str = "") -> HoursCorrectionRequest:
    request = HoursCorrectionRequest.objects.select_for_update().select_related(
        "signup__activity", "signup__supervisee__user").get(pk=request.pk)
    _require_manager(actor, request.signup.activity)
    if request.status != HoursCorrectionRequest.Status.PENDING:
        raise ServiceError("decided", _("This request has already been decided."))
    note = (note or "").strip()
    if approve:
        reason = _("Correction reported by the participant: %(reason)s") % {
            "reason": request.reason}
        if request.hours != _credited(request.signup):
            hours_adjust(actor=actor, signup=request.signup, hours=request.hours,
                         reason=reason)
        request.status = HoursCorrectionRequest.Status.APPROVED
    else:
        if not note:
            raise ServiceError("reason_required", _("Say why the request is rejected."), 422)
        request.status = HoursCorrectionRequest.Status.REJECTED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note = note[:300]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    activity = request.signup.activity
    notify(
        recipient=request.signup.supervisee.user, kind="hours_correction_decided",
        title=(_("Hours corrected: %(title)s") if approve
               else _("Hours correction not accepted: %(title)s")) % {"title": activity.title},
        body=note, url=reverse("volunteering:me"),
    )
    return request


@transaction.atomic
def hours_confirm(*, actor, entry_ids) -> int:
    """A caseworker confirms ledger entries of people they may see; confirmed hours count
    toward the monthly targets. Entries already confirmed or not visible are skipped."""
    ids = [int(i) for i in entry_ids if str(i).isdigit()]
    entries = selectors.hours_to_confirm(actor).filter(pk__in=ids)
    now = timezone.now()
    made = [HoursConfirmation(entry=e, confirmed_by=actor, confirmed_at=now) for e in entries]
    HoursConfirmation.objects.bulk_create(made)
    return len(made)


# --- Certificates --------------------------------------------------------------------------

def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(16))


def _next_serial(year: int) -> str:
    prefix = f"XYV-{year}-"
    last = (Certificate.objects.filter(serial__startswith=prefix).order_by("-serial")
            .values_list("serial", flat=True).first())
    tail = last.rsplit("-", 1)[1] if last else ""
    return f"{prefix}{(int(tail) + 1 if tail.isdigit() else 1):06d}"


def _certificate_create(*, lines: list[dict], **fields) -> Certificate:
    """The record and its lines, never edited afterwards: the serial is worked out before
    the insert (two issued at once: the second tries the next number)."""
    year = timezone.localdate(fields["issued_at"]).year
    for attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    serial=_next_serial(year), code=_new_code(), **fields)
                CertificateLine.objects.bulk_create(
                    CertificateLine(certificate=certificate, **line) for line in lines)
                return certificate
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _record_figures(supervisee: Supervisee) -> tuple[list[dict], list[str]]:
    """The lines a record of the person's volunteer service would carry now (one per
    certifying organisation, docs/domain.md rule 2) and its service content."""
    rows = selectors.certifiable_hours(supervisee)
    lines = [{"organisation_id": r["organisation_id"], "organisation_name": r["issuer"][:150],
              "hours": r["total"], "period_start": r["period_start"],
              "period_end": r["period_end"]} for r in rows]
    themes = sorted({t for r in rows for t in r["themes"]})
    return lines, themes


def _same_lines(certificate: Certificate, lines: list[dict]) -> bool:
    have = sorted((c.organisation_id, c.hours, c.period_start, c.period_end)
                  for c in certificate.lines.all())
    want = sorted((x["organisation_id"], x["hours"], x["period_start"], x["period_end"])
                  for x in lines)
    return have == want


def _check_consent(supervisee: Supervisee) -> None:
    if not current_consents(supervisee).get(Consent.Kind.CERTIFICATE):
        raise ServiceError("no_consent", _(
            "A certificate is issued only with the person's consent (see “My record”)."),
            403)


@transaction.atomic
def certificate_issue(*, supervisee: Supervisee, issued_by, minimum: Decimal | None = None,
                      replaces: Certificate | None = None, reason: str = "",
                      now=None) -> Certificate:
    """The person's volunteer-service record (志愿服务记录证明): each volunteer-service
    organisation's certified hours and the total; `minimum` applies to the total. Only
    volunteer-service hours, only with the person's consent. A new record replaces the
    person's record in force (or `replaces`), which then answers with the new one."""
    now = now or timezone.now()
    supervisee = Supervisee.objects.select_for_update().get(pk=supervisee.pk)
    _check_consent(supervisee)
    lines, themes = _record_figures(supervisee)
    total = sum((x["hours"] for x in lines), Decimal("0"))
    if total <= 0:
        raise ServiceError("no_hours", _("There are no volunteer-service hours to certify."))
    if minimum is not None and total < minimum:
        raise ServiceError("too_few_hours", _(
            "A certificate needs at least %(n)s volunteer-service hours in all; you have "
            "%(have)s.") % {"n": minimum, "have": total.normalize()})
    current = replaces or selectors.certificate_in_force(supervisee)
    if current is not None and replaces is None and _same_lines(current, lines):
        raise ServiceError("already_issued", _(
            "A valid certificate already covers these hours."))
    profile = selectors.volunteer_profile(supervisee)
    content = "、".join(themes) or _("Volunteer service")
    certificate = _certificate_create(
        lines=lines, supervisee=supervisee, holder_name=supervisee.legal_name,
        volunteer_number=profile.volunteer_number if profile else "", hours=total,
        period_start=min(x["period_start"] for x in lines),
        period_end=max(x["period_end"] for x in lines),
        service_content=content[:500], issued_at=now, issued_by=issued_by,
        replaces=current, replace_reason=(reason or "")[:300])
    notify(recipient=supervisee.user, kind="certificate_issued",
           title=_("Your volunteer-service record is ready"),
           body=_("%(hours)s volunteer-service hours, certified by %(issuers)s.") % {
               "hours": total.normalize(),
               "issuers": "、".join(x["organisation_name"] for x in lines)},
           url=reverse("volunteering:me"))
    return certificate


def certificates_request(*, supervisee: Supervisee, now=None) -> Certificate:
    """The person asks for their record: one certificate across organisations, once the
    total reaches the county's minimum."""
    minimum = selectors.service_settings().certificate_min_hours
    return certificate_issue(supervisee=supervisee, issued_by=supervisee.user,
                             minimum=minimum, now=now)


def certificates_on_release(supervisee: Supervisee, *, issued_by) -> list[Certificate]:
    """At release, the person's record if they consented and have hours to certify.
    Nothing to certify or no consent is not an error here."""
    try:
        return [certificate_issue(supervisee=supervisee, issued_by=issued_by)]
    except ServiceError:
        return []


@transaction.atomic
def certificate_replace(*, actor, certificate: Certificate, reason: str,
                        now=None) -> Certificate:
    """A new record with the ledger's figures as they are now, naming the one it
    replaces (whose code then answers with the new one). Staff who may see the person
    or a certifying organisation's staff; the old record is never edited."""
    certificate = _certificate_locked(certificate)
    if not selectors.can_revoke_certificate(actor, certificate):
        raise ServiceError("not_allowed", _(
            "Only staff who may see the person or a certifying organisation can do that."),
            403)
    _check_open(certificate)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say why the certificate is replaced."), 422)
    return certificate_issue(supervisee=certificate.supervisee, issued_by=actor,
                             replaces=certificate, reason=reason, now=now)


def _certificate_locked(certificate: Certificate) -> Certificate:
    # The person's row is the lock every issue, replacement and revocation takes.
    Supervisee.objects.select_for_update().filter(pk=certificate.supervisee_id).first()
    return Certificate.objects.select_related("supervisee", "revocation", "replaced_by").get(
        pk=certificate.pk)


def _check_open(certificate: Certificate) -> None:
    if certificate.is_revoked:
        raise ServiceError("already_revoked", _("This certificate is already revoked."))
    if certificate.is_replaced:
        raise ServiceError("already_replaced", _(
            "This certificate has been replaced by No. %(serial)s.") % {
            "serial": certificate.replaced_by.serial})


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str,
                       now=None) -> CertificateRevocation:
    """Withdraw a record: a revocation row of its own, the record is never edited."""
    certificate = _certificate_locked(certificate)
    if not selectors.can_revoke_certificate(actor, certificate):
        raise ServiceError("not_allowed", _(
            "Only staff who may see the person or a certifying organisation can do that."),
            403)
    _check_open(certificate)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Say why the certificate is revoked."), 422)
    return CertificateRevocation.objects.create(
        certificate=certificate, revoked_by=actor, revoked_at=now or timezone.now(),
        reason=reason[:300])


# --- The volunteer number ------------------------------------------------------------------

VOLUNTEER_NUMBER = re.compile(r"^[0-9A-Za-z-]{4,30}$")


@transaction.atomic
def volunteer_number_set(*, actor, supervisee: Supervisee, number: str) -> VolunteerProfile:
    """The person's number in the national volunteer-service system (empty: not known).
    The person themself, or staff who may see them (checked by the caller's selector)."""
    number = (number or "").strip().upper()
    if number and not VOLUNTEER_NUMBER.match(number):
        raise ServiceError("invalid_volunteer_number", _(
            "A volunteer number is 4 to 30 letters or digits, as the national "
            "volunteer-service system gives it."), 422)
    profile, _created = VolunteerProfile.objects.select_for_update().get_or_create(
        supervisee=supervisee)
    profile.volunteer_number = number
    profile.updated_by = actor
    profile.save()
    return profile


# --- Export --------------------------------------------------------------------------------

@transaction.atomic
def export_record(*, actor, rows: list[dict], now=None) -> VolunteerExport:
    """Remember what goes into this export: one row per entry, so each row of the file
    says which export it is in and when (and in which earlier export it went out, if it
    did). Adds `export_number`, `exported_at` and `earlier` to each row."""
    now = now or timezone.now()
    export = VolunteerExport.objects.create(
        number=f"XYE-{timezone.localtime(now):%Y%m%d-%H%M%S}-{_new_code()[:4]}",
        made_by=actor, made_at=now, rows=len(rows))
    keys = {(r["supervisee"].pk, r["activity_id"], r["service_date"]) for r in rows}
    earlier: dict[tuple, tuple] = {}
    if keys:
        previous = (ExportedHours.objects.filter(
            supervisee_id__in={k[0] for k in keys}, activity_id__in={k[1] for k in keys})
            .exclude(export=export).select_related("export")
            .order_by("export__made_at", "pk"))
        for e in previous:
            earlier.setdefault((e.supervisee_id, e.activity_id, e.service_date),
                               (e.export.number, e.export.made_at))
    ExportedHours.objects.bulk_create(
        ExportedHours(export=export, supervisee=r["supervisee"], activity_id=r["activity_id"],
                      service_date=r["service_date"], hours=r["hours"]) for r in rows)
    for r in rows:
        r["export_number"], r["exported_at"] = export.number, now
        r["earlier"] = earlier.get((r["supervisee"].pk, r["activity_id"], r["service_date"]))
    return export


def export_log(*, actor, rows: list[dict], what: str, path: str = "") -> None:
    """Every export is in the access log: one line for the export, one per person in it."""
    access_log_record(actor=actor, action="export", what=what, path=path)
    seen = set()
    for row in rows:
        person = row["supervisee"]
        if person.pk in seen:
            continue
        seen.add(person.pk)
        access_log_record(actor=actor, supervisee=person, action="export", what=what, path=path)


__all__ = [
    "ServiceError", "SignupResult", "activity_save", "activity_publish", "activity_cancel",
    "activity_complete", "signup_create", "signup_cancel", "checkin", "checkout",
    "attendance_record", "noshow_record", "hours_adjust", "correction_request_create",
    "correction_decide", "hours_confirm", "certificate_issue", "certificates_request",
    "certificates_on_release", "certificate_revoke", "certificate_replace",
    "volunteer_number_set", "export_record", "export_log", "hours_between",
    "person_from_payload", "poster_token", "activity_from_poster", "self_checkin",
    "self_checkin_confirm", "self_checkin_window",
]
