from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import AccessLogEntry
from .viewsets import AccessLogViewSet, ReadOnlyPermissionPolicy

# Registered before the viewset so Wagtail never falls back to the ordinary policy.
register_permission_policy(AccessLogEntry, ReadOnlyPermissionPolicy(AccessLogEntry))


@hooks.register("register_admin_viewset")
def register_access_log():
    return AccessLogViewSet()
