"""Demo data for the help network, on top of the demo county (portal.demo): the NGOs' and
counselling providers' services, counselling slots, referrals in every status (some
overdue), counselling appointments attended and missed with the counsellor's notes, and
education-help fund applications in each state.

`manage.py load_demo` calls load(ctx). Idempotent: services are looked up by provider and
name, referrals by person and reason, slots by provider and start, fund applications by
person and need; nothing is made twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import (
    Appointment,
    CounsellingSlot,
    FundApplication,
    Referral,
    ReferralEvent,
    Service,
    SessionNote,
)

# (provider key, name, type, audience, area, capacity, description)
SERVICES = [
    ("qihang", "个案社会工作支持", "social_work", "adults", "城关镇、柳河镇", 12,
     "社工一对一跟进，协助解决就业、住房、家庭关系等实际困难，每月至少面谈两次。"),
    ("qihang", "青少年成长陪伴", "education", "juveniles", "全县", 6,
     "为未成年社区矫正对象提供学业辅导、兴趣小组和家长沟通，身份信息严格保密。"),
    ("nuanyang", "困难家庭帮扶", "livelihood", "families", "桃源镇、石桥镇", 10,
     "走访困难家庭，链接低保、临时救助和慈善资源，帮助解决子女上学等实际问题。"),
    ("fazhi", "法律援助咨询", "legal_aid", "everyone", "全县", 20,
     "志愿律师解答劳动争议、婚姻家庭、债务纠纷等法律问题，协助申请法律援助。"),
    ("jiating", "家庭关系辅导", "family", "families", "全县", 8,
     "面向矫正对象及其家属的家庭教育和亲子沟通辅导，修复家庭支持系统。"),
    ("xinqing", "一对一心理咨询", "counselling", "everyone", "城关镇（可视频）", 15,
     "持证心理咨询师提供个体咨询，每次五十分钟，内容严格保密。"),
    ("xinqing", "戒酒互助与动机访谈", "addiction", "adults", "全县", 8,
     "针对饮酒问题的动机访谈和互助小组，配合醉驾类矫正对象的教育。"),
    ("zhengxin", "情绪与压力管理", "counselling", "everyone", "柳河镇、白鹭乡", 10,
     "团体辅导与个体咨询相结合，帮助学习应对焦虑、愤怒和失眠。"),
]

# (person index, service (provider, name), status, days ago referred, reason (staff only),
#  summary for the provider: neutral, no corrections words)
REFERRALS = [
    (0, ("xinqing", "一对一心理咨询"), "in_progress", 40, "入矫以来情绪低落、睡眠差，希望接受专业心理咨询。",
     "希望接受一对一心理咨询，改善情绪和睡眠。"),
    (1, ("qihang", "个案社会工作支持"), "pending", 12, "失业后租房困难，需要社工协助链接住房和就业资源。",
     "需要社工协助链接住房和就业资源。"),
    (2, ("fazhi", "法律援助咨询"), "pending", 9, "与原单位存在工资拖欠纠纷，需要法律咨询。",
     "与原单位有工资拖欠纠纷，需要法律咨询。"),
    (3, ("jiating", "家庭关系辅导"), "pending", 2, "与妻子关系紧张，孩子上学问题需要家庭辅导。",
     "夫妻关系紧张，孩子上学有困难，需要家庭辅导。"),
    (4, ("nuanyang", "困难家庭帮扶"), "awaiting_consent", 1, "家中老人重病，经济困难，建议申请困难家庭帮扶。",
     "家中老人重病、经济困难，希望申请困难家庭帮扶。"),
    (5, ("xinqing", "戒酒互助与动机访谈"), "consent_declined", 20, "醉驾案件，存在长期饮酒习惯，建议参加戒酒辅导。",
     "希望获得戒酒方面的辅导和支持。"),
    (6, ("zhengxin", "情绪与压力管理"), "accepted", 6, "在工作中容易与人冲突，需要情绪管理辅导。",
     "希望学习情绪管理，减少工作中的冲突。"),
    (7, ("qihang", "个案社会工作支持"), "closed", 90, "刑满前后缺少社会支持，需要社工持续跟进。",
     "需要社工持续跟进，帮助重建社会支持。"),
    (8, ("fazhi", "法律援助咨询"), "declined", 30, "希望咨询离婚财产分割问题。",
     "需要婚姻家庭方面的法律咨询。"),
    (9, ("jiating", "家庭关系辅导"), "withdrawn", 25, "父子关系紧张，建议家庭辅导。",
     "父子关系紧张，希望接受家庭辅导。"),
    (10, ("xinqing", "一对一心理咨询"), "closed", 120, "案件审理期间压力大，出现焦虑症状。",
     "近期压力大、有焦虑表现，希望接受心理咨询。"),
]

FUNDS = [
    (0, "child", "李小雨", True, "城关镇第一初级中学", "初二", "submitted", "1500",
     "女儿上初二，住校费用和教辅资料费用有困难。"),
    (3, "child", "王思远", True, "柳河镇中心小学", "五年级", "approved", "800",
     "儿子上小学五年级，家庭收入低，需要学习用品和校服费用。"),
    (5, "self", "", False, "", "", "rejected", "3000", "本人希望参加电工职业技能培训，申请培训费。"),
    (7, "child", "刘晨曦", True, "青禾县第二高级中学", "高一", "paid", "2000",
     "女儿考入高中，学费和住宿费一次性支出困难。"),
]


def load(ctx) -> None:
    with transaction.atomic():
        _load(ctx)


def _load(ctx) -> None:
    now = timezone.now()
    services = {}
    for key, name, type_, audience, area, capacity, description in SERVICES:
        organisation = ctx.organisations.get(key)
        if organisation is None:
            continue
        service, created = Service.objects.get_or_create(
            organisation=organisation, name=name,
            defaults={"type": type_, "audience": audience, "area": area,
                      "capacity": capacity, "description": description,
                      "contact": organisation.contact_phone or "—"})
        ctx.created["help service"] += created
        services[(key, name)] = service

    people = sorted((s for s in ctx.supervisees.values()
                     if not s.is_juvenile and not s.is_sealed and s.caseworker_id),
                    key=lambda s: (s.user.username != "supervisee", s.user.username))
    if not people or not services:
        return

    referrals = {}
    for index, service_key, status, days_ago, reason, summary in REFERRALS:
        person = people[index % len(people)]
        service = services.get(service_key)
        if service is None:
            continue
        referral = Referral.objects.filter(supervisee=person, reason=reason).first()
        if referral is None:
            referral = _referral(ctx, person, service, status, now - datetime.timedelta(
                days=days_ago), reason, summary)
            ctx.created["referral"] += 1
        referrals[index] = referral

    counselling = [o for o in ctx.organisations.values() if o.kind == "counselling"]
    _slots_and_appointments(ctx, counselling, people, referrals, now)
    _funds(ctx, people, now)


def _referral(ctx, person, service, status, at, reason, summary) -> Referral:
    caseworker = person.caseworker
    staff = service.organisation.memberships.select_related("user").first()
    provider = staff.user if staff else caseworker
    referral = Referral.objects.create(supervisee=person, service=service, reason=reason,
                                       provider_summary=summary, created_by=caseworker,
                                       created_at=at)
    history = [("awaiting_consent", caseworker, at, reason)]
    step = datetime.timedelta(days=1)

    def move(to, by, when, note="", **fields):
        referral.status = to
        for name, value in fields.items():
            setattr(referral, name, value)
        history.append((to, by, when, note))

    if status == "consent_declined":
        move("consent_declined", person.user, at + step, closed_at=at + step)
    elif status != "awaiting_consent":
        consent_at = at + datetime.timedelta(hours=2)
        move("pending", caseworker, consent_at, "本人当面同意转介。", consent_at=consent_at,
             consent_by=caseworker, shared_with=service.organisation)
        answered = at + 3 * step
        if status == "withdrawn":
            move("withdrawn", caseworker, answered, "本人已找到其他帮扶资源。", closed_at=answered)
        elif status == "declined":
            move("declined", provider, answered, "本月律师排期已满，建议转介县法律援助中心。",
                 responded_at=answered, response_note="本月律师排期已满，建议转介县法律援助中心。",
                 closed_at=answered)
        elif status in ("accepted", "in_progress", "closed"):
            move("accepted", provider, answered, "已安排专人跟进。", responded_at=answered)
            if status in ("in_progress", "closed"):
                sessions = 4 if status == "closed" else 2
                for i in range(sessions):
                    when = answered + (i + 1) * 7 * step
                    if i == 0:
                        move("in_progress", provider, when)
                    history.append(("", provider, when + datetime.timedelta(hours=1),
                                    f"第{i + 1}次面谈已完成。"))
                referral.sessions_held = sessions
            if status == "closed":
                closed = answered + 40 * step
                move("closed", provider, closed, "达到预期目标", closed_at=closed,
                     outcome="achieved",
                     outcome_report="共面谈四次。本人情绪趋于稳定，已找到临时工作，家庭关系有所改善，"
                                    "建议继续关注其就业稳定情况。")
    referral.save()
    previous = ""
    for to, by, when, note in history:
        ReferralEvent.objects.create(
            referral=referral, kind="status" if to else "session", from_status=previous if to
            else "", to_status=to, note=note, by=by, at=when)
        previous = to or previous
    return referral


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _workday(today: datetime.date, days: int) -> datetime.date:
    """`days` from today, moved off a weekend (back for the past, forward for the future):
    slots are offered on weekdays."""
    day = today + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=-1 if days < 0 else 1)
    return day


def _slots_and_appointments(ctx, counselling, people, referrals, now) -> None:
    for organisation in counselling:
        staff = organisation.memberships.select_related("user").first()
        counsellor = staff.user if staff else None
        for days in range(-21, 15):
            day = ctx.today + datetime.timedelta(days=days)
            if day.weekday() >= 5:
                continue
            for hour in (9, 14, 19):  # the evening slot fits people who work days
                starts = _at(day, hour)
                slot, created = CounsellingSlot.objects.get_or_create(
                    organisation=organisation, starts_at=starts,
                    defaults={"ends_at": starts + datetime.timedelta(minutes=50),
                              "counsellor": counsellor,
                              "mode": "online" if hour == 19 else "in_person",
                              "place": "" if hour == 19 else (organisation.address or "咨询室"),
                              "created_at": starts - datetime.timedelta(days=30)})
                ctx.created["counselling slot"] += created
    xinqing = next((o for o in counselling if o.memberships.exists()), None)
    if xinqing is None:
        return
    counsellor = xinqing.memberships.select_related("user").first().user
    referral = referrals.get(0)
    person = people[0]
    plan = [  # (days from today, hour, status, note, shared summary)
        (-14, 14, "attended", "初次评估：入矫适应困难，睡眠差，自述对家人有愧疚感。布置睡眠日记。",
         "按时到场，初次评估已完成。"),
        (-7, 14, "attended", "睡眠有改善，谈到与父亲的矛盾，情绪激动，练习放松训练。",
         "按时到场，情绪较上次平稳。"),
        (-3, 19, "missed", "", ""),
        (1, 14, "booked", "", ""),
        (8, 14, "booked", "", ""),
    ]
    for days, hour, status, note, summary in plan:
        slot = CounsellingSlot.objects.filter(
            organisation=xinqing, starts_at=_at(_workday(ctx.today, days), hour)).first()
        if slot is None or Appointment.objects.filter(slot=slot).exists():
            continue
        booked_at = min(slot.starts_at - datetime.timedelta(days=3), now)
        appointment = Appointment.objects.create(
            slot=slot, supervisee=person, booked_by=person.caseworker, booked_at=booked_at,
            referral=referral if referral and referral.shared_with_id == xinqing.pk else None,
            status=status, shared_summary=summary,
            attendance_by=counsellor if status != "booked" else None,
            attendance_at=slot.ends_at if status != "booked" else None)
        ctx.created["appointment"] += 1
        if note:
            SessionNote.objects.create(appointment=appointment, author=counsellor, text=note,
                                       created_at=slot.ends_at)
    # Another person's cancelled appointment, and a second person booked for next week.
    if len(people) > 1:
        for days, status in ((3, "cancelled"), (5, "booked")):
            slot = CounsellingSlot.objects.filter(
                organisation=xinqing,
                starts_at=_at(_workday(ctx.today, days), 9)).first()
            if slot is None or Appointment.objects.filter(slot=slot).exists():
                continue
            Appointment.objects.create(
                slot=slot, supervisee=people[1], booked_by=people[1].user,
                booked_at=now - datetime.timedelta(days=1), status=status,
                cancelled_at=now if status == "cancelled" else None)
            ctx.created["appointment"] += 1


def _funds(ctx, people, now) -> None:
    admin = ctx.users.get("unitadmin")
    for index, beneficiary, name, schooling, school, grade, status, amount, need in FUNDS:
        person = people[index % len(people)]
        if FundApplication.objects.filter(supervisee=person, need=need).exists():
            continue
        created_at = now - datetime.timedelta(days=30)
        fields = {"supervisee": person, "beneficiary": beneficiary, "beneficiary_name": name,
                  "is_schooling": schooling, "school": school, "grade": grade,
                  "amount": Decimal(amount), "need": need, "created_by": person.caseworker,
                  "created_at": created_at, "status": status}
        if status != "submitted" and admin is not None:
            fields.update(decided_by=admin, decided_at=created_at + datetime.timedelta(days=5))
            if status == "rejected":
                fields["decision_note"] = "职业技能培训费用可通过人社部门补贴解决，已转介。"
            else:
                fields["amount_approved"] = Decimal(amount)
                fields["decision_note"] = "经入户核实，家庭确有困难。"
            if status == "paid":
                fields.update(paid_at=created_at + datetime.timedelta(days=9), paid_by=admin,
                              payment_reference="青禾县教育帮扶基金-2024-017",
                              follow_up_note="已回访：学生已按时入学，学习状态良好。",
                              follow_up_at=created_at + datetime.timedelta(days=25))
        FundApplication.objects.create(**fields)
        ctx.created["fund application"] += 1
