"""Employment help in the demo county: help agreements, training bases, jobs and training
places of the five demo enterprises, job profiles, applications in every state and a few
placements with their follow-ups. `manage.py load_demo` calls load(ctx) after the core
county is built (portal/demo/loader.py); like the rest of the demo it is idempotent: rows
are looked up by natural keys and only created when missing.

Some openings are there to show the exclusions: jobs in 望川县 (outside the area of
people under correction), in banned industries (finance, food production, catering,
childcare) and at kinds of place prohibition orders name (a karaoke hall, a school, an
internet café)."""

from __future__ import annotations

import datetime

from django.db.models import Q

from portal.organisations.models import Membership
from portal.taxonomy.models import Industry

from . import services
from .models import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    FollowUp,
    HelpAgreement,
    Job,
    JobProfile,
    TrainingBase,
    TrainingPlace,
)
from .services import ServiceError

EXTRA_INDUSTRIES = [("housekeeping", "家政服务", "Housekeeping services")]

# key → (places promised, months since signing, terms)
AGREEMENTS = {
    "hexiang": (20, 14, "优先录用参加电商实训并结业的帮扶对象；录用满一年的，按县政策享受稳岗补贴。"),
    "jinyin": (30, 20, "采摘季优先招用帮扶对象，提供就近用工和计件工资，按月结算。"),
    "shunda": (15, 10, "提供分拣、仓储、配送岗位；帮扶对象试用期满即签订劳动合同并缴纳社保。"),
    "anju": (12, 8, "共建建筑技能实训基地，结业后推荐持证上岗；工伤保险全员覆盖。"),
    "qiaoshou": (10, 5, "提供可选半天班的家政岗位，便于兼顾报到和学习安排。"),
}

# key → [(name, district, address, description)]
BASES = {
    "hexiang": [("禾香电商直播实训基地", "qh-chengguan", "青禾县城关镇产业大道9号3号楼",
                 "直播间6个、网店运营实训室1个，每期4周，结业发放培训合格证。")],
    "jinyin": [("金银花种植实训基地", "qh-bailu", "青禾县白鹭乡花园村示范田",
                "200亩示范田，教授育苗、修剪、病虫害防治和采后烘干。")],
    "shunda": [("顺达仓储实训基地", "qh-taoyuan", "青禾县桃源镇物流园A区2号库",
                "叉车实操场地和智能分拣线，培训叉车驾驶和仓储管理。")],
    "anju": [("安居建筑技能实训基地", "qh-shiqiao", "青禾县石桥镇工业路12号（与县职业中专共建）",
              "电工、电焊、装修装饰实训工位，可组织技能等级证书考前辅导。")],
    "qiaoshou": [("巧手家政服务实训基地", "qh-chengguan", "青禾县城关镇幸福街66号二楼",
                  "模拟家居实训室，培训保洁、收纳、母婴护理和养老护理。")],
}

# Jobs: key → list of dicts. Fields not given take the model defaults.
JOBS = {
    "hexiang": [
        dict(title="网店客服专员", industry="ecommerce", district="qh-chengguan",
             skills=["computer", "ecommerce"], pay=(3000, 4000), places=3,
             schedule="9:00–17:30，周末轮休",
             description="负责园区网店的售前咨询和售后处理，提供岗前培训，会基本电脑操作即可。"),
        dict(title="直播助理（学徒）", industry="ecommerce", district="qh-chengguan",
             skills=["livestream", "computer"], pay=(2400, 3000), places=2,
             juveniles_allowed=True, hours_per_week=30, work_days="12345",
             schedule="13:30–19:30", shift="day",
             description="协助主播布置直播间、上下架商品，师傅带教；16、17周岁可报名，每天不超过6小时。"),
        dict(title="电商小额贷款客服", industry="finance", district="qh-chengguan",
             skills=["computer"], pay=(3500, 4500), places=1,
             description="为园区商户解答小额经营贷款的申请流程。"),
        dict(title="园区网咖值班员", industry="entertainment", venue_type="internet-cafe",
             district="qh-chengguan", pay=(2800, 3200), shift="night", work_days="1234567",
             hours_per_week=42, schedule="22:00–次日6:00，做一休一",
             description="园区配套网咖夜间值班和设备巡检。"),
        dict(title="电商运营助理（望川分园）", industry="ecommerce", district="wangchuan",
             skills=["ecommerce", "computer"], pay=(4000, 5500), places=2,
             description="望川县分园的店铺运营和数据整理工作，包住宿。"),
    ],
    "jinyin": [
        dict(title="金银花采摘工（季节性）", industry="agriculture", district="qh-bailu",
             shift="flexible", work_days="1234567", hours_per_week=36, pay=(2500, 3500),
             places=10, juveniles_allowed=True, schedule="清晨采摘，按公斤计件，时间自选",
             description="5—8月采摘季用工，就近上岗，计件工资日结或月结。"),
        dict(title="种植管理员", industry="agriculture", district="qh-bailu",
             skills=["planting"], pay=(3500, 4200), places=2,
             description="负责示范田的日常管护、施肥和病虫害防治记录。"),
        dict(title="烘干加工车间操作工", industry="food", district="qh-bailu",
             shift="rotating", work_days="1234567", hours_per_week=44, pay=(3200, 4000),
             places=4, description="金银花烘干、分拣和包装，需办理健康证。"),
    ],
    "shunda": [
        dict(title="快递分拣员", industry="logistics", district="qh-taoyuan",
             skills=["warehouse"], shift="night", work_days="123456", hours_per_week=48,
             pay=(3800, 4800), places=6, schedule="20:00–次日4:00",
             description="夜班分拣，包工作餐，满三个月有全勤奖。"),
        dict(title="同城配送员", industry="logistics", district="qh-chengguan",
             skills=["driving"], pay=(4000, 6000), places=4, hours_per_week=44,
             schedule="8:00–17:00", description="县城内快件配送，公司提供电动三轮车，需C1驾照。"),
        dict(title="仓库管理员", industry="logistics", district="qh-taoyuan",
             skills=["warehouse", "computer"], pay=(4000, 5000), places=1,
             description="出入库登记、盘点和库位管理，会使用仓储系统优先。"),
        dict(title="叉车司机（望川县分拨中心）", industry="logistics", district="wangchuan",
             skills=["driving", "warehouse"], pay=(4500, 5500), places=2,
             description="望川县分拨中心叉车作业，需持叉车证，包住宿。"),
        dict(title="企业食堂帮厨", industry="catering", district="qh-taoyuan",
             skills=["cooking"], pay=(3000, 3600), places=1, schedule="6:00–14:00",
             description="物流园员工食堂的备菜、打饭和清洁。"),
    ],
    "anju": [
        dict(title="建筑普工", industry="construction", district="qh-shiqiao",
             work_days="123456", hours_per_week=48, pay=(4000, 5000), places=8,
             description="工地搬运、清理和辅助作业，包吃住，工资按月足额发放。"),
        dict(title="持证电工", industry="construction", district="qh-shiqiao",
             skills=["electrician"], pay=(5000, 6500), places=2,
             description="工地临时用电安装和维护，需持低压电工作业证。"),
        dict(title="校舍维修工", industry="construction", venue_type="school",
             district="qh-chengguan", skills=["renovation"], pay=(4000, 5000), places=2,
             description="承接县内中小学校舍的日常维修，需进入校园作业。"),
        dict(title="电焊工（望川县工地）", industry="construction", district="wangchuan",
             skills=["welding"], pay=(6000, 7500), places=3,
             description="望川县产业园钢结构项目，需持焊工证，包住宿。"),
        dict(title="外墙保温工", industry="construction", district="qh-shiqiao",
             pay=(4500, 5500), places=2, status="closed",
             description="本期已招满。"),
    ],
    "qiaoshou": [
        dict(title="家庭保洁员（半天班）", industry="housekeeping", district="qh-chengguan",
             skills=["housekeeping"], shift="flexible", hours_per_week=20, pay=(2000, 3000),
             places=5, schedule="上午或下午任选半天",
             description="县城家庭日常保洁，时间可选，适合需要兼顾报到和学习的求职者。"),
        dict(title="养老护理员", industry="housekeeping", district="qh-chengguan",
             skills=["housekeeping"], shift="rotating", work_days="1234567",
             hours_per_week=44, pay=(3500, 4500), places=3,
             description="县社会福利中心护理岗位，提供养老护理员培训。"),
        dict(title="托育中心保育员", industry="childcare", venue_type="school",
             district="qh-chengguan", pay=(3000, 3800), places=2,
             description="社区托育中心的保育和卫生工作。"),
        dict(title="KTV保洁员（夜班）", industry="entertainment", venue_type="bar",
             district="qh-chengguan", shift="night", work_days="1234567",
             hours_per_week=42, pay=(3000, 3500), places=1,
             description="城关镇一家KTV的夜间保洁。"),
    ],
}

# Training places: key → list of dicts (the base is the enterprise's first).
TRAINING = {
    "hexiang": [
        dict(programme="电商直播实训班（第5期）", industry="ecommerce",
             skills=["livestream", "ecommerce"], capacity=20, juveniles_allowed=True,
             starts_in=14, weeks=4, schedule="周一至周五 9:00–16:00",
             description="直播话术、选品、短视频拍摄剪辑，结业可推荐园区就业。"),
    ],
    "jinyin": [
        dict(programme="金银花种植管理培训", industry="agriculture", skills=["planting"],
             capacity=30, juveniles_allowed=True, starts_in=7, weeks=2, shift="flexible",
             schedule="上午田间实操，下午可自由安排",
             description="育苗、修剪、病虫害防治和采后烘干，结业优先录用。"),
    ],
    "shunda": [
        dict(programme="叉车驾驶与仓储管理培训", industry="logistics",
             skills=["driving", "warehouse"], capacity=12, starts_in=21, weeks=3,
             description="叉车理论与实操、仓储系统使用，协助报考叉车证。"),
    ],
    "anju": [
        dict(programme="低压电工上岗证培训", industry="construction", skills=["electrician"],
             capacity=15, starts_in=10, weeks=6, shift="evening", work_days="1234",
             hours_per_week=12, schedule="周一至周四 19:00–22:00",
             description="晚间授课，不影响白天工作，协助报考低压电工作业证。"),
        dict(programme="电焊技能实训", industry="construction", skills=["welding"],
             capacity=10, starts_in=30, weeks=6, description="手工电弧焊、气保焊实操。"),
    ],
    "qiaoshou": [
        dict(programme="家政与养老护理培训", industry="housekeeping",
             skills=["housekeeping"], capacity=25, starts_in=5, weeks=3,
             schedule="周一至周五 14:00–17:00", hours_per_week=15,
             description="保洁收纳、母婴护理和养老护理，结业推荐就业。"),
    ],
}

# The demo accounts' job profiles: username → profile fields.
PROFILES = {
    "supervisee": dict(skills=["driving", "warehouse"], preferred=["qh-chengguan", "qh-taoyuan"],
                       shifts=["day", "flexible"], max_hours=48, reporting=(1, "morning"),
                       history="在物流公司做过三年仓库保管员，有C1驾照，开过两年货车。"),
    "supervisee2": dict(skills=["renovation"], preferred=["qh-taoyuan", "qh-shiqiao"],
                        shifts=["day"], max_hours=48, reporting=(4, "afternoon"),
                        history="做过八年室内装修，会水电改造和铺贴。"),
    "juvenile": dict(skills=["computer"], preferred=["qh-chengguan"], shifts=["day"],
                     max_hours=30, reporting=(6, "morning"), history=""),
    "released": dict(skills=["housekeeping", "cooking"], preferred=["qh-chengguan"],
                     shifts=["flexible", "day"], max_hours=30, reporting=None,
                     history="在饭店做过帮厨，做过两年钟点工。"),
}


def load(ctx) -> None:
    if "hexiang" not in ctx.organisations:
        return
    for code, name, name_en in EXTRA_INDUSTRIES:
        industry, created = Industry.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": 50})
        ctx.industries[code] = industry
        ctx.created["industry"] += created
    staff = _staff(ctx)
    bases = _agreements_and_bases(ctx)
    jobs = _jobs(ctx, staff)
    places = _training(ctx, staff, bases)
    _profiles(ctx)
    _applications(ctx, staff, jobs, places)


def _staff(ctx) -> dict:
    """The first staff account of each demo enterprise (the `enterprise` demo account for
    禾香), who posts its openings."""
    found = {}
    for key in AGREEMENTS:
        organisation = ctx.organisations[key]
        membership = (Membership.objects.filter(organisation=organisation)
                      .select_related("user").order_by("role", "pk").first())
        if membership is not None:
            found[key] = membership.user
    if "enterprise" in ctx.users:
        found["hexiang"] = ctx.users["enterprise"]
    return found


def _agreements_and_bases(ctx) -> dict:
    bureau = ctx.units["bureau"]
    bases = {}
    for key, (places, months, terms) in AGREEMENTS.items():
        organisation = ctx.organisations[key]
        if not HelpAgreement.objects.filter(organisation=organisation, unit=bureau).exists():
            signed = ctx.today - datetime.timedelta(days=30 * months)
            HelpAgreement.objects.create(
                organisation=organisation, unit=bureau, signed_on=signed, starts_on=signed,
                ends_on=signed + datetime.timedelta(days=3 * 365), places_promised=places,
                terms=terms)
            ctx.created["help_agreement"] += 1
        for name, district, address, description in BASES[key]:
            base, created = TrainingBase.objects.get_or_create(
                organisation=organisation, name=name,
                defaults={"district": ctx.districts[district], "address": address,
                          "description": description})
            ctx.created["training_base"] += created
            bases.setdefault(key, base)
    return bases


def _jobs(ctx, staff) -> dict:
    jobs = {}
    for key, specs in JOBS.items():
        organisation = ctx.organisations[key]
        for spec in specs:
            spec = dict(spec)
            title = spec.pop("title")
            job = Job.objects.filter(organisation=organisation, title=title).first()
            if job is None:
                skills = [ctx.skills[c] for c in spec.pop("skills", [])]
                low, high = spec.pop("pay", (None, None))
                venue = spec.pop("venue_type", None)
                job = services.job_save(
                    actor=staff[key], organisation=organisation, title=title, skills=skills,
                    industry=ctx.industries[spec.pop("industry")],
                    district=ctx.districts[spec.pop("district")],
                    venue_type=ctx.venue_types[venue] if venue else None,
                    pay_min=low, pay_max=high, **spec)
                ctx.created["job"] += 1
            jobs[title] = job
    return jobs


def _training(ctx, staff, bases) -> dict:
    places = {}
    for key, specs in TRAINING.items():
        organisation = ctx.organisations[key]
        for spec in specs:
            spec = dict(spec)
            programme = spec.pop("programme")
            place = TrainingPlace.objects.filter(organisation=organisation,
                                                 programme=programme).first()
            if place is None:
                skills = [ctx.skills[c] for c in spec.pop("skills", [])]
                starts = ctx.today + datetime.timedelta(days=spec.pop("starts_in"))
                ends = starts + datetime.timedelta(weeks=spec.pop("weeks"))
                place = services.training_place_save(
                    actor=staff[key], organisation=organisation, programme=programme,
                    base=bases[key], industry=ctx.industries[spec.pop("industry")],
                    skills=skills, starts_on=starts, ends_on=ends, **spec)
                ctx.created["training_place"] += 1
            places[programme] = place
    return places


def _profiles(ctx) -> None:
    for username, spec in PROFILES.items():
        supervisee = ctx.supervisees.get(username)
        if supervisee is None or JobProfile.objects.filter(supervisee=supervisee).exists():
            continue
        services.profile_save(
            supervisee=supervisee, actor=supervisee.user,
            skills=[ctx.skills[c] for c in spec["skills"]], work_history=spec["history"],
            preferred_districts=[ctx.districts[c] for c in spec["preferred"]],
            preferred_shifts=spec["shifts"], max_hours_per_week=spec["max_hours"])
        if spec["reporting"]:
            services.reporting_duty_set(actor=supervisee.caseworker, supervisee=supervisee,
                                        weekday=spec["reporting"][0],
                                        period=spec["reporting"][1])
        ctx.created["job_profile"] += 1


def _applications(ctx, staff, jobs, places) -> None:
    if Application.objects.filter(supervisee__in=list(ctx.supervisees.values())).exists():
        return  # already loaded once; a person may have changed their applications since
    supervisee = ctx.supervisees.get("supervisee")
    supervisee2 = ctx.supervisees.get("supervisee2")
    released = ctx.supervisees.get("released")
    # The demo supervisee applied for a delivery job and has been invited to an interview;
    # their caseworker recommends a warehouse job, waiting for them to agree.
    if supervisee is not None:
        application = _apply(ctx, supervisee, jobs["同城配送员"], days_ago=6,
                             message="我有C1驾照，熟悉县城道路。")
        _progress(ctx, application, staff["shunda"], ApplicationStatus.INTERVIEW, days_ago=3,
                  note="请于下周三上午9点到顺达物流园A区办公楼面试。")
        _recommend(ctx, supervisee, jobs["仓库管理员"], days_ago=1,
                   note="你有仓库保管经验，这个岗位白班、离家近，可以考虑。")
    if supervisee2 is not None:
        application = _apply(ctx, supervisee2, jobs["建筑普工"], days_ago=12)
        _progress(ctx, application, staff["anju"], ApplicationStatus.OFFERED, days_ago=2,
                  note="欢迎加入，请带身份证到项目部办理入职。")
    if released is not None:
        _hire(ctx, released, jobs["家庭保洁员（半天班）"], staff["qiaoshou"], started_days_ago=100,
              outcomes={30: True})
    # A few more people placed over the past months, for the figures page.
    plans = [
        ("建筑普工", "anju", 150, {30: True, 90: True}),
        ("快递分拣员", "shunda", 130, {30: True, 90: False}),
        ("金银花采摘工（季节性）", "jinyin", 120, {30: True, 90: True}),
        ("建筑普工", "anju", 95, {30: True}),
        ("快递分拣员", "shunda", 40, {30: False}),
        ("网店客服专员", "hexiang", 20, {}),
    ]
    people = sorted((s for u, s in ctx.supervisees.items() if u.startswith("demo-s")),
                    key=lambda s: s.user.username)
    taken = set()
    for title, key, started, outcomes in plans:
        for person in people:
            if person.pk in taken:
                continue
            if _hire(ctx, person, jobs[title], staff[key], started_days_ago=started,
                     outcomes=outcomes):
                taken.add(person.pk)
                break


def _backdate(application: Application, when) -> None:
    # Demo history only: make the timeline read as if it happened over the past weeks.
    Application.objects.filter(pk=application.pk).update(created_at=when, updated_at=when)
    ApplicationStatusChange.objects.filter(application=application).filter(
        Q(changed_at__gte=when)).update(changed_at=when)


def _apply(ctx, person, job, *, days_ago: int, message: str = "") -> Application | None:
    try:
        application = services.application_create(supervisee=person, job_id=job.pk,
                                                   message=message)
    except ServiceError:
        return None
    _backdate(application, _moment(ctx, days_ago))
    ctx.created["application"] += 1
    return application


def _progress(ctx, application, actor, status, *, days_ago: int, note: str = "",
              started_on=None) -> bool:
    if application is None:
        return False
    try:
        services.application_status_set(actor=actor, application_id=application.pk,
                                        status=status, note=note, started_on=started_on)
    except ServiceError:
        return False
    ApplicationStatusChange.objects.filter(application=application, to_status=status).update(
        changed_at=_moment(ctx, days_ago))
    return True


def _recommend(ctx, person, job, *, days_ago: int, note: str) -> None:
    try:
        application = services.application_recommend(
            actor=person.caseworker, supervisee=person, job_id=job.pk, note=note)
    except ServiceError:
        return
    _backdate(application, _moment(ctx, days_ago))
    ctx.created["application"] += 1


def _hire(ctx, person, job, actor, *, started_days_ago: int, outcomes: dict) -> bool:
    application = _apply(ctx, person, job, days_ago=started_days_ago + 14)
    if application is None:
        return False
    _progress(ctx, application, actor, ApplicationStatus.INTERVIEW,
              days_ago=started_days_ago + 10)
    started_on = ctx.today - datetime.timedelta(days=started_days_ago)
    if not _progress(ctx, application, actor, ApplicationStatus.HIRED,
                     days_ago=started_days_ago + 3, started_on=started_on):
        return False
    caseworker = person.caseworker
    for day, still in outcomes.items():
        follow_up = FollowUp.objects.get(placement__application=application, day=day)
        try:
            services.follow_up_complete(actor=caseworker, follow_up_id=follow_up.pk,
                                        still_employed=still,
                                        note="电话回访用人单位和本人。" if still else
                                        "本人已离职，正在联系其他岗位。",
                                        today=ctx.today)
        except ServiceError:
            continue
    ctx.created["placement"] += 1
    return True


def _moment(ctx, days_ago: int) -> datetime.datetime:
    from django.utils import timezone

    moment = datetime.datetime.combine(ctx.today - datetime.timedelta(days=days_ago),
                                       datetime.time(10, 0))
    return timezone.make_aware(moment)
