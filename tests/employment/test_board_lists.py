"""The job board lists the open jobs page by page and the open training places, in the
viewer's language; what is shown after a write is the new list."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employment.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _board(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("employment:board") + query,
                          HTTP_CACHE_CONTROL="no-cache").content.decode()
    return html, [q["sql"] for q in ctx.captured_queries]


def test_the_list_follows_writes_to_jobs_and_enterprises(emp, login, commit):
    with commit():
        first = emp.job(title="仓库分拣员甲", skills=[emp.driving])
    client = login(emp.world.users["caseworker"])
    html, _ = _board(client)
    assert "仓库分拣员甲" in html and emp.driving.name in html
    with commit():
        emp.job(title="新岗位乙")
    html, queries = _board(client)
    assert "新岗位乙" in html and "仓库分拣员甲" in html
    assert client.get(reverse("employment:board"), HTTP_CACHE_CONTROL="no-cache").context[
        "page"].paginator.count == 2
    with commit():
        Job.objects.filter(pk=first.pk).update(status=Job.Status.CLOSED)
    html, _ = _board(client)
    assert "仓库分拣员甲" not in html and "新岗位乙" in html
    with commit():
        first.organisation.__class__.objects.filter(pk=first.organisation_id).update(
            name="改名后的企业")
    html, _ = _board(client)
    assert "改名后的企业" in html


def test_pages_and_languages_differ(emp, login, commit, monkeypatch):
    monkeypatch.setattr("employment.views.PAGE_SIZE", 2)
    with commit():
        for n in range(5):
            emp.job(title=f"岗位{n}")
    client = login(emp.world.users["caseworker"])
    one, _ = _board(client)
    two, _ = _board(client, "?page=2")
    assert one != two and "岗位4" in one and "岗位2" in two and "岗位4" not in two
    assert 'rel="next"' in one and 'rel="prev"' in two
    assert _board(client, "?page=99")[0].count("岗位") == _board(client, "?page=3")[0].count("岗位")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en, _ = _board(client)
    assert "5 open jobs" in en and "5 open jobs" not in one


def test_a_filter_is_applied(emp, login, commit):
    with commit():
        emp.job(title="本镇岗位", district=emp.home)
        emp.job(title="邻县岗位", district=emp.away)
    client = login(emp.world.users["caseworker"])
    _board(client)
    html, _ = _board(client, f"?district={emp.away.code}")
    assert "邻县岗位" in html and "本镇岗位" not in html


def test_a_new_training_place_is_listed(emp, login, commit):
    with commit():
        emp.training(programme="叉车培训班")
    client = login(emp.world.users["caseworker"])
    assert "叉车培训班" in _board(client)[0]
    with commit():
        emp.training(programme="烹饪培训班")
    assert "烹饪培训班" in _board(client)[0]
