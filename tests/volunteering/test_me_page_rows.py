"""The lists of the person's service page and the activity list's cards: the pages give
the markup these loops over the rows give, in both languages, for every kind of row."""

import datetime
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from volunteering import selectors, services
from volunteering.models import Signup

from .test_ledger import attended

# What the lists of volunteering/me.html show of each row.
LOOPS = {
    "upcoming": """{% load i18n volunteering_tags xy_tags %}{% for s in rows %}
    <li><a href="{% url 'volunteering:activity' s.activity.pk %}">{{ s.activity.title }}</a>
      <span class="muted">{{ s.activity.starts_at|date:"Y-m-d H:i" }} · {{ s.activity.district.name }} · {{ s.activity.place }}</span>
      {% if s.status == "confirmed" %}<span class="tag svc-mine">{% translate "Place confirmed" %}</span>{% else %}<span class="tag">{% blocktranslate with n=s.position %}Waiting list: number {{ n }}{% endblocktranslate %}</span>{% endif %}
    </li>{% endfor %}""",
    "history": """{% load i18n volunteering_tags xy_tags %}{% for s in rows %}
    <li>{{ s.activity.starts_at|date:"Y-m-d" }} · <a href="{% url 'volunteering:activity' s.activity.pk %}">{{ s.activity.title }}</a> ·
      {% if s.attendance == "no_show" %}{% translate "Did not come" %}{% else %}{% blocktranslate with h=s.credited|hours %}{{ h }} hours{% endblocktranslate %}{% endif %}
      {% if s.activity.status != "cancelled" %}· <a href="{% url 'volunteering:correction_request' s.pk %}">{% translate "Report a correction" %}</a>{% endif %}
    </li>{% endfor %}""",
    "months": """{% load volunteering_tags %}{% for m in rows %}<tr><th scope="row">{{ m.month|date:"Y-m" }}</th><td>{{ m.public_welfare.total|hours }}</td><td>{{ m.public_welfare.confirmed|hours }}</td><td>{{ m.volunteer_service.total|hours }}</td></tr>{% endfor %}""",
}


def _markup(text: str) -> str:
    """Whitespace between and inside tags does not show in a browser's list."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_persons_page_gives_the_loops_markup(svc, login, language):
    person = svc.world.supervisee
    _a, _p, signup = attended(svc, person, hours="2.5", days_ago=3, title="敬老院 <探访>")
    attended(svc, person, hours="1", days_ago=40, title="河道清洁")
    no_show = attended(svc, person, hours="1", days_ago=5, title="普法宣传")[2]
    Signup.objects.filter(pk=no_show.pk).update(attendance="no_show")
    cancelled = attended(svc, person, hours="1", days_ago=8, title="取消的活动")[0]
    cancelled.status = "cancelled"
    cancelled.save()
    soon = svc.activity(title="社区 & 巡逻", capacity=1, waitlist_limit=2)
    later = svc.activity(title="图书整理", starts_at=timezone.now() + datetime.timedelta(days=9))
    services.signup_create(supervisee=person, activity_id=later.pk)
    services.signup_create(supervisee=svc.world.other_supervisee, activity_id=soon.pk)
    services.signup_create(supervisee=person, activity_id=soon.pk)  # waiting, number 1
    upcoming, history = selectors.my_page_signups(person)
    months, _totals = selectors.hours_page(person)
    rows = {"upcoming": upcoming, "history": history, "months": months}
    assert len(upcoming) == 2 and len(history) == 4 and len(months) >= 1
    client = login(person.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = _markup(client.get("/service/me/").content.decode())
    with translation.override(language):
        for name, loop in LOOPS.items():
            expected = _markup(Template(loop).render(Context({"rows": rows[name]})))
            assert expected in page, name
    assert "&lt;探访&gt;" in page


ACTIVITY_LOOP = """{% load i18n xy_tags %}{% for activity in rows %}
  <li class="svc-item">
    <h3><a href="{% url 'volunteering:activity' activity.pk %}">{{ activity.title }}</a></h3>
    <p class="muted">{{ activity.starts_at|date:"Y-m-d H:i" }} · {{ activity.district.name }} · {{ activity.place }}</p>
    <p><span class="tag">{{ activity.theme.name }}</span> <span class="tag svc-{{ activity.kind }}">{{ activity.get_kind_display }}</span>
      {% if activity.places_left %}<span class="tag">{% blocktranslate count n=activity.places_left %}{{ n }} place left{% plural %}{{ n }} places left{% endblocktranslate %}</span>{% else %}<span class="tag">{% translate "Full: waiting list" %}</span>{% endif %}
      {% if activity.my_signup_status %}<span class="tag svc-mine">{% if activity.my_signup_status == "confirmed" %}{% translate "You have a place" %}{% else %}{% translate "You are waiting" %}{% endif %}</span>{% endif %}
      {% for skill in activity.skills.all %}<span class="tag">{{ skill.name }}</span>{% endfor %}
    </p>
  </li>{% endfor %}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_activity_cards_give_the_loops_markup(svc, login, language):
    from tests import factories as f

    person = svc.world.supervisee
    one = svc.activity(title="社区 <巡逻>", capacity=1, waitlist_limit=3)
    two = svc.activity(title="图书整理", capacity=5,
                       starts_at=timezone.now() + datetime.timedelta(days=4))
    svc.activity(title="河道清洁", capacity=2,
                 starts_at=timezone.now() + datetime.timedelta(days=5))
    two.skills.add(f.SkillFactory(code="first-aid", name="急救"), f.SkillFactory(code="it", name="电脑"))
    services.signup_create(supervisee=svc.world.other_supervisee, activity_id=one.pk)
    services.signup_create(supervisee=person, activity_id=one.pk)  # waiting
    services.signup_create(supervisee=person, activity_id=two.pk)  # a place
    rows = list(selectors.activity_browse(person.user, {}, related=("theme", "district")).qs)
    assert len(rows) == 3
    assert {a.my_signup_status for a in rows} == {"waitlisted", "confirmed", None}
    client = login(person.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        old = _markup(Template(ACTIVITY_LOOP).render(Context({"rows": rows})))
    # Both ways the list reads its cards: a person's first page, and a filtered page.
    for url in ("/service/", f"/service/?date_from={timezone.localdate():%Y-%m-%d}"):
        response = client.get(url)
        assert response.context["page"].paginator.count == 3, url
        assert old in _markup(response.content.decode()), url
    assert "&lt;巡逻&gt;" in old
    assert old.count("svc-mine") == 2 and "急救" in old and "电脑" in old
