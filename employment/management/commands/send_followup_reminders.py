from django.core.management.base import BaseCommand

from employment.services import followup_reminders_send
from employment.tasks import send_followup_reminders


class Command(BaseCommand):
    help = "Remind caseworkers of employment follow-ups that have fallen due (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true",
                            help="Send now instead of queueing the task for the worker.")

    def handle(self, *args, now=False, **options):
        if now:
            self.stdout.write(f"{followup_reminders_send()} reminder(s) sent.")
        else:
            send_followup_reminders.enqueue()
            self.stdout.write("Reminder task queued.")
