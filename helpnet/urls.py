from django.urls import path

from . import views

app_name = "helpnet"

urlpatterns = [
    path("", views.home, name="home"),
    # The person
    path("me/", views.me, name="me"),
    path("referrals/<int:pk>/consent/", views.referral_consent, name="referral_consent"),
    path("slots/<int:pk>/book/", views.slot_book, name="slot_book"),
    # Referrals (caseworkers, providers, the person)
    path("referrals/", views.referrals, name="referrals"),
    path("people/<int:pk>/refer/", views.refer, name="refer"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("referrals/<int:pk>/respond/", views.referral_respond, name="referral_respond"),
    path("referrals/<int:pk>/session/", views.referral_session, name="referral_session"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    # Providers
    path("provider/", views.provider, name="provider"),
    path("provider/services/new/", views.service_create, name="service_create"),
    path("provider/services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("provider/slots/", views.slots, name="slots"),
    path("provider/slots/<int:pk>/withdraw/", views.slot_withdraw, name="slot_withdraw"),
    # Appointments
    path("appointments/<int:pk>/", views.appointment, name="appointment"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("appointments/<int:pk>/attendance/", views.appointment_attendance,
         name="appointment_attendance"),
    path("appointments/<int:pk>/note/", views.appointment_note, name="appointment_note"),
    # Education-help fund
    path("fund/", views.fund_list, name="fund_list"),
    path("people/<int:pk>/fund/new/", views.fund_create, name="fund_create"),
    path("fund/<int:pk>/", views.fund_detail, name="fund"),
    path("fund/<int:pk>/decide/", views.fund_decide, name="fund_decide"),
    path("fund/<int:pk>/pay/", views.fund_pay, name="fund_pay"),
    path("fund/<int:pk>/follow-up/", views.fund_follow_up, name="fund_follow_up"),
    path("fund/<int:pk>/documents/", views.fund_upload, name="fund_upload"),
    path("fund/documents/<int:pk>/", views.fund_document, name="fund_document"),
]
