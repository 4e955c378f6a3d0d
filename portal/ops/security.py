"""Browser-facing hardening: the Content-Security-Policy (django-csp) with a relaxed
policy for the Wagtail admin, a Permissions-Policy header, and shorter sessions for
staff roles."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from portal.access import actor_for

# The Wagtail admin (and the page previews it serves) runs its own inline scripts and
# styles and editors' embeds, so it gets a policy that still bars other origins' scripts,
# framing by other sites, plugins and foreign form targets, but allows inline code. The
# API's interactive docs (Swagger UI, served from ninja's static files) get it too.
RELAXED_PREFIXES = ("/admin/", "/api/v1/docs")


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, customised the documented way (get_policy_parts): the
    relaxed policy under RELAXED_PREFIXES unless a view's decorator set its own; and a
    Permissions-Policy header on every response."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (not report_only and parts.config is None
                and request.path_info.startswith(RELAXED_PREFIXES)):
            parts.config = settings.XY_ADMIN_CONTENT_SECURITY_POLICY
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        policy = getattr(settings, "XY_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


@receiver(user_logged_in, dispatch_uid="xy_staff_session_expiry")
def staff_session_expiry(sender, request, user, **kwargs):
    """Staff roles see many people's records: their sessions end sooner than a
    supervisee's on their own phone (XY_STAFF_SESSION_SECONDS after the session was last
    saved)."""
    if request is None or not hasattr(request, "session"):
        return
    if actor_for(user).is_staff_role:
        request.session.set_expiry(settings.XY_STAFF_SESSION_SECONDS)
