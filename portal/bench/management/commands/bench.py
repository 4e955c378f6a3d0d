"""`make bench`: serve the portal and two references under gunicorn, drive each with wrk.

    DATABASE_URL=postgres://…/xy_bench_data DJANGO_SETTINGS_MODULE=portal.settings.bench \\
        .venv/bin/python manage.py bench --seconds 5 --connections 2

The portal runs against the generated data (manage.py generate_scale); the references
are the stock project of `wagtail start` in portal/bench/reference/ (its home page, and
a bare Django view at /bare/), served by the same gunicorn with the same workers. The
references are measured before and after the pages, and for a shorter time
(`--bracket-seconds`) between one page and the next: each page is judged against the
references measured just before and just after it (`local_reference`), so a machine
whose speed drifts during the run does not favour the pages measured at its fast end.

Signed-in pages are requested with a session cookie (and the CSRF cookie a browser holds
after signing in) made here for a generated supervisee, caseworker, unit administrator
and partner organiser. The table goes to the
terminal and to bench-results/latest.md; the exit status is 1 when a page misses the
floor declared for it in portal/bench/targets.py.
"""

from __future__ import annotations

import http.client
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal.bench.targets import REFERENCES, TARGETS, shortfalls

LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("XYBENCH %d %d %.3f %.3f %d\\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""
PORTAL_PORT = 8101
REFERENCE_PORTS = {"same-db": 8102, "sqlite": 8103}
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"


class Command(BaseCommand):
    help = "Benchmark the key pages under gunicorn with wrk against two references."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=5)
        parser.add_argument("--connections", type=int, default=2)
        parser.add_argument("--bracket-seconds", type=int, default=2,
                            help="How long the references are driven between two pages.")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--output", default=str(settings.BASE_DIR / "bench-results"
                                                    / "latest.md"))
        parser.add_argument("--only", default="", help="Measure only targets whose name "
                                                       "contains this text.")

    def handle(self, *args, seconds, connections, workers, output, only, bracket_seconds=2,
               **options):
        self.bracket_seconds = bracket_seconds
        name = str(connection.settings_dict.get("NAME", ""))
        if "bench" not in name:
            raise CommandError(f"Refusing to run against {name!r}: the benchmark signs in "
                               "generated people; use the generated bench database.")
        if settings.DEBUG:
            raise CommandError("DEBUG is on: run with DJANGO_SETTINGS_MODULE="
                               "portal.settings.bench.")
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed (apt-get install wrk).")
        self.wrk, self.seconds, self.connections = wrk, seconds, connections
        cookies, urls = self.prepare()
        targets = []
        for label, who, path, floor in TARGETS:
            if only and only not in label:
                continue
            url = self.resolve(path, urls)
            if url is None:
                self.stdout.write(f"skipped {label}: {path} does not resolve here (yet)")
                continue
            targets.append((label, who, url, floor))

        lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        lua.write(LUA)
        lua.close()
        self.lua = lua.name
        servers = []
        try:
            for which in REFERENCE_PORTS:
                servers.append(self.serve_reference(workers, which))
            servers.append(self.serve_portal(workers))
            results, refs = self.measure(targets, cookies)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
            os.unlink(self.lua)
        failed = self.report(results, refs, Path(output), workers)
        if failed:
            sys.exit(1)

    # --- who asks -------------------------------------------------------------------------

    def prepare(self):
        from importlib import import_module

        from allauth.mfa.models import Authenticator
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.utils.crypto import get_random_string

        SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

        from courses.models import CoursePage
        from portal.organisations.models import Membership
        from portal.people.models import Supervisee
        from volunteering.models import Activity

        person = (Supervisee.objects.filter(status="in_correction", is_juvenile=False,
                                            legal_name__startswith="基准")
                  .select_related("user", "caseworker").order_by("pk").first())
        if person is None:
            raise CommandError("No generated data here: run manage.py generate_scale first.")
        admin = (Membership.objects.filter(role=Membership.Role.UNIT_ADMIN,
                                           unit__path__startswith=person.unit.path[:8])
                 .select_related("user").first())
        activity = (Activity.objects.filter(organisation__isnull=False,
                                            organisation__partner_unit__path__startswith=(
                                                person.unit.path[:8]),
                                            starts_at__gt=timezone.now())
                    .order_by("starts_at").first()
                    or Activity.objects.filter(organisation__isnull=False).first())
        organiser = (Membership.objects.filter(organisation=activity.organisation)
                     .select_related("user").first()) if activity else None
        users = {"supervisee": person.user, "caseworker": person.caseworker,
                 "unit_admin": admin.user if admin else None,
                 "organiser": organiser.user if organiser else None}
        cookies = {"anonymous": ""}
        for who, user in users.items():
            if user is None:
                continue
            if who != "supervisee" and not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP).exists():
                # Staff must have two-factor set up (production settings); the bench
                # account gets an authenticator record so the pages open.
                Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                             data={"secret": "bench-not-a-real-secret"})
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "portal.accounts.backends.UsernameOrPhoneBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            # A signed-in browser also carries the CSRF cookie its sign-in form set.
            cookies[who] = (f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                            f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}")
        course = CoursePage.objects.live().filter(slug__startswith="bench-").order_by(
            "pk").first()
        urls = {
            "course_url": course.url if course else None,
            "activity_manage_url": (reverse("volunteering:manage", args=[activity.pk])
                                    if activity else None),
        }
        return cookies, urls

    def resolve(self, path: str, urls: dict) -> str | None:
        if path.startswith("{"):
            return urls.get(path.strip("{}"))
        if path.startswith("/"):
            return path
        try:
            return reverse(path)
        except NoReverseMatch:
            return None

    # --- servers --------------------------------------------------------------------------

    def gunicorn(self, app: str, port: int, workers: int, env: dict, cwd: Path):
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
                   "--workers", str(workers), "--worker-class", "sync",
                   "--log-level", "warning"]
        process = subprocess.Popen(command, cwd=cwd, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise CommandError(f"gunicorn for {app} exited with {process.returncode}")
            try:
                self.fetch(port, "/", "")
                return process
            except OSError:
                time.sleep(0.5)
        process.terminate()
        raise CommandError(f"gunicorn for {app} did not start within a minute")

    def serve_portal(self, workers: int):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.bench"}
        return self.gunicorn("portal.wsgi:application", PORTAL_PORT, workers, env,
                             settings.BASE_DIR)

    def reference_database(self, which: str) -> str | None:
        """The reference's database: SQLite (its default, in bench-results/) for
        "sqlite"; for "same-db", REFERENCE_DATABASE_URL or, when the portal runs on
        PostgreSQL, a database of its own on the same server (created when missing)."""
        if which == "sqlite":
            return None
        if os.environ.get("REFERENCE_DATABASE_URL"):
            return os.environ["REFERENCE_DATABASE_URL"]
        if connection.vendor != "postgresql":
            return None
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                   ["xy_bench_reference"]).fetchone()
            if not exists:
                admin.execute("CREATE DATABASE xy_bench_reference")
        d = connection.settings_dict
        auth = d["USER"] + (f":{d['PASSWORD']}" if d.get("PASSWORD") else "")
        return (f"postgres://{auth}@{d.get('HOST') or '127.0.0.1'}:{d.get('PORT') or 5432}"
                "/xy_bench_reference")

    def serve_reference(self, workers: int, which: str):
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL",
                            "REFERENCE_DATABASE_URL")}
        env["DJANGO_SETTINGS_MODULE"] = "reference.settings.bench"
        database = self.reference_database(which)
        if database:
            env["REFERENCE_DATABASE_URL"] = database
        # Its default SQLite database lives in bench-results/, absent from a fresh clone.
        (settings.BASE_DIR / "bench-results").mkdir(exist_ok=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                       cwd=REFERENCE_DIR, env=env, check=True)
        return self.gunicorn("reference.wsgi:application", REFERENCE_PORTS[which], workers,
                             env, REFERENCE_DIR)

    def fetch(self, port: int, path: str, cookie: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    # --- measuring ------------------------------------------------------------------------

    def drive(self, port: int, path: str, cookie: str, seconds: int | None = None) -> dict:
        status, _body = self.fetch(port, path, cookie)
        if status != 200:
            raise CommandError(f"{path} answered {status} before the run")
        for _ in range(5):  # warm the workers' caches and connections
            self.fetch(port, path, cookie)
        command = [self.wrk, "-t1", f"-c{self.connections}", f"-d{seconds or self.seconds}s",
                   "-s", self.lua, f"http://127.0.0.1:{port}{path}"]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        found = re.search(r"XYBENCH (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out)
        if not found:
            raise CommandError(f"wrk said nothing usable for {path}:\n{out}")
        requests, duration_us, p50, p95, errors = found.groups()
        return {"rps": int(requests) / (int(duration_us) / 1e6), "p50": float(p50),
                "p95": float(p95), "errors": int(errors), "requests": int(requests)}

    def measure(self, targets, cookies):
        refs: dict[str, list[dict]] = {label: [] for label, *_ in REFERENCES}
        self.brackets: list[dict[str, dict]] = []

        def references(seconds=None, labels=None):
            point = {}
            for label, path, which in REFERENCES:
                if labels is not None and label not in labels:
                    continue
                point[label] = self.drive(REFERENCE_PORTS[which], path, "", seconds=seconds)
                refs[label].append(point[label])
                self.stdout.write(f"  {label:28} {point[label]['rps']:8.1f} req/s")
            self.brackets.append(point)

        references()
        results = []
        runnable = [t for t in targets if cookies.get(t[1]) is not None]
        for label, who, _url, _floor in targets:
            if cookies.get(who) is None:
                self.stdout.write(f"skipped {label}: no generated {who} to sign in")
        for position, (label, who, url, floor) in enumerate(runnable):
            cookie = cookies[who]
            before = len(self.brackets) - 1
            try:
                result = self.drive(PORTAL_PORT, url, cookie)
            except CommandError as error:
                self.stdout.write(f"skipped {label}: {error}")
                continue
            self.stdout.write(f"  {label:28} {result['rps']:8.1f} req/s  p95 "
                              f"{result['p95']:.1f} ms")
            results.append((label, who, url, floor, result, before))
            if position < len(runnable) - 1:  # the references between this page and the next
                references(self.bracket_seconds, labels=FLOOR_REFERENCES)
        references()
        return results, refs

    def report(self, results, refs, output: Path, workers: int) -> bool:
        from portal.people.models import Supervisee
        from volunteering.models import HoursEntry

        def mean(label, key):
            runs = refs[label]
            return sum(r[key] for r in runs) / len(runs)

        bare, wagtail = mean("bare Django view", "rps"), mean("stock Wagtail home", "rps")
        lines = [
            f"Run {timezone.now():%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}: "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{connection.vendor} ({connection.settings_dict.get('NAME')}), "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
            f"gunicorn {workers} sync workers, wrk {self.connections} connections × "
            f"{self.seconds} s per target.",
            f"Data: {Supervisee.objects.count():,} supervisees, "
            f"{HoursEntry.objects.count():,} service-hours entries.",
            "",
            "| page | who | req/s | median ms | p95 ms | × bare Django | × stock Wagtail "
            "| floor |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for label, path, _which in REFERENCES:
            runs = [r["rps"] for r in refs[label]]
            spread = (f"runs: {', '.join(format(r, '.0f') for r in runs)} req/s"
                      if len(runs) <= 3 else
                      f"{len(runs)} runs, {min(runs):.0f}–{max(runs):.0f} req/s")
            lines.append(
                f"| {label} (reference, `{path}`) | anonymous | {mean(label, 'rps'):.1f} "
                f"| {mean(label, 'p50'):.1f} | {mean(label, 'p95'):.1f} "
                f"| {mean(label, 'rps') / bare:.2f} | {mean(label, 'rps') / wagtail:.2f} "
                f"| {spread} |")
        failed = False
        brackets = getattr(self, "brackets", None)
        for label, who, url, floor, r, before in results:
            # Each page against the references measured just before and after it.
            local_wagtail = (local_reference(brackets, before, "stock Wagtail home")
                             if brackets else wagtail)
            local_bare = (local_reference(brackets, before, "bare Django view")
                          if brackets else bare)
            missed = shortfalls(floor, rps=r["rps"], p95_ms=r["p95"], wagtail_rps=local_wagtail,
                                bare_rps=local_bare)
            if r["errors"]:
                missed.append(f"{r['errors']} errors")
            failed = failed or bool(missed)
            verdict = "MISSED: " + "; ".join(missed) if missed else "met"
            lines.append(f"| {label} (`{url}`) | {who} | {r['rps']:.1f} | {r['p50']:.1f} "
                         f"| {r['p95']:.1f} | {r['rps'] / local_bare:.2f} "
                         f"| {r['rps'] / local_wagtail:.2f} | {verdict} |")
        text = "\n".join(lines) + "\n"
        self.stdout.write("\n" + text)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        self.stdout.write(f"written to {output}")
        return failed


# The references the floors are ratios to (portal/bench/targets.py): driven between pages.
FLOOR_REFERENCES = ("bare Django view", "stock Wagtail home")


def local_reference(brackets: list[dict], before: int, label: str) -> float:
    """The reference's requests per second around a page: the mean of its run just before
    the page (`brackets[before]`) and its next run after it."""
    runs = [brackets[before][label]["rps"]]
    for point in brackets[before + 1:]:
        if label in point:
            runs.append(point[label]["rps"])
            break
    return sum(runs) / len(runs)
