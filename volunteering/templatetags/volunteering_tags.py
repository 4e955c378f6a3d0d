import html

from django import template

from portal.access import display_name_for_partner

register = template.Library()


@register.filter
def partner_name(supervisee) -> str:
    """How organisers see a participant: alias or masked name; a juvenile, neutrally."""
    return display_name_for_partner(supervisee)


@register.filter
def hours(value) -> str:
    """2.50 → 2.5, 3.00 → 3, None → 0: hours as people write them."""
    if value in (None, ""):
        return "0"
    try:
        text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return str(value)
    return text if text not in ("", "-0") else "0"


# --- The person's page: its long lists built in Python --------------------------------------
#
# The history (up to 30 sign-ups), what is coming up and the months' table are the bulk of
# the page; built here they cost a fraction of a template loop (one node per cell). Each
# gives exactly the markup the template gave (tests/volunteering/test_me_page_rows.py).

def _local(value, fmt):
    from django.utils import dateformat, timezone

    return dateformat.format(timezone.localtime(value), fmt)


def _day(value) -> str:
    """`value|date:"Y-m-d"` of an aware datetime, in local time."""
    from django.utils import timezone

    t = timezone.localtime(value)
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}"


def _minute(value) -> str:
    """`value|date:"Y-m-d H:i"` of an aware datetime, in local time."""
    from django.utils import timezone

    t = timezone.localtime(value)
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"


def _id_path(viewname):
    """`{% pk_url viewname pk %}` as a function of the id: the path's shape found once."""
    from portal.templatetags.xy_tags import _shape, pk_url

    shape = _shape(viewname)
    if shape is None:
        return lambda pk: pk_url(viewname, pk)
    before, after = _e(shape[0]), _e(shape[1])
    return lambda pk: (f"{before}{pk}{after}" if type(pk) is int and pk >= 0
                       else pk_url(viewname, pk))


@register.simple_tag
def upcoming_items(upcoming):
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    activity_path = _id_path("volunteering:activity")
    # gettext outside the f-strings: makemessages does not look inside them.
    place_confirmed = _e(gettext("Place confirmed"))
    confirmed = f'<span class="tag svc-mine">{place_confirmed}</span>'
    waiting = gettext("Waiting list: number %(n)s")

    def tag(s):
        if s.status == "confirmed":
            return confirmed
        return f'<span class="tag">{_e(waiting % {"n": s.position})}</span>'

    return mark_safe("".join(  # noqa: S308 - every value escaped with _e
        f'<li><a href="{activity_path(s.activity.pk)}">{_e(s.activity.title)}</a> '
        f'<span class="muted">{_minute(s.activity.starts_at)} · '
        f"{_e(s.activity.district.name)} · {_e(s.activity.place)}</span> {tag(s)}</li>"
        for s in upcoming))


@register.simple_tag
def history_items(history):
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    came, report = _e(gettext("Did not come")), _e(gettext("Report a correction"))
    hours_text = gettext("%(h)s hours")
    activity_path = _id_path("volunteering:activity")
    correction_path = _id_path("volunteering:correction_request")

    def credited(s):
        return came if s.attendance == "no_show" else _e(hours_text % {"h": hours(s.credited)})

    def correction(s):
        if s.activity.status == "cancelled":
            return ""
        return f' · <a href="{correction_path(s.pk)}">{report}</a>'

    return mark_safe("".join(  # noqa: S308 - every value escaped with _e
        f'<li>{_day(s.activity.starts_at)} · <a href="{activity_path(s.activity.pk)}">'
        f"{_e(s.activity.title)}</a> · {credited(s)}{correction(s)}</li>" for s in history))


@register.simple_tag
def month_rows(months):
    from django.utils.safestring import mark_safe

    return mark_safe("".join(  # noqa: S308 - figures and dates only, escaped with _e
        f'<tr><th scope="row">{m["month"].year:04d}-{m["month"].month:02d}</th>'
        f'<td>{_e(hours(m["public_welfare"]["total"]))}</td>'
        f'<td>{_e(hours(m["public_welfare"]["confirmed"]))}</td>'
        f'<td>{_e(hours(m["volunteer_service"]["total"]))}</td></tr>' for m in months))


@register.simple_tag
def activity_items(activities):
    """The activity list's cards (the page's bulk: 20 a page, a dozen values each), from
    volunteering.selectors.card_rows."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext, ngettext

    from portal.templatetags.xy_tags import choice_labels
    from volunteering.models import Activity

    # gettext outside the f-strings: makemessages does not look inside them.
    words = {"full": gettext("Full: waiting list"), "mine": gettext("You have a place"),
             "waiting": gettext("You are waiting")}
    full = f'<span class="tag">{_e(words["full"])}</span>'
    mine = f'<span class="tag svc-mine">{_e(words["mine"])}</span>'
    waiting = f'<span class="tag svc-mine">{_e(words["waiting"])}</span>'
    kinds = choice_labels(Activity, "kind")
    activity_path = _id_path("volunteering:activity")

    def places(a):
        n = max(a["capacity"] - a["places_taken"], 0)
        if not n:
            return full
        left = ngettext("%(n)s place left", "%(n)s places left", n) % {"n": n}
        return f'<span class="tag">{_e(left)}</span>'

    def status(a):
        mark = a.get("my_signup_status")
        if not mark:
            return ""
        return mine if mark == "confirmed" else waiting

    def skills(a):
        return "".join(f'<span class="tag">{_e(skill.name)}</span>' for skill in a["skill_list"])

    return mark_safe("".join(  # noqa: S308 - every value escaped with _e
        f'<li class="svc-item"><h3><a href="{activity_path(a["id"])}">{_e(a["title"])}</a></h3>'
        f'<p class="muted">{_minute(a["starts_at"])} · {_e(a["district__name"])} · '
        f'{_e(a["place"])}</p>'
        f'<p><span class="tag">{_e(a["theme__name"])}</span> <span class="tag svc-{_e(a["kind"])}">'
        f'{_e(kinds.get(a["kind"], a["kind"]))}</span> {places(a)} {status(a)} {skills(a)}</p></li>'
        for a in activities))


# --- The organiser's roster ------------------------------------------------------------------

_SENTINEL = 7_346_921_085_113


def _two_id_path(viewname, activity_pk):
    """reverse(viewname, args=[activity_pk, <signup>]) once, as a function of the sign-up."""
    from django.urls import reverse

    path = reverse(viewname, args=[activity_pk, _SENTINEL])
    before, _, after = path.partition(str(_SENTINEL))
    return lambda pk: f"{before}{pk}{after}"


@register.simple_tag(takes_context=True)
def roster_items(context, confirmed):
    """The organiser page's participants (one item each, with its check-in buttons and any
    correction to decide), as the template loop gave them. Built with f-strings: every
    value from a row is escaped as the template escaped it (`_e`), the translated words
    are put in as {% translate %} gives them."""
    from django.utils import timezone
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from portal.templatetags.xy_tags import choice_labels, pk_url
    from volunteering.models import Signup

    activity, now, checkin_open = context["activity"], context["now"], context["checkin_open"]
    attendance = choice_labels(Signup, "attendance")
    hours_text = gettext("%(h)s hours")
    token = context.get("csrf_token")
    csrf = (f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'
            if token and token != "NOTPROVIDED" else "")
    paths = {name: _two_id_path(f"volunteering:{name}", activity.pk)
             for name in ("checkin", "checkout", "noshow", "attendance")}
    started = activity.starts_at <= now
    labels = {"in": gettext("In"), "out": gettext("Out"), "check_in": gettext("Check in"),
              "check_out": gettext("Check out"), "no_show": gettext("Did not come"),
              "times": gettext("Times and hours"), "note": gettext("Note (needed to reject)"),
              "approve": gettext("Approve"), "reject": gettext("Reject")}
    labels = {k: _e(v) for k, v in labels.items()}  # as format_html gave them
    cancelled = activity.status == "cancelled"
    tag_classes = {"attended": " svc-mine", "no_show": " bad"}

    def clock(value):
        if not value:
            return "—"
        local = timezone.localtime(value)
        return f"{local.hour:02d}:{local.minute:02d}"  # time_format "H:i"

    def button(name, pk, label):
        return (f'<form method="post" action="{_e(paths[name](pk))}">{csrf}<button '
                f'type="submit" class="secondary">{labels[label]}</button></form>')

    def actions(s):
        parts = []
        if checkin_open:
            if not s.checked_in_at:
                parts.append(button("checkin", s.pk, "check_in"))
            elif not s.checked_out_at:
                parts.append(button("checkout", s.pk, "check_out"))
            if not s.checked_in_at and started and s.attendance != "no_show":
                parts.append(button("noshow", s.pk, "no_show"))
        if not cancelled and started:
            parts.append(f'<a href="{_e(paths["attendance"](s.pk))}">{labels["times"]}</a>')
        return " ".join(parts)

    def correction(s):
        c = s.pending_correction
        if not c:
            return ""
        reports = _e(gettext("Reports %(h)s hours:") % {"h": hours(c.hours)})
        return (
            f'<div class="svc-correction"><p>{reports} {_e(c.reason)}</p><form method="post" '
            f'action="{pk_url("volunteering:correction_decide", c.pk)}">{csrf}'
            f'<label for="note-{s.pk}">{labels["note"]}</label><input type="text" '
            f'id="note-{s.pk}" name="note" maxlength="300"><div class="svc-row-actions">'
            f'<button type="submit" name="decision" value="approve">{labels["approve"]}'
            f'</button> <button type="submit" name="decision" value="reject" '
            f'class="secondary">{labels["reject"]}</button></div></form></div>')

    return mark_safe("".join(  # noqa: S308 - every value escaped with _e
        f'<li id="signup-{s.pk}"><p class="svc-roster-head"><strong>'
        f"{_e(partner_name(s.supervisee))}</strong> "
        f'<span class="tag{tag_classes.get(s.attendance, "")}">'
        f"{_e(attendance.get(s.attendance, s.attendance))}</span></p><p class=\"muted\">"
        f'{labels["in"]} {clock(s.checked_in_at)} · {labels["out"]} {clock(s.checked_out_at)}'
        f' · {_e(hours_text % {"h": hours(s.credited)})}</p>'
        f'<div class="svc-row-actions">{actions(s)}</div>{correction(s)}</li>'
        for s in confirmed))


def _e(value) -> str:
    """Django's escape(), without its lazy-string wrapper (the values here are plain)."""
    return html.escape(str(value))
