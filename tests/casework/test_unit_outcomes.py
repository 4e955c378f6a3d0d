"""A unit's outcome figures (casework/outcomes.py: aggregates joined to the person and
read from the roll-ups) are the figures the plain per-person ORM reads give (reference_outcomes below, the code the
dashboard and its reports used), for every kind of viewer, unit and period, over data
with several units and levels of them, people moving unit and changing status,
corrections, sealed files, juveniles, and months inside and outside the period."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import outcomes as fast
from casework.selectors import (
    ZERO,
    Outcomes,
    UnitRow,
    _as_date,
    _no_outcome_label,
    add_months,
    unit_outcomes,
)
from courses.models import Enrolment
from employment.models import FollowUp, Placement
from helpnet.models import Referral
from portal.access import supervisees_visible_to
from portal.people.models import MonthHours, Supervisee
from tests import factories as f
from tests.courses import factories as cf
from volunteering.models import ServiceKind

pytestmark = pytest.mark.django_db


def reference_outcomes(visible, unit, *, start: datetime.date, end: datetime.date) -> Outcomes:
    """The outcome figures worked out the long way, to check casework/outcomes.py
    against: `unit` and the units below it over [start, end], counting only the people
    in `visible` (the viewer's scope), folded in Python. Study and service hours count
    whole months (`start` is a month's first day; the month of `end` counts whole)."""
    from portal.organisations.models import Unit

    people = visible.filter(unit.subtree_q("unit__"))
    ids = people.values("pk")
    start_dt = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    end_dt = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1),
                                                           datetime.time.min))
    months = []
    m = start.replace(day=1)
    while m <= end:
        months.append(m)
        m = add_months(m, 1)

    # Per sub-unit: the unit itself and its children, each with everything below it.
    children = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
                    .order_by("path"))
    rows = [UnitRow(unit=unit)] + [UnitRow(unit=c, depth=1) for c in children]

    def fold(path, value, attr):
        if value is None:
            return
        rows[0].__dict__[attr] += value
        for row in rows[1:]:
            if path.startswith(row.unit.path):
                row.__dict__[attr] += value
                break

    figures = {"in_correction": 0, "released": 0, "juveniles": 0}
    for path, status, juvenile, n in (
            people.values("unit__path", "status", "is_juvenile").annotate(n=Count("pk"))
            .order_by().values_list("unit__path", "status", "is_juvenile", "n")):
        if status == Supervisee.Status.IN_CORRECTION:
            figures["in_correction"] += n
            figures["juveniles"] += n if juvenile else 0
        elif status == Supervisee.Status.RELEASED:
            figures["released"] += n
        if status in (Supervisee.Status.IN_CORRECTION, Supervisee.Status.RELEASED):
            fold(path, n, "in_help")
    figures["in_help"] = figures["in_correction"] + figures["released"]

    def by_month_and_unit(qs, when, total, attr, *extra):
        """{month: total} (or {month: {extra: total}}), folding each row into the units."""
        result: dict = {}
        for m, path, *key, value in (
                qs.annotate(m=TruncMonth(when)).values("m", "supervisee__unit__path", *extra)
                .annotate(v=total).order_by()
                .values_list("m", "supervisee__unit__path", *extra, "v")):
            fold(path, value, attr)
            if m is None:
                continue
            month = _as_date(m).replace(day=1)
            if extra:
                inner = result.setdefault(month, {})
                inner[key[0]] = inner.get(key[0], ZERO) + (value or ZERO)
            else:
                result[month] = result.get(month, 0) + (value or 0)
        return result

    completed = Enrolment.objects.filter(supervisee__in=ids,
                                         status=Enrolment.Status.COMPLETED,
                                         completed_at__gte=start_dt, completed_at__lt=end_dt)
    completions = by_month_and_unit(completed, "completed_at", Count("pk"), "completions")
    # Study and service hours from the ledgers' monthly roll-up: one row per person and
    # month (portal/rollups.py) rather than every entry.
    study: dict = {}
    service: dict = {}
    for m, path, hours, public_welfare, volunteer in (
            MonthHours.objects.filter(supervisee__in=ids,
                                      month__range=(start.replace(day=1), end))
            .values("month", "supervisee__unit__path")
            .annotate(h=Sum("study"), pw=Sum("public_welfare"), v=Sum("volunteer"))
            .order_by().values_list("month", "supervisee__unit__path", "h", "pw", "v")):
        month = _as_date(m)
        fold(path, hours, "study")
        fold(path, public_welfare + volunteer, "service")
        study[month] = study.get(month, ZERO) + hours
        kinds = service.setdefault(month, {})
        kinds[ServiceKind.PUBLIC_WELFARE] = kinds.get(ServiceKind.PUBLIC_WELFARE,
                                                      ZERO) + public_welfare
        kinds[ServiceKind.VOLUNTEER_SERVICE] = kinds.get(ServiceKind.VOLUNTEER_SERVICE,
                                                         ZERO) + volunteer
    placement_qs = Placement.objects.filter(supervisee__in=ids,
                                            started_on__range=(start, end))
    placements = by_month_and_unit(placement_qs, "started_on", Count("pk"), "placed")
    follow = FollowUp.objects.filter(placement__supervisee__in=ids, day=90,
                                     completed_at__isnull=False,
                                     completed_at__gte=start_dt, completed_at__lt=end_dt
                                     ).aggregate(n=Count("pk"),
                                                 still=Count("pk", filter=Q(still_employed=True)))
    closed = Referral.objects.filter(supervisee__in=ids, status=Referral.Status.CLOSED,
                                     closed_at__gte=start_dt,
                                     closed_at__lt=end_dt)
    by_outcome: dict = {}
    for outcome, path, n in (closed.values("outcome", "supervisee__unit__path")
                             .annotate(n=Count("pk")).order_by()
                             .values_list("outcome", "supervisee__unit__path", "n")):
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
        fold(path, n, "referrals_closed")
    outcome_rows = [(label, by_outcome.get(value, 0))
                    for value, label in Referral.Outcome.choices]
    if by_outcome.get(""):
        outcome_rows.append((_no_outcome_label(), by_outcome[""]))
    referrals_open = Referral.objects.open().filter(supervisee__in=ids).count()

    return Outcomes(
        unit=unit, start=start, end=end, months=months, people=figures,
        completions=completions, study=study,
        service=service, placements=placements, placed=sum(placements.values()),
        followed_90=follow["n"], employed_90=follow["still"], referrals_open=referrals_open,
        referral_outcomes=outcome_rows, referrals_closed=sum(by_outcome.values()),
        unit_rows=rows,
    )




def _completed(person, course_title, when, unit):
    course = cf.course_create(title=course_title, unit=unit)
    return Enrolment.objects.create(supervisee=person, course=course, status="completed",
                                    completed_at=when)


@pytest.fixture
def varied(world, build):
    """Several units (a team under squad 1, a person of the bureau itself), every status,
    juveniles of two caseworkers, a sealed file, corrections, months in and out of the
    period, and people who moved unit or changed status after their rows were written."""
    today = timezone.localdate()
    team = f.unit_create("第一中队一组", kind="squad", parent=world.squad1)
    world.squad1.refresh_from_db()
    other_cw = world.users["other_caseworker"]
    people = [
        world.supervisee, world.other_supervisee, world.juvenile,
        build.person(legal_name="甲组员", unit=team),
        build.person(legal_name="乙局内", unit=world.bureau),
        build.person(legal_name="丙解矫", status=Supervisee.Status.RELEASED),
        build.person(legal_name="丁期满", status=Supervisee.Status.CLOSED, unit=world.squad2,
                     caseworker=other_cw),
        build.person(legal_name="戊少年", is_juvenile=True, unit=world.squad1,
                     caseworker=other_cw),
        build.person(legal_name="己封存", is_sealed=True),
        build.person(legal_name="庚二队少年", is_juvenile=True, unit=world.squad2,
                     caseworker=other_cw),
    ]
    outcomes = ["achieved", "partly", "not_achieved", "dropped_out", ""]
    for i, person in enumerate(people):
        for back in (0, 1, 3, 11, 12, 14):  # months back; 12 and 14 fall outside
            day = add_months(today.replace(day=1), -back) + datetime.timedelta(days=i % 5)
            day = min(day, today)
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, i)))
            if (i + back) % 2 == 0:
                _completed(person, f"课程{i}-{back}", moment, world.bureau)
            build.study(person, 2 + i, day)
            build.service(person, 3, day)
            build.service(person, 1.5, day, kind=ServiceKind.VOLUNTEER_SERVICE,
                          confirmed=bool(i % 2))
            if back in (1, 11):
                build.study(person, -1, day)  # a correction
                build.service(person, -0.5, day)
            if (i + back) % 3 == 0:
                placement = build.placement(person, started_on=day,
                                            still_employed_90=bool((i + back) % 2))
                FollowUp.objects.filter(placement=placement).update(completed_at=moment)
            if (i + back) % 3 == 1:
                build.referral(person, status=Referral.Status.CLOSED, consent_days_ago=1,
                               closed_at=moment, outcome=outcomes[(i + back) % 5])
        build.referral(person, consent_days_ago=2)
        if i % 3 == 0:
            build.referral(person, status=Referral.Status.DECLINED, consent_days_ago=2)
            build.referral(person, status=Referral.Status.IN_PROGRESS, consent_days_ago=2)
    # Moves and status changes after the rows were written: the figures follow the
    # person's unit and status as they are now.
    Supervisee.objects.filter(pk=people[1].pk).update(unit=team)
    Supervisee.objects.filter(pk=people[3].pk).update(unit=world.squad2)
    Supervisee.objects.filter(pk=people[5].pk).update(status=Supervisee.Status.CLOSED)
    Supervisee.objects.filter(pk=people[0].pk).update(status=Supervisee.Status.RELEASED)
    world.team = team
    return world


VIEWERS = [("unit_admin", "bureau"), ("unit_admin", "squad1"), ("unit_admin", "team"),
           ("unit_admin", "squad2"), ("caseworker", "squad1"), ("caseworker", "team"),
           ("other_caseworker", "squad2"), ("superuser", "bureau"), ("superuser", "squad1")]


def _periods():
    today = timezone.localdate()
    first = today.replace(day=1)
    last_month = add_months(first, -1)
    quarter = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return [(add_months(first, -11), today),  # the dashboard's
            (last_month, first - datetime.timedelta(days=1)),  # a month's report
            (quarter, add_months(quarter, 3) - datetime.timedelta(days=1)),  # a quarter's
            (add_months(first, -14), add_months(first, -12)),  # before the dashboard's
            (add_months(first, -3) + datetime.timedelta(days=9), today)]  # not a first


def _shown(outcomes: Outcomes) -> Outcomes:
    """The figures as every page and report shows them: a month with no hours is a month
    of zero hours (the people's months are read summed by unit since
    portal/rollups.py's people_unitmonthhours, which may hold a row of zeros where
    people moved away, and had no row where the people's own rows summed to zero)."""
    import dataclasses

    return dataclasses.replace(
        outcomes, study={m: v for m, v in outcomes.study.items() if v},
        service={m: kinds for m, kinds in outcomes.service.items() if any(kinds.values())})


@pytest.mark.parametrize("who,where", VIEWERS)
def test_figures_are_the_orms_for_every_viewer_unit_and_period(varied, who, where):
    user = varied.users[who]
    unit = getattr(varied, where)
    unit.refresh_from_db()
    visible = supervisees_visible_to(user)
    for start, end in _periods():
        expected = reference_outcomes(visible, unit, start=start, end=end)
        with CaptureQueriesContext(connection) as ctx:
            got = unit_outcomes(user, unit, start=start, end=end)
        assert _shown(got) == _shown(expected), (who, where, start, end)
        assert got.study_total == expected.study_total
        # Over whole months the completions come with the units' months: one statement
        # fewer.
        whole = start.day == 1 and (end + datetime.timedelta(days=1)).day == 1 or (
            start.day == 1 and end == timezone.localdate())
        assert len(ctx.captured_queries) == len(fast.READS) - whole, (start, end)


@pytest.mark.parametrize("who,where", VIEWERS)
def test_the_unit_selector_gives_the_units_shown(varied, who, where):
    """The dashboard's unit options are units_for_dashboard's for every viewer, and the
    units shown come from the same rows (one statement more than the figures)."""
    from portal.access import units_for_dashboard

    user = varied.users[who]
    unit = getattr(varied, where)
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -11)
    expected = list(units_for_dashboard(user).order_by("path").values_list("pk", "name"))
    with CaptureQueriesContext(connection) as ctx:
        outcomes, options = fast.unit_outcomes_and_choices(user, unit, start=start, end=today)
    assert options == expected and len(expected) >= 1
    assert _shown(outcomes) == _shown(unit_outcomes(user, unit, start=start, end=today))
    # The figures' statements less the courses completed (they come with the hours) and
    # the units shown (they come with the options), and the options.
    assert len(ctx.captured_queries) == len(fast.READS) - 3 + 1
    if who == "superuser":
        assert len(expected) > 3  # every unit, other counties' too


def test_a_unit_outside_the_viewers_units_is_still_read_for_its_figures(varied):
    """The units shown come from the viewer's options; a unit not among them (the views
    never ask for one: _dashboard_unit refuses it) still gets its own children and
    figures, read as ever, and the options stay the viewer's."""
    from portal.access import units_for_dashboard
    from portal.organisations.models import Unit

    user = varied.users["caseworker"]
    mine = set(units_for_dashboard(user).values_list("pk", flat=True))
    other = Unit.objects.exclude(pk__in=mine).filter(numchild__gt=0).first()
    assert other is not None
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -11)
    outcomes, options = fast.unit_outcomes_and_choices(user, other, start=start, end=today)
    assert {pk for pk, _name in options} == mine
    expected = reference_outcomes(supervisees_visible_to(user), other, start=start, end=today)
    assert _shown(outcomes) == _shown(expected)
    assert [r.unit.pk for r in outcomes.unit_rows] == [r.unit.pk for r in expected.unit_rows]
    assert len(outcomes.unit_rows) > 1


def test_the_varied_data_gives_figures_in_every_column(varied):
    """The comparison above compares something: the bureau's figures are all non-zero,
    the sub-units differ, and a caseworker sees less than the administrator."""
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -11)
    admin = unit_outcomes(varied.users["unit_admin"], varied.bureau, start=start, end=today)
    assert admin.completions_total and admin.placed and admin.followed_90
    assert admin.employed_90 and admin.referrals_open and admin.referrals_closed
    assert admin.study_total and admin.public_welfare_total and admin.volunteer_total
    assert admin.people["in_correction"] and admin.people["released"]
    assert admin.people["juveniles"]
    assert [r.unit.name for r in admin.unit_rows] == ["示范县司法局", "第一中队", "第二中队"]
    assert len({r.study for r in admin.unit_rows}) == 3
    assert _no_outcome_label() in dict(admin.referral_outcomes)
    caseworker = unit_outcomes(varied.users["caseworker"], varied.squad1, start=start,
                               end=today)
    assert 0 < caseworker.people["in_help"]
    squad1 = next(r for r in admin.unit_rows if r.unit == varied.squad1)
    assert caseworker.study_total < squad1.study
