"""Service and volunteering for phones: activities a person may join, signing up and
cancelling, their sign-ups, hours and certificates, public certificate verification, and
the organiser's endpoints used at an activity (participants, check-in and check-out by the
person's QR code, cancelling). Reads go through volunteering.selectors, writes through
volunteering.services; a refusal answers {"detail", "code"} with the service's code."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from portal.access import Role, actor_for, display_name_for_partner, supervisee_for_staff
from portal.api.common import absolute, participant
from portal.api.errors import ApiError, errors
from portal.api.pagination import PageParams, page_of, paginate
from portal.api.schemas import LocalDateTime, Out, TermOut
from portal.organisations.models import Organisation, Unit
from portal.people.selectors import level_target
from portal.taxonomy.models import District, Skill, VenueType
from volunteering import selectors, services
from volunteering.models import Activity, ServiceKind, Theme

router = Router(tags=["service"])


def _person(request):
    return participant(selectors.person_for(request.user))


# --- Schemas -------------------------------------------------------------------------------------

class ActivityOut(Out):
    id: int
    title: str
    theme: TermOut
    kind: str = Field(..., description="public_welfare or volunteer_service")
    description: str
    place: str
    district: TermOut
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    signup_deadline: LocalDateTime
    capacity: int
    places_left: int
    waitlist_limit: int
    hours: float = Field(..., description="Planned hours; attendance decides what is credited.")
    skills: list[TermOut]
    suitable_for_juveniles: bool
    organiser: str
    status: str = Field(..., description="draft, published, completed or cancelled")
    url: str
    ics_url: str
    my_status: str | None = Field(None, description="For participants: confirmed or "
                                                    "waitlisted when signed up.")


class ActivityFilters(Schema):
    theme: str | None = Field(None, description="Theme code, e.g. patrol.")
    kind: str | None = Field(None, description="public_welfare or volunteer_service")
    district: str | None = Field(None, description="District code.")
    date_from: datetime.date | None = Field(None, description="Starting on or after (YYYY-MM-DD).")
    date_to: datetime.date | None = Field(None, description="Starting on or before.")
    places_left: bool | None = Field(None, description="Only activities with places left.")


class SignupResultOut(Out):
    status: str = Field(..., description="confirmed or waitlisted")
    position: int | None = Field(None, description="Place in the waiting list.")


class MySignupOut(Out):
    type: str = Field(..., description="activity or session (a class)")
    id: int = Field(..., description="The activity's or the class's id.")
    title: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    status: str = Field(..., description="confirmed, waitlisted or cancelled")
    position: int | None = None
    hours_credited: float | None = Field(None, description="Activities only.")


class HoursRowOut(Out):
    month: str = Field(..., description="YYYY-MM")
    kind: str
    hours: float = Field(..., description="Sum of every ledger entry, corrections included.")
    confirmed_hours: float = Field(..., description="The part a caseworker confirmed.")


class MonthTargetOut(Out):
    month: str = Field(..., description="YYYY-MM: the current month.")
    counts_toward_target: str = Field(..., description=(
        "The kind of hours that counts: public_welfare. Volunteer service never does."))
    target: float | None = Field(..., description="The level's hours a month.")
    confirmed: float = Field(..., description="Confirmed public-welfare hours: what counts.")
    waiting: float = Field(..., description="Public-welfare hours waiting for confirmation.")
    done: float = Field(..., description="confirmed + waiting.")
    signed_up: float = Field(..., description=(
        "Planned hours of this month's public-welfare places not yet credited."))
    still_needed: float = Field(..., description="target − done − signed_up, at least 0.")
    expected_by_today: float = Field(..., description="The target pro rata to today.")
    behind: bool = Field(..., description="done + signed_up < expected_by_today.")
    days_left: int = Field(..., description="Days left in the month, today included.")
    open_activities: int = Field(..., description=(
        "Open public-welfare activities I may still sign up for this month."))
    open_hours: float = Field(..., description=(
        "The most hours they can give without two at the same time."))
    reachable: bool = Field(..., description=(
        "still_needed ≤ open_hours; when false, contact your caseworker."))
    volunteer_service: float = Field(..., description=(
        "Volunteer-service hours this month: on the volunteer-service record, not counted."))


class MyHoursOut(Out):
    month: str | None
    rows: list[HoursRowOut]
    total_public_welfare: float
    total_volunteer_service: float
    counted_this_month: float = Field(..., description=(
        "Confirmed public-welfare hours this month: what counts toward the target."))
    service_target: float | None
    this_month: MonthTargetOut | None = Field(..., description=(
        "This month's public-welfare target (null after the correction term)."))


class CertifierOut(Out):
    organisation: str = Field(..., description="The volunteer-service organisation that "
                                               "recorded, and so certifies, these hours.")
    hours: float
    period_start: datetime.date
    period_end: datetime.date


class CertificateOut(Out):
    id: int
    serial: str
    volunteer_number: str = Field(..., description="Empty when not known.")
    hours: float = Field(..., description="The total of the certifiers' hours.")
    certifiers: list[CertifierOut]
    period_start: datetime.date
    period_end: datetime.date
    issued_at: LocalDateTime
    valid: bool = Field(..., description="Neither revoked nor replaced.")
    revoked: bool
    replaced_by: str | None = Field(None, description="Serial of the record replacing it.")
    replaces: str | None = Field(None, description="Serial of the record it replaces.")
    pdf_url: str
    verify_url: str


class VerificationOut(Out):
    serial: str = Field(..., description="The record answering: the one asked for, or the "
                                         "newer one that replaced it.")
    asked_serial: str
    replaced: bool = Field(..., description="The code asked for belongs to a replaced record.")
    masked_name: str
    volunteer_number: str
    hours: float
    certifiers: list[CertifierOut]
    period_start: datetime.date
    period_end: datetime.date
    issued_on: datetime.date
    valid: bool
    revoked_on: datetime.date | None


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class VolunteerProfileIn(Schema):
    volunteer_number: str = Field("", max_length=30, description="Empty: not known.")


class VolunteerProfileOut(Out):
    volunteer_number: str


class ActivityIn(Schema):
    title: str = Field(..., max_length=120)
    theme: str = Field(..., description="Theme code.")
    kind: str = Field(ServiceKind.VOLUNTEER_SERVICE, description="public_welfare or "
                                                                 "volunteer_service")
    description: str = ""
    place: str = Field(..., max_length=200)
    district: str = Field(..., description="District code.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    signup_deadline: datetime.datetime
    capacity: int = Field(..., ge=1, le=1000)
    waitlist_limit: int = Field(10, ge=0, le=1000)
    hours: Decimal = Field(..., gt=0, le=24, decimal_places=1)
    skills: list[str] = Field(default_factory=list, description="Skill codes.")
    suitable_for_juveniles: bool = False
    venue_type: str | None = Field(None, description="Venue type code.")
    organisation_id: int | None = Field(
        None, description="Organise as this partner (optional if you belong to only one)…")
    unit_id: int | None = Field(None, description="…or as this unit (exactly one).")
    recording_organisation_id: int | None = Field(
        None, description="Volunteer service organised by a unit: the volunteer-service "
                          "partner that records and certifies the hours (required then).")
    publish: bool = Field(False, description="Publish at once instead of saving a draft.")


class ParticipantOut(Out):
    signup_id: int
    name: str = Field(..., description="Display name only (alias or masked name).")
    status: str = Field(..., description="confirmed or waitlisted")
    position: int | None = None
    attendance: str
    checked_in_at: LocalDateTime | None
    checked_out_at: LocalDateTime | None
    hours_credited: float
    self_checkin_waiting: bool = Field(False, description=(
        "Checked themselves in; waiting for an organiser to confirm."))


class AttendanceIn(Schema):
    payload: str | None = Field(None, max_length=2000,
                                description="The text of the person's check-in QR code.")
    signup_id: int | None = Field(None, description="Or the sign-up, ticked on the list.")


class AttendanceOut(Out):
    signup_id: int
    name: str
    checked_in_at: LocalDateTime | None
    checked_out_at: LocalDateTime | None
    hours_credited: float
    self_checkin_waiting: bool = Field(False, description=(
        "The person checked themselves in (poster code) and no organiser has confirmed "
        "the times yet: no hours are credited until then."))


class SelfCheckinIn(Schema):
    token: str = Field(..., max_length=200, description=(
        "The token in the activity's poster code: the last part of its URL, "
        "/service/checkin/<token>/."))


class SelfCheckinOut(Out):
    step: str = Field(..., description="in (arrival recorded) or out (leaving recorded)")
    activity_id: int
    title: str
    checked_in_at: LocalDateTime | None
    checked_out_at: LocalDateTime | None
    confirmed: bool = Field(..., description="Whether an organiser confirmed the times.")


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


# --- Helpers -------------------------------------------------------------------------------------

def _term(obj) -> dict:
    return {"code": obj.code, "name": obj.name}


def _activity(request, activity: Activity, my_status: str | None = None) -> dict:
    return {
        "id": activity.pk, "title": activity.title, "theme": _term(activity.theme),
        "kind": activity.kind, "description": activity.description, "place": activity.place,
        "district": _term(activity.district), "starts_at": activity.starts_at,
        "ends_at": activity.ends_at, "signup_deadline": activity.signup_deadline,
        "capacity": activity.capacity, "places_left": activity.places_left,
        "waitlist_limit": activity.waitlist_limit, "hours": float(activity.hours),
        "skills": [_term(s) for s in selectors.skills_of(activity)],
        "suitable_for_juveniles": activity.suitable_for_juveniles,
        "organiser": activity.organiser_name, "status": activity.status,
        "url": absolute(request, reverse("volunteering:activity", args=[activity.pk])),
        "ics_url": absolute(request, reverse("volunteering:activity_ics", args=[activity.pk])),
        "my_status": my_status,
    }


def _activity_rows(request, rows: list) -> list[dict]:
    return [_activity_row(request, row) for row in rows]


def _activity_row(request, row: dict) -> dict:
    """_activity of a values row of selectors.first_activity_page(cards="api")."""
    return {
        "id": row["id"], "title": row["title"],
        "theme": {"code": row["theme__code"], "name": row["theme__name"]},
        "kind": row["kind"], "description": row["description"], "place": row["place"],
        "district": {"code": row["district__code"], "name": row["district__name"]},
        "starts_at": row["starts_at"], "ends_at": row["ends_at"],
        "signup_deadline": row["signup_deadline"], "capacity": row["capacity"],
        "places_left": max(row["capacity"] - row["places_taken"], 0),
        "waitlist_limit": row["waitlist_limit"], "hours": float(row["hours"]),
        "skills": [_term(s) for s in row["skill_list"]],
        "suitable_for_juveniles": row["suitable_for_juveniles"],
        "organiser": row["organisation__name"] or row["unit__name"] or "",
        "status": row["status"],
        "url": absolute(request, reverse("volunteering:activity", args=[row["id"]])),
        "ics_url": absolute(request, reverse("volunteering:activity_ics", args=[row["id"]])),
        "my_status": row["my_signup_status"],
    }


def _by_code(model, code, field: str):
    if code in (None, ""):
        return None
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise ApiError(422, "invalid", _("Unknown %(field)s: %(code)s") % {
            "field": model._meta.verbose_name, "code": code})  # 未知的活动主题：…
    return obj


def _parse_month(value: str | None) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        raise ApiError(422, "invalid_month", _("Give the month as YYYY-MM.")) from None


# --- A participant's endpoints -------------------------------------------------------------------

@router.get("/activities", url_name="activities",
            response={200: page_of(ActivityOut), **errors(401, 422)},
            summary="Activities I may join")
def activity_list(request, filters: Query[ActivityFilters], paging: Query[PageParams]):
    """For a participant, the published activities they may still sign up for (not those a
    prohibition order or their age excludes); for others, the published activities still
    to come. Soonest first."""
    data = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    if "places_left" in data:
        data["places_left"] = "true" if data["places_left"] else "false"
    # Each item names its organiser (an organisation or a unit), theme and district.
    related = ("theme", "district", "organisation", "unit")
    if paging.page == 1:
        first = selectors.first_activity_page(request.user, data, size=paging.page_size,
                                              cards="api")
        if first is not None:  # a person's first page, nothing filtered: one statement
            rows, count = first
            return {"items": _activity_rows(request, rows), "count": count}
    browse = selectors.activity_browse(request.user, data, related=related)
    if browse.form.is_bound and not browse.form.is_valid():
        raise ApiError(422, "invalid", _("Some filter values are invalid."))
    # The page first: a short page gives the count without a COUNT query.
    start = (paging.page - 1) * paging.page_size
    items = list(browse.qs[start:start + paging.page_size])
    count = selectors.first_page_count(items, start, paging.page_size)
    if count is None:
        count = browse.qs.count()
    return {"items": [_activity(request, a, getattr(a, "my_signup_status", None))
                      for a in items], "count": count}


@router.get("/activities/{int:activity_id}", url_name="activity",
            response={200: ActivityOut, **errors(401, 404)}, summary="An activity")
def activity_detail(request, activity_id: int):
    activity = selectors.activity_for(request.user, activity_id)
    state = selectors.signup_states(selectors.person_for(request.user), [activity])
    return _activity(request, activity, state[activity.pk].status if state else None)


@router.post("/activities/{int:activity_id}/signup", url_name="activity_signup",
             response={201: SignupResultOut, **errors(401, 403, 404, 409)}, summary="Sign up")
def activity_signup(request, activity_id: int):
    """201 with `confirmed`, or `waitlisted` and the place in the queue. 409 with code
    `full` (waiting list full too), `deadline_passed`, `already_signed_up`, `time_clash`
    or `closed`; 404 for an activity that is not offered to the caller. Nothing changes
    on a refusal."""
    person = _person(request)
    activity = selectors.activity_for(request.user, activity_id)
    result = services.signup_create(supervisee=person, activity_id=activity.pk)
    return Status(201, {"status": result.status, "position": result.position})


@router.delete("/activities/{int:activity_id}/signup", url_name="activity_signup",
               response={204: None, **errors(401, 403, 404, 409)}, summary="Cancel sign-up")
def activity_signup_cancel(request, activity_id: int):
    """204. 409 `not_signed_up`, `cancellation_closed` (past the cut-off) or `closed`.
    A freed place goes to the first person waiting, who is told."""
    person = _person(request)
    activity = selectors.activity_for(request.user, activity_id)
    services.signup_cancel(supervisee=person, activity_id=activity.pk)
    return Status(204, None)


@router.get("/me/signups", url_name="me_signups",
            response={200: page_of(MySignupOut), **errors(401, 403, 422)},
            summary="My sign-ups (activities and classes)")
def my_signups(request, paging: Query[PageParams], upcoming: bool = True):
    """Activities (with waiting-list positions) and classes, soonest first. With
    `upcoming=false`, past and cancelled activity sign-ups too."""
    person = _person(request)
    rows = []
    for s in selectors.my_signups(person, upcoming_only=upcoming):
        rows.append({
            "type": "activity", "id": s.activity_id, "title": s.activity.title,
            "starts_at": s.activity.starts_at, "ends_at": s.activity.ends_at,
            "status": s.status, "position": s.position,
            "hours_credited": float(s.credited or 0),
        })
    try:
        from courses.selectors import my_signups as class_signups
    except ImportError:  # pragma: no cover - courses is part of the project
        class_signups = None
    if class_signups is not None:
        for s in class_signups(person, upcoming_only=upcoming):
            rows.append({
                "type": "session", "id": s.session_id, "title": s.session.course.title,
                "starts_at": s.session.starts_at, "ends_at": s.session.ends_at,
                "status": s.status, "position": None, "hours_credited": None,
            })
    rows.sort(key=lambda r: (r["starts_at"], r["type"], r["id"]), reverse=not upcoming)
    return paginate(rows, paging)


@router.get("/me/hours", url_name="me_hours",
            response={200: MyHoursOut, **errors(401, 403, 422)},
            summary="My service hours by month and kind")
def my_hours(request, month: str | None = None):
    """Hours per month and kind from the append-only ledger (`month=YYYY-MM` for one
    month). Totals always equal the sum of the entries."""
    person_id = actor_for(request.user).supervisee_id
    if person_id is None:
        _person(request)  # refused: not a participant
    first = _parse_month(month) if month else None
    rows, totals = selectors.months_and_totals(person_id, month=first)
    target = level_target(totals["level"])
    # This month's target, from the figures just read (docs/domain.md rule 8).
    this_month = selectors.month_target(selectors.person_for(request.user), figures={
        "xy_pw": totals["month_public_welfare"], "xy_pw_confirmed": totals["month_counted"],
        "xy_vs": totals["month_volunteer"],
        "xy_target": target.service_hours if target else None})
    return {
        "month": first.strftime("%Y-%m") if first else None,
        "rows": [{"month": r["month"].strftime("%Y-%m"), "kind": r["kind"],
                  "hours": float(r["total"]), "confirmed_hours": float(r["confirmed"])}
                 for r in rows],
        "total_public_welfare": float(totals["public_welfare"]),
        "total_volunteer_service": float(totals["volunteer_service"]),
        "counted_this_month": float(totals["month_counted"]),
        "service_target": float(target.service_hours) if target else None,
        "this_month": _month_target(this_month) if this_month else None,
    }


def _month_target(t) -> dict:
    return {
        "month": t.month.strftime("%Y-%m"), "counts_toward_target": ServiceKind.PUBLIC_WELFARE,
        "target": float(t.target) if t.target is not None else None,
        "confirmed": float(t.confirmed), "waiting": float(t.waiting), "done": float(t.done),
        "signed_up": float(t.signed_up), "still_needed": float(t.needed),
        "expected_by_today": float(t.expected), "behind": t.behind, "days_left": t.days_left,
        "open_activities": t.open_activities, "open_hours": float(t.open_hours),
        "reachable": t.reachable, "volunteer_service": float(t.volunteer),
    }


def _certificate(request, c) -> dict:
    replaced_by = c.replacement_or_none
    return {
        "id": c.pk, "serial": c.serial, "volunteer_number": c.volunteer_number,
        "hours": float(c.hours),
        "certifiers": [{"organisation": line.organisation_name, "hours": float(line.hours),
                        "period_start": line.period_start, "period_end": line.period_end}
                       for line in c.lines.all()],
        "period_start": c.period_start, "period_end": c.period_end, "issued_at": c.issued_at,
        "valid": c.is_valid, "revoked": c.is_revoked,
        "replaced_by": replaced_by.serial if replaced_by else None,
        "replaces": c.replaces.serial if c.replaces_id else None,
        "pdf_url": absolute(request, reverse("volunteering:certificate_pdf", kwargs={"pk": c.pk})),
        "verify_url": absolute(request, reverse("certificate_verify", kwargs={"code": c.code})),
    }


def _certificate_by_pk(request, pk):
    return selectors.certificate_for(request.user, pk)


@router.get("/me/certificates", url_name="me_certificates",
            response={200: list[CertificateOut], **errors(401, 403)},
            summary="My volunteer-service records")
def my_certificates(request):
    person = _person(request)
    return [_certificate(request, c) for c in selectors.my_certificates(person)]


@router.post("/me/certificates", url_name="me_certificates",
             response={201: CertificateOut, **errors(401, 403, 409, 422)},
             summary="Ask for my volunteer-service record")
def certificate_request(request):
    """One record across organisations: each organisation's certified hours and the
    total; the county's minimum applies to the total. Needs the person's consent (403
    no_consent); 409 no_hours, too_few_hours or already_issued. A new record replaces
    the one in force."""
    person = _person(request)
    certificate = services.certificates_request(supervisee=person)
    return Status(201, _certificate(request, selectors.certificate_for(request.user,
                                                                       certificate.pk)))


@router.post("/certificates/{int:certificate_id}/replace", url_name="certificate_replace",
             response={201: CertificateOut, **errors(401, 403, 404, 409, 422)},
             summary="Replace a record with current figures (staff, certifiers)")
def certificate_replace(request, certificate_id: int, body: ReasonIn):
    """A new record with the ledger's figures as they are now, naming the one it
    replaces, whose code then answers with the new one. Staff who may see the person,
    or staff of a certifying organisation (never for a juvenile)."""
    certificate = _certificate_by_pk(request, certificate_id)
    new = services.certificate_replace(actor=request.user, certificate=certificate,
                                       reason=body.reason)
    return Status(201, _certificate(request, selectors.certificate_for(request.user, new.pk)))


@router.post("/certificates/{int:certificate_id}/revoke", url_name="certificate_revoke",
             response={200: CertificateOut, **errors(401, 403, 404, 409, 422)},
             summary="Revoke a record (staff, certifiers)")
def certificate_revoke(request, certificate_id: int, body: ReasonIn):
    """The revocation is a row of its own; the record is never edited."""
    certificate = _certificate_by_pk(request, certificate_id)
    services.certificate_revoke(actor=request.user, certificate=certificate,
                                reason=body.reason)
    return _certificate(request, selectors.certificate_for(request.user, certificate.pk))


@router.get("/me/volunteer-profile", url_name="me_volunteer_profile",
            response={200: VolunteerProfileOut, **errors(401, 403)},
            summary="My national volunteer number")
def my_volunteer_profile(request):
    person = _person(request)
    profile = selectors.volunteer_profile(person)
    return {"volunteer_number": profile.volunteer_number if profile else ""}


@router.put("/me/volunteer-profile", url_name="me_volunteer_profile",
            response={200: VolunteerProfileOut, **errors(401, 403, 422)},
            summary="Set my national volunteer number")
def my_volunteer_profile_set(request, body: VolunteerProfileIn):
    """4 to 30 letters, digits or hyphens (422 invalid_volunteer_number); empty clears it."""
    person = _person(request)
    profile = services.volunteer_number_set(actor=request.user, supervisee=person,
                                            number=body.volunteer_number)
    return {"volunteer_number": profile.volunteer_number}


@router.put("/people/{int:person_id}/volunteer-profile", url_name="person_volunteer_profile",
            response={200: VolunteerProfileOut, **errors(401, 403, 404, 422)},
            summary="Set a person's national volunteer number (staff)")
def person_volunteer_profile_set(request, person_id: int, body: VolunteerProfileIn):
    """Caseworkers and unit administrators who may see the person (404 otherwise; the
    access is logged)."""
    if not actor_for(request.user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER):
        raise ApiError(403, "not_staff", _("Only staff can do this."))
    person = supervisee_for_staff(request.user, person_id, what=_(
        "Changed the volunteer number"), path=request.path)
    profile = services.volunteer_number_set(actor=request.user, supervisee=person,
                                            number=body.volunteer_number)
    return {"volunteer_number": profile.volunteer_number}


@router.get("/certificates/verify/{code}", url_name="certificate_verify", auth=None,
            response={200: VerificationOut, **errors(404)},
            summary="Verify a volunteer-service record (public)")
def certificate_verify(request, code: str):
    """Anyone may check a record by its code: the masked name, the volunteer number, each
    certifying organisation's hours, the total, the period and whether it is valid. A
    replaced record's code answers with the record replacing it. 404 for an unknown or
    forged code."""
    public = selectors.certificate_public(code)
    if public is None:
        raise ApiError(404, "not_found", _("No certificate has this code."))
    return {
        "serial": public["serial"], "asked_serial": public["asked_serial"],
        "replaced": public["replaced"], "masked_name": public["masked_name"],
        "volunteer_number": public["volunteer_number"],
        "hours": float(public["hours"]),
        "certifiers": [{"organisation": x["organisation"], "hours": float(x["hours"]),
                        "period_start": x["period_start"], "period_end": x["period_end"]}
                       for x in public["lines"]],
        "period_start": public["period_start"], "period_end": public["period_end"],
        "issued_on": public["issued_at"].date(), "valid": public["is_valid"],
        "revoked_on": public["revoked_at"].date() if public["revoked_at"] else None,
    }


# --- Organisers' endpoints -----------------------------------------------------------------------

@router.post("/activities", url_name="activities",
             response={201: ActivityOut, **errors(401, 403, 422)}, summary="Post an activity")
def activity_create(request, body: ActivityIn):
    """For NGO staff, volunteer-team staff and caseworkers: a draft (or, with
    `publish=true`, a published activity). Partners post volunteer service only and never
    for juveniles (422)."""
    if not selectors.can_organise(request.user):
        raise ApiError(403, "not_an_organiser", _("Only organisers can post activities."))
    organisation = (Organisation.objects.filter(pk=body.organisation_id).first()
                    if body.organisation_id else None)
    unit = Unit.objects.filter(pk=body.unit_id).first() if body.unit_id else None
    if (body.organisation_id and organisation is None) or (body.unit_id and unit is None):
        raise ApiError(403, "not_allowed", _("You cannot post activities for this organiser."))
    recorder = (Organisation.objects.filter(pk=body.recording_organisation_id).first()
                if body.recording_organisation_id else None)
    if body.recording_organisation_id and recorder is None:
        raise ApiError(422, "invalid_recording_partner", _(
            "The recording organisation must be an active volunteer team or NGO partner."))
    if organisation is None and unit is None:
        # A partner with one organisation need not name it (docs/API.md).
        own = list(Organisation.objects.filter(memberships__user=request.user).distinct()[:2])
        organisation = own[0] if len(own) == 1 else None
    if body.kind not in ServiceKind.values:
        raise ApiError(422, "invalid", _("Unknown kind."))
    fields = {
        "title": body.title, "theme": _by_code(Theme, body.theme, "theme"), "kind": body.kind,
        "description": body.description, "place": body.place,
        "district": _by_code(District, body.district, "district"),
        "starts_at": body.starts_at, "ends_at": body.ends_at,
        "signup_deadline": body.signup_deadline, "capacity": body.capacity,
        "waitlist_limit": body.waitlist_limit, "hours": body.hours,
        "suitable_for_juveniles": body.suitable_for_juveniles,
        "venue_type": _by_code(VenueType, body.venue_type, "venue_type"),
        "recording_organisation": recorder,
    }
    if fields["theme"] is None or fields["district"] is None:
        raise ApiError(422, "invalid", _("Theme and district are required."))
    skills = [_by_code(Skill, code, "skill") for code in body.skills]
    try:
        activity = services.activity_save(actor=request.user, organisation=organisation,
                                          unit=unit, skills=skills, **fields)
        if body.publish:
            activity = services.activity_publish(actor=request.user, activity=activity)
    except ValidationError as error:
        raise ApiError(422, "invalid", " ".join(error.messages)) from None
    return Status(201, _activity(request, selectors.activity_for_organiser(request.user,
                                                                       activity.pk)))


@router.get("/activities/{int:activity_id}/participants", url_name="activity_participants",
            response={200: list[ParticipantOut], **errors(401, 404)},
            summary="Participants (organisers)")
def activity_participants(request, activity_id: int):
    """Those with a place, then the waiting list in order; by display name only."""
    activity = selectors.activity_for_organiser(request.user, activity_id)
    roster = selectors.activity_roster(activity)
    return [{
        "signup_id": s.pk, "name": display_name_for_partner(s.supervisee), "status": s.status,
        "position": getattr(s, "position", None), "attendance": s.attendance,
        "checked_in_at": s.checked_in_at, "checked_out_at": s.checked_out_at,
        "hours_credited": float(s.credited or 0),
        "self_checkin_waiting": s.self_checkin_waiting,
    } for s in roster["confirmed"] + roster["waiting"]]


def _attendance(request, activity_id: int, body: AttendanceIn, *, out: bool):
    activity = selectors.activity_for_organiser(request.user, activity_id)
    if (body.payload is None) == (body.signup_id is None):
        raise ApiError(422, "invalid", _("Send either the scanned code or the sign-up."))
    signup = (selectors.signup_for_organiser(request.user, activity, body.signup_id)
              if body.signup_id is not None else None)
    if out:
        signup, _entry = services.checkout(actor=request.user, activity=activity,
                                           signup=signup, payload=body.payload)
    else:
        signup = services.checkin(actor=request.user, activity=activity, signup=signup,
                                  payload=body.payload)
    return _attendance_out(signup)


def _attendance_out(signup) -> dict:
    credited = signup.hours_entries.all()
    return {
        "signup_id": signup.pk, "name": display_name_for_partner(signup.supervisee),
        "checked_in_at": signup.checked_in_at, "checked_out_at": signup.checked_out_at,
        "hours_credited": float(sum((e.hours for e in credited), Decimal("0"))),
        "self_checkin_waiting": signup.self_checkin_waiting,
    }


@router.post("/activities/{int:activity_id}/checkin", url_name="activity_checkin",
             response={200: AttendanceOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Check a participant in (organisers)")
def activity_checkin(request, activity_id: int, body: AttendanceIn):
    """By the person's QR payload (or a sign-up id). 400 `invalid_qr` for a forged,
    altered or expired code; 409 `not_signed_up`, `already_checked_in`, `too_early`."""
    return _attendance(request, activity_id, body, out=False)


@router.post("/activities/{int:activity_id}/checkout", url_name="activity_checkout",
             response={200: AttendanceOut, **errors(400, 401, 403, 404, 409, 422)},
             summary="Check a participant out (organisers)")
def activity_checkout(request, activity_id: int, body: AttendanceIn):
    """Records the hours served (whole half-hours) in the ledger. 409 `not_checked_in`,
    `already_checked_out`."""
    return _attendance(request, activity_id, body, out=True)


@router.post("/activities/{int:activity_id}/signups/{int:signup_id}/confirm",
             url_name="activity_signup_confirm",
             response={200: AttendanceOut, **errors(401, 403, 404, 409, 422)},
             summary="Confirm a self check-in (organisers)")
def activity_signup_confirm(request, activity_id: int, signup_id: int):
    """Confirms the times a person recorded with the poster code and credits the hours in
    the ledger (a person still checked in is checked out now, or at the end once it is
    over). 409 `nothing_to_confirm` when there is no waiting self check-in."""
    activity = selectors.activity_for_organiser(request.user, activity_id)
    signup = selectors.signup_for_organiser(request.user, activity, signup_id)
    signup, _entry = services.self_checkin_confirm(actor=request.user, signup=signup)
    return _attendance_out(signup)


@router.post("/checkin/self", url_name="self_checkin",
             response={200: SelfCheckinOut, **errors(401, 403, 404, 409, 422)},
             summary="Check myself in or out (poster code)")
def self_checkin(request, body: SelfCheckinIn):
    """The first call records the caller's arrival, the next their leaving, from half an
    hour before the start to an hour after the end. 404 `invalid_poster` for a token that
    is no activity's; 409 `not_signed_up`, `too_early`, `too_late`, `closed` or
    `already_checked_out`, and nothing changes. Hours wait for an organiser's
    confirmation."""
    person = _person(request)
    activity = services.activity_from_poster(body.token)
    step, signup = services.self_checkin(supervisee=person, activity=activity)
    return {"step": step, "activity_id": activity.pk, "title": activity.title,
            "checked_in_at": signup.checked_in_at, "checked_out_at": signup.checked_out_at,
            "confirmed": signup.self_checkin_confirmed_at is not None}


@router.post("/activities/{int:activity_id}/cancel", url_name="activity_cancel",
             response={200: ActivityOut, **errors(401, 403, 404, 409, 422)},
             summary="Cancel an activity (organisers)")
def activity_cancel(request, activity_id: int, body: CancelIn):
    """Everyone with a place or on the waiting list is told, with the reason."""
    activity = selectors.activity_for_organiser(request.user, activity_id)
    services.activity_cancel(actor=request.user, activity=activity, reason=body.reason)
    return _activity(request, selectors.activity_for_organiser(request.user, activity.pk))



