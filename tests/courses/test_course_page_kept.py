"""A course page's classes are rendered once per process for the same rows and person's
state (portal/templating/memo.py): each person still sees their own sign-ups and places
left, and the forms in the kept HTML carry a CSRF token that works."""

import re

from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import SessionSignup
from portal.templating import memo
from tests.courses import factories as cf


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
    return client


def test_each_person_sees_their_own_sign_up_and_the_places_left(world):
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    session = cf.session_create(course, capacity=3)
    services.session_signup(supervisee=world.supervisee, session_id=session.pk)
    signup = f'action="{reverse("courses:signup", args=[session.pk])}"'
    cancel = f'action="{reverse("courses:signup_cancel", args=[session.pk])}"'
    mine = _client(world.users["supervisee"]).get(course.url).content.decode()
    theirs = _client(world.users["other_supervisee"]).get(course.url).content.decode()
    assert cancel in mine and signup not in mine
    assert signup in theirs and cancel not in theirs
    assert "剩余 2 个名额" in mine and "剩余 2 个名额" in theirs
    services.session_signup(supervisee=world.other_supervisee, session_id=session.pk)
    theirs = _client(world.users["other_supervisee"]).get(course.url).content.decode()
    assert cancel in theirs and "剩余 1 个名额" in theirs
    # A visitor sees the class without any form.
    visitor = Client().get(course.url).content.decode()
    assert "剩余 1 个名额" in visitor and signup not in visitor and cancel not in visitor


def test_the_sign_up_form_in_the_kept_html_carries_a_working_csrf_token(world):
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    session = cf.session_create(course)
    for user, person in ((world.users["supervisee"], world.supervisee),
                         (world.users["other_supervisee"], world.other_supervisee)):
        client = _client(user, enforce_csrf_checks=True)
        html = client.get(course.url).content.decode()
        assert memo.CSRF_STAND_IN not in html
        form = re.search(r'action="/learning/classes/\d+/signup/".*?name="csrfmiddlewaretoken"'
                         r' value="([^"]+)"', html, re.S)
        assert form is not None
        refused = client.post(reverse("courses:signup", args=[session.pk]))
        assert refused.status_code == 403  # no token: refused, nothing written
        assert not SessionSignup.objects.filter(supervisee=person).exists()
        done = client.post(reverse("courses:signup", args=[session.pk]),
                           {"csrfmiddlewaretoken": form.group(1), "next": course.url})
        assert done.status_code == 302
        assert SessionSignup.objects.filter(supervisee=person, session=session).exists()


def test_the_same_values_are_rendered_once(monkeypatch):
    calls = []
    real = memo.render_to_string

    def counting(name, context):
        calls.append(name)
        return real(name, context)

    monkeypatch.setattr(memo, "render_to_string", counting)
    memo._kept.clear()
    context = {"sessions": [], "for_person": True, "suits": True, "can_organise": False,
               "next_path": "/courses/x/"}
    first = memo.render_kept("courses/includes/session_list.html", context)
    second = memo.render_kept("courses/includes/session_list.html", dict(context))
    assert first == second and len(calls) == 1
    memo.render_kept("courses/includes/session_list.html", {**context, "next_path": "/y/"})
    assert len(calls) == 2


def test_the_catalogue_marks_each_persons_own_courses(world):
    """The catalogue's person's part (their record, enrolments and help plan read
    together, the cards and recommendations in one cache round trip) is their own."""
    from courses.models import Enrolment

    taken = cf.course_create(title="民法典与生活", unit=world.bureau)
    cf.course_create(title="孝道与家风", unit=world.bureau, category_slug="culture")
    Enrolment.objects.create(supervisee=world.supervisee, course=taken)

    def card(html, title):
        return html.split(title)[1].split("</article>")[0]

    def recommended(html):
        return html.split('id="rec-h"')[1].split("</section>")[0]

    mine = _client(world.users["supervisee"]).get("/courses/").content.decode()
    theirs = _client(world.users["other_supervisee"]).get("/courses/").content.decode()
    assert "已选" in card(mine, "民法典与生活") and "已选" not in card(theirs, "民法典与生活")
    assert "民法典与生活" not in recommended(mine) and "孝道与家风" in recommended(mine)
    assert "民法典与生活" in recommended(theirs)
    Enrolment.objects.create(supervisee=world.other_supervisee, course=taken)
    theirs = _client(world.users["other_supervisee"]).get("/courses/").content.decode()
    assert "已选" in card(theirs, "民法典与生活")
    assert "民法典与生活" not in recommended(theirs)


def test_kept_catalogue_parts_are_made_again_after_a_change_or_when_old(db, monkeypatch):
    """get_current keeps a copy in the process: used while the catalogue token is the one
    it was made with and for CACHE_SECONDS at most, like the shared cache's."""
    import time

    from django.core.cache import cache

    from courses import cache as kept

    made = []

    def compute(token):
        made.append(token)
        return len(made)

    assert kept.get_current("xy:test", compute) == 1
    cache.delete("xy:test")
    assert kept.get_current("xy:test", compute) == 1  # this process's copy
    kept.catalogue_changed()
    assert kept.get_current("xy:test", compute) == 2  # a new token
    assert made[0] != made[1]
    later = time.time() + kept.CACHE_SECONDS + 1
    monkeypatch.setattr(kept.time, "time", lambda: later)
    assert kept.get_current("xy:test", compute) == 3  # too old
