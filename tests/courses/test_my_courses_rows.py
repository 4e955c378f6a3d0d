""""My courses" builds its lists in Python (courses_tags: course_items, class_items): the
markup must be what the template loops it replaced gave, in both languages, for every
kind of row: completed, assigned with a due date (overdue or not), with lessons and a
progress bar or without, and classes in a venue, online, or cancelled."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from courses import selectors, services
from courses.models import ClassSession, Enrolment
from tests.courses import factories as cf

# The loops as my_courses.html had them before the change.
LOOPS = {
    "classes": """{% load i18n xy_tags %}{% for s in signups %}<li>
    <strong>{{ s.session.starts_at|date:"Y-m-d D H:i" }}</strong> · <a href="{% page_url s.session.course %}">{{ s.session.course.title }}</a>
    · {% if s.session.venue %}{{ s.session.venue }}{% else %}{% translate "Online" %}{% endif %}
    {% if s.session.is_cancelled %}<span class="tag bad">{% translate "Cancelled" %}</span>{% elif s.session.online_url %} · <a href="{{ s.session.online_url }}" rel="noopener">{% translate "Join online" %}</a>{% endif %}
    · <a href="{% pk_url 'courses:session_ics' s.session.pk %}">.ics</a>
  </li>{% endfor %}""",
    "courses": """{% load i18n xy_tags %}{% for row in rows %}<li>
    <a href="{% page_url row.course %}"><strong>{{ row.course.title }}</strong></a>
    {% if row.enrolment.is_completed %}<span class="tag ok">{% translate "Completed" %}</span> <span class="muted small">{{ row.enrolment.completed_at|date:"Y-m-d" }}</span>
    {% else %}
    {% if row.enrolment.source == "assigned" %}<span class="tag">{% translate "from my caseworker" %}</span>{% endif %}
    {% if row.enrolment.due_on %}<span class="tag{% if row.overdue %} bad{% endif %}">{% blocktranslate with due=row.enrolment.due_on|date:"Y-m-d" %}due {{ due }}{% endblocktranslate %}</span>{% endif %}
    {% if row.lessons_total %}{% include "courses/includes/progress.html" with percent=row.percent %}
    <span class="muted small">{% blocktranslate with done=row.lessons_done total=row.lessons_total %}{{ done }} of {{ total }} lessons{% endblocktranslate %}</span>
    {% else %}<span class="muted small">{% translate "Attend one of its classes to complete it" %}</span>{% endif %}
    {% endif %}
  </li>{% endfor %}""",
}
TAGS = {"classes": "{% load courses_tags %}{% class_items signups %}",
        "courses": "{% load courses_tags %}{% course_items rows %}"}


def _markup(text: str) -> str:
    """Whitespace between and inside tags does not show in a browser's list."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_python_rows_give_the_template_loops_markup(world, language):
    person = world.supervisee
    with_lessons = cf.course_create(title="民法典 <与> 生活 & 家", unit=world.bureau, lessons=3)
    done = cf.course_create(title="孝道", unit=world.bureau, lessons=1)
    in_person = cf.course_create(title="酒驾危害", unit=world.bureau, format="in_person")
    overdue = cf.course_create(title="防范电信诈骗", unit=world.bureau, lessons=2)
    services.enrolment_create(supervisee=person, course=with_lessons)
    lesson = with_lessons.get_children().live().first().specific
    services.lesson_complete(supervisee=person, lesson=lesson)
    services.enrolment_create(supervisee=person, course=done)
    services.lesson_complete(supervisee=person, lesson=done.get_children().first().specific)
    today = timezone.localdate()
    services.enrolment_assign(course=in_person, supervisees=[person],
                              assigned_by=world.users["caseworker"],
                              due_on=today + datetime.timedelta(days=10))
    services.enrolment_assign(course=overdue, supervisees=[person],
                              assigned_by=world.users["caseworker"],
                              due_on=today + datetime.timedelta(days=1))
    Enrolment.objects.filter(course=overdue).update(due_on=today - datetime.timedelta(days=2))
    venue = cf.session_create(in_person, venue="司法所 <二楼>")
    remote = cf.session_create(with_lessons, starts_in=datetime.timedelta(days=4), venue="",
                               online_url="https://meet.example/a?x=1&y=2")
    called_off = cf.session_create(overdue, starts_in=datetime.timedelta(days=5), venue="礼堂")
    for session in (venue, remote, called_off):
        services.session_signup(session_id=session.pk, supervisee=person)
    ClassSession.objects.filter(pk=called_off.pk).update(status=ClassSession.Status.CANCELLED)

    rows, _count = selectors.enrolments_page(person, 0, 20, providers=False)
    context = {"rows": selectors.progress_rows(rows),
               "signups": selectors.upcoming_signups(person, size=20),
               "request": RequestFactory().get("/learning/")}
    assert len(context["rows"]) == 4 and len(context["signups"]) == 3
    assert {r.enrolment.is_completed for r in context["rows"]} == {True, False}
    assert any(r.overdue for r in context["rows"])
    with translation.override(language):
        for name, loop in LOOPS.items():
            expected = Template(loop).render(Context(context))
            got = Template(TAGS[name]).render(Context(context))
            assert _markup(got) == _markup(expected), name
            assert "&lt;" in got  # the titles' and venues' brackets are escaped
