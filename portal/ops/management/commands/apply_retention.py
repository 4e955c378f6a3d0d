from django.core.management.base import BaseCommand

from portal.ops.retention import retention_apply


class Command(BaseCommand):
    help = ("Anonymise released persons whose retention period (set per unit, "
            "XY_RETENTION_YEARS otherwise) is over, and log each action. Run daily.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Only list who would be anonymised; change nothing.")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the task for the worker instead of running it here.")

    def handle(self, *args, dry_run, enqueue, **options):
        if enqueue and not dry_run:
            from portal.ops.tasks import apply_retention_task

            result = apply_retention_task.enqueue()
            self.stdout.write(f"Queued retention task {result.id}.")
            return
        planned = retention_apply(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for plan in planned:
            removed = "; ".join(f"{n} {label}" for label, n in plan.removals.items())
            self.stdout.write(f"{verb} person #{plan.supervisee.pk} ({plan.rule})"
                              + (f"; removes {removed}" if removed else ""))
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(planned)} person(s)."))
