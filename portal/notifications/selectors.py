"""Reading a person's inbox. A user only ever reads their own notifications; the API
(GET /api/v1/me/notifications) and the /messages/ page both call these."""

from .models import Notification


def notifications_for(user, *, unread_only: bool = False):
    """The user's own notifications, newest first (none for an anonymous user)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def latest_for(user) -> list:
    """The user's five newest notifications."""
    if user is None or not user.is_authenticated:
        return []
    return list(notifications_for(user)[:5])


def unread_count_for(user) -> int:
    return notifications_for(user, unread_only=True).count()
