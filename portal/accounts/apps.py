from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from . import checks  # noqa: F401  (registers the deploy checks)

        user_logged_out.connect(_mark_signed_out, dispatch_uid="xy-signed-out")


def _mark_signed_out(sender, request=None, **kwargs):
    """PrivateCacheControlMiddleware clears the browser's copies on this response."""
    if request is not None:
        request.xy_signed_out = True
