"""Demo data for service and volunteering, on top of the demo county (portal.demo):
the volunteer team's and NGOs' past and upcoming activities across the five themes,
sign-ups with a waiting list, attendance, ledger history with corrections and caseworker
confirmations, a pending correction request and a volunteer-service record. The squad's
volunteer service names the volunteer team that records it (docs/domain.md rule 2).

`manage.py load_demo` calls load(ctx) itself; `manage.py volunteering_demo` (portal/management) runs it again
on its own. Idempotent: an activity is looked up by its title and organiser and nothing
is made twice, whatever day it runs."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.people.models import Supervisee

from . import selectors, services
from .models import Activity, Certificate, ServiceKind, Signup, Theme

SEED = 20200704
THEMES = [
    ("patrol", "巡逻", "Neighbourhood patrol"),
    ("legal-publicity", "法治宣传", "Legal publicity"),
    ("elderly-care", "敬老助老", "Elderly care"),
    ("civility", "文明创建", "Civility drive"),
    ("clean-up", "环境清洁", "Clean-up"),
]

VS, PW = ServiceKind.VOLUNTEER_SERVICE, ServiceKind.PUBLIC_WELFARE


@dataclass(frozen=True)
class Plan:
    """One demo activity. `days`: from today (negative: in the past); `hour`: local start."""

    title: str
    organiser: str  # organisation key of portal.demo.data, or "unit:<unit key>"
    theme: str
    kind: str
    days: int
    hour: int
    length: int  # hours
    place: str
    district: str
    capacity: int
    people: int  # how many sign up
    description: str
    state: str = "published"  # draft, published, cancelled
    juveniles: bool = False
    venue_type: str = ""
    # Volunteer service a unit organises: the partner that records and certifies the hours.
    recorder: str = ""


PLANS = [
    # --- past: completed, with attendance and hours -----------------------------------------
    Plan("文昌路夜间义务巡防", "zhuguang", "patrol", VS, -150, 19, 2, "文昌路至人民路沿线",
         "qh-chengguan", 8, 7, "两人一组沿街巡查，提醒商户关好门窗，发现异常及时报告社区民警。"),
    Plan("“民法典进社区”宣传摆摊", "zhuguang", "legal-publicity", VS, -128, 9, 3, "城关镇文化广场",
         "qh-chengguan", 10, 8, "发放民法典宣传册，向过往群众讲解婚姻家庭、继承等常见问题。"),
    Plan("柳河敬老院陪伴日", "nuanyang", "elderly-care", VS, -110, 14, 3, "柳河镇敬老院",
         "qh-liuhe", 6, 6, "陪老人聊天、读报，协助护理员打扫房间、晾晒被褥。"),
    Plan("中队公益劳动：社区矫正中心周边保洁", "unit:squad1", "clean-up", PW, -95, 8, 3,
         "社区矫正中心周边街道", "qh-chengguan", 12, 9, "清扫街道、清理小广告，按个人特长分组。"),
    Plan("桃源镇文明交通劝导", "zhuguang", "civility", VS, -80, 7, 2, "桃源镇桃花路口",
         "qh-taoyuan", 8, 6, "早高峰在路口协助交警劝导行人和电动车文明出行。"),
    Plan("反电信诈骗宣传进集市", "qihang", "legal-publicity", VS, -66, 9, 3, "石桥镇集贸市场",
         "qh-shiqiao", 8, 7, "结合真实案例提醒群众识别刷单、冒充客服等诈骗手段。"),
    Plan("河道垃圾清理", "zhuguang", "clean-up", VS, -52, 8, 3, "柳河镇柳河沿岸",
         "qh-liuhe", 10, 9, "清理河岸垃圾、打捞漂浮物，垃圾分类后统一运走。"),
    Plan("空巢老人上门探访", "nuanyang", "elderly-care", VS, -38, 14, 2, "桃源镇各村",
         "qh-taoyuan", 6, 5, "两人一组探访空巢老人，帮忙做家务、检查用电安全。"),
    Plan("中队公益劳动：春季植树", "unit:squad1", "civility", PW, -30, 8, 4, "青山乡荒山造林点",
         "qh-qingshan", 15, 10, "参加乡里的春季植树，挖坑、栽苗、浇水。"),
    Plan("节假日夜间巡防", "zhuguang", "patrol", VS, -21, 19, 3, "城关镇夜市",
         "qh-chengguan", 8, 8, "节假日夜市人流大，协助维持秩序、提醒防盗防骗。"),
    Plan("文明城市创建：楼道清理", "qihang", "civility", VS, -14, 9, 3, "城关镇幸福社区",
         "qh-chengguan", 10, 8, "清理楼道堆放物，张贴文明公约。"),
    Plan("敬老院重阳节慰问", "zhuguang", "elderly-care", VS, -8, 9, 3, "城关镇中心敬老院",
         "qh-chengguan", 8, 8, "为老人理发、包饺子、表演节目。"),
    # --- upcoming -------------------------------------------------------------------------
    Plan("周末夜间义务巡防", "zhuguang", "patrol", VS, 3, 19, 2, "文昌路至人民路沿线",
         "qh-chengguan", 4, 6, "两人一组沿街巡查。名额已满的可以排队候补。"),
    Plan("“反赌博”法治宣传", "zhuguang", "legal-publicity", VS, 6, 9, 3, "白鹭乡政府广场",
         "qh-bailu", 10, 3, "讲解网络赌博的危害和法律后果，发放宣传资料。"),
    Plan("敬老院陪伴日", "nuanyang", "elderly-care", VS, 9, 14, 3, "柳河镇敬老院",
         "qh-liuhe", 6, 2, "陪老人聊天、读报，协助打扫卫生。"),
    Plan("中队公益劳动：社区环境整治", "unit:squad1", "clean-up", PW, 5, 8, 3, "城关镇老街",
         "qh-chengguan", 12, 4, "清理老街卫生死角，按个人特长分组（会电工的可协助检修路灯）。"),
    Plan("“护苗”法治小课堂志愿服务", "unit:squad1", "legal-publicity", VS, 12, 15, 2,
         "社区矫正中心二楼活动室", "qh-chengguan", 8, 1,
         "面向未成年人的法治小课堂，由工作人员带领，协助布置场地、分发资料。", juveniles=True,
         recorder="zhuguang"),
    Plan("文明城市创建：大型活动志愿服务", "zhuguang", "civility", VS, 16, 8, 4,
         "县体育场", "qh-chengguan", 20, 5, "在县运动会现场协助引导观众、维护秩序。",
         venue_type="mass-event"),
    Plan("桃源河道清理", "zhuguang", "clean-up", VS, 20, 8, 3, "桃源镇桃花河",
         "qh-taoyuan", 10, 0, "清理河岸垃圾。", state="draft"),
    Plan("台风天取消：海边清洁", "qihang", "clean-up", VS, 4, 8, 3, "城关镇滨河公园",
         "qh-chengguan", 10, 3, "因天气原因取消。", state="cancelled"),
]


@dataclass
class ServiceDemoContext:
    """What the demo needs from the county, whether built now (load_demo) or before."""

    today: datetime.date
    users: dict
    organisations: dict
    units: dict
    supervisees: dict
    districts: dict
    venue_types: dict


def load(ctx) -> None:
    """Called by portal.demo.loader.load_demo with its DemoContext."""
    build(ServiceDemoContext(today=ctx.today, users=ctx.users, organisations=ctx.organisations,
               units=ctx.units, supervisees=ctx.supervisees, districts=ctx.districts,
               venue_types=ctx.venue_types), created=ctx.created)


STAFF = {"zhuguang": "volunteerteam", "qihang": "ngo", "nuanyang": "demo-p02",
         "unit:squad1": "caseworker"}


@transaction.atomic
def build(ctx: ServiceDemoContext, created=None) -> dict:
    from collections import Counter

    created = created if created is not None else Counter()
    rng = random.Random(SEED)
    themes = {}
    for order, (code, name, name_en) in enumerate(THEMES, start=1):
        themes[code], made = Theme.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})
        created["theme"] += made
    people = [s for s in ctx.supervisees.values()
              if s.status != Supervisee.Status.CLOSED and not s.is_juvenile]
    people.sort(key=lambda s: s.user.username)
    for plan in PLANS:
        if _activity_exists(ctx, plan):
            continue
        activity = _activity(ctx, plan, themes)
        created["activity"] += 1
        _fill(ctx, plan, activity, people, rng, created)
    _target_activities(ctx, themes, people, rng, created)
    _certificate(ctx, created)
    return dict(created)


def _organiser(ctx, plan: Plan) -> dict:
    if plan.organiser.startswith("unit:"):
        return {"organisation": None, "unit": ctx.units[plan.organiser.split(":", 1)[1]]}
    return {"organisation": ctx.organisations[plan.organiser], "unit": None}


def _activity_exists(ctx, plan: Plan) -> bool:
    return Activity.objects.filter(title=plan.title, **_organiser(ctx, plan)).exists()


def _activity(ctx, plan: Plan, themes) -> Activity:
    local = timezone.get_default_timezone()
    day = ctx.today + datetime.timedelta(days=plan.days)
    starts = datetime.datetime.combine(day, datetime.time(plan.hour), tzinfo=local)
    status = {"draft": Activity.Status.DRAFT, "cancelled": Activity.Status.CANCELLED}.get(
        plan.state, Activity.Status.PUBLISHED)
    activity = Activity(
        title=plan.title, theme=themes[plan.theme], kind=plan.kind, description=plan.description,
        place=plan.place, district=ctx.districts[plan.district], starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=plan.length), capacity=plan.capacity,
        waitlist_limit=5, signup_deadline=starts - datetime.timedelta(days=1),
        hours=Decimal(plan.length), suitable_for_juveniles=plan.juveniles,
        venue_type=ctx.venue_types.get(plan.venue_type) if plan.venue_type else None,
        recording_organisation=ctx.organisations[plan.recorder] if plan.recorder else None,
        status=status, created_by=ctx.users[STAFF[plan.organiser]],
        published_at=None if status == Activity.Status.DRAFT else starts - datetime.timedelta(
            days=14),
        cancel_reason="台风预警，活动取消" if status == Activity.Status.CANCELLED else "",
        **_organiser(ctx, plan),
    )
    activity.full_clean()
    activity.save()
    return activity


def _eligible(activity: Activity, people: list, *, today) -> list:
    offered = []
    for person in people:
        q = selectors.offer_q(person, today)
        if Activity.objects.filter(pk=activity.pk).filter(q).exists():
            offered.append(person)
    return offered


def _fill(ctx, plan: Plan, activity: Activity, people, rng, created) -> None:
    if plan.people == 0 or activity.status == Activity.Status.DRAFT:
        return
    if plan.juveniles:
        candidates = [s for s in ctx.supervisees.values() if s.is_juvenile
                      and s.unit_id == activity.unit_id and not s.is_sealed]
    else:
        candidates = _eligible(activity, people, today=ctx.today)
        # The demo accounts take part, so their pages have something to show.
        front = [s for s in candidates if s.user.username in ("supervisee", "released")]
        rest = [s for s in candidates if s not in front]
        rng.shuffle(rest)
        candidates = front + rest
    chosen = candidates[:plan.people]
    organiser = ctx.users[STAFF[plan.organiser]]
    base = activity.starts_at - datetime.timedelta(days=10)
    for i, person in enumerate(chosen):
        confirmed = activity.places_taken < activity.capacity
        if not confirmed and activity.signups.filter(status="waitlisted").count() >= \
                activity.waitlist_limit:
            break
        Signup.objects.create(
            activity=activity, supervisee=person,
            status=Signup.Status.CONFIRMED if confirmed else Signup.Status.WAITLISTED,
            created_at=base + datetime.timedelta(hours=i),
            confirmed_at=base + datetime.timedelta(hours=i) if confirmed else None)
        if confirmed:
            activity.places_taken += 1
        created["signup"] += 1
    activity.save(update_fields=["places_taken"])
    if activity.status != Activity.Status.PUBLISHED or activity.starts_at > timezone.now():
        return
    # A past activity: attendance from the paper list, then completion (no-shows).
    for index, signup in enumerate(activity.signups.filter(status=Signup.Status.CONFIRMED)
                                   .order_by("created_at", "pk")):
        if index % 7 == 5:
            continue  # did not come
        late = datetime.timedelta(minutes=rng.choice([0, 0, 10, 20, 40]))
        services.attendance_record(
            actor=organiser, signup=signup, checked_in_at=activity.starts_at + late,
            checked_out_at=activity.ends_at - datetime.timedelta(minutes=rng.choice([0, 0, 15])))
        created["hours_entry"] += 1
    services.activity_complete(actor=organiser, activity=activity)
    signups = list(activity.signups.filter(attendance=Signup.Attendance.ATTENDED)
                   .select_related("supervisee__user").order_by("pk"))
    if plan.days == -52 and signups:
        # The organiser corrected one participant's hours: arrived early to set up.
        services.hours_adjust(actor=organiser, signup=signups[0],
                              hours=Decimal(plan.length) + Decimal("0.5"),
                              reason="提前半小时到场布置，按签到表更正")
        created["hours_entry"] += 2
    if plan.days == -8:
        # A participant who was credited less reports a correction; it waits for the
        # organiser.
        short = [s for s in signups if services._credited(s) < Decimal(plan.length)]
        if short:
            services.correction_request_create(
                supervisee=short[0].supervisee, signup=short[0], hours=Decimal(plan.length),
                reason="我是准时到的，签到时排队晚登记了")
            created["correction_request"] += 1
    if plan.days <= -30:
        # Caseworkers have confirmed the older hours; recent ones wait.
        for caseworker in {s.supervisee.caseworker for s in signups if s.supervisee.caseworker}:
            entries = selectors.hours_to_confirm(caseworker).filter(activity=activity)
            services.hours_confirm(actor=caseworker, entry_ids=list(
                entries.values_list("pk", flat=True)))


# --- Public-welfare activities to meet the monthly targets ---------------------------------
#
# docs/domain.md rule 8: the county lets every level reach its target. The bureau (whose
# public-welfare activities every unit below it offers) runs activities open to adults and
# juveniles alike on the days left this month and through next month, enough for the strict
# level's 10 hours whatever day the demo is loaded (on the month's last day, only next
# month's). A slot is (hour, length); fewer days left means more slots a day.
TARGET_SLOTS = [(8, 4), (14, 3), (19, 3)]
TARGET_THEMES = [
    ("clean-up", "公益劳动：城关镇老街环境美化", "城关镇老街", "qh-chengguan",
     "清扫街巷、清理小广告、整理公共绿地，按个人特长分组。"),
    ("legal-publicity", "公益活动：法治宣传资料整理与发放", "社区矫正中心一楼大厅", "qh-chengguan",
     "整理、装订法治宣传资料，在中心门口向群众发放。"),
    ("elderly-care", "公益活动：中心敬老院帮扶", "城关镇中心敬老院", "qh-chengguan",
     "协助护理员打扫房间、晾晒被褥、陪老人散步。"),
    ("civility", "公益活动：文明交通劝导", "城关镇人民路与文昌路口", "qh-chengguan",
     "在路口协助劝导行人和电动车文明出行。"),
]


def _target_days(today: datetime.date) -> list[tuple[datetime.date, list]]:
    """(day, slots) of the target activities: this month's after today, next month's."""
    first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    left = [today + datetime.timedelta(days=n) for n in range(1, (following - today).days)]
    if left:
        per_day = 1 if len(left) >= 4 else 2 if len(left) >= 2 else 3
        step = len(left) / min(len(left), 4)
        days = [left[int(i * step)] for i in range(min(len(left), 4))]
        plan = [(day, TARGET_SLOTS[:per_day]) for day in days]
    else:
        plan = []
    return plan + [(following.replace(day=d), TARGET_SLOTS[:1]) for d in (5, 12, 19, 26)]


def _target_activities(ctx, themes, people, rng, created) -> None:
    """The public-welfare activities of TARGET_SLOTS, each looked up by its title (which
    names its month and number); the demo person and some others have signed up for
    the first ones, so the caseload shows people on course and people behind."""
    bureau = ctx.units.get("bureau")
    if bureau is None:
        return
    local = timezone.get_default_timezone()
    organiser = ctx.users["unitadmin"]
    number: dict = {}
    for day, slots in _target_days(ctx.today):
        for hour, length in slots:
            month = day.replace(day=1)
            number[month] = number.get(month, 0) + 1
            code, title, place, district, description = TARGET_THEMES[
                (number[month] - 1) % len(TARGET_THEMES)]
            title = f"{title}（{day.month}月第{number[month]}场）"
            if Activity.objects.filter(title=title, unit=bureau).exists():
                continue
            starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=local)
            activity = Activity(
                title=title, theme=themes[code], kind=PW, description=description,
                place=place, district=ctx.districts[district], starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=length), capacity=80,
                waitlist_limit=10, signup_deadline=starts - datetime.timedelta(hours=2),
                hours=Decimal(length), suitable_for_juveniles=True, unit=bureau,
                status=Activity.Status.PUBLISHED, created_by=organiser,
                published_at=timezone.now())
            activity.full_clean()
            activity.save()
            created["activity"] += 1
            if month == ctx.today.replace(day=1) and number[month] <= 2:
                chosen = [s for s in people if s.status == Supervisee.Status.IN_CORRECTION
                          and s.user.username != "supervisee2"]
                rng.shuffle(chosen)
                chosen.sort(key=lambda s: s.user.username != "supervisee")
                for person in chosen[:len(chosen) // 2]:
                    try:  # the service's checks: offered, no clash
                        services.signup_create(supervisee=person, activity_id=activity.pk)
                    except services.ServiceError:
                        continue
                    created["signup"] += 1


def _certificate(ctx, created) -> None:
    """The released person asked for their volunteer-service record: one certificate
    listing each organisation's certified hours (the volunteer team's and the NGOs')."""
    person = ctx.supervisees.get("released")
    if person is None or Certificate.objects.filter(supervisee=person).exists():
        return
    try:
        services.certificate_issue(supervisee=person, issued_by=person.user)
    except services.ServiceError:
        return
    created["certificate"] += 1
