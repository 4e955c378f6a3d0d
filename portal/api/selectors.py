"""Reads the API needs beyond what the feature apps' selectors offer. Each takes the
acting user and returns only what that user may see."""

from django.http import Http404

from portal.notifications.models import Notification
from portal.notifications.selectors import notifications_for

__all__ = ["notification_for", "notifications_for"]


def notification_for(user, pk: int) -> Notification:
    """One of the user's own notifications; 404 for anyone else's, the same answer as for
    one that does not exist."""
    try:
        return notifications_for(user).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
