"""Demo courses, called by `manage.py load_demo` (see portal/demo/loader.py); the work is
done by the idempotent `courses_demo` command so it can also run on its own."""

from django.core.management import call_command


def load(ctx) -> None:
    call_command("courses_demo", verbosity=0)
