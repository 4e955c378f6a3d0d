"""What makes "my courses" cheaper (the month's hours from the roll-up, the lessons
counted with the enrolments, no COUNT for a short first page) shows the same as the long
way round."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.models import Enrolment
from portal.people.models import LevelTarget
from tests.courses import factories as cf

from .test_study_hours import credit


def test_month_figures_without_entries_equal_those_with_them(world):
    person = world.supervisee
    today = timezone.localdate()
    credit(person, "2.0")
    credit(person, "1.5")
    credit(person, "9.0", on=today.replace(day=1) - datetime.timedelta(days=1))
    short = selectors.study_hours_month(person, today, with_entries=False)
    full = selectors.study_hours_month(person, today)
    assert (short.done, short.target) == (full.done, full.target) == \
        (Decimal("3.5"), Decimal("8"))
    empty = selectors.study_hours_month(person, today - datetime.timedelta(days=400),
                                        with_entries=False)
    assert empty.done == Decimal("0") and empty.target == Decimal("8")
    LevelTarget.objects.filter(level=person.level).delete()
    assert selectors.study_hours_month(person, today, with_entries=False).target is None


def test_my_courses_lists_every_enrolment_and_pages_past_twenty(world, login):
    person = world.supervisee
    courses = [cf.course_create(title=f"课程{i}", unit=world.bureau) for i in range(21)]
    client = login(world.users["supervisee"])
    Enrolment.objects.create(supervisee=person, course=courses[0])
    first = client.get(reverse("courses:mine"))
    assert first.context["page"].paginator.count == 1
    assert [r.course.pk for r in first.context["rows"]] == [courses[0].pk]
    for course in courses[1:]:
        Enrolment.objects.create(supervisee=person, course=course)
    first = client.get(reverse("courses:mine"))
    assert first.context["page"].paginator.count == 21
    assert len(first.context["rows"]) == 20
    second = client.get(reverse("courses:mine") + "?page=2")
    assert len(second.context["rows"]) == 1
    # Recommended courses never include one the person is enrolled in.
    html = first.content.decode()
    if 'id="rec-h"' in html:
        assert "课程0" not in html.split('id="rec-h"')[1].split("</section>")[0]


def test_api_my_courses_counts(world, client):
    from tests.api.conftest import Api

    person = world.supervisee
    for i in range(3):
        Enrolment.objects.create(supervisee=person,
                                 course=cf.course_create(title=f"课{i}", unit=world.bureau))
    api = Api(client)
    api.sign_in("supervisee")
    assert api.get("/me/courses").json()["count"] == 3
    assert api.get("/me/courses?page_size=2&page=2").json()["count"] == 3
    assert api.get("/me/courses?page_size=2&page=3").json() == {"items": [], "count": 3}
    # The entries read only the columns they show: what they say of each course is what
    # the catalogue says.
    catalogue = {c["id"]: c for c in api.get("/courses?page_size=50").json()["items"]}
    keys = ("title", "summary", "category", "format", "audience", "study_hours", "provider",
            "url")
    for item in api.get("/me/courses").json()["items"]:
        course = item["course"]
        assert {k: course[k] for k in keys} == {k: catalogue[course["id"]][k] for k in keys}
        assert course["provider"]["name"] == world.bureau.name


def test_lesson_counts_with_the_enrolments_equal_the_counts_apart(world):

    person = world.supervisee
    first = cf.course_create(title="三课", unit=world.bureau, lessons=3)
    cf.lesson_create(first, title="草稿课", live=False)  # not counted
    second = cf.course_create(title="两课", unit=world.bureau, lessons=2)
    cf.course_create(title="没报名", unit=world.bureau, lessons=4)
    for course in (first, second):
        services.enrolment_create(supervisee=person, course=course)
    lesson = selectors.lessons_of(first)[0]
    cf.studied(person, lesson)
    services.lesson_complete(supervisee=person, lesson=lesson, answers={})
    annotated = selectors.progress_rows(list(selectors.enrolments_of(person)))
    apart = selectors.progress_rows(list(Enrolment.objects.filter(supervisee=person)
                                         .select_related("course")
                                         .order_by("status", "due_on", "-enrolled_at", "-pk")))
    figures = {r.course.title: (r.lessons_total, r.lessons_done, r.percent) for r in annotated}
    assert figures == {r.course.title: (r.lessons_total, r.lessons_done, r.percent)
                       for r in apart}
    assert figures["三课"][:2] == (3, 1) and figures["两课"][:2] == (2, 0)
