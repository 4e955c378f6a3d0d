"""Writes for employment help. Every function validates before it saves and runs in one
transaction; a refusal raises ServiceError (a stable code, a translated message and the
HTTP status the API answers with) and changes nothing.

Status changes of an application are recorded in ApplicationStatusChange (who, when, from
what, to what). Hiring for a job records a placement with its 30- and 90-day follow-ups.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import display_name_for_partner, supervisees_visible_to
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.errors import ServiceError
from portal.notifications.services import notify
from portal.people.models import Consent, Supervisee
from portal.people.services import consent_record

from . import selectors
from .models import (
    ACTIVE_STATUSES,
    FOLLOW_UP_DAYS,
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    DayPeriod,
    FollowUp,
    Job,
    JobProfile,
    Placement,
    Shift,
    TrainingBase,
    TrainingEnrolment,
    TrainingPlace,
)

S = ApplicationStatus

# Who may move an application where. The person withdraws (and agrees to or refuses a
# recommendation); the enterprise and the person's caseworker record the rest.
PROGRESS = {
    S.APPLIED: {S.INTERVIEW, S.OFFERED, S.HIRED, S.DECLINED},
    S.INTERVIEW: {S.OFFERED, S.HIRED, S.DECLINED},
    S.OFFERED: {S.HIRED, S.DECLINED},
}



def _not_found() -> ServiceError:
    # The same answer for "does not exist" and "excluded for you": existence and the
    # reason (a ban, an order) do not leak.
    return ServiceError("not_found", _("That opening was not found."), 404)


def _record(application: Application, *, to_status: str, by, from_status: str = "",
            note: str = "") -> None:
    ApplicationStatusChange.objects.create(application=application, from_status=from_status,
                                           to_status=to_status, changed_by=by, note=note)


def _opening_url(opening) -> str:
    if isinstance(opening, Job):
        return reverse("employment:job", kwargs={"pk": opening.pk})
    return reverse("employment:training_place", kwargs={"pk": opening.pk})


def _tell_enterprise(application: Application, title: str, body: str = "") -> None:
    url = reverse("employment:application", kwargs={"pk": application.pk})
    for user in selectors.enterprise_recipients(application.organisation_id):
        notify(recipient=user, kind="employment_application", title=title, body=body, url=url)


def _tell_person(application: Application, title: str, body: str = "") -> None:
    notify(recipient=application.supervisee.user, kind="employment_application", title=title,
           body=body, url=reverse("employment:my_applications"))


def _tell_caseworker(application: Application, title: str, body: str = "") -> None:
    caseworker = application.supervisee.caseworker
    if caseworker is not None:
        notify(recipient=caseworker, kind="employment_application", title=title, body=body,
               url=reverse("employment:person", kwargs={"pk": application.supervisee_id}))


def _locked_opening(*, job_id=None, training_place_id=None):
    model, pk = (Job, job_id) if job_id is not None else (TrainingPlace, training_place_id)
    try:
        return model.objects.select_for_update().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


def _field(opening) -> str:
    return "job" if isinstance(opening, Job) else "training_place"


# --- Job profile ----------------------------------------------------------------------------

@transaction.atomic
def profile_save(*, supervisee: Supervisee, actor, skills=None, work_history: str = "",
                 preferred_districts=None, preferred_shifts=(), max_hours_per_week=None,
                 visible_to_employers: bool | None = None) -> JobProfile:
    """The person's job profile. `visible_to_employers` records a new EMPLOYER_PROFILE
    consent decision when it differs from the one in force (the person can take it back
    at any time; earlier decisions are kept)."""
    shifts = [s for s in preferred_shifts or () if s in Shift.values]
    if len(shifts) != len(list(preferred_shifts or ())):
        raise ServiceError("invalid", _("Unknown shift."), 422)
    profile, _created = JobProfile.objects.select_for_update().get_or_create(
        supervisee=supervisee)
    profile.work_history = (work_history or "").strip()
    profile.preferred_shifts = shifts
    profile.max_hours_per_week = max_hours_per_week or None
    try:
        profile.full_clean()
    except ValidationError as error:
        raise ServiceError("invalid", "; ".join(error.messages), 422) from None
    profile.save()
    if skills is not None:
        profile.skills.set(skills)
    if preferred_districts is not None:
        profile.preferred_districts.set(preferred_districts)
    if visible_to_employers is not None and \
            bool(visible_to_employers) != selectors.employer_consent_given(supervisee):
        consent_record(supervisee=supervisee, kind=Consent.Kind.EMPLOYER_PROFILE,
                       granted=bool(visible_to_employers), recorded_by=actor)
    if actor != supervisee.user:
        access_log_record(actor=actor, supervisee=supervisee, action=AccessLogEntry.Action.EDIT,
                          what=_("Edited the job profile"))
    return profile


@transaction.atomic
def reporting_duty_set(*, actor, supervisee: Supervisee, weekday: int | None,
                       period: str = "") -> JobProfile:
    """The day and time the person reports in person (set by staff who may see them)."""
    if not supervisees_visible_to(actor).filter(pk=supervisee.pk).exists():
        raise ServiceError("not_found", _("Not found."), 404)
    if weekday is not None and not 1 <= int(weekday) <= 7:
        raise ServiceError("invalid", _("Choose a day of the week."), 422)
    if period and period not in DayPeriod.values:
        raise ServiceError("invalid", _("Choose a time of day."), 422)
    if (weekday is None) != (not period):
        raise ServiceError("invalid", _("Give both the day and the time, or neither."), 422)
    profile, _created = JobProfile.objects.select_for_update().get_or_create(
        supervisee=supervisee)
    profile.reporting_weekday = weekday
    profile.reporting_period = period
    profile.save(update_fields=["reporting_weekday", "reporting_period", "updated_at"])
    access_log_record(actor=actor, supervisee=supervisee, action=AccessLogEntry.Action.EDIT,
                      what=_("Set the reporting duties for job matching"))
    return profile


# --- Openings (enterprise staff) -----------------------------------------------------------

JOB_FIELDS = ("title", "description", "industry", "district", "address", "venue_type", "shift",
              "work_days", "hours_per_week", "schedule", "juveniles_allowed", "status",
              "pay_min", "pay_max", "places")
TRAINING_FIELDS = ("programme", "description", "base", "industry", "venue_type", "shift",
                   "work_days", "hours_per_week", "schedule", "juveniles_allowed", "status",
                   "starts_on", "ends_on", "capacity")


def _check_enterprise(actor, organisation) -> None:
    if organisation is None or organisation.pk not in {o.pk for o in
                                                       selectors.enterprises_for(actor)}:
        raise ServiceError("not_allowed", _("You cannot post openings for this organisation."),
                           403)


def _validated(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ServiceError("invalid", "; ".join(error.messages), 422) from None


@transaction.atomic
def job_save(*, actor, organisation, job: Job | None = None, skills=None, **fields) -> Job:
    """Create or change one of the actor's enterprise's jobs."""
    _check_enterprise(actor, organisation)
    if job is None:
        job = Job(organisation=organisation, created_by=actor)
    elif job.organisation_id != organisation.pk:
        raise ServiceError("not_found", _("Not found."), 404)
    unknown = set(fields) - set(JOB_FIELDS)
    if unknown:
        raise ValueError(f"unknown job fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(job, name, value)
    if job.pay_min and job.pay_max and job.pay_max < job.pay_min:
        raise ServiceError("invalid", _("The top of the pay range is below its bottom."), 422)
    _validated(job)
    job.save()
    if skills is not None:
        job.skills.set(skills)
    return job


@transaction.atomic
def training_place_save(*, actor, organisation, place: TrainingPlace | None = None,
                        skills=None, **fields) -> TrainingPlace:
    """Create or change one of the actor's enterprise's training places; the base must be
    the enterprise's own, and the place is where the base is."""
    _check_enterprise(actor, organisation)
    if place is None:
        place = TrainingPlace(organisation=organisation, created_by=actor)
    elif place.organisation_id != organisation.pk:
        raise ServiceError("not_found", _("Not found."), 404)
    unknown = set(fields) - set(TRAINING_FIELDS)
    if unknown:
        raise ValueError(f"unknown training fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(place, name, value)
    base = place.base if place.base_id else None
    if base is None or base.organisation_id != organisation.pk:
        raise ServiceError("invalid", _("Choose one of your own training bases."), 422)
    place.district_id = base.district_id
    place.address = base.address
    if place.starts_on and place.ends_on and place.ends_on < place.starts_on:
        raise ServiceError("invalid", _("The programme must end after it starts."), 422)
    _validated(place)
    place.save()
    if skills is not None:
        place.skills.set(skills)
    return place


BASE_FIELDS = ("name", "district", "address", "description", "is_active")


@transaction.atomic
def training_base_save(*, actor, organisation, base: TrainingBase | None = None,
                       **fields) -> TrainingBase:
    """Create or change one of the actor's enterprise's training bases. Its open training
    places follow it when it moves (they are held where the base is)."""
    _check_enterprise(actor, organisation)
    if base is None:
        base = TrainingBase(organisation=organisation)
    elif base.organisation_id != organisation.pk:
        raise ServiceError("not_found", _("Not found."), 404)
    unknown = set(fields) - set(BASE_FIELDS)
    if unknown:
        raise ValueError(f"unknown training base fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(base, name, value)
    _validated(base)
    base.save()
    base.training_places.exclude(district_id=base.district_id, address=base.address).update(
        district_id=base.district_id, address=base.address, updated_at=timezone.now())
    return base


# --- Applying ----------------------------------------------------------------------------

@transaction.atomic
def application_create(*, supervisee: Supervisee, job_id=None, training_place_id=None,
                       message: str = "") -> Application:
    """The person applies. 404 if the opening does not exist or is excluded for them,
    409 if it is closed or they already applied (or were declined). Applying again after
    withdrawing reopens the same application."""
    opening = _locked_opening(job_id=job_id, training_place_id=training_place_id)
    _eligible_if_open(supervisee, opening)
    field = _field(opening)
    existing = (Application.objects.select_for_update()
                .filter(supervisee=supervisee, **{field: opening}).first())
    if existing is not None and existing.status != S.WITHDRAWN:
        if existing.status == S.RECOMMENDED:
            raise ServiceError("recommended", _(
                "Your caseworker has recommended you for this: agree to the recommendation "
                "in your applications instead."))
        if existing.status == S.DECLINED:
            raise ServiceError("declined", _("The enterprise has declined your application."))
        raise ServiceError("already_applied", _("You have already applied for this."))
    now = timezone.now()
    message = (message or "").strip()[:500]
    if existing is None:
        application = Application(
            supervisee=supervisee, organisation_id=opening.organisation_id,
            shared_with_id=opening.organisation_id, shared_at=now, status=S.APPLIED,
            source=Application.Source.PERSON, message=message, **{field: opening})
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise ServiceError("already_applied",
                               _("You have already applied for this.")) from None
        previous = ""
    else:
        application = existing
        previous = application.status
        application.status = S.APPLIED
        application.shared_with_id = opening.organisation_id
        application.shared_at = now
        application.message = message or application.message
        application.save()
    _record(application, from_status=previous, to_status=S.APPLIED, by=supervisee.user)
    name = display_name_for_partner(supervisee)
    _tell_enterprise(application, _("New application: %(opening)s") % {"opening": opening},
                     _("%(name)s applied.") % {"name": name})
    return application


def _eligible_if_open(supervisee: Supervisee, opening) -> None:
    """Excluded is 404 before closed is 409: a person must not learn that an opening they
    may not see exists at all."""
    if selectors.is_excluded_for_person(selectors.opening_assessment(supervisee, opening)):
        raise _not_found()
    if not opening.is_open:
        raise ServiceError("closed", _("This opening is closed."))


@transaction.atomic
def application_recommend(*, actor, supervisee: Supervisee, job_id=None,
                          training_place_id=None, note: str = "") -> Application:
    """A caseworker proposes the person for an opening. The enterprise sees nothing until
    the person agrees (recommendation_answer)."""
    if not supervisees_visible_to(actor).filter(pk=supervisee.pk).exists():
        raise ServiceError("not_found", _("Not found."), 404)
    opening = _locked_opening(job_id=job_id, training_place_id=training_place_id)
    result = selectors.opening_assessment(supervisee, opening)
    if result.excluded:
        raise ServiceError("excluded", _("This opening is excluded for the person: %(why)s") % {
            "why": " ".join(result.reason_texts)}, 422)
    field = _field(opening)
    existing = (Application.objects.select_for_update()
                .filter(supervisee=supervisee, **{field: opening}).first())
    if existing is not None and existing.status not in (S.WITHDRAWN,):
        raise ServiceError("already_applied", _(
            "The person already has an application for this (%(status)s).") % {
            "status": existing.status_label})
    note = (note or "").strip()[:500]
    if existing is None:
        application = Application.objects.create(
            supervisee=supervisee, organisation_id=opening.organisation_id,
            status=S.RECOMMENDED, source=Application.Source.CASEWORKER, recommended_by=actor,
            recommendation_note=note, **{field: opening})
        previous = ""
    else:
        application = existing
        previous = application.status
        application.status = S.RECOMMENDED
        application.source = Application.Source.CASEWORKER
        application.recommended_by = actor
        application.shared_with = None
        application.shared_at = None
        application.recommendation_note = note
        application.save()
    _record(application, from_status=previous, to_status=S.RECOMMENDED, by=actor, note=note)
    access_log_record(actor=actor, supervisee=supervisee, action=AccessLogEntry.Action.EDIT,
                      what=_("Recommended for: %(opening)s") % {"opening": opening})
    _tell_person(application, _("Your caseworker recommends: %(opening)s") % {
        "opening": opening}, _("Agree if you want the enterprise to see your application."))
    return application


def _own(supervisee: Supervisee, application_id) -> Application:
    try:
        # of=("self",): PostgreSQL cannot lock the nullable side of an outer join.
        return (Application.objects.select_for_update(of=("self",))
                .select_related("job", "training_place")
                .get(pk=application_id, supervisee=supervisee))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise ServiceError("not_found", _("Not found."), 404) from None


@transaction.atomic
def recommendation_answer(*, supervisee: Supervisee, application_id, agree: bool) -> Application:
    """The person agrees to (the enterprise now sees the application) or refuses a
    caseworker's recommendation."""
    application = _own(supervisee, application_id)
    if application.status != S.RECOMMENDED:
        raise ServiceError("not_recommended", _("This is not a recommendation waiting for "
                                                "your answer."))
    opening = application.opening
    if agree:
        opening = _locked_opening(job_id=application.job_id,
                                  training_place_id=application.training_place_id)
        _eligible_if_open(supervisee, opening)
        application.status = S.APPLIED
        application.shared_with_id = application.organisation_id
        application.shared_at = timezone.now()
        application.save()
        _record(application, from_status=S.RECOMMENDED, to_status=S.APPLIED, by=supervisee.user,
                note=_("Agreed to the recommendation"))
        # The enterprise is not told a caseworker suggested it: that would say more about the
        # person than an application needs to.
        _tell_enterprise(application, _("New application: %(opening)s") % {"opening": opening},
                         _("%(name)s applied.") % {"name": display_name_for_partner(supervisee)})
        _tell_caseworker(application, _("Recommendation accepted: %(opening)s") % {
            "opening": opening})
    else:
        application.status = S.WITHDRAWN
        application.save()
        _record(application, from_status=S.RECOMMENDED, to_status=S.WITHDRAWN,
                by=supervisee.user, note=_("Did not agree to the recommendation"))
        _tell_caseworker(application, _("Recommendation not taken up: %(opening)s") % {
            "opening": opening})
    return application


@transaction.atomic
def application_withdraw(*, supervisee: Supervisee, application_id) -> Application:
    """The person withdraws an application that is still open."""
    application = _own(supervisee, application_id)
    if application.status not in ACTIVE_STATUSES:
        raise ServiceError("not_withdrawable", _(
            "This application is already closed (%(status)s).") % {
            "status": application.status_label})
    previous = application.status
    application.status = S.WITHDRAWN
    application.save()
    _record(application, from_status=previous, to_status=S.WITHDRAWN, by=supervisee.user)
    if application.shared_with_id:
        _tell_enterprise(application, _("Application withdrawn: %(opening)s") % {
            "opening": application.opening})
    return application


# --- Progress: interview, offer, hire, decline ----------------------------------------------

def can_progress(actor, application: Application) -> bool:
    """The enterprise the application was shared with, and staff who may see the person."""
    if application.shared_with_id and application.shared_with_id in {
            o.pk for o in selectors.enterprises_for(actor)}:
        return True
    return selectors.is_unit_staff(actor) and supervisees_visible_to(actor).filter(
        pk=application.supervisee_id).exists()


@transaction.atomic
def application_status_set(*, actor, application_id, status: str, note: str = "",
                           started_on: datetime.date | None = None) -> Application:
    """Move an application on (interview, offered, hired, declined). Hiring for a job needs
    the start date and records the placement with its follow-ups; a job whose places are
    all filled closes."""
    try:
        application = (Application.objects.select_for_update(of=("self",))
                       .select_related("supervisee__user", "supervisee__caseworker")
                       .get(pk=application_id))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise ServiceError("not_found", _("Not found."), 404) from None
    if not can_progress(actor, application):
        raise ServiceError("not_found", _("Not found."), 404)
    if status not in S.values:
        raise ServiceError("invalid", _("Unknown status."), 422)
    allowed = PROGRESS.get(application.status, set())
    if status not in allowed:
        raise ServiceError("invalid_transition", _(
            "An application that is “%(from)s” cannot become “%(to)s”.") % {
            "from": application.status_label, "to": S(status).label})
    note = (note or "").strip()[:500]
    opening = _locked_opening(job_id=application.job_id,
                              training_place_id=application.training_place_id)
    if status == S.HIRED:
        taken = Application.objects.filter(status=S.HIRED, **{_field(opening): opening}).count()
        limit = opening.places if isinstance(opening, Job) else opening.capacity
        if taken >= limit:
            raise ServiceError("no_places", _("Every place is already filled."))
        if isinstance(opening, Job):
            if started_on is None:
                raise ServiceError("start_date_missing", _("Give the start date."), 422)
            today = timezone.localdate()
            if abs((started_on - today).days) > 366:
                raise ServiceError("invalid", _("The start date must be within a year of "
                                                "today."), 422)
    previous = application.status
    application.status = status
    application.save()
    _record(application, from_status=previous, to_status=status, by=actor, note=note)
    if status == S.HIRED:
        if isinstance(opening, Job):
            _placement_create(application=application, job=opening, started_on=started_on,
                              by=actor)
            limit = opening.places
        else:
            _training_enrolment_create(application=application, place=opening,
                                       started_on=started_on, by=actor)
            limit = opening.capacity
        hired = Application.objects.filter(status=S.HIRED, **{_field(opening): opening}).count()
        if hired >= limit and opening.is_open:
            opening.status = opening.Status.CLOSED
            opening.save(update_fields=["status", "updated_at"])
    label = application.status_label
    _tell_person(application, _("%(opening)s: %(status)s") % {"opening": opening,
                                                              "status": label}, note)
    if status == S.HIRED:
        if isinstance(opening, Job):
            _tell_caseworker(application, _("Hired: %(opening)s") % {"opening": opening},
                             _("Follow up after 30 and 90 days."))
        else:
            _tell_caseworker(application, _("Accepted for training: %(opening)s") % {
                "opening": opening}, _("Record how the training ended once it is over."))
    return application


def _training_enrolment_create(*, application: Application, place: TrainingPlace,
                               started_on: datetime.date | None, by) -> TrainingEnrolment:
    return TrainingEnrolment.objects.create(
        application=application, supervisee=application.supervisee, training_place=place,
        organisation_id=place.organisation_id,
        started_on=started_on or place.starts_on or timezone.localdate(), created_by=by)


@transaction.atomic
def training_outcome_record(*, actor, enrolment_id, outcome: str,
                            finished_on: datetime.date | None = None, note: str = "",
                            today: datetime.date | None = None) -> TrainingEnrolment:
    """The caseworker records how a training ended: completed, or left before the end.
    Once only, and not before the training has begun."""
    today = today or timezone.localdate()
    try:
        enrolment = (TrainingEnrolment.objects.select_for_update(of=("self",))
                     .select_related("supervisee__user", "training_place")
                     .get(pk=enrolment_id))
    except (TrainingEnrolment.DoesNotExist, ValueError, TypeError):
        raise ServiceError("not_found", _("Not found."), 404) from None
    if not (selectors.is_unit_staff(actor) and supervisees_visible_to(actor).filter(
            pk=enrolment.supervisee_id).exists()):
        raise ServiceError("not_found", _("Not found."), 404)
    Outcome = TrainingEnrolment.Outcome
    if outcome not in (Outcome.COMPLETED, Outcome.LEFT):
        raise ServiceError("invalid", _("Choose completed or left before the end."), 422)
    if enrolment.is_done:
        raise ServiceError("already_done", _("The outcome of this training is already "
                                             "recorded."))
    if enrolment.started_on > today:
        raise ServiceError("not_started", _("This training starts on %(date)s.") % {
            "date": enrolment.started_on.isoformat()})
    finished_on = finished_on or today
    if finished_on < enrolment.started_on or finished_on > today:
        raise ServiceError("invalid", _("The end date must lie between the start of the "
                                        "training and today."), 422)
    enrolment.outcome = outcome
    enrolment.finished_on = finished_on
    enrolment.note = (note or "").strip()[:500]
    enrolment.recorded_by = actor
    enrolment.recorded_at = timezone.now()
    enrolment.save()
    access_log_record(actor=actor, supervisee=enrolment.supervisee,
                      action=AccessLogEntry.Action.EDIT,
                      what=_("Recorded the outcome of a training: %(outcome)s") % {
                          "outcome": enrolment.get_outcome_display()})
    return enrolment


def _placement_create(*, application: Application, job: Job, started_on: datetime.date,
                      by) -> Placement:
    placement = Placement.objects.create(
        application=application, supervisee=application.supervisee, job=job,
        organisation_id=job.organisation_id, started_on=started_on, created_by=by)
    FollowUp.objects.bulk_create([
        FollowUp(placement=placement, day=day,
                 due_on=started_on + datetime.timedelta(days=day))
        for day in FOLLOW_UP_DAYS])
    return placement


@transaction.atomic
def follow_up_complete(*, actor, follow_up_id, still_employed: bool, note: str = "",
                       today: datetime.date | None = None) -> FollowUp:
    """The caseworker records whether the person is still employed, once it is due."""
    today = today or timezone.localdate()
    try:
        follow_up = (FollowUp.objects.select_for_update(of=("self",))
                     .select_related("placement__supervisee").get(pk=follow_up_id))
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise ServiceError("not_found", _("Not found."), 404) from None
    placement = follow_up.placement
    if not (selectors.is_unit_staff(actor) and supervisees_visible_to(actor).filter(
            pk=placement.supervisee_id).exists()):
        raise ServiceError("not_found", _("Not found."), 404)
    if follow_up.completed_at is not None:
        raise ServiceError("already_done", _("This follow-up is already recorded."))
    if follow_up.due_on > today:
        raise ServiceError("not_due", _("This follow-up is due on %(date)s.") % {
            "date": follow_up.due_on.isoformat()})
    follow_up.completed_at = timezone.now()
    follow_up.completed_by = actor
    follow_up.still_employed = bool(still_employed)
    follow_up.note = (note or "").strip()[:500]
    follow_up.save()
    if not still_employed and placement.ended_on is None:
        placement.ended_on = today
        placement.save(update_fields=["ended_on"])
    access_log_record(actor=actor, supervisee=placement.supervisee,
                      action=AccessLogEntry.Action.EDIT,
                      what=_("Completed the %(day)s-day employment follow-up") % {
                          "day": follow_up.day})
    return follow_up


# --- Follow-up reminders ----------------------------------------------------------------------

def followup_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell each caseworker about the 30- and 90-day follow-ups that have fallen due and are
    not recorded yet, once per follow-up (FollowUp.reminded_at), so running it again — or
    twice a day — sends nothing new. A placement that has already ended needs no reminder;
    a person with no caseworker is reminded about once one is assigned."""
    today = today or timezone.localdate()
    due = (FollowUp.objects.filter(completed_at__isnull=True, reminded_at__isnull=True,
                                   due_on__lte=today, placement__ended_on__isnull=True,
                                   placement__supervisee__caseworker__isnull=False)
           .select_related("placement__supervisee__caseworker", "placement__job",
                           "placement__organisation")
           .order_by("due_on", "pk"))
    sent = 0
    now = timezone.now()
    for follow_up in due:
        with transaction.atomic():
            claimed = FollowUp.objects.filter(pk=follow_up.pk, reminded_at__isnull=True,
                                              completed_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            placement = follow_up.placement
            person = placement.supervisee
            notify(recipient=person.caseworker, kind="employment_follow_up",
                   title=_("%(day)s-day employment follow-up due: %(name)s") % {
                       "day": follow_up.day, "name": person.legal_name},
                   body=_("%(job)s · %(enterprise)s · started %(start)s, due %(due)s") % {
                       "job": placement.job.title, "enterprise": placement.organisation.name,
                       "start": placement.started_on.isoformat(),
                       "due": follow_up.due_on.isoformat()},
                   url=reverse("employment:person", kwargs={"pk": person.pk}))
            sent += 1
    return sent
