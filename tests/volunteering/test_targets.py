"""This month's public-welfare target (volunteering.selectors.month_targets): what counts,
what is behind, and whether the open activities can still meet it (docs/domain.md rules 1
and 8)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import StudyHoursEntry
from portal.people.models import ProhibitionOrder, Supervisee, TravelApproval
from tests import factories as f
from volunteering import selectors
from volunteering.models import Activity, HoursConfirmation, HoursEntry, ServiceKind, Signup

pytestmark = pytest.mark.django_db

PW, VS = ServiceKind.PUBLIC_WELFARE, ServiceKind.VOLUNTEER_SERVICE


def eighth_of_this_month() -> datetime.datetime:
    """10:00 on the 8th of this month (local): early in the month, with three weeks left."""
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(timezone.localdate().replace(day=8), datetime.time(10),
                                     tz)


@pytest.fixture
def early(monkeypatch):
    """The clock stands at 10:00 on the 8th of this month."""
    moment = eighth_of_this_month()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def squad_activity(svc, starts, *, hours=3, unit=None, **kwargs):
    return svc.activity(kind=PW, unit=unit or svc.world.squad1, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=hours), hours=Decimal(hours),
                        created_by=svc.world.users["caseworker"],
                        **{"capacity": 10, **kwargs})


def hours(person, amount, *, kind=PW, confirmed=False, day=None, world=None):
    entry = HoursEntry.objects.create(
        supervisee=person, kind=kind, hours=Decimal(str(amount)),
        service_date=day or timezone.localdate(timezone.now()), unit=world.squad1,
        recorded_by=world.users["caseworker"], reason="测试")
    if confirmed:
        HoursConfirmation.objects.create(entry=entry, confirmed_by=world.users["caseworker"])
    return entry


def target_of(person, now):
    found = dict(selectors.month_targets(Supervisee.objects.filter(pk=person.pk), now=now))
    return found[person]


def test_nothing_open_means_the_target_cannot_be_reached(svc, early):
    person = svc.world.supervisee  # ordinary: 8 h a month
    t = target_of(person, early)
    assert t.target == Decimal("8") and t.needed == Decimal("8")
    assert not t.reachable and t.open_activities == 0
    assert t.behind and t.expected == (Decimal("8") * 8 / t_days(early)).quantize(
        Decimal("0.1"))


def t_days(now) -> int:
    first, start, after = selectors.month_span(now)
    return (after.date() - first).days


def test_open_activities_of_the_unit_reach_the_target_without_clashes(svc, early):
    person = svc.world.supervisee
    day = early + datetime.timedelta(days=2)
    squad_activity(svc, day, hours=4)
    # At the same time: only one of the two can be taken.
    squad_activity(svc, day + datetime.timedelta(hours=1), hours=3)
    t = target_of(person, early)
    assert t.open_activities == 2 and t.open_hours == Decimal("4") and not t.reachable
    squad_activity(svc, day + datetime.timedelta(days=1), hours=4)
    t = target_of(person, early)
    assert t.open_hours == Decimal("8") and t.reachable


def test_what_a_person_may_not_join_does_not_count(svc, world, early):
    person = world.supervisee
    day = early + datetime.timedelta(days=2)
    squad_activity(svc, day, hours=8, unit=world.squad2)  # another squad's
    squad_activity(svc, day + datetime.timedelta(days=1), hours=8, capacity=1,
                   places_taken=1)  # full
    squad_activity(svc, day + datetime.timedelta(days=2), hours=8,
                   signup_deadline=early - datetime.timedelta(hours=1))  # too late
    svc.activity(starts_at=day + datetime.timedelta(days=3), hours=Decimal(8),
                 ends_at=day + datetime.timedelta(days=3, hours=8))  # volunteer service
    squad_activity(svc, day + datetime.timedelta(days=40), hours=8)  # next month
    assert target_of(person, early).open_activities == 0
    juvenile = world.juvenile
    squad_activity(svc, day + datetime.timedelta(days=4), hours=8)  # adults only
    assert target_of(juvenile, early).open_activities == 0
    assert target_of(person, early).reachable


def test_sign_ups_and_hours_waiting_keep_a_person_off_the_behind_list(svc, world, early):
    person = world.supervisee
    a = squad_activity(svc, early + datetime.timedelta(days=3), hours=3)
    Signup.objects.create(activity=a, supervisee=person, status=Signup.Status.CONFIRMED)
    hours(person, 1, world=world)  # waiting for confirmation
    t = target_of(person, early)
    assert (t.confirmed, t.waiting, t.signed_up) == (0, 1, 3)
    assert t.done + t.signed_up >= t.expected and not t.behind
    assert t.needed == Decimal("4") and not t.met


def test_volunteer_service_hours_do_not_count(svc, world, early):
    person = world.supervisee
    hours(person, 24, kind=VS, confirmed=True, world=world)
    t = target_of(person, early)
    assert t.volunteer == Decimal("24") and t.done == 0 and t.behind and not t.met


def test_a_waiting_list_place_plans_nothing_and_a_place_blocks_clashing_ones(svc, world,
                                                                             early):
    person = world.supervisee
    day = early + datetime.timedelta(days=2)
    waiting = squad_activity(svc, day, hours=4)
    Signup.objects.create(activity=waiting, supervisee=person, status=Signup.Status.WAITLISTED)
    other = svc.activity(starts_at=day + datetime.timedelta(days=1))  # volunteer service
    Signup.objects.create(activity=other, supervisee=person, status=Signup.Status.CONFIRMED)
    squad_activity(svc, day + datetime.timedelta(days=1), hours=3)  # clashes with it
    t = target_of(person, early)
    assert t.signed_up == 0 and t.open_activities == 0


@pytest.mark.parametrize("orders", ["venue", "district", "travel"])
def test_the_python_offer_rule_is_the_queries(svc, world, early, orders):
    """offered() and offer_q_of() agree on every activity for people with court orders,
    travel approvals, juveniles and released people."""
    person = svc.person(legal_name="周规则")
    venue = f.VenueTypeFactory()
    far = f.DistrictFactory(code="far", name="远方镇", county="外县")
    since = timezone.localdate(early) - datetime.timedelta(days=30)
    if orders == "venue":
        ProhibitionOrder.objects.create(supervisee=person, kind="venue_type", venue_type=venue,
                                        description="不得进入", starts_on=since)
    elif orders == "district":
        ProhibitionOrder.objects.create(supervisee=person, kind="place",
                                        district=svc.district, description="不得进入",
                                        starts_on=since)
    else:
        TravelApproval.objects.create(
            supervisee=person, destination=far, reason="探亲",
            starts_on=timezone.localdate(early), approved_by=world.users["caseworker"],
            ends_on=timezone.localdate(early) + datetime.timedelta(days=5))
    day = early + datetime.timedelta(days=1)
    for i, (unit, district, juveniles) in enumerate([
            (world.squad1, svc.district, False), (world.squad1, far, True),
            (world.bureau, svc.district, True), (world.squad2, svc.district, False),
            (world.squad1, far, False)]):
        squad_activity(svc, day + datetime.timedelta(days=i * 3), unit=unit, district=district,
                       suitable_for_juveniles=juveniles,
                       venue_type=venue if i == 0 else None)
    svc.activity(starts_at=day, district=far)
    rows = list(Activity.objects.values(*selectors.TARGET_ACTIVITY_VALUES))
    offered_somewhere = False
    for who in (person, world.supervisee, world.juvenile, world.other_supervisee):
        who = Supervisee.objects.select_related("unit__district", "home_district").get(
            pk=who.pk)
        terms = selectors.OfferTerms.of(who, timezone.localdate(early))
        by_query = set(Activity.objects.filter(selectors.offer_q_of(terms))
                       .values_list("pk", flat=True))
        assert {a["pk"] for a in rows if selectors.offered(terms, a)} == by_query, who
        offered_somewhere = offered_somewhere or bool(by_query)
    assert offered_somewhere


def test_one_person_and_many_people_are_read_alike(svc, world, early):
    """month_target() of one person (one query for sign-ups and activities) gives what
    month_targets() gives for that person among others."""
    day = early + datetime.timedelta(days=2)
    a = squad_activity(svc, day, hours=4)
    b = squad_activity(svc, day + datetime.timedelta(days=1), hours=3,
                       suitable_for_juveniles=True)
    squad_activity(svc, day + datetime.timedelta(days=2), hours=2, unit=world.bureau)
    clash = svc.activity(starts_at=day + datetime.timedelta(days=1, hours=1))
    Signup.objects.create(activity=a, supervisee=world.supervisee,
                          status=Signup.Status.CONFIRMED)
    Signup.objects.create(activity=clash, supervisee=world.juvenile,
                          status=Signup.Status.CONFIRMED)
    Signup.objects.create(activity=b, supervisee=world.other_supervisee,
                          status=Signup.Status.WAITLISTED)
    hours(world.supervisee, 1.5, world=world, confirmed=True)
    together = dict(selectors.month_targets(Supervisee.objects.all(), now=early))
    assert len(together) == 3
    for person, t in together.items():
        alone = selectors.month_target(
            Supervisee.objects.select_related("unit__district", "home_district")
            .get(pk=person.pk), now=early)
        assert alone == t, person
    assert together[world.supervisee].signed_up == 4
    assert together[world.juvenile].open_activities == 0  # adults only, or at the same time


# --- What people and caseworkers see -------------------------------------------------------

COUNTS = "公益活动计入本月目标；志愿服务计入志愿服务记录，不计入本月目标。"
CONTACT = "请联系您的社区矫正工作人员"
UNREACHABLE = "没有可达成目标的公益活动"


def test_a_person_with_nothing_open_is_told_to_contact_the_caseworker(svc, world, login,
                                                                      early):
    person = world.other_supervisee  # strict: 10 h; squad 2 runs nothing
    squad_activity(svc, early + datetime.timedelta(days=2), hours=8)  # squad 1's
    hours(person, 24, kind=VS, confirmed=True, world=world)
    client = login(person.user)
    page = client.get("/dashboard/").content.decode()
    assert COUNTS in page and CONTACT in page
    assert "24 小时志愿服务" in page  # named, and not counted
    listing = client.get("/service/").content.decode()
    assert COUNTS in listing and CONTACT in listing
    assert "减少筛选条件" not in listing  # no filter set: the filters are not blamed
    filtered = client.get("/service/?theme=clean-up&kind=volunteer_service").content.decode()
    assert "减少筛选条件" in filtered
    # The caseworker's today list names the person, with the reason.
    today = login(world.users["other_caseworker"]).get("/casework/today/")
    assert [p.legal_name for p in today.context["unreachable"]] == [person.legal_name]
    row = today.content.decode().split('id="unreach-h"')[1].split("</section>")[0]
    assert person.legal_name in row and UNREACHABLE in row
    assert today.context["unreachable_count"] == 1
    hours_page = login(world.users["other_caseworker"]).get(f"/service/people/{person.pk}/")
    assert UNREACHABLE in hours_page.content.decode()
    assert hours_page.context["month_target"].volunteer == 24
    # Squad 1's caseworker sees only their own people, who can reach theirs.
    mine = login(world.users["caseworker"]).get("/casework/today/").context["unreachable"]
    assert person.pk not in [p.pk for p in mine]


def test_a_person_who_can_reach_the_target_sees_how(svc, world, login, early):
    person = world.supervisee  # ordinary: 8 h
    day = early + datetime.timedelta(days=2)
    squad_activity(svc, day, hours=4)
    squad_activity(svc, day + datetime.timedelta(days=1), hours=4)
    page = login(person.user).get("/dashboard/")
    month = page.context["month_target"]
    assert month.reachable and month.needed == 8 and month.open_activities == 2
    html = page.content.decode()
    assert COUNTS in html and CONTACT not in html
    assert "2 个公益活动" in html


def test_early_in_the_month_sign_ups_keep_a_person_off_the_behind_list(svc, world, login,
                                                                        early):
    planned = world.supervisee
    idle = svc.person(legal_name="钱无报名")
    a = squad_activity(svc, early + datetime.timedelta(days=3), hours=3)
    Signup.objects.create(activity=a, supervisee=planned, status=Signup.Status.CONFIRMED)
    for who in (planned, idle):  # study on course: only service tells them apart
        StudyHoursEntry.objects.create(supervisee=who, kind=StudyHoursEntry.Kind.ATTENDANCE,
                                       hours=Decimal("20"),
                                       credited_on=timezone.localdate(early))
    client = login(world.users["caseworker"])
    rows = {p.legal_name: p for p in client.get("/people/").context["page"]}
    assert rows[planned.legal_name].service_planned == 3
    assert rows[planned.legal_name].service_toward >= rows[planned.legal_name].service_expected
    assert rows["钱无报名"].service_toward < rows["钱无报名"].service_expected
    today = client.get("/casework/today/").context
    behind = {p.legal_name: p for p in today["behind"]}
    assert "钱无报名" in behind and planned.legal_name not in behind
    names = [p.legal_name for p in client.get("/people/?behind=on").context["page"]]
    assert "钱无报名" in names and planned.legal_name not in names
    person_page = login(planned.user).get("/dashboard/").context["month_target"]
    assert not person_page.behind and person_page.signed_up == 3


def test_the_api_gives_this_months_target(svc, world, login, early):
    person = world.supervisee
    a = squad_activity(svc, early + datetime.timedelta(days=3), hours=3)
    Signup.objects.create(activity=a, supervisee=person, status=Signup.Status.CONFIRMED)
    hours(person, 5, kind=VS, confirmed=True, world=world)
    body = login(person.user).get("/api/v1/me/hours").json()
    month = body["this_month"]
    assert month["counts_toward_target"] == "public_welfare"
    assert month["target"] == 8 and month["signed_up"] == 3 and month["done"] == 0
    assert month["still_needed"] == 5 and month["volunteer_service"] == 5
    assert month["behind"] is False and month["reachable"] is False
    assert month["open_activities"] == 0 and month["days_left"] >= 1
