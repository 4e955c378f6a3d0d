"""Course pages and the catalogue, whose shared parts are cached, show each person their
own sign-ups, places left and enrolments, and their forms carry a CSRF token that works."""

import re

from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import SessionSignup
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


def test_the_sign_up_form_carries_a_working_csrf_token(world):
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    session = cf.session_create(course)
    for user, person in ((world.users["supervisee"], world.supervisee),
                         (world.users["other_supervisee"], world.other_supervisee)):
        client = _client(user, enforce_csrf_checks=True)
        html = client.get(course.url).content.decode()
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


def test_the_catalogue_marks_each_persons_own_courses(world):
    """The cards and recommendations, cached for everyone alike, mark each person's own
    enrolments."""
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
