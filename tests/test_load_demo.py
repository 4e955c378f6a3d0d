"""`manage.py load_demo`: the demo county, its accounts, and that running it again
changes nothing."""

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone
from wagtail.models import Page

from cms.models import NewsPage, PartnerPage
from portal.demo import data
from portal.demo.people import plan
from portal.organisations.models import Membership, Organisation, Unit
from portal.people.models import (
    Consent,
    OccupationalBan,
    ProhibitionOrder,
    Supervisee,
    TravelApproval,
)

DEMO_ACCOUNTS = ("admin", "unitadmin", "caseworker", "caseworker2", "supervisee",
                 "supervisee2", "juvenile", "released", "ngo", "volunteerteam", "counsellor",
                 "enterprise", "editor")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()
              if m._meta.managed and not m._meta.proxy}
    pages = sorted(Page.objects.values_list("url_path", "title", "live"))
    return {"counts": counts, "pages": pages}


def age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# --- safety ----------------------------------------------------------------------------


def test_refuses_to_run_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    users = get_user_model().objects.count()

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())

    assert get_user_model().objects.count() == users
    assert not Supervisee.objects.exists()
    call_command("load_demo", "--force", stdout=StringIO())
    assert Supervisee.objects.count() == 60


def test_the_demo_password_lives_only_in_the_demo_data_module():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    holders = [
        str(path.relative_to(root)) for folder in ("portal", "cms", "courses", "volunteering",
                                                   "employment")
        for path in (root / folder).rglob("*.py")
        if data.PASSWORD in path.read_text(encoding="utf-8")
    ]
    assert holders == ["portal/demo/data.py"]


# --- idempotence -------------------------------------------------------------------------


def test_running_it_twice_changes_nothing(db, debug):
    first_output = load()
    before = snapshot()

    second_output = load()

    assert snapshot() == before
    assert "xiangyang-demo" in first_output
    assert "xiangyang-demo" not in second_output
    # no duplicate pages: every URL path is unique
    paths = [p[0] for p in before["pages"]]
    assert len(paths) == len(set(paths))
    assert before["counts"]["people.Supervisee"] == 60


# --- the county ------------------------------------------------------------------------


def test_the_demo_county_has_what_every_panel_needs(db, debug):
    load()
    today = timezone.localdate()
    people = Supervisee.objects.select_related("unit", "caseworker", "user")

    # units: a bureau with two squads and three justice offices under it
    bureau = Unit.objects.get(kind="bureau")
    children = bureau.get_children()
    assert sorted(children.values_list("kind", flat=True)) == [
        "justice_office", "justice_office", "justice_office", "squad", "squad"]
    assert Membership.objects.filter(role="caseworker").count() == 10
    assert Membership.objects.filter(user__username="unitadmin", unit=bureau,
                                     role="unit_admin").exists()

    # sixty people: every sentence kind, every level, juveniles, releases
    assert people.count() == 60
    assert set(people.values_list("sentence_kind", flat=True)) == set(
        Supervisee.SentenceKind.values)
    active = people.filter(status="in_correction")
    assert set(active.values_list("level", flat=True)) == {"strict", "ordinary", "lenient"}
    juveniles = people.filter(is_juvenile=True)
    assert juveniles.count() >= 2
    assert all(16 <= age(p.birth_date, today) <= 17 for p in juveniles)
    assert people.filter(status="released").count() >= 5
    assert people.filter(is_sealed=True).exists()
    soon = active.filter(term_end__range=(today, today + datetime.timedelta(days=30)))
    assert soon.count() >= 5
    assert soon.filter(caseworker__username="caseworker").count() >= 2
    assert set(people.values_list("unit__kind", flat=True)) == {"squad", "justice_office"}

    # the accounts of API.md
    squad1 = Unit.objects.get(memberships__user__username="caseworker")
    assert squad1.kind == "squad"
    supervisee = people.get(user__username="supervisee")
    assert (supervisee.unit, supervisee.caseworker.username, supervisee.level,
            supervisee.is_juvenile) == (squad1, "caseworker", "ordinary", False)
    other = people.get(user__username="supervisee2")
    assert other.level == "strict" and other.unit != squad1 and other.unit.kind == "squad"
    assert other.caseworker.username == "caseworker2"
    assert Membership.objects.filter(user__username="caseworker2", unit=other.unit).exists()
    juvenile = people.get(user__username="juvenile")
    assert juvenile.is_juvenile and age(juvenile.birth_date, today) == 16
    released = people.get(user__username="released")
    last_month = (today.replace(day=1) - datetime.timedelta(days=1))
    assert released.status == "released"
    assert (released.released_on.year, released.released_on.month) == (last_month.year,
                                                                        last_month.month)
    assert released.help_ends_on > today
    editor = get_user_model().objects.get(username="editor")
    assert editor.groups.filter(name="编辑").exists()
    assert get_user_model().objects.get(username="admin").is_superuser

    # court orders, consents, travel
    assert ProhibitionOrder.objects.filter(kind="venue_type").exists()
    assert OccupationalBan.objects.exists()
    assert TravelApproval.objects.filter(supervisee=supervisee).exists()
    assert Consent.objects.filter(supervisee=supervisee, granted=True).exists()
    assert supervisee.user.notifications.count() >= 3

    # partners with staff, each with a directory page
    kinds = dict(Organisation.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {"ngo": 4, "counselling": 2, "enterprise": 5, "volunteer_team": 1}
    for organisation in Organisation.objects.all():
        assert organisation.memberships.exists(), organisation
        assert PartnerPage.objects.live().filter(organisation=organisation).exists()
    assert "实训基地" in " ".join(
        Organisation.objects.filter(kind="enterprise").values_list("summary", flat=True))

    # news and content pages
    assert NewsPage.objects.live().count() >= 6
    assert NewsPage.objects.filter(live=False).exists()  # a draft for the editor's panel
    assert Page.objects.filter(slug="privacy", live=True).exists()


def test_demo_accounts_sign_in_and_others_wait_for_an_invitation(db, debug, client):
    load()
    User = get_user_model()

    for username in DEMO_ACCOUNTS:
        assert client.login(username=username, password=data.PASSWORD), username
        client.logout()
    others = User.objects.exclude(username__in=DEMO_ACCOUNTS)
    assert others.count() > 60
    assert not any(user.has_usable_password() for user in others)

    # through the real login form, the demo supervisee lands on their dashboard
    response = client.post("/accounts/login/", {"login": "supervisee",
                                                "password": data.PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("/dashboard/")
    assert "刘志强" in response.content.decode()


def test_dashboards_show_real_figures(db, debug, login):
    load()
    User = get_user_model()

    caseworker = login(User.objects.get(username="caseworker")).get("/dashboard/")
    html = caseworker.content.decode()
    mine_soon = Supervisee.objects.filter(
        caseworker__username="caseworker", status="in_correction",
        term_end__lte=timezone.localdate() + datetime.timedelta(days=30))
    assert caseworker.status_code == 200
    assert mine_soon.exists()
    for person in mine_soon:
        assert person.legal_name in html
    assert "张子豪" in html  # the juvenile assigned to them

    inbox = login(User.objects.get(username="supervisee")).get("/messages/")
    assert "外出申请已批准" in inbox.content.decode()

    editor = login(User.objects.get(username="editor")).get("/dashboard/")
    assert "年度社区矫正教育帮扶工作回顾" in editor.content.decode()


def test_public_pages_never_mention_a_person(db, debug, client):
    load()
    # Aliases are ordinary words (晨光, 启航) chosen to be shown instead of names.
    names = set(Supervisee.objects.values_list("legal_name", flat=True))
    names |= set(get_user_model().objects.exclude(display_name="").exclude(
        username__in=("admin", "editor")).values_list("display_name", flat=True))
    names |= set(Organisation.objects.values_list("contact_name", flat=True))
    names.discard("")

    for page in Page.objects.live().public().filter(depth__gt=1).specific():
        html = client.get(page.url).content.decode()
        visible = re.sub(r"<[^>]+>", " ", html)
        leaked = {name for name in names if name in visible}
        assert not leaked, (page.url, leaked)


def test_the_plan_is_the_same_every_time():
    today = datetime.date(2026, 3, 15)

    first, second = plan(today), plan(today)

    assert first == second
    assert len({p.legal_name for p in first}) == 60
    assert len({p.id_number for p in first}) == 60
    assert all(re.fullmatch(r"990101\d{11}[\dX]", p.id_number) for p in first)
