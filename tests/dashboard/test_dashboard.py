"""Each role's dashboard shows real figures from the database, and only what the role may
see; its query count does not grow with the number of people."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Notification
from portal.organisations.models import Membership, Organisation
from portal.people.models import LevelTarget
from tests import factories as f

URL = reverse("dashboard")


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- supervisee -------------------------------------------------------------------------

def test_supervisee_sees_term_level_caseworker_targets_and_orders(world, login):
    world.supervisee.prohibitions.create(kind="venue_type",
                                         venue_type=f.VenueTypeFactory(name="酒吧"),
                                         description="", starts_on="2024-01-01")
    world.supervisee.prohibitions.create(kind="contact", description="同案人张某",
                                         starts_on="2024-01-01", ends_on="2024-02-01")
    Notification.objects.create(recipient=world.users["supervisee"], kind="t", title="明天上课")
    LevelTarget.objects.filter(level="ordinary").update(study_hours=Decimal("7.5"),
                                                        service_hours=Decimal("9"))
    from courses.models import StudyHoursEntry

    StudyHoursEntry.objects.create(supervisee=world.supervisee, kind="attendance",
                                   hours=Decimal("2"), credited_on=timezone.localdate(),
                                   recorded_by=world.users["caseworker"])
    response = login(world.users["supervisee"]).get(URL)
    body = response.content.decode()
    assert response.context["role"] == "supervisee"
    assert world.supervisee.term_end.strftime("%Y-%m-%d") in body
    assert str(world.users["caseworker"]) in body
    assert response.context["target"].level == "ordinary"
    # hours done this month against the level's targets
    assert '<span class="n">2 / 7.5</span>' in body and '<span class="n">0 / 9</span>' in body
    assert "酒吧" in body
    assert "同案人张某" not in body  # that order has ended
    assert "明天上课" in body
    assert "王强" not in body


def test_service_hours_this_month_count_confirmed_public_welfare_only(world, login):
    from volunteering.models import HoursConfirmation, HoursEntry, ServiceKind

    LevelTarget.objects.filter(level="ordinary").update(service_hours=Decimal("9"))
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    cw = world.users["caseworker"]

    def entry(hours, day=today, kind=ServiceKind.PUBLIC_WELFARE, confirmed=True):
        e = HoursEntry.objects.create(supervisee=world.supervisee, kind=kind,
                                      hours=Decimal(hours), service_date=day, reason="测试",
                                      recorded_by=cw, unit=world.squad1)
        if confirmed:
            HoursConfirmation.objects.create(entry=e, confirmed_by=cw)

    entry("3")
    entry("1.5")
    entry("4", confirmed=False)  # not yet confirmed
    entry("5", kind=ServiceKind.VOLUNTEER_SERVICE)  # the other kind
    entry("6", day=last_month)  # another month
    body = login(world.users["supervisee"]).get(URL).content.decode()
    # Done: confirmed or waiting; only the confirmed 4.5 count toward the target, and
    # volunteer service is named as not counting (docs/domain.md rule 8).
    assert '<span class="n">8.5 / 9</span>' in body
    assert "经社区矫正工作人员确认的 4.5 小时计入目标；4 小时待确认。" in body
    assert "您本月的 5 小时志愿服务计入志愿服务记录，不计入本月目标。" in body


def test_released_person_has_no_targets(world, login):
    LevelTarget.objects.filter(level="ordinary").update(study_hours=Decimal("7.5"))
    client = login(world.users["supervisee"])
    assert '<span class="n">0 / 7.5</span>' in client.get(URL).content.decode()
    world.supervisee.status = "released"
    world.supervisee.save()
    response = client.get(URL)
    assert response.status_code == 200
    assert "7.5</span>" not in response.content.decode()


# --- caseworker ------------------------------------------------------------------------

def test_caseworker_sees_figures_and_own_people(world, login):
    world.supervisee.term_end = timezone.localdate() + datetime.timedelta(days=5)
    world.supervisee.save()
    response = login(world.users["caseworker"]).get(URL)
    figures = response.context["figures"]
    assert figures["in_correction"] == 2 and figures["mine"] == 2
    assert figures["juveniles"] == 1 and figures["releasing_soon"] == 1
    assert [p.legal_name for p in response.context["my_releasing"]] == ["李明"]
    assert [p.legal_name for p in response.context["my_juveniles"]] == ["赵小军"]
    assert "unit_rows" not in response.context
    assert "王强" not in response.content.decode()


def test_caseworker_figures_leave_out_what_they_may_not_see(world, login):
    colleague = f.caseworker_create(world.squad1)
    f.SuperviseeFactory(unit=world.squad1, caseworker=colleague, is_juvenile=True)
    figures = login(world.users["caseworker"]).get(URL).context["figures"]
    assert figures["juveniles"] == 1


# --- unit administrator -----------------------------------------------------------------

def test_unit_admin_sees_units_levels_staff_partners_and_a_chart(world, login):
    f.SuperviseeFactory(unit=world.squad2, level="lenient")
    f.SuperviseeFactory(unit=world.squad2, status="released")
    f.OrganisationFactory(kind=Organisation.Kind.COUNSELLING, partner_unit=world.squad1)
    f.OrganisationFactory(kind=Organisation.Kind.NGO)  # works with nobody here
    response = login(world.users["unit_admin"]).get(URL)
    rows = {r.name: r for r in response.context["unit_rows"]}
    assert rows["第一中队"].levels == {"strict": 0, "ordinary": 2, "lenient": 0}
    assert rows["第二中队"].levels == {"strict": 1, "ordinary": 0, "lenient": 1}
    assert rows["第二中队"].released == 1
    assert rows["示范县司法局"].subtree_in_correction == 4
    assert rows["示范县司法局"].subtree_released == 1
    assert (rows["第一中队"].caseworkers, rows["示范县司法局"].admins) == (1, 1)
    partners = dict(response.context["partner_counts"])
    assert partners[Organisation.Kind.NGO.label] == 1
    assert partners[Organisation.Kind.COUNSELLING.label] == 2  # the World's and this one
    assert partners[Organisation.Kind.ENTERPRISE.label] == 1
    body = response.content.decode()
    assert "<svg" in body and 'role="img"' in body
    chart = response.context["chart"]
    totals = {bar["full_name"]: bar["total"] for bar in chart["bars"]}
    assert totals == {"第一中队": 2, "第二中队": 2}  # the bureau itself holds nobody
    widths = {bar["full_name"]: sum(s["width"] for s in bar["segments"])
              for bar in chart["bars"]}
    assert widths["第一中队"] == widths["第二中队"] > 0


def test_squad_admin_sees_only_their_squad(world, login):
    admin2 = f.caseworker_create(world.squad2, role=Membership.Role.UNIT_ADMIN)
    response = login(admin2).get(URL)
    assert [r.name for r in response.context["unit_rows"]] == ["第二中队"]
    assert response.context["figures"]["in_correction"] == 1
    assert dict(response.context["partner_counts"])[Organisation.Kind.NGO.label] == 0


def test_superuser_sees_every_unit(world, login):
    response = login(world.users["superuser"]).get(URL)
    assert len(response.context["unit_rows"]) == 3
    assert response.context["figures"]["in_correction"] == 3


# --- partner staff and editors: no supervisee data --------------------------------------

@pytest.mark.parametrize("role", ["ngo", "enterprise"])
def test_partner_sees_their_organisation_and_colleagues_but_no_supervisee(world, login, role):
    organisation = world.ngo if role == "ngo" else world.enterprise
    colleague = f.partner_staff_create(organisation, display_name="同事甲")
    response = login(world.users[role]).get(URL)
    body = response.content.decode()
    assert organisation.name in body and "同事甲" in body
    assert [o.pk for o in response.context["organisations"]] == [organisation.pk]
    assert colleague in [m.user for m in response.context["colleagues"]]
    for name in ("李明", "王强", "赵小军", "李*"):
        assert name not in body
    assert "figures" not in response.context and "unit_rows" not in response.context


def test_editor_sees_pages_and_drafts(world, login):
    from wagtail.models import Page

    root = Page.objects.get(depth=1)
    page = root.add_child(instance=Page(title="新闻草稿", slug="draft-news", live=False,
                                        has_unpublished_changes=True))
    page.save_revision()
    response = login(world.users["editor"]).get(URL)
    assert response.context["drafts"] >= 1
    assert "新闻草稿" in response.content.decode()
    assert "李明" not in response.content.decode()


# --- query counts ---------------------------------------------------------------------------

def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def _more_people(world, n):
    today = timezone.localdate()
    for i in range(n):
        f.SuperviseeFactory(
            unit=(world.squad1, world.squad2)[i % 2],
            caseworker=world.users["caseworker"] if i % 2 == 0 else None,
            level=("strict", "ordinary", "lenient")[i % 3], is_juvenile=i % 5 == 0,
            term_end=today + datetime.timedelta(days=i % 40 + 1),
        )


@pytest.mark.parametrize("role", ["caseworker", "unit_admin", "superuser", "supervisee"])
def test_dashboard_query_count_is_fixed(world, login, role, django_assert_num_queries):
    client = login(world.users[role])
    # One order already: the supervisee's dashboard reads the orders only when there are
    # any, so the count below compares one order with ten.
    world.supervisee.prohibitions.create(kind="place", description="地点", starts_on="2024-01-01")
    client.get(URL)  # warm-up
    count = _count(client)
    _more_people(world, 60)
    sub = world.squad2.add_child(name="新所", kind="justice_office")
    f.SuperviseeFactory(unit=sub)
    f.caseworker_create(sub)
    for i in range(9):
        Notification.objects.create(recipient=world.users[role], kind="t", title=f"通知{i}")
        world.supervisee.prohibitions.create(kind="place", description=f"地点{i}",
                                             starts_on="2024-01-01")
    with django_assert_num_queries(count):
        client.get(URL)


def test_a_person_without_orders_pays_no_query_for_them(world, login):
    """The dashboard asks once which of orders, bans and travel approvals exist, and reads
    only those; a person with an order still sees it."""
    client = login(world.users["supervisee"])
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    reads = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in reads if s.startswith('SELECT "people_prohibitionorder"')]
    assert not [s for s in reads if s.startswith('SELECT "people_occupationalban"')]
    assert not [s for s in reads if s.startswith('SELECT "people_travelapproval"')]
    world.supervisee.prohibitions.create(kind="place", description="网吧", starts_on="2024-01-01")
    assert "网吧" in client.get(URL).content.decode()
