"""The "people" URLs at /people/: the caseload (casework) and the records (portal.people),
one namespace so that people:list names the caseload as before."""

from django.urls import path

from portal.people.urls import urlpatterns as record_urlpatterns

from . import views

app_name = "people"

urlpatterns = [
    path("", views.caseload, name="list"),
    *record_urlpatterns,
]
