"""Writes for casework: saving a help plan (with its revision)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import HelpPlan, HelpPlanRevision

PLAN_TEXT_FIELDS = ("goals", "service_expectations", "employment_steps", "referral_steps")


def _snapshot(plan: HelpPlan, courses: list) -> dict:
    return {
        **{name: getattr(plan, name) for name in PLAN_TEXT_FIELDS},
        "review_on": plan.review_on.isoformat() if plan.review_on else None,
        "courses": [{"id": c.pk, "title": c.title} for c in courses],
    }


@transaction.atomic
def help_plan_save(*, supervisee, changed_by, goals: str = "", courses=(),
                   service_expectations: str = "", employment_steps: str = "",
                   referral_steps: str = "", review_on: datetime.date | None = None,
                   note: str = "", now: datetime.datetime | None = None,
                   ) -> tuple[HelpPlan, HelpPlanRevision | None]:
    """Create or change the person's plan. A revision is written only when something
    changed; it records the whole plan as saved, the fields that changed, who and when.
    `now` is for loading history (demo data); the portal's views never pass it."""
    now = now or timezone.now()
    courses = sorted(courses, key=lambda c: c.pk)
    plan = HelpPlan.objects.select_for_update().filter(supervisee=supervisee).first()
    before = None
    if plan is None:
        plan = HelpPlan(supervisee=supervisee, created_at=now)
    else:
        before = _snapshot(plan, list(plan.courses.order_by("pk")))
    plan.goals = goals.strip()
    plan.service_expectations = service_expectations.strip()
    plan.employment_steps = employment_steps.strip()
    plan.referral_steps = referral_steps.strip()
    plan.review_on = review_on
    after = _snapshot(plan, courses)
    if before is not None and before == after:
        return plan, None
    changed = [k for k in after if before is None or before.get(k) != after[k]]
    plan.updated_at = now
    plan.updated_by = changed_by
    plan.save()
    plan.courses.set(courses)
    number = (plan.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = HelpPlanRevision.objects.create(
        plan=plan, supervisee=supervisee, number=number, changed_by=changed_by,
        changed_at=now, changed_fields=changed, snapshot=after, note=note.strip()[:300])
    return plan, revision
