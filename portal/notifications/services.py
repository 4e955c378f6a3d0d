"""The one interface features call to tell people things:

    notify(recipient=user, kind="waitlist_promoted", title=..., body=..., url=...)

It writes the inbox entry now and hands the other channels (email, SMS…) to the
task queue after the transaction commits, so a failed send never undoes the change."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .tasks import deliver_notification


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Put a message in `recipient`'s inbox and, once the surrounding transaction commits,
    queue one delivery task per channel in settings.XY_NOTIFICATION_CHANNELS."""
    if recipient is None or recipient.pk is None:
        raise ValueError("A notification needs a saved recipient.")
    url = _portal_path(url)
    # A title is an email subject too, where a line break is refused.
    title = " ".join(str(title).split())[:200]
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title, body=str(body), url=url
    )
    for channel in settings.XY_NOTIFICATION_CHANNELS:
        transaction.on_commit(
            lambda channel=channel: deliver_notification.enqueue(notification.pk, channel)
        )
    return notification


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of `user` read; answer how
    many changed. Another person's notification is never touched: it does not match."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def _portal_path(url: str) -> str:
    """Links stay inside the portal: an outside address in a message would help phishing,
    and a javascript: link would run in the inbox. An absolute http(s) address (a page's
    full URL on a multi-site install) is reduced to its path; anything else is refused."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        url = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    elif parts.scheme or parts.netloc or not url.startswith("/"):
        raise ValueError(f"notification links are portal paths, not {url!r}")
    if len(url) > 300:
        raise ValueError("notification link longer than 300 characters")
    return url
