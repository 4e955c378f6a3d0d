"""A referral's reason is for corrections staff; the provider reads only a short summary
(or, for referrals made before summaries, a neutral line) on its pages, in its notices
and in the API, and a summary with corrections words is refused."""

import json

import pytest
from django.urls import reverse

from helpnet import services
from helpnet.models import Referral
from helpnet.services import ServiceError
from portal.notifications.models import Notification
from tests.i18n import zh

pytestmark = pytest.mark.django_db

NEUTRAL = "The referring caseworker will explain what help is needed when you get in touch."
REASON = "入矫以来情绪低落，缓刑考验期内与家人冲突多"
SUMMARY = "希望改善家庭沟通，缓解情绪压力"


def refer(world, service, *, summary=SUMMARY, consent=True, reason=REASON):
    return services.referral_create(actor=world.users["caseworker"],
                                    supervisee=world.supervisee, service_id=service.pk,
                                    reason=reason, summary=summary, consent_given=consent)


def provider_sees(world, login, referral) -> str:
    """Everything the provider's staff can read about the referral: its inbox, the
    referral's page (in each state it passes through) and its notices."""
    client = login(world.users["ngo"])
    seen = [client.get(reverse("helpnet:provider")).content.decode(),
            client.get(reverse("helpnet:referral", args=[referral.pk])).content.decode()]
    seen += [f"{n.title} {n.body}" for n in
             Notification.objects.filter(recipient=world.users["ngo"])]
    return "\n".join(seen)


def test_the_provider_reads_the_summary_never_the_reason(world, ngo_service, login):
    referral = refer(world, ngo_service)
    client = login(world.users["ngo"])
    client.post(reverse("helpnet:referral_respond", args=[referral.pk]),
                {"decision": "accept", "note": "下周联系"})
    client.post(reverse("helpnet:referral_session", args=[referral.pk]), {"note": "第一次面谈"})
    seen = provider_sees(world, login, referral)
    services.referral_withdraw(actor=world.users["caseworker"], referral_id=referral.pk,
                               note="入矫评估调整，改为其他帮扶")
    seen += provider_sees(world, login, referral)
    assert SUMMARY in seen
    assert "入矫" not in seen and "情绪低落" not in seen and "缓刑考验" not in seen
    # The provider's own notes are still there for it; the caseworker's are not.
    assert "下周联系" in seen and "第一次面谈" in seen
    # Staff read both, labelled.
    staff = login(world.users["caseworker"]).get(
        reverse("helpnet:referral", args=[referral.pk])).content.decode()
    assert REASON in staff and SUMMARY in staff
    assert zh("Reason (staff only)") in staff and zh("Summary the provider reads") in staff


def test_an_old_referral_without_summary_shows_a_neutral_line(world, ngo_service, login):
    referral = refer(world, ngo_service, summary="")
    # As a referral made before summaries existed: only the reason was written.
    Referral.objects.filter(pk=referral.pk).update(provider_summary="")
    seen = provider_sees(world, login, referral)
    assert zh(NEUTRAL) in seen
    assert "入矫" not in seen and "情绪低落" not in seen
    person = login(world.users["supervisee"]).get(reverse("helpnet:me")).content.decode()
    assert zh(NEUTRAL) in person


@pytest.mark.parametrize("word", ["矫正", "社区矫正", "缓刑", "假释", "管制", "监外执行",
                                  "严管", "普管", "宽管"])
def test_corrections_words_in_a_summary_are_refused(world, ngo_service, word):
    with pytest.raises(ServiceError) as refused:
        refer(world, ngo_service, summary=f"该人员{word}期间需要家庭辅导")
    assert (refused.value.code, refused.value.status) == ("summary_not_neutral", 422)
    assert ("矫正" if "矫正" in word else word) in refused.value.message
    assert not Referral.objects.exists()


def test_the_form_says_who_reads_what_and_refuses_corrections_words(world, ngo_service,
                                                                    login):
    client = login(world.users["caseworker"])
    url = reverse("helpnet:refer", args=[world.supervisee.pk])
    form = client.get(url).content.decode()
    assert zh("Summary for the provider") in form
    assert zh("Only corrections staff read this. The provider never sees it.") in form
    response = client.post(url, {"service": ngo_service.pk, "reason": REASON,
                                 "summary": "假释期间情绪不稳", "consent_given": "on"})
    assert response.status_code == 200
    assert "假释" in response.content.decode() and not Referral.objects.exists()
    # A summary is required on the form.
    response = client.post(url, {"service": ngo_service.pk, "reason": REASON,
                                 "consent_given": "on"})
    assert response.status_code == 200 and not Referral.objects.exists()
    response = client.post(url, {"service": ngo_service.pk, "reason": REASON,
                                 "summary": SUMMARY, "consent_given": "on"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.reason, referral.provider_summary) == (REASON, SUMMARY)


def test_the_api_shows_the_summary_not_the_reason(world, ngo_service, login):
    refer(world, ngo_service, consent=False)
    body = login(world.users["supervisee"]).get("/api/v1/me/referrals").json()
    assert body["items"][0]["summary"] == SUMMARY
    assert "入矫" not in json.dumps(body, ensure_ascii=False)


def test_demo_summaries_are_neutral():
    from helpnet.demo import REFERRALS
    from portal.neutral import corrections_words_in

    for row in REFERRALS:
        summary = row[-1]
        assert summary and not corrections_words_in(summary), summary
        assert summary != row[-2]  # a summary of its own, not the staff reason
