"""Issue #3's benchmark: with 2,000 courses, 20,000 classes and 500,000 enrolments, the
catalogue, a course page and "my courses" run a fixed number of queries and serve at
least as fast as a bare Wagtail page served the same way.

It FILLS THE DATABASE with made-up rows, so it refuses any database whose name does not
contain "bench". Use a throw-away PostgreSQL database:

    createdb -h 127.0.0.1 -U postgres xy_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_bench
    export DJANGO_SETTINGS_MODULE=portal.settings.test   # DEBUG off, like production
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py courses_benchmark --load
    .venv/bin/python manage.py courses_benchmark --measure

Pages are requested with Django's test client in this process (no network, no web
server), each after warming up, and timed over --repeat requests; the figures go to
docs/benchmarks.md by hand.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

COURSES = 2_000
SESSIONS_PER_COURSE = 10
PEOPLE = 5_000
ENROLMENTS_PER_PERSON = 100  # 5,000 × 100 = 500,000
LESSONS_PER_COURSE = 2


class Command(BaseCommand):
    help = "Load the courses benchmark data (--load) or time the pages (--measure)."

    def add_arguments(self, parser):
        parser.add_argument("--load", action="store_true")
        parser.add_argument("--measure", action="store_true")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--courses", type=int, default=COURSES)
        parser.add_argument("--people", type=int, default=PEOPLE)

    def handle(self, *args, **options):
        name = str(connection.settings_dict.get("NAME", ""))
        if "bench" not in name:
            raise CommandError(f"Refusing to fill database {name!r}: its name must contain "
                               "'bench' (this command writes hundreds of thousands of rows).")
        if options["load"]:
            # Wagtail's database search backend renormalises the whole index on every
            # page save (O(pages) each); the catalogue does not use it, so loading skips it.
            search = {name: {**config, "AUTO_UPDATE": False}
                      for name, config in settings.WAGTAILSEARCH_BACKENDS.items()}
            with override_settings(WAGTAILSEARCH_BACKENDS=search):
                self.load(options["courses"], options["people"])
        if options["measure"]:
            self.measure(options["repeat"])
        if not (options["load"] or options["measure"]):
            raise CommandError("Say --load, --measure or both.")

    # --- data ----------------------------------------------------------------------------------

    def load(self, n_courses: int, n_people: int):
        from wagtail.models import Page

        from cms.models import HomePage
        from courses.models import (
            ClassSession,
            CourseCategory,
            CourseIndexPage,
            CoursePage,
            Enrolment,
            LessonPage,
        )
        from portal.accounts.models import User
        from portal.organisations.models import Unit
        from portal.people.models import Supervisee

        rng = random.Random(3)
        started = time.monotonic()
        home = HomePage.objects.first()
        if not Page.objects.filter(slug="bench-starter").exists():
            # The baseline: a bare Wagtail page with Wagtail's own template.
            home.add_child(instance=Page(title="Welcome", slug="bench-starter"))
        index = CourseIndexPage.objects.first() or home.add_child(
            instance=CourseIndexPage(title="课程", slug="courses"))
        bureau = Unit.objects.filter(name="基准县司法局").first() or Unit.add_root(
            name="基准县司法局", kind="bureau")
        categories = list(CourseCategory.objects.all())
        have = CoursePage.objects.count()
        self.stdout.write(f"courses: {have} present, making {max(n_courses - have, 0)}")
        for i in range(have, n_courses):
            course = index.add_child(instance=CoursePage(
                title=f"基准课程{i:04d}", slug=f"bench-{i}", summary="基准测试课程",
                category=categories[i % len(categories)], study_hours=Decimal("2"),
                format=("online", "in_person", "blended")[i % 3], provider_unit=bureau))
            for n in range(LESSONS_PER_COURSE):
                course.add_child(instance=LessonPage(
                    title=f"第{n + 1}课", slug=f"bench-{i}-{n}",
                    body=[{"type": "paragraph", "value": "<p>课文</p>"}]))
            if i % 200 == 199:
                self.stdout.write(f"  {i + 1} courses ({time.monotonic() - started:.0f}s)")
        course_ids = list(CoursePage.objects.filter(slug__startswith="bench-")
                          .values_list("pk", flat=True))
        if not ClassSession.objects.exists():
            now = timezone.now().replace(minute=0, second=0, microsecond=0)
            rows = []
            for course_id in course_ids:
                for _k in range(SESSIONS_PER_COURSE):
                    starts = now + datetime.timedelta(days=rng.randint(-30, 60),
                                                      hours=rng.choice([-5, 0, 3, 11]))
                    rows.append(ClassSession(
                        course_id=course_id, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=2), venue="教室",
                        capacity=30, study_hours=Decimal("2")))
            ClassSession.objects.bulk_create(rows, batch_size=5_000)
            self.stdout.write(f"sessions: {len(rows)} ({time.monotonic() - started:.0f}s)")
        have_people = Supervisee.objects.filter(legal_name__startswith="基准").count()
        if have_people < n_people:
            users = User.objects.bulk_create(
                [User(username=f"bench{i}", password="!") for i in range(have_people,
                                                                          n_people)],
                batch_size=5_000)
            today = timezone.localdate()
            Supervisee.objects.bulk_create([
                Supervisee(user=u, legal_name=f"基准{u.username}", unit=bureau,
                           sentence_kind="suspended", term_start=today,
                           term_end=today + datetime.timedelta(days=365))
                for u in users], batch_size=5_000)
            self.stdout.write(f"people: {n_people} ({time.monotonic() - started:.0f}s)")
        if not Enrolment.objects.exists():
            people = list(Supervisee.objects.filter(legal_name__startswith="基准")
                          .values_list("pk", flat=True))
            batch = []
            total = 0
            for person in people:
                for course_id in rng.sample(course_ids, min(ENROLMENTS_PER_PERSON,
                                                            len(course_ids))):
                    batch.append(Enrolment(supervisee_id=person, course_id=course_id))
                if len(batch) >= 20_000:
                    with transaction.atomic():
                        Enrolment.objects.bulk_create(batch, batch_size=10_000)
                    total += len(batch)
                    batch = []
            Enrolment.objects.bulk_create(batch, batch_size=10_000)
            total += len(batch)
            self.stdout.write(f"enrolments: {total} ({time.monotonic() - started:.0f}s)")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"loaded in {time.monotonic() - started:.0f}s"))

    # --- timing --------------------------------------------------------------------------------

    def measure(self, repeat: int):
        from courses.models import ClassSession, CoursePage, Enrolment
        from portal.people.models import Supervisee

        person = Supervisee.objects.filter(legal_name__startswith="基准").select_related(
            "user").order_by("pk").first()
        course = CoursePage.objects.filter(slug="bench-1000").first()
        if person is None or course is None:
            raise CommandError("Load the data first (--load).")
        counts = {
            "courses": CoursePage.objects.count(),
            "classes": ClassSession.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "my enrolments": Enrolment.objects.filter(supervisee=person).count(),
        }
        self.stdout.write("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        client = Client()
        client.force_login(person.user)
        targets = [
            ("bare Wagtail page (baseline)", "/bench-starter/"),
            ("portal home page", "/"),
            ("empty portal page (floor)", "/calendar/"),
            ("catalogue", "/courses/"),
            ("catalogue, evening classes", "/courses/?time=evening"),
            ("catalogue, page 50", "/courses/?page=50"),
            ("course page", course.url),
            ("my courses (100 enrolments)", "/learning/"),
        ]
        queries = {}
        for _label, url in targets:
            for _ in range(3):
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            connection.queries_log.clear()  # each request starts by clearing it anyway
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[url] = len(captured)
        # Round-robin, so a busy moment of the machine hurts every page alike.
        times = {url: [] for _label, url in targets}
        for _ in range(repeat):
            for _label, url in targets:
                began = time.perf_counter()
                client.get(url)
                times[url].append((time.perf_counter() - began) * 1000)
        self.stdout.write(f"{'page':32} {'queries':>7} {'median ms':>10} {'p90 ms':>8}")
        for label, url in targets:
            samples = sorted(times[url])
            p90 = samples[max(int(len(samples) * 0.9) - 1, 0)]
            self.stdout.write(f"{label:32} {queries[url]:>7} "
                              f"{statistics.median(samples):>10.1f} {p90:>8.1f}")
