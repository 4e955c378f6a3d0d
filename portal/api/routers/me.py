"""The caller's own account: profile, role, this month's targets, inbox."""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from portal.access import Role, actor_for, own_supervisee
from portal.api import selectors
from portal.api.errors import errors
from portal.api.pagination import PageParams, page_of, paginate
from portal.api.schemas import LocalDateTime, Out
from portal.notifications.services import notification_mark_read
from portal.people.selectors import target_for

router = Router(tags=["me"])


class OrganisationOut(Out):
    id: int
    name: str
    kind: str


class MonthTargets(Schema):
    month: str = Field(..., description="The month the targets apply to, YYYY-MM.")
    study_hours: float | None = Field(None, description="Study hours to reach this month.")
    service_hours: float | None = Field(None,
                                        description="Service hours to reach this month.")


class MyTerm(Schema):
    """The caller's own correction record, in plain fields. Only ever the caller's."""

    status: str
    status_label: str
    sentence_kind: str
    sentence_kind_label: str
    level: str
    level_label: str
    term_start: datetime.date
    term_end: datetime.date
    days_left: int
    released_on: datetime.date | None
    help_ends_on: datetime.date | None


class MeOut(Out):
    id: int
    username: str
    display_name: str
    role: str = Field(..., description=(
        "The main role: supervisee, caseworker, unit_admin, partner_staff, editor or "
        "superuser."))
    roles: list[str]
    unit: str | None = Field(None, description=(
        "The supervisee's unit, or the first unit a staff member works in; never set "
        "for partner staff."))
    organisations: list[OrganisationOut] = Field(
        ..., description="Partner organisations the caller works for.")
    supervision: MyTerm | None = Field(None, description="Supervisees only.")
    targets: MonthTargets | None = Field(None, description="Supervisees only.")


@router.get("", url_name="me", response={200: MeOut, **errors(401)}, summary="My profile")
def me(request):
    """The signed-in person's own profile. A supervisee also gets their term, status and
    this month's targets (set per management level); nobody else's record is ever shown
    here."""
    user = request.user
    actor = actor_for(user)
    supervisee = own_supervisee(user)
    if supervisee is not None:
        unit = supervisee.unit.name
    elif actor.has(Role.CASEWORKER, Role.UNIT_ADMIN) and actor.units:
        unit = actor.units[0].name
    else:
        unit = None
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": str(user),
        "role": actor.primary_role.value,
        "roles": sorted(r.value for r in actor.roles),
        "unit": unit,
        "organisations": [{"id": o.pk, "name": o.name, "kind": o.kind}
                          for o in actor.organisations],
        "supervision": _my_term(supervisee) if supervisee else None,
        "targets": _my_targets(supervisee) if supervisee else None,
    }


def _my_term(supervisee) -> dict:
    return {
        "status": supervisee.status,
        "status_label": supervisee.get_status_display(),
        "sentence_kind": supervisee.sentence_kind,
        "sentence_kind_label": supervisee.get_sentence_kind_display(),
        "level": supervisee.level,
        "level_label": supervisee.get_level_display(),
        "term_start": supervisee.term_start,
        "term_end": supervisee.term_end,
        "days_left": max(supervisee.days_left(), 0),
        "released_on": supervisee.released_on,
        "help_ends_on": supervisee.help_ends_on,
    }


def _my_targets(supervisee) -> dict:
    target = target_for(supervisee)
    return {
        "month": timezone.localdate().strftime("%Y-%m"),
        "study_hours": float(target.study_hours) if target else None,
        "service_hours": float(target.service_hours) if target else None,
    }


class NotificationOut(Out):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: LocalDateTime
    read_at: LocalDateTime | None
    is_read: bool

    @staticmethod
    def resolve_is_read(obj) -> bool:
        return obj.read_at is not None


@router.get("/notifications", url_name="me_notifications",
            response={200: page_of(NotificationOut), **errors(401, 422)},
            summary="My notifications")
def notifications(request, paging: Query[PageParams], unread: bool = False):
    """The caller's inbox, newest first; `unread=true` lists only unread ones."""
    return paginate(selectors.notifications_for(request.user, unread_only=unread), paging)


@router.post("/notifications/{int:notification_id}/read", url_name="me_notification_read",
             response={200: NotificationOut, **errors(401, 403, 404)},
             summary="Mark a notification read")
def notification_read(request, notification_id: int):
    """Mark one of the caller's notifications read (again: no change). Someone else's
    notification answers 404, like one that does not exist."""
    notification = selectors.notification_for(request.user, notification_id)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    notification.refresh_from_db(fields=["read_at"])
    return notification
