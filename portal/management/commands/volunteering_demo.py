import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.demo import data
from portal.organisations.models import Organisation, Unit
from portal.people.models import Supervisee
from portal.taxonomy.models import District, VenueType
from volunteering.demo import ServiceDemoContext, build


def context_from_database(today: datetime.date | None = None) -> ServiceDemoContext:
    """The demo county as load_demo left it (for `manage.py volunteering_demo`)."""
    organisations = {}
    for spec in data.ORGANISATIONS:
        organisation = Organisation.objects.filter(name=spec["name"]).first()
        if organisation is not None:
            organisations[spec["key"]] = organisation
    units = {key: Unit.objects.filter(name=row[0]).first() for key, row in data.UNITS.items()}
    needed = {"zhuguang", "qihang", "nuanyang"}
    if not needed <= set(organisations) or not all(units.values()):
        raise LookupError("the demo county is not loaded (run `manage.py load_demo`)")
    return ServiceDemoContext(
        today=today or timezone.localdate(),
        users={u.username: u for u in get_user_model().objects.all()},
        organisations=organisations,
        units=units,
        supervisees={s.user.username: s for s in Supervisee.objects.select_related("user")},
        districts={d.code: d for d in District.objects.all()},
        venue_types={v.code: v for v in VenueType.objects.all()},
    )


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
