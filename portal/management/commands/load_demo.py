import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.demo import data
from portal.demo.loader import load_demo


class Command(BaseCommand):
    # Command help is for operators and stays in English, like Django's own commands.
    help = (
        "Build the demo county (units, staff, partners, sixty supervisees, public pages). "
        "Safe to run again: existing rows are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Run even though DEBUG is off. The demo accounts share a published "
                 "password: never use this on a production database.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_(
                "DEBUG is off, so this looks like a production database. The demo accounts "
                "have a published password; refusing to load them. Use --force if this "
                "really is a demo or test database."
            ))
        started = time.monotonic()
        ctx = load_demo()
        created = {name: n for name, n in sorted(ctx.created.items()) if n}
        if created:
            summary = ", ".join(f"{name}: {n}" for name, n in created.items())
            self.stdout.write(self.style.SUCCESS(
                _("Demo county loaded in %(seconds).1f s. Created %(summary)s.")
                % {"seconds": time.monotonic() - started, "summary": summary}))
            self.stdout.write(_("Demo accounts sign in with the password %(password)s.")
                              % {"password": data.PASSWORD})
        else:
            self.stdout.write(_("The demo county is already loaded; nothing to do."))
