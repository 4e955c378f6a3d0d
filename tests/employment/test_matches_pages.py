"""The person's matches page and the API list the same matches as ranking_for, page by
page, for every kind of person the rules tell apart, and say what the person's
applications are without more reads."""

import datetime
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import SessionSignup
from employment import selectors
from employment.models import Application, JobProfile, TrainingPlace
from portal.people.models import ProhibitionOrder, Supervisee
from tests import factories as f
from tests.courses import factories as cf

pytestmark = pytest.mark.django_db

SHIFTS = ["day", "evening", "night", "rotating", "flexible"]
DAYS = ["12345", "123456", "1234567", "67", "135", "7"]
PAGE = 20


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def board(emp):
    """Jobs enough for three pages, and training places with and without dates, in the
    county, next door and in the neighbouring county."""
    rng = random.Random(8)
    skills = [emp.driving, emp.warehouse, emp.cooking]
    districts = [emp.home, emp.town, emp.away]
    for i in range(55):
        emp.job(title=f"岗位{i}", industry=rng.choice([emp.catering, emp.logistics,
                                                      emp.finance]),
                district=rng.choice(districts),
                venue_type=rng.choice([None, None, emp.bar, emp.school]),
                shift=rng.choice(SHIFTS), work_days=rng.choice(DAYS),
                hours_per_week=rng.choice([20, 40, 48]), juveniles_allowed=rng.random() < 0.4,
                skills=rng.sample(skills, rng.choice([0, 1, 2, 3])))
    emp.training(skills=[emp.driving])
    emp.training(programme="烹饪培训", skills=[emp.cooking, emp.warehouse],
                 juveniles_allowed=True)
    emp.training(programme="外县培训", district=emp.away, starts_on=_days(5),
                 ends_on=_days(20))
    emp.training(programme="外县长训", district=emp.away, starts_on=_days(5),
                 ends_on=_days(200))
    TrainingPlace.objects.create(organisation=emp.enterprise, base=emp.base, programme="已结束",
                                 industry=emp.logistics, district=emp.home, capacity=1,
                                 status=TrainingPlace.Status.CLOSED)
    return emp


def _people(emp):
    """One of each kind of person the rules tell apart."""
    world = emp.world
    people = {}
    person = world.supervisee  # skills, a full profile, a booked class, an application
    person.skills.set([emp.driving])
    profile = JobProfile.objects.create(supervisee=person, preferred_shifts=["day", "night"],
                                        max_hours_per_week=40, reporting_weekday=2,
                                        reporting_period="morning")
    profile.skills.set([emp.cooking])
    profile.preferred_districts.set([emp.town])
    course = cf.course_create(title="就业课", unit=world.bureau)
    session = cf.session_create(course, starts_in=datetime.timedelta(days=4))
    SessionSignup.objects.create(session=session, supervisee=person)
    people["profile"] = person
    juvenile = world.juvenile
    juvenile.birth_date = _days(-17 * 366)
    juvenile.save(update_fields=["birth_date"])
    people["juvenile"] = juvenile
    people["under_16"] = emp.person(is_juvenile=True, birth_date=_days(-15 * 366))
    banned = emp.person()
    emp.ban(banned, emp.catering)
    emp.prohibit(banned, emp.bar)
    ProhibitionOrder.objects.create(supervisee=banned, kind="place", district=emp.town,
                                    description="不得进入", starts_on=_days(-3),
                                    ends_on=_days(30))
    people["bans"] = banned
    travelling = emp.person()
    emp.travel(travelling, emp.away)  # open-ended: covers jobs there
    emp.travel(travelling, emp.away, starts=3, days=30)  # covers one course, not a job
    people["travel"] = travelling
    short = emp.person()
    emp.travel(short, emp.away, days=10)
    people["short_trip"] = short
    people["released"] = emp.person(status=Supervisee.Status.RELEASED)
    people["closed"] = emp.person(status=Supervisee.Status.CLOSED)
    nowhere = f.unit_create("无地区中队", kind="squad", parent=world.bureau)
    people["no_county"] = emp.person(home_district=None, unit=nowhere)
    people["unit_county"] = emp.person(home_district=None)
    people["bare"] = emp.person()  # no skills, no profile
    return people


def _reference_matches(person):
    return selectors.ranking_for(person).matches


def test_the_page_and_the_api_list_the_rules_matches_page_by_page(board, world, login):
    emp = board
    person = _people(emp)["travel"]
    rule = _reference_matches(person)
    assert len(rule) > 2 * PAGE
    pages = -(-len(rule) // PAGE)
    client = login(person.user)
    for asked, shown in (("", 1), ("?page=2", 2), (f"?page={pages}", pages),
                         ("?page=99", pages), ("?page=x", 1)):
        html = client.get(f"/jobs/me/{asked}").content.decode()
        links = re.findall(r'<li class="card emp-item">\s*<h3><a href="([^"]+)"', html)
        assert links == [a.opening.url for a in rule[(shown - 1) * PAGE:shown * PAGE]], asked
        assert f"{len(rule)} " in html
    for page, size in ((1, 20), (2, 20), (3, 7), (40, 20)):
        body = client.get(f"/api/v1/me/matches?page={page}&page_size={size}").json()
        assert body["count"] == len(rule)
        expected = rule[(page - 1) * size:page * size]
        assert [(i["type"], i["id"], i["score"]) for i in body["items"]] == [
            (a.opening.kind, a.opening.id, a.score) for a in expected], (page, size)
        assert [[r["code"] for r in i["reasons"]] for i in body["items"]] == [
            [r.code for r in a.reasons] for a in expected]


def test_every_kind_of_person_gets_the_staff_pages_matches(board, world):
    """The person's own list is the staff page's list of matches, reasons included."""
    for kind, person in _people(board).items():
        own = [(r.opening.key, r.assessment.score, r.assessment.reasons)
               for r in selectors.matches_for_person(person)]
        staff = selectors.ranking_for(person, with_partners=True).matches
        assert own == [(a.opening.key, a.score, a.reasons) for a in staff
                       if a.opening.county == selectors.person_facts(person).county
                       or a.opening.district_id in selectors.person_facts(person).travel], kind


def test_someone_who_is_no_person_has_no_matches_page(world):
    assert selectors.my_matches(world.users["caseworker"]) is None


def test_what_the_page_says_of_the_applications_needs_no_more_reads(board, world):
    emp = board
    person = world.supervisee
    job = emp.job(title="已推荐岗位", district=emp.home)
    place = emp.training(programme="推荐培训")
    Application.objects.create(supervisee=person, job=job, organisation=emp.enterprise,
                               status="recommended")
    Application.objects.create(supervisee=person, training_place=place,
                               organisation=emp.enterprise, status="hired")
    found = selectors.my_matches(person.user)
    assert found.applications == selectors.my_applications(person)
    with CaptureQueriesContext(connection) as queries:
        said = sorted((str(a.opening), str(a.status_label)) for a in found.applications)
    assert len(queries) == 0
    assert [s[0] for s in said] == sorted(["已推荐岗位", "推荐培训"])
