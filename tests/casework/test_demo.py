import datetime
from collections import Counter
from types import SimpleNamespace

import pytest
from django.utils import timezone

from casework import demo
from casework.models import HelpPlan, HelpPlanRevision
from courses.models import Enrolment, StudyHoursEntry
from tests.courses import factories as cf

pytestmark = pytest.mark.django_db


def test_demo_plans_have_history_and_loading_twice_adds_nothing(world):
    cf.course_create(title="民法典与生活", unit=world.bureau)
    cf.course_create(title="孝道课堂", unit=world.bureau, category_slug="culture")
    ctx = SimpleNamespace(
        today=timezone.localdate(), created=Counter(),
        supervisees={"supervisee": world.supervisee, "supervisee2": world.other_supervisee,
                     "juvenile": world.juvenile})
    demo.load(ctx)
    assert HelpPlan.objects.count() == 3
    assert HelpPlanRevision.objects.filter(supervisee=world.supervisee).count() == 2
    oldest = HelpPlanRevision.objects.filter(supervisee=world.supervisee).order_by(
        "number").first()
    assert oldest.changed_at < timezone.now() - datetime.timedelta(days=30)
    assert Enrolment.objects.filter(status="completed").exists()
    counts = (HelpPlanRevision.objects.count(), Enrolment.objects.count(),
              StudyHoursEntry.objects.count())
    demo.load(SimpleNamespace(today=ctx.today, created=Counter(), supervisees=ctx.supervisees))
    assert counts == (HelpPlanRevision.objects.count(), Enrolment.objects.count(),
                      StudyHoursEntry.objects.count())
