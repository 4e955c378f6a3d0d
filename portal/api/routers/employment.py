"""Employment help for phones: my ranked matches with the reasons, a job, applying, my
applications, withdrawing, and answering a caseworker's recommendation. Reads go through
employment.selectors, writes through employment.services; a refusal answers
{"detail", "code"} with the service's code. A job that is excluded for the caller (an
occupational ban, a prohibition order, their age, the travel limit) is 404, the same as one
that does not exist."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from employment import selectors, services
from employment.matching import Opening
from employment.models import Application, Job
from portal.api.common import absolute, participant
from portal.api.errors import errors
from portal.api.pagination import PageParams, page_of, paginate
from portal.api.schemas import LocalDateTime, Out, TermOut

router = Router(tags=["jobs"])


def _person(request):
    return participant(selectors.person_for(request.user))


# --- Schemas -------------------------------------------------------------------------------------

class ReasonOut(Out):
    sign: str = Field(..., description="+ in favour, - against, = for information")
    code: str = Field(..., description="Stable code, e.g. home_district, skills_used.")
    text: str = Field(..., description="The reason in the request's language.")


class MatchOut(Out):
    type: str = Field(..., description="job or training")
    id: int
    title: str
    organisation: str
    district: str
    industry: str
    shift: str = Field(..., description="day, evening, night, rotating or flexible")
    hours_per_week: int
    pay_min: int | None = Field(None, description="Yuan a month (jobs).")
    pay_max: int | None = None
    score: int = Field(..., description="Higher ranks first.")
    reasons: list[ReasonOut]
    my_application: str | None = Field(None, description="My application's status, if any.")
    url: str


class ApplicationOut(Out):
    id: int
    type: str = Field(..., description="job or training")
    opening_id: int
    title: str
    organisation: str
    status: str = Field(..., description="recommended (waiting for me to agree), applied, "
                                         "interview, offered, hired, declined or withdrawn")
    source: str = Field(..., description="person or caseworker")
    message: str = Field(..., description="My note to the enterprise.")
    recommendation_note: str = Field("", description="My caseworker's note, when they "
                                                     "recommended it (not shown to the "
                                                     "enterprise).")
    created_at: LocalDateTime
    updated_at: LocalDateTime
    started_on: datetime.date | None = Field(None, description="When hired: the start date.")


class JobOut(Out):
    id: int
    title: str
    organisation: str
    description: str
    industry: TermOut
    district: TermOut
    address: str
    shift: str
    work_days: list[int] = Field(..., description="ISO weekdays, 1 = Monday.")
    hours_per_week: int
    schedule: str
    pay_min: int | None
    pay_max: int | None
    places: int
    skills: list[TermOut]
    juveniles_allowed: bool
    status: str = Field(..., description="open or closed")
    reasons: list[ReasonOut] = Field(default_factory=list,
                                     description="For participants: why it fits them.")
    my_application: ApplicationOut | None = None
    url: str


class ApplyIn(Schema):
    message: str = Field("", max_length=500, description="A short note to the enterprise.")


class AnswerIn(Schema):
    agree: bool = Field(..., description="true: share the application with the enterprise.")



# --- Helpers -------------------------------------------------------------------------------------

def _term(obj) -> dict:
    return {"code": obj.code, "name": obj.name}


def _reasons(reasons) -> list[dict]:
    return [{"sign": r.sign, "code": r.code, "text": r.text} for r in reasons]


def _application(a: Application) -> dict:
    opening = a.opening
    placement = getattr(a, "placement", None) if a.job_id else None
    return {
        "id": a.pk, "type": "job" if a.job_id else "training", "opening_id": opening.pk,
        "title": opening.title, "organisation": opening.organisation.name,
        "status": a.status, "source": a.source, "message": a.message,
        "recommendation_note": a.recommendation_note,
        "created_at": a.created_at, "updated_at": a.updated_at,
        "started_on": placement.started_on if placement else None,
    }


def _match(request, row) -> dict:
    o: Opening = row.opening
    return {
        "type": o.kind, "id": o.id, "title": o.title, "organisation": o.organisation,
        "district": o.district, "industry": o.industry, "shift": o.shift,
        "hours_per_week": o.hours_per_week, "pay_min": o.pay_min, "pay_max": o.pay_max,
        "score": row.assessment.score, "reasons": _reasons(row.assessment.reasons),
        "my_application": row.application.status if row.application else None,
        "url": absolute(request, o.url),
    }


def _job_for(request, job_id: int) -> Job:
    try:
        return selectors.opening_for(request.user, Job, job_id)
    except PermissionDenied:
        # Roles with no business here (NGO staff, editors) get the same answer as for a
        # job that does not exist.
        raise Http404 from None


# --- Endpoints -----------------------------------------------------------------------------------

@router.get("/me/matches", url_name="me_matches",
            response={200: page_of(MatchOut), **errors(401, 403, 422)},
            summary="My ranked jobs and training places")
def my_matches(request, paging: Query[PageParams]):
    """Open jobs and training places I may take, best first, each with the reasons it
    ranks where it does. Openings an occupational ban, a prohibition order, my age or the
    travel limit rule out are not listed."""
    found = selectors.my_matches(request.user)
    if found is None:
        _person(request)  # 403
    page = paginate(found.rows, paging)
    page["items"] = [_match(request, row) for row in page["items"]]
    return page


@router.get("/jobs/{int:job_id}", url_name="job", response={200: JobOut, **errors(401, 404)},
            summary="A job")
def job_detail(request, job_id: int):
    """A job. For a participant, with why it fits them and their application if any; 404
    when the job is excluded for them (and they never applied)."""
    job = _job_for(request, job_id)
    assessment = job.assessment
    return {
        "id": job.pk, "title": job.title, "organisation": job.organisation.name,
        "description": job.description, "industry": _term(job.industry),
        "district": _term(job.district), "address": job.address, "shift": job.shift,
        "work_days": sorted(job.weekdays), "hours_per_week": job.hours_per_week,
        "schedule": job.schedule, "pay_min": job.pay_min, "pay_max": job.pay_max,
        "places": job.places, "skills": [_term(s) for s in job.skills.all()],
        "juveniles_allowed": job.juveniles_allowed, "status": job.status,
        "reasons": _reasons(assessment.reasons) if assessment and not assessment.excluded
        else [],
        "my_application": _application(job.my_application) if job.my_application else None,
        "url": absolute(request, reverse("employment:job", kwargs={"pk": job.pk})),
    }


@router.post("/jobs/{int:job_id}/apply", url_name="job_apply",
             response={201: ApplicationOut, **errors(401, 403, 404, 409)}, summary="Apply")
def job_apply(request, job_id: int, body: ApplyIn | None = None):
    """201 with the application. 409 `already_applied` (twice), `closed`, `declined` or
    `recommended` (agree to the recommendation instead); 404 for a job that is excluded for
    me or does not exist. Nothing changes on a refusal."""
    person = _person(request)
    job = _job_for(request, job_id)
    application = services.application_create(
        supervisee=person, job_id=job.pk, message=body.message if body else "")
    return Status(201, _application(application))


@router.get("/me/applications", url_name="me_applications",
            response={200: page_of(ApplicationOut), **errors(401, 403, 422)},
            summary="My applications")
def my_applications(request, paging: Query[PageParams]):
    """My applications, most recently changed first, recommendations waiting for my answer
    included (status `recommended`)."""
    person = _person(request)
    page = paginate(selectors.my_applications(person), paging)
    page["items"] = [_application(a) for a in page["items"]]
    return page


@router.post("/applications/{int:application_id}/withdraw", url_name="application_withdraw",
             response={200: ApplicationOut, **errors(401, 403, 404, 409)}, summary="Withdraw")
def application_withdraw(request, application_id: int):
    """200 with the withdrawn application; 409 `not_withdrawable` once it is closed (hired,
    declined, withdrawn); 404 if it is not mine."""
    person = _person(request)
    application = services.application_withdraw(supervisee=person,
                                                application_id=application_id)
    return _application(application)


@router.post("/applications/{int:application_id}/answer", url_name="application_answer",
             response={200: ApplicationOut, **errors(401, 403, 404, 409, 422)},
             summary="Answer a recommendation")
def application_answer(request, application_id: int, body: AnswerIn):
    """Agree to a caseworker's recommendation (the enterprise then sees the application) or
    refuse it. 409 `not_recommended` if it is not waiting for an answer, `closed` if the
    job has closed meanwhile."""
    person = _person(request)
    application = services.recommendation_answer(
        supervisee=person, application_id=application_id, agree=body.agree)
    return _application(application)
