"""Referrals: consent before the provider sees anything, accept/decline with a reason,
sessions, closing with an outcome, history rows, overdue referrals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from helpnet import services
from helpnet.models import HelpNetworkSettings, Referral, ReferralEvent
from helpnet.selectors import referrals_visible_to
from helpnet.services import ServiceError
from portal import access
from tests import factories as f
from tests.i18n import zh

pytestmark = pytest.mark.django_db


def refer(world, service, person=None, consent=False, reason="近期情绪低落，需要专业辅导"):
    return services.referral_create(actor=world.users["caseworker"],
                                    supervisee=person or world.supervisee,
                                    service_id=service.pk, reason=reason,
                                    consent_given=consent)


def test_provider_sees_nothing_before_consent(world, ngo_service, login):
    referral = refer(world, ngo_service)
    ngo = world.users["ngo"]
    assert referral.status == "awaiting_consent"
    assert not referrals_visible_to(ngo).exists()
    assert world.supervisee not in access.partner_visible_people(ngo)
    client = login(ngo)
    assert client.get(reverse("helpnet:referral", args=[referral.pk])).status_code == 404
    inbox = client.get(reverse("helpnet:provider"))
    assert inbox.status_code == 200
    assert "近期情绪低落" not in inbox.content.decode()
    # Answering it is refused too, and nothing changes.
    with pytest.raises(ServiceError) as refused:
        services.referral_respond(actor=ngo, referral_id=referral.pk, accept=True)
    assert refused.value.status == 404
    referral.refresh_from_db()
    assert referral.status == "awaiting_consent" and referral.responded_at is None


def test_person_consents_in_the_portal_then_provider_sees_a_masked_name(
        world, ngo_service, login):
    referral = refer(world, ngo_service)
    client = login(world.users["supervisee"])
    page = client.get(reverse("helpnet:me")).content.decode()
    assert "家庭关系辅导" in page and zh("Yes, I agree") in page
    response = client.post(reverse("helpnet:referral_consent", args=[referral.pk]),
                           {"decision": "agree"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "pending" and referral.shared_with == world.ngo
    assert referral.consent_by == world.users["supervisee"]
    ngo = world.users["ngo"]
    assert world.supervisee in access.partner_visible_people(ngo)
    page = login(ngo).get(reverse("helpnet:referral", args=[referral.pk])).content.decode()
    assert "李*" in page and "李明" not in page
    # No summary was written: a neutral line, never the staff reason.
    assert "近期情绪低落" not in page
    assert zh("The referring caseworker will explain what help is needed when you get in "
              "touch.") in page
    assert "Under community correction" not in page
    # The provider's staff were told.
    assert ngo.notifications.filter(kind="referral").exists()


def test_person_declines_consent_and_the_provider_never_learns(world, ngo_service, login):
    referral = refer(world, ngo_service)
    login(world.users["supervisee"]).post(
        reverse("helpnet:referral_consent", args=[referral.pk]), {"decision": "decline"})
    referral.refresh_from_db()
    assert referral.status == "consent_declined" and referral.shared_with is None
    assert not referrals_visible_to(world.users["ngo"]).exists()
    assert not world.users["ngo"].notifications.exists()
    # Deciding again is refused.
    with pytest.raises(ServiceError) as refused:
        services.referral_consent(actor=world.users["supervisee"], referral_id=referral.pk,
                                  granted=True)
    assert refused.value.code == "consent_already_decided"


def test_another_person_cannot_consent(world, ngo_service, login):
    referral = refer(world, ngo_service)
    response = login(world.users["other_supervisee"]).post(
        reverse("helpnet:referral_consent", args=[referral.pk]), {"decision": "agree"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "awaiting_consent"


def test_the_whole_loop_with_history(world, ngo_service, login):
    referral = refer(world, ngo_service, consent=True)
    ngo = world.users["ngo"]
    client = login(ngo)
    # Declining needs a reason: refused with a message, nothing changed.
    response = client.post(reverse("helpnet:referral_respond", args=[referral.pk]),
                           {"decision": "decline"}, follow=True)
    assert zh("Say why you decline, so the caseworker can look elsewhere.") in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "pending"
    client.post(reverse("helpnet:referral_respond", args=[referral.pk]), {"decision": "accept"})
    client.post(reverse("helpnet:referral_session", args=[referral.pk]), {"note": "第一次面谈"})
    client.post(reverse("helpnet:referral_session", args=[referral.pk]), {"note": "家访"})
    client.post(reverse("helpnet:referral_close", args=[referral.pk]),
                {"outcome": "achieved", "report": "家庭关系明显改善，按时参加活动。"})
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.outcome == "achieved"
    assert referral.sessions_held == 2
    assert referral.responded_at and referral.closed_at
    history = list(referral.events.values_list("to_status", "by__username"))
    assert history == [
        ("awaiting_consent", "caseworker"), ("pending", "caseworker"), ("accepted", "ngo"),
        ("in_progress", "ngo"), ("", "ngo"), ("", "ngo"), ("closed", "ngo")]
    assert not Referral.objects.open().filter(pk=referral.pk).exists()
    # The caseworker reads the outcome report.
    page = login(world.users["caseworker"]).get(
        reverse("helpnet:referral", args=[referral.pk])).content.decode()
    assert "家庭关系明显改善" in page


def test_decline_with_reason_tells_the_caseworker(world, ngo_service):
    referral = refer(world, ngo_service, consent=True)
    services.referral_respond(actor=world.users["ngo"], referral_id=referral.pk, accept=False,
                              note="本月名额已满")
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.response_note == "本月名额已满"
    assert world.users["caseworker"].notifications.filter(body="本月名额已满").exists()


def test_history_is_append_only(world, ngo_service):
    referral = refer(world, ngo_service)
    event = ReferralEvent.objects.get(referral=referral)
    event.note = "changed"
    with pytest.raises(ValueError):
        event.save()


def test_other_provider_and_other_caseworker_do_not_see_it(world, ngo_service, login):
    referral = refer(world, ngo_service, consent=True)
    for role in ("counsellor", "enterprise", "other_caseworker", "other_supervisee"):
        assert login(world.users[role]).get(
            reverse("helpnet:referral", args=[referral.pk])).status_code == 404, role


def test_juvenile_referral_never_names_the_juvenile_to_the_provider(world, ngo_service, login):
    referral = refer(world, ngo_service, person=world.juvenile, consent=True)
    ngo = world.users["ngo"]
    assert world.juvenile not in access.partner_visible_people(ngo)
    page = login(ngo).get(reverse("helpnet:referral", args=[referral.pk])).content.decode()
    assert "赵" not in page
    inbox = login(ngo).get(reverse("helpnet:provider")).content.decode()
    assert "赵" not in inbox and access.display_name_for_partner(world.juvenile) in inbox


def test_service_audience_and_duplicates_refused(world, ngo_service):
    adults = f.help_service_create(world.ngo, name="成人戒酒小组", audience="adults")
    with pytest.raises(ServiceError) as refused:
        refer(world, adults, person=world.juvenile)
    assert refused.value.code == "audience_mismatch"
    refer(world, ngo_service)
    with pytest.raises(ServiceError) as refused:
        refer(world, ngo_service)
    assert refused.value.code == "already_referred"
    assert Referral.objects.count() == 1


def test_caseworker_cannot_refer_someone_outside_their_units(world, ngo_service, login):
    client = login(world.users["other_caseworker"])
    response = client.post(reverse("helpnet:refer", args=[world.supervisee.pk]),
                           {"service": ngo_service.pk, "reason": "x"})
    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_referral_form_creates_with_consent(world, ngo_service, login):
    client = login(world.users["caseworker"])
    assert "家庭关系辅导" in client.get(
        reverse("helpnet:refer", args=[world.supervisee.pk])).content.decode()
    response = client.post(reverse("helpnet:refer", args=[world.supervisee.pk]),
                           {"service": ngo_service.pk, "reason": "需要家庭支持",
                            "summary": "希望改善家庭关系", "consent_given": "on"})
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.status == "pending"


def test_overdue_after_the_set_number_of_days(world, ngo_service, login):
    referral = refer(world, ngo_service, consent=True)
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(consent_at=now - datetime.timedelta(days=6))
    assert list(Referral.objects.overdue()) == [referral]  # default: 5 days
    settings_row = HelpNetworkSettings.load()
    settings_row.overdue_after_days = 10
    settings_row.save()
    assert not Referral.objects.overdue().exists()
    settings_row.overdue_after_days = 3
    settings_row.save()
    page = login(world.users["caseworker"]).get(
        reverse("helpnet:referrals") + "?show=overdue").content.decode()
    assert zh("Overdue") in page and "李明" in page
    # Once the provider answers it is no longer overdue.
    services.referral_respond(actor=world.users["ngo"], referral_id=referral.pk, accept=True)
    assert not Referral.objects.overdue().exists()


def test_referral_list_query_count_does_not_grow(world, ngo_service, login,
                                                 django_assert_max_num_queries):
    client = login(world.users["caseworker"])
    refer(world, ngo_service, consent=True)
    client.get(reverse("helpnet:referrals"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("helpnet:referrals"))
    for _i in range(5):
        person = f.SuperviseeFactory(unit=world.squad1, caseworker=world.users["caseworker"])
        refer(world, ngo_service, person=person)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("helpnet:referrals"))


def test_provider_manages_only_its_own_services(world, ngo_service, login):
    client = login(world.users["ngo"])
    response = client.post(reverse("helpnet:service_create"), {
        "name": "法律援助咨询", "type": "legal_aid", "audience": "everyone", "area": "城关镇",
        "capacity": 5, "contact": "138", "active": "on"})
    assert response.status_code == 302
    assert world.ngo.help_services.filter(name="法律援助咨询").exists()
    theirs = f.help_service_create(world.counselling)
    assert client.get(reverse("helpnet:service_edit", args=[theirs.pk])).status_code == 404
    assert login(world.users["enterprise"]).get(
        reverse("helpnet:service_create")).status_code == 403


def test_provider_inbox_query_count_does_not_grow(world, ngo_service, login,
                                                  django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["ngo"])
    refer(world, ngo_service, consent=True)
    client.get(reverse("helpnet:provider"))
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("helpnet:provider"))
    assert "李*" in page.content.decode()
    for _i in range(5):
        person = f.SuperviseeFactory(unit=world.squad1, caseworker=world.users["caseworker"])
        refer(world, ngo_service, person=person, consent=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("helpnet:provider"))
