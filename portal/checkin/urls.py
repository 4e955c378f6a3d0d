from django.urls import path

from . import views

app_name = "checkin"
urlpatterns = [
    path("", views.my_qr, name="my_qr"),
]
