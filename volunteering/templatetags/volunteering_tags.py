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


@register.simple_tag
def upcoming_items(upcoming):
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext

    from portal.templatetags.xy_tags import pk_url

    def tag(s):
        if s.status == "confirmed":
            return format_html('<span class="tag svc-mine">{}</span>', gettext("Place confirmed"))
        return format_html('<span class="tag">{}</span>',
                           gettext("Waiting list: number %(n)s") % {"n": s.position})

    return format_html_join("", (
        '<li><a href="{}">{}</a> <span class="muted">{} · {} · {}</span> {}</li>'), (
        (pk_url("volunteering:activity", s.activity.pk), s.activity.title,
         _local(s.activity.starts_at, "Y-m-d H:i"), s.activity.district.name,
         s.activity.place, tag(s)) for s in upcoming))


@register.simple_tag
def history_items(history):
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext

    from portal.templatetags.xy_tags import pk_url

    came, report = gettext("Did not come"), gettext("Report a correction")

    def credited(s):
        return came if s.attendance == "no_show" else (
            gettext("%(h)s hours") % {"h": hours(s.credited)})

    def correction(s):
        if s.activity.status == "cancelled":
            return ""
        return format_html(' · <a href="{}">{}</a>',
                           pk_url("volunteering:correction_request", s.pk), report)

    return format_html_join("", '<li>{} · <a href="{}">{}</a> · {}{}</li>', (
        (_local(s.activity.starts_at, "Y-m-d"), pk_url("volunteering:activity", s.activity.pk),
         s.activity.title, credited(s), correction(s)) for s in history))


@register.simple_tag
def month_rows(months):
    from django.utils import dateformat
    from django.utils.html import format_html_join

    return format_html_join("", (
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>'), (
        (dateformat.format(m["month"], "Y-m"), hours(m["public_welfare"]["total"]),
         hours(m["public_welfare"]["confirmed"]), hours(m["volunteer_service"]["total"]))
        for m in months))


@register.simple_tag
def activity_items(activities):
    """The activity list's cards (the page's bulk: 20 a page, a dozen values each)."""
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext, ngettext

    from portal.templatetags.xy_tags import choice_labels, pk_url
    from volunteering.models import Activity

    full, mine, waiting = (gettext("Full: waiting list"), gettext("You have a place"),
                           gettext("You are waiting"))
    kinds = choice_labels(Activity, "kind")

    def places(a):
        n = a.places_left
        if not n:
            return format_html('<span class="tag">{}</span>', full)
        return format_html('<span class="tag">{}</span>', ngettext(
            "%(n)s place left", "%(n)s places left", n) % {"n": n})

    def status(a):
        if not getattr(a, "my_signup_status", None):
            return ""
        return format_html('<span class="tag svc-mine">{}</span>',
                           mine if a.my_signup_status == "confirmed" else waiting)

    def skills(a):
        return format_html_join("", '<span class="tag">{}</span>',
                                ((s.name,) for s in a.skills.all()))

    return format_html_join("", (
        '<li class="svc-item"><h3><a href="{}">{}</a></h3><p class="muted">{} · {} · {}</p>'
        '<p><span class="tag">{}</span> <span class="tag svc-{}">{}</span> {} {} {}</p></li>'), (
        (pk_url("volunteering:activity", a.pk), a.title, _local(a.starts_at, "Y-m-d H:i"),
         a.district.name, a.place, a.theme.name, a.kind, kinds.get(a.kind, a.kind), places(a),
         status(a), skills(a)) for a in activities))


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
