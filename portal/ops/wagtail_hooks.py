from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.audit.viewsets import ReadOnlyPermissionPolicy

from .models import RetentionLogEntry
from .viewsets import RetentionViewSetGroup

# The retention log is append-only: only "view" is ever granted, even to superusers.
# Registered before the viewset so Wagtail never falls back to the ordinary policy.
register_permission_policy(RetentionLogEntry, ReadOnlyPermissionPolicy(RetentionLogEntry))


@hooks.register("register_admin_viewset")
def register_retention():
    return RetentionViewSetGroup()
