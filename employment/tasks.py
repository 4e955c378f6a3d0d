"""Background work of employment help (django-tasks).

`send_followup_reminders` tells caseworkers about the 30- and 90-day follow-ups of
placements that have fallen due, once per follow-up (FollowUp.reminded_at), so running it
more than once a day is harmless. Schedule it daily, e.g. from cron:
`manage.py send_followup_reminders` (which enqueues it, or runs it at once with --now)."""

from django_tasks import task


@task()
def send_followup_reminders() -> int:
    from .services import followup_reminders_send

    return followup_reminders_send()
