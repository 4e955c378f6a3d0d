"""The matching rules as pure functions (employment/matching.py): hard exclusions, the
ranking and its reasons, and what each audience may read."""

import dataclasses
import datetime

import pytest
from django.utils import translation

from employment import matching
from employment.matching import Opening, PersonFacts


def person(**kwargs) -> PersonFacts:
    fields = dict(supervisee_id=1, help_open=True, in_correction=True, is_juvenile=False,
                  age=30, home_district_id=1, home_district="城关镇", county="青禾县")
    fields.update(kwargs)
    return PersonFacts(**fields)


def opening(**kwargs) -> Opening:
    fields = dict(kind="job", id=1, title="分拣员", organisation_id=1, organisation="物流",
                  industry_id=10, industry="物流", district_id=1, district="城关镇",
                  county="青禾县", venue_type_id=None, venue_type="", shift="day",
                  work_days=frozenset({1, 2, 3, 4, 5}), hours_per_week=40,
                  juveniles_allowed=False)
    fields.update(kwargs)
    return Opening(**fields)


def codes(result) -> list[str]:
    return [r.code for r in result.reasons]


# --- hard exclusions ------------------------------------------------------------------


def test_an_ordinary_job_in_the_home_district_is_a_match():
    result = matching.assess(person(), opening())
    assert not result.excluded
    assert "home_district" in codes(result)


def test_an_industry_under_an_active_ban_is_excluded():
    result = matching.assess(person(banned_industries={10: "物流"}), opening())
    assert result.excluded
    assert codes(result) == ["banned_industry"]
    assert "物流" in result.reasons[0].text


def test_a_venue_type_under_a_prohibition_order_is_excluded():
    result = matching.assess(person(prohibited_venues={7: "酒吧"}),
                             opening(venue_type_id=7, venue_type="酒吧"))
    assert result.excluded and codes(result) == ["prohibited_venue"]
    # another kind of place is fine
    assert not matching.assess(person(prohibited_venues={7: "酒吧"}),
                               opening(venue_type_id=8, venue_type="学校")).excluded


def test_a_district_named_by_a_prohibition_order_is_excluded():
    result = matching.assess(person(prohibited_districts={1: "城关镇"}), opening())
    assert codes(result) == ["prohibited_district"]


def test_adult_only_work_is_excluded_for_a_juvenile_and_open_work_is_not():
    juvenile = person(is_juvenile=True, age=16)
    assert codes(matching.assess(juvenile, opening())) == ["adults_only"]
    result = matching.assess(juvenile, opening(juveniles_allowed=True))
    assert not result.excluded
    assert "juveniles_welcome" in codes(result)


def test_under_16_may_not_be_employed_but_may_train():
    child = person(is_juvenile=True, age=15)
    assert codes(matching.assess(child, opening(juveniles_allowed=True))) == ["under_16"]
    assert not matching.assess(child, opening(kind="training", juveniles_allowed=True)).excluded


def test_a_place_outside_the_county_is_excluded_under_correction():
    away = opening(district_id=9, district="望川县", county="望川县")
    result = matching.assess(person(), away)
    assert codes(result) == ["outside_area"]
    assert "望川县" in result.reasons[0].text


TODAY = datetime.date(2029, 6, 1)
TERM_END = datetime.date(2030, 1, 31)


def test_a_travel_approval_covers_its_destination_only():
    away = opening(district_id=9, district="望川县", county="望川县")
    until = datetime.date(2030, 1, 31)
    travelling = person(travel={9: ("望川县", ((TODAY, until),))}, today=TODAY,
                        term_end=TERM_END)
    result = matching.assess(travelling, away)
    assert not result.excluded
    assert "travel_approved" in codes(result)
    assert "2030-01-31" in " ".join(result.reason_texts)
    elsewhere = opening(district_id=10, district="远方镇", county="远方县")
    assert codes(matching.assess(travelling, elsewhere)) == ["outside_area"]


def test_a_short_approval_does_not_make_a_job_there_a_match():
    """A job has no end: the approval must run to the end of the correction term."""
    away = opening(district_id=9, district="望川县", county="望川县")
    visit = ((TODAY, TODAY + datetime.timedelta(days=7)),)
    short = person(travel={9: ("望川县", visit)}, today=TODAY, term_end=TERM_END)
    assert codes(matching.assess(short, away)) == ["outside_area"]
    # ...nor an approval that starts later than today.
    later = person(travel={9: ("望川县", ((TODAY + datetime.timedelta(days=1), None),))},
                   today=TODAY, term_end=TERM_END)
    assert matching.assess(later, away).excluded
    # An approval without an end date covers it.
    open_ended = person(travel={9: ("望川县", ((TODAY, None),))}, today=TODAY,
                        term_end=TERM_END)
    assert not matching.assess(open_ended, away).excluded


def test_a_training_course_needs_an_approval_over_its_dates_only():
    july = dict(kind="training", district_id=9, district="望川县", county="望川县",
                starts_on=datetime.date(2029, 7, 1), ends_on=datetime.date(2029, 7, 20))
    covering = ((datetime.date(2029, 6, 30), datetime.date(2029, 7, 20)),)
    fits = person(travel={9: ("望川县", covering)}, today=TODAY, term_end=TERM_END)
    assert not matching.assess(fits, opening(**july)).excluded
    too_short = ((datetime.date(2029, 7, 1), datetime.date(2029, 7, 10)),)
    partial = person(travel={9: ("望川县", too_short)}, today=TODAY, term_end=TERM_END)
    assert codes(matching.assess(partial, opening(**july))) == ["outside_area"]


def test_after_release_the_travel_limit_no_longer_applies_but_bans_still_do():
    released = person(in_correction=False)
    away = opening(district_id=9, district="望川县", county="望川县")
    result = matching.assess(released, away)
    assert not result.excluded
    assert "outside_county" in codes(result)
    banned = person(in_correction=False, banned_industries={10: "物流"})
    assert matching.assess(banned, away).excluded


def test_an_unknown_area_excludes_rather_than_allows():
    result = matching.assess(person(county="", home_district_id=None), opening())
    assert codes(result) == ["area_unknown"]


def test_closed_openings_and_ended_help_are_excluded():
    assert codes(matching.assess(person(), opening(is_open=False))) == ["closed"]
    assert codes(matching.assess(person(help_open=False), opening())) == ["help_ended"]


def test_every_exclusion_is_listed_not_only_the_first():
    result = matching.assess(person(is_juvenile=True, age=17, banned_industries={10: "物流"}),
                             opening(district_id=9, district="望川县", county="望川县"))
    assert set(codes(result)) == {"banned_industry", "adults_only", "outside_area"}


# --- ranking ----------------------------------------------------------------------------


def test_skills_place_and_hours_order_the_matches():
    me = person(skills=frozenset({100, 101}), preferred_districts=frozenset({2}),
                reporting=(1, "morning"), preferred_shifts=frozenset({"day"}), max_hours=40)
    best = opening(id=1, skills=frozenset({100, 101}))
    same_county = opening(id=2, district_id=3, district="柳河镇", skills=frozenset({100}))
    preferred = opening(id=3, district_id=2, district="石桥镇", skills=frozenset({100}))
    night = opening(id=4, shift="night", skills=frozenset({100, 101}))
    long_hours = opening(id=5, hours_per_week=60, skills=frozenset({100, 101}))
    banned = opening(id=6, industry_id=66, industry="金融")
    me = dataclasses.replace(me, banned_industries={66: "金融"})
    ranking = matching.rank(me, [same_county, banned, long_hours, night, preferred, best],
                            {100: "驾驶", 101: "仓储"})
    order = [a.opening.id for a in ranking.matches]
    assert order[0] in (1, 4)
    assert order.index(3) < order.index(2)  # a preferred district before elsewhere
    assert order.index(1) < order.index(5)  # more hours than wanted ranks lower
    assert [a.opening.id for a in ranking.excluded] == [6]
    top = ranking.matches[0]
    assert any("驾驶" in text and "仓储" in text for text in top.reason_texts)


def test_the_reporting_day_and_booked_classes_count_against_a_job():
    monday_morning = person(reporting=(1, "morning"))
    day_job = opening(shift="day")
    evening_job = opening(shift="evening")
    clash = matching.assess(monday_morning, day_job)
    free = matching.assess(monday_morning, evening_job)
    assert "reporting_clash" in codes(clash) and "reporting_free" in codes(free)
    assert clash.score < free.score
    weekend_job = opening(work_days=frozenset({6, 7}))
    assert "reporting_free" in codes(matching.assess(monday_morning, weekend_job))
    booked = person(busy=frozenset({(3, "evening")}))
    assert "class_clash" in codes(matching.assess(booked, evening_job))
    assert "class_clash" not in codes(matching.assess(booked, day_job))
    flexible = matching.assess(monday_morning, opening(shift="flexible"))
    assert "flexible" in codes(flexible) and "reporting_clash" not in codes(flexible)


def test_training_ranks_by_what_it_teaches():
    me = person(skills=frozenset({100}))
    new = matching.assess(me, opening(kind="training", skills=frozenset({200})), {200: "电焊"})
    assert "teaches_new" in codes(new)
    assert "电焊" in " ".join(new.reason_texts)


def test_ranking_many_people_for_one_job_keeps_only_matches():
    people = [person(supervisee_id=1), person(supervisee_id=2, banned_industries={10: "物流"}),
              person(supervisee_id=3, skills=frozenset({5})), person(supervisee_id=4,
                                                                     is_juvenile=True)]
    ranked = matching.rank_people(people, opening(skills=frozenset({5})))
    assert [pid for pid, _ in ranked] == [3, 1]


# --- audiences -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["reporting_clash", "reporting_free", "class_clash",
                                  "travel_approved", "banned_industry", "outside_area"])
def test_partners_never_get_reasons_that_reveal_the_correction(code):
    reason = matching.Reason(matching.MINUS, code, {
        "reporting_clash": (1, "morning"), "reporting_free": (1, "morning"),
        "class_clash": (1, "evening"), "travel_approved": ("望川县", None),
        "banned_industry": ("金融",), "outside_area": ("望川县", "望川县")}[code])
    assert matching.for_audience([reason], matching.PARTNER) == []
    assert matching.for_audience([reason], matching.STAFF) == [reason]


def test_partner_text_speaks_about_the_person_not_to_them():
    reason = matching.Reason(matching.PLUS, "home_district", ("城关镇",))
    with translation.override("en"):
        assert "your home district" in reason.text
        assert "your" not in reason.partner_text.lower()
        assert "城关镇" in reason.partner_text


def test_the_reasons_of_a_match_always_add_up_to_its_score():
    import random

    rng = random.Random(7)
    shifts = ["day", "evening", "night", "rotating", "flexible"]
    for n in range(300):
        me = person(
            skills=frozenset(rng.sample(range(6), rng.randint(0, 3))),
            preferred_districts=frozenset(rng.sample(range(1, 5), rng.randint(0, 2))),
            preferred_shifts=frozenset(rng.sample(shifts, rng.randint(0, 2))),
            max_hours=rng.choice([None, 30, 44]),
            reporting=rng.choice([None, (1, "morning"), (6, "evening")]),
            busy=frozenset(rng.sample([(2, "evening"), (6, "morning")], rng.randint(0, 2))),
            in_correction=rng.random() < 0.7, is_juvenile=rng.random() < 0.2, age=17)
        job = opening(
            id=n, kind=rng.choice(["job", "training"]), shift=rng.choice(shifts),
            district_id=rng.randint(1, 4), county="青禾县" if rng.random() < 0.8 else "望川县",
            skills=frozenset(rng.sample(range(6), rng.randint(0, 3))),
            work_days=frozenset(rng.sample(range(1, 8), rng.randint(1, 7))),
            hours_per_week=rng.choice([20, 40, 48]), juveniles_allowed=rng.random() < 0.5)
        quick = matching.assess(me, job, explain=False)
        full = matching.assess(me, job)
        assert (quick.excluded, quick.score) == (full.excluded, full.score)
        assert [r.code for r in quick.reasons] == [r.code for r in full.reasons]
        if not full.excluded:
            assert sum(r.points for r in full.reasons) == full.score, full.reasons


def test_ranking_scores_equal_the_explained_scores_and_exclusions_agree():
    """rank() scores through a cache of the score's parts and an unrolled exclusion check;
    both must give exactly what assess() (which explains itself) gives."""
    import random

    rng = random.Random(7)
    people = [
        person(skills=frozenset({1, 2}), preferred_shifts=frozenset({"day"}), max_hours=44,
               reporting=(2, "morning"), busy=frozenset({(3, "evening")}),
               preferred_districts=frozenset({2})),
        person(is_juvenile=True, age=15, banned_industries={3: "x"},
               prohibited_venues={7: "酒吧"}, prohibited_districts={4: "某镇"}),
        person(travel={9: ("望川县", ((TODAY, None),))}, today=TODAY, term_end=TERM_END),
    ]
    openings = [
        opening(id=i, kind=rng.choice(["job", "training"]), industry_id=rng.randint(1, 4),
                district_id=rng.choice([1, 2, 4, 9]), county=rng.choice(["青禾县", "望川县"]),
                venue_type_id=rng.choice([None, 7, 8]),
                shift=rng.choice(["day", "evening", "night", "rotating", "flexible"]),
                work_days=frozenset(rng.sample(range(1, 8), rng.randint(1, 7))),
                hours_per_week=rng.choice([20, 40, 48]), juveniles_allowed=rng.random() < 0.5,
                is_open=rng.random() < 0.9, skills=frozenset(rng.sample(range(5), 2)))
        for i in range(400)]
    for who in people:
        ranking = matching.rank(who, openings)
        for a in ranking.matches:
            b = matching.assess(who, a.opening)
            assert not b.excluded and a.score == b.score == sum(r.points for r in b.reasons)
        for a in ranking.excluded:
            assert matching.assess(who, a.opening).excluded
        assert len(ranking.matches) + len(ranking.excluded) == len(openings)
