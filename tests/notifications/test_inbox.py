"""/messages/: the inbox page, marking read, the unread count in the navigation."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from portal.notifications.models import Notification
from portal.notifications.services import notify

INBOX = reverse("notifications")
READ = reverse("notifications_read")


def titles(response):
    return [n.title for n in response.context["page"]]


def test_inbox_lists_only_my_messages(world, login):
    notify(recipient=world.users["supervisee"], kind="t", title="活动提醒")
    notify(recipient=world.users["other_supervisee"], kind="t", title="别人的提醒")
    response = login(world.users["supervisee"]).get(INBOX)
    assert titles(response) == ["活动提醒"]
    assert "别人的提醒" not in response.content.decode()


def test_unread_count_in_the_navigation(world, login):
    for i in range(3):
        notify(recipient=world.users["caseworker"], kind="t", title=f"转介{i}")
    client = login(world.users["caseworker"])
    response = client.get(reverse("dashboard"))
    assert response.context["unread_count"] == 3
    assert '<span class="badge"' in response.content.decode()
    client.post(READ)
    response = client.get(reverse("dashboard"))
    assert response.context["unread_count"] == 0
    assert '<span class="badge"' not in response.content.decode()


def test_mark_one_read(world, login):
    mine = notify(recipient=world.users["supervisee"], kind="t", title="一")
    other = notify(recipient=world.users["supervisee"], kind="t", title="二")
    response = login(world.users["supervisee"]).post(READ, {"id": mine.pk})
    assert response.status_code == 302 and response.url == INBOX
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_cannot_mark_another_persons_message_read(world, login):
    theirs = notify(recipient=world.users["other_supervisee"], kind="t", title="别人的")
    response = login(world.users["supervisee"]).post(READ, {"id": theirs.pk})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


@pytest.mark.parametrize("value", ["abc", "99999", "-1", "1.5"])
def test_bad_id_changes_nothing(world, login, value):
    mine = notify(recipient=world.users["supervisee"], kind="t", title="一")
    response = login(world.users["supervisee"]).post(READ, {"id": value})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is None
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


def test_inbox_is_paginated_and_bad_page_is_not_an_error(world, login):
    Notification.objects.bulk_create([
        Notification(recipient=world.users["supervisee"], kind="t", title=f"第{i}条")
        for i in range(35)])
    client = login(world.users["supervisee"])
    assert len(titles(client.get(INBOX))) == 30
    assert len(titles(client.get(INBOX, {"page": 2}))) == 5
    assert client.get(INBOX, {"page": "zzz"}).status_code == 200


def test_inbox_query_count_is_fixed(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify(recipient=world.users["supervisee"], kind="t", title="一")
    client = login(world.users["supervisee"])
    client.get(INBOX)
    with CaptureQueriesContext(connection) as ctx:
        client.get(INBOX)
    for i in range(25):
        notify(recipient=world.users["supervisee"], kind="t", title=f"{i}", url="/me/")
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(INBOX)
