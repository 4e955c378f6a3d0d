"""A person's first page of the activity list (web and API) is one statement carrying the
count (volunteering.selectors.first_activity_page). It must offer exactly what
activity_browse offers, for every kind of person, and each person their own activities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.access import actor_for
from portal.people.models import ProhibitionOrder, Supervisee, TravelApproval
from tests import factories as f
from volunteering import selectors, services
from volunteering.models import Activity, ServiceKind

RELATED = ("theme", "district", "organisation", "unit")


@pytest.fixture
def scene(svc):
    """Activities across every rule of the offer: ages, venue types, districts, public
    welfare of one's own unit, another unit's and the bureau's, another county."""
    world = svc.world
    bar = f.VenueTypeFactory(code="bar", name="酒吧")
    park = f.VenueTypeFactory(code="park", name="公园")
    east = f.DistrictFactory(code="town-east", name="东关镇", county=svc.district.county)
    away = f.DistrictFactory(code="away-town", name="邻县镇", county="邻县")
    soon = timezone.now() + datetime.timedelta(days=3)
    made = {}
    for i, (title, extra) in enumerate([
        ("在酒吧", {"venue_type": bar}),
        ("在公园", {"venue_type": park, "suitable_for_juveniles": True}),
        ("东关镇", {"district": east}),
        ("本中队公益", {"kind": ServiceKind.PUBLIC_WELFARE, "unit": world.squad1}),
        ("局里公益", {"kind": ServiceKind.PUBLIC_WELFARE, "unit": world.bureau}),
        ("二中队公益", {"kind": ServiceKind.PUBLIC_WELFARE, "unit": world.squad2}),
        ("邻县", {"district": away}),
        ("邻县下周", {"district": away, "starts_at": soon + datetime.timedelta(days=7)}),
        ("适合未成年人", {"suitable_for_juveniles": True}),
        ("截止已过", {"signup_deadline": timezone.now() - datetime.timedelta(hours=1)}),
        ("草稿", {"status": Activity.Status.DRAFT}),
    ]):
        extra.setdefault("starts_at", soon + datetime.timedelta(hours=i))
        made[title] = svc.activity(title=title, **extra)
    made["在酒吧"].skills.set([f.SkillFactory(code="first-aid", name="急救"),
                             f.SkillFactory(code="cook", name="烹饪")])
    return {"bar": bar, "park": park, "east": east, "away": away, "made": made}


def _people(svc, scene):
    world, today = svc.world, timezone.localdate()
    caseworker = world.users["caseworker"]
    plain = svc.person()
    juvenile = svc.person(is_juvenile=True)
    barred = svc.person()
    ProhibitionOrder.objects.create(supervisee=barred, kind="venue_type", venue_type=scene["bar"],
                                    description="不得进入酒吧", starts_on=today)
    ProhibitionOrder.objects.create(supervisee=barred, kind="place", district=scene["east"],
                                    description="不得进入东关镇", starts_on=today)
    barred_too = svc.person(unit=world.squad2)  # the same shape, other values
    ProhibitionOrder.objects.create(supervisee=barred_too, kind="venue_type",
                                    venue_type=scene["park"], description="x", starts_on=today)
    ProhibitionOrder.objects.create(supervisee=barred_too, kind="place",
                                    district=scene["east"], description="x", starts_on=today)
    ended = svc.person()  # an order that is over limits nothing
    ProhibitionOrder.objects.create(supervisee=ended, kind="venue_type", venue_type=scene["bar"],
                                    description="x", starts_on=today - datetime.timedelta(days=60),
                                    ends_on=today - datetime.timedelta(days=1))
    traveller = svc.person()
    TravelApproval.objects.create(supervisee=traveller, destination=scene["away"], reason="探亲",
                                  starts_on=today, ends_on=today + datetime.timedelta(days=5),
                                  approved_by=caseworker)
    open_ended = svc.person()
    TravelApproval.objects.create(supervisee=open_ended, destination=scene["away"], reason="务工",
                                  starts_on=today, approved_by=caseworker)
    released = svc.person(status=Supervisee.Status.RELEASED,
                          released_on=today - datetime.timedelta(days=3))
    nowhere = svc.person(home_district=None, unit=world.squad2)
    return {"plain": plain, "juvenile": juvenile, "barred": barred, "barred too": barred_too,
            "ended": ended, "traveller": traveller, "open-ended": open_ended,
            "released": released, "nowhere": nowhere}


def _browse(person):
    qs = selectors.activity_browse(person.user, {}, related=RELATED).qs
    return [(a.pk, a.my_signup_status, [s.code for s in a.skills.all()]) for a in qs], qs.count()


def _first(person, size=20):
    rows, count = selectors.first_activity_page(person.user, {}, size=size, related=RELATED)
    return [(a.pk, a.my_signup_status, [s.code for s in selectors.skills_of(a)])
            for a in rows], count


def test_the_first_page_offers_what_the_list_offers_to_every_kind_of_person(svc, scene):
    people = _people(svc, scene)
    services.signup_create(supervisee=people["plain"], activity_id=scene["made"]["在公园"].pk)
    offered = {}
    for name, person in people.items():
        person = Supervisee.objects.get(pk=person.pk)
        first = _first(person)
        assert first == _browse(person), name
        offered[name] = {Activity.objects.get(pk=pk).title for pk, _s, _k in first[0]}
    # The rules themselves, so that the comparison is not between two empty lists.
    assert offered["plain"] == {"在酒吧", "在公园", "东关镇", "本中队公益", "局里公益", "适合未成年人"}
    assert offered["juvenile"] == {"在公园", "适合未成年人"}
    assert offered["barred"] == {"在公园", "本中队公益", "局里公益", "适合未成年人"}
    assert offered["barred too"] == {"在酒吧", "二中队公益", "局里公益", "适合未成年人"}
    assert offered["ended"] == offered["plain"]
    assert offered["traveller"] == offered["plain"] | {"邻县"}
    assert offered["open-ended"] == offered["plain"] | {"邻县", "邻县下周"}
    assert offered["released"] == offered["plain"] - {"本中队公益", "局里公益"} | {"邻县", "邻县下周"}
    assert offered["nowhere"] == set()
    page = _first(people["plain"])[0]
    assert page[1][1] == "confirmed"  # 在公园: the person's place
    assert sorted(page[0][2]) == ["cook", "first-aid"]  # 在酒吧's skills


def test_the_count_and_the_skills_come_with_the_page(svc, scene):
    people = _people(svc, scene)
    # A page of two out of six: the count without a COUNT query, the skill ids with the
    # activities; then the person's record, the page, and the names of the page's skills.
    person = Supervisee.objects.get(pk=people["plain"].pk)
    user = person.user
    actor_for(user)
    with CaptureQueriesContext(connection) as ctx:
        rows, count = selectors.first_activity_page(user, {}, size=2, related=RELATED)
    assert len(rows) == 2 and count == 6
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len(statements) == 3
    assert statements[0].startswith('SELECT "people_supervisee"')
    assert statements[1].startswith('SELECT "volunteering_activity"."id"')
    assert 'FROM "taxonomy_skill"' in statements[2]


def test_a_filter_or_a_later_page_goes_the_ordinary_way(svc, scene):
    person = svc.world.supervisee
    assert selectors.first_activity_page(person.user, {"kind": "public_welfare"}, size=20) is None
    assert selectors.first_activity_page(person.user, {"page": "2"}, size=20) is None
    assert selectors.first_activity_page(person.user, {"page": "1", "theme": ""}, size=20)
    # Staff and partners see the published list, not a person's offer.
    assert selectors.first_activity_page(svc.world.users["caseworker"], {}, size=20) is None
    assert selectors.first_activity_page(svc.world.users["ngo"], {}, size=20) is None


def test_the_apis_first_page_says_what_the_ordinary_way_says_of_each_activity(svc, scene, rf):
    """The API's first page is values rows (_activity_rows); every field of every item is
    what the model instances of activity_browse give (_activity)."""
    from portal.api.routers import volunteering as api

    people = _people(svc, scene)
    services.signup_create(supervisee=people["plain"], activity_id=scene["made"]["在公园"].pk)
    request = rf.get("/api/v1/activities")
    seen = []
    for name, person in people.items():
        person = Supervisee.objects.get(pk=person.pk)
        rows, count = selectors.first_activity_page(person.user, {}, size=20, cards="api")
        items = api._activity_rows(request, rows)
        browse = selectors.activity_browse(person.user, {}, related=RELATED).qs
        assert items == [api._activity(request, a, a.my_signup_status) for a in browse], name
        assert count == browse.count(), name
        seen.extend(items)
    # Not a comparison of empty lists: skills, both kinds of organiser and a sign-up.
    assert any(item["skills"] for item in seen)
    assert {item["organiser"] for item in seen} >= {svc.world.squad1.name, svc.world.bureau.name}
    assert any(item["my_status"] == "confirmed" for item in seen)


def test_the_apis_first_page_is_byte_for_byte_the_ordinary_ways_json(svc, scene, login, rf):
    """GET /api/v1/activities (values rows and the API's own encoder) answers, byte for byte, what ninja answers for the model
    instances of activity_browse validated by the response schema and written by ninja's
    own encoder, for every kind of person."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from portal.api.pagination import page_of
    from portal.api.routers import volunteering as api

    people = _people(svc, scene)
    services.signup_create(supervisee=people["plain"], activity_id=scene["made"]["在公园"].pk)
    schema = page_of(api.ActivityOut)
    request = rf.get("/api/v1/activities")
    seen = 0
    for name, person in people.items():
        client = login(person.user)
        answer = client.get("/api/v1/activities")
        assert answer.status_code == 200, name
        browse = selectors.activity_browse(person.user, {}, related=RELATED).qs
        items = [api._activity(request, a, a.my_signup_status) for a in browse[:20]]
        document = schema.model_validate({"items": items, "count": browse.count()}).model_dump()
        assert answer.content.decode() == json.dumps(document, cls=NinjaJSONEncoder), name
        seen += len(items)
    assert seen
