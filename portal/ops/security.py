"""Browser-facing hardening: the Content-Security-Policy (django-csp) with a relaxed
policy for the Wagtail admin, a Permissions-Policy header, and shorter sessions for
staff roles."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.signals import setting_changed
from django.dispatch import receiver

from portal.access import actor_for

# The Wagtail admin (and the page previews it serves) runs its own inline scripts and
# styles and editors' embeds, so it gets a policy that still bars other origins' scripts,
# framing by other sites, plugins and foreign form targets, but allows inline code. The
# API's interactive docs (Swagger UI, served from ninja's static files) get it too.
RELAXED_PREFIXES = ("/admin/", "/api/v1/docs")


# Per-response policy attributes django-csp's decorators set; a response with one of them
# has its policy built the ordinary way.
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro",
                 "_csp_update_ro", "_csp_replace_ro", "_csp_exempt", "_csp_exempt_ro")
_NONCE = "xy0nonce0placeholder"
_KEPT_POLICIES: dict = {}


@receiver(setting_changed, dispatch_uid="xy_csp_policies")
def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _KEPT_POLICIES.clear()


def _kept_policy(report_only: bool, nonce: str | None) -> str:
    """build_policy() of the settings' policy with `nonce`: built once (with a stand-in
    for the nonce), since it depends on nothing else."""
    from csp.utils import build_policy

    key = (report_only, nonce is not None)
    policy = _KEPT_POLICIES.get(key)
    if policy is None:
        policy = _KEPT_POLICIES[key] = build_policy(
            nonce=_NONCE if nonce is not None else None, report_only=report_only)
    return policy.replace(_NONCE, nonce) if nonce is not None else policy


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (not report_only and parts.config is None
                and request.path_info.startswith(RELAXED_PREFIXES)):
            parts.config = settings.XY_ADMIN_CONTENT_SECURITY_POLICY
        return parts

    def process_response(self, request, response):
        if (settings.DEBUG or request.path_info.startswith(RELAXED_PREFIXES)
                or any(hasattr(response, name) for name in _PER_RESPONSE)):
            response = super().process_response(request, response)
        else:
            response = self._settings_policy(request, response)
        policy = getattr(settings, "XY_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


    def _settings_policy(self, request, response):
        """CSPMiddleware.process_response for a response with the settings' policy (no
        decorator's, not the admin's), the policy kept built (_kept_policy): the same
        headers, the nonce of this request."""
        from csp.constants import HEADER, HEADER_REPORT_ONLY
        from csp.middleware import CheckableLazyObject

        nonce = getattr(request, "_csp_nonce", None)
        for header, report_only, name in ((HEADER, False, "CONTENT_SECURITY_POLICY"),
                                          (HEADER_REPORT_ONLY, True,
                                           "CONTENT_SECURITY_POLICY_REPORT_ONLY")):
            csp = _kept_policy(report_only, nonce)
            if csp and header not in response:
                prefixes = (getattr(settings, name, None) or {}).get(
                    "EXCLUDE_URL_PREFIXES") or ()
                if not request.path_info.startswith(tuple(prefixes)):
                    response[header] = csp
        if nonce is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
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
