from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("new/", views.supervisee_new, name="create"),
    path("access-log/", views.unit_access_log, name="unit_access_log"),
    path("<int:pk>/", views.supervisee_detail, name="detail"),
    path("<int:pk>/edit/", views.supervisee_edit, name="edit"),
    path("<int:pk>/invite/", views.supervisee_invite, name="invite"),
    path("<int:pk>/consents/", views.supervisee_consent, name="consent"),
    path("<int:pk>/access-log/", views.supervisee_access_log, name="access_log"),
]
