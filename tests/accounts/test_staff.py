"""The staff page: unit administrators (and superusers) list the staff and partner staff
they look after, and create accounts that start with a one-time link."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.access import Role, actor_for
from portal.accounts.models import Invitation
from portal.notifications.models import Notification
from portal.organisations.models import Membership
from tests import factories as f
from tests.accounts.conftest import link_token, sign_in

User = get_user_model()
GOOD = "Sunflower-river-2025"


def _invite(client, **data):
    base = {"role": "caseworker", "display_name": "王芳", "username": "wangfang",
            "phone": "", "email": "", "title": ""}
    return client.post("/staff/invite/", {**base, **data})


@pytest.mark.parametrize("role", ["caseworker", "other_caseworker", "supervisee", "ngo",
                                  "enterprise", "editor"])
@pytest.mark.parametrize("path", ["/staff/", "/staff/invite/"])
def test_only_unit_admins_and_superusers_may_open_the_staff_pages(world, login, role, path):
    assert login(world.users[role]).get(path).status_code == 403


def test_partner_managers_are_refused_too(world, login):
    manager = f.partner_staff_create(world.ngo, role=Membership.Role.PARTNER_MANAGER)
    assert login(manager).get("/staff/").status_code == 403
    assert login(manager).post("/staff/invite/", {}).status_code == 403


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")


def test_refused_invites_create_nothing(world, login):
    count = User.objects.count()
    response = _invite(login(world.users["caseworker"]), unit=world.squad1.pk)
    assert response.status_code == 403
    assert User.objects.count() == count


def test_unit_admin_sees_the_staff_and_partners_of_their_units(world, login, english):
    login(world.users["unit_admin"])
    response = english.get("/staff/")
    html = response.content.decode()
    assert response.status_code == 200
    for username in ("caseworker", "caseworker2", "unitadmin", "ngo", "enterprise"):
        assert f'">{username}</td>' in html
    assert '">supervisee</td>' not in html


def test_a_squad_admin_sees_only_their_squad(world, login):
    squad_admin = f.caseworker_create(world.squad1, role=Membership.Role.UNIT_ADMIN,
                                      username="squadadmin")
    html = login(squad_admin).get("/staff/").content.decode()
    assert '">caseworker</td>' in html
    assert '">caseworker2</td>' not in html  # squad 2
    assert '">unitadmin</td>' not in html  # the bureau above
    assert '">ngo</td>' not in html  # partner of the bureau, not of the squad


def test_superuser_sees_every_editor_unit_admin_only_those_they_invited(world, login):
    html = login(world.users["superuser"]).get("/staff/").content.decode()
    assert '">editor</td>' in html
    admin_client = login(world.users["unit_admin"])
    assert '">editor</td>' not in admin_client.get("/staff/").content.decode()
    _invite(admin_client, role="editor", username="bianji", display_name="编辑")
    html = admin_client.get("/staff/").content.decode()
    assert '">bianji</td>' in html and '">editor</td>' not in html


def test_search_narrows_the_list(world, login):
    client = login(world.users["unit_admin"])
    html = client.get("/staff/?q=caseworker2").content.decode()
    assert '">caseworker2</td>' in html
    assert '">ngo</td>' not in html


def test_staff_list_query_count_does_not_grow_with_rows(world, login, django_assert_num_queries):
    client = login(world.users["unit_admin"])
    client.get("/staff/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/staff/").status_code == 200
    for i in range(25):
        f.caseworker_create(world.squad1, username=f"extra{i}")
        f.partner_staff_create(world.ngo, username=f"partner{i}")
        user = f.caseworker_create(world.squad2, username=f"pending{i}")
        user.set_unusable_password()
        user.save()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/staff/")
    assert response.status_code == 200
    assert '">pending0</td>' in response.content.decode()


def test_invite_a_caseworker_shows_the_link_once_and_it_works(world, login, english):
    login(world.users["unit_admin"])
    form = english.get("/staff/invite/")
    assert form.status_code == 200
    assert world.squad1.name in form.content.decode()
    response = _invite(english, unit=world.squad1.pk, phone="138 0013 8001", title="矫正专干")
    assert response.status_code == 302 and response["Location"] == "/staff/"
    user = User.objects.get(username="wangfang")
    assert not user.has_usable_password()
    assert user.phone == "13800138001"
    assert Membership.objects.filter(user=user, unit=world.squad1,
                                     role=Membership.Role.CASEWORKER, title="矫正专干").exists()
    page = english.get("/staff/").content.decode()
    token = link_token(page)
    assert "http://testserver/accounts/invitation/" in page
    # Shown once: reloading the list does not show it again.
    assert "/accounts/invitation/" not in english.get("/staff/").content.decode()
    english.logout()
    english.post(f"/accounts/invitation/{token}/", {"password1": GOOD, "password2": GOOD})
    english.logout()
    assert sign_in(english, "13800138001", GOOD).status_code == 302
    user.refresh_from_db()
    assert Role.CASEWORKER in actor_for(user).roles


def test_invite_with_email_sends_the_link(world, login, english,
                                         django_capture_on_commit_callbacks):
    client = login(world.users["unit_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, unit=world.squad2.pk, role="unit_admin", email="li@example.cn",
                username="lisi")
    user = User.objects.get(username="lisi")
    assert Notification.objects.filter(recipient=user, kind="account_invitation").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["li@example.cn"]
    token = link_token(mail.outbox[0].body)
    assert Invitation.objects.get(user=user).token_hash == Invitation.hash_token(token)
    assert "The link was also sent to the person" in client.get("/staff/").content.decode()


def test_invite_without_email_sends_nothing(world, login, django_capture_on_commit_callbacks):
    client = login(world.users["unit_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, unit=world.squad1.pk)
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="account_invitation").exists()


def test_invite_partner_staff_and_editor(world, login):
    client = login(world.users["unit_admin"])
    _invite(client, role="partner_staff", organisation=world.ngo.pk, username="shegong")
    partner = User.objects.get(username="shegong")
    assert Membership.objects.filter(user=partner, organisation=world.ngo,
                                     role=Membership.Role.PARTNER_STAFF).exists()
    assert actor_for(partner).primary_role == Role.PARTNER_STAFF
    _invite(client, role="editor", username="bianji", display_name="编辑")
    editor = User.objects.get(username="bianji")
    assert actor_for(editor).has(Role.EDITOR)
    assert not Membership.objects.filter(user=editor).exists()


@pytest.mark.parametrize("data, field, message", [
    ({"unit": ""}, "unit", "Choose the unit this person works in."),
    ({"role": "partner_staff"}, "organisation",
     "Choose the partner organisation this person works for."),
    ({"role": "superuser"}, "role", "Select a valid choice."),
    ({"username": "has space"}, "username", "Enter a valid username"),
    ({"username": "CASEWORKER"}, "username", "This username is taken."),
    ({"phone": "12ab"}, "phone", "digits only"),
    ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    ({"display_name": ""}, "display_name", "This field is required."),
])
def test_bad_invites_reshow_the_form_and_create_nothing(world, login, english, data, field,
                                                        message):
    login(world.users["unit_admin"])
    count, invitations = User.objects.count(), Invitation.objects.count()
    response = _invite(english, **{"unit": world.squad1.pk, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert User.objects.count() == count and Invitation.objects.count() == invitations


def test_taken_phone_and_email_are_refused(world, login):
    existing = world.users["caseworker"]
    existing.phone, existing.email = "13900000000", "cw@example.cn"
    existing.save()
    client = login(world.users["unit_admin"])
    response = _invite(client, unit=world.squad1.pk, phone="139-0000-0000",
                       email="CW@example.cn")
    assert set(response.context["form"].errors) == {"phone", "email"}
    assert not User.objects.filter(username="wangfang").exists()


def test_units_and_partners_outside_ones_care_cannot_be_chosen(world, login):
    squad_admin = f.caseworker_create(world.squad1, role=Membership.Role.UNIT_ADMIN)
    client = login(squad_admin)
    response = _invite(client, unit=world.squad2.pk)
    assert "unit" in response.context["form"].errors
    response = _invite(client, role="partner_staff", organisation=world.ngo.pk)
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="wangfang").exists()


def test_inactive_partners_are_not_offered(world, login):
    world.enterprise.is_active = False
    world.enterprise.save()
    client = login(world.users["unit_admin"])
    response = _invite(client, role="partner_staff", organisation=world.enterprise.pk)
    assert "organisation" in response.context["form"].errors


def test_service_refuses_units_outside_the_creators_care(world):
    from django.core.exceptions import PermissionDenied

    from portal.accounts.services import staff_account_create

    squad_admin = f.caseworker_create(world.squad1, role=Membership.Role.UNIT_ADMIN)
    with pytest.raises(PermissionDenied):
        staff_account_create(created_by=squad_admin, role="caseworker", username="x1",
                             display_name="x", unit=world.squad2)
    with pytest.raises(PermissionDenied):
        staff_account_create(created_by=world.users["caseworker"], role="editor",
                             username="x2", display_name="x")
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_new_link_for_someone_who_has_not_set_a_password(world, login):
    client = login(world.users["unit_admin"])
    _invite(client, unit=world.squad1.pk)
    first_token = link_token(client.get("/staff/").content.decode())
    user = User.objects.get(username="wangfang")
    response = client.post(f"/staff/{user.pk}/link/")
    assert response.status_code == 302
    second_token = link_token(client.get("/staff/").content.decode())
    assert second_token != first_token
    client.logout()
    assert client.get(f"/accounts/invitation/{first_token}/").status_code == 404
    assert client.get(f"/accounts/invitation/{second_token}/").status_code == 200


def test_no_new_link_for_someone_who_has_a_password(world, login, english):
    login(world.users["unit_admin"])
    target = world.users["caseworker"]
    before = Invitation.objects.count()
    response = english.post(f"/staff/{target.pk}/link/", follow=True)
    assert "has already set a password" in response.content.decode()
    assert Invitation.objects.count() == before


def test_no_new_link_for_accounts_outside_ones_care(world, login):
    squad_admin = f.caseworker_create(world.squad1, role=Membership.Role.UNIT_ADMIN)
    pending = f.caseworker_create(world.squad2, username="pending")
    pending.set_unusable_password()
    pending.save()
    client = login(squad_admin)
    assert client.post(f"/staff/{pending.pk}/link/").status_code == 404
    assert client.post(f"/staff/{world.supervisee.user.pk}/link/").status_code == 404
    assert client.post("/staff/999999/link/").status_code == 404
    assert not Invitation.objects.filter(user=pending).exists()
    assert login(world.users["caseworker"]).post(f"/staff/{pending.pk}/link/").status_code \
        == 403


def test_new_link_needs_post(world, login):
    assert login(world.users["unit_admin"]).get(
        f"/staff/{world.users['caseworker'].pk}/link/").status_code == 405


def test_menu_links_to_the_staff_page(world, login):
    html = login(world.users["unit_admin"]).get("/dashboard/").content.decode()
    assert 'href="/staff/"' in html
    html = login(world.users["caseworker"]).get("/dashboard/").content.decode()
    assert 'href="/staff/"' not in html
