"""The organiser page's participants: the page gives the markup this loop over the roster
gives, in both languages, with
check-in open or not, before and after the start, for every state of a sign-up and with
a correction to decide."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from volunteering import selectors, services
from volunteering.models import Signup

LOOP = """{% load i18n volunteering_tags xy_tags %}{% for s in confirmed %}
    <li id="signup-{{ s.pk }}">
      <p class="svc-roster-head"><strong>{{ s.supervisee|partner_name }}</strong>
        <span class="tag{% if s.attendance == 'attended' %} svc-mine{% elif s.attendance == 'no_show' %} bad{% endif %}">{{ s.get_attendance_display }}</span></p>
      <p class="muted">{% translate "In" %} {{ s.checked_in_at|time:"H:i"|default:"—" }} · {% translate "Out" %} {{ s.checked_out_at|time:"H:i"|default:"—" }} · {% blocktranslate with h=s.credited|hours %}{{ h }} hours{% endblocktranslate %}</p>
      <div class="svc-row-actions">
        {% if checkin_open %}
          {% if not s.checked_in_at %}<form method="post" action="{% url 'volunteering:checkin' activity.pk s.pk %}">{% csrf_token %}<button type="submit" class="secondary">{% translate "Check in" %}</button></form>
          {% elif not s.checked_out_at %}<form method="post" action="{% url 'volunteering:checkout' activity.pk s.pk %}">{% csrf_token %}<button type="submit" class="secondary">{% translate "Check out" %}</button></form>{% endif %}
          {% if not s.checked_in_at and activity.starts_at <= now and s.attendance != "no_show" %}<form method="post" action="{% url 'volunteering:noshow' activity.pk s.pk %}">{% csrf_token %}<button type="submit" class="secondary">{% translate "Did not come" %}</button></form>{% endif %}
        {% endif %}
        {% if activity.status != "cancelled" and activity.starts_at <= now %}<a href="{% url 'volunteering:attendance' activity.pk s.pk %}">{% translate "Times and hours" %}</a>{% endif %}
      </div>
      {% if s.pending_correction %}
      <div class="svc-correction">
        <p>{% blocktranslate with h=s.pending_correction.hours|hours %}Reports {{ h }} hours:{% endblocktranslate %} {{ s.pending_correction.reason }}</p>
        <form method="post" action="{% url 'volunteering:correction_decide' s.pending_correction.pk %}">{% csrf_token %}
          <label for="note-{{ s.pk }}">{% translate "Note (needed to reject)" %}</label>
          <input type="text" id="note-{{ s.pk }}" name="note" maxlength="300">
          <div class="svc-row-actions">
            <button type="submit" name="decision" value="approve">{% translate "Approve" %}</button>
            <button type="submit" name="decision" value="reject" class="secondary">{% translate "Reject" %}</button>
          </div>
        </form>
      </div>{% endif %}
    </li>{% endfor %}"""


def _markup(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


def _people(svc, n):
    return [svc.world.supervisee, svc.world.other_supervisee] + [
        svc.person(legal_name=f"参与者{i}") for i in range(n - 2)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("started", [True, False])
def test_the_roster_page_gives_the_loops_markup(svc, login, language, started):
    now = timezone.now()
    starts = now - datetime.timedelta(minutes=30) if started else now + datetime.timedelta(
        minutes=20)
    activity = svc.activity(title="社区 <巡逻>", capacity=6, starts_at=starts,
                            signup_deadline=now - datetime.timedelta(hours=1))
    people = _people(svc, 4)
    signups = [Signup.objects.create(activity=activity, supervisee=p, status="confirmed",
                                     confirmed_at=now) for p in people]
    ngo = svc.world.users["ngo"]
    if started:
        services.attendance_record(actor=ngo, signup=signups[0], checked_in_at=starts,
                                   checked_out_at=starts + datetime.timedelta(minutes=25))
        Signup.objects.filter(pk=signups[1].pk).update(checked_in_at=starts)
        Signup.objects.filter(pk=signups[2].pk).update(attendance="no_show")
        services.correction_request_create(supervisee=people[0], signup=signups[0],
                                           hours=Decimal("1.5"), reason="晚走了<一会>")
    client = login(ngo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/service/activities/{activity.pk}/manage/")
    page = _markup(response.content.decode())
    shown = response.context
    token = str(shown["csrf_token"])
    context = Context({**selectors.activity_roster(activity), "activity": shown["activity"],
                       "now": shown["now"], "checkin_open": shown["checkin_open"],
                       "csrf_token": token})
    with translation.override(language):
        old = _markup(Template(LOOP).render(context))
    assert old in page
    assert (token in old) == (shown["checkin_open"] or started)  # forms carry the token
    if started:
        assert "晚走了&lt;一会&gt;" in old  # the correction's reason, escaped
