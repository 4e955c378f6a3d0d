import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
