"""Reads for courses, each taking the acting user. Who may see or do what is decided
here with portal.access (supervisees_visible_to, display_name_for_partner); views and
the API call these and do not filter the ORM for permissions themselves.

Organisers: a course's classes are run by its provider. Partner staff organise the
classes of their organisation's courses. Unit staff (caseworkers, administrators)
organise the classes of courses provided by a unit in their line (their unit, the units
below it, or the bureau above it) and of partners working with such a unit, so a squad's
caseworker can take attendance at the county's class their people attend.

What an organiser sees of the people signed up: staff who may open the person's record
see the legal name; everyone else sees the partner display name (alias or masked name)
and never a juvenile or a sealed file: those appear only as a count, and only staff who
may open their record can record their attendance (Community Corrections Law Arts. 52,
54). Nobody outside the unit learns a person's correction status.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from portal.access import (
    Role,
    actor_for,
    display_name_for_partner,
    own_supervisee,
    supervisees_visible_to,
)
from portal.organisations.models import Organisation, Unit
from portal.people.models import LevelTarget, Supervisee

from .filters import CourseFilter
from .models import (
    Attendance,
    Audience,
    ClassSession,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    LessonTime,
    QuizAttempt,
    SessionSignup,
    StudyHoursEntry,
)

CATALOGUE_PAGE_SIZE = 12


# --- Courses anyone may see --------------------------------------------------------------------

def courses_live() -> QuerySet:
    return CoursePage.objects.live().public()


def courses_for_person(supervisee) -> QuerySet:
    """The catalogue as a person sees it: juveniles' classes are kept apart from adults'
    (Art. 52), so each sees only the courses offered to them."""
    qs = courses_live()
    if supervisee is None:
        return qs
    if supervisee.is_juvenile:
        return qs.filter(audience__in=[Audience.ALL, Audience.JUVENILES])
    return qs.filter(audience__in=[Audience.ALL, Audience.ADULTS])


def course_for(pk) -> CoursePage:
    try:
        return courses_live().select_related(
            "category", "provider_unit", "provider_organisation").get(pk=pk)
    except (CoursePage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def lesson_for(pk) -> LessonPage:
    try:
        return LessonPage.objects.live().public().get(pk=pk)
    except (LessonPage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def course_of(lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.parent_of(lesson).select_related("category").get()


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().defer("body").order_by("path"))


def session_public(pk) -> ClassSession:
    """A class of a live course (for its .ics file and the sign-up buttons)."""
    try:
        return (
            ClassSession.objects.select_related("course")
            .filter(course__in=courses_live().values("pk")).get(pk=pk)
        )
    except (ClassSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _with_course_annotations(qs: QuerySet, supervisee) -> QuerySet:
    now = timezone.now()
    upcoming = ClassSession.objects.filter(
        course=OuterRef("pk"), status=ClassSession.Status.SCHEDULED, starts_at__gte=now)
    qs = qs.annotate(
        next_session=Subquery(upcoming.order_by("starts_at").values("starts_at")[:1]))
    if supervisee is not None:
        qs = qs.annotate(is_enrolled=Exists(Enrolment.objects.filter(
            course=OuterRef("pk"), supervisee=supervisee)))
    return qs


def catalogue(user, params, *, within=None, supervisee=None):
    """(filterset, queryset) of the catalogue for `user` with the GET `params`, ordered,
    with each course's next class (and, for a person, whether they are enrolled)."""
    filterset, qs = catalogue_filter(params, within=within, supervisee=supervisee)
    return filterset, _with_course_annotations(qs, supervisee)


def catalogue_filter(params, *, within=None, supervisee=None, providers=None):
    qs = courses_for_person(supervisee)
    if within is not None:
        qs = qs.descendant_of(within)
    qs = (
        qs.select_related("category", "provider_unit", "provider_organisation")
        .defer_streamfields().defer("description")
        .order_by("category__sort_order", "title", "pk")
    )
    filterset = CourseFilter(params, queryset=qs,
                             provider_choices=provider_choices() if providers is None
                             else providers)
    return filterset, (filterset.qs if filterset.is_valid() else qs.none())


def provider_choices() -> list[tuple[str, str]]:
    """Units and partners that provide at least one live course (two queries)."""
    live = courses_live()
    units = Unit.objects.filter(courses__in=live.values("pk")).distinct().order_by("name")
    orgs = Organisation.objects.filter(courses__in=live.values("pk")).distinct().order_by(
        "name")
    return ([(f"unit-{u.pk}", u.name) for u in units]
            + [(f"org-{o.pk}", o.name) for o in orgs])


FILTER_KEYS = ("q", "category", "format", "time", "day", "provider", "juveniles")


def _audience_group(supervisee) -> str:
    if supervisee is None:
        return "everyone"
    return "juveniles" if supervisee.is_juvenile else "adults"


def course_cards(ids, *, supervisee=None) -> QuerySet:
    """The courses `ids` ready for cards, in the catalogue's order. Lazy: a cached
    fragment that already holds the cards never runs it."""
    qs = (
        CoursePage.objects.filter(pk__in=list(ids))
        .select_related("category", "provider_unit", "provider_organisation")
        .defer_streamfields().defer("description")
        .order_by("category__sort_order", "title", "pk")
    )
    return _with_course_annotations(qs, supervisee)


def enrolled_course_ids(supervisee) -> set[int]:
    return set(Enrolment.objects.filter(supervisee=supervisee)
               .values_list("course_id", flat=True))


def planned_course_ids(supervisee) -> list[int]:
    """The courses of the person's help plan (casework), in the order they were added."""
    if supervisee is None:
        return []
    return list(CoursePage.help_plans.through.objects
                .filter(helpplan__supervisee_id=supervisee.pk)
                .order_by("pk").values_list("coursepage_id", flat=True))


def recommended_context(supervisee, *, enrolled, planned=None, version=None) -> dict:
    """The "recommended for you" cards and what their cached fragment is keyed on: the
    catalogue version, and the person's age group, enrolments and help plan's courses
    (the cards are the same for everyone alike in those)."""
    from .cache import CACHE_SECONDS, catalogue_version

    if planned is None:
        planned = planned_course_ids(supervisee)
    # Lazy: even building the queryset reads (the pages' view restrictions).
    return {"recommended": SimpleLazyObject(lambda: recommended_for(supervisee)),
            "recommended_key": (_audience_group(supervisee), sorted(enrolled), list(planned)),
            "catalogue_version": version or catalogue_version(),
            "cache_seconds": CACHE_SECONDS}


def catalogue_context(request, *, within) -> dict:
    """The catalogue page. Which courses match a filter is kept with the catalogue
    version; the template keeps the cards and the filter form as fragments keyed on it.
    Per request there remain the person's record, enrolments and help plan."""
    from django.http import QueryDict

    from .cache import CACHE_SECONDS, cached, catalogue_version

    supervisee = own_supervisee(request.user, related=())
    enrolled, planned = set(), []
    if supervisee is not None:
        enrolled = enrolled_course_ids(supervisee)
        planned = planned_course_ids(supervisee)
    params = tuple(sorted((k, v) for k in FILTER_KEYS for v in request.GET.getlist(k)
                          if v.strip()))
    data = QueryDict(mutable=True)
    for k, v in params:
        data.appendlist(k, v)
    version = catalogue_version()

    def providers():
        return cached(version, ("providers",), provider_choices)

    def matching():
        filterset, qs = catalogue_filter(data, within=within, supervisee=supervisee,
                                         providers=providers())
        return {"ids": list(qs.values_list("pk", flat=True)),
                "errors": bool(filterset.errors)}

    found = cached(version, ("catalogue", _audience_group(supervisee), within.pk, params),
                   matching)
    page = Paginator(found["ids"], CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "courses": page,
        "course_ids": ids,
        "cards": course_cards(ids, supervisee=supervisee),
        "enrolled_here": sorted(enrolled.intersection(ids)),
        # Built only when the template's fragment of the form is not in the cache.
        "filter": SimpleLazyObject(lambda: CourseFilter(
            data, queryset=CoursePage.objects.none(), provider_choices=providers())),
        "filter_params": params,
        "filter_errors": found["errors"],
        "supervisee": supervisee,
        "querystring": query.urlencode(),
        "filtered": bool(params),
        "catalogue_version": version,
        "cache_seconds": CACHE_SECONDS,
    }
    if supervisee is not None and not params and page.number == 1:
        context.update(recommended_context(supervisee, enrolled=enrolled, planned=planned,
                                           version=version))
    return context


# --- One course, one lesson ----------------------------------------------------------------------

def sessions_upcoming(*, course=None, supervisee=None) -> QuerySet:
    """Classes that have not ended, with places taken (and whether the person is in)."""
    qs = ClassSession.objects.filter(ends_at__gte=timezone.now())
    if course is None:
        qs = qs.filter(course__in=courses_live().values("pk"))
    qs = (
        qs.select_related("course")
        .annotate(taken=Count("signups", filter=Q(
            signups__status=SessionSignup.Status.CONFIRMED)))
        .order_by("starts_at", "pk")
    )
    if course is not None:
        qs = qs.filter(course=course)  # the caller has it from course_for (live)
    if supervisee is not None:
        qs = qs.annotate(is_signed_up=Exists(SessionSignup.objects.filter(
            session=OuterRef("pk"), supervisee=supervisee,
            status=SessionSignup.Status.CONFIRMED)))
    return qs


def enrolment_of(supervisee, course) -> Enrolment | None:
    if supervisee is None:
        return None
    return Enrolment.objects.filter(supervisee=supervisee, course=course).first()


def course_outline(request, course: CoursePage) -> dict:
    """What everyone sees alike on a course page (its lessons, category and provider),
    kept with the catalogue version."""
    from .cache import cached, catalogue_version

    def compute():
        lessons = [{"pk": lesson.pk, "title": lesson.title, "minutes": lesson.minutes,
                    "has_quiz": lesson.has_quiz, "url": lesson.get_url(request)}
                   for lesson in lessons_of(course)]
        provider = course.provider_organisation or course.provider_unit
        index = CourseIndexPage.objects.ancestor_of(course).first()
        return {"lessons": lessons, "category": str(course.category),
                "provider": str(provider) if provider else "",
                "catalogue_url": index.get_url(request) if index else ""}

    return cached(catalogue_version(), ("outline", course.pk), compute)


COURSE_PAGE_SESSIONS = 20


def course_sessions(course: CoursePage, *, supervisee=None, now=None,
                    size: int = COURSE_PAGE_SESSIONS) -> list[ClassSession]:
    """A course's next `size` classes that have not ended, each with its places left,
    whether sign-up is open and (for a person) whether they are signed up."""
    now = now or timezone.now()
    qs = (
        ClassSession.objects.filter(course=course, ends_at__gte=now)
        .annotate(taken=Count("signups", filter=Q(
            signups__status=SessionSignup.Status.CONFIRMED)))
        .order_by("starts_at", "pk")
    )
    if supervisee is not None:
        qs = qs.annotate(is_signed_up=Exists(SessionSignup.objects.filter(
            session=OuterRef("pk"), supervisee=supervisee,
            status=SessionSignup.Status.CONFIRMED)))
    sessions = list(qs[:size])
    for session in sessions:
        session.places_left = max(session.capacity - session.taken, 0)
        session.open_for_signup = session.is_open(now)
    return sessions


def course_page_context(request, course: CoursePage) -> dict:
    actor = actor_for(request.user)
    supervisee = own_supervisee(request.user, related=())
    outline = course_outline(request, course)
    lessons = outline["lessons"]
    enrolment = enrolment_of(supervisee, course)
    done_ids = set()
    if enrolment is not None:
        # Only lessons still in the course count (one may have been unpublished).
        done_ids = {lesson["pk"] for lesson in lessons} & set(
            LessonProgress.objects.filter(enrolment=enrolment)
            .values_list("lesson_id", flat=True))
    can_organise = (
        actor.has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.PARTNER_STAFF, Role.SUPERUSER)
        and courses_organised_by(request.user).filter(pk=course.pk).exists()
    )
    resume = None
    if enrolment is not None and not enrolment.is_completed and lessons:
        resume = resume_point(enrolment, lessons, done_ids)
    return {
        "supervisee": supervisee,
        "for_person": supervisee is not None,
        "suits": supervisee is None or course.suits(supervisee),
        "lessons": [(lesson, lesson["pk"] in done_ids) for lesson in lessons],
        "category_name": outline["category"],
        "provider_name": outline["provider"],
        "catalogue_url": outline["catalogue_url"],
        "enrolment": enrolment,
        "progress": _percent(len(done_ids), len(lessons)),
        "done_count": len(done_ids),
        "sessions": course_sessions(course, supervisee=supervisee),
        "next_path": request.path,
        "can_organise": can_organise,
        "resume": resume,
    }


@dataclass
class ResumePoint:
    lesson: dict  # the course outline's entry: pk, title, url
    started: bool  # the person has opened a lesson of the course before
    video_seconds: int | None = None
    scroll_percent: int | None = None


def resume_point(enrolment: Enrolment, lessons: list[dict], done_ids=frozenset()
                 ) -> ResumePoint | None:
    """Where "continue learning" takes the person: the lesson of the course they last had
    open (and where in it), else the first lesson not done, else the first."""
    if not lessons:
        return None
    by_pk = {lesson["pk"]: lesson for lesson in lessons}
    last = (LessonTime.objects.filter(enrolment=enrolment, lesson_id__in=list(by_pk))
            .order_by("-last_seen_at", "-pk")
            .values("lesson_id", "video_seconds", "scroll_percent").first())
    if last is not None:
        return ResumePoint(lesson=by_pk[last["lesson_id"]], started=True,
                           video_seconds=last["video_seconds"],
                           scroll_percent=last["scroll_percent"])
    first = next((lesson for lesson in lessons if lesson["pk"] not in done_ids), lessons[0])
    return ResumePoint(lesson=first, started=False)


def lesson_study_time(enrolment: Enrolment | None, lesson: LessonPage, course: CoursePage,
                      lesson_count: int):
    """The person's time on the lesson against its minimum (services.StudyTime), and the
    row it comes from (None before the first heartbeat)."""
    from .services import StudyTime

    row = None
    if enrolment is not None:
        row = LessonTime.objects.filter(enrolment=enrolment, lesson=lesson).first()
    required = lesson.required_seconds(course_hours=course.study_hours,
                                       lesson_count=lesson_count)
    if row is None:
        return StudyTime(seconds=0, required=required), None
    return StudyTime(seconds=row.seconds, required=required, video_seconds=row.video_seconds,
                     scroll_percent=row.scroll_percent), row


def lesson_page_context(request, lesson: LessonPage) -> dict:
    from . import services
    from .services import quiz_questions

    supervisee = own_supervisee(request.user)
    course = course_of(lesson)
    siblings = list(LessonPage.objects.child_of(course).live().defer_streamfields()
                    .order_by("path"))
    index = next((i for i, row in enumerate(siblings) if row.pk == lesson.pk), 0)
    enrolment = enrolment_of(supervisee, course)
    done = attempt = None
    if enrolment is not None:
        done = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).first()
        attempt = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson).first()
    questions = quiz_questions(lesson)
    if attempt is not None:
        for question in questions:
            picked = set(attempt.answers.get(question["id"], []))
            question["was_right"] = picked == question["correct"]
            question["picked"] = picked
    for question in questions:
        question["multiple"] = len(question["correct"]) > 1
        question.pop("correct")  # never sent to the browser
    time, time_row = lesson_study_time(enrolment, lesson, course, len(siblings))
    return {
        "time": time,
        "time_row": time_row,
        "beat_seconds": services.BEAT_SECONDS,
        "supervisee": supervisee,
        "course": course,
        "enrolment": enrolment,
        "done": done,
        "attempt": attempt,
        "questions": questions,
        "position": index + 1,
        "lesson_count": len(siblings),
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
    }


def _percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


# --- A person's learning ----------------------------------------------------------------------

@dataclass
class CourseProgress:
    enrolment: Enrolment
    course: CoursePage
    lessons_total: int
    lessons_done: int
    percent: int
    overdue: bool = False


def enrolments_of(supervisee, *, providers: bool = True) -> QuerySet:
    """The person's enrolments, unfinished first, the soonest due first. With
    `providers=False` (the "my courses" page, which shows neither), without the course's
    category, provider and the assigning caseworker."""
    related = ["course"]
    if providers:
        related += ["course__category", "course__provider_unit",
                    "course__provider_organisation", "assigned_by"]
    return (
        Enrolment.objects.filter(supervisee=supervisee)
        .select_related(*related)
        .defer("course__description")
        .annotate(**_lesson_counts())
        .order_by("status", F("due_on").asc(nulls_last=True), "-enrolled_at", "-pk")
    )


def _lesson_counts() -> dict:
    """The course's live lessons (its children) and those of them the enrolment completed,
    as subqueries of the enrolment's row (what progress_rows would otherwise ask for)."""
    children = {"path__startswith": OuterRef("course__path"),
                "depth": OuterRef("course__depth") + 1}
    lessons = (LessonPage.objects.live().filter(**children).order_by()
               .values("depth").annotate(n=Count("pk")).values("n"))
    done = (LessonProgress.objects.filter(
        enrolment=OuterRef("pk"), lesson__live=True,
        **{f"lesson__{k}": v for k, v in children.items()})
        .order_by().values("enrolment").annotate(n=Count("pk")).values("n"))
    return {"lessons_total": Coalesce(Subquery(lessons), 0),
            "lessons_done": Coalesce(Subquery(done), 0)}


def page_with_count(qs: QuerySet, start: int, size: int) -> tuple[list, int]:
    """One page of `qs` from `start` and the total: the page first, and a COUNT only when
    a short page that is not past the end does not already tell it."""
    items = list(qs[start:start + size])
    if len(items) < size and (items or start == 0):
        return items, start + len(items)
    return items, qs.count()


# What the API's course entries show (portal/api/routers/courses._course), and no more:
# a course page is a Wagtail page of forty columns.
API_FIELDS = (
    "id", "supervisee_id", "source", "due_on", "status", "completed_at",
    "course", "course__title", "course__slug", "course__url_path", "course__summary",
    "course__format", "course__audience", "course__study_hours",
    "course__category", "course__category__slug", "course__category__name",
    "course__provider_unit", "course__provider_unit__name",
    "course__provider_organisation", "course__provider_organisation__name",
)


# What the "my courses" page shows of each enrolment and its course.
PAGE_FIELDS = ("id", "supervisee_id", "source", "due_on", "status", "completed_at",
               "course", "course__title", "course__slug", "course__url_path")


def _enrolment_rows(supervisee, providers: bool | str) -> QuerySet:
    if providers is False:
        return enrolments_of(supervisee, providers=False).only(*PAGE_FIELDS)
    if providers == "api":
        return (enrolments_of(supervisee).select_related(None)
                .select_related("course__category", "course__provider_unit",
                                "course__provider_organisation").only(*API_FIELDS))
    return enrolments_of(supervisee)


def enrolments_page(supervisee, start: int, size: int, *,
                    providers: bool | str = True) -> tuple[list, int]:
    """page_with_count() of enrolments_of(). `providers=False`: only what "my courses"
    shows; `providers="api"`: only what the API's entries show."""
    return page_with_count(_enrolment_rows(supervisee, providers), start, size)


class FirstRows:
    """A list's first rows and its total, for Paginator (which counts with count() and
    takes page 1 by slicing), when the total is known without a COUNT."""

    def __init__(self, rows: list, total: int):
        self.rows, self.total = rows, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.rows[index]


def my_courses(supervisee) -> list[CourseProgress]:
    return progress_rows(list(enrolments_of(supervisee)))


def progress_rows(enrolments: list[Enrolment]) -> list[CourseProgress]:
    """Progress for these enrolments: none when they come from enrolments_of (which
    counts the lessons with them), else two queries however many there are."""
    if not enrolments:
        return []
    today = timezone.localdate()
    if all(hasattr(e, "lessons_total") and hasattr(e, "lessons_done") for e in enrolments):
        return [_progress_row(e, e.lessons_total, e.lessons_done, today) for e in enrolments]
    courses = {e.course.path: e.course for e in enrolments}
    steplen = CoursePage.steplen
    depth = {c.depth + 1 for c in courses.values()}
    lesson_course: dict[int, int] = {}
    totals: dict[int, int] = {}
    lesson_q = reduce(or_, (Q(path__startswith=p) for p in courses))
    for pk, path in (LessonPage.objects.live().filter(lesson_q, depth__in=depth)
                     .values_list("pk", "path")):
        course = courses.get(path[:-steplen])
        if course is not None:
            lesson_course[pk] = course.pk
            totals[course.pk] = totals.get(course.pk, 0) + 1
    done: dict[int, int] = {}
    for enrolment_id, _lesson_id in LessonProgress.objects.filter(
            enrolment__in=enrolments, lesson_id__in=list(lesson_course)).values_list(
            "enrolment_id", "lesson_id"):
        done[enrolment_id] = done.get(enrolment_id, 0) + 1
    return [_progress_row(e, totals.get(e.course_id, 0), done.get(e.pk, 0), today)
            for e in enrolments]


def _progress_row(e: Enrolment, total: int, finished: int, today=None) -> CourseProgress:
    today = today or timezone.localdate()
    percent = 100 if e.is_completed else _percent(finished, total)
    return CourseProgress(
        enrolment=e, course=e.course, lessons_total=total, lessons_done=finished,
        percent=percent, overdue=bool(e.due_on and e.due_on < today and not e.is_completed),
    )


def upcoming_signups(supervisee, *, size: int = 20, now=None) -> list[SessionSignup]:
    """The person's next `size` classes (my_signups), with only what "my courses" shows
    of each: the class and its course's title and address."""
    return list(
        my_signups(supervisee, now=now)
        .only(*(f"session__{f.name}" for f in ClassSession._meta.concrete_fields),
              "id", "session", "supervisee_id", "status",
              "session__course__title", "session__course__slug", "session__course__url_path")
        [:size])


def my_signups(supervisee, *, upcoming_only=True, now=None) -> QuerySet:
    qs = (
        SessionSignup.objects.filter(supervisee=supervisee,
                                     status=SessionSignup.Status.CONFIRMED)
        .select_related("session", "session__course").order_by("session__starts_at")
    )
    if upcoming_only:
        qs = qs.filter(session__ends_at__gte=now or timezone.now())
    return qs


def recommended_for(supervisee, *, limit: int = 4) -> QuerySet:
    """What to take next, ready for cards: courses offered to the person that they have
    not taken, first from categories they have not studied yet (the "menu" rather than
    one pot), then the rest. The courses of the person's help plan (casework) come
    before all others. Courses a caseworker assigned appear in "my courses"."""
    taken = Enrolment.objects.filter(supervisee=supervisee)
    planned = CoursePage.help_plans.through.objects.filter(helpplan__supervisee=supervisee,
                                                           coursepage=OuterRef("pk"))
    qs = (
        courses_for_person(supervisee).exclude(pk__in=taken.values("course_id"))
        .select_related("category", "provider_unit", "provider_organisation")
        .defer_streamfields().defer("description")
        .annotate(category_taken=Exists(taken.filter(course__category=OuterRef("category"))),
                  planned=Exists(planned))
        .order_by("-planned", "category_taken", "category__sort_order",
                  "-first_published_at", "pk")
    )
    return _with_course_annotations(qs, None)[:limit]


# --- Study hours -------------------------------------------------------------------------------

def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def parse_month(value: str | None) -> datetime.date | None:
    """"2026-03" → 2026-03-01; None for anything else."""
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return None


@dataclass
class MonthHours:
    month: datetime.date
    done: Decimal
    target: Decimal | None
    entries: list = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        if self.target is None:
            return Decimal("0")
        return max(self.target - self.done, Decimal("0"))

    @property
    def percent(self) -> int:
        if not self.target:
            return 100
        return min(round(100 * self.done / self.target), 100)


def study_hours_month(supervisee, month: datetime.date, *, with_entries=True) -> MonthHours:
    """The person's study hours in `month` against their level's target. With the
    entries, their sum; without (the "my courses" page), the sum from the ledger's
    monthly roll-up, which the database keeps with every entry (portal/rollups.py)."""
    from portal.people.models import MonthHours as MonthRollup
    from portal.people.selectors import target_for

    first, last = month_bounds(month)
    level_target = target_for(supervisee)
    target = level_target.study_hours if level_target else None
    if not with_entries:
        done = (MonthRollup.objects.filter(supervisee=supervisee, month=first)
                .values_list("study", flat=True).first())
        return MonthHours(month=first, done=done if done is not None else Decimal("0"),
                          target=target, entries=[])
    entries = list(
        StudyHoursEntry.objects.filter(supervisee=supervisee, credited_on__range=(first, last))
        .annotate(course_title=F("course__title"))
        .order_by("credited_on", "created_at", "pk"))
    done = sum((e.hours for e in entries), Decimal("0"))
    return MonthHours(month=first, done=done, target=target, entries=entries)


# --- Organisers ------------------------------------------------------------------------------

def _lineage_q(units, prefix: str) -> Q:
    """Units in the subtree of any of `units`, or above one of them."""
    q = Q(pk__in=[])
    for unit in units:
        ancestors = [unit.path[:i] for i in range(unit.steplen, len(unit.path), unit.steplen)]
        q |= Q(**{f"{prefix}path__startswith": unit.path})
        if ancestors:
            q |= Q(**{f"{prefix}path__in": ancestors})
    return q


def courses_organised_by(user) -> QuerySet:
    """Courses whose classes `user` may schedule and take attendance at."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return CoursePage.objects.all()
    q = Q(pk__in=[])
    if actor.organisation_ids:
        q |= Q(provider_organisation_id__in=actor.organisation_ids)
    if actor.has(Role.CASEWORKER, Role.UNIT_ADMIN) and actor.units:
        q |= _lineage_q(actor.units, "provider_unit__")
        q |= _lineage_q(actor.units, "provider_organisation__partner_unit__")
    return CoursePage.objects.filter(q)


def may_organise(user) -> bool:
    return actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.PARTNER_STAFF,
                               Role.SUPERUSER)


def sessions_managed_by(user) -> QuerySet:
    return ClassSession.objects.filter(course__in=courses_organised_by(user).values("pk"))


def session_for_organiser(user, pk) -> ClassSession:
    """404 when the class is not one of the user's (existence does not leak)."""
    try:
        return sessions_managed_by(user).select_related("course").get(pk=pk)
    except (ClassSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_record_attendance(user, session, supervisee) -> bool:
    if not sessions_managed_by(user).filter(pk=session.pk).exists():
        return False
    if supervisees_visible_to(user).filter(pk=supervisee.pk).exists():
        return True
    return not (supervisee.is_juvenile or supervisee.is_sealed)


@dataclass
class RosterRow:
    signup: SessionSignup
    supervisee: Supervisee
    name: str
    opens_record: bool  # the viewer may open the person's record (staff)
    present: bool
    attendance: Attendance | None


@dataclass
class Roster:
    rows: list[RosterRow]
    hidden: int  # juveniles and sealed files the viewer may not see
    present: int


def session_roster(user, session) -> Roster:
    """Who signed up for the class and who came, as the viewer may see them."""
    signups = list(
        SessionSignup.objects.filter(session=session, status=SessionSignup.Status.CONFIRMED)
        .select_related("supervisee").order_by("created_at", "pk")
    )
    person_ids = [s.supervisee_id for s in signups]
    visible = set(supervisees_visible_to(user).filter(pk__in=person_ids)
                  .values_list("pk", flat=True))
    latest: dict[int, Attendance] = {}
    for row in Attendance.objects.filter(session=session).order_by("recorded_at", "pk"):
        latest[row.supervisee_id] = row
    rows, hidden = [], 0
    for signup in signups:
        person = signup.supervisee
        if person.pk in visible:
            name = person.legal_name
        elif person.is_juvenile or person.is_sealed:
            hidden += 1
            continue
        else:
            name = display_name_for_partner(person)
        attendance = latest.get(person.pk)
        rows.append(RosterRow(
            signup=signup, supervisee=person, name=name, opens_record=person.pk in visible,
            present=bool(attendance and attendance.status == Attendance.Status.PRESENT),
            attendance=attendance,
        ))
    rows.sort(key=lambda r: r.name)
    return Roster(rows=rows, hidden=hidden, present=sum(r.present for r in rows))


def organiser_sessions(user, *, course_id=None, past=False) -> QuerySet:
    now = timezone.now()
    qs = (
        sessions_managed_by(user).select_related("course")
        .annotate(taken=Count("signups", filter=Q(
            signups__status=SessionSignup.Status.CONFIRMED)))
    )
    if course_id:
        qs = qs.filter(course_id=course_id)
    if past:
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return qs.filter(ends_at__gte=now - datetime.timedelta(days=1)).order_by("starts_at", "pk")


# --- Caseworkers ------------------------------------------------------------------------------

@dataclass
class BehindRow:
    supervisee: Supervisee
    done: Decimal
    target: Decimal
    expected: Decimal

    @property
    def shortfall(self) -> Decimal:
        return self.expected - self.done


def behind_this_month(user, *, today: datetime.date | None = None, mine: bool = False):
    """People in the user's caseload behind this month's study-hours target, pro rata to
    today: with a target of 8 hours, by the 15th of a 30-day month 4 hours are expected.
    Two queries however large the caseload."""
    today = today or timezone.localdate()
    first, last = month_bounds(today)
    share = Decimal(today.day) / Decimal(last.day)
    targets = dict(LevelTarget.objects.values_list("level", "study_hours"))
    qs = (
        supervisees_visible_to(user).filter(status=Supervisee.Status.IN_CORRECTION)
        .select_related("unit", "caseworker")
        .annotate(done=Coalesce(
            Sum("study_hours__hours",
                filter=Q(study_hours__credited_on__range=(first, last))),
            Value(Decimal("0")), output_field=DecimalField(max_digits=7, decimal_places=1)))
    )
    if mine:
        qs = qs.filter(caseworker=user)
    rows = []
    for person in qs:
        target = targets.get(person.level)
        if not target:
            continue
        expected = (target * share).quantize(Decimal("0.1"))
        if person.done < expected:
            rows.append(BehindRow(supervisee=person, done=person.done, target=target,
                                  expected=expected))
    rows.sort(key=lambda r: (-r.shortfall, r.supervisee.legal_name))
    return rows


def person_history(supervisee) -> dict:
    """A person's courses, classes and hours, for their caseworker."""
    attendance = list(
        Attendance.objects.filter(supervisee=supervisee)
        .select_related("session", "session__course", "recorded_by", "corrects")
        .order_by("-recorded_at", "-pk")[:200]
    )
    signups = list(
        SessionSignup.objects.filter(supervisee=supervisee)
        .select_related("session", "session__course").order_by("-session__starts_at")[:200]
    )
    ledger = list(
        StudyHoursEntry.objects.filter(supervisee=supervisee)
        .select_related("course", "recorded_by", "corrects")
        .order_by("-credited_on", "-created_at", "-pk")[:300]
    )
    by_month: dict[datetime.date, Decimal] = {}
    for entry in ledger:
        key = entry.credited_on.replace(day=1)
        by_month[key] = by_month.get(key, Decimal("0")) + entry.hours
    return {
        "courses": my_courses(supervisee),
        "attendance": attendance,
        "signups": signups,
        "ledger": ledger,
        "by_month": sorted(by_month.items(), reverse=True),
    }


def assignable_people(user) -> QuerySet:
    return (
        supervisees_visible_to(user)
        .filter(status__in=[Supervisee.Status.IN_CORRECTION, Supervisee.Status.RELEASED])
        .select_related("unit").order_by("legal_name", "pk")
    )


def group_members(user, *, unit, level: str = "") -> list[Supervisee]:
    """Everyone under correction in `unit`'s subtree the user may see (optionally of one
    management level): the group a course is assigned to."""
    qs = supervisees_visible_to(user).filter(
        unit__path__startswith=unit.path, status=Supervisee.Status.IN_CORRECTION)
    if level:
        qs = qs.filter(level=level)
    return list(qs.select_related("user"))


def name_for_viewer(user, supervisee) -> str:
    """The legal name for staff who may open the record, the partner display name for
    everyone else."""
    if supervisees_visible_to(user).filter(pk=supervisee.pk).exists():
        return supervisee.legal_name
    return display_name_for_partner(supervisee)
