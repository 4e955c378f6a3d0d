"""How fast matching is at province scale (issue #5): build 20,000 open jobs and 100,000
people, time one person's ranking, a 600-person county's rankings and the job board, then
roll everything back. Nothing is left in the database.

    DEBUG=1 python manage.py employment_benchmark            # the embedded SQLite file
    DATABASE_URL=postgres://… python manage.py employment_benchmark --force

This is a measurement to read, not a test: timings depend on the machine."""

from __future__ import annotations

import datetime
import random
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from employment import selectors, views
from employment.models import Job, JobProfile, Shift, TrainingBase, TrainingPlace
from portal.organisations.models import Organisation, Unit
from portal.people.models import OccupationalBan, ProhibitionOrder, Supervisee
from portal.taxonomy.models import District, Industry, Skill, VenueType


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = ("Time job matching with 20,000 open jobs and 100,000 people (all rolled back "
            "at the end).")

    def add_arguments(self, parser):
        parser.add_argument("--jobs", type=int, default=20_000)
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--counties", type=int, default=100)
        parser.add_argument("--force", action="store_true",
                            help="Run even though DEBUG is off (the data is rolled back).")

    def handle(self, *args, jobs, people, counties, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to write benchmark rows here. "
                               "Use --force on a scratch database.")
        self.rng = random.Random(5)
        self.results = []
        try:
            with transaction.atomic():
                self.build(jobs=jobs, people=people, counties=counties)
                self.measure()
                raise Rollback
        except Rollback:
            pass

    # --- building ------------------------------------------------------------------------

    def say(self, line: str) -> None:
        self.results.append(line)
        self.stdout.write(line)

    def build(self, *, jobs: int, people: int, counties: int) -> None:
        started = time.perf_counter()
        rng = self.rng
        today = timezone.localdate()
        districts = District.objects.bulk_create([
            District(code=f"bench-{c}-{d}", name=f"县{c}镇{d}", county=f"基准县{c}")
            for c in range(counties) for d in range(6)])
        by_county = [districts[c * 6:(c + 1) * 6] for c in range(counties)]
        industries = Industry.objects.bulk_create(
            [Industry(code=f"bench-ind-{i}", name=f"行业{i}") for i in range(12)])
        venues = VenueType.objects.bulk_create(
            [VenueType(code=f"bench-venue-{i}", name=f"场所{i}") for i in range(6)])
        skills = Skill.objects.bulk_create(
            [Skill(code=f"bench-skill-{i}", name=f"技能{i}") for i in range(20)])
        units = [Unit.add_root(name=f"基准县{c}司法局", kind="bureau", district=by_county[c][0])
                 for c in range(counties)]
        enterprises = Organisation.objects.bulk_create([
            Organisation(name=f"基准企业{i}", kind="enterprise",
                         partner_unit=units[i % counties]) for i in range(counties * 5)])
        shifts = Shift.values
        # What each job is, kept so that the worst case can make the same jobs again in
        # one county (see worst_case_jobs).
        self.job_specs = []
        for i in range(jobs):
            enterprise = enterprises[i % len(enterprises)]
            county = (i % len(enterprises)) % counties
            self.job_specs.append(dict(
                organisation=enterprise, title=f"岗位{i}", industry=rng.choice(industries),
                district=rng.choice(by_county[county]),
                venue_type=rng.choice(venues) if rng.random() < 0.05 else None,
                shift=rng.choice(shifts), work_days=rng.choice(["12345", "123456", "1234567"]),
                hours_per_week=rng.choice([20, 40, 44, 48]), places=rng.randint(1, 5),
                juveniles_allowed=rng.random() < 0.1, pay_min=3000, pay_max=5000))
        self.job_skills = [rng.sample(skills, rng.randint(0, 3)) for _ in self.job_specs]
        self.make_jobs()
        bases = TrainingBase.objects.bulk_create([
            TrainingBase(organisation=e, name=f"基地{e.pk}", district=e.partner_unit.district)
            for e in enterprises[:counties]])
        TrainingPlace.objects.bulk_create([
            TrainingPlace(organisation=b.organisation, base=b, programme=f"培训{b.pk}-{k}",
                          industry=rng.choice(industries), district=b.district)
            for b in bases for k in range(5)])

        User = get_user_model()
        users = User.objects.bulk_create(
            [User(username=f"bench-user-{i}", password="!") for i in range(people)],
            batch_size=5000)
        persons = Supervisee.objects.bulk_create([
            Supervisee(user=u, legal_name=f"基准{i}", unit=units[i % counties],
                       home_district=rng.choice(by_county[i % counties]),
                       sentence_kind="suspended", term_start=today - datetime.timedelta(days=90),
                       term_end=today + datetime.timedelta(days=300),
                       is_juvenile=rng.random() < 0.02)
            for i, u in enumerate(users)], batch_size=5000)
        SkillThrough = Supervisee.skills.through
        SkillThrough.objects.bulk_create([
            SkillThrough(supervisee_id=p.pk, skill_id=s.pk) for p in persons
            for s in rng.sample(skills, rng.randint(0, 3))], batch_size=5000)
        OccupationalBan.objects.bulk_create([
            OccupationalBan(supervisee=p, industry=rng.choice(industries),
                            starts_on=today - datetime.timedelta(days=90))
            for p in persons if rng.random() < 0.08], batch_size=5000)
        ProhibitionOrder.objects.bulk_create([
            ProhibitionOrder(supervisee=p, kind="venue_type", venue_type=rng.choice(venues),
                             description="基准", starts_on=today - datetime.timedelta(days=90))
            for p in persons if rng.random() < 0.2], batch_size=5000)
        JobProfile.objects.bulk_create([
            JobProfile(supervisee=p, preferred_shifts=["day"], max_hours_per_week=44,
                       reporting_weekday=rng.randint(1, 5), reporting_period="morning")
            for p in persons if rng.random() < 0.3], batch_size=5000)
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would have them on a live database.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.units, self.by_county = units, by_county
        self.say(f"Built {jobs} open jobs in {counties} counties, {len(bases) * 5} training "
                 f"places and {people} people in {time.perf_counter() - started:.1f} s "
                 f"({connection.vendor}).")

    def make_jobs(self, **override) -> None:
        created = Job.objects.bulk_create(
            [Job(**{**spec, **override}) for spec in self.job_specs], batch_size=2000)
        Through = Job.skills.through
        Through.objects.bulk_create([
            Through(job_id=job.pk, skill_id=skill.pk)
            for job, wanted in zip(created, self.job_skills, strict=True) for skill in wanted],
            batch_size=5000)

    def worst_case_jobs(self) -> None:
        """Every job in the sample's county. On PostgreSQL the same jobs are made again
        there as fresh rows: moving them with an UPDATE inside the transaction would leave
        each job's old row behind, dead but read by every scan of the table until a VACUUM
        (which a live database has had). SQLite updates rows in place."""
        district = self.by_county[0][0]
        if connection.vendor != "postgresql":
            Job.objects.update(district=district)
            return
        with connection.cursor() as cursor:
            # Empties the jobs (and what refers to them) in this transaction only: it all
            # comes back with the rollback. TRUNCATE refuses a table with deferred
            # foreign-key checks pending, so those are run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {Job._meta.db_table} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.make_jobs(district=district)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Job._meta.db_table}")
            cursor.execute(f"ANALYZE {Job.skills.through._meta.db_table}")

    # --- measuring ------------------------------------------------------------------------

    def _time_one(self, supervisee) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            ranking = selectors.ranking_for(supervisee)
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, len(queries), len(ranking.matches) + len(ranking.excluded)

    def _time_page(self, supervisee) -> tuple[float, int, int]:
        """What the person's matches page and the API do: the count, the first page, and
        the reasons of each match on it in words."""
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            matches = selectors.matches_for_person(supervisee)
            count = len(matches)
            for row in matches[:views.PAGE_SIZE]:
                [reason.text for reason in row.assessment.reasons]
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, len(queries), count

    def one_page(self, label: str, sample) -> None:
        self._time_page(sample[0])  # warm caches
        runs = [self._time_page(p) for p in sample]
        times = sorted(r[0] for r in runs)
        self.say(f"{label}: median {statistics.median(times):.1f} ms, slowest "
                 f"{times[-1]:.1f} ms over {len(runs)} people; {runs[0][1]} queries; "
                 f"{statistics.mean(r[2] for r in runs):.0f} matches each.")

    def one_person(self, label: str, sample) -> None:
        self._time_one(sample[0])  # warm caches
        runs = [self._time_one(p) for p in sample]
        times = sorted(r[0] for r in runs)
        self.say(f"{label}: median {statistics.median(times):.1f} ms, slowest "
                 f"{times[-1]:.1f} ms over {len(runs)} people; {runs[0][1]} queries; "
                 f"{statistics.mean(r[2] for r in runs):.0f} openings assessed each.")

    def county(self, label: str, unit, size: int = 600) -> None:
        people = list(Supervisee.objects.filter(unit=unit).select_related("unit")[:size])
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            rankings = selectors.rankings_for(people)
            elapsed = time.perf_counter() - started
            matches = sum(len(r.matches) for r in rankings.values())
            counted = time.perf_counter() - started
            # What a caseload report reads: each person's best matches, explained.
            for ranking in rankings.values():
                for assessment in ranking.matches[:views.PAGE_SIZE]:
                    [reason.text for reason in assessment.reasons]
            explained = time.perf_counter() - started
        self.say(f"{label}: {len(people)} people ranked in {elapsed:.2f} s ({counted:.2f} s "
                 f"with the number of matches of each, {explained:.2f} s with each one's "
                 f"first {views.PAGE_SIZE} explained), {len(queries)} queries, {matches} "
                 f"matches in all.")

    def board(self) -> None:
        user = get_user_model().objects.create(username="bench-admin", is_superuser=True)
        request = RequestFactory().get("/jobs/board/", HTTP_HOST="127.0.0.1")
        request.user = user
        views.board(request)  # warm
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = views.board(request)
            elapsed = (time.perf_counter() - started) * 1000
        self.say(f"Job board (first page of {Job.objects.filter(status='open').count()} open "
                 f"jobs): {elapsed:.0f} ms, {len(queries)} queries, status "
                 f"{response.status_code}.")

    def measure(self) -> None:
        sample = list(Supervisee.objects.filter(unit=self.units[0]).select_related("unit")[:20])
        self.one_page("One person's matches page (count, first page, reasons), jobs "
                      "spread over the province", sample)
        self.one_person("One person's full ranking in Python (ranking_for), jobs spread "
                        "over the province", sample)
        self.county("A 600-person county, jobs spread over the province", self.units[0])
        self.board()
        # The worst case: every job in the person's own county.
        self.worst_case_jobs()
        self.one_page("One person's matches page, all jobs in their county (worst case)",
                      sample)
        self.one_person("One person's full ranking in Python, all jobs in their county "
                        "(worst case)", sample)
        self.county("A 600-person county, all jobs in it (worst case)", self.units[0])
