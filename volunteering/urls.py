from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("me/", views.me, name="me"),
    path("me/signups/<int:signup_pk>/correction/", views.correction_request,
         name="correction_request"),
    path("me/certificates/", views.certificates_request, name="certificates_request"),
    path("organiser/", views.organiser, name="organiser"),
    path("export/", views.export, name="export"),
    path("hours/", views.hours_confirm, name="hours_confirm"),
    path("people/<int:pk>/", views.person_hours, name="person_hours"),
    path("activities/new/", views.activity_create, name="create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/calendar.ics", views.activity_ics, name="activity_ics"),
    path("activities/<int:pk>/signup/", views.signup_create, name="signup"),
    path("activities/<int:pk>/signup/cancel/", views.signup_cancel, name="signup_cancel"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/publish/", views.activity_publish, name="publish"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("activities/<int:pk>/complete/", views.activity_complete, name="complete"),
    path("activities/<int:pk>/manage/", views.activity_manage, name="manage"),
    path("activities/<int:pk>/scan/", views.activity_scan, name="scan"),
    path("activities/<int:pk>/signups/<int:signup_pk>/checkin/", views.attendance_checkin,
         name="checkin"),
    path("activities/<int:pk>/signups/<int:signup_pk>/checkout/", views.attendance_checkout,
         name="checkout"),
    path("activities/<int:pk>/signups/<int:signup_pk>/noshow/", views.attendance_noshow,
         name="noshow"),
    path("activities/<int:pk>/signups/<int:signup_pk>/attendance/", views.attendance_edit,
         name="attendance"),
    path("corrections/<int:pk>/", views.correction_decide, name="correction_decide"),
    path("certificates/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
