""""My courses" lists the courses a person takes and their upcoming classes
(courses/includes/course_items.html, class_items.html): every kind of row shows what it
should, in both languages: completed, assigned with a due date (overdue or not), with
lessons and a progress bar or without, and classes in a venue, online, or cancelled."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses import services
from courses.models import ClassSession, Enrolment
from tests.courses import factories as cf


def _markup(text: str) -> str:
    """Whitespace between and inside tags does not show in a browser's list."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_kind_of_row_shows_what_it_should(world, login, language):
    person = world.supervisee
    with_lessons = cf.course_create(title="民法典 <与> 生活 & 家", unit=world.bureau, lessons=3)
    done = cf.course_create(title="孝道", unit=world.bureau, lessons=1)
    in_person = cf.course_create(title="酒驾危害", unit=world.bureau, format="in_person")
    overdue = cf.course_create(title="防范电信诈骗", unit=world.bureau, lessons=2)
    services.enrolment_create(supervisee=person, course=with_lessons)
    lesson = with_lessons.get_children().live().first().specific
    cf.studied(person, lesson)
    services.lesson_complete(supervisee=person, lesson=lesson)
    services.enrolment_create(supervisee=person, course=done)
    cf.studied(person, done.get_children().first())
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

    client = login(world.users["supervisee"])
    client.cookies["django_language"] = language
    with translation.override(language):
        html = _markup(client.get(reverse("courses:mine")).content.decode())
        words = {w: translation.gettext(w) for w in (
            "Completed", "from my caseworker", "Online", "Cancelled", "Join online",
            "Attend one of its classes to complete it", "Add to my calendar (.ics)")}
        due_soon = translation.gettext("due %(due)s") % {
            "due": (today + datetime.timedelta(days=10)).isoformat()}
        due_past = translation.gettext("due %(due)s") % {
            "due": (today - datetime.timedelta(days=2)).isoformat()}
        lessons = translation.gettext("%(done)s of %(total)s lessons") % {"done": 1, "total": 3}

    courses_list = _section(html, "active-h")
    items = {title: item for item in courses_list.split("<li>")[1:]
             for title in ("民法典 &lt;与&gt; 生活 &amp; 家", "孝道", "酒驾危害", "防范电信诈骗")
             if f"<strong>{title}</strong>" in item}
    assert len(items) == 4, courses_list
    assert f'<a href="{with_lessons.url}"><strong>' in items["民法典 &lt;与&gt; 生活 &amp; 家"]
    assert 'aria-valuenow="33"' in items["民法典 &lt;与&gt; 生活 &amp; 家"]
    assert lessons in items["民法典 &lt;与&gt; 生活 &amp; 家"]
    assert f'<span class="tag ok">{words["Completed"]}</span>' in items["孝道"]
    assert f'<span class="muted small">{today.isoformat()}</span>' in items["孝道"]
    assert "progressbar" not in items["孝道"]
    assert f'<span class="tag">{words["from my caseworker"]}</span>' in items["酒驾危害"]
    assert f'<span class="tag">{due_soon}</span>' in items["酒驾危害"]
    assert words["Attend one of its classes to complete it"] in items["酒驾危害"]
    assert f'<span class="tag bad">{due_past}</span>' in items["防范电信诈骗"]

    classes = _section(html, "classes-h").split("<li>")[1:]
    assert len(classes) == 3
    by_course = {c.split("</a>")[0].rsplit(">", 1)[1]: c for c in classes}
    assert "司法所 &lt;二楼&gt;" in by_course["酒驾危害"]
    assert words["Online"] in by_course["民法典 &lt;与&gt; 生活 &amp; 家"]
    assert (f'<a href="https://meet.example/a?x=1&amp;y=2" rel="noopener">'
            f'{words["Join online"]}</a>') in by_course["民法典 &lt;与&gt; 生活 &amp; 家"]
    assert f'<span class="tag bad">{words["Cancelled"]}</span>' in by_course["防范电信诈骗"]
    for session in (venue, remote, called_off):
        assert (f'<a href="{reverse("courses:session_ics", args=[session.pk])}">'
                f'{words["Add to my calendar (.ics)"]}</a>') in html
