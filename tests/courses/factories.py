"""Builders for courses, lessons and classes (Wagtail pages need the page tree, so these
are functions rather than factory_boy factories)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from cms.models import HomePage
from courses.models import (
    ClassSession,
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    CourseProviderPage,
    LessonPage,
)


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    return home.add_child(instance=CourseIndexPage(title="课程", slug="courses",
                                                   intro="按需选课"))


def category(slug: str = "legal") -> CourseCategory:
    found = CourseCategory.objects.filter(slug=slug).first()
    if found:
        return found
    return CourseCategory.objects.create(slug=slug, name=f"类别{slug}")


def provider_folder(organisation) -> CourseProviderPage:
    folder = CourseProviderPage.objects.filter(organisation=organisation).first()
    if folder:
        return folder
    return course_index().add_child(instance=CourseProviderPage(
        title=organisation.name, slug=f"org-{organisation.pk}", organisation=organisation))


def course_create(*, title: str = "民法典与生活", unit=None, organisation=None,
                  category_slug: str = "legal", audience: str = "all",
                  format: str = "online", study_hours: Decimal | str = "2.0",
                  lessons: int = 0, quiz_on_last: bool = False, live: bool = True,
                  summary: str = "用得上的法律常识") -> CoursePage:
    parent = provider_folder(organisation) if organisation is not None else course_index()
    course = CoursePage(
        title=title, slug=f"c-{uuid.uuid4().hex[:10]}", category=category(category_slug),
        summary=summary, audience=audience, format=format,
        study_hours=Decimal(str(study_hours)), provider_unit=unit,
        provider_organisation=organisation, live=live,
    )
    parent.add_child(instance=course)
    for n in range(lessons):
        lesson_create(course, title=f"第{n + 1}课",
                      quiz=QUIZ if (quiz_on_last and n == lessons - 1) else None)
    return course


QUIZ = [
    {"type": "question", "id": "11111111-1111-1111-1111-111111111111", "value": {
        "question": "民法典自哪一年起施行？",
        "choices": [{"text": "2019年", "correct": False},
                    {"text": "2021年", "correct": True}],
        "explanation": "民法典自2021年1月1日起施行。",
    }},
    {"type": "question", "id": "22222222-2222-2222-2222-222222222222", "value": {
        "question": "下列哪些属于电信诈骗常见手法？",
        "choices": [{"text": "冒充公检法", "correct": True},
                    {"text": "刷单返利", "correct": True},
                    {"text": "社区义诊", "correct": False}],
        "explanation": "",
    }},
]
Q1, Q2 = QUIZ[0]["id"], QUIZ[1]["id"]
RIGHT = {Q1: [1], Q2: [0, 1]}
HALF = {Q1: [1], Q2: [0]}


def lesson_create(course, *, title="第1课", quiz=None, pass_mark=60, live=True) -> LessonPage:
    lesson = LessonPage(
        title=title, slug=f"l-{uuid.uuid4().hex[:10]}", summary="",
        body=[{"type": "paragraph", "value": "<p>课文</p>"}],
        quiz=quiz or [], pass_mark=pass_mark, live=live,
    )
    course.add_child(instance=lesson)
    return LessonPage.objects.get(pk=lesson.pk)


def session_create(course, *, starts_in=datetime.timedelta(days=3), hours: int = 2,
                   capacity: int = 10, deadline=None, study_hours="2.0", **fields
                   ) -> ClassSession:
    starts = (timezone.now() + starts_in).replace(microsecond=0)
    return ClassSession.objects.create(
        course=course, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours),
        capacity=capacity, signup_deadline=deadline, study_hours=Decimal(study_hours),
        venue=fields.pop("venue", "社区矫正中心三楼教室"), **fields,
    )


def studied(person, lesson, seconds: int | None = None):
    """Record that the person spent `seconds` (by default the lesson's minimum) on the
    lesson's page, as its heartbeats would have; the person must be enrolled."""
    from courses.models import Enrolment, LessonTime
    from courses.services import lesson_required_seconds

    lesson = lesson.specific if hasattr(lesson, "specific") else lesson
    if seconds is None:
        seconds = lesson_required_seconds(lesson)
    enrolment = Enrolment.objects.get(supervisee=person,
                                      course_id=lesson.get_parent().pk)
    row, _created = LessonTime.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    row.seconds = seconds
    row.save(update_fields=["seconds"])
    return row
