"""Ranking many people over the same openings (matching.OpeningIndex, which
selectors.rankings_for uses for a county's caseload) gives exactly what rank() gives:
the same matches in the same order with the same scores and reasons, and the same
exclusions with the same reasons. Random people and openings, pure functions."""

import datetime
import random

from employment import matching
from employment.matching import Opening, PersonFacts

TODAY = datetime.date(2026, 12, 2)
DISTRICTS = {1: ("城关镇", "青禾县"), 2: ("柳河镇", "青禾县"), 3: ("望川镇", "望川县"),
             4: ("北山镇", "望川县"), 5: ("无县镇", "")}
SHIFTS = ["day", "evening", "night", "rotating", "flexible"]
DAYS = [frozenset(range(1, 6)), frozenset(range(1, 8)), frozenset({6, 7}), frozenset(),
        frozenset({1, 3, 5})]


def _opening(rng, i) -> Opening:
    district = rng.choice(list(DISTRICTS))
    kind = "job" if rng.random() < 0.8 else "training"
    starts = TODAY + datetime.timedelta(days=rng.randint(-10, 60)) if (
        kind == "training" and rng.random() < 0.7) else None
    ends = starts + datetime.timedelta(days=rng.choice([5, 30, 400])) if starts else None
    return Opening(
        kind=kind, id=i, title=f"岗位{i}", organisation_id=1, organisation="企业",
        industry_id=rng.randint(1, 4), industry="行业", district_id=district,
        district=DISTRICTS[district][0], county=DISTRICTS[district][1],
        venue_type_id=rng.choice([None, None, 1, 2]), venue_type="场所",
        shift=rng.choice(SHIFTS), work_days=rng.choice(DAYS),
        hours_per_week=rng.choice([20, 40, 44, 48]), juveniles_allowed=rng.random() < 0.4,
        is_open=rng.random() < 0.95,
        skills=frozenset(rng.sample(range(1, 20), rng.choice([0, 0, 1, 2, 3, 5, 16]))),
        starts_on=starts, ends_on=ends)


def _person(rng, i) -> PersonFacts:
    home = rng.choice([1, 2, 3, None])
    county = DISTRICTS[home][1] if home else rng.choice(["青禾县", ""])
    travel = {}
    for district in rng.sample([2, 3, 4, 5], rng.randint(0, 2)):
        start = TODAY + datetime.timedelta(days=rng.randint(-20, 20))
        end = rng.choice([None, start + datetime.timedelta(days=rng.choice([10, 100, 500]))])
        travel[district] = (DISTRICTS[district][0], ((start, end),))
    juvenile = rng.random() < 0.2
    return PersonFacts(
        supervisee_id=i, help_open=rng.random() < 0.95, in_correction=rng.random() < 0.8,
        is_juvenile=juvenile, age=rng.choice([15, 16, 17]) if juvenile else 30,
        home_district_id=home, home_district=DISTRICTS[home][0] if home else "",
        county=county, skills=frozenset(rng.sample(range(1, 20), rng.randint(0, 5))),
        banned_industries={k: "行业" for k in rng.sample([1, 2, 3, 4], rng.randint(0, 1))},
        prohibited_venues={k: "场所" for k in rng.sample([1, 2], rng.randint(0, 1))},
        prohibited_districts={k: "镇" for k in rng.sample([1, 2, 3], rng.choice([0, 0, 1]))},
        travel=travel,
        preferred_districts=frozenset(rng.sample([1, 2, 3, 4], rng.randint(0, 2))),
        preferred_shifts=frozenset(rng.sample(SHIFTS, rng.randint(0, 2))),
        max_hours=rng.choice([None, 40, 44]),
        reporting=rng.choice([None, (1, "morning"), (6, "evening"), (3, "night")]),
        busy=frozenset(rng.sample([(2, "morning"), (6, "afternoon"), (7, "night")],
                                  rng.randint(0, 2))),
        today=TODAY, term_end=TODAY + datetime.timedelta(days=rng.choice([-5, 30, 300])),
    )


def _candidates(person, openings):
    """What selectors.rankings_for assessed each person against before the index."""
    if not person.in_correction:
        return openings
    return [o for o in openings if o.county == person.county or (
        o.district_id in person.travel and o.county != person.county)]


def _summary(ranking):
    return ([(a.opening.key, a.score, a.reasons) for a in ranking.matches],
            [(a.opening.key, a.reasons) for a in ranking.excluded])


def test_the_index_ranks_every_person_as_rank_does():
    rng = random.Random(5)
    openings = [_opening(rng, i) for i in range(1, 400)]
    names = {i: f"技能{i}" for i in range(1, 20)}
    index = matching.OpeningIndex(openings, names)
    for i in range(300):
        person = _person(rng, i)
        expected = matching.rank(person, _candidates(person, openings), names)
        found = index.rank(person)
        assert len(found.matches) == len(expected.matches)
        assert len(found.excluded) == len(expected.excluded)
        assert _summary(found) == _summary(expected), person


def test_a_ranking_from_the_index_reads_like_a_list():
    rng = random.Random(7)
    openings = [_opening(rng, i) for i in range(1, 60)]
    person = _person(rng, 1)
    person = matching.PersonFacts(**{**{f: getattr(person, f) for f in person.__slots__},
                                     "help_open": True, "in_correction": False})
    found = matching.OpeningIndex(openings).rank(person).matches
    expected = matching.rank(person, openings).matches
    assert len(found) == len(expected) > 10
    assert [a.opening.key for a in found[3:8]] == [a.opening.key for a in expected[3:8]]
    assert found[0].opening.key == expected[0].opening.key
    assert found[-1].opening.key == expected[-1].opening.key
    assert [a.score for a in found] == [a.score for a in expected]
