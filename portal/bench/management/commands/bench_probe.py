"""In-process look at the key pages `make bench` drives: time, queries and Python calls.

    DATABASE_URL=postgres://…/xy_bench_data DJANGO_SETTINGS_MODULE=portal.settings.bench \\
        REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python manage.py bench_probe \\
        --only "unit dashboard" --repeat 30

Each page is asked for by the same generated person `make bench` signs in, through
Django's test client (no server, no network), after three warm-up requests. Printed per
page: the median and fastest time, the queries (and the database's share of the time),
and cProfile's count of Python function calls, which does not drift with the machine.
`--reference` times the stock Wagtail home (portal/bench/reference) the same way in a
second process; `--profile N` prints the N functions with the most cumulative time. A
tool for deciding what to change: the figures to report come from `make bench`.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from portal.bench.management.commands.bench import Command as Bench
from portal.bench.targets import TARGETS


class Command(BaseCommand):
    help = "Time, queries and Python calls of the key pages, in-process."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help="Pages whose name contains this text.")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--path", default="",
                            help="Probe this path instead of the key pages (with --who).")
        parser.add_argument("--who", default="supervisee",
                            help="Who asks for --path: supervisee, caseworker, unit_admin, "
                                 "organiser or anonymous.")
        parser.add_argument("--profile", type=int, default=0,
                            help="Print the N functions with the most cumulative time.")
        parser.add_argument("--queries", action="store_true", help="Print each query.")
        parser.add_argument("--sort", default="cumulative", help="The profile's order (pstats).")
        parser.add_argument("--reference", action="store_true",
                            help="Time the stock Wagtail home first, in a second process.")
        parser.add_argument("--server", action="store_true",
                            help="Also the CPU time PostgreSQL's backend and Redis spent "
                                 "per request (Linux: /proc), which under load is taken "
                                 "from the workers on the same cores.")

    def handle(self, *args, only, repeat, profile, queries, reference, sort="cumulative",
               server=False, path="", who="supervisee", **options):
        self.sort = sort
        if "bench" not in str(connection.settings_dict.get("NAME", "")):
            raise CommandError("Use the generated bench database (its name contains bench).")
        bench = Bench()
        if reference:
            self.stdout.write(self.reference(bench, repeat))
        cookies, urls = bench.prepare()
        targets = [(path, who, path, None)] if path else TARGETS
        for label, who, path, _floor in targets:
            if only and only not in label:
                continue
            url = bench.resolve(path, urls)
            if url is None or cookies.get(who) is None:
                continue
            client = Client(SERVER_NAME="127.0.0.1")
            headers = {"HTTP_COOKIE": cookies[who]} if cookies[who] else {}

            def get(client=client, url=url, headers=headers):
                response = client.get(url, **headers)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                return response

            for _ in range(3):
                get()
            times = []
            before = server_cpu() if server else None
            for _ in range(repeat):
                started = time.perf_counter()
                get()
                times.append((time.perf_counter() - started) * 1000)
            spent = ""
            if before is not None:
                after = server_cpu()
                spent = "  server " + " ".join(
                    f"{name} {(after[name] - before[name]) / repeat:4.2f} ms"
                    for name in before)
            with statements() as captured:
                get()
            sql_ms = sum(ms for ms, _sql in captured)
            profiler = cProfile.Profile()
            profiler.enable()
            get()
            profiler.disable()
            stats = pstats.Stats(profiler)
            self.stdout.write(
                f"{label:34} median {statistics.median(times):6.2f} ms  fastest "
                f"{min(times):6.2f} ms  queries {len(captured):3d} ({sql_ms:5.2f} ms)  "
                f"calls {stats.total_calls:,}{spent}")
            if queries:
                for ms, sql in captured:
                    self.stdout.write(f"    {ms:6.2f} ms  {sql[:400]}")
            if profile:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(self.sort).print_stats(profile)
                self.stdout.write(out.getvalue())
        if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
            self.stdout.write("(local-memory cache: set REDIS_URL as make bench does)")

    def reference(self, bench: Bench, repeat: int) -> str:
        from portal.bench.management.commands.bench import REFERENCE_DIR

        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL")}
        env["DJANGO_SETTINGS_MODULE"] = "reference.settings.bench"
        database = bench.reference_database("same-db")
        if database:
            env["REFERENCE_DATABASE_URL"] = database
        (settings.BASE_DIR / "bench-results").mkdir(exist_ok=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                       cwd=REFERENCE_DIR, env=env, check=True)
        script = REFERENCE_SCRIPT.replace("REPEAT", str(repeat))
        return subprocess.run([sys.executable, "-c", script], cwd=REFERENCE_DIR, env=env,
                              check=True, capture_output=True, text=True).stdout


def _cpu_ms(pid: int) -> float:
    """User and system CPU time of process `pid` so far, in milliseconds (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def server_cpu() -> dict[str, float]:
    """CPU milliseconds used so far by this connection's PostgreSQL backend and by the
    Redis server of the cache (when they run on this machine)."""
    found = {}
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            found["postgres"] = _cpu_ms(cursor.fetchone()[0])
    url = os.environ.get("REDIS_URL")
    if url:
        import redis

        found["redis"] = _cpu_ms(redis.Redis.from_url(url).info("server")["process_id"])
    return found


@contextmanager
def statements():
    """(ms, sql) of each statement the request sends through Django's cursors."""
    found = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            found.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timed):
        yield found


REFERENCE_SCRIPT = """
import cProfile, pstats, statistics, time
import django
django.setup()
from django.test import Client
client = Client(SERVER_NAME="127.0.0.1")
for _ in range(3):
    assert client.get("/").status_code == 200
times = []
for _ in range(REPEAT):
    started = time.perf_counter()
    client.get("/")
    times.append((time.perf_counter() - started) * 1000)
profiler = cProfile.Profile()
profiler.enable()
client.get("/")
profiler.disable()
print(f"{'stock Wagtail home (reference)':34} median {statistics.median(times):6.2f} ms  "
      f"fastest {min(times):6.2f} ms  calls {pstats.Stats(profiler).total_calls:,}")
"""
