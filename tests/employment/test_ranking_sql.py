"""A person's matches are ranked in the database (selectors.PersonMatches, with
matching.job_score_sql) so that 20,000 open jobs need not reach Python: the order, the
scores and the reasons must be exactly those of matching.rank, the rule, over the same
jobs. Random jobs and people, with every fact that moves the score or excludes a job."""

import dataclasses
import datetime
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from employment import matching, selectors
from employment.models import JobProfile
from tests import factories as f

SHIFTS = ["day", "evening", "night", "rotating", "flexible"]
DAYS = ["12345", "123456", "1234567", "67", "135", "", "7"]


def _reference(supervisee, facts):
    """What rank() makes of the same person and jobs (and training places)."""
    q = selectors.relevance_q(facts, supervisee) & selectors.exclusion_q(facts)
    ranking = matching.rank(facts, selectors.openings(q), selectors.skill_names())
    return ranking.matches


def _same(supervisee, facts=None):
    facts = facts or selectors.person_facts(supervisee)
    expected = _reference(supervisee, facts)
    found = selectors.PersonMatches(supervisee, facts=facts)
    assert len(found) == len(expected)
    rows = list(found)
    assert [(r.opening.key, r.assessment.score) for r in rows] == [
        (a.opening.key, a.score) for a in expected]
    assert [r.assessment.reasons for r in rows] == [a.reasons for a in expected]
    # a page further on is the same slice of the same order
    page = selectors.PersonMatches(supervisee, facts=facts)[5:12]
    assert [r.opening.key for r in page] == [a.opening.key for a in expected[5:12]]
    if expected:
        last = selectors.PersonMatches(supervisee, facts=facts)[-1]
        assert last.opening.key == expected[-1].opening.key
    return expected


def test_the_database_ranks_random_jobs_exactly_as_rank_does(emp):
    rng = random.Random(5)
    skills = [emp.driving, emp.warehouse, emp.cooking] + [
        f.SkillFactory(code=f"sql-skill-{i}", name=f"技能{i}") for i in range(14)]
    industries = [emp.catering, emp.logistics, emp.finance]
    districts = [emp.home, emp.town, emp.away]
    for i in range(120):
        emp.job(title=f"岗位{i}", industry=rng.choice(industries),
                district=rng.choice(districts),
                venue_type=rng.choice([None, None, emp.bar, emp.school]),
                shift=rng.choice(SHIFTS), work_days=rng.choice(DAYS),
                hours_per_week=rng.choice([20, 40, 44, 48]),
                juveniles_allowed=rng.random() < 0.3,
                skills=rng.sample(skills, rng.choice([0, 0, 1, 2, 3, 5])))
    # 16 skills wanted: one of them is 2.5 points, three are 7.5 (round() to even: 2, 8)
    emp.job(title="全能", skills=skills[:16])
    emp.training(skills=[emp.driving])
    emp.training(programme="烹饪培训", skills=[emp.cooking, emp.warehouse])

    people = [emp.world.supervisee, emp.world.other_supervisee, emp.world.juvenile]
    people += [emp.person() for _ in range(5)]
    people.append(emp.person(home_district=emp.town))
    for n, person in enumerate(people):
        person.skills.set(rng.sample(skills, rng.choice([0, 1, 2, 3, 4])))
        if n % 2:
            profile = JobProfile.objects.create(
                supervisee=person, preferred_shifts=rng.sample(SHIFTS, rng.randint(0, 3)),
                max_hours_per_week=rng.choice([None, 40, 44]),
                reporting_weekday=rng.choice([None, 1, 3, 6]),
                reporting_period=rng.choice(["morning", "evening", "night"]))
            profile.preferred_districts.set(rng.sample(districts, rng.randint(0, 2)))
        if n % 3 == 0:
            emp.ban(person, rng.choice(industries))
        if n % 4 == 1:
            emp.prohibit(person, emp.bar)
        if n % 3 == 1:  # covers a job there: open-ended
            emp.travel(person, emp.away)
        if n % 5 == 2:  # a short visit does not
            emp.travel(person, emp.away, days=10)

    for person in people:
        _same(person)

    # Booked classes (which clash with some jobs' hours), after release, a juvenile
    # under 16, an unknown home: facts changed directly.
    person = people[1]
    facts = selectors.person_facts(person)
    busy = frozenset({(2, "morning"), (6, "evening"), (7, "night")})
    assert _same(person, dataclasses.replace(facts, busy=busy))
    _same(person, dataclasses.replace(facts, in_correction=False))
    _same(person, dataclasses.replace(facts, is_juvenile=True, age=15))
    _same(person, dataclasses.replace(facts, county="", home_district_id=None))
    _same(person, dataclasses.replace(facts, help_open=False))
    assert _same(person, dataclasses.replace(facts, skills=frozenset()))
    _same(person, dataclasses.replace(facts, today=timezone.localdate()
                                      + datetime.timedelta(days=400)))


def test_the_rounding_of_a_share_of_skills_is_that_of_round(emp):
    skills = [f.SkillFactory(code=f"round-{i}", name=f"技能{i}") for i in range(16)]
    job = emp.job(title="全能", skills=skills)
    person = emp.world.supervisee
    for n, expected in ((1, 2), (2, 5), (3, 8), (5, 12)):  # 2.5 → 2, 7.5 → 8, 12.5 → 12
        person.skills.set(skills[:n])
        [row] = list(selectors.PersonMatches(person))
        assert row.opening.id == job.pk
        assert row.assessment.reasons[0].points == expected
        assert row.assessment.score == _reference(person, selectors.person_facts(person))[0].score


def test_a_page_of_matches_costs_the_same_queries_for_few_and_many_jobs(emp):
    person = emp.world.supervisee
    person.skills.set([emp.driving])
    emp.job(skills=[emp.driving])

    def page():
        with CaptureQueriesContext(connection) as queries:
            matches = selectors.matches_for_person(person)
            assert len(matches) >= 1
            [r.assessment.reasons for r in matches[:20]]
        return len(queries)

    few = page()
    for i in range(40):
        emp.job(title=f"岗位{i}", skills=[emp.driving, emp.cooking][: i % 3])
    assert page() == few
    assert len(selectors.matches_for_person(person)) == 41
