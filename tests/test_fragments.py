"""Template fragments kept in the cache (portal/fragments.py): a change in the data shows
on the next request of a cached page, a viewer never gets a fragment rendered for
someone who may see other things, and an edited template shows on the next request."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.template import engines
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.autoreload import file_changed

from casework.models import HelpPlan
from courses.models import CoursePage, Enrolment
from employment.models import Job
from helpnet.models import Referral
from portal.fragments import data_key, fragment_token
from portal.organisations.models import Membership
from portal.people.models import Supervisee
from tests import factories as f
from tests.courses import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _twice(client, url) -> str:
    """The page as a second request gets it: from the cached fragments."""
    _html(client, url)
    return _html(client, url)


# --- The data changes: the next request shows it -----------------------------------------

def test_caseload_shows_a_new_person_a_status_change_and_a_renamed_unit(world, login):
    client = login(world.users["caseworker"])
    page = _twice(client, "/people/")
    assert "李明" in page and "周新来" not in page
    f.SuperviseeFactory(unit=world.squad1, caseworker=world.users["caseworker"],
                        legal_name="周新来")
    assert "周新来" in _html(client, "/people/")
    person = world.supervisee
    person.status = Supervisee.Status.RELEASED
    person.save()
    row = next(r for r in _html(client, "/people/").split("<tr>") if "李明" in r)
    with translation.override("zh-hans"):
        assert f"<td>{person.get_status_display()}</td>" in row
    world.squad1.name = "城东中队"
    world.squad1.save()
    assert "城东中队" in _html(client, "/people/")


def test_caseload_fragments_are_never_shared_between_scopes(world, login):
    """A caseworker of the same squad not assigned to the juvenile, a caseworker of
    another squad and the unit administrator each get their own rows, whoever asked
    first."""
    assigned = login(world.users["caseworker"])
    assert "赵小军" in _twice(assigned, "/people/")
    colleague = f.caseworker_create(world.squad1, username="caseworker3")
    page = _twice(login(colleague), "/people/")
    assert "李明" in page and "赵小军" not in page
    other = _twice(login(world.users["other_caseworker"]), "/people/")
    assert "王强" in other and "李明" not in other and "赵小军" not in other
    admin = _twice(login(world.users["unit_admin"]), "/people/")
    assert {"李明", "王强", "赵小军"} <= {n for n in ("李明", "王强", "赵小军") if n in admin}
    # The unit options of the filter form differ too.
    assert "第二中队" not in _html(login(world.users["caseworker"]), "/people/").split(
        "<tbody>")[0]


def test_today_shows_a_help_plan_falling_due(world, login):
    client = login(world.users["caseworker"])
    assert "李明" not in _twice(client, "/casework/today/").split('id="rev-h"')[1]
    HelpPlan.objects.create(supervisee=world.supervisee, goals="目标",
                            review_on=timezone.localdate() - datetime.timedelta(days=1),
                            updated_by=world.users["caseworker"])
    assert "李明" in _html(client, "/casework/today/").split('id="rev-h"')[1]


def test_unit_dashboard_counts_a_closed_referral(world, login):
    from helpnet.models import Service

    client = login(world.users["unit_admin"])
    before = _twice(client, "/casework/units/")
    service = Service.objects.create(organisation=world.ngo, name="个案帮扶",
                                     type=Service.Type.SOCIAL_WORK, area="全县",
                                     contact="0000")
    Referral.objects.create(
        supervisee=world.supervisee, service=service, status=Referral.Status.CLOSED,
        reason="需要帮扶", created_by=world.users["caseworker"], shared_with=world.ngo,
        consent_at=timezone.now() - datetime.timedelta(days=5), closed_at=timezone.now(),
        outcome="resolved")
    after = _html(client, "/casework/units/")
    assert client.get("/casework/units/").context["outcomes"].referrals_closed == 1
    assert before != after and after.count('id="ref-h"') == 1


def test_jobs_board_shows_a_new_job_and_a_changed_title(world, login):
    client = login(world.users["caseworker"])
    assert "叉车司机" not in _twice(client, "/jobs/board/")
    job = Job.objects.create(organisation=world.enterprise, title="叉车司机",
                             industry=f.IndustryFactory(), district=f.DistrictFactory(),
                             status=Job.Status.OPEN)
    assert "叉车司机" in _html(client, "/jobs/board/")
    job.title = "夜班叉车司机"
    job.save()
    assert "夜班叉车司机" in _html(client, "/jobs/board/")


def test_my_courses_shows_a_renamed_course(world, login):
    course = cf.course_create(title="电工基础", unit=world.bureau)
    Enrolment.objects.create(supervisee=world.supervisee, course=course)
    client = login(world.users["supervisee"])
    assert "电工基础" in _twice(client, "/learning/")
    page = CoursePage.objects.get(pk=course.pk)
    page.title = "电工入门"
    page.save_revision().publish()
    html = _html(client, "/learning/")
    assert "电工入门" in html and "电工基础" not in html


def test_the_menu_badge_follows_the_unread_count(world, login):
    from portal.notifications.models import Notification

    client = login(world.users["supervisee"])
    assert 'class="badge"' not in _twice(client, "/messages/")
    Notification.objects.create(recipient=world.users["supervisee"], kind="test", title="新")
    assert 'class="badge"' in _html(client, "/dashboard/")


# --- Who sees a fragment -----------------------------------------------------------------

def test_each_role_gets_its_own_menu_on_the_same_page(world, login):
    """The header is kept per page: a partner asking for the page a caseworker had never
    gets the staff menu, and the other way round."""
    staff = _twice(login(world.users["caseworker"]), "/messages/")
    assert 'href="/people/"' in staff
    for partner in ("ngo", "enterprise"):
        page = _twice(login(world.users[partner]), "/messages/")
        assert 'href="/people/"' not in page and 'href="/casework/today/"' not in page
    assert 'href="/people/"' in _html(login(world.users["caseworker"]), "/messages/")


def test_a_partners_menu_changes_with_its_membership(world, login):
    ngo = world.users["ngo"]
    client = login(ngo)
    assert 'href="/people/"' not in _twice(client, "/messages/")
    Membership.objects.filter(user=ngo).delete()
    Membership.objects.create(user=ngo, unit=world.squad1, role=Membership.Role.CASEWORKER)
    assert 'href="/people/"' in _html(client, "/messages/")


def test_job_matches_show_a_new_job_in_the_persons_district(world, login):
    person = world.supervisee
    client = login(person.user)
    district = person.home_district or f.DistrictFactory()
    if person.home_district is None:
        person.home_district = district
        person.save()
    assert "包装工" not in _twice(client, "/jobs/me/")
    Job.objects.create(organisation=world.enterprise, title="包装工", district=district,
                       industry=f.IndustryFactory(), status=Job.Status.OPEN,
                       hours_per_week=40, places=2)
    assert "包装工" in _html(client, "/jobs/me/")


# --- The keys ----------------------------------------------------------------------------

def test_data_keys_follow_every_value():
    rows = [("李明", Decimal("1.5"), datetime.date(2026, 1, 2))]
    assert data_key(rows) == data_key([("李明", Decimal("1.5"), datetime.date(2026, 1, 2))])
    assert data_key(rows) != data_key([("李明", Decimal("1.6"), datetime.date(2026, 1, 2))])
    assert data_key(rows) != data_key(rows, "en")


def test_an_edited_template_shows_on_the_next_request(tmp_path, settings):
    """As under the development server: the autoreloader reports the edit (and resets
    the template loader); the fragment is rendered afresh from the new template."""
    folder = tmp_path / "templates"
    folder.mkdir()
    page = folder / "page.html"
    page.write_text("{% load cache %}{% cache 300 t fragment_token %}old{% endcache %}")
    templates = [{**settings.TEMPLATES[0], "DIRS": [folder], "APP_DIRS": False,
                  "OPTIONS": {"loaders": ["django.template.loaders.filesystem.Loader"]}}]
    with override_settings(TEMPLATES=templates):
        engine = engines["django"]

        def render():
            return engine.get_template("page.html").render({"fragment_token":
                                                              fragment_token()})

        assert render() == "old"
        page.write_text("{% load cache %}{% cache 300 t fragment_token %}new{% endcache %}")
        file_changed.send(sender=None, file_path=page)
        assert render() == "new"


def _header_kept(response) -> bool:
    from django.core.cache.utils import make_template_fragment_key

    ctx = response.context
    return cache.get(make_template_fragment_key("xy-header", [
        ctx["fragment_token"], ctx["LANGUAGE_CODE"], ctx["menu_key"], ctx["header_page"],
        ctx["unread_count"]])) is not None


def test_the_header_is_kept_per_menu_page_not_per_address(world, login):
    """Menu pages each keep their header (the current entry is marked); pages with
    arguments, and addresses no page answers, share one."""
    client = login(world.users["caseworker"])
    assert _header_kept(client.get("/people/")) and _header_kept(client.get("/"))
    record = client.get(f"/people/{world.supervisee.pk}/")
    assert record.context["header_page"] == "" and _header_kept(record)
    assert 'aria-current="page"' not in record.content.decode()
    missing = client.get("/no-such-page-here/")  # Wagtail's catch-all answers: shared
    assert missing.status_code == 404 and missing.context["header_page"] == ""
    people = client.get("/people/").content.decode()
    assert '<a href="/people/" aria-current="page">' in people


def test_a_request_no_view_answered_keeps_no_header(db):
    """Without a resolved view (an error before routing) the header is rendered afresh,
    not kept once per address."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from portal.context_processors import navigation

    request = RequestFactory().get("/any/address/at/all/")
    request.user = AnonymousUser()
    found = navigation(request)
    assert found["header_seconds"] == 0 and found["header_page"] == "/any/address/at/all/"
