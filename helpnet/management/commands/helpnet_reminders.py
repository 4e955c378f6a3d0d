from django.core.management.base import BaseCommand

from helpnet.services import appointment_reminders_send
from helpnet.tasks import send_appointment_reminders


class Command(BaseCommand):
    help = "Remind people of tomorrow's counselling appointments (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true",
                            help="Send now instead of queueing the task for the worker.")

    def handle(self, *args, now=False, **options):
        if now:
            self.stdout.write(f"{appointment_reminders_send()} reminder(s) sent.")
        else:
            send_appointment_reminders.enqueue()
            self.stdout.write("Reminder task queued.")
