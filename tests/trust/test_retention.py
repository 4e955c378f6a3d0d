"""Retention: released persons are anonymised once the period their unit sets is over;
their hours stay in the ledgers (pointing at the anonymous person), every action is
logged, and a dry run changes nothing."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import APIToken

from courses.models import StudyHoursEntry
from portal.ops.models import RetentionLogEntry, RetentionPolicy
from portal.ops.retention import ANONYMOUS, retention_apply
from portal.people.models import ProhibitionOrder, Supervisee
from tests import factories as f

TODAY = datetime.date(2030, 6, 1)


def released(world, *, years_ago, unit=None, today=TODAY, **kwargs):
    on = today.replace(year=today.year - years_ago) - datetime.timedelta(days=1)
    return f.SuperviseeFactory(
        unit=unit or world.squad1, status=Supervisee.Status.RELEASED, released_on=on,
        term_start=on - datetime.timedelta(days=365), term_end=on,
        legal_name=kwargs.pop("legal_name", "刘释放"), alias="小刘",
        birth_date=datetime.date(1990, 1, 1), **kwargs)


def test_released_long_ago_is_anonymised_and_the_hours_stay(world, client, password):
    person = released(world, years_ago=6)
    StudyHoursEntry.objects.create(supervisee=person, kind="attendance", hours=Decimal("2"),
                                   credited_on=person.released_on)
    _row, token = APIToken.create_token(user=person.user, name="phone")
    recent = released(world, years_ago=4, legal_name="近期释放")
    planned = retention_apply(today=TODAY)
    assert [p.supervisee.pk for p in planned] == [person.pk]

    person.refresh_from_db()
    assert person.legal_name == ANONYMOUS and person.alias == "" and person.id_number == ""
    assert person.birth_date is None
    user = person.user
    user.refresh_from_db()
    assert user.username == f"anon-{user.pk}" and not user.is_active
    assert not user.has_usable_password()
    assert APIToken.objects.get(user=user).revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    # The ledger keeps its rows: unit figures still add up.
    assert StudyHoursEntry.objects.get(supervisee=person).hours == Decimal("2")
    entry = RetentionLogEntry.objects.get(supervisee=person)
    assert entry.action == "anonymised" and "legal name" in entry.what
    assert "+ 5 years" in entry.rule
    recent.refresh_from_db()
    assert recent.legal_name == "近期释放"


def test_people_still_under_correction_are_never_touched(world):
    world.supervisee.released_on = TODAY.replace(year=2000)  # inconsistent, but not released
    world.supervisee.save()
    assert retention_apply(today=TODAY) == []
    world.supervisee.refresh_from_db()
    assert world.supervisee.legal_name == "李明"


def test_the_unit_sets_the_period_and_sub_units_inherit_it(world):
    RetentionPolicy.objects.create(unit=world.bureau, years_after_release=10)
    kept = released(world, years_ago=6, unit=world.squad1, legal_name="县局规则")
    RetentionPolicy.objects.create(unit=world.squad2, years_after_release=2)
    due = released(world, years_ago=3, unit=world.squad2, legal_name="中队规则")
    planned = retention_apply(today=TODAY)
    assert [p.supervisee.pk for p in planned] == [due.pk]
    kept.refresh_from_db()
    assert kept.legal_name == "县局规则"
    assert "+ 2 years" in RetentionLogEntry.objects.get(supervisee=due).rule


def test_court_orders_are_removed_and_the_removal_logged(world):
    person = released(world, years_ago=7)
    ProhibitionOrder.objects.create(supervisee=person, kind="place", description="不得进入酒吧",
                                    starts_on=person.term_start)
    retention_apply(today=TODAY)
    assert not ProhibitionOrder.objects.filter(supervisee=person).exists()
    removed = RetentionLogEntry.objects.get(supervisee=person, action="removed")
    assert removed.what == "1 prohibition orders"


def test_dry_run_changes_and_logs_nothing_and_a_second_run_is_idle(world):
    person = released(world, years_ago=6, today=timezone.localdate())
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"Would anonymise person #{person.pk}" in out.getvalue()
    assert "刘释放" not in out.getvalue()  # the log of the run names no one
    person.refresh_from_db()
    assert person.legal_name == "刘释放"
    assert not RetentionLogEntry.objects.exists()
    call_command("apply_retention", stdout=StringIO())
    person.refresh_from_db()
    assert person.legal_name == ANONYMOUS
    assert RetentionLogEntry.objects.count() == 1
    again = StringIO()
    call_command("apply_retention", stdout=again)
    assert "Anonymised 0 person(s)." in again.getvalue()
    assert RetentionLogEntry.objects.count() == 1


def test_the_scheduled_task_applies_the_rule(world):
    from portal.ops.tasks import apply_retention_task

    person = released(world, years_ago=6, today=timezone.localdate())
    result = apply_retention_task.enqueue()  # the immediate backend in tests
    assert result.return_value == 1
    person.refresh_from_db()
    assert person.legal_name == ANONYMOUS


def test_the_retention_log_is_append_only(world):
    from portal.appendonly import AppendOnlyError

    person = released(world, years_ago=6)
    retention_apply(today=TODAY)
    entry = RetentionLogEntry.objects.get(supervisee=person)
    entry.what = "nothing"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        RetentionLogEntry.objects.all().delete()
