"""The plan of the demo county's sixty supervisees, computed from a fixed seed and the
day it is loaded: the same input always gives the same people.

Shape, so every dashboard panel has something real to show:
- 48 under correction, 10 released and in post-release help, 2 whose help period ended;
- every sentence kind and every management level; three juveniles (16 and 17);
- six terms ending within 30 days (two in the demo caseworker's own caseload);
- prohibition orders naming venue types, occupational bans naming industries,
  travel approvals and consents.
Names are common Chinese names drawn at random; ID numbers use the region code 990101,
which no real place has.
"""

import datetime
import random
from dataclasses import dataclass, field

from . import data

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
)
MALE_GIVEN = [
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
    "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "建国",
    "建华", "志强", "海涛", "国庆", "晓东", "文博", "立新", "永刚", "振宇", "家豪", "少华",
    "德明", "红军", "卫国", "春生", "长青", "俊峰", "金龙", "宏伟", "海波", "志军", "明亮",
]
FEMALE_GIVEN = [
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "桂英", "秀英", "丹", "萍",
    "红", "玉兰", "慧", "婷", "雪", "琳", "晓燕", "美玲", "春梅", "海燕", "秀兰", "凤英",
]
YOUNG_GIVEN = ["子豪", "浩然", "宇轩", "俊杰", "梓涵", "一鸣", "博文", "天佑", "思远", "嘉乐"]
ALIASES = [
    "向日葵", "小树", "晨光", "启航", "春风", "远帆", "青松", "新苗", "朝露", "暖阳", "清泉",
    "山岚", "星火", "麦穗", "云帆", "石榴", "松果", "海燕", "竹影", "白杨", "初心", "归雁",
    "晴川", "新芽", "明月", "长风", "春晖", "青禾",
]

# Supervision lengths in months, by sentence kind.
TERM_MONTHS = {
    "suspended": [12, 18, 24, 24, 36, 36, 48, 60],
    "parole": [6, 8, 10, 12, 18, 24, 30, 36],
    "surveillance": [3, 6, 9, 12, 18, 24],
    "outside_prison": [6, 9, 12, 18, 24],
}
HELP_YEARS = 5  # post-release help (安置帮教) period


@dataclass
class PersonPlan:
    username: str
    legal_name: str
    gender: str
    birth_date: datetime.date
    unit: str
    caseworker: str
    sentence_kind: str
    term_start: datetime.date
    term_end: datetime.date
    level: str
    is_juvenile: bool = False
    status: str = "in_correction"
    released_on: datetime.date | None = None
    help_ends_on: datetime.date | None = None
    is_sealed: bool = False
    home_district: str = ""
    alias: str = ""
    id_number: str = ""
    demo_password: bool = False
    skills: list = field(default_factory=list)
    # (kind, venue type code or "", description)
    prohibitions: list = field(default_factory=list)
    # (industry code, description, years after the term ends)
    bans: list = field(default_factory=list)
    # (destination code, reason, starts in days from today, length in days)
    travel: list = field(default_factory=list)
    # (kind, granted, recorded by the person themselves?)
    consents: list = field(default_factory=list)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def birthday_for_age(today: datetime.date, age: int, rng: random.Random) -> datetime.date:
    """A birth date at which the person is exactly `age` years old today."""
    latest = add_months(today, -12 * age)
    return latest - datetime.timedelta(days=rng.randint(20, 340))


def id_number(birth: datetime.date, gender: str, serial: int) -> str:
    """A well-formed 18-digit resident ID (ISO 7064 MOD 11-2 check digit) with the
    fictional region code 990101."""
    seq = serial * 2 + (1 if gender == "m" else 0)  # odd for men, even for women
    body = f"990101{birth:%Y%m%d}{seq % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


class _Names:
    def __init__(self, rng: random.Random, taken: set):
        self.rng = rng
        self.taken = set(taken)

    def draw(self, gender: str, young: bool = False) -> str:
        for _ in range(200):
            pool = YOUNG_GIVEN if young else (MALE_GIVEN if gender == "m" else FEMALE_GIVEN)
            name = self.rng.choice(SURNAMES) + self.rng.choice(pool)
            if name not in self.taken:
                self.taken.add(name)
                return name
        raise RuntimeError("name pool exhausted")


def _demo_people(today: datetime.date, rng: random.Random) -> list[PersonPlan]:
    """The four supervisee accounts of API.md."""
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    released_on = last_month_end.replace(day=min(12, last_month_end.day))
    return [
        PersonPlan(
            username="supervisee", legal_name="刘志强", gender="m",
            birth_date=birthday_for_age(today, 34, rng), unit="squad1", caseworker="caseworker",
            sentence_kind="suspended", term_start=add_months(today, -8),
            term_end=add_months(today, 16), level="ordinary", home_district="qh-chengguan",
            alias="远帆", demo_password=True, skills=["driving", "warehouse"],
            prohibitions=[("venue_type", "bar", "缓刑考验期内不得进入酒吧、歌舞厅等娱乐场所")],
            travel=[("wangchuan", "赴望川县参加叉车司机职业技能等级考试", 6, 2)],
            consents=[("certificate", True, True), ("volunteer_export", True, True),
                      ("employer_profile", True, True)],
        ),
        PersonPlan(
            username="supervisee2", legal_name="王海涛", gender="m",
            birth_date=birthday_for_age(today, 41, rng), unit="squad2",
            caseworker="caseworker2", sentence_kind="parole",
            term_start=add_months(today, -3), term_end=add_months(today, 15), level="strict",
            home_district="qh-taoyuan", demo_password=True, skills=["renovation"],
            bans=[("finance", "禁止从事金融、理财咨询相关职业", 3)],
            prohibitions=[("activity", "", "不得组织或参与任何形式的集资、放贷活动")],
            consents=[("employer_profile", True, True)],
        ),
        PersonPlan(
            username="juvenile", legal_name="张子豪", gender="m",
            birth_date=birthday_for_age(today, 16, rng), unit="squad1",
            caseworker="caseworker", sentence_kind="suspended",
            term_start=add_months(today, -4), term_end=add_months(today, 8), level="ordinary",
            is_juvenile=True, home_district="qh-qingshan", alias="新苗", demo_password=True,
            skills=["computer"],
            prohibitions=[("venue_type", "internet-cafe", "不得进入网吧等互联网上网服务营业场所"),
                          ("venue_type", "bar", "不得进入酒吧、歌舞厅"),
                          ("contact", "", "不得接触同案未成年人")],
        ),
        PersonPlan(
            username="released", legal_name="赵丽娟", gender="f",
            birth_date=birthday_for_age(today, 38, rng), unit="squad1",
            caseworker="caseworker", sentence_kind="surveillance",
            term_start=add_months(released_on, -12), term_end=released_on, level="lenient",
            status="released", released_on=released_on,
            help_ends_on=add_months(released_on, 12 * HELP_YEARS),
            home_district="qh-chengguan", demo_password=True,
            skills=["housekeeping", "cooking"],
            consents=[("certificate", True, True), ("volunteer_export", True, True)],
        ),
    ]


# Generated people per unit: (unit, how many under correction, released, help ended)
_GENERATED = [
    ("squad1", 13, 2, 0),
    ("squad2", 12, 2, 1),
    ("liuhe", 8, 2, 0),
    ("shiqiao", 6, 1, 1),
    ("bailu", 6, 2, 0),
]


def plan(today: datetime.date) -> list[PersonPlan]:
    rng = random.Random(data.SEED)
    people = _demo_people(today, rng)
    names = _Names(rng, {p.legal_name for p in people})
    caseworkers: dict[str, list[str]] = {}
    for username, _name, unit, role, _title, _demo in data.UNIT_STAFF:
        if role == "caseworker":
            caseworkers.setdefault(unit, []).append(username)
    skill_codes = [code for code, *_ in data.SKILLS]

    # Sentence kinds and levels of the 45 generated people under correction: fixed
    # totals (every kind and level present), shuffled.
    active_total = sum(g[1] for g in _GENERATED)
    kinds = (["suspended"] * 26 + ["parole"] * 8 + ["outside_prison"] * 6
             + ["surveillance"] * 5)[:active_total]
    levels = (["strict"] * 9 + ["ordinary"] * 24 + ["lenient"] * 12)[:active_total]
    rng.shuffle(kinds)
    rng.shuffle(levels)
    # Terms ending within 30 days: the first two in squad 1 (the demo caseworker's),
    # one in squad 2, one in each justice office.
    ending_soon = {("squad1", 0), ("squad1", 1), ("squad2", 0), ("liuhe", 0), ("shiqiao", 0),
                   ("bailu", 0)}
    # One more juvenile under correction (squad 2), one released with a sealed file.
    juvenile_slots = {("squad2", 3)}
    sealed_slot = ("liuhe", "released", 0)

    serial = 0
    for unit, active, released, closed in _GENERATED:
        workers = caseworkers[unit]
        statuses = ["in_correction"] * active + ["released"] * released + ["closed"] * closed
        counters = {"in_correction": 0, "released": 0, "closed": 0}
        for status in statuses:
            index = counters[status]
            counters[status] += 1
            serial += 1
            juvenile = (status == "in_correction" and (unit, index) in juvenile_slots) or (
                (unit, status, index) == sealed_slot)
            gender = "m" if rng.random() < 0.84 else "f"
            if juvenile:
                gender = "m"
                age = 17
            else:
                age = rng.choice([rng.randint(19, 30), rng.randint(25, 50), rng.randint(35, 66)])
            name = names.draw(gender, young=juvenile)
            if status == "in_correction":
                kind = kinds.pop()
                level = levels.pop()
                if juvenile and level == "strict":
                    level = "ordinary"
                months = rng.choice(TERM_MONTHS[kind])
                if (unit, index) in ending_soon:
                    term_end = today + datetime.timedelta(days=rng.randint(3, 28))
                    term_start = add_months(term_end, -months)
                else:
                    # Somewhere inside the term, at least five weeks from its end.
                    length = (add_months(today, months) - today).days
                    elapsed = rng.randint(10, max(11, length - 36))
                    term_start = today - datetime.timedelta(days=elapsed)
                    term_end = add_months(term_start, months)
                released_on = help_ends_on = None
            else:
                kind = rng.choice(["suspended", "suspended", "parole", "surveillance"])
                level = "lenient"
                months = rng.choice(TERM_MONTHS[kind])
                if status == "released":
                    released_on = today - datetime.timedelta(days=rng.randint(45, 330))
                else:  # help period already over
                    released_on = add_months(today, -12 * HELP_YEARS) - datetime.timedelta(
                        days=rng.randint(20, 200))
                term_end = released_on
                term_start = add_months(term_end, -months)
                help_ends_on = add_months(released_on, 12 * HELP_YEARS)
            # Juveniles and terms ending soon go to the unit's first caseworker (the demo
            # accounts `caseworker` and `caseworker2` in the squads), so those dashboards
            # show them; the rest are shared round-robin.
            if juvenile or (status == "in_correction" and (unit, index) in ending_soon):
                caseworker = workers[0]
            else:
                caseworker = workers[serial % len(workers)]
            birth = birthday_for_age(today, age, rng)
            person = PersonPlan(
                username=f"demo-s{serial:03d}", legal_name=name, gender=gender,
                birth_date=birth, unit=unit, caseworker=caseworker, sentence_kind=kind,
                term_start=term_start, term_end=term_end, level=level, is_juvenile=juvenile,
                status=status, released_on=released_on, help_ends_on=help_ends_on,
                is_sealed=(unit, status, index) == sealed_slot,
                home_district=rng.choice(data.UNIT_AREAS[unit]),
                alias=rng.choice(ALIASES) if juvenile or rng.random() < 0.3 else "",
                skills=rng.sample(skill_codes, rng.choice([0, 1, 1, 2, 2, 3]))
                if not juvenile else ["computer"],
            )
            _restrictions(person, rng)
            people.append(person)

    for serial, person in enumerate(people, start=1):
        person.id_number = id_number(person.birth_date, person.gender, serial)
    _unique_aliases(people)
    return people


def _unique_aliases(people) -> None:
    """An alias names one person in the county (organisers and partners see it instead of
    the name): a repeated one becomes the next unused alias, or none when all are taken."""
    used: set[str] = set()
    spare = iter([a for a in ALIASES if a not in {p.alias for p in people}])
    for person in people:
        if not person.alias:
            continue
        if person.alias in used:
            person.alias = next(spare, "")
        if person.alias:
            used.add(person.alias)


_VENUE_ORDERS = [
    ("bar", "不得进入酒吧、歌舞厅等娱乐场所"),
    ("gambling", "不得进入赌博场所或参与赌博活动"),
    ("chess-room", "不得进入棋牌室"),
    ("school", "不得进入中小学校和幼儿园区域"),
    ("mass-event", "不得参加大型群众性活动"),
]
_BANS = [
    ("finance", "禁止从事金融、理财及贷款中介职业", 3),
    ("education", "禁止从事教育培训及与未成年人密切接触的职业", 5),
    ("childcare", "禁止从事托育、看护未成年人的职业", 5),
    ("food", "禁止从事食品生产经营", 3),
    ("catering", "禁止从事餐饮服务", 3),
    ("entertainment", "禁止从事娱乐场所经营管理", 3),
]


def _restrictions(person: PersonPlan, rng: random.Random) -> None:
    """Court orders and the person's own consents, in realistic proportions."""
    if person.is_juvenile:
        person.prohibitions.append(("venue_type", "internet-cafe",
                                    "不得进入网吧等互联网上网服务营业场所"))
    elif rng.random() < 0.25:
        code, text = rng.choice(_VENUE_ORDERS)
        person.prohibitions.append(("venue_type", code, text))
        if rng.random() < 0.3:
            person.prohibitions.append(("contact", "", "不得接触本案被害人及其近亲属"))
    if not person.is_juvenile and rng.random() < 0.12:
        person.bans.append(rng.choice(_BANS))
    if person.status == "in_correction" and rng.random() < 0.06:
        person.travel.append(("wangchuan", "赴望川县探望住院的直系亲属", -20, 3))
    if person.is_juvenile:
        return
    for kind in ("certificate", "volunteer_export", "employer_profile"):
        roll = rng.random()
        if roll < 0.4:
            person.consents.append((kind, True, rng.random() < 0.5))
        elif roll < 0.5:
            person.consents.append((kind, False, True))
