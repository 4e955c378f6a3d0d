"""Demo courses for the demo county: a dozen courses across the categories, with lessons,
quizzes and upcoming classes (evening, weekend and online), and — when the demo accounts
exist — some learning by the demo supervisee.

Idempotent: pages are found by slug, classes are added only to courses without upcoming
ones, and the demo learner's records are made once. Run after load_demo has made the
units, partners and accounts (`manage.py courses_demo`, or from load_demo with
`call_command("courses_demo")`); on a database without units it does nothing but say so.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cms.models import HomePage
from courses import services
from courses.models import (
    ClassSession,
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonTime,
    SessionSignup,
)
from portal.organisations.models import Organisation, Unit

CATEGORIES = [
    ("legal", "法治教育", "民法典、反电信诈骗、拒绝赌博、酒驾危害等法律常识", 10),
    ("culture", "传统文化", "孔子学堂：仁爱、孝道、诚信", 20),
    ("mental-health", "心理健康", "由心理咨询师带领的情绪、压力与家庭关系课程", 30),
    ("skills", "职业技能", "电商直播、种植养殖等就业技能培训", 40),
    ("cautionary", "警示教育", "以案释法的警示教育案例", 50),
]


def q(question, answers, correct, explanation=""):
    """A quiz question: `correct` is the index (or indexes) of the right answers."""
    correct = {correct} if isinstance(correct, int) else set(correct)
    return {"type": "question", "value": {
        "question": question,
        "choices": [{"text": a, "correct": i in correct} for i, a in enumerate(answers)],
        "explanation": explanation,
    }}


def p(*paragraphs):
    return [{"type": "paragraph", "value": "".join(f"<p>{t}</p>" for t in paragraphs)}]


# slug, title, category, provider ("unit" | "ngo" | "counselling" | "enterprise"), format,
# audience, hours, summary, description, lessons [(title, minutes, body, quiz)],
# classes [(kind, weeks ahead)] with kind "evening" | "weekend" | "online"
COURSES = [
    ("minfadian", "民法典与日常生活", "legal", "unit", "online", "all", "3.0",
     "婚姻家庭、借款合同、邻里纠纷——用得上的民法典。",
     "民法典被称为“社会生活的百科全书”。本课用身边的例子讲清楚借条怎么写、"
     "夫妻共同债务怎么认定、邻里之间的通行和采光纠纷如何解决。",
     [("第一课：民法典是什么", 20, p(
         "2020年5月28日，十三届全国人大三次会议通过了《中华人民共和国民法典》，"
         "自2021年1月1日起施行。",
         "民法典共7编、1260条，包括总则、物权、合同、人格权、婚姻家庭、继承和侵权责任。"),
       []),
      ("第二课：借钱与借条", 25, p(
          "借款要写清楚出借人、借款人、金额（大写和小写）、借款日期、还款日期和利息。",
          "民法典规定，借款合同对支付利息没有约定的，视为没有利息；禁止高利放贷。"),
       [q("民法典自哪一天起施行？", ["2020年5月28日", "2021年1月1日", "2022年1月1日"], 1,
          "民法典于2020年5月通过，2021年1月1日起施行。"),
        q("借款合同没有约定利息时，应当怎样处理？", ["按银行利率计息", "视为没有利息",
                                                "由出借人决定"], 1)]),
      ("第三课：邻里之间", 20, p(
          "不动产的相邻权利人应当按照有利生产、方便生活、团结互助、公平合理的原则，"
          "正确处理相邻关系。"), [])],
     [("online", 2)]),
    ("fanzha", "识破电信网络诈骗", "legal", "unit", "blended", "all", "2.0",
     "刷单返利、冒充客服、“杀猪盘”……学会三招识破骗局。",
     "结合本县公安机关通报的真实案例，讲解常见诈骗手法，以及被骗后第一时间该做什么。",
     [("第一课：常见的诈骗手法", 20, p(
         "刷单返利、虚假投资理财、冒充电商物流客服、冒充公检法、网络游戏虚假交易，"
         "是最常见的几类电信网络诈骗。",
         "记住：公检法机关不会通过电话办案，更没有所谓的“安全账户”。"),
       [q("下列哪些是常见的电信网络诈骗手法？（多选）",
          ["刷单返利", "冒充公检法要求转账到“安全账户”", "社区组织的义诊活动"], [0, 1]),
        q("接到自称公安机关的电话，要求把钱转到“安全账户”，应当：",
          ["立即转账配合调查", "挂断电话，拨打110核实", "先转一半"], 1)]),
      ("第二课：被骗了怎么办", 15, p(
          "第一时间拨打110报警，保存好聊天记录和转账凭证，不要再向对方转账。"), [])],
     [("evening", 1), ("evening", 3)]),
    ("jujue-dubo", "拒绝赌博 远离陷阱", "legal", "unit", "in_person", "adults", "2.0",
     "网络赌博为什么“十赌九输”？赌债背后的违法犯罪。",
     "由司法所干警讲解赌博与开设赌场的法律责任，分享戒赌互助小组的经验。", [],
     [("evening", 2)]),
    ("jiujia", "酒驾醉驾的代价", "legal", "unit", "in_person", "adults", "2.0",
     "一杯酒的代价：吊销驾照、拘役、失去工作。",
     "交警和法官一起讲解酒驾、醉驾的认定标准和处罚，观看事故警示片。", [],
     [("weekend", 1), ("weekend", 4)]),
    ("kongzi-renai", "孔子学堂·仁爱", "culture", "ngo", "in_person", "all", "2.0",
     "“仁者爱人”：从《论语》看如何与人相处。",
     "孔子学堂由社工和志愿者老师带领，共读《论语》选段，分享自己的故事。",
     [("课前阅读：仁者爱人", 15, p(
         "樊迟问仁。子曰：“爱人。”——《论语·颜渊》",
         "己所不欲，勿施于人。想一想：最近一次你站在别人角度想问题，是什么时候？"), [])],
     [("weekend", 1), ("weekend", 2)]),
    ("kongzi-xiaodao", "孔子学堂·孝道", "culture", "ngo", "online", "all", "1.5",
     "孝，不只是给父母钱：陪伴、尊重和让他们放心。",
     "通过《论语》《孝经》中的故事，讨论在今天怎样尽孝。",
     [("第一课：父母在，不远游", 15, p(
         "子曰：“父母在，不远游，游必有方。”出门在外，让父母知道你在哪里、过得怎样，"
         "就是孝。"), []),
      ("第二课：色难", 15, p(
          "子夏问孝。子曰：“色难。”对父母和颜悦色，往往比物质供养更难做到。"),
       [q("“色难”说的是什么？", ["给父母钱很难", "对父母始终和颜悦色很难", "找工作很难"], 1)])],
     []),
    ("qingxu", "情绪管理与压力调适", "mental-health", "counselling", "blended", "all", "2.0",
     "学会觉察情绪、放松身体，和压力好好相处。",
     "由国家二级心理咨询师带领，小组形式，内容保密。线上课程可随时学习，"
     "线下小组每月两次。",
     [("第一课：认识你的情绪", 20, p(
         "情绪没有好坏之分。愤怒、焦虑、低落都在提醒我们：有些需要没有被满足。",
         "练习：每天睡前写下一件让你有情绪的小事，和当时身体的感觉。"), []),
      ("第二课：三分钟呼吸放松", 10, p(
          "吸气四秒，屏息四秒，呼气六秒，重复十次。紧张时随时可以做。"), [])],
     [("evening", 1), ("evening", 3)]),
    ("jiating", "重建家庭关系", "mental-health", "counselling", "in_person", "all", "2.0",
     "和家人重新说上话：沟通练习与家庭小组。",
     "欢迎家人一起参加。咨询师带领大家练习“我”句式沟通，化解误会。", [],
     [("weekend", 3)]),
    ("dianshang", "电商直播入门", "skills", "enterprise", "blended", "adults", "4.0",
     "从开账号到第一场直播：本地农产品上网卖。",
     "合作企业的主播和运营手把手教学，结业后可报名企业的实训岗位。",
     [("第一课：选品与定位", 30, p(
         "先选自己熟悉、货源稳定的产品，比如本地的金银花、红薯粉条。"), []),
      ("第二课：直播间的准备", 30, p(
          "一部手机、一个补光灯、一张干净的桌子就能开播。注意遵守广告法，不夸大功效。"),
       [q("直播介绍农产品时，下列做法正确的是：",
          ["说金银花能治百病", "如实介绍产地和保存方法", "虚构销量吸引顾客"], 1)]),
      ("第三课：第一场直播", 30, p("写好开场白、产品介绍和互动问题，先在朋友圈小范围试播。"),
       [])],
     [("online", 1), ("evening", 2)]),
    ("jinyinhua", "金银花种植技术", "skills", "enterprise", "in_person", "adults", "3.0",
     "在产业园实训基地学种植、修剪和采收。",
     "金银花产业园提供实训，结业合格者可优先应聘基地岗位。请穿适合劳动的衣服和鞋。", [],
     [("weekend", 1), ("weekend", 3)]),
    ("yian-shifa", "以案释法：一次冲动的代价", "cautionary", "unit", "online", "all", "1.5",
     "一场酒后争执如何变成故意伤害案——真实案例复盘。",
     "案例已隐去当事人信息。通过复盘，学习冷静处理冲突的方法。",
     [("案例：酒后争执", 20, p(
         "某日晚，张某与朋友饮酒后因琐事与邻桌发生口角，冲动之下动手致人轻伤二级，"
         "被以故意伤害罪判处有期徒刑一年、缓刑一年六个月。",
         "冲动的几分钟，换来的是刑事记录、赔偿和家人的担心。"), []),
      ("反思：如果重来一次", 15, p("遇到冲突时：先离开现场，深呼吸，必要时报警求助。"),
       [q("遇到酒后冲突，最好的做法是：", ["以牙还牙", "离开现场，必要时报警", "叫朋友来帮忙"],
          1)])],
     []),
    ("humiao-wangluo", "护苗课堂：网络安全与自我保护", "legal", "unit", "blended", "juveniles",
     "2.0", "专为未成年学员开设：网络交友、游戏充值和个人信息保护。",
     "由未成年人检察官和社工共同授课，与成年学员分开进行。",
     [("第一课：保护好你的个人信息", 15, p(
         "不要在网上透露自己的住址、学校和手机号；陌生人要求视频或见面，要告诉家长和老师。"),
       [q("网友要求你发自己的家庭住址，应当：", ["发给他", "拒绝并告诉家长或老师",
                                          "只发小区名字"], 1)])],
     [("weekend", 2)]),
]

VENUES = {
    "unit": ("县社区矫正中心三楼教室", "人民路88号"),
    "ngo": ("阳光社工活动室", "文化路12号"),
    "counselling": ("心理咨询室（小组室）", "健康路5号"),
    "enterprise": ("金银花产业园实训基地", "产业园区东区"),
}


class Command(BaseCommand):
    help = "Make the demo courses (idempotent; run after load_demo)."

    def handle(self, *args, **options):
        bureau = Unit.objects.filter(depth=1).order_by("path").first()
        if bureau is None:
            self.stdout.write("No units yet: run load_demo first. Nothing was made.")
            return
        with transaction.atomic():
            index = self._index()
            categories = self._categories()
            providers = self._providers(bureau)
            made = 0
            for spec in COURSES:
                course, created = self._course(index, categories, providers, spec)
                made += created
                self._classes(course, spec, providers)
            self._demo_learning()
        self.stdout.write(self.style.SUCCESS(
            f"Demo courses ready ({made} new, {len(COURSES) - made} already there)."))

    # --- pages -----------------------------------------------------------------------------

    def _index(self) -> CourseIndexPage:
        index = CourseIndexPage.objects.first()
        if index is not None:
            return index
        home = HomePage.objects.first()
        index = CourseIndexPage(
            title="课程学习", slug="courses", show_in_menus=True,
            intro="点菜式选课：法治教育、传统文化、心理健康、职业技能和警示教育。"
                  "线上课程随时学，线下课堂有晚上和周末的场次。")
        home.add_child(instance=index)
        index.save_revision().publish()
        return index

    def _categories(self) -> dict[str, CourseCategory]:
        found = {}
        for slug, name, description, order in CATEGORIES:
            found[slug], _ = CourseCategory.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description,
                                     "sort_order": order})
        return found

    def _providers(self, bureau) -> dict:
        def organisation(kind, preferred):
            return (Organisation.objects.filter(name=preferred, is_active=True).first()
                    or Organisation.objects.filter(kind=kind, is_active=True)
                    .order_by("pk").first())

        providers = {"unit": bureau}
        for key, kind, preferred in (("ngo", "ngo", "阳光社工"),
                                     ("counselling", "counselling", "心语心理咨询中心"),
                                     ("enterprise", "enterprise", "金银花产业园")):
            org = organisation(kind, preferred)
            providers[key] = org or bureau  # without the partner, the bureau runs it
            if org is not None:
                services.partner_course_editors_setup(organisation=org)
        return providers

    def _course(self, index, categories, providers, spec):
        (slug, title, category, provider_key, fmt, audience, hours, summary, description,
         lessons, _classes) = spec
        existing = CoursePage.objects.filter(slug=f"demo-{slug}").first()
        if existing is not None:
            return existing, False
        provider = providers[provider_key]
        is_unit = isinstance(provider, Unit)
        parent = index if is_unit else provider.course_folder
        course = CoursePage(
            title=title, slug=f"demo-{slug}", category=categories[category],
            summary=summary, description=f"<p>{description}</p>", format=fmt,
            audience=audience, study_hours=Decimal(hours),
            provider_unit=provider if is_unit else None,
            provider_organisation=None if is_unit else provider,
        )
        parent.add_child(instance=course)
        course.save_revision().publish()
        for n, (lesson_title, minutes, body, quiz) in enumerate(lessons, start=1):
            lesson = LessonPage(title=lesson_title, slug=f"demo-{slug}-{n}", minutes=minutes,
                                body=body, quiz=quiz, pass_mark=60)
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        return course, True

    def _classes(self, course, spec, providers):
        if ClassSession.objects.filter(course=course, starts_at__gte=timezone.now()).exists():
            return
        provider_key = spec[3]
        venue, address = VENUES[provider_key if not isinstance(providers[provider_key], Unit)
                                else "unit"]
        today = timezone.localdate()
        for kind, weeks in spec[10]:
            if kind == "weekend":  # Saturday morning
                day = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
                start_time, place = datetime.time(9, 30), (venue, address, "")
            elif kind == "evening":  # Wednesday evening, after work
                day = today + datetime.timedelta(days=(2 - today.weekday()) % 7 or 7)
                start_time, place = datetime.time(19, 0), (venue, address, "")
            else:  # a live class online, Thursday evening
                day = today + datetime.timedelta(days=(3 - today.weekday()) % 7 or 7)
                start_time = datetime.time(20, 0)
                place = ("", "", f"https://example.com/live/{course.slug}")
            day += datetime.timedelta(weeks=weeks - 1)
            starts = timezone.make_aware(datetime.datetime.combine(day, start_time))
            ClassSession.objects.create(
                course=course, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                venue=place[0], address=place[1], online_url=place[2],
                capacity=12 if kind == "weekend" else 30,
                signup_deadline=starts - datetime.timedelta(hours=12),
                study_hours=course.study_hours,
                notes="请提前10分钟到场，出示“我的签到码”。" if place[0] else
                "开课前10分钟可进入直播间。",
            )

    # --- the demo supervisee's learning -----------------------------------------------------

    def _demo_learning(self):
        from django.contrib.auth import get_user_model

        from portal.people.models import Supervisee

        person = Supervisee.objects.filter(user__username="supervisee").first()
        if person is None or Enrolment.objects.filter(supervisee=person).exists():
            return
        caseworker = get_user_model().objects.filter(username="caseworker").first()
        minfadian = CoursePage.objects.get(slug="demo-minfadian")
        services.enrolment_create(supervisee=person, course=minfadian)
        first = LessonPage.objects.child_of(minfadian).order_by("path").first()
        # The first lesson was studied for its minimum time (what its page's heartbeats
        # would have recorded), then marked done; the second was opened and left halfway.
        enrolment = Enrolment.objects.get(supervisee=person, course=minfadian)
        now = timezone.now()
        LessonTime.objects.create(
            enrolment=enrolment, lesson=first,
            seconds=services.lesson_required_seconds(first, minfadian),
            first_seen_at=now - datetime.timedelta(days=2),
            last_seen_at=now - datetime.timedelta(days=2), scroll_percent=100)
        services.lesson_complete(supervisee=person, lesson=first)
        second = LessonPage.objects.child_of(minfadian).order_by("path")[1:2].first()
        if second is not None:
            LessonTime.objects.create(
                enrolment=enrolment, lesson=second, seconds=300,
                first_seen_at=now - datetime.timedelta(days=1),
                last_seen_at=now - datetime.timedelta(days=1), scroll_percent=40)
        fanzha = CoursePage.objects.get(slug="demo-fanzha")
        if caseworker is not None:
            month_end = (timezone.localdate().replace(day=28) + datetime.timedelta(days=4))
            services.enrolment_assign(
                course=fanzha, supervisees=[person], assigned_by=caseworker,
                due_on=month_end - datetime.timedelta(days=month_end.day))
        session = ClassSession.objects.filter(course=fanzha).order_by("starts_at").first()
        if session is not None and not SessionSignup.objects.filter(
                session=session, supervisee=person).exists():
            services.session_signup(session_id=session.pk, supervisee=person)
        if caseworker is not None:
            # A class attended earlier this month, so "my study hours" has something in it.
            jiujia = CoursePage.objects.get(slug="demo-jiujia")
            today = timezone.localdate()
            day = today - datetime.timedelta(days=min(2, today.day - 1))
            starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
            if starts > timezone.now() - datetime.timedelta(hours=2):
                starts -= datetime.timedelta(hours=12)
            past = ClassSession.objects.create(
                course=jiujia, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                venue=VENUES["unit"][0], address=VENUES["unit"][1], capacity=30,
                study_hours=jiujia.study_hours, created_by=caseworker)
            SessionSignup.objects.create(session=past, supervisee=person,
                                         created_at=starts - datetime.timedelta(days=3))
            services.attendance_record(session=past, supervisee=person,
                                       recorded_by=caseworker, method="qr")
