"""The person's matches page reads what it needs of them in one round trip of kept
statements (employment.mine). Held equal here to the rule for every kind of person: the
facts to selectors.person_facts, the county's districts and the training places near to
relevance_q/exclusion_q, and the page's matches (order, scores, reasons in both
languages, applications) to ranking_for, pages 1 and 2 and past the end."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses.models import SessionSignup
from employment import matching, mine, selectors
from employment.models import Application, JobProfile, TrainingPlace
from portal.access import actor_for
from portal.people.models import ProhibitionOrder, Supervisee
from tests import factories as f
from tests.courses import factories as cf

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


def _texts(reasons):
    return [(r.sign, r.code, r.params, r.text, r.staff_text) for r in reasons]


def test_the_kept_reads_are_the_rule_for_every_kind_of_person(board, world):
    emp = board
    people = _people(emp)
    Application.objects.create(supervisee=people["profile"],
                               job=emp.job(title="已申请", district=emp.home),
                               organisation=emp.enterprise, status="recommended")
    squad = people["unit_county"].unit
    squad.district = emp.town
    squad.save(update_fields=["district"])
    seen_counts = set()
    applied = 0
    for kind, person in people.items():
        person.user._xy_employment_person = None
        found = mine.load(person.user)
        expected = selectors.person_facts(person)
        assert found.facts == expected, kind
        county = expected.county
        assert found.county_districts == (
            sorted(selectors.District.objects.filter(county=county).values_list("pk", flat=True))
            if county else []), kind
        q = selectors.relevance_q(expected, person) & selectors.exclusion_q(expected)
        rule_training = matching.rank(expected, selectors.openings(q, jobs=False)).matches
        kept_training = matching.rank(found.facts, found.training).matches
        assert [(a.opening, a.score) for a in kept_training] == [
            (a.opening, a.score) for a in rule_training], kind
        assert found.consent is selectors.employer_consent_given(person)
        assert found.has_profile is (selectors.profile_for(person) is not None)
        assert found.applications == selectors.my_applications(person)

        rule = _reference_matches(person)
        rows = selectors.matches_for_person(found.person, mine=found)
        assert len(rows) == len(rule), kind
        seen_counts.add(len(rule))
        old_rows = selectors.matches_for_person(person)  # the ORM reads, without `mine`
        for start in (0, PAGE, 2 * PAGE, 5 * PAGE):
            page = rows[start:start + PAGE]
            expected_page = rule[start:start + PAGE]
            assert [(r.opening, r.assessment.score) for r in page] == [
                (a.opening, a.score) for a in expected_page], (kind, start)
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    assert [_texts(r.assessment.reasons) for r in page] == [
                        _texts(a.reasons) for a in expected_page], (kind, start)
            assert [r.application for r in page] == [
                r.application for r in old_rows[start:start + PAGE]], (kind, start)
            applied += sum(r.application is not None for r in page)
    # the kinds really differ: some with three pages, some with none
    assert max(seen_counts) > 2 * PAGE and 0 in seen_counts
    assert applied == 1


def test_the_persons_reads_are_one_round_trip(board, world):
    person = world.supervisee
    person.user._xy_employment_person = None
    actor_for(person.user)  # the roles, read by every signed-in page
    with CaptureQueriesContext(connection) as queries:
        found = mine.load(person.user)
    assert found.person.pk == person.pk
    # the record with the facts, the county's districts and the training places; the
    # applications
    assert len(queries) == 2
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(set(statements)) == len(statements)


def test_someone_who_is_no_person_gets_none(world):
    assert mine.load(world.users["caseworker"]) is None


def test_the_page_and_the_api_list_the_rules_matches_page_by_page(board, world, login):
    import re

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


def test_with_kept_statements_off_the_reads_are_the_same(board, world, settings):
    people = _people(board)
    kept = {}
    for kind in ("profile", "travel", "bare"):
        people[kind].user._xy_employment_person = None
        found = mine.load(people[kind].user)
        kept[kind] = (found.facts, found.county_districts, sorted(found.training, key=lambda o: o.id), found.consent,
                      found.has_profile, [a.pk for a in found.applications])
    settings.XY_PREPARED_QUERIES = False
    for kind, expected in kept.items():
        people[kind].user._xy_employment_person = None
        found = mine.load(people[kind].user)
        assert (found.facts, found.county_districts, sorted(found.training, key=lambda o: o.id), found.consent,
                found.has_profile, [a.pk for a in found.applications]) == expected, kind
        rows = selectors.matches_for_person(found.person, mine=found)
        assert [(r.opening.key, r.assessment.score) for r in rows[:PAGE]] == [
            (a.opening.key, a.score) for a in _reference_matches(people[kind])[:PAGE]]


def test_what_the_page_says_of_the_applications_needs_no_more_reads(board, world):
    emp = board
    person = world.supervisee
    job = emp.job(title="已推荐岗位", district=emp.home)
    place = emp.training(programme="推荐培训")
    Application.objects.create(supervisee=person, job=job, organisation=emp.enterprise,
                               status="recommended")
    Application.objects.create(supervisee=person, training_place=place,
                               organisation=emp.enterprise, status="hired")
    person.user._xy_employment_person = None
    found = mine.load(person.user)
    assert found.applications == selectors.my_applications(person)
    with CaptureQueriesContext(connection) as queries:
        said = sorted((str(a.opening), str(a.status_label)) for a in found.applications)
    assert len(queries) == 0
    assert said == sorted((str(a.opening), str(a.status_label))
                          for a in selectors.my_applications(person))
    assert [s[0] for s in said] == sorted(["已推荐岗位", "推荐培训"])
