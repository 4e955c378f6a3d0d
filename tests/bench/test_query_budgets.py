"""Query budgets: each key page runs as many queries with 1,000 related rows as
with 10. The rows are the ones the page lists or sums for the person asking: news,
courses, classes, enrolments, activities, sign-ups, ledger entries, jobs."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import HomePage, NewsIndexPage, NewsPage
from courses.models import ClassSession, CoursePage, Enrolment, StudyHoursEntry
from employment.models import Job
from portal.bench.pages import bulk_children
from portal.people.models import Supervisee
from tests import factories as f
from tests.courses import factories as cf
from volunteering.models import Activity, HoursEntry, ServiceKind, Signup, Theme

FEW, MANY = 10, 1_000


@dataclass
class Rows:
    world: object
    district: object
    theme: object
    industry: object
    made: dict

    def _next(self, kind: str, n: int) -> range:
        start = self.made.get(kind, 0)
        self.made[kind] = start + n
        return range(start, start + n)

    @property
    def person(self):
        return self.world.supervisee

    def news(self, n):
        index = NewsIndexPage.objects.first() or HomePage.objects.get().add_child(
            instance=NewsIndexPage(title="新闻动态", slug="news"))
        bulk_children(index, [NewsPage(title=f"新闻{i}", slug=f"news-{i}", summary="摘要",
                                       date=timezone.localdate()) for i in
                              self._next("news", n)])

    def courses(self, n, *, enrol=False):
        made = bulk_children(cf.course_index(), [
            CoursePage(title=f"课程{i}", slug=f"course-{i}", summary="课程", format="online",
                       category=cf.category(), study_hours=Decimal("2"),
                       provider_unit=self.world.bureau, audience="all")
            for i in self._next("courses", n)])
        if enrol:
            Enrolment.objects.bulk_create([Enrolment(supervisee=self.person, course_id=c.pk)
                                           for c in made])
        return made

    def classes(self, course, n):
        soon = timezone.now() + datetime.timedelta(days=2)
        ClassSession.objects.bulk_create([
            ClassSession(course=course, starts_at=soon + datetime.timedelta(hours=i),
                         ends_at=soon + datetime.timedelta(hours=i, minutes=90),
                         venue="教室", capacity=30, study_hours=Decimal("1.5"))
            for i in self._next("classes", n)])

    def activities(self, n):
        soon = timezone.now() + datetime.timedelta(days=3)
        return Activity.objects.bulk_create([
            Activity(title=f"活动{i}", theme=self.theme, kind=ServiceKind.VOLUNTEER_SERVICE,
                     place="广场", district=self.district, starts_at=soon,
                     ends_at=soon + datetime.timedelta(hours=2), capacity=5_000,
                     signup_deadline=soon - datetime.timedelta(hours=1), hours=Decimal("2"),
                     organisation=self.world.ngo, status=Activity.Status.PUBLISHED,
                     created_by=self.world.users["ngo"]) for i in self._next("activities", n)])

    def signups(self, activity, n):
        User = get_user_model()
        users = User.objects.bulk_create([User(username=f"p{i}", password="!")
                                          for i in self._next("people", n)])
        people = Supervisee.objects.bulk_create([
            Supervisee(user=u, legal_name=f"人{u.username}", unit=self.world.squad1,
                       sentence_kind="suspended", term_start=timezone.localdate(),
                       term_end=timezone.localdate() + datetime.timedelta(days=300),
                       home_district=self.district) for u in users])
        Signup.objects.bulk_create([Signup(activity=activity, supervisee=p,
                                           status=Signup.Status.CONFIRMED) for p in people])
        Activity.objects.filter(pk=activity.pk).update(places_taken=activity.signups.count())

    def hours(self, n):
        past = self.activities(1)[0]
        HoursEntry.objects.bulk_create([
            HoursEntry(supervisee=self.person, activity=past, kind=past.kind,
                       hours=Decimal("1.5"), organisation=self.world.ngo,
                       service_date=timezone.localdate() - datetime.timedelta(days=i % 300),
                       recorded_by=self.world.users["ngo"], reason="服务")
            for i in self._next("hours", n)])
        StudyHoursEntry.objects.bulk_create([
            StudyHoursEntry(supervisee=self.person, kind="attendance", hours=Decimal("1"),
                            credited_on=timezone.localdate() - datetime.timedelta(days=i % 300))
            for i in self._next("study", n)])

    def jobs(self, n):
        Job.objects.bulk_create([
            Job(organisation=self.world.enterprise, title=f"岗位{i}", industry=self.industry,
                district=self.district, shift="day", work_days="12345", hours_per_week=40,
                places=2, pay_min=3000, pay_max=4000) for i in self._next("jobs", n)])

    def everything(self, n):
        self.news(n)
        self.courses(n, enrol=True)
        self.activities(n)
        self.hours(n)
        self.jobs(n)


@pytest.fixture
def rows(world):
    district = f.DistrictFactory(code="town", name="城关镇", county="示范县")
    Supervisee.objects.update(home_district=district)
    world.supervisee.refresh_from_db()
    theme, _ = Theme.objects.get_or_create(code="clean", defaults={"name": "环境清洁"})
    return Rows(world=world, district=district, theme=theme,
                industry=f.IndustryFactory(code="logistics", name="物流"), made={})


def _queries(client, url, *, headers=None) -> int:
    headers = headers or {}
    for _ in range(2):  # warm up: site root paths, settings rows, caches
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=headers).status_code == 200
    return len(ctx)


# Lists whose first page, when it holds every row (FEW of them), needs no COUNT: the page
# itself tells the total (courses.selectors.page_with_count), and "my courses" then knows
# every enrolled course without reading the enrolments again. With MANY rows they pay
# these queries more, and no others. (A person's activity list reads its count with the
# page whatever the rows: volunteering.selectors.first_activity_page.)
SHORT_FIRST_PAGE_SAVES = {
    "/learning/": 2,
    "/api/v1/me/courses": 1,
}


def _budgets(client, urls, grow, django_assert_num_queries, *, login=None):
    """Count each page's queries with FEW rows, grow to MANY, and require the same (but
    for the COUNTs a short first page saves: SHORT_FIRST_PAGE_SAVES)."""
    grow(FEW)
    few = {url: _queries(client, url) + SHORT_FIRST_PAGE_SAVES.get(url, 0) for url in urls}
    grow(MANY - FEW)
    many = {url: _queries(client, url) for url in urls}
    assert many == few, "pages whose query count grew: " + ", ".join(
        f"{url} {few[url]} → {many[url]}" for url in urls if many[url] != few[url])
    for url in urls:
        with django_assert_num_queries(many[url]):
            assert client.get(url).status_code == 200, url


def test_public_pages_cost_the_same_with_1000_rows(rows, client, django_assert_num_queries):
    """Home, news, the course catalogue, a course page (its classes) and the API's course
    list, for a visitor."""
    course = rows.courses(1)[0]

    def grow(n):
        rows.news(n)
        rows.courses(n)
        rows.classes(course, n)

    _budgets(client, ["/", "/news/", "/courses/", course.url, "/api/v1/courses"], grow,
             django_assert_num_queries)
    html = client.get("/news/").content.decode()
    assert html.count("<h2><a") == 10  # the first page of 1,000 news items


SUPERVISEE_PAGES = [
    "/learning/",  # my courses
    "/learning/hours/",  # study hours
    "/service/",  # activity list
    "/service/me/",  # service hours
    "/jobs/me/",  # job matches
    "/dashboard/",
    "/api/v1/activities",
    "/api/v1/me/courses",
    "/api/v1/me/hours",
    "/api/v1/me/study-hours",
    "/api/v1/me/matches",
]


def test_a_persons_pages_cost_the_same_with_1000_rows(rows, login,
                                                      django_assert_num_queries):
    """Enrolments, activities, both hours ledgers and jobs grow together."""
    client = login(rows.person.user)
    _budgets(client, SUPERVISEE_PAGES, rows.everything, django_assert_num_queries)
    assert Enrolment.objects.filter(supervisee=rows.person).count() == MANY


def test_staff_pages_cost_the_same_with_1000_rows(rows, login, django_assert_num_queries):
    """An organiser's activity page (1,000 sign-ups) and the jobs board (1,000 jobs)."""
    activity = rows.activities(1)[0]

    def grow(n):
        rows.signups(activity, n)
        rows.jobs(n)

    organiser = login(rows.world.users["ngo"])
    url = f"/service/activities/{activity.pk}/manage/"
    grow(FEW)
    few = _queries(organiser, url)
    caseworker_client = login(rows.world.users["caseworker"])
    few_board = _queries(caseworker_client, "/jobs/board/")
    grow(MANY - FEW)
    caseworker_client.get("/jobs/board/")
    with django_assert_num_queries(few_board):
        assert caseworker_client.get("/jobs/board/").status_code == 200
    organiser = login(rows.world.users["ngo"])
    organiser.get(url)
    with django_assert_num_queries(few):
        assert organiser.get(url).status_code == 200


# --- Casework pages: fixed budgets, not only "does not grow" ---------------------------------
#
# The caseload, the today list and the unit dashboard run a fixed number of queries of their
# own: the figures are SQL aggregates and each today section is one query (its first rows
# and its total together). The budgets count the page's own queries, leaving out what every
# signed-in page pays (session, account and roles, two-factor, the notification count, the
# editors' user bar), so that work on that shared machinery does not move them; a change
# that adds a query a section (a COUNT beside each list) or a query a row fails here.

CASEWORK_BUDGETS = {
    ("caseworker", "/people/"): 3,
    ("caseworker", "/people/?behind=on&open_referrals=on&page=2"): 4,
    # Seven sections, one query each, the targets and the settings; "no reachable
    # public-welfare activity" reads its people, their sign-ups and the open activities
    # (volunteering.selectors.month_targets: three whatever the number of people).
    ("caseworker", "/casework/today/"): 10,
    ("unit_admin", "/casework/today/"): 10,
    # The selector's units (the unit's children and the subtree's units come from
    # them) and seven figures' reads (casework/outcomes.py).
    ("unit_admin", "/casework/units/"): 8,
}

# Tables read by the per-request machinery of every signed-in page (the first table a
# query reads from decides).
SHARED_TABLES = ("django_session", "accounts_user", "auth_group", "auth_permission",
                 "django_content_type", "organisations_membership", "mfa_authenticator",
                 "notifications_notification", "wagtailusers_userprofile", "wagtailcore_")


def _own_queries(client, url) -> list[str]:
    for _ in range(2):  # warm up: site root paths, settings rows, caches
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    own = []
    for query in ctx.captured_queries:
        first = re.search(r'FROM "?([a-z_]+)', query["sql"])
        if not (first and first.group(1).startswith(SHARED_TABLES)):
            own.append(query["sql"][:120])
    return own


def _casework_rows(rows, n):
    """n more people in squad 1, each with what the casework pages count: an old
    unconfirmed hours entry and a confirmed one, study hours, a completed course, an
    overdue referral and a closed one, a help plan due for review, a term ending soon."""
    from casework.models import HelpPlan
    from helpnet.models import Referral, Service
    from volunteering.models import HoursConfirmation

    world = rows.world
    caseworker = world.users["caseworker"]
    today = timezone.localdate()
    now = timezone.now()
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"cw-p{i}", password="!")
                                      for i in rows._next("casework_people", n)])
    people = Supervisee.objects.bulk_create([
        Supervisee(user=u, legal_name=f"个案{u.username}", unit=world.squad1,
                   caseworker=caseworker, sentence_kind="suspended",
                   term_start=today - datetime.timedelta(days=200),
                   term_end=today + datetime.timedelta(days=1 + i % 29),
                   home_district=rows.district) for i, u in enumerate(users)])
    old = now - datetime.timedelta(days=9)
    entries = HoursEntry.objects.bulk_create([
        HoursEntry(supervisee=p, kind=kind, hours=Decimal("1.5"), unit=world.squad1,
                   service_date=today - datetime.timedelta(days=9), recorded_by=caseworker,
                   reason="服务", recorded_at=old)
        for p in people for kind in (ServiceKind.PUBLIC_WELFARE, ServiceKind.VOLUNTEER_SERVICE)])
    HoursConfirmation.objects.bulk_create([HoursConfirmation(entry=e, confirmed_by=caseworker)
                                           for e in entries[1::2]])
    StudyHoursEntry.objects.bulk_create([
        StudyHoursEntry(supervisee=p, kind="attendance", hours=Decimal("1"), credited_on=today)
        for p in people])
    course = rows.courses(1)[0]
    Enrolment.objects.bulk_create([
        Enrolment(supervisee=p, course_id=course.pk, status=Enrolment.Status.COMPLETED,
                  completed_at=now) for p in people])
    service, __ = Service.objects.get_or_create(
        organisation=world.ngo, name="个案帮扶",
        defaults={"type": Service.Type.SOCIAL_WORK, "area": "全县", "contact": "0000"})
    Referral.objects.bulk_create([
        Referral(supervisee=p, service=service, status=status, reason="需要帮扶",
                 created_by=caseworker, consent_at=now - datetime.timedelta(days=30),
                 shared_with=world.ngo, closed_at=now if status == "closed" else None,
                 outcome="resolved" if status == "closed" else "")
        for p in people for status in (Referral.Status.PENDING, Referral.Status.CLOSED)])
    HelpPlan.objects.bulk_create([
        HelpPlan(supervisee=p, goals="目标", review_on=today - datetime.timedelta(days=2),
                 updated_by=caseworker) for p in people])




def test_casework_pages_keep_their_budgets_with_1000_people(rows, login):
    clients = {"caseworker": login(rows.world.users["caseworker"])}
    clients["unit_admin"] = login(rows.world.users["unit_admin"])

    def counts():
        return {key: _own_queries(clients[key[0]], key[1]) for key in CASEWORK_BUDGETS}

    _casework_rows(rows, FEW)
    few = counts()
    _casework_rows(rows, MANY - FEW)
    many = counts()
    assert {k: len(v) for k, v in many.items()} == {k: len(v) for k, v in few.items()}, (
        "pages whose query count grew: " + ", ".join(
            f"{k} {len(few[k])} → {len(many[k])}" for k in few if len(many[k]) != len(few[k])))
    over = {k: v for k, v in many.items() if len(v) > CASEWORK_BUDGETS[k]}
    assert not over, "over budget: " + "; ".join(
        f"{k} {len(v)} > {CASEWORK_BUDGETS[k]}: {v}" for k, v in over.items())
    today = clients["caseworker"].get("/casework/today/").context
    assert today["unconfirmed_count"] == MANY and len(today["unconfirmed"]) == 50
    assert today["overdue_count"] == MANY and today["reviews_count"] == MANY


# --- Service and course pages: fixed budgets of their own queries --------------------------
#
# Counted like the casework pages (_own_queries). With a short first page the lists need no
# COUNT; "my courses" reads its enrolments once. A query added a section or a row fails.

SERVICE_AND_COURSE_BUDGETS = {
    # The person, the activities with their count (and, when any activity on the page
    # asks for skills, one more for the skills' names; these rows ask for none).
    # With this month's target: its figures, and the open activities with the person's
    # sign-ups (volunteering.selectors.month_target).
    ("supervisee", "/service/"): 4,
    ("supervisee", "/api/v1/activities"): 2,  # the same as values rows
    # The person, the months, the sign-ups, the figures (certificates and corrections are
    # read only when the figures say there are some).
    ("supervisee", "/service/me/"): 4,
    # The record with its flags, month and the level's targets; the open activities with
    # the person's sign-ups (this month's target).
    ("supervisee", "/dashboard/"): 2,
    # The months (with the level), the targets; the person and the open activities with
    # their sign-ups (this month's target).
    ("supervisee", "/api/v1/me/hours"): 4,
    ("supervisee", "/learning/"): 6,
    ("supervisee", "/api/v1/me/courses"): 2,
    ("ngo", "manage"): 2,  # the activity, its roster (with pending corrections)
}


def test_service_and_course_pages_keep_their_budgets(rows, login):
    rows.everything(FEW)
    activity = rows.activities(1)[0]
    rows.signups(activity, FEW)
    found = {}
    for (who, url) in SERVICE_AND_COURSE_BUDGETS:
        user = rows.person.user if who == "supervisee" else rows.world.users[who]
        target = f"/service/activities/{activity.pk}/manage/" if url == "manage" else url
        found[(who, url)] = len(_own_queries(login(user), target))
    assert found == SERVICE_AND_COURSE_BUDGETS


# --- A person's job matches: a fixed budget of their own queries ---------------------------
#
# The person's record with the facts matching needs, the open training places and the open
# jobs they may take (each with its skills and their names), and their applications.

MATCHES_BUDGETS = {"/jobs/me/": 4, "/jobs/me/?page=2": 4, "/api/v1/me/matches": 4,
                   "/api/v1/me/matches?page=2&page_size=5": 4}


def test_job_matches_keep_their_budget(rows, login):
    rows.everything(FEW)
    client = login(rows.person.user)
    found = {url: len(_own_queries(client, url)) for url in MATCHES_BUDGETS}
    assert found == MATCHES_BUDGETS
