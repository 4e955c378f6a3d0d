"""The employment part of `manage.py load_demo` (employment/demo.py): the five enterprises'
openings, exclusions the demo people can see, applications and placements; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from employment import selectors
from employment.models import (
    Application,
    FollowUp,
    HelpAgreement,
    Job,
    JobProfile,
    Placement,
    TrainingBase,
    TrainingPlace,
)
from portal.people.models import Supervisee

MODELS = (HelpAgreement, TrainingBase, Job, TrainingPlace, JobProfile, Application, Placement,
          FollowUp)


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def _codes(ranking) -> dict[str, set[str]]:
    return {a.opening.title: {r.code for r in a.reasons} for a in ranking.excluded}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def test_the_demo_shows_openings_and_the_exclusions_of_the_demo_people(demo):
    assert HelpAgreement.objects.values("organisation").distinct().count() == 5
    assert Job.objects.values("organisation").distinct().count() == 5
    assert TrainingPlace.objects.values("organisation").distinct().count() == 5
    assert Job.objects.filter(district__county="望川县").count() >= 3  # outside the area

    # What the caseworker's page shows: the partners' openings, with why some are excluded.
    supervisee = Supervisee.objects.get(user__username="supervisee")
    excluded = _codes(selectors.ranking_for(supervisee, with_partners=True))
    assert "prohibited_venue" in excluded["KTV保洁员（夜班）"]
    assert any("outside_area" in codes for codes in excluded.values())
    mine = {row.opening.title for row in selectors.matches_for_person(supervisee)}
    assert mine and not mine & set(excluded)  # the person sees only what they may take

    other = _codes(selectors.ranking_for(Supervisee.objects.get(user__username="supervisee2"),
                                         with_partners=True))
    assert "banned_industry" in other["电商小额贷款客服"]

    juvenile = selectors.ranking_for(Supervisee.objects.get(user__username="juvenile"),
                                     with_partners=True)
    assert {a.opening.title for a in juvenile.matches} >= {"直播助理（学徒）"}
    assert "prohibited_venue" in _codes(juvenile)["园区网咖值班员"]

    released = selectors.ranking_for(Supervisee.objects.get(user__username="released"),
                                     with_partners=True)
    assert not any("outside_area" in codes for codes in _codes(released).values())


def test_the_demo_has_applications_in_several_states_and_placements(demo):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"recommended", "interview", "offered", "hired"} <= statuses
    assert Placement.objects.count() >= 5
    assert FollowUp.objects.filter(completed_at__isnull=False, still_employed=True).exists()
    assert FollowUp.objects.filter(completed_at__isnull=False, still_employed=False).exists()
    # the recommendation waits for the demo supervisee; the enterprise cannot see it yet
    waiting = Application.objects.get(status="recommended")
    assert waiting.supervisee.user.username == "supervisee" and waiting.shared_with is None


def test_loading_the_demo_again_changes_nothing(demo):
    before = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == before
