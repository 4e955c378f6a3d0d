from django.urls import path

from . import views

app_name = "checkin"
urlpatterns = [
    path("me/qr/", views.my_qr, name="my_qr"),
    # Served from inside /me/qr/ so that its scope is the code page and nothing else.
    path("me/qr/sw.js", views.service_worker, name="service_worker"),
    path("checkin/c/<str:payload>/", views.scan, name="scan"),
]
