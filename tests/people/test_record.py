"""One supervisee's record: the logged detail page, creation with an account and a
one-time link, refusals."""

import pytest
from django.urls import reverse

from portal.accounts.models import Invitation, User
from portal.audit.models import AccessLogEntry
from portal.people.models import Supervisee
from tests import factories as f


def detail(s):
    return reverse("people:detail", args=[s.pk])


# --- detail ------------------------------------------------------------------------------------

def test_detail_is_logged_with_who_whom_when_what(world, login):
    user = world.users["caseworker"]
    response = login(user).get(detail(world.supervisee))
    assert response.status_code == 200
    assert "李明" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert entry.actor == user and entry.supervisee == world.supervisee
    assert entry.action == "view" and entry.path == detail(world.supervisee) and entry.at


def test_detail_of_a_record_outside_the_unit_is_404_and_not_logged(world, login):
    response = login(world.users["caseworker"]).get(detail(world.other_supervisee))
    assert response.status_code == 404
    assert "王强" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_juvenile_of_a_colleague_is_404(world, login):
    colleague = f.caseworker_create(world.squad1)
    assert login(colleague).get(detail(world.juvenile)).status_code == 404


def test_unknown_record_is_404(world, login):
    assert login(world.users["unit_admin"]).get("/people/98765/").status_code == 404


@pytest.mark.parametrize("role", ["ngo", "enterprise", "editor", "supervisee"])
def test_non_staff_are_refused_even_their_own_record(world, login, role):
    assert login(world.users[role]).get(detail(world.supervisee)).status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_detail_shows_restrictions_and_consent_labels(world, login):
    venue = f.VenueTypeFactory(name="网吧")
    world.supervisee.prohibitions.create(kind="venue_type", venue_type=venue,
                                         description="不得进入网吧", starts_on="2024-01-01")
    world.supervisee.occupational_bans.create(industry=f.IndustryFactory(name="食品加工"),
                                              starts_on="2024-01-01")
    response = login(world.users["caseworker"]).get(detail(world.supervisee))
    body = response.content.decode()
    assert "网吧" in body and "食品加工" in body
    consents = response.context["consents"]
    assert [(kind, granted) for kind, _label, granted in consents] == [
        ("volunteer_export", False), ("employer_profile", False), ("certificate", False)]
    assert all(str(label) in body for _kind, label, _granted in consents)


def test_masked_id_number_on_detail(world, login):
    body = login(world.users["caseworker"]).get(detail(world.supervisee)).content.decode()
    assert world.supervisee.id_number not in body
    assert world.supervisee.masked_id_number in body


# --- create ----------------------------------------------------------------------------------

def new_record(world, **overrides):
    data = {
        "username": "newperson", "phone": "13800000001", "legal_name": "刘新",
        "id_type": "resident_id", "unit": world.squad1.pk,
        "caseworker": world.users["caseworker"].pk, "sentence_kind": "parole",
        "term_start": "2025-01-01", "term_end": "2026-06-30", "level": "ordinary",
        "status": "in_correction",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_makes_record_account_and_one_time_link(world, login):
    client = login(world.users["caseworker"])
    response = client.post(reverse("people:create"), new_record(world))
    supervisee = Supervisee.objects.get(legal_name="刘新")
    assert response.status_code == 302 and response.url == detail(supervisee)
    account = supervisee.user
    assert account.username == "newperson" and not account.has_usable_password()
    assert Invitation.objects.filter(user=account, used_at__isnull=True).count() == 1
    page = client.get(detail(supervisee)).content.decode()
    assert "/accounts/invitation/" in page
    # Shown once: the next visit no longer carries the link.
    assert "/accounts/invitation/" not in client.get(detail(supervisee)).content.decode()
    assert AccessLogEntry.objects.filter(supervisee=supervisee, action="edit").exists()


def test_invitation_link_is_not_shown_on_another_persons_page(world, login):
    client = login(world.users["caseworker"])
    client.post(reverse("people:create"), new_record(world))
    assert "/accounts/invitation/" not in client.get(detail(world.supervisee)).content.decode()


def test_unit_and_caseworker_choices_are_limited(world, login):
    form = login(world.users["caseworker"]).get(reverse("people:create")).context["form"]
    assert list(form.fields["unit"].queryset) == [world.squad1]
    caseworkers = set(form.fields["caseworker"].queryset)
    assert world.users["caseworker"] in caseworkers
    assert world.users["other_caseworker"] not in caseworkers
    assert world.users["ngo"] not in caseworkers
    assert "is_sealed" not in form.fields


@pytest.mark.parametrize("overrides, field", [
    ({"unit": "squad2"}, "unit"),
    ({"caseworker": "other_caseworker"}, "caseworker"),
    ({"term_end": "2024-01-01"}, "term_end"),
    ({"username": "caseworker"}, "username"),
    ({"legal_name": ""}, "legal_name"),
    ({"term_start": "not-a-date"}, "term_start"),
    ({"level": "harsh"}, "level"),
    ({"unit": "abc"}, "unit"),
])
def test_create_with_bad_input_rerenders_and_saves_nothing(world, login, overrides, field):
    lookup = {"squad2": world.squad2.pk,
              "other_caseworker": world.users["other_caseworker"].pk}
    overrides = {k: lookup.get(v, v) for k, v in overrides.items()}
    users_before = User.objects.count()
    response = login(world.users["caseworker"]).post(reverse("people:create"),
                                                     new_record(world, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Supervisee.objects.filter(legal_name="刘新").exists()
    assert User.objects.count() == users_before


def test_caseworker_cannot_create_a_juvenile_they_could_not_then_open(world, login):
    colleague = f.caseworker_create(world.squad1)
    response = login(world.users["caseworker"]).post(
        reverse("people:create"), new_record(world, is_juvenile="on", caseworker=colleague.pk))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="newperson").exists()


@pytest.mark.parametrize("role", ["ngo", "editor", "supervisee"])
def test_create_refused_for_non_staff(world, login, role):
    response = login(world.users[role]).post(reverse("people:create"), new_record(world))
    assert response.status_code == 403
    assert not Supervisee.objects.filter(legal_name="刘新").exists()


# --- invitation --------------------------------------------------------------------------------

def test_new_link_revokes_the_old_one(world, login):
    client = login(world.users["caseworker"])
    url = reverse("people:invite", args=[world.supervisee.pk])
    client.post(url)
    client.post(url)
    invitations = Invitation.objects.filter(user=world.supervisee.user)
    assert invitations.count() == 2
    assert invitations.filter(revoked_at__isnull=True).count() == 1


def test_invite_for_a_record_outside_the_unit_is_404(world, login):
    url = reverse("people:invite", args=[world.other_supervisee.pk])
    assert login(world.users["caseworker"]).post(url).status_code == 404
    assert not Invitation.objects.exists()
