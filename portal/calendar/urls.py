from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("", views.settings_view, name="settings"),
    path("new/", views.feed_new, name="new"),
    path("revoke/", views.feed_revoke, name="revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
