from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from portal.accounts import views as account_views
from portal.api.api import api
from portal.dashboard import views as dashboard_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("people/", include("portal.people.urls")),
    path("search/", cms_views.search, name="search"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
handler403 = "portal.views.permission_denied"
