"""The volunteering demo: load_demo brings it along; `volunteering_demo` runs it again and
changes nothing the second time."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from volunteering.models import (
    Activity,
    Certificate,
    HoursConfirmation,
    HoursCorrectionRequest,
    HoursEntry,
    Signup,
)


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def counts():
    return {m.__name__: m.objects.count() for m in (
        Activity, Signup, HoursEntry, HoursConfirmation, HoursCorrectionRequest, Certificate)}


def test_demo_county_has_service_history_and_a_second_run_changes_nothing(db, debug):
    call_command("load_demo", stdout=StringIO())
    first = counts()
    assert first["Activity"] >= 18 and first["HoursEntry"] > 50
    themes = set(Activity.objects.values_list("theme__code", flat=True))
    assert themes == {"patrol", "legal-publicity", "elderly-care", "civility", "clean-up"}
    assert set(Activity.objects.values_list("status", flat=True)) == {
        "draft", "published", "completed", "cancelled"}
    assert Signup.objects.filter(status="waitlisted").exists()
    assert HoursEntry.objects.filter(reverses__isnull=False).exists()
    assert first["HoursConfirmation"] > 0 and first["HoursCorrectionRequest"] == 1
    released = Certificate.objects.get(supervisee__user__username="released")
    # One record across organisations, each certifying what it recorded; no corrections
    # body certifies anything, and the squad's volunteer service names its recorder.
    certifiers = {line.organisation_name: line.hours for line in released.lines.all()}
    assert "青禾县逐光志愿服务队" in certifiers and len(certifiers) >= 2
    assert released.hours == sum(certifiers.values())
    assert not Activity.objects.filter(kind="volunteer_service", unit__isnull=False,
                                       recording_organisation__isnull=True).exists()
    # Never a juvenile on a partner's activity, never an excluded person anywhere.
    assert not Signup.objects.filter(supervisee__is_juvenile=True,
                                     activity__organisation__isnull=False).exists()
    assert not Signup.objects.filter(supervisee__user__username="supervisee",
                                     activity__venue_type__code="bar").exists()
    # The demo accounts have something to show.
    mine = HoursEntry.objects.filter(supervisee__user__username="supervisee")
    assert mine.aggregate(t=Sum("hours"))["t"] > 0
    assert Signup.objects.filter(supervisee__user__username="supervisee",
                                 activity__status="published").exists()

    out = StringIO()
    call_command("volunteering_demo", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert counts() == first


def test_refuses_without_the_county(db, debug):
    with pytest.raises(CommandError):
        call_command("volunteering_demo", stdout=StringIO())


def test_demo_aliases_are_unique_in_the_county():
    """Organisers see an alias instead of the name: two people must not share one."""
    import collections
    import datetime as _dt

    from portal.demo import people

    for today in (_dt.date(2026, 1, 15), _dt.date(2026, 11, 22), _dt.date(2027, 6, 30)):
        aliases = [p.alias for p in people.plan(today) if p.alias]
        assert aliases
        assert [a for a, n in collections.Counter(aliases).items() if n > 1] == []


@pytest.mark.parametrize("day", [8, 27, -1])  # -1: the day before the month's last
def test_every_demo_level_can_reach_its_target_this_month_and_next(db, day):
    """docs/domain.md rule 8: loaded on any day, the demo county offers every person in
    correction, of each management level, enough public-welfare activity to meet this
    month's target, and next month's (volunteering.selectors.month_targets)."""
    import datetime as _dt

    from django.utils import timezone

    from portal.demo.loader import load_demo
    from portal.people.models import Supervisee
    from volunteering.selectors import month_targets

    today = timezone.localdate()
    first = (today.replace(day=1) + _dt.timedelta(days=32)).replace(day=1)  # next month
    following = (first + _dt.timedelta(days=32)).replace(day=1)
    demo_day = first.replace(day=day) if day > 0 else following + _dt.timedelta(days=day - 1)
    load_demo(today=demo_day)
    tz = timezone.get_current_timezone()
    for moment in (_dt.datetime.combine(demo_day, _dt.time(7), tz),
                   _dt.datetime.combine(following, _dt.time(0, 30), tz)):
        found = month_targets(Supervisee.objects.all(), now=moment)
        levels = {p.level for p, t in found}
        assert levels == {"strict", "ordinary", "lenient"}
        assert any(p.is_juvenile for p, t in found)
        unreachable = [(p.legal_name, p.level, t.needed, t.open_hours)
                       for p, t in found if not t.reachable]
        assert unreachable == [], moment
        assert all(t.target is not None and t.needed > 0 for p, t in found
                   if p.user.username == "supervisee2")
