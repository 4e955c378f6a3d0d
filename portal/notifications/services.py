"""The one interface features call to tell people things:

    notify(recipient=user, kind="waitlist_promoted", title=..., body=..., url=...)

It writes the inbox entry now and hands the other channels (email, SMS…) to the
task queue after the transaction commits, so a failed send never undoes the change."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .tasks import deliver_notification


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=str(title)[:200], body=str(body), url=url
    )
    for channel in settings.XY_NOTIFICATION_CHANNELS:
        transaction.on_commit(
            lambda channel=channel: deliver_notification.enqueue(notification.pk, channel)
        )
    return notification


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of `user` read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
