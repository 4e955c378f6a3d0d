"""The job board's open jobs and training places are the same for every member of staff:
each page of them is rendered once per process and language and kept until a job, a
place or what their rows name is written (employment.views._board_jobs,
portal.privatecache.kept_while_unchanged). What is shown after a write is the new list."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employment.models import Job
from portal import privatecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.XY_PRIVATE_PAGE_CACHE = True
    settings.XY_PRIVATE_PAGE_SECONDS = 60
    privatecache._kept.clear()
    yield
    privatecache._kept.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _board(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("employment:board") + query,
                          HTTP_CACHE_CONTROL="no-cache").content.decode()
    return html, [q["sql"] for q in ctx.captured_queries]


def test_jobs_are_read_once_and_again_after_a_job_is_written(cache_on, emp, login, commit):
    with commit():
        first = emp.job(title="仓库分拣员甲", skills=[emp.driving])
    client = login(emp.world.users["caseworker"])
    html, _ = _board(client)
    assert "仓库分拣员甲" in html and emp.driving.name in html
    html, queries = _board(client)  # kept: no job is read
    assert "仓库分拣员甲" in html
    assert not [q for q in queries if 'FROM "employment_job"' in q]
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


def test_pages_and_languages_are_kept_apart(cache_on, emp, login, commit, monkeypatch):
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


def test_a_filter_is_applied_not_the_kept_list(cache_on, emp, login, commit):
    with commit():
        emp.job(title="本镇岗位", district=emp.home)
        emp.job(title="邻县岗位", district=emp.away)
    client = login(emp.world.users["caseworker"])
    _board(client)  # the whole list is kept
    html, _ = _board(client, f"?district={emp.away.code}")
    assert "邻县岗位" in html and "本镇岗位" not in html


def test_training_places_are_kept_until_one_is_written(cache_on, emp, login, commit):
    with commit():
        emp.training(programme="叉车培训班")
    client = login(emp.world.users["caseworker"])
    assert "叉车培训班" in _board(client)[0]
    html, queries = _board(client)
    assert "叉车培训班" in html
    assert not [q for q in queries if 'FROM "employment_trainingplace"' in q]
    with commit():
        emp.training(programme="烹饪培训班")
    assert "烹饪培训班" in _board(client)[0]
