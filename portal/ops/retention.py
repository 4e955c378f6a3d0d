"""Retention: a released person's identifying data is kept for the period their unit sets
(RetentionPolicy, inherited down the unit tree; settings.XY_RETENTION_YEARS otherwise),
counted from the release date. After it, `retention_apply` anonymises the person and
their account and removes court orders and approvals that name places and people; the
append-only records (hours ledgers, attendance, the access log) stay, pointing at the now
anonymous person, so unit figures still add up. Every action is written to the
append-only RetentionLogEntry.

Run daily: `manage.py apply_retention` (add --dry-run to see what it would do), or the
django-tasks task `apply_retention_task`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.organisations.models import Unit
from portal.people.models import Supervisee

from .models import RetentionLogEntry, RetentionPolicy

ANONYMOUS = "已匿名"


@dataclass
class Planned:
    supervisee: Supervisee
    years: int
    due_on: datetime.date
    removals: dict[str, int] = field(default_factory=dict)

    @property
    def rule(self) -> str:
        return (f"released {self.supervisee.released_on:%Y-%m-%d} + {self.years} years "
                f"= {self.due_on:%Y-%m-%d}")


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_for(unit: Unit, policies: dict[str, int]) -> int:
    """The nearest policy on the unit or above it; the setting otherwise."""
    for end in range(len(unit.path), 0, -unit.steplen):
        years = policies.get(unit.path[:end])
        if years is not None:
            return years
    return settings.XY_RETENTION_YEARS


def _removable(supervisee: Supervisee) -> dict[str, object]:
    """What goes entirely: the querysets of records that name places, people and jobs."""
    return {
        "prohibition orders": supervisee.prohibitions.all(),
        "occupational bans": supervisee.occupational_bans.all(),
        "travel approvals": supervisee.travel_approvals.all(),
    }


def retention_due(*, today: datetime.date | None = None) -> list[Planned]:
    """Released persons whose retention period is over and who are not anonymised yet."""
    today = today or timezone.localdate()
    policies = {p.unit.path: p.years_after_release
                for p in RetentionPolicy.objects.select_related("unit")}
    done = RetentionLogEntry.objects.filter(action=RetentionLogEntry.Action.ANONYMISED)
    candidates = (
        Supervisee.objects
        .filter(status__in=[Supervisee.Status.RELEASED, Supervisee.Status.CLOSED],
                released_on__isnull=False)
        .exclude(pk__in=done.values("supervisee_id"))
        .select_related("unit", "user")
        .order_by("released_on", "pk")
    )
    planned = []
    for person in candidates:
        years = years_for(person.unit, policies)
        due_on = _add_years(person.released_on, years)
        if due_on <= today:
            removals = {label: qs.count() for label, qs in _removable(person).items()}
            planned.append(Planned(person, years, due_on,
                                   {k: n for k, n in removals.items() if n}))
    return planned


ANONYMISED_FIELDS = ("legal name, alias, gender, date of birth, ID number, home district, "
                     "skills, work history; account: username, names, email, phone, "
                     "password, API tokens (deactivated)")


@transaction.atomic
def _anonymise(plan: Planned, *, actor=None) -> None:
    from wagtail.models import APIToken

    person = Supervisee.objects.select_for_update().get(pk=plan.supervisee.pk)
    person.legal_name = ANONYMOUS
    person.alias = ""
    person.gender = ""
    person.birth_date = None
    person.id_number = ""
    person.home_district = None
    person.save()
    person.skills.clear()
    profile = getattr(person, "job_profile", None)
    if profile is not None:
        profile.work_history = ""
        profile.save(update_fields=["work_history"])
    user = person.user
    user.username = f"anon-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    if hasattr(user, "display_name"):
        user.display_name = ""
    if hasattr(user, "phone"):
        user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.save()
    APIToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    RetentionLogEntry.objects.create(
        supervisee=person, action=RetentionLogEntry.Action.ANONYMISED,
        what=ANONYMISED_FIELDS[:300], rule=plan.rule[:200], actor=actor)
    if plan.removals:
        for _label, qs in _removable(person).items():
            qs.delete()
        RetentionLogEntry.objects.create(
            supervisee=person, action=RetentionLogEntry.Action.REMOVED,
            what=", ".join(f"{n} {label}" for label, n in plan.removals.items())[:300],
            rule=plan.rule[:200], actor=actor)


def retention_apply(*, dry_run: bool = False, today: datetime.date | None = None,
                    actor=None) -> list[Planned]:
    """Carry out the rule; with dry_run, only say what would be done."""
    planned = retention_due(today=today)
    if not dry_run:
        for plan in planned:
            _anonymise(plan, actor=actor)
    return planned
