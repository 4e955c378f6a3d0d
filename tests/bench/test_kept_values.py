"""portal.privatecache.kept_while_unchanged: a value many pages build alike from small
tables (the job board's filter over every district), kept in the process until one of
those tables is written; and the job board's use of it."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import privatecache
from portal.privatecache import kept_while_unchanged
from portal.taxonomy.models import District, Industry


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


def districts():
    return sorted(District.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_built_once_and_again_after_a_committed_write_of_its_tables(cache_on, world, commit):
    calls = []

    def build():
        calls.append(1)
        return districts()

    first = kept_while_unchanged("t:districts", ["taxonomy_district"], build)
    assert kept_while_unchanged("t:districts", ["taxonomy_district"], build) == first
    assert len(calls) == 1
    with commit():
        District.objects.create(code="xy-new", name="新设街道", county="测试县")
    again = kept_while_unchanged("t:districts", ["taxonomy_district"], build)
    assert len(calls) == 2 and "新设街道" in again


@pytest.mark.django_db
def test_a_write_of_another_table_keeps_it(cache_on, world, commit):
    calls = []
    kept_while_unchanged("t:d", ["taxonomy_district"], lambda: calls.append(1))
    with commit():
        Industry.objects.create(code="xy-ind", name="新行业")
    kept_while_unchanged("t:d", ["taxonomy_district"], lambda: calls.append(1))
    assert len(calls) == 1


@pytest.mark.django_db
def test_without_the_page_cache_it_is_built_every_time(settings, world):
    settings.XY_PRIVATE_PAGE_CACHE = False
    calls = []
    for _ in range(3):
        kept_while_unchanged("t:off", ["taxonomy_district"], lambda: calls.append(1))
    assert len(calls) == 3


@pytest.mark.django_db
def test_an_unreachable_cache_builds_it(cache_on, world, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(privatecache.cache, "get_many", down)
    calls = []
    for _ in range(2):
        assert kept_while_unchanged("t:down", ["taxonomy_district"],
                                    lambda: calls.append(1) or "v") == "v"
    assert len(calls) == 2


def _board(client, path=None):
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(path or reverse("employment:board"),
                          HTTP_CACHE_CONTROL="no-cache").content.decode()
    return html, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_the_job_board_filter_is_kept_until_a_district_changes(cache_on, world, login, commit):
    client = login(world.users["caseworker"])
    client.get(reverse("employment:board"))
    html, queries = _board(client)
    assert 'name="district"' in html
    # Built afresh, the board reads neither districts nor industries for its filter.
    assert not [q for q in queries if 'FROM "taxonomy_district"' in q]
    assert not [q for q in queries if 'FROM "taxonomy_industry"' in q]
    with commit():
        District.objects.create(code="xy-new", name="新设街道", county="测试县")
    html, queries = _board(client)
    assert "新设街道" in html
    assert [q for q in queries if 'FROM "taxonomy_district"' in q]


@pytest.mark.django_db
def test_the_job_board_filter_with_choices_shows_them_and_is_not_shared(cache_on, world, login):
    client = login(world.users["caseworker"])
    district = District.objects.create(code="xy-chosen", name="选中街道", county="测试县")
    client.get(reverse("employment:board"))
    chosen, _ = _board(client, reverse("employment:board") + f"?district={district.code}")
    assert f'value="{district.code}" selected' in chosen
    plain, _ = _board(client)
    assert f'value="{district.code}" selected' not in plain


@pytest.mark.django_db
def test_the_job_board_filter_follows_the_language(cache_on, world, login):
    client = login(world.users["caseworker"])
    zh, _ = _board(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(reverse("employment:board"),
                    HTTP_CACHE_CONTROL="no-cache").content.decode()
    assert "Any district" in en
    assert "Any district" not in zh


@pytest.mark.django_db
def test_level_targets_are_read_once_and_again_after_an_administrator_changes_one(
        cache_on, world, commit, django_assert_num_queries):
    from portal.people.models import LevelTarget
    from portal.people.selectors import monthly_targets, target_for

    person = world.supervisee
    before = target_for(person)
    with django_assert_num_queries(0):
        assert target_for(person) == before
        assert monthly_targets()[person.level] == before
    with commit():
        LevelTarget.objects.filter(level=person.level).update(study_hours=37)
    assert target_for(person).study_hours == 37
