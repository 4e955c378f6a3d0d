"""The today list's rows (casework/today.py: values rows) are the rows the ORM gives for
the same sections as model instances, for every kind of viewer; and the page shows each
section as the template loops over those model instances show it, in both languages."""

import datetime
import re

import pytest
from django.db.models import Count, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.template import Context, Template
from django.utils import timezone, translation

from casework.models import HelpPlan
from casework.selectors import (
    HOURS,
    RELEASE_DAYS,
    TODAY_LIMIT,
    UNCONFIRMED_AFTER_DAYS,
    ZERO,
    behind_q,
    sum_subquery,
    targets,
    with_month_standing,
)
from casework.services import help_plan_save
from casework.today import today_rows
from helpnet.models import Referral
from portal.access import supervisees_visible_to
from portal.people.models import MonthHours, Supervisee
from volunteering.models import Certificate, HoursEntry, ServiceKind, UnconfirmedHours

pytestmark = pytest.mark.django_db


def _first_rows_and_total(qs, limit: int = TODAY_LIMIT) -> tuple[list, int]:
    """The first `limit` rows of `qs` and how many rows it has, in one query: the total
    rides on every row as a window count over the whole (unlimited) result, so the
    filter is computed once rather than once for the rows and again for a COUNT."""
    rows = list(qs.annotate(xy_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].xy_total if rows else 0)


def reference_today_list(visible, *, today: datetime.date | None = None, now=None,
               level_targets=None) -> dict:
    """The today list as the ORM builds it, model instances and all (what the page used
    before casework/today.py)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    active = visible.filter(status=Supervisee.Status.IN_CORRECTION)

    behind = (with_month_standing(active, today=today, level_targets=level_targets)
              .filter(behind_q())
              .select_related("unit").order_by("legal_name", "pk"))
    behind_rows, behind_count = _first_rows_and_total(behind)

    week_ago = now - datetime.timedelta(days=UNCONFIRMED_AFTER_DAYS)
    # The entries waiting for confirmation are a list of their own (portal/rollups.py),
    # so this reads the few waiting rows of these people, not every entry they have.
    unconfirmed_ids = (UnconfirmedHours.objects.filter(supervisee__in=visible.values("pk"),
                                                       recorded_at__lt=week_ago)
                       .values("entry_id"))
    unconfirmed = (HoursEntry.objects.filter(pk__in=unconfirmed_ids)
                   .select_related("supervisee", "organisation", "unit")
                   .order_by("recorded_at", "pk"))
    unconfirmed_rows, unconfirmed_count = _first_rows_and_total(unconfirmed)

    overdue = (Referral.objects.overdue(now).filter(supervisee__in=visible.values("pk"))
               .select_related("supervisee", "service__organisation")
               .order_by("consent_at", "pk"))
    overdue_rows, overdue_count = _first_rows_and_total(overdue)

    volunteer = MonthHours.objects.filter(supervisee=OuterRef("pk"))
    # The record in force: the newest neither revoked nor replaced (each lists all hours).
    certified = (Certificate.objects.in_force().filter(supervisee=OuterRef("pk"))
                 .order_by("-issued_at", "-pk").values("hours")[:1])
    releasing = (
        active.filter(term_end__range=(today, today + datetime.timedelta(days=RELEASE_DAYS)))
        .annotate(volunteer_hours=sum_subquery(volunteer, "volunteer"),
                  certified_hours=Coalesce(Subquery(certified, output_field=HOURS),
                                             Value(ZERO), output_field=HOURS))
        .select_related("unit").order_by("term_end", "pk"))
    releasing_rows, releasing_count = _first_rows_and_total(releasing)
    for p in releasing_rows:
        p.certificate_to_issue = p.volunteer_hours > p.certified_hours
        p.days_left_n = (p.term_end - today).days
    reviews = (HelpPlan.objects.filter(supervisee__in=active.values("pk"),
                                       review_on__lte=today)
               .select_related("supervisee").order_by("review_on", "pk"))
    reviews_rows, reviews_count = _first_rows_and_total(reviews)
    return {
        "reviews": reviews_rows, "reviews_count": reviews_count,
        "behind": behind_rows, "behind_count": behind_count,
        "unconfirmed": unconfirmed_rows, "unconfirmed_count": unconfirmed_count,
        "overdue": overdue_rows, "overdue_count": overdue_count,
        "releasing": releasing_rows, "releasing_count": releasing_count,
        "today": today,
    }

# Each section's rows as a loop over the ORM's model instances (the list under the
# section's name).
LOOPS = {
    "behind": ("""{% load i18n xy_tags %}{% for p in behind %}<tr><td><a href="{% url 'casework:person' p.pk %}">{{ p.legal_name }}</a> <span class="tag {{ p.level }}">{{ p.get_level_display }}</span></td>
      <td>{{ p.study_month|short_number }} / {{ p.study_expected|short_number }}</td><td>{{ p.service_month|short_number }}{% if p.service_planned %} <span class="muted">{% blocktranslate with n=p.service_planned|short_number %}+ {{ n }} signed up{% endblocktranslate %}</span>{% endif %} / {{ p.service_expected|short_number }}</td><td>{{ p.unit }}</td></tr>{% endfor %}"""),
    "unconfirmed": ("""{% load i18n xy_tags %}{% for e in unconfirmed %}<tr><td><a href="{% url 'casework:person' e.supervisee_id %}">{{ e.supervisee.legal_name }}</a></td><td>{{ e.hours|short_number:2 }} · {{ e.get_kind_display }}</td><td>{{ e.service_date|date:"Y-m-d" }}</td><td>{{ e.recorder_name }}</td></tr>{% endfor %}"""),
    "overdue": ("""{% load i18n xy_tags %}{% for r in overdue %}<li><a href="{% url 'casework:person' r.supervisee_id %}">{{ r.supervisee.legal_name }}</a> · {{ r.service }} · <span class="muted">{% blocktranslate with date=r.consent_at|date:"Y-m-d" %}waiting for the provider since {{ date }}{% endblocktranslate %}</span></li>{% endfor %}"""),
    "reviews": ("""{% load i18n xy_tags %}{% for plan in reviews %}<li><a href="{% url 'casework:plan_edit' plan.supervisee_id %}">{{ plan.supervisee.legal_name }}</a> · <span class="muted">{% blocktranslate with date=plan.review_on|date:"Y-m-d" %}review was due {{ date }}{% endblocktranslate %}</span></li>{% endfor %}"""),
    "releasing": ("""{% load i18n xy_tags %}{% for p in releasing %}<tr><td><a href="{% url 'casework:person' p.pk %}">{{ p.legal_name }}</a></td><td>{{ p.term_end|date:"Y-m-d" }} <span class="muted">({% blocktranslate count days=p.days_left_n %}{{ days }} day{% plural %}{{ days }} days{% endblocktranslate %})</span></td><td>{{ p.volunteer_hours|short_number }}</td>
      <td>{% if p.certificate_to_issue %}<span class="tag strict">{% translate "to issue" %}</span>{% else %}—{% endif %}</td></tr>{% endfor %}"""),
}


def _markup(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


def _crowd(world, build):
    """One row or more in every section, for the caseworker's squad; a juvenile assigned
    to another caseworker and a sealed file, which a caseworker must not see."""
    cw = world.users["caseworker"]
    late = build.person(legal_name="孙<滞后>")
    old = timezone.now() - datetime.timedelta(days=10)
    build.service(late, 2.5, confirmed=False, recorded_at=old,
                  day=timezone.localdate() - datetime.timedelta(days=10))
    build.service(late, 1, kind=ServiceKind.VOLUNTEER_SERVICE, confirmed=False,
                  recorded_at=old, day=timezone.localdate() - datetime.timedelta(days=9))
    build.referral(late, consent_days_ago=30)
    for days in (1, 10):
        leaving = build.person(legal_name=f"周将解矫{days}",
                               term_end=timezone.localdate() + datetime.timedelta(days=days))
        build.service(leaving, 6, kind=ServiceKind.VOLUNTEER_SERVICE)
    help_plan_save(supervisee=late, changed_by=cw, goals="目标",
                   review_on=timezone.localdate() - datetime.timedelta(days=1))
    hidden = build.person(legal_name="钱少年", is_juvenile=True,
                          caseworker=world.users["other_caseworker"])
    sealed = build.person(legal_name="吴封存", is_sealed=True)
    for person in (hidden, sealed, world.other_supervisee):
        build.service(person, 1, confirmed=False, recorded_at=old)
        build.referral(person, consent_days_ago=30)
        help_plan_save(supervisee=person, changed_by=cw, goals="目标",
                       review_on=timezone.localdate() - datetime.timedelta(days=2))
    return late


def _as_rows(reference: dict) -> dict:
    """The reference's model instances as the page's rows."""
    return {
        "behind": [(p.pk, p.legal_name, p.level, p.study_month, p.study_expected,
                    p.service_month, p.service_planned, p.service_expected, p.unit.name)
                   for p in reference["behind"]],
        "unconfirmed": [(e.supervisee_id, e.supervisee.legal_name, e.hours, e.kind,
                         e.service_date, e.recorder_name) for e in reference["unconfirmed"]],
        "overdue": [(r.pk, r.supervisee_id, r.supervisee.legal_name, str(r.service), r.status,
                     r.consent_at) for r in reference["overdue"]],
        "reviews": [(plan.supervisee_id, plan.supervisee.legal_name, plan.review_on)
                    for plan in reference["reviews"]],
        "releasing": [(p.pk, p.legal_name, p.term_end, p.days_left_n, p.volunteer_hours,
                       p.certified_hours, p.certificate_to_issue, p.unit.name)
                      for p in reference["releasing"]],
    }


SECTIONS = ("behind", "unconfirmed", "overdue", "reviews", "releasing")


@pytest.mark.parametrize("who,mine", [("caseworker", False), ("caseworker", True),
                                      ("other_caseworker", False), ("unit_admin", False),
                                      ("unit_admin", True), ("superuser", False)])
def test_rows_are_the_orms_rows_for_every_viewer(world, build, who, mine):
    _crowd(world, build)
    user = world.users[who]
    now = timezone.now()
    level_targets = targets()
    rows = today_rows(user, mine=mine, now=now, level_targets=level_targets)
    visible = supervisees_visible_to(user)
    if mine:
        visible = visible.filter(caseworker=user)
    reference = reference_today_list(visible, now=now, level_targets=level_targets)
    expected = _as_rows(reference)
    for name in SECTIONS:
        assert [tuple(row) for row in rows[name]] == expected[name], name
        assert rows[f"{name}_count"] == reference[f"{name}_count"], name
    if who == "caseworker" and not mine:
        assert all(rows[name] for name in SECTIONS)  # the test compares something
        names = {row.legal_name for name in SECTIONS for row in rows[name]}
        assert "钱少年" not in names and "吴封存" not in names
    if who == "unit_admin" and not mine:
        assert "吴封存" in {row.legal_name for row in rows["reviews"]}


def test_rows_follow_people_who_move_change_caseworker_or_are_sealed(world, build):
    """The waiting hours are found by their copies of the person's unit, caseworker and
    flags (volunteering.0008): after a person moves squad, gets another caseworker, turns
    out a juvenile or has the file sealed, every viewer's list is still the ORM's."""
    late = _crowd(world, build)
    level_targets = targets()
    now = timezone.now()

    def same_for_everyone():
        for who in ("caseworker", "other_caseworker", "unit_admin"):
            user = world.users[who]
            for mine in (False, True):
                rows = today_rows(user, mine=mine, now=now, level_targets=level_targets)
                visible = supervisees_visible_to(user)
                if mine:
                    visible = visible.filter(caseworker=user)
                reference = reference_today_list(visible, now=now,
                                                 level_targets=level_targets)
                assert [tuple(r) for r in rows["unconfirmed"]] == _as_rows(reference)[
                    "unconfirmed"], (who, mine)
                assert rows["unconfirmed_count"] == reference["unconfirmed_count"]

    def waiting(who):
        rows = today_rows(world.users[who], mine=False, now=now, level_targets=level_targets)
        return {row.supervisee_id for row in rows["unconfirmed"]}

    same_for_everyone()
    assert late.pk in waiting("caseworker") and late.pk not in waiting("other_caseworker")
    late.unit = world.squad2
    late.caseworker = world.users["other_caseworker"]
    late.save()
    same_for_everyone()
    assert late.pk not in waiting("caseworker") and late.pk in waiting("other_caseworker")
    Supervisee.objects.filter(pk=late.pk).update(unit=world.squad1, is_juvenile=True)
    same_for_everyone()
    assert late.pk not in waiting("caseworker")  # another caseworker's juvenile
    Supervisee.objects.filter(pk=late.pk).update(is_juvenile=False, is_sealed=True,
                                                 caseworker=world.users["caseworker"])
    same_for_everyone()
    assert late.pk not in waiting("caseworker") and late.pk in waiting("unit_admin")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_shows_each_section_as_the_orms_rows_would(world, build, login, language):
    cw = world.users["caseworker"]
    _crowd(world, build)
    client = login(cw)
    with translation.override(language):
        response = client.get("/casework/today/", headers={"accept-language": language})
        page = _markup(response.content.decode())
        reference = reference_today_list(supervisees_visible_to(cw), level_targets=targets())
        for name, loop in LOOPS.items():
            assert reference[name], name
            rows = _markup(Template(loop).render(Context({name: reference[name]})))
            assert rows in page, name
    assert "孙&lt;滞后&gt;" in page


def test_figures_come_as_decimals_and_counts_as_ints(world, build):
    """A figure is a Decimal and a count an int on every database (a float would compare
    equal to the ORM's Decimal)."""
    from decimal import Decimal

    _crowd(world, build)
    now, level_targets = timezone.now(), targets()
    rows = today_rows(world.users["caseworker"], mine=False, now=now,
                      level_targets=level_targets)
    assert rows["behind"] and rows["releasing"] and rows["unconfirmed"]
    for p in rows["behind"]:
        assert {type(v) for v in (p.study_month, p.study_expected, p.service_month,
                                  p.service_planned, p.service_expected)} == {Decimal}
    for p in rows["releasing"]:
        assert type(p.volunteer_hours) is Decimal and type(p.certified_hours) is Decimal
    for e in rows["unconfirmed"]:
        assert type(e.hours) is Decimal and type(e.service_date) is datetime.date
    assert {type(rows[f"{name}_count"]) for name in SECTIONS} == {int}
