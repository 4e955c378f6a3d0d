from django.urls import path

from . import views

app_name = "employment"
urlpatterns = [
    path("", views.home, name="home"),
    # The person
    path("me/", views.matches, name="matches"),
    path("me/profile/", views.profile, name="profile"),
    path("me/applications/", views.my_applications, name="my_applications"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/apply/", views.apply_job, name="apply"),
    path("training/<int:pk>/", views.training_detail, name="training_place"),
    path("training/<int:pk>/apply/", views.apply_training, name="apply_training"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/answer/", views.answer, name="answer"),
    path("applications/<int:pk>/status/", views.application_status, name="application_status"),
    # Unit staff
    path("board/", views.board, name="board"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("people/<int:pk>/reporting/", views.reporting, name="reporting"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow_up"),
    path("training-enrolments/<int:pk>/outcome/", views.training_outcome,
         name="training_outcome"),
    path("figures/", views.figures, name="figures"),
    # Enterprise staff
    path("enterprise/", views.enterprise, name="enterprise"),
    path("enterprise/jobs/new/", views.OpeningFormView.as_view(is_job=True),
         name="job_create"),
    path("enterprise/jobs/<int:pk>/edit/", views.OpeningFormView.as_view(is_job=True),
         name="job_edit"),
    path("enterprise/jobs/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("enterprise/jobs/<int:pk>/candidates/<int:person_pk>/", views.candidate,
         name="candidate"),
    path("enterprise/bases/new/", views.base_create, name="base_create"),
    path("enterprise/bases/<int:pk>/edit/", views.base_edit, name="base_edit"),
    path("enterprise/training/new/", views.OpeningFormView.as_view(is_job=False),
         name="training_create"),
    path("enterprise/training/<int:pk>/edit/", views.OpeningFormView.as_view(is_job=False),
         name="training_edit"),
]
