"""Courses for a supervisee's phone: catalogue, enrolment, lessons and quizzes, classes
and sign-ups, study hours, the calendar address. Reads go through courses.selectors,
writes through courses.services; refusals answer {"detail", "code"} with the service's
code (full, deadline_passed, already_signed_up, already_enrolled, not_enrolled…)."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from courses import selectors, services
from courses.models import ClassSession, CoursePage, Enrolment, LessonProgress
from portal.access import own_supervisee
from portal.api.auth import token_user
from portal.api.common import absolute
from portal.api.errors import ApiError, errors
from portal.api.pagination import PageParams, page_of, paginate
from portal.api.schemas import LocalDateTime, Out
from portal.calendar import services as calendar_services
from portal.pagecache import public_for_visitors

router = Router(tags=["courses"])


def _learner(request):
    supervisee = own_supervisee(request.user, related=())
    if supervisee is None:
        raise ApiError(403, "not_a_learner",
                       _("Only people taking courses (supervisees) can do this."))
    return supervisee


def _viewer_supervisee(request):
    """On public endpoints (auth=None) ninja authenticates nobody, but a signed-in
    caller still gets their own view (enrolled, signed up): the session, or a valid
    bearer token if one was sent."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        header = request.headers.get("Authorization", "")
        scheme, _sep, raw = header.partition(" ")
        user = token_user(raw.strip())[0] if scheme.lower() == "bearer" else None
    return own_supervisee(user) if user is not None else None


# --- Schemas -----------------------------------------------------------------------------------

class CategoryOut(Out):
    slug: str
    name: str


class ProviderOut(Out):
    kind: str = Field(..., description="unit or organisation")
    name: str


class CourseOut(Out):
    id: int
    title: str
    summary: str
    category: CategoryOut
    format: str = Field(..., description="online, in_person or blended")
    audience: str = Field(..., description="all, adults or juveniles")
    study_hours: float
    provider: ProviderOut
    url: str = Field(..., description="The course's web page.")
    next_session: LocalDateTime | None = None
    enrolled: bool | None = Field(None, description="For supervisees: already enrolled.")


class LessonOut(Out):
    id: int
    title: str
    minutes: int
    has_quiz: bool
    done: bool | None = None
    url: str


class ProgressOut(Out):
    status: str = Field(..., description="active or completed")
    source: str = Field(..., description="self or assigned")
    due_on: datetime.date | None
    lessons_done: int
    lessons_total: int
    percent: int
    completed_at: LocalDateTime | None


class SessionOut(Out):
    id: int
    course_id: int
    course_title: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    venue: str
    address: str
    online: bool
    online_url: str | None = Field(None, description="Only for those signed up.")
    capacity: int
    places_left: int
    signup_closes_at: LocalDateTime
    study_hours: float
    status: str = Field(..., description="scheduled or cancelled")
    signed_up: bool | None = None
    ics_url: str


class CourseDetailOut(CourseOut):
    description_html: str
    lessons: list[LessonOut]
    progress: ProgressOut | None = Field(None, description="For an enrolled supervisee.")
    sessions: list[SessionOut]


class MyCourseOut(Out):
    course: CourseOut
    progress: ProgressOut


class QuestionOut(Out):
    id: str = Field(..., description="Use as the key in `answers`.")
    text: str
    choices: list[str]
    multiple: bool = Field(..., description="More than one answer is correct.")


class LessonDetailOut(LessonOut):
    course_id: int
    body_html: str
    pass_mark: int
    questions: list[QuestionOut]


class CompleteIn(Schema):
    answers: dict[str, list[int]] = Field(
        default_factory=dict,
        description="Question id → indexes of the chosen answers (from 0). Required for "
                    "a lesson with a quiz.")


class CompleteOut(Out):
    completed: bool = Field(..., description="The lesson now counts as done.")
    score: int | None = Field(None, description="Quiz score in percent.")
    passed: bool | None = None
    course_completed: bool
    feedback: dict[str, bool] = Field(default_factory=dict,
                                      description="Question id → answered right.")


class HeartbeatIn(Schema):
    seconds: int = Field(..., description="Seconds the page was visible since the page's "
                                          "previous report (0 when it opens or becomes "
                                          "visible again), 0–3600.")
    video_seconds: int | None = Field(None, description="Position in the lesson's video.")
    scroll_percent: int | None = Field(None, description="How far down the page, 0–100.")


class StudyTimeOut(Out):
    lesson_id: int
    seconds: int = Field(..., description="Visible time recorded on the lesson so far.")
    required_seconds: int = Field(..., description="The lesson's minimum study time.")
    remaining_seconds: int
    remaining_minutes: int = Field(..., description="What the person is told: about N "
                                                    "more minutes.")
    counts: bool = Field(..., description="Enough time spent: the lesson can be marked "
                                          "done.")
    done: bool = Field(..., description="The lesson is done.")
    video_seconds: int | None = Field(None, description="Where the person stopped in the "
                                                        "video.")
    scroll_percent: int | None = Field(None, description="Where the person stopped on the "
                                                         "page, 0–100.")


class ResumeOut(Out):
    lesson_id: int
    title: str
    url: str = Field(..., description="The lesson's page; the page returns to the "
                                      "position below when opened with #continue.")
    started: bool = Field(..., description="The person has opened a lesson of the course; "
                                           "false: this is the first lesson to start with.")
    video_seconds: int | None = None
    scroll_percent: int | None = None


class EnrolmentOut(Out):
    course_id: int
    status: str
    enrolled_at: LocalDateTime


class SignupOut(Out):
    session_id: int
    status: str = Field(..., description="confirmed")
    created_at: LocalDateTime


class HoursEntryOut(Out):
    id: int
    credited_on: datetime.date
    kind: str = Field(..., description="completion, attendance or correction")
    hours: float
    course_title: str | None
    corrects: int | None = Field(None, description="The entry this one corrects.")
    reason: str


class StudyHoursOut(Out):
    month: str = Field(..., description="YYYY-MM")
    done: float
    target: float | None
    remaining: float
    entries: list[HoursEntryOut]


class CalendarOut(Out):
    url: str = Field(..., description="Private .ics subscription address. Anyone with it "
                                      "sees the schedule; DELETE revokes it.")


class CourseFilters(Schema):
    category: str | None = Field(None, description="Category slug.")
    format: str | None = Field(None, description="online or in_person")
    q: str | None = Field(None, description="Words in the title or summary.")
    time: str | None = Field(None, description="morning, afternoon, evening or anytime")
    day: str | None = Field(None, description="weekday, weekend, mon … sun")
    provider: str | None = Field(None, description="unit-<id> or org-<id>")
    juveniles: bool | None = Field(None, description="Only courses suitable for juveniles.")


# --- Serialisers ---------------------------------------------------------------------------------

def _course(request, course: CoursePage) -> dict:
    provider = course.provider_organisation or course.provider_unit
    return {
        "id": course.pk, "title": course.title, "summary": course.summary,
        "category": {"slug": course.category.slug, "name": course.category.name},
        "format": course.format, "audience": course.audience,
        "study_hours": float(course.study_hours),
        "provider": {"kind": "organisation" if course.provider_organisation_id else "unit",
                     "name": str(provider) if provider else ""},
        "url": absolute(request, course.get_url(request)),
        "next_session": getattr(course, "next_session", None),
        "enrolled": getattr(course, "is_enrolled", None),
    }


def _session(request, session: ClassSession, *, taken: int | None = None) -> dict:
    taken = session.taken if taken is None else taken
    signed_up = getattr(session, "is_signed_up", None)
    return {
        "id": session.pk, "course_id": session.course_id, "course_title": session.course.title,
        "starts_at": session.starts_at, "ends_at": session.ends_at,
        "venue": session.venue, "address": session.address,
        "online": bool(session.online_url),
        "online_url": session.online_url if signed_up and session.online_url else None,
        "capacity": session.capacity, "places_left": max(session.capacity - taken, 0),
        "signup_closes_at": session.closes_at, "study_hours": float(session.study_hours),
        "status": session.status, "signed_up": signed_up,
        "ics_url": request.build_absolute_uri(
            reverse("courses:session_ics", kwargs={"pk": session.pk})),
    }


def _progress(enrolment: Enrolment, done: int, total: int) -> dict:
    percent = 100 if enrolment.is_completed else (round(100 * done / total) if total else 0)
    return {"status": enrolment.status, "source": enrolment.source, "due_on": enrolment.due_on,
            "lessons_done": done, "lessons_total": total, "percent": percent,
            "completed_at": enrolment.completed_at}


# --- Catalogue -----------------------------------------------------------------------------------

@router.get("/courses", url_name="courses", auth=None,
            response={200: page_of(CourseOut), **errors(422)}, summary="The catalogue")
def course_list(request, response: HttpResponse, filters: Query[CourseFilters],
                paging: Query[PageParams]):
    """Courses offered to the caller (a juvenile sees the courses for juveniles, an adult
    those for adults), newest categories first; filter by category, format, time of day,
    day, provider, suitability for juveniles and words."""
    supervisee = _viewer_supervisee(request)
    params = {k: ("true" if v is True else v) for k, v in filters.dict().items()
              if v not in (None, "", False)}
    filterset, qs = selectors.catalogue(request.user, params, supervisee=supervisee)
    if not filterset.is_valid():
        raise ApiError(422, "invalid", _("Some filter values are invalid."))
    page = paginate(qs, paging)
    page["items"] = [_course(request, c) for c in page["items"]]
    public_for_visitors(request, response)
    return page


@router.get("/courses/{int:course_id}", url_name="course", auth=None,
            response={200: CourseDetailOut, **errors(404)}, summary="A course")
def course_detail(request, response: HttpResponse, course_id: int):
    """A course with its lessons and upcoming classes, and the caller's progress."""
    course = selectors.course_for(course_id)
    supervisee = _viewer_supervisee(request)
    lessons = selectors.lessons_of(course)
    enrolment = selectors.enrolment_of(supervisee, course)
    done_ids = set()
    if enrolment is not None:
        done_ids = set(LessonProgress.objects.filter(
            enrolment=enrolment, lesson_id__in=[lesson.pk for lesson in lessons],
        ).values_list("lesson_id", flat=True))
    sessions = selectors.sessions_upcoming(course=course, supervisee=supervisee)[:50]
    body = _course(request, course)
    body.update(
        enrolled=enrolment is not None if supervisee else None,
        description_html=course.description or "",
        lessons=[{"id": lesson.pk, "title": lesson.title, "minutes": lesson.minutes,
                  "has_quiz": lesson.has_quiz,
                  "done": (lesson.pk in done_ids) if enrolment else None,
                  "url": absolute(request, lesson.get_url(request))} for lesson in lessons],
        progress=_progress(enrolment, len(done_ids), len(lessons)) if enrolment else None,
        sessions=[_session(request, s) for s in sessions],
    )
    public_for_visitors(request, response)
    return body


@router.post("/courses/{int:course_id}/enrol", url_name="course_enrol",
             response={201: EnrolmentOut, **errors(401, 403, 404, 409)}, summary="Enrol")
def course_enrol(request, course_id: int):
    """201 with the enrolment; 409 `already_enrolled` the second time, 409
    `not_suitable` for a course not offered to the caller."""
    supervisee = _learner(request)
    course = selectors.course_for(course_id)
    enrolment = services.enrolment_create(supervisee=supervisee, course=course)
    return Status(201, {"course_id": course.pk, "status": enrolment.status,
                        "enrolled_at": enrolment.enrolled_at})


@router.get("/lessons/{int:lesson_id}", url_name="lesson", auth=None,
            response={200: LessonDetailOut, **errors(404)}, summary="A lesson")
def lesson_detail(request, lesson_id: int):
    """The lesson's content (HTML) and its quiz questions, without the answers."""
    lesson = selectors.lesson_for(lesson_id)
    course = selectors.course_of(lesson)
    supervisee = _viewer_supervisee(request)
    enrolment = selectors.enrolment_of(supervisee, course)
    done = None
    if enrolment is not None:
        done = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).exists()
    questions = [{"id": q["id"], "text": q["text"], "choices": q["choices"],
                  "multiple": len(q["correct"]) > 1} for q in services.quiz_questions(lesson)]
    return {"id": lesson.pk, "title": lesson.title, "minutes": lesson.minutes,
            "has_quiz": bool(questions), "done": done,
            "url": absolute(request, lesson.get_url(request)), "course_id": course.pk,
            "body_html": str(lesson.body.render_as_block()) if lesson.body else "",
            "pass_mark": lesson.pass_mark, "questions": questions}


@router.post("/lessons/{int:lesson_id}/complete", url_name="lesson_complete",
             response={200: CompleteOut, **errors(401, 403, 404, 422)},
             summary="Complete a lesson")
def lesson_complete(request, lesson_id: int, payload: CompleteIn):
    """Mark a lesson done. With a quiz, send every question's answers: a pass (at the
    lesson's pass mark) completes the lesson; a fail is recorded as an attempt and answers
    `completed: false`. 403 `not_enrolled` when the caller has not enrolled in the course;
    422 `invalid_answers` when a question is unanswered or an index is out of range."""
    supervisee = _learner(request)
    lesson = selectors.lesson_for(lesson_id)
    result = services.lesson_complete(supervisee=supervisee, lesson=lesson,
                                      answers=payload.answers)
    return {"completed": result.completed, "score": result.score, "passed": result.passed,
            "course_completed": result.course_completed, "feedback": result.feedback}


def _study_time(lesson, time, *, done: bool) -> dict:
    return {"lesson_id": lesson.pk, "seconds": time.seconds,
            "required_seconds": time.required, "remaining_seconds": time.remaining,
            "remaining_minutes": time.remaining_minutes, "counts": time.counts,
            "done": done, "video_seconds": time.video_seconds,
            "scroll_percent": time.scroll_percent}


@router.post("/lessons/{int:lesson_id}/heartbeat", url_name="lesson_heartbeat",
             response={200: StudyTimeOut, **errors(401, 403, 404, 422)},
             summary="Report study time on a lesson")
def lesson_heartbeat(request, lesson_id: int, payload: HeartbeatIn):
    """What the lesson page sends every 15 seconds while it is visible (and once when it
    is hidden): the visible seconds since its previous report. The server adds at most
    the real time since the caller's previous report on any lesson, and at most 60
    seconds per report. 403 `not_enrolled`; 422 `invalid_heartbeat` for a value out of
    range (nothing is recorded)."""
    supervisee = _learner(request)
    lesson = selectors.lesson_for(lesson_id)
    time = services.lesson_heartbeat(supervisee=supervisee, lesson=lesson,
                                     seconds=payload.seconds,
                                     video_seconds=payload.video_seconds,
                                     scroll_percent=payload.scroll_percent)
    return _study_time(lesson, time, done=time.done)


@router.get("/lessons/{int:lesson_id}/progress", url_name="lesson_progress",
            response={200: StudyTimeOut, **errors(401, 403, 404)},
            summary="My study time on a lesson")
def lesson_progress(request, lesson_id: int):
    """The caller's recorded time on the lesson against its minimum, whether it is done,
    and where they stopped. 403 `not_enrolled`."""
    supervisee = _learner(request)
    lesson = selectors.lesson_for(lesson_id)
    course = selectors.course_of(lesson)
    enrolment = selectors.enrolment_of(supervisee, course)
    if enrolment is None:
        services.refuse("not_enrolled")
    time, _row = selectors.lesson_study_time(enrolment, lesson, course,
                                             len(selectors.lessons_of(course)))
    done = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).exists()
    return _study_time(lesson, time, done=done)


@router.get("/courses/{int:course_id}/resume", url_name="course_resume",
            response={200: ResumeOut, **errors(401, 403, 404, 409)},
            summary="Where to continue a course")
def course_resume(request, course_id: int):
    """The lesson "continue learning" opens: the one the caller last had open (with the
    position in it), else the first not done. 403 `not_enrolled`; 409 `no_lessons` for a
    course without online lessons."""
    supervisee = _learner(request)
    course = selectors.course_for(course_id)
    enrolment = selectors.enrolment_of(supervisee, course)
    if enrolment is None:
        services.refuse("not_enrolled")
    lessons = selectors.lessons_of(course)
    done_ids = set(LessonProgress.objects.filter(
        enrolment=enrolment, lesson_id__in=[lesson.pk for lesson in lessons],
    ).values_list("lesson_id", flat=True))
    outline = [{"pk": lesson.pk, "title": lesson.title, "lesson": lesson} for lesson in lessons]
    point = selectors.resume_point(enrolment, outline, done_ids)
    if point is None:
        raise ApiError(409, "no_lessons", _("This course has no online lessons."))
    lesson = point.lesson["lesson"]
    return {"lesson_id": lesson.pk, "title": lesson.title,
            "url": absolute(request, lesson.get_url(request)) + "#continue",
            "started": point.started, "video_seconds": point.video_seconds,
            "scroll_percent": point.scroll_percent}


@router.get("/me/courses", url_name="me_courses",
            response={200: page_of(MyCourseOut), **errors(401, 403, 422)},
            summary="My courses")
def my_courses(request, paging: Query[PageParams]):
    """The caller's enrolments with progress, unfinished first."""
    supervisee = _learner(request)
    start = (paging.page - 1) * paging.page_size
    items, count = selectors.enrolments_page(supervisee, start, paging.page_size,
                                             providers="api")
    return {"items": [{"course": _course(request, r.course),
                       "progress": _progress(r.enrolment, r.lessons_done, r.lessons_total)}
                      for r in selectors.progress_rows(items)],
            "count": count}


# --- Classes ---------------------------------------------------------------------------------------

@router.get("/sessions", url_name="sessions", auth=None,
            response={200: page_of(SessionOut), **errors(422)}, summary="Classes")
def session_list(request, paging: Query[PageParams], course: int | None = None):
    """Classes that have not ended, soonest first; `course` limits them to one course."""
    supervisee = _viewer_supervisee(request)
    qs = selectors.sessions_upcoming(supervisee=supervisee)
    if course is not None:
        qs = qs.filter(course_id=course)
    page = paginate(qs, paging)
    page["items"] = [_session(request, s) for s in page["items"]]
    return page


@router.post("/sessions/{int:session_id}/signup", url_name="session_signup",
             response={201: SignupOut, **errors(401, 403, 404, 409)}, summary="Sign up")
def session_signup(request, session_id: int):
    """201 with the sign-up. 409 with code `full`, `deadline_passed`,
    `already_signed_up`, `session_cancelled` or `not_suitable`; nothing changes then."""
    supervisee = _learner(request)
    session = selectors.session_public(session_id)
    signup = services.session_signup(session_id=session.pk, supervisee=supervisee)
    return Status(201, {"session_id": session.pk, "status": signup.status,
                        "created_at": signup.created_at})


@router.delete("/sessions/{int:session_id}/signup", url_name="session_signup",
               response={204: None, **errors(401, 403, 404, 409)}, summary="Cancel sign-up")
def session_signup_cancel(request, session_id: int):
    """204. 409 `not_signed_up` without a sign-up, `session_started` once it began."""
    supervisee = _learner(request)
    session = selectors.session_public(session_id)
    services.session_signup_cancel(session_id=session.pk, supervisee=supervisee,
                                   cancelled_by=request.user)
    return Status(204, None)


# --- Study hours and calendar ------------------------------------------------------------------

@router.get("/me/study-hours", url_name="me_study_hours",
            response={200: StudyHoursOut, **errors(401, 403, 422)},
            summary="My study hours in a month")
def my_study_hours(request, month: str | None = None):
    """Hours counted in `month` (YYYY-MM, this month by default) against the target of
    the caller's management level, with every ledger entry (corrections included)."""
    supervisee = _learner(request)
    first = selectors.parse_month(month)
    if first is None:
        raise ApiError(422, "invalid_month", _("Give the month as YYYY-MM."))
    hours = selectors.study_hours_month(supervisee, first)
    return {
        "month": first.strftime("%Y-%m"),
        "done": float(hours.done),
        "target": float(hours.target) if hours.target is not None else None,
        "remaining": float(hours.remaining),
        "entries": [{"id": e.pk, "credited_on": e.credited_on, "kind": e.kind,
                     "hours": float(e.hours),
                     "course_title": e.course_title,
                     "corrects": e.corrects_id, "reason": e.reason} for e in hours.entries],
    }


def _calendar_url(request, raw: str) -> str:
    return request.build_absolute_uri(calendar_services.feed_path(raw))


@router.get("/me/calendar", url_name="me_calendar", response={200: CalendarOut, **errors(401)},
            summary="My calendar address")
def my_calendar(request):
    """The caller's private .ics subscription address (made on first use)."""
    return {"url": _calendar_url(request,
                                 calendar_services.feed_token_ensure(user=request.user))}


@router.post("/me/calendar", url_name="me_calendar",
             response={200: CalendarOut, **errors(401)}, summary="New calendar address")
def my_calendar_renew(request):
    """A new address; the old one stops working at once."""
    _feed, raw = calendar_services.feed_create(user=request.user)
    return {"url": _calendar_url(request, raw)}


@router.delete("/me/calendar", url_name="me_calendar", response={204: None, **errors(401)},
               summary="Revoke my calendar address")
def my_calendar_revoke(request):
    calendar_services.feed_revoke(user=request.user)
    return Status(204, None)

