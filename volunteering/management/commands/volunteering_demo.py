from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from volunteering.demo import build, context_from_database


class Command(BaseCommand):
    # Command help is for operators and stays in English, like Django's own commands.
    help = (
        "Add the service-and-volunteering demo (activities, sign-ups, hours, a certificate) "
        "to the demo county made by `manage.py load_demo` (which also runs this itself). "
        "Safe to run again: what exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run even though DEBUG is off (demo or test databases only).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off, so this looks like a production database; "
                               "use --force if it really is a demo or test database.")
        try:
            ctx = context_from_database()
        except LookupError as error:
            raise CommandError(str(error)) from None
        created = {k: v for k, v in sorted(build(ctx).items()) if v}
        if created:
            self.stdout.write(self.style.SUCCESS(
                "Volunteering demo loaded: " + ", ".join(f"{k}: {v}" for k, v in created.items())))
        else:
            self.stdout.write("The volunteering demo is already loaded; nothing to do.")
