from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


def language_for(request) -> str:
    """The language a request is answered in: the one chosen with the language cookie if
    the portal has it, else Simplified Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class DefaultLanguageMiddleware:
    """Simplified Chinese unless the person chose English (the language cookie set by
    Django's set_language view). Browser Accept-Language is deliberately ignored: the
    portal is Chinese first, whatever language a borrowed phone is set to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class PrivateCacheControlMiddleware:
    """Pages with personal data never go into a shared cache (a proxy, a CDN, a
    school's or employer's caching gateway): every response to a signed-in person, to a
    request carrying an API token, and of the public certificate check (it shows a
    holder's name) is marked `Cache-Control: private, no-store`. Anonymous public pages
    keep whatever caching their views chose."""

    PERSONAL_PREFIXES = ("/verify/", "/api/v1/certificates/verify/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or request.path.startswith(self.PERSONAL_PREFIXES)
        ):
            # patch_cache_control drops a "public" the view may have set.
            patch_cache_control(response, private=True, no_store=True)
        if getattr(request, "xy_signed_out", False):
            # A shared phone keeps nothing of the person who signed out: the check-in
            # code page's offline copy and its service worker go with the session.
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
