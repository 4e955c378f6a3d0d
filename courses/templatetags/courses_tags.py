""""My courses" builds its two lists in Python: the courses a person takes (with their
progress bars) and their upcoming classes. Through the template each row was a dozen
nodes and an include; built here they cost a fraction of that. Each gives the markup the
template loop gave (tests/courses/test_my_courses_rows.py)."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

_PROGRESS: dict = {}


def progress_bar(percent) -> str:
    """courses/includes/progress.html with `percent`."""
    language = get_language()
    parts = _PROGRESS.get(language)
    if parts is None:
        label = gettext("Progress")  # outside the f-string: makemessages skips those
        parts = _PROGRESS[language] = (
            '<div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
            'aria-valuenow="', f'" aria-label="{label}"><svg viewBox="0 0 '
            '100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect '
            'width="', '" height="1"/></svg></div>')
    value = escape(percent)
    return parts[0] + value + parts[1] + value + parts[2]


def _day(value) -> str:
    """`value|date:"Y-m-d"` for a date or an aware datetime (in local time)."""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


@register.simple_tag(takes_context=True)
def course_items(context, rows):
    """The courses a person takes: CourseProgress rows (courses.selectors.progress_rows)."""
    from portal.templatetags.xy_tags import page_link as page_url

    request = context.get("request")
    # As {% translate %} and {% blocktranslate %} give them: the words as translated, the
    # values put into them escaped.
    completed, assigned = gettext("Completed"), gettext("from my caseworker")
    by_class = gettext("Attend one of its classes to complete it")
    out = []
    for row in rows:
        e, course = row.enrolment, row.course
        item = [f'<li><a href="{escape(page_url(course, request))}"><strong>'
                f"{escape(course.title)}</strong></a>"]
        if e.is_completed:
            item.append(f'<span class="tag ok">{completed}</span> <span class="muted small">'
                        f"{_day(e.completed_at) if e.completed_at else ''}</span>")
        else:
            if e.source == "assigned":
                item.append(f'<span class="tag">{assigned}</span>')
            if e.due_on:
                due = gettext("due %(due)s") % {"due": _day(e.due_on)}
                item.append(f'<span class="tag{" bad" if row.overdue else ""}">{due}</span>')
            if row.lessons_total:
                lessons = gettext("%(done)s of %(total)s lessons") % {
                    "done": row.lessons_done, "total": row.lessons_total}
                item.append(progress_bar(row.percent)
                            + f'<span class="muted small">{lessons}</span>')
            else:
                item.append(f'<span class="muted small">{by_class}</span>')
        item.append("</li>")
        out.append(" ".join(item))
    return mark_safe("".join(out))  # noqa: S308 - every value escaped, as the template did


@register.simple_tag(takes_context=True)
def class_items(context, signups):
    """The person's upcoming classes: session sign-ups with their session and course."""
    from portal.templatetags.xy_tags import page_link as page_url
    from portal.templatetags.xy_tags import pk_path

    request = context.get("request")
    online, cancelled, join = gettext("Online"), gettext("Cancelled"), gettext("Join online")
    out = []
    for s in signups:
        session = s.session
        when = dateformat.format(timezone.localtime(session.starts_at), "Y-m-d D H:i")
        venue = escape(session.venue) if session.venue else online
        if session.is_cancelled:
            state = f' <span class="tag bad">{cancelled}</span>'
        elif session.online_url:
            state = f' · <a href="{escape(session.online_url)}" rel="noopener">{join}</a>'
        else:
            state = ""
        out.append(
            f"<li><strong>{escape(when)}</strong> · "
            f'<a href="{escape(page_url(session.course, request))}">'
            f"{escape(session.course.title)}</a> · {venue}{state} · "
            f'<a href="{escape(pk_path("courses:session_ics", session.pk))}">.ics</a></li>')
    return mark_safe("".join(out))  # noqa: S308 - every value escaped, as the template did


@register.simple_tag
def progress(percent):
    """`{% include "courses/includes/progress.html" with percent=… %}`."""
    return mark_safe(progress_bar(percent))  # noqa: S308 - the value is escaped
