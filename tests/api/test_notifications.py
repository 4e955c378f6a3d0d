"""GET /api/v1/me/notifications and POST .../{id}/read; pagination rules."""

import datetime

import pytest
from django.utils import timezone

from portal.notifications.models import Notification
from tests.api.conftest import assert_error


def _notify(user, n, **kwargs):
    now = timezone.now()
    return Notification.objects.bulk_create([
        Notification(recipient=user, kind="test", title=f"通知{i}",
                     created_at=now - datetime.timedelta(minutes=i), **kwargs)
        for i in range(n)
    ])


@pytest.fixture
def me(world, api):
    api.sign_in("supervisee")
    return world.users["supervisee"]


def test_list_is_paged_newest_first_and_only_mine(world, api, me):
    _notify(me, 25)
    _notify(world.users["other_supervisee"], 3)
    first = api.get("/me/notifications?page_size=10").json()
    assert first["count"] == 25
    assert [n["title"] for n in first["items"]] == [f"通知{i}" for i in range(10)]
    last = api.get("/me/notifications?page=3&page_size=10").json()
    assert [n["title"] for n in last["items"]] == [f"通知{i}" for i in range(20, 25)]
    default = api.get("/me/notifications").json()
    assert len(default["items"]) == 20
    past_the_end = api.get("/me/notifications?page=99").json()
    assert past_the_end == {"items": [], "count": 25}


def test_items_carry_local_times_and_read_state(world, api, me):
    [note] = _notify(me, 1)
    item = api.get("/me/notifications").json()["items"][0]
    assert item["id"] == note.pk
    assert item["created_at"].endswith("+08:00")
    created = datetime.datetime.fromisoformat(item["created_at"])
    assert abs(created - note.created_at) < datetime.timedelta(milliseconds=1)
    assert item["read_at"] is None and item["is_read"] is False


def test_unread_filter(world, api, me):
    _notify(me, 2)
    _notify(me, 3, read_at=timezone.now())
    assert api.get("/me/notifications?unread=true").json()["count"] == 2
    assert api.get("/me/notifications").json()["count"] == 5


@pytest.mark.parametrize("query", [
    "page=abc", "page=0", "page=-1", "page_size=0", "page_size=101", "page_size=10000",
    "page_size=x", "unread=maybe",
])
def test_bad_paging_values_are_422(world, api, me, query):
    body = assert_error(api.get(f"/me/notifications?{query}"), 422, "invalid")
    assert body["errors"][0]["loc"][0] == "query"


def test_largest_page_size_is_100(world, api, me):
    _notify(me, 105)
    body = api.get("/me/notifications?page_size=100").json()
    assert len(body["items"]) == 100 and body["count"] == 105


def test_list_query_count_does_not_grow(world, api, me, django_assert_num_queries):
    _notify(me, 2)
    # token lookup, last-used stamp (once a minute), count, page
    with django_assert_num_queries(4):
        assert len(api.get("/me/notifications").json()["items"]) == 2
    _notify(me, 30)
    with django_assert_num_queries(3):
        assert len(api.get("/me/notifications").json()["items"]) == 20


def test_mark_read(world, api, me):
    [note] = _notify(me, 1)
    response = api.post(f"/me/notifications/{note.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["read_at"].endswith("+08:00")
    note.refresh_from_db()
    first_read = note.read_at
    assert first_read is not None
    # Again: still 200, and the first reading time stays.
    assert api.post(f"/me/notifications/{note.pk}/read").status_code == 200
    note.refresh_from_db()
    assert note.read_at == first_read


def test_someone_elses_notification_is_404_and_untouched(world, api, me):
    [theirs] = _notify(world.users["other_supervisee"], 1)
    missing = api.post("/me/notifications/999999/read")
    assert_error(missing, 404, "not_found")
    response = api.post(f"/me/notifications/{theirs.pk}/read")
    assert_error(response, 404, "not_found")
    # The same answer as for one that does not exist.
    assert response.json() == missing.json()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert_error(api.post("/me/notifications/abc/read"), 404, "not_found")


def test_anonymous_gets_401(db, api):
    assert_error(api.get("/me/notifications"), 401, "not_authenticated")
    assert_error(api.post("/me/notifications/1/read"), 401, "not_authenticated")
