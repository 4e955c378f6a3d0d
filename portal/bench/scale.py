"""Synthetic data at any size, for `manage.py generate_scale`.

One county has what docs/domain.md's figures say a county has: a bureau with squads of three
caseworkers, 600 supervisees at every management level and status (a few juveniles), NGOs,
a volunteer team and partner enterprises, 50 service activities with sign-ups, a shared
province catalogue of courses with classes and enrolments, jobs and applications,
help-network services and referrals, and a hours ledger of about 50,000 entries. A
province is a hundred counties under one bureau: 60,000 supervisees and 5,000,000 ledger
entries.

Everything comes from one random.Random(seed), so a seed gives the same rows every time
(dates are laid out around the day of the run). Rows go in with bulk_create in batches;
the two ledgers, by far the biggest tables, go in with PostgreSQL's COPY when the
database is PostgreSQL. Course and news pages are Wagtail pages written in bulk with
correct tree paths (portal/bench/pages.py).
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

MARKER = "基准省社区矫正管理局"  # the province bureau's name: one generated set a database


@dataclass(frozen=True)
class Sizes:
    """Per county. At 100 counties these give the volumes the issues' benchmarks name:
    60,000 supervisees, 2,000 courses with 20,000 classes and 540,000 enrolments (#3),
    50,000 activities with 1,000,000 sign-ups and 5,040,000 service-hours entries (#4),
    20,000 open jobs (#5)."""

    squads: int = 5
    caseworkers_per_squad: int = 3
    people: int = 600
    juvenile_share: float = 0.02
    ngos: int = 3
    enterprises: int = 5
    courses: int = 20  # added to the province catalogue per county
    sessions_per_course: int = 10
    enrolments_per_person: int = 9
    activities: int = 500
    signups_per_activity: int = 20
    hours_per_person: int = 84  # volunteer and public-welfare ledger entries
    news: int = 5
    jobs: int = 200
    application_share: float = 0.2
    services: int = 3
    referral_share: float = 0.1


TINY = Sizes(squads=2, caseworkers_per_squad=1, people=12, ngos=1, enterprises=1, courses=3,
             sessions_per_course=2, enrolments_per_person=2, activities=3,
             signups_per_activity=3, hours_per_person=4, news=2, jobs=2, services=1)


def _copy_or_bulk(model, rows: list, fields: list[str], batch: int = 50_000) -> None:
    """Insert unsaved `rows` of `model`: COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(rows, batch_size=5_000)
        return
    columns = [model._meta.get_field(f).column for f in fields]
    attnames = [model._meta.get_field(f).attname for f in fields]
    table = model._meta.db_table
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        statement = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
        for i in range(0, len(rows), batch):
            with cursor.copy(statement) as copy:
                for row in rows[i:i + batch]:
                    copy.write_row([getattr(row, a) for a in attnames])


class Generator:
    def __init__(self, *, counties: int, seed: int = 1, sizes: Sizes = Sizes(), out=print):
        self.counties = counties
        self.seed = seed
        self.rng = random.Random(seed)
        self.sizes = sizes
        self.out = out
        self.started = time.monotonic()
        self.today = timezone.localdate()
        midnight = datetime.datetime.combine(self.today, datetime.time(0, 0))
        self.midnight = timezone.make_aware(midnight)
        self.counts: dict[str, int] = {}

    def say(self, what: str) -> None:
        self.out(f"[{time.monotonic() - self.started:6.1f}s] {what}")

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    # --- the whole province ---------------------------------------------------------------

    def run(self) -> dict[str, int]:
        from portal.organisations.models import Unit

        if Unit.objects.filter(name=MARKER).exists():
            raise RuntimeError("This database already holds generated data; use a fresh one.")
        with transaction.atomic():
            self.shared()
        for c in range(self.counties):
            with transaction.atomic():
                self.county(c)
            if c == 0 or (c + 1) % 10 == 0 or c + 1 == self.counties:
                self.say(f"county {c + 1}/{self.counties} done")
        if connection.vendor == "postgresql":
            # As autovacuum would (it may be off on a scratch server): planner statistics,
            # and the visibility map that lets index-only scans skip the table. VACUUM
            # cannot run inside a transaction (the tests generate inside one).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.say("done: " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()))
        return self.counts

    def shared(self) -> None:
        from wagtail.models import Page, Site

        from cms.models import HomePage, NewsIndexPage
        from courses.models import CourseCategory, CourseIndexPage
        from portal.organisations.models import Unit
        from portal.taxonomy.models import Industry, Skill, VenueType
        from volunteering.models import Theme

        self.province = Unit.add_root(name=MARKER, kind=Unit.Kind.CITY)
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title="向阳", slug="xiangyang-home"))
            site = Site.objects.filter(is_default_site=True).first()
            if site:
                site.root_page = home
                site.save()
            else:
                Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        self.home = home
        self.course_index = CourseIndexPage.objects.first() or home.add_child(
            instance=CourseIndexPage(title="课程", slug="courses", intro="按需选课"))
        self.news_index = NewsIndexPage.objects.first() or home.add_child(
            instance=NewsIndexPage(title="新闻动态", slug="news", show_in_menus=True))
        names = ["法治教育", "传统文化", "心理健康", "职业技能", "警示教育"]
        self.categories = [CourseCategory.objects.get_or_create(
            slug=f"bench-cat-{i}", defaults={"name": f"{n}（基准）", "sort_order": i})[0]
            for i, n in enumerate(names)]
        themes = ["巡逻", "法治宣传", "敬老助老", "文明劝导", "环境清洁"]
        self.themes = [Theme.objects.get_or_create(
            code=f"bench-theme-{i}", defaults={"name": f"{t}（基准）"})[0]
            for i, t in enumerate(themes)]
        self.industries = Industry.objects.bulk_create(
            [Industry(code=f"bench-ind-{i}", name=f"基准行业{i}") for i in range(10)])
        self.skills = Skill.objects.bulk_create(
            [Skill(code=f"bench-skill-{i}", name=f"基准技能{i}") for i in range(15)])
        self.venues = VenueType.objects.bulk_create(
            [VenueType(code=f"bench-venue-{i}", name=f"基准场所{i}") for i in range(5)])

    # --- one county -----------------------------------------------------------------------

    def county(self, c: int) -> None:  # noqa: PLR0915 (one county, in the order rows depend)
        from cms.models import NewsPage
        from courses.models import ClassSession, CoursePage, Enrolment, StudyHoursEntry
        from employment.models import Application, Job
        from portal.bench.pages import bulk_children
        from portal.organisations.models import Membership, Organisation, Unit
        from portal.people.models import ManagementLevel, Supervisee
        from portal.taxonomy.models import District
        from volunteering.models import Activity, HoursEntry, ServiceKind, Signup

        rng, s = self.rng, self.sizes
        User = get_user_model()
        county_name = f"基准县{c:03d}"
        districts = District.objects.bulk_create([
            District(code=f"bench-{c}-{d}", name=f"{county_name}第{d + 1}镇", county=county_name)
            for d in range(6)])
        province = Unit.objects.get(pk=self.province.pk)
        bureau = province.add_child(name=f"{county_name}社区矫正管理局", kind=Unit.Kind.BUREAU,
                                    district=districts[0])
        squads = []
        for q in range(s.squads):
            bureau = Unit.objects.get(pk=bureau.pk)
            squads.append(bureau.add_child(name=f"{county_name}第{q + 1}中队",
                                           kind=Unit.Kind.SQUAD, district=districts[q % 6]))
        self.add("units", 1 + s.squads)

        # Staff: caseworkers per squad, one unit administrator at the bureau.
        staff_users = User.objects.bulk_create(
            [User(username=f"bench-c{c}-cw{q}-{k}", password="!", first_name="基准",
                  last_name=f"社工{q}{k}")
             for q in range(s.squads) for k in range(s.caseworkers_per_squad)]
            + [User(username=f"bench-c{c}-admin", password="!")])
        caseworkers = staff_users[:-1]
        Membership.objects.bulk_create(
            [Membership(user=u, unit=squads[i // s.caseworkers_per_squad],
                        role=Membership.Role.CASEWORKER) for i, u in enumerate(caseworkers)]
            + [Membership(user=staff_users[-1], unit=bureau, role=Membership.Role.UNIT_ADMIN)])
        self.add("caseworkers", len(caseworkers))

        # Partners.
        kinds = ([Organisation.Kind.NGO] * s.ngos + [Organisation.Kind.VOLUNTEER_TEAM]
                 + [Organisation.Kind.ENTERPRISE] * s.enterprises
                 + [Organisation.Kind.COUNSELLING])
        orgs = Organisation.objects.bulk_create([
            Organisation(name=f"{county_name}{kind.label}{i}", kind=kind, partner_unit=bureau,
                         district=districts[i % 6], summary="基准合作单位")
            for i, kind in enumerate(kinds)])
        ngos = [o for o in orgs if o.kind in (Organisation.Kind.NGO,
                                                Organisation.Kind.VOLUNTEER_TEAM)]
        enterprises = [o for o in orgs if o.kind == Organisation.Kind.ENTERPRISE]
        counselling = [o for o in orgs if o.kind == Organisation.Kind.COUNSELLING]
        partner_users = User.objects.bulk_create(
            [User(username=f"bench-c{c}-org{i}", password="!") for i in range(len(orgs))])
        Membership.objects.bulk_create([
            Membership(user=u, organisation=o, role=Membership.Role.PARTNER_STAFF)
            for u, o in zip(partner_users, orgs, strict=True)])
        org_staff = dict(zip([o.pk for o in orgs], partner_users, strict=True))
        self.add("organisations", len(orgs))

        # Supervisees: every level and status; a few juveniles.
        person_users = User.objects.bulk_create(
            [User(username=f"bench-c{c}-p{i}", password="!") for i in range(s.people)],
            batch_size=5_000)
        levels = [ManagementLevel.STRICT, ManagementLevel.ORDINARY, ManagementLevel.ORDINARY,
                  ManagementLevel.LENIENT]
        people = []
        for i, u in enumerate(person_users):
            status = rng.choices(list(Supervisee.Status.values), weights=[70, 25, 5])[0]
            start = self.today - datetime.timedelta(days=rng.randint(30, 700))
            end = start + datetime.timedelta(days=rng.randint(180, 1100))
            released = None
            if status != Supervisee.Status.IN_CORRECTION:
                released = min(end, self.today - datetime.timedelta(days=rng.randint(1, 300)))
            squad_i = i % s.squads
            people.append(Supervisee(
                user=u, legal_name=f"基准{c}-{i}", alias=f"学员{i}",
                gender=rng.choice("mf"),
                unit=squads[squad_i],
                caseworker=caseworkers[squad_i * s.caseworkers_per_squad
                                       + rng.randrange(s.caseworkers_per_squad)],
                sentence_kind=rng.choice(["suspended", "suspended", "parole", "surveillance"]),
                term_start=start, term_end=end, level=rng.choice(levels),
                is_juvenile=rng.random() < s.juvenile_share, status=status,
                released_on=released,
                help_ends_on=released + datetime.timedelta(days=365) if released else None,
                home_district=rng.choice(districts)))
        people = Supervisee.objects.bulk_create(people, batch_size=5_000)
        self.add("supervisees", len(people))

        # Courses for the province catalogue, with classes and enrolments.
        courses = bulk_children(self.course_index, [
            CoursePage(title=f"{county_name}课程{k}", slug=f"bench-c{c}-course{k}",
                       summary="基准测试课程", category=rng.choice(self.categories),
                       study_hours=Decimal(rng.choice(["1.0", "2.0", "3.0"])),
                       format=rng.choice(["online", "in_person", "blended"]),
                       audience="all", provider_unit=bureau)
            for k in range(s.courses)], rng=rng)
        sessions = []
        for course in courses:
            for _k in range(s.sessions_per_course):
                starts = self.midnight + datetime.timedelta(
                    days=rng.randint(-30, 60), hours=rng.choice([9, 14, 19]))
                sessions.append(ClassSession(
                    course_id=course.pk, starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2), venue=f"{county_name}教室",
                    capacity=30, study_hours=Decimal("2")))
        ClassSession.objects.bulk_create(sessions, batch_size=5_000)
        catalogue = list(CoursePage.objects.filter(slug__startswith="bench-")
                         .order_by("pk").values_list("pk", flat=True)[:2_000])
        enrolments, completed = [], []
        for p in people:
            for course_id in rng.sample(catalogue, min(s.enrolments_per_person,
                                                       len(catalogue))):
                done = rng.random() < 0.4
                enrolments.append(Enrolment(
                    supervisee_id=p.pk, course_id=course_id,
                    status="completed" if done else "active",
                    enrolled_at=self.midnight - datetime.timedelta(days=rng.randint(1, 300)),
                    completed_at=self.midnight - datetime.timedelta(days=rng.randint(0, 30))
                    if done else None))
        enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=5_000)
        completed = [e for e in enrolments if e.status == "completed"]
        _copy_or_bulk(StudyHoursEntry, [
            StudyHoursEntry(supervisee_id=e.supervisee_id, kind="completion",
                            hours=Decimal("2.0"), credited_on=e.completed_at.date(),
                            course_id=e.course_id, enrolment_id=e.pk, reason="",
                            created_at=e.completed_at) for e in completed],
            ["supervisee", "kind", "hours", "credited_on", "course", "enrolment", "reason",
             "created_at"])
        self.add("courses", len(courses))
        self.add("classes", len(sessions))
        self.add("enrolments", len(enrolments))
        self.add("study-hours entries", len(completed))

        # News for the public site.
        bulk_children(self.news_index, [
            NewsPage(title=f"{county_name}工作动态{k}", slug=f"bench-c{c}-news{k}",
                     summary="基准新闻摘要",
                     date=self.today - datetime.timedelta(days=rng.randint(0, 365)))
            for k in range(s.news)], rng=rng)
        self.add("news pages", s.news)

        # Service activities (past ones completed, future ones open), sign-ups, hours.
        activities = []
        for k in range(s.activities):
            starts = self.midnight + datetime.timedelta(days=rng.randint(-330, 40),
                                                        hours=rng.choice([9, 14]))
            by_unit = rng.random() < 0.3
            organiser = None if by_unit else rng.choice(ngos)
            past = starts < self.midnight
            activities.append(Activity(
                title=f"{county_name}公益活动{k}", theme=rng.choice(self.themes),
                kind=ServiceKind.PUBLIC_WELFARE if by_unit else ServiceKind.VOLUNTEER_SERVICE,
                description="基准活动", place=f"{county_name}社区广场",
                district=rng.choice(districts), starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3), capacity=20, waitlist_limit=10,
                signup_deadline=starts - datetime.timedelta(hours=12), hours=Decimal("3"),
                suitable_for_juveniles=rng.random() < 0.3,
                organisation=organiser, unit=squads[k % s.squads] if by_unit else None,
                status=Activity.Status.COMPLETED if past else Activity.Status.PUBLISHED,
                places_taken=0, created_by=(staff_users[-1] if by_unit
                                            else org_staff[organiser.pk]),
                published_at=starts - datetime.timedelta(days=14),
                closed_at=starts + datetime.timedelta(hours=3) if past else None))
        activities = Activity.objects.bulk_create(activities, batch_size=5_000)
        signups = []
        for a in activities:
            chosen = rng.sample(people, min(s.signups_per_activity, len(people)))
            confirmed = chosen[:a.capacity]
            for p in confirmed:
                past = a.starts_at < self.midnight
                signups.append(Signup(
                    activity_id=a.pk, supervisee_id=p.pk, status=Signup.Status.CONFIRMED,
                    attendance=Signup.Attendance.ATTENDED if past else "",
                    created_at=a.starts_at - datetime.timedelta(days=5),
                    confirmed_at=a.starts_at - datetime.timedelta(days=5),
                    checked_in_at=a.starts_at if past else None,
                    checked_out_at=a.ends_at if past else None))
            a.places_taken = len(confirmed)
        Signup.objects.bulk_create(signups, batch_size=5_000)
        Activity.objects.bulk_update(activities, ["places_taken"], batch_size=5_000)
        self.add("activities", len(activities))
        self.add("sign-ups", len(signups))

        past_activities = [a for a in activities if a.starts_at < self.midnight] or activities
        recorders = {a.pk: (a.organisation_id, a.unit_id, a.created_by_id)
                     for a in past_activities}
        entries = []
        for p in people:
            for _k in range(s.hours_per_person):
                a = rng.choice(past_activities)
                org_id, unit_id, by = recorders[a.pk]
                entries.append(HoursEntry(
                    supervisee_id=p.pk, activity_id=a.pk, kind=a.kind,
                    hours=Decimal(rng.choice(["1.00", "2.00", "3.00"])),
                    service_date=self.today - datetime.timedelta(days=rng.randint(1, 700)),
                    organisation_id=org_id, unit_id=unit_id, recorded_by_id=by,
                    recorded_at=self.midnight - datetime.timedelta(days=rng.randint(0, 700)),
                    reason="基准"))
        _copy_or_bulk(HoursEntry, entries,
                      ["supervisee", "activity", "kind", "hours", "service_date",
                       "organisation", "unit", "recorded_by", "recorded_at", "reason"])
        self.add("hours entries", len(entries))
        self.add("hours confirmations", self.confirm_hours([q.pk for q in squads]))

        # Jobs and applications.
        jobs = Job.objects.bulk_create([
            Job(organisation=rng.choice(enterprises), title=f"{county_name}岗位{k}",
                industry=rng.choice(self.industries), district=rng.choice(districts),
                venue_type=rng.choice(self.venues) if rng.random() < 0.05 else None,
                shift=rng.choice(["day", "day", "evening"]),
                work_days=rng.choice(["12345", "123456"]),
                hours_per_week=rng.choice([20, 40, 44]), places=rng.randint(1, 5),
                juveniles_allowed=rng.random() < 0.1, pay_min=3000, pay_max=5000)
            for k in range(s.jobs)])
        Through = Job.skills.through
        Through.objects.bulk_create([Through(job_id=j.pk, skill_id=sk.pk) for j in jobs
                                     for sk in rng.sample(self.skills, 2)])
        applicants = [p for p in people if not p.is_juvenile
                      and rng.random() < s.application_share]
        Application.objects.bulk_create([
            Application(supervisee_id=p.pk, job_id=(j := rng.choice(jobs)).pk,
                        organisation_id=j.organisation_id,
                        shared_with_id=j.organisation_id,
                        shared_at=self.midnight - datetime.timedelta(days=3),
                        status=rng.choice(["applied", "applied", "interview", "declined"]),
                        source="person",
                        created_at=self.midnight - datetime.timedelta(days=rng.randint(1, 90)))
            for p in applicants], batch_size=5_000)
        self.add("jobs", len(jobs))
        self.add("applications", len(applicants))
        self.referrals(rng, c, county_name, counselling + ngos[:1], people, caseworkers)

    def confirm_hours(self, unit_ids: list[int]) -> int:
        """Caseworkers confirm hours within two weeks: every entry recorded before that
        has its confirmation (one INSERT … SELECT; the ledger is append-only)."""
        from volunteering.models import HoursConfirmation, HoursEntry

        cutoff = self.midnight - datetime.timedelta(days=14)
        placeholders = ", ".join(["%s"] * len(unit_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {HoursConfirmation._meta.db_table} "
                "(entry_id, confirmed_by_id, confirmed_at) "
                "SELECT e.id, s.caseworker_id, e.recorded_at "
                f"FROM {HoursEntry._meta.db_table} e "
                "JOIN people_supervisee s ON s.id = e.supervisee_id "
                f"WHERE s.unit_id IN ({placeholders}) AND e.recorded_at < %s "
                "AND s.caseworker_id IS NOT NULL", [*unit_ids, cutoff])
            return cursor.rowcount

    def referrals(self, rng, c, county_name, providers, people, caseworkers) -> None:
        try:
            from helpnet.models import Referral, ReferralStatus, Service
        except ImportError:  # the help network is not there (yet): nothing to refer to
            return
        s = self.sizes
        services = Service.objects.bulk_create([
            Service(organisation=providers[k % len(providers)],
                    name=f"{county_name}帮扶服务{k}",
                    type=rng.choice(list(Service.Type.values)),
                    audience=Service.Audience.EVERYONE, description="基准服务",
                    area=county_name, contact="0000-0000000")
            for k in range(s.services)])
        chosen = [p for p in people if rng.random() < s.referral_share]
        Referral.objects.bulk_create([
            Referral(supervisee_id=p.pk, service=(svc := rng.choice(services)),
                     status=rng.choice([ReferralStatus.PENDING, ReferralStatus.ACCEPTED,
                                        ReferralStatus.IN_PROGRESS]),
                     reason="基准转介", created_by_id=p.caseworker_id,
                     consent_at=self.midnight - datetime.timedelta(days=10),
                     consent_by_id=p.caseworker_id, shared_with_id=svc.organisation_id,
                     created_at=self.midnight - datetime.timedelta(days=rng.randint(10, 200)))
            for p in chosen], batch_size=5_000)
        self.add("referrals", len(chosen))
