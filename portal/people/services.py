from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.services import user_create
from portal.audit.services import access_log_record

from .models import Consent, Supervisee


@transaction.atomic
def supervisee_create(*, created_by, username: str, legal_name: str, phone: str = "",
                      **fields) -> Supervisee:
    """A supervisee record with its account (no password until the person accepts an
    invitation)."""
    skills = fields.pop("skills", None)
    user = user_create(username=username, display_name=legal_name, phone=phone)
    supervisee = Supervisee(user=user, legal_name=legal_name, **fields)
    supervisee.full_clean()
    supervisee.save()
    if skills is not None:
        supervisee.skills.set(skills)
    access_log_record(actor=created_by, supervisee=supervisee, action="edit",
                      what=_("Created record"))
    return supervisee


@transaction.atomic
def supervisee_update(*, supervisee: Supervisee, updated_by, **fields) -> Supervisee:
    skills = fields.pop("skills", None)
    changed = []
    for name, value in fields.items():
        if getattr(supervisee, name) != value:
            setattr(supervisee, name, value)
            changed.append(name)
    supervisee.full_clean()
    supervisee.save()
    if skills is not None:
        supervisee.skills.set(skills)
        changed.append("skills")
    access_log_record(actor=updated_by, supervisee=supervisee, action="edit",
                      what=_("Edited: %(fields)s") % {"fields": ", ".join(changed) or "-"})
    return supervisee


def consent_record(*, supervisee: Supervisee, kind: str, granted: bool, recorded_by) -> Consent:
    if kind not in Consent.Kind.values:
        raise ValueError(f"unknown consent kind {kind!r}")
    return Consent.objects.create(supervisee=supervisee, kind=kind, granted=granted,
                                  recorded_by=recorded_by)
