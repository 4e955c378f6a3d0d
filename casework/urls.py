from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today.csv", views.today_csv, name="today_csv"),
    path("caseload.csv", views.caseload_csv, name="caseload_csv"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("units/", views.unit_dashboard, name="unit_dashboard"),
    path("units/<int:pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("units/<int:pk>/report/", views.unit_report, name="unit_report"),
    path("me/export/", views.my_export, name="my_export"),
]
