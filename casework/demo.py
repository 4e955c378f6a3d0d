"""Demo help plans (个别化矫正方案) with their history, for `manage.py load_demo`.

Runs after the courses, service, employment and help-network demo data (the app order in
INSTALLED_APPS), so the plans can name real demo courses. Idempotent: a person who has a
plan already is left alone."""

from __future__ import annotations

import datetime

from django.utils import timezone

from courses.selectors import courses_for_person
from portal.people.models import Supervisee

from .models import HelpPlan
from .services import help_plan_save

# (goals, service expectations, employment steps, referral steps) — first version, then
# the version after the review.
PLANS = [
    (
        ("稳定情绪，按时报到；学习民法典基础知识，理解判决的意义。",
         "每月参加公益活动不少于8小时，优先社区环境清洁。",
         "完善求职资料，参加一次招聘推介会。",
         "如家庭矛盾加剧，转介社工机构做家庭辅导。"),
        ("保持稳定就业，修复与家人的关系；完成法律和职业技能课程各一门。",
         "每月参加公益活动不少于8小时，可参加敬老助残类活动。",
         "在合作企业试岗满三个月后做90天回访。",
         "已转介阳光社工家庭辅导，跟进结案情况。"),
    ),
    (
        ("戒除赌博习惯，建立规律的作息；完成防范赌博与电信诈骗课程。",
         "严管期间每月公益活动不少于10小时，由中队统一安排。",
         "暂不安排就业，先参加技能培训。",
         "转介心理咨询，处理焦虑和失眠。"),
        ("巩固戒赌成果，学习一门实用技能；每月与工作人员面谈一次。",
         "每月公益活动不少于10小时，可参加普法宣传。",
         "报名电工或厨师实训，结业后推荐岗位。",
         "心理咨询按计划进行，三个月后评估。"),
    ),
    (
        ("继续完成学业，远离不良交友；每周与监护人沟通一次。",
         "参加适合未成年人的志愿服务，如图书整理、社区宣传。",
         "以学业为主，不安排就业。",
         "为家庭申请教育帮扶金，转介学业辅导。"),
        ("按时返校上课，期末考试合格；参加护苗课堂。",
         "每月志愿服务不少于4小时，由监护人陪同。",
         "以学业为主，不安排就业。",
         "教育帮扶金已申请，跟进发放和使用。"),
    ),
]

DEMO_USERNAMES = ("supervisee", "supervisee2", "juvenile", "released")
EXTRA_PEOPLE = 9


def _people(ctx) -> list[Supervisee]:
    named = [ctx.supervisees[u] for u in DEMO_USERNAMES if u in ctx.supervisees]
    others = [s for username, s in sorted(ctx.supervisees.items())
              if username not in DEMO_USERNAMES and s.status == Supervisee.Status.IN_CORRECTION
              and not s.is_sealed][:EXTRA_PEOPLE]
    return named + others


def load(ctx) -> None:
    people = _people(ctx)
    have_plan = set(HelpPlan.objects.filter(supervisee__in=people)
                    .values_list("supervisee_id", flat=True))
    now = timezone.now()
    for index, person in enumerate(people):
        if person.pk in have_plan or person.caseworker is None:
            continue
        first, second = PLANS[2] if person.is_juvenile else PLANS[index % 2]
        courses = list(courses_for_person(person).defer_streamfields().order_by("pk"))
        picked = courses[index % max(len(courses), 1):][:2] if courses else []
        written = timezone.make_aware(datetime.datetime.combine(
            max(person.term_start + datetime.timedelta(days=7),
                ctx.today - datetime.timedelta(days=120)), datetime.time(10)))
        written = min(written, now - datetime.timedelta(days=40))
        goals, service, employment, referral = first
        help_plan_save(supervisee=person, changed_by=person.caseworker, goals=goals,
                       courses=picked[:1], service_expectations=service,
                       employment_steps=employment, referral_steps=referral,
                       review_on=ctx.today - datetime.timedelta(days=20),
                       note="入矫评估后制定", now=written)
        goals, service, employment, referral = second
        help_plan_save(supervisee=person, changed_by=person.caseworker, goals=goals,
                       courses=picked, service_expectations=service,
                       employment_steps=employment, referral_steps=referral,
                       review_on=ctx.today + datetime.timedelta(days=70),
                       note="季度评估后调整", now=now - datetime.timedelta(days=20 - index))
        ctx.created["help_plan"] += 1
    _history(ctx, people)


# --- Learning and service history for the outcome dashboards --------------------------------
#
# The courses demo enrols the demo accounts only, so a county dashboard would show almost no
# completions or study hours. Here the people with plans get completed courses spread over
# the last six months (an enrolment, its completion and the study-hours credit, as the
# courses app records them), and two squad-organised public-welfare entries wait for
# confirmation for over a week, so the "today" list has something to show.

def _history(ctx, people) -> None:
    from decimal import Decimal

    from courses.models import Enrolment, StudyHoursEntry
    from volunteering.models import HoursEntry, ServiceKind

    now = timezone.now()
    for index, person in enumerate(people):
        if person.status != Supervisee.Status.IN_CORRECTION:
            continue
        taken = set(Enrolment.objects.filter(supervisee=person)
                    .values_list("course_id", flat=True))
        # The same three courses every run, whatever the person took meanwhile.
        courses = list(courses_for_person(person).defer_streamfields()
                       .order_by("pk"))[index % 3:][:3]
        for n, course in enumerate(courses):
            if course.pk in taken:
                continue
            days_ago = 5 + 40 * n + 7 * (index % 5)
            done = now - datetime.timedelta(days=days_ago)
            enrolment = Enrolment.objects.create(
                supervisee=person, course=course, status=Enrolment.Status.COMPLETED,
                enrolled_at=done - datetime.timedelta(days=14), completed_at=done)
            StudyHoursEntry.objects.create(
                supervisee=person, kind=StudyHoursEntry.Kind.COMPLETION,
                hours=course.study_hours or Decimal("2"), credited_on=timezone.localdate(done),
                course=course, enrolment=enrolment, created_at=done)
            ctx.created["enrolment"] += 1
    squad_people = [p for p in people if p.caseworker_id and p.caseworker.username == "caseworker"
                    and p.status == Supervisee.Status.IN_CORRECTION][:2]
    for person in squad_people:
        if HoursEntry.objects.filter(supervisee=person, activity__isnull=True,
                                     reason__startswith="中队组织").exists():
            continue
        recorded = now - datetime.timedelta(days=10)
        HoursEntry.objects.create(
            supervisee=person, kind=ServiceKind.PUBLIC_WELFARE, hours=Decimal("3"),
            service_date=timezone.localdate(recorded), unit=person.unit,
            recorded_by=person.caseworker, recorded_at=recorded,
            reason="中队组织的社区公益劳动（清扫街巷）")
        ctx.created["hours_entry"] += 1
