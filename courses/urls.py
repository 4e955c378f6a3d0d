from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    # The person
    path("", views.my_courses, name="mine"),
    path("hours/", views.my_hours, name="my_hours"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("classes/<int:pk>/signup/", views.session_signup, name="signup"),
    path("classes/<int:pk>/signup/cancel/", views.session_signup_cancel, name="signup_cancel"),
    path("classes/<int:pk>/calendar.ics", views.session_ics, name="session_ics"),
    # Organisers
    path("organise/", views.organiser_sessions, name="organiser_sessions"),
    path("organise/new/", views.session_new, name="session_new"),
    path("organise/<int:pk>/", views.attendance, name="attendance"),
    path("organise/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("organise/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("organise/<int:pk>/scan/", views.attendance_scan, name="scan"),
    path("organise/<int:pk>/withdraw/", views.attendance_withdraw, name="attendance_withdraw"),
    path("organise/<int:pk>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    # Caseworkers
    path("casework/behind/", views.behind, name="behind"),
    path("casework/assign/", views.assign, name="assign"),
    path("casework/people/<int:pk>/", views.person_history, name="person_history"),
    path("casework/people/<int:pk>/hours/", views.hours_correct, name="hours_correct"),
]
