"""Reading a person's inbox. A user only ever reads their own notifications; the API
(GET /api/v1/me/notifications) and the /messages/ page both call these."""

from portal.ops.prepared import prepared

from .models import Notification


def notifications_for(user, *, unread_only: bool = False):
    """The user's own notifications, newest first (none for an anonymous user)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


@prepared
def _latest(user_id: int):
    return Notification.objects.filter(recipient_id=user_id).order_by("-created_at", "-pk")[:5]


def latest_for(user) -> list:
    """The user's five newest notifications (kept compiled: portal/ops/prepared.py)."""
    if user is None or not user.is_authenticated:
        return []
    return _latest(user_id=user.pk)


def unread_count_for(user) -> int:
    return notifications_for(user, unread_only=True).count()
