"""Background work of the help network (django-tasks).

`send_appointment_reminders` reminds each person of tomorrow's counselling appointments,
once per appointment (Appointment.reminder_sent_at), so running it twice a day is harmless.
Schedule it daily, e.g. from cron: `manage.py helpnet_reminders` (which enqueues it, or
runs it at once with --now)."""

from django_tasks import task


@task()
def send_appointment_reminders() -> int:
    from .services import appointment_reminders_send

    return appointment_reminders_send()
