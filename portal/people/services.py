from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.access import (
    can_be_caseworker_in,
    can_create_supervisee_in,
    can_manage_supervisee,
    can_seal_in,
)
from portal.accounts.services import user_create
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record

from .models import Consent, Supervisee, TravelApproval


def _check_placement(*, actor, supervisee: Supervisee, sealing_changed: bool) -> None:
    """What the form already checks, checked again where the write happens: the unit is one
    the actor sees, the caseworker could open the record, only administrators seal."""
    if not can_create_supervisee_in(actor, supervisee.unit):
        raise ValidationError({"unit": _("You cannot place a record in this unit.")})
    if not can_be_caseworker_in(supervisee.caseworker, supervisee.unit):
        raise ValidationError({"caseworker": _(
            "This caseworker works in another unit and could not open the record.")})
    if sealing_changed and not can_seal_in(actor, supervisee.unit):
        raise ValidationError({"is_sealed": _(
            "Only the administrators of the person's unit can seal the file.")})
    if supervisee.is_sealed and not supervisee.is_juvenile:
        raise ValidationError({"is_sealed": _("Only a juvenile's file can be sealed.")})


def _check_still_visible(*, actor, supervisee: Supervisee) -> None:
    # Saving a record the actor could then no longer open (a juvenile assigned to someone
    # else, a file moved out of their units) would lose it for them: refuse instead.
    if not can_manage_supervisee(actor, supervisee):
        raise ValidationError(_(
            "After this change you could no longer open the record (for example a juvenile "
            "assigned to another caseworker, or a unit outside yours). Nothing was saved."))


@transaction.atomic
def supervisee_create(*, created_by, username: str, legal_name: str, phone: str = "",
                      **fields) -> Supervisee:
    """A supervisee record with its account (no password until the person accepts an
    invitation)."""
    skills = fields.pop("skills", None)
    user = user_create(username=username, display_name=legal_name, phone=phone)
    supervisee = Supervisee(user=user, legal_name=legal_name, **fields)
    supervisee.full_clean()
    _check_placement(actor=created_by, supervisee=supervisee,
                     sealing_changed=supervisee.is_sealed)
    supervisee.save()
    if skills is not None:
        supervisee.skills.set(skills)
    _check_still_visible(actor=created_by, supervisee=supervisee)
    access_log_record(actor=created_by, supervisee=supervisee,
                      action=AccessLogEntry.Action.EDIT, what=_("Created record"))
    return supervisee


@transaction.atomic
def supervisee_update(*, supervisee: Supervisee, updated_by, restrictions=(),
                      **fields) -> Supervisee:
    """Change the record and, with `restrictions`, its prohibition orders, occupational bans
    and travel approvals (validated inline formsets bound to this record), all or nothing.
    The log names what changed."""
    skills = fields.pop("skills", None)
    # Compare against the stored row, not the instance a ModelForm has already changed.
    current = Supervisee.objects.select_for_update().select_related("unit").get(pk=supervisee.pk)
    was_sealed = current.is_sealed
    changed = []
    for name, value in fields.items():
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(str(Supervisee._meta.get_field(name).verbose_name))
    current.full_clean()
    _check_placement(actor=updated_by, supervisee=current,
                     sealing_changed=current.is_sealed != was_sealed)
    current.save()
    if skills is not None:
        before = set(current.skills.values_list("pk", flat=True))
        after = {s.pk for s in skills}
        if before != after:
            current.skills.set(skills)
            changed.append(str(Supervisee._meta.get_field("skills").verbose_name))
    for formset in restrictions:
        summary = _restrictions_save(formset=formset, supervisee=current, actor=updated_by)
        if summary:
            changed.append(summary)
    _check_still_visible(actor=updated_by, supervisee=current)
    access_log_record(actor=updated_by, supervisee=current, action=AccessLogEntry.Action.EDIT,
                      what=_("Edited: %(fields)s") % {"fields": ", ".join(changed) or "-"})
    return current


def _restrictions_save(*, formset, supervisee: Supervisee, actor) -> str:
    """Save one validated inline formset; answer a line for the log, or '' if unchanged."""
    if not formset.is_valid():
        raise ValidationError(_("Correct the orders, bans and travel approvals below."))
    formset.instance = supervisee
    objects = formset.save(commit=False)
    for obj in objects:
        obj.supervisee = supervisee
        if isinstance(obj, TravelApproval):
            # Whoever enters or changes an approval is the one who approved it.
            obj.approved_by = actor
        obj.full_clean()
        obj.save()
    for obj in formset.deleted_objects:
        obj.delete()
    added, edited, removed = (len(formset.new_objects), len(formset.changed_objects),
                              len(formset.deleted_objects))
    if not (added or edited or removed):
        return ""
    name = formset.model._meta.verbose_name_plural
    return _("%(what)s (%(added)d added, %(changed)d changed, %(removed)d removed)") % {
        "what": name, "added": added, "changed": edited, "removed": removed}


def consent_record(*, supervisee: Supervisee, kind: str, granted: bool, recorded_by) -> Consent:
    """A new decision; the latest per kind is in force and earlier rows are never changed.
    Recorded by the person, or by staff on their behalf (then the read is logged)."""
    if kind not in Consent.Kind.values:
        raise ValueError(f"unknown consent kind {kind!r}")
    consent = Consent.objects.create(supervisee=supervisee, kind=kind, granted=bool(granted),
                                     recorded_by=recorded_by)
    if recorded_by != supervisee.user:
        access_log_record(
            actor=recorded_by, supervisee=supervisee, action=AccessLogEntry.Action.EDIT,
            what=_("Recorded a consent on the person's behalf: %(kind)s = %(state)s") % {
                "kind": consent.get_kind_display(),
                "state": _("yes") if consent.granted else _("no")},
        )
    return consent
