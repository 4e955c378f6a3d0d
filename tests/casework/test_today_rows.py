"""The today list's rows (casework/today.py: kept statements, values rows) are the
rows the ORM gives for the same sections, for every kind of viewer; and its sections built
in Python (casework_tags) give the markup the template loops they replaced gave over
those model instances, in both languages."""

import datetime
import re

import pytest
from django.db.models import Count, OuterRef, Window
from django.template import Context, Template
from django.utils import timezone, translation

from portal.access import supervisees_visible_to
from casework.models import HelpPlan
from casework.selectors import (
    RELEASE_DAYS,
    TODAY_LIMIT,
    UNCONFIRMED_AFTER_DAYS,
    _sum_subquery,
    behind_q,
    targets,
    with_month_standing,
)
from casework.services import help_plan_save
from casework.today import today_rows
from helpnet.models import Referral
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
    certified = Certificate.objects.filter(supervisee=OuterRef("pk"), revoked_at__isnull=True)
    releasing = (
        active.filter(term_end__range=(today, today + datetime.timedelta(days=RELEASE_DAYS)))
        .annotate(volunteer_hours=_sum_subquery(volunteer, "volunteer"),
                  certified_hours=_sum_subquery(certified, "hours"))
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

# The loops as casework/today.html had them; each section's list is in the context under
# the same name.
LOOPS = {
    "behind": ("behind_rows", """{% load i18n xy_tags %}{% for p in behind %}<tr><td><a href="{% pk_url 'casework:person' p.pk %}">{{ p.legal_name }}</a> <span class="tag {{ p.level }}">{{ p.get_level_display }}</span></td>
      <td>{{ p.study_month|short_number }} / {{ p.study_expected|short_number }}</td><td>{{ p.service_month|short_number }} / {{ p.service_expected|short_number }}</td><td>{{ p.unit }}</td></tr>{% endfor %}"""),
    "unconfirmed": ("unconfirmed_rows", """{% load i18n xy_tags %}{% for e in unconfirmed %}<tr><td><a href="{% pk_url 'casework:person' e.supervisee_id %}">{{ e.supervisee.legal_name }}</a></td><td>{{ e.hours|short_number:2 }} · {{ e.get_kind_display }}</td><td>{{ e.service_date|date:"Y-m-d" }}</td><td>{{ e.recorder_name }}</td></tr>{% endfor %}"""),
    "overdue": ("overdue_items", """{% load i18n xy_tags %}{% for r in overdue %}<li><a href="{% pk_url 'casework:person' r.supervisee_id %}">{{ r.supervisee.legal_name }}</a> · {{ r.service }} · <span class="muted">{% blocktranslate with date=r.consent_at|date:"Y-m-d" %}waiting for the provider since {{ date }}{% endblocktranslate %}</span></li>{% endfor %}"""),
    "reviews": ("review_items", """{% load i18n xy_tags %}{% for plan in reviews %}<li><a href="{% pk_url 'casework:plan_edit' plan.supervisee_id %}">{{ plan.supervisee.legal_name }}</a> · <span class="muted">{% blocktranslate with date=plan.review_on|date:"Y-m-d" %}review was due {{ date }}{% endblocktranslate %}</span></li>{% endfor %}"""),
    "releasing": ("releasing_rows", """{% load i18n xy_tags %}{% for p in releasing %}<tr><td><a href="{% pk_url 'casework:person' p.pk %}">{{ p.legal_name }}</a></td><td>{{ p.term_end|date:"Y-m-d" }} <span class="muted">({% blocktranslate count days=p.days_left_n %}{{ days }} day{% plural %}{{ days }} days{% endblocktranslate %})</span></td><td>{{ p.volunteer_hours|short_number }}</td>
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
                    p.service_month, p.service_expected, p.unit.name)
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
    for _ in range(2):  # the first call prepares the statements, the second runs them kept
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
def test_python_sections_give_the_template_loops_markup(world, build, login, language):
    cw = world.users["caseworker"]
    _crowd(world, build)
    context = login(cw).get("/casework/today/").context
    for name in LOOPS:
        assert len(context[name]) >= 1, name
    reference = reference_today_list(supervisees_visible_to(cw), level_targets=targets())
    with translation.override(language):
        for name, (tag, loop) in LOOPS.items():
            old_markup = Template(loop).render(Context({name: reference[name]}))
            new_markup = Template("{% load casework_tags %}{% " + tag + " " + name + " %}"
                                  ).render(Context({name: context[name]}))
            assert _markup(new_markup) == _markup(old_markup), name
    assert "孙&lt;滞后&gt;" in Template("{% load casework_tags %}{% behind_rows behind %}"
                                        ).render(Context({"behind": context["behind"]}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_values_made_once_give_each_rows_own_text(language):
    """The sections turn a repeated value into text once (casework_tags._Texts): values
    equal as numbers but written differently (1.50 and 1.5, 2 and 2.0), a name with markup
    in it and another level further down still give each row what its own value gives."""
    from decimal import Decimal
    from html import escape

    from casework.templatetags.casework_tags import behind_rows, unconfirmed_rows
    from casework.today import Behind, Waiting
    from portal.templatetags.xy_tags import number_text

    people = [Behind(1, "甲&<乙>", "strict", Decimal("1.50"), Decimal("2"), Decimal("0.05"),
                     3, "一所<A>"),
              Behind(2, "丙'\"", "lenient", Decimal("1.5"), 2, Decimal("0.050"),
                     Decimal("3.0"), "一所<A>"),
              Behind(3, "丁", "strict", Decimal("0.04"), Decimal("2.00"), 0, Decimal("3.04"),
                     "二所")]
    day = datetime.date(2026, 11, 3)
    entries = [Waiting(1, "甲&<乙>", Decimal("1.255"), "volunteer_service", day, "站<1>"),
               Waiting(2, "丙", Decimal("1.2550"), "public_welfare", day, "站<1>"),
               Waiting(3, "丁", 1, "volunteer_service", day + datetime.timedelta(days=1), "")]
    with translation.override(language):
        one, two = number_text(), number_text(2)
        from portal.people.models import ManagementLevel

        levels = {"strict": ManagementLevel.STRICT.label,
                  "lenient": ManagementLevel.LENIENT.label}
        kinds = {"volunteer_service": ServiceKind.VOLUNTEER_SERVICE.label,
                 "public_welfare": ServiceKind.PUBLIC_WELFARE.label}
        got = str(behind_rows(people)), str(unconfirmed_rows(entries))
        wanted = ("".join(
            f'<tr><td><a href="/casework/{p.pk}/">{escape(p.legal_name)}</a> <span class='
            f'"tag {p.level}">{escape(str(levels[p.level]))}</span></td><td>'
            f"{one(p.study_month)} / {one(p.study_expected)}</td><td>{one(p.service_month)}"
            f" / {one(p.service_expected)}</td><td>{escape(p.unit_name)}</td></tr>"
            for p in people), "".join(
            f'<tr><td><a href="/casework/{e.supervisee_id}/">{escape(e.legal_name)}</a></td>'
            f"<td>{two(e.hours)} · {escape(str(kinds[e.kind]))}</td><td>"
            f"{e.service_date.isoformat()}</td><td>{escape(e.recorder_name)}</td></tr>"
            for e in entries))
    assert [re.sub(r'href="[^"]*/(\d+)/"', r'href="/casework/\1/"', text) for text in got] \
        == list(wanted)
    assert "1.5 / 2" in got[0] and "0.1 / 3" in got[0] and "1.26" in got[1]


# casework/today.html's content block as a template, before the page around the sections
# was written out in Python (casework_tags.today_page): the page must give its markup to
# the byte.
OLD_CONTENT = """{% load i18n casework_tags %}
<h1>{% translate "Today" %}</h1>
<form method="get" class="filters" aria-label="{% translate 'Whose people' %}">
  <p class="filter-field check"><input type="checkbox" name="mine" id="id_mine"{% if mine %} checked{% endif %}> <label for="id_mine">{% translate "Only people assigned to me" %}</label>
  <button type="submit">{% translate "Apply" %}</button>
  <a href="{% url 'casework:today_csv' %}{% if mine %}?mine=on{% endif %}">{% translate "Download this list (CSV)" %}</a></p>
</form>
<ul class="figures" aria-label="{% translate 'Today at a glance' %}">
  <li><a href="#behind-h"><span class="n">{{ behind_count }}</span>{% translate "behind this month" %}</a></li>
  <li><a href="#unconf-h"><span class="n">{{ unconfirmed_count }}</span>{% translate "hours unconfirmed for over a week" %}</a></li>
  <li><a href="#overdue-h"><span class="n">{{ overdue_count }}</span>{% translate "referrals overdue" %}</a></li>
  <li><a href="#rev-h"><span class="n">{{ reviews_count }}</span>{% translate "help plans due for review" %}</a></li>
  <li><a href="#rel-h"><span class="n">{{ releasing_count }}</span>{% translate "releases within 30 days" %}</a></li>
</ul>

<section class="card" aria-labelledby="behind-h">
  <h2 id="behind-h">{% translate "Behind on study or service this month" %}</h2>
  {% if behind %}<div class="table-wrap"><table>
    <thead><tr><th scope="col">{% translate "Name" %}</th><th scope="col">{% translate "Study hours: done / expected" %}</th><th scope="col">{% translate "Service hours: done / expected" %}</th><th scope="col">{% translate "Unit" %}</th></tr></thead>
    <tbody>{% behind_rows behind %}</tbody>
  </table></div>
  {% if behind_count > behind|length %}<p><a href="{% url 'people:list' %}?behind=on{% if mine %}&amp;mine=on{% endif %}">{% blocktranslate with n=behind_count %}See all {{ n }} in the caseload{% endblocktranslate %}</a></p>{% endif %}
  {% else %}<p class="muted">{% translate "Nobody is behind this month." %}</p>{% endif %}
</section>

<section class="card" aria-labelledby="unconf-h">
  <h2 id="unconf-h">{% translate "Hours waiting for confirmation for more than a week" %}</h2>
  {% if unconfirmed %}<div class="table-wrap"><table>
    <thead><tr><th scope="col">{% translate "Name" %}</th><th scope="col">{% translate "Hours" %}</th><th scope="col">{% translate "Service date" %}</th><th scope="col">{% translate "Recorded by" %}</th></tr></thead>
    <tbody>{% unconfirmed_rows unconfirmed %}</tbody>
  </table></div>
  <p><a href="{% url 'volunteering:hours_confirm' %}">{% translate "Confirm hours" %}</a></p>
  {% else %}<p class="muted">{% translate "No hours have waited more than a week." %}</p>{% endif %}
</section>

<section class="card" aria-labelledby="overdue-h">
  <h2 id="overdue-h">{% translate "Referrals overdue" %}</h2>
  {% if overdue %}<ul class="list-plain">{% overdue_items overdue %}</ul>
  {% else %}<p class="muted">{% translate "No referral is overdue." %}</p>{% endif %}
</section>

<section class="card" aria-labelledby="rev-h">
  <h2 id="rev-h">{% translate "Help plans due for review" %}</h2>
  {% if reviews %}<ul class="list-plain">{% review_items reviews %}</ul>
  {% else %}<p class="muted">{% translate "No help plan is due for review." %}</p>{% endif %}
</section>

<section class="card" aria-labelledby="rel-h">
  <h2 id="rel-h">{% translate "Releases within 30 days" %}</h2>
  {% if releasing %}<div class="table-wrap"><table>
    <thead><tr><th scope="col">{% translate "Name" %}</th><th scope="col">{% translate "Term ends" %}</th><th scope="col">{% translate "Volunteer-service hours" %}</th><th scope="col">{% translate "Certificate" %}</th></tr></thead>
    <tbody>{% releasing_rows releasing %}</tbody>
  </table></div>
  {% else %}<p class="muted">{% translate "No term ends in the next 30 days." %}</p>{% endif %}
</section>
"""


def _page_contexts(world, build, login):
    """The today page's context (mine or not) with rows in every section, one with every
    section empty, and one where the behind section shows fewer rows than it counts (the
    "see all" link) and the figures run into thousands."""
    cw = world.users["caseworker"]
    _crowd(world, build)
    client = login(cw)
    keys = ["mine", *SECTIONS, *(f"{name}_count" for name in SECTIONS)]

    def page(url):
        context = client.get(url).context
        return {key: context[key] for key in keys}

    full, mine = page("/casework/today/"), page("/casework/today/?mine=on")
    assert all(full[name] for name in SECTIONS) and mine["mine"] is True
    empty = dict(full, mine=False, **{name: [] for name in SECTIONS},
                 **{f"{name}_count": 0 for name in SECTIONS})
    more = dict(full, behind_count=len(full["behind"]) + 1234, unconfirmed_count=12345)
    more_mine = dict(more, mine=True)
    return [full, mine, empty, more, more_mine]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_page_gives_the_templates_markup(world, build, login, language):
    from casework.templatetags import casework_tags

    contexts = _page_contexts(world, build, login)
    casework_tags._FRAMES.clear()
    with translation.override(language):
        for context in contexts:
            old = Template(OLD_CONTENT).render(Context(context))
            new = Template("{% load casework_tags %}{% today_page %}").render(Context(context))
            assert new == old
    with translation.override(language):
        old = Template(OLD_CONTENT).render(Context(contexts[3]))
    assert "?behind=on" in old and "12345" in old  # the cases above show what they mean to
    assert "?behind=on&amp;mine=on" in Template(OLD_CONTENT).render(Context(contexts[4]))


def test_page_phrases_are_written_as_given(monkeypatch):
    """A phrase with braces or markup in it (a translation may have either) comes out as
    its own text, escaped, wherever it stands."""
    from casework.templatetags import casework_tags

    phrases = casework_tags._phrases()
    odd = {name: f"{{{name}}} <b>{text}</b> {{}}" for name, text in phrases.items()}
    monkeypatch.setattr(casework_tags, "_phrases", lambda: odd)
    monkeypatch.setattr(casework_tags, "_FRAMES", {})
    context = {name: [] for name in SECTIONS} | {f"{name}_count": 0 for name in SECTIONS}
    page = casework_tags.today_page(Context(context | {"mine": False}))
    for name in ("t_today", "t_whose", "t_behind_n", "t_no_waiting", "t_no_releases"):
        assert f"{{{name}}} &lt;b&gt;" in page, name
    assert "{}" in page and "{{" not in page and "<b>" not in page


def test_figures_come_as_decimals_and_counts_as_ints(world, build):
    """The figures and counts are read as the driver gives them on PostgreSQL
    (selectors.AsFetched) and converted by Django elsewhere: either way a figure is a
    Decimal and a count an int (a float would compare equal to the ORM's Decimal)."""
    from decimal import Decimal

    _crowd(world, build)
    now, level_targets = timezone.now(), targets()
    for _ in range(2):  # prepared, then kept
        rows = today_rows(world.users["caseworker"], mine=False, now=now,
                          level_targets=level_targets)
        assert rows["behind"] and rows["releasing"] and rows["unconfirmed"]
        for p in rows["behind"]:
            assert {type(v) for v in (p.study_month, p.study_expected, p.service_month,
                                      p.service_expected)} == {Decimal}
        for p in rows["releasing"]:
            assert type(p.volunteer_hours) is Decimal and type(p.certified_hours) is Decimal
        for e in rows["unconfirmed"]:
            assert type(e.hours) is Decimal and type(e.service_date) is datetime.date
        assert {type(rows[f"{name}_count"]) for name in SECTIONS} == {int}
