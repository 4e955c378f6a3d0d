from decimal import Decimal

from ninja import Router, Schema

from portal.access import actor_for, own_supervisee
from portal.people.selectors import target_for

router = Router(tags=["me"])


class MonthTargets(Schema):
    study_hours_target: Decimal | None
    service_hours_target: Decimal | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    roles: list[str]
    unit: str | None
    organisations: list[str]
    targets: MonthTargets | None


@router.get("", response=MeOut)
def me(request):
    user = request.user
    actor = actor_for(user)
    supervisee = own_supervisee(user)
    unit = supervisee.unit.name if supervisee else (actor.units[0].name if actor.units else None)
    targets = None
    if supervisee:
        target = target_for(supervisee)
        targets = {
            "study_hours_target": target.study_hours if target else None,
            "service_hours_target": target.service_hours if target else None,
        }
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "role": actor.primary_role.value,
        "roles": sorted(r.value for r in actor.roles),
        "unit": unit,
        "organisations": [o.name for o in actor.organisations],
        "targets": targets,
    }
