"""The catalogue, course pages and "my courses" as people use them, and their query
counts: the same with few rows as with many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrolment
from tests.courses import factories as cf


def titles(response):
    from courses.models import CoursePage

    by_id = dict(CoursePage.objects.values_list("pk", "title"))
    return [by_id[pk] for pk in response.context["course_ids"]]


@pytest.fixture
def menu(world):
    """A small catalogue: evening class, weekend class, online course, juvenile course."""
    evening = cf.course_create(title="酒驾危害", unit=world.bureau, format="in_person")
    weekend = cf.course_create(title="孝道", organisation=world.ngo, format="in_person",
                               category_slug="culture")
    online = cf.course_create(title="电商直播入门", unit=world.squad1, format="online",
                              category_slug="skills", lessons=1)
    juvenile = cf.course_create(title="护苗课堂", unit=world.bureau, audience="juveniles")
    today = timezone.localtime()
    # next Wednesday 19:00 and next Saturday 09:00, local time
    wednesday = (today + datetime.timedelta(days=(2 - today.weekday()) % 7 or 7)).replace(
        hour=19, minute=0, second=0, microsecond=0)
    saturday = (today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    cf.session_create(evening, starts_in=wednesday - timezone.now())
    cf.session_create(weekend, starts_in=saturday - timezone.now())
    return {"evening": evening, "weekend": weekend, "online": online, "juvenile": juvenile}


@pytest.mark.parametrize("query, expected", [
    ("", {"酒驾危害", "孝道", "电商直播入门"}),
    ("format=online", {"电商直播入门"}),
    ("format=in_person", {"酒驾危害", "孝道"}),
    ("time=evening", {"酒驾危害"}),
    ("time=morning", {"孝道"}),
    ("time=anytime", {"电商直播入门"}),
    ("day=weekend", {"孝道"}),
    ("day=wed", {"酒驾危害"}),
    ("category=culture", {"孝道"}),
    ("q=直播", {"电商直播入门"}),
    ("juveniles=on", {"酒驾危害", "孝道", "电商直播入门"}),  # for all ages; adults never see juveniles-only classes
])
def test_catalogue_filters_for_an_adult(world, menu, login, query, expected):
    response = login(world.users["supervisee"]).get("/courses/?" + query)
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_catalogue_by_provider_and_for_the_public(world, menu, client):
    response = client.get(f"/courses/?provider=org-{world.ngo.pk}")
    assert set(titles(response)) == {"孝道"}
    response = client.get("/courses/?juveniles=on")
    assert set(titles(response)) == {"酒驾危害", "孝道", "电商直播入门", "护苗课堂"} - {
        c.title for c in menu.values() if c.audience == "adults"}


def test_a_juvenile_sees_only_courses_offered_to_juveniles(world, menu, login):
    adults_only = cf.course_create(title="成人专场", unit=world.bureau, audience="adults")
    response = login(world.users["juvenile"]).get("/courses/")
    assert "护苗课堂" in titles(response) and adults_only.title not in titles(response)


def test_bad_filter_values_are_reported_not_a_500(world, menu, client):
    response = client.get("/courses/?format=teleport&category=nope&page=abc")
    assert response.status_code == 200
    assert response.context["filter_errors"]


def test_recommended_prefers_categories_not_yet_studied(world, menu, login):
    person = world.supervisee
    services.enrolment_create(supervisee=person, course=menu["evening"])  # legal
    cf.course_create(title="民法典", unit=world.bureau)  # legal, not taken
    html = login(person.user).get("/courses/").content.decode()
    section = html.split('id="rec-h"')[1].split("</section>")[0]
    assert "酒驾危害" not in section  # already taken
    assert section.index("孝道") < section.index("民法典")
    assert section.index("电商直播入门") < section.index("民法典")


def test_the_cached_catalogue_changes_when_a_course_does(world, menu, client):
    assert "电商直播入门" in titles(client.get("/courses/"))
    online = menu["online"]
    online.unpublish()
    assert "电商直播入门" not in titles(client.get("/courses/"))
    online.title = "直播带货入门"
    online.save_revision().publish()
    assert "直播带货入门" in titles(client.get("/courses/"))
    assert "直播带货入门" in client.get("/courses/").content.decode()
    # the course page's cached outline follows its lessons too
    assert "第2课" not in client.get(online.url).content.decode()
    cf.lesson_create(online, title="第2课")
    assert "第2课" in client.get(online.url).content.decode()


def test_course_page_shows_lessons_classes_and_progress(world, menu, login):
    course = menu["online"]
    client = login(world.users["supervisee"])
    page = client.get(course.url).content.decode()
    assert "第1课" in page and reverse("courses:enrol", args=[course.pk]) in page
    client.post(reverse("courses:enrol", args=[course.pk]))
    response = client.get(course.url)
    assert response.context["enrolment"] is not None and response.context["progress"] == 0


def test_my_courses_shows_progress_hours_and_upcoming_classes(world, menu, login):
    person = world.supervisee
    services.session_signup(session_id=menu["evening"].sessions.get().pk, supervisee=person)
    services.enrolment_create(supervisee=person, course=menu["online"])
    response = login(person.user).get(reverse("courses:mine"))
    assert response.status_code == 200
    assert {r.course.title for r in response.context["rows"]} == {"电商直播入门", "酒驾危害"}
    assert [s.session.course.title for s in response.context["signups"]] == ["酒驾危害"]
    assert response.context["hours"].target == 8
    # The page reads only the columns it shows, and shows each link as Wagtail gives it.
    html = response.content.decode()
    session = menu["evening"].sessions.get()
    for course in (menu["evening"], menu["online"]):
        assert f'href="{course.get_url()}"' in html
    assert reverse("courses:session_ics", args=[session.pk]) in html
    assert (session.venue or "") in html


def test_my_hours_by_month(world, login):
    response = login(world.users["supervisee"]).get(reverse("courses:my_hours") +
                                                    "?month=2026-13")
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]


# --- Query counts --------------------------------------------------------------------------------

def grow(world, n):
    """n more courses with classes and enrolments of the supervisee and of others."""
    for i in range(n):
        course = cf.course_create(title=f"课程{i}", unit=world.bureau if i % 2 else None,
                                  organisation=world.ngo if not i % 2 else None,
                                  lessons=2, category_slug=["legal", "culture"][i % 2])
        cf.session_create(course, starts_in=datetime.timedelta(days=1 + i))
        cf.session_create(course, starts_in=datetime.timedelta(days=20 + i))
        Enrolment.objects.create(supervisee=world.supervisee, course=course,
                                 due_on=timezone.localdate() if i % 3 else None)
        Enrolment.objects.create(supervisee=world.other_supervisee, course=course)
        services.session_signup(session_id=course.sessions.first().pk,
                                supervisee=world.supervisee)


def counts(client, url):
    """Queries of a request with empty caches, then of the same request again."""
    from django.core.cache import cache

    found = []
    cache.clear()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        found.append(len(queries))
    return found


@pytest.mark.parametrize("url", ["/courses/", "course", reverse("courses:mine")])
def test_query_count_does_not_grow_with_rows(world, login, url):
    grow(world, 2)
    client = login(world.users["supervisee"])
    target = url
    if url == "course":
        course = cf.course_create(title="主课", unit=world.bureau, lessons=2)
        cf.session_create(course)
        target = course.url
    few = counts(client, target)
    grow(world, 24)
    if url == "course":
        for n in range(8):
            cf.lesson_create(course, title=f"加课{n}")
            services.session_signup(session_id=cf.session_create(course).pk,
                                    supervisee=world.other_supervisee)
    # "My courses" with one short page of enrolments (2) needs no COUNT and no second read
    # of the enrolments; with more than a page (26) it pays those two, and no more.
    saved = 2 if url == reverse("courses:mine") else 0
    assert counts(client, target) == [n + saved for n in few]


def test_the_cached_catalogue_is_kept_per_language(world, menu, login, settings):
    """The catalogue's cards and filter form, kept for everyone alike, are kept once per
    language: a Chinese visitor first does not leave an English one with Chinese cards,
    nor the other way round (the recommended cards on "my courses" likewise)."""
    person = login(world.users["supervisee"])
    chinese = person.get("/courses/").content.decode()
    assert "学时" in chinese
    person.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = person.get("/courses/").content.decode()
    cards = english.split('class="grid course-grid"')[1]
    assert "study hours" in cards and "学时" not in cards
    assert "study hours" in person.get("/learning/").content.decode().split('id="rec-h"')[1]
    person.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "study hours" not in person.get("/courses/").content.decode()


def test_the_kept_recommendations_follow_the_catalogue(world, menu, login):
    """The "recommended for you" cards are kept with the catalogue version they were made
    with: a course published since, or one retitled, shows on the next view."""
    person = login(world.users["supervisee"])

    def recommended():
        return person.get("/learning/").content.decode().split('id="rec-h"')[1].split(
            "</section>")[0]

    assert "孝道" in recommended()
    cf.course_create(title="心理健康第一课", unit=world.bureau, category_slug="mental")
    assert "心理健康第一课" in recommended()
    weekend = menu["weekend"]
    weekend.title = "孝道与家风"
    weekend.save_revision().publish()
    assert "孝道与家风" in recommended()
