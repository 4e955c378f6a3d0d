from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from portal.accounts import views as account_views
from portal.api.api import api
from portal.dashboard import views as dashboard_views
from volunteering import views as volunteering_views

urlpatterns = [
    # The language switch is in every page's footer. It carries no CSRF token, so that
    # public pages hold nothing per visitor and can be cached whole (portal/pagecache.py);
    # all a forged request could do is switch someone's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # The Wagtail admin signs in through the portal's own login (allauth, with 2FA).
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True),
         name="admin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/invitation/<str:token>/", account_views.invitation_accept_view,
         name="invitation_accept"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("me/", dashboard_views.me_record, name="me_record"),
    path("me/consents/", dashboard_views.me_consent, name="me_consent"),
    path("messages/", dashboard_views.notifications, name="notifications"),
    path("messages/read/", dashboard_views.notifications_mark_read, name="notifications_read"),
    path("people/", include("casework.caseload_urls")),
    path("learning/", include("courses.urls")),
    path("calendar/", include("portal.calendar.urls")),
    path("", include("portal.checkin.urls")),  # /me/qr/ and /checkin/c/<code>/
    path("search/", cms_views.search, name="search"),
    path("service/", include("volunteering.urls")),
    path("jobs/", include("employment.urls")),
    path("help/", include("helpnet.urls")),
    path("casework/", include("casework.urls")),
    path("verify/<str:code>/", volunteering_views.certificate_verify, name="certificate_verify"),
    path("staff/", include("portal.accounts.urls_staff")),
]

if settings.DEBUG or getattr(settings, "XY_SERVE_MEDIA", False):
    # The demo (portal.settings.dev, `make run` with DEBUG off too); production's web
    # server serves media itself. django.conf.urls.static.static() is DEBUG-only.
    from django.views.static import serve

    media = settings.MEDIA_URL.strip("/")
    urlpatterns += [re_path(rf"^{media}/(?P<path>.*)$", serve,
                            {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [
    # Wagtail's own front-end login (a plain Django LoginView) would sign people in without
    # allauth's rate limits and two-factor step: send it to the portal's login instead.
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True),
         name="wagtailcore_login_redirect"),
    path("", include(wagtail_urls)),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
handler403 = "portal.views.permission_denied"
