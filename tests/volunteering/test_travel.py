"""Activities outside the person's county: offered and joinable only where and when a
travel approval takes them (the rule job matching applies too: portal.people.selectors)."""

import datetime

import pytest
from django.utils import timezone

from portal.people.models import TravelApproval
from portal.people.selectors import may_be_in
from tests import factories as f
from volunteering import selectors, services
from volunteering.models import Signup
from volunteering.services import ServiceError


@pytest.fixture
def away(svc):
    return f.DistrictFactory(code="away-town", name="邻县镇", county="邻县")


def _approve(svc, person, destination, *, starts, ends):
    today = timezone.localdate()
    return TravelApproval.objects.create(
        supervisee=person, destination=destination, reason="探亲",
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=None if ends is None else today + datetime.timedelta(days=ends),
        approved_by=svc.world.users["caseworker"])


def _titles(svc, person):
    return set(selectors.activities_open_to(person).values_list("title", flat=True))


def test_an_activity_in_another_county_is_neither_offered_nor_joinable(svc, away, client):
    person = svc.person()
    svc.activity(title="本县活动")
    there = svc.activity(title="外县活动", district=away)
    assert _titles(svc, person) == {"本县活动"}
    with pytest.raises(ServiceError) as refused:
        services.signup_create(supervisee=person, activity_id=there.pk)
    assert refused.value.status == 404
    assert not Signup.objects.filter(activity=there).exists()
    # Nor can the person open its page.
    client.force_login(person.user)
    assert client.get(f"/service/activities/{there.pk}/").status_code == 404
    _approve(svc, person, there.district, starts=0, ends=5)
    assert client.get(f"/service/activities/{there.pk}/").status_code == 200


def test_an_approval_covering_the_destination_and_the_day_opens_it(svc, away):
    person = svc.person()
    there = svc.activity(title="外县活动", district=away)  # in three days
    _approve(svc, person, away, starts=2, ends=4)
    assert "外县活动" in _titles(svc, person)
    result = services.signup_create(supervisee=person, activity_id=there.pk)
    assert result.signup.status == Signup.Status.CONFIRMED


@pytest.mark.parametrize("starts,ends", [(-10, 1), (5, 9)])
def test_an_approval_for_other_days_does_not(svc, away, starts, ends):
    person = svc.person()
    there = svc.activity(title="外县活动", district=away)
    _approve(svc, person, away, starts=starts, ends=ends)
    assert "外县活动" not in _titles(svc, person)
    with pytest.raises(ServiceError):
        services.signup_create(supervisee=person, activity_id=there.pk)


def test_an_approval_for_another_destination_does_not(svc, away):
    person = svc.person()
    svc.activity(title="外县活动", district=away)
    elsewhere = f.DistrictFactory(code="far-town", name="远方镇", county="远方县")
    _approve(svc, person, elsewhere, starts=0, ends=None)
    assert "外县活动" not in _titles(svc, person)


def test_after_release_there_is_no_area_limit(svc, away):
    person = svc.person(status="released", released_on=timezone.localdate())
    svc.activity(title="外县活动", district=away)
    assert "外县活动" in _titles(svc, person)


def test_may_be_in_for_a_stay_needs_one_approval_over_the_whole_stay(svc, away):
    person = svc.person()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    assert may_be_in(person, svc.district, today)  # home county: always
    assert not may_be_in(person, away, today)
    _approve(svc, person, away, starts=0, ends=10)
    assert may_be_in(person, away, today + 3 * day)
    assert may_be_in(person, away, (today, today + 10 * day))
    assert not may_be_in(person, away, (today, today + 11 * day))
    assert not may_be_in(person, away, (today, None))  # open-ended (a job): not covered
    _approve(svc, person, away, starts=5, ends=None)
    assert may_be_in(person, away, (today + 6 * day, None))


def _district_choices(client) -> set[str]:
    import re

    html = client.get("/service/").content.decode()
    select = re.search(r'<select name="district"[^>]*>(.*?)</select>', html, re.S).group(1)
    return set(re.findall(r'<option value="([^"]+)"', select))


def test_the_list_offers_only_districts_of_the_persons_area(svc, away, login):
    """A province has hundreds of districts; a person in correction is offered
    activities in their own county's (and where a travel approval takes them), and the
    district filter lists just those."""
    f.DistrictFactory(code="town-b", name="新城镇")  # the same county
    client = login(svc.world.supervisee.user)
    assert _district_choices(client) == {"town-a", "town-b"}
    _approve(svc, svc.world.supervisee, away, starts=1, ends=5)
    assert _district_choices(client) == {"town-a", "town-b", "away-town"}


def test_an_approval_that_is_over_adds_no_district(svc, away, login):
    _approve(svc, svc.world.supervisee, away, starts=-10, ends=-2)
    assert _district_choices(login(svc.world.supervisee.user)) == {"town-a"}


def test_another_countys_district_in_the_address_is_named_and_ignored(svc, away, login):
    svc.activity(title="本县活动")
    client = login(svc.world.supervisee.user)
    response = client.get("/service/?district=away-town")
    assert response.status_code == 200
    assert response.context["filter"].form.errors["district"]
    assert "本县活动" in response.content.decode()


def test_staff_see_every_district(svc, away, login):
    assert {"town-a", "away-town"} <= _district_choices(login(svc.world.users["caseworker"]))


def test_a_released_person_has_no_area_limit(svc, away, login):
    from portal.people.models import Supervisee

    person = svc.world.supervisee
    Supervisee.objects.filter(pk=person.pk).update(status=Supervisee.Status.RELEASED)
    assert {"town-a", "away-town"} <= _district_choices(login(person.user))


def test_the_persons_form_is_kept_per_county(svc, away, login,
                                              django_capture_on_commit_callbacks):
    from portal.people.models import Supervisee

    assert _district_choices(login(svc.world.supervisee.user)) == {"town-a"}
    Supervisee.objects.filter(pk=svc.world.other_supervisee.pk).update(home_district=away)
    assert _district_choices(login(svc.world.other_supervisee.user)) == {"away-town"}
    with django_capture_on_commit_callbacks(execute=True):
        f.DistrictFactory(code="town-c", name="东城镇")
    assert _district_choices(login(svc.world.supervisee.user)) == {"town-a", "town-c"}


def test_a_new_district_shows_in_the_persons_form_at_once(svc, login):
    client = login(svc.world.supervisee.user)
    assert _district_choices(client) == {"town-a"}
    f.DistrictFactory(code="town-d", name="西城镇")
    assert _district_choices(client) == {"town-a", "town-d"}
