import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Invitation


@transaction.atomic
def invitation_create(*, user, created_by) -> tuple[Invitation, str]:
    """A fresh one-time link for `user`; earlier unused links stop working."""
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    raw = Invitation.new_token()
    invitation = Invitation.objects.create(
        user=user,
        token_hash=Invitation.hash_token(raw),
        created_by=created_by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.XY_INVITATION_DAYS),
    )
    return invitation, raw


def invitation_url(raw_token: str) -> str:
    return reverse("invitation_accept", kwargs={"token": raw_token})


def invitation_for_token(raw_token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("user")
        .filter(token_hash=Invitation.hash_token(raw_token or ""))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValueError(_("This link has already been used or has expired."))
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user


def invitation_notify(*, user, raw_token: str) -> bool:
    """Send the link to the person's email (through the notification channels). Returns
    whether there was an address to send it to; the inviter shows the link either way."""
    from portal.notifications.services import notify

    if not user.email:
        return False
    notify(
        recipient=user,
        kind="account_invitation",
        title=_("Your Xiangyang account is ready"),
        body=_(
            "An account was made for you on Xiangyang. Your username is %(username)s. "
            "Open the link below to choose your password; it works once and for "
            "%(days)d days."
        ) % {"username": user.username, "days": settings.XY_INVITATION_DAYS},
        url=invitation_url(raw_token),
    )
    return True


def user_create(*, username: str, display_name: str, phone: str = "", email: str = "",
                first_name: str = "", last_name: str = ""):
    """An account with no usable password; the person sets one through an invitation."""
    User = get_user_model()
    user = User(username=username, display_name=display_name, phone=phone, email=email,
                first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


class StaffRole:
    """The kinds of account a unit administrator creates on the staff page."""

    CASEWORKER = "caseworker"
    UNIT_ADMIN = "unit_admin"
    PARTNER_STAFF = "partner_staff"
    PARTNER_MANAGER = "partner_manager"
    EDITOR = "editor"

    UNIT_ROLES = (CASEWORKER, UNIT_ADMIN)
    PARTNER_ROLES = (PARTNER_STAFF, PARTNER_MANAGER)
    EDITOR_GROUP = "编辑"  # portal.access.EDITORS_GROUP (cms/migrations/0003)


STAFF_ROLE_CHOICES = [
    (StaffRole.CASEWORKER, gettext_lazy("Caseworker")),
    (StaffRole.UNIT_ADMIN, gettext_lazy("Unit administrator")),
    (StaffRole.PARTNER_STAFF, gettext_lazy("Partner staff")),
    (StaffRole.PARTNER_MANAGER, gettext_lazy("Partner manager")),
    (StaffRole.EDITOR, gettext_lazy("Content editor")),
]


@transaction.atomic
def staff_account_create(*, created_by, role: str, username: str, display_name: str,
                         phone: str = "", email: str = "", title: str = "",
                         unit=None, organisation=None):
    """An account for staff with no usable password, its membership (or the Editors
    group), and a one-time link. Returns (user, raw token). The unit or organisation
    must be one the creator administers."""
    from portal.access import organisations_managed_by, units_administered_by
    from portal.organisations.models import Membership

    from .selectors import can_manage_staff

    if not can_manage_staff(created_by):
        raise PermissionDenied
    if role in StaffRole.UNIT_ROLES:
        if unit is None or not units_administered_by(created_by).filter(pk=unit.pk).exists():
            raise PermissionDenied
    elif role in StaffRole.PARTNER_ROLES:
        if organisation is None or not organisations_managed_by(created_by).filter(
            pk=organisation.pk, is_active=True
        ).exists():
            raise PermissionDenied
    elif role != StaffRole.EDITOR:
        raise ValueError(f"unknown staff role {role!r}")

    user = user_create(username=username, display_name=display_name, phone=phone,
                       email=email)
    if role in StaffRole.UNIT_ROLES:
        Membership.objects.create(user=user, unit=unit, role=role, title=title)
    elif role in StaffRole.PARTNER_ROLES:
        Membership.objects.create(user=user, organisation=organisation, role=role,
                                  title=title)
    else:
        user.groups.add(Group.objects.get(name=StaffRole.EDITOR_GROUP))
    _, raw = invitation_create(user=user, created_by=created_by)
    return user, raw
