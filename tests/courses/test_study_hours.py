"""The study-hours ledger: totals are sums of entries; corrections are new entries with
who and why; monthly targets come from the editable LevelTarget; caseworkers see who
is behind."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.models import AppendOnlyError, StudyHoursEntry
from portal.audit.models import AccessLogEntry
from portal.errors import ServiceError
from portal.people.models import LevelTarget
from tests import factories as f


def credit(person, hours, on=None, kind="attendance"):
    return StudyHoursEntry.objects.create(
        supervisee=person, kind=kind, hours=Decimal(hours),
        credited_on=on or timezone.localdate())


def test_month_total_is_the_sum_of_that_months_entries(world):
    person = world.supervisee
    today = timezone.localdate()
    credit(person, "2.0")
    credit(person, "1.5")
    credit(person, "9.0", on=today.replace(day=1) - datetime.timedelta(days=1))
    month = selectors.study_hours_month(person, today)
    assert month.done == Decimal("3.5") and month.target == Decimal("8")
    assert month.remaining == Decimal("4.5")
    assert len(month.entries) == 2
    # Without the entries (the "my courses" page), from the monthly roll-up: the same.
    quick = selectors.study_hours_month(person, today, with_entries=False)
    assert (quick.done, quick.target, quick.entries) == (Decimal("3.5"), Decimal("8"), [])
    last = selectors.study_hours_month(person, today.replace(day=1) - datetime.timedelta(days=1),
                                       with_entries=False)
    assert last.done == Decimal("9")
    nothing = selectors.study_hours_month(world.other_supervisee, today, with_entries=False)
    assert nothing.done == 0


def test_targets_follow_the_editable_level_setting(world):
    LevelTarget.objects.filter(level="ordinary").update(study_hours=Decimal("12"))
    assert selectors.study_hours_month(world.supervisee, timezone.localdate()).target == 12


def test_a_correction_is_a_new_entry_with_who_and_why(world):
    entry = credit(world.supervisee, "2.0")
    caseworker = world.users["caseworker"]
    correction = services.study_hours_correct(entry=entry, change=Decimal("-0.5"),
                                              corrected_by=caseworker, reason="迟到半小时")
    assert (correction.kind, correction.corrects, correction.recorded_by) == (
        "correction", entry, caseworker)
    assert correction.credited_on == entry.credited_on
    entry.refresh_from_db()
    assert entry.hours == Decimal("2.0")  # never edited
    assert selectors.study_hours_month(world.supervisee, timezone.localdate()).done == \
        Decimal("1.5")


@pytest.mark.parametrize("change, reason, code", [
    ("-3.0", "多扣了", "invalid_hours"),   # below zero
    ("0", "无变化", "invalid_hours"),
    ("1.0", "  ", "reason_required"),
])
def test_bad_corrections_change_nothing(world, change, reason, code):
    entry = credit(world.supervisee, "2.0")
    with pytest.raises(ServiceError) as refused:
        services.study_hours_correct(entry=entry, change=Decimal(change),
                                     corrected_by=world.users["caseworker"], reason=reason)
    assert refused.value.code == code
    assert StudyHoursEntry.objects.count() == 1


def test_the_ledger_refuses_edits_and_deletes(world):
    entry = credit(world.supervisee, "2.0")
    entry.hours = Decimal("20")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        StudyHoursEntry.objects.filter(pk=entry.pk).update(hours=Decimal("20"))


def test_the_database_refuses_an_unexplained_correction(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyHoursEntry.objects.create(supervisee=world.supervisee, kind="correction",
                                       hours=Decimal("-1"), credited_on=timezone.localdate())


@pytest.mark.postgres
def test_postgres_refuses_raw_updates_to_the_ledger(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger exists on PostgreSQL only.")
    entry = credit(world.supervisee, "2.0")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE courses_studyhoursentry SET hours = 9 WHERE id = %s",
                       [entry.pk])


def test_behind_this_month_pro_rata(world):
    today = timezone.localdate().replace(day=15)
    # ordinary target 8 → by the 15th of a 30/31-day month about 3.9–4.0 expected
    credit(world.supervisee, "1.0", on=today)
    credit(world.other_supervisee, "9.0", on=today)  # strict, 10: on track
    rows = selectors.behind_this_month(world.users["unit_admin"], today=today)
    names = [r.supervisee.legal_name for r in rows]
    assert "李明" in names and "王强" not in names
    assert "赵小军" in names  # the juvenile, seen by the unit administrator
    # a squad-2 caseworker sees only their own people
    assert selectors.behind_this_month(world.users["other_caseworker"], today=today) == []


def test_behind_page_and_history_are_logged_reads(world, login):
    client = login(world.users["caseworker"])
    page = client.get(reverse("courses:behind")).content.decode()
    assert "李明" in page and "王强" not in page
    client.get(reverse("courses:person_history", args=[world.supervisee.pk]))
    assert AccessLogEntry.objects.filter(supervisee=world.supervisee,
                                         actor=world.users["caseworker"]).exists()


def test_caseworker_corrects_hours_from_the_history_page(world, login):
    entry = credit(world.supervisee, "2.0")
    client = login(world.users["caseworker"])
    url = reverse("courses:hours_correct", args=[world.supervisee.pk])
    client.post(url, {"entry": entry.pk, "change": "-1.0", "reason": ""})
    assert StudyHoursEntry.objects.count() == 1
    client.post(url, {"entry": entry.pk, "change": "-1.0", "reason": "重复记录"})
    assert StudyHoursEntry.objects.filter(kind="correction", corrects=entry).count() == 1
    # another person's entry through this person's address: nothing
    other = credit(world.other_supervisee, "2.0")
    client.post(url, {"entry": other.pk, "change": "-1.0", "reason": "试试"})
    assert not StudyHoursEntry.objects.filter(corrects=other).exists()


def test_other_caseworkers_cannot_open_the_history(world, login):
    client = login(world.users["other_caseworker"])
    assert client.get(reverse("courses:person_history",
                              args=[world.supervisee.pk])).status_code == 404
    person = f.SuperviseeFactory(unit=world.squad2)
    assert client.get(reverse("courses:person_history", args=[person.pk])).status_code == 200
