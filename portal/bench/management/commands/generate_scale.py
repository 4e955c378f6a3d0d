"""Fill a scratch database with a synthetic province (portal/bench/scale.py).

    createdb -h 127.0.0.1 -U postgres xy_bench_data   # make scale does this itself
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_bench_data
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_scale --counties 100 --seed 1

It refuses any database whose name lacks "bench" (it writes millions of rows).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from portal.bench.scale import TINY, Generator, Sizes


class Command(BaseCommand):
    help = "Generate realistic synthetic data: N counties of a province (deterministic per seed)."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--tiny", action="store_true",
                            help="A few rows per county (for tests and quick looks).")

    def handle(self, *args, counties, seed, tiny, **options):
        name = str(connection.settings_dict.get("NAME", ""))
        if "bench" not in name:
            raise CommandError(f"Refusing to fill database {name!r}: its name must contain "
                               "'bench'.")
        if counties < 1:
            raise CommandError("--counties must be at least 1.")
        # Wagtail's database search backend re-indexes on every page save; the generated
        # pages are written in bulk and nothing here searches them.
        search = {k: {**v, "AUTO_UPDATE": False}
                  for k, v in settings.WAGTAILSEARCH_BACKENDS.items()}
        with override_settings(WAGTAILSEARCH_BACKENDS=search):
            try:
                Generator(counties=counties, seed=seed, sizes=TINY if tiny else Sizes(),
                          out=self.stdout.write).run()
            except RuntimeError as error:
                raise CommandError(str(error)) from error
