"""notify(): the inbox entry at once, the other channels through the task queue after
the transaction commits."""

import pytest
from django.db import transaction
from django.test import override_settings

from portal.notifications.models import Notification
from portal.notifications.selectors import notifications_for, unread_count_for
from portal.notifications.services import notification_mark_read, notify
from tests.notifications import channels


@pytest.fixture
def person(world):
    user = world.users["supervisee"]
    user.email = "liming@example.com"
    user.save()
    return user


def test_notify_writes_the_inbox_and_emails_after_commit(person, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(recipient=person, kind="waitlist_promoted",
                              title="您已从候补转为正式报名", body="周六上午九点，社区活动中心。",
                              url="/volunteering/me/")
        assert Notification.objects.filter(pk=notification.pk, recipient=person).exists()
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["liming@example.com"]
    assert email.subject == "您已从候补转为正式报名"
    assert "周六上午九点" in email.body and "http://testserver/volunteering/me/" in email.body


def test_nothing_is_sent_when_the_transaction_rolls_back(person, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(recipient=person, kind="t", title="不会发出")
            raise RuntimeError("the change failed")
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_no_email_address_means_inbox_only(world, mailoutbox,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=world.users["other_supervisee"], kind="t", title="只在站内")
    assert mailoutbox == []
    assert notifications_for(world.users["other_supervisee"]).get().title == "只在站内"


@override_settings(XY_NOTIFICATION_CHANNELS=[
    "portal.notifications.channels.EmailChannel",
    "tests.notifications.channels.RecordingSmsChannel",
])
def test_another_channel_plugs_in_through_settings(person, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    channels.SENT.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipient=person, kind="t", title="短信也发")
    assert len(callbacks) == 2
    assert channels.SENT == [(person.pk, "短信也发")]
    assert len(mailoutbox) == 1


def test_title_with_line_breaks_is_one_line(person, mailoutbox,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=person, kind="t", title="第一行\n第二行")
    assert mailoutbox[0].subject == "第一行 第二行"


@pytest.mark.parametrize("url, stored", [
    ("/courses/mine/", "/courses/mine/"),
    ("http://localhost/news/1/", "/news/1/"),
    ("", ""),
])
def test_links_stay_inside_the_portal(person, url, stored):
    assert notify(recipient=person, kind="t", title="x", url=url).url == stored


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "evil.example",
                                 "mailto:a@b.c"])
def test_foreign_or_script_links_are_refused(person, url):
    with pytest.raises(ValueError):
        notify(recipient=person, kind="t", title="x", url=url)
    assert not Notification.objects.exists()


def test_selectors_read_only_ones_own(world):
    me, other = world.users["supervisee"], world.users["other_supervisee"]
    notify(recipient=me, kind="t", title="给我的")
    notify(recipient=other, kind="t", title="给别人的")
    assert [n.title for n in notifications_for(me)] == ["给我的"]
    assert unread_count_for(me) == 1
    assert list(notifications_for(None)) == []


def test_mark_read_touches_only_ones_own(world):
    me, other = world.users["supervisee"], world.users["other_supervisee"]
    theirs = notify(recipient=other, kind="t", title="别人的")
    assert notification_mark_read(user=me, notification_id=theirs.pk) == 0
    assert notification_mark_read(user=me) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
