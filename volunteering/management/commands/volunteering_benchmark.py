"""Service and volunteering at scale (issue #4): load 50,000 activities, 1,000,000 sign-ups
and 5,000,000 hours-ledger entries, then time the activity list, a person's hours page,
an organiser's page and the bare Wagtail page (the baseline) through Django's test client,
with their query counts, and a certificate PDF's rendering.

PostgreSQL only (the rows are generated inside the database with generate_series), on a
scratch database whose name contains "bench" (or with --force):

    createdb -h 127.0.0.1 -U postgres xy_bench_service
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_bench_service
    export DJANGO_SETTINGS_MODULE=portal.settings.test     # DEBUG off
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py volunteering_benchmark --load
    .venv/bin/python manage.py volunteering_benchmark --measure --repeat 30

--scale 0.1 loads a tenth of every size. This is a measurement to read, not a test."""

from __future__ import annotations

import datetime
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PREFIX = "bench-svc"


class Command(BaseCommand):
    help = "Load (--load) and time (--measure) service and volunteering at scale."

    def add_arguments(self, parser):
        parser.add_argument("--load", action="store_true")
        parser.add_argument("--measure", action="store_true")
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--people", type=int, default=20_000)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--entries", type=int, default=5,
                            help="Ledger entries per sign-up (5: 5,000,000 in all).")
        parser.add_argument("--ledger-only", action="store_true",
                            help="Only add the ledger to what an earlier --load left.")
        parser.add_argument("--force", action="store_true",
                            help="Allow a database whose name lacks 'bench'.")

    def handle(self, *args, load, measure, scale, people, repeat, force, entries, ledger_only,
               **options):
        if connection.vendor != "postgresql":
            raise CommandError("PostgreSQL only (rows are generated in the database).")
        name = settings.DATABASES["default"]["NAME"]
        if "bench" not in name and not force:
            raise CommandError(f"Refusing to load rows into {name!r}: use a scratch database "
                               "whose name contains 'bench', or --force.")
        if load or ledger_only:
            self.load(activities=int(50_000 * scale), signups_each=20,
                      entries_each=entries, people=people, ledger_only=ledger_only)
        if measure:
            self.measure(repeat)

    # --- loading --------------------------------------------------------------------------

    STEPS = [
        # Half in the past (completed), half to come (published), over two years.
        ("activities", """
            INSERT INTO volunteering_activity (title, theme_id, kind, description, place,
                district_id, starts_at, ends_at, capacity, waitlist_limit,
                signup_deadline, hours, suitable_for_juveniles, organisation_id, status,
                places_taken, cancel_reason, sequence, created_by_id, created_at,
                updated_at, published_at)
            SELECT '基准活动' || g, %(theme)s, 'volunteer_service', '', '基准广场',
                %(district)s, s, s + interval '3 hours', 30, 10, s - interval '1 day', 3,
                false, %(ngo)s, CASE WHEN g %% 2 = 0 THEN 'completed' ELSE 'published' END,
                %(each)s, '', 0, %(user)s, now(), now(), now()
            FROM generate_series(1, %(n)s) g,
                 LATERAL (SELECT CASE WHEN g %% 2 = 0
                          THEN now() - (g %% 700 + 1) * interval '1 day'
                          ELSE now() + (g %% 700 + 2) * interval '1 day' END AS s) t"""),
        ("sign-ups", """
            INSERT INTO volunteering_signup (activity_id, supervisee_id, status,
                attendance, created_at, confirmed_at)
            SELECT a.id, %(first)s + ((a.id * 37 + k * 101) %% %(people)s), 'confirmed',
                CASE WHEN a.status = 'completed' THEN 'attended' ELSE '' END,
                a.signup_deadline - interval '2 days', a.signup_deadline - interval '2 days'
            FROM volunteering_activity a, generate_series(0, %(each)s - 1) k
            WHERE a.organisation_id = %(ngo)s"""),
        # The ledger: entries for every sign-up (credited hours, then corrections
        # recorded as further entries), for past and future alike so the table reaches
        # its size; dated on the activity's day.
        ("ledger", """
            INSERT INTO volunteering_hoursentry (supervisee_id, activity_id, signup_id,
                kind, hours, service_date, organisation_id, recorded_by_id, recorded_at,
                reason)
            SELECT s.supervisee_id, s.activity_id, s.id, 'volunteer_service',
                CASE WHEN e = 0 THEN 3 ELSE 0.5 END,
                (a.starts_at AT TIME ZONE 'Asia/Shanghai')::date, %(ngo)s, %(user)s,
                a.ends_at, '基准'
            FROM volunteering_signup s JOIN volunteering_activity a ON a.id = s.activity_id,
                 generate_series(0, %(entries)s - 1) e
            WHERE a.organisation_id = %(ngo)s"""),
    ]

    def load(self, *, activities: int, signups_each: int, entries_each: int, people: int,
             ledger_only: bool = False):
        from portal.organisations.models import Membership, Organisation, Unit
        from portal.people.models import Consent, Supervisee
        from portal.taxonomy.models import District
        from volunteering.models import Theme

        started = time.perf_counter()
        User = get_user_model()
        today = timezone.localdate()
        if ledger_only:
            from portal.organisations.models import Organisation

            ngo = Organisation.objects.get(name="基准志愿者协会")
            organiser = User.objects.get(username=f"{PREFIX}-ngo")
            params = {"ngo": ngo.pk, "user": organiser.pk, "entries": entries_each}
            self._run(self.STEPS[-1:], params)
            return
        with transaction.atomic():
            district = District.objects.create(code=f"{PREFIX}-town", name="基准镇",
                                               county="基准县")
            unit = Unit.add_root(name="基准县司法局", kind="bureau", district=district)
            ngo = Organisation.objects.create(name="基准志愿者协会", kind="ngo",
                                              partner_unit=unit)
            organiser = User.objects.create(username=f"{PREFIX}-ngo", password="!")
            Membership.objects.create(user=organiser, organisation=ngo,
                                      role=Membership.PARTNER_ROLES[0])
            theme, _c = Theme.objects.get_or_create(code=f"{PREFIX}-theme",
                                                    defaults={"name": "基准主题"})
            users = User.objects.bulk_create(
                [User(username=f"{PREFIX}-{i}", password="!") for i in range(people)],
                batch_size=5000)
            persons = Supervisee.objects.bulk_create([
                Supervisee(user=u, legal_name=f"基准{i}", unit=unit, home_district=district,
                           sentence_kind="suspended",
                           term_start=today - datetime.timedelta(days=400),
                           term_end=today + datetime.timedelta(days=300))
                for i, u in enumerate(users)], batch_size=5000)
            Consent.objects.bulk_create([
                Consent(supervisee=p, kind=kind, granted=True, recorded_by=p.user)
                for p in persons[:100]
                for kind in (Consent.Kind.CERTIFICATE, Consent.Kind.VOLUNTEER_EXPORT)])
        self.stdout.write(f"people: {time.perf_counter() - started:.0f} s")
        first_person = persons[0].pk
        params = {"n": activities, "theme": theme.pk, "district": district.pk, "ngo": ngo.pk,
                  "user": organiser.pk, "people": people, "first": first_person,
                  "each": signups_each, "entries": entries_each}
        self._run(self.STEPS, params)
        self.stdout.write(f"Loaded in {time.perf_counter() - started:.0f} s.")

    def _run(self, steps, params):
        for label, sql in steps:
            began = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                count = cursor.rowcount
            self.stdout.write(f"{label}: {count} rows in {time.perf_counter() - began:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- measuring ------------------------------------------------------------------------

    def measure(self, repeat: int):
        from wagtail.models import Page

        from portal.people.models import Supervisee
        from volunteering import services
        from volunteering.models import Activity, Certificate, HoursEntry, Signup
        from volunteering.pdf import certificate_pdf

        User = get_user_model()
        organiser = User.objects.get(username=f"{PREFIX}-ngo")
        person = Supervisee.objects.select_related("user").get(user__username=f"{PREFIX}-0")
        baseline = Page.objects.filter(slug="bench-starter").first()
        if baseline is None:
            root = Page.objects.filter(depth=2).first()
            baseline = root.add_child(instance=Page(title="Welcome", slug="bench-starter"))
            baseline.save_revision().publish()
        counts = {
            "activities": Activity.objects.count(), "sign-ups": Signup.objects.count(),
            "ledger entries": HoursEntry.objects.count(),
            "person's entries": HoursEntry.objects.filter(supervisee=person).count(),
        }
        self.stdout.write(" · ".join(f"{k}: {v:,}" for k, v in counts.items()))
        anonymous, member, staff = Client(), Client(), Client()
        member.force_login(person.user)
        staff.force_login(organiser)
        pages = [
            ("bare Wagtail page (baseline)", anonymous, baseline.url),
            ("activity list /service/ (a person)", member, "/service/"),
            ("activity list, page 50", member, "/service/?page=50"),
            ("a person's hours page /service/me/", member, "/service/me/"),
            ("organiser's page /service/organiser/", staff, "/service/organiser/"),
        ]
        timings = {label: [] for label, _c, _u in pages}
        queries = {}
        for label, client, url in pages:  # warm up
            for _i in range(3):
                response = client.get(url, HTTP_HOST="127.0.0.1")
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(url, HTTP_HOST="127.0.0.1")
            queries[label] = len(captured)
        for _round in range(repeat):
            for label, client, url in pages:
                began = time.perf_counter()
                client.get(url, HTTP_HOST="127.0.0.1")
                timings[label].append((time.perf_counter() - began) * 1000)
        self.stdout.write("| page | queries | median ms | p90 ms |\n| --- | ---: | ---: | ---: |")
        for label, values in timings.items():
            values.sort()
            p90 = values[int(len(values) * 0.9) - 1] if len(values) > 1 else values[0]
            self.stdout.write(f"| {label} | {queries[label]} | "
                              f"{statistics.median(values):.1f} | {p90:.1f} |")
        certificate = Certificate.objects.filter(supervisee=person).first()
        if certificate is None:
            certificate = services.certificate_issue(
                supervisee=person, issued_by=organiser,
                organisation=organiser.memberships.first().organisation)
        renders = []
        for _i in range(10):
            began = time.perf_counter()
            pdf = certificate_pdf(certificate, verify_url="https://example.org/verify/x/")
            renders.append((time.perf_counter() - began) * 1000)
        self.stdout.write(f"Certificate PDF ({len(pdf):,} bytes, {certificate.hours} hours): "
                          f"median {statistics.median(renders):.0f} ms, slowest "
                          f"{max(renders):.0f} ms over 10 renders.")
