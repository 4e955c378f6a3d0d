"""Follow-up reminders: when a placement's 30- or 90-day follow-up falls due, the person's
caseworker is told once (send_followup_reminders), and the job board lists what is due."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from employment import services
from employment.models import FollowUp
from portal.notifications.models import Notification


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _hire(emp, person, *, started):
    job = emp.job()
    application = services.application_create(supervisee=person, job_id=job.pk)
    services.application_status_set(actor=emp.staff, application_id=application.pk,
                                    status="hired", started_on=started)
    return application.placement


def _reminders(user):
    return Notification.objects.filter(recipient=user, kind="employment_follow_up")


def test_a_due_follow_up_reminds_the_caseworker_once(emp):
    caseworker = emp.world.users["caseworker"]
    placement = _hire(emp, emp.world.supervisee, started=_days(-31))
    assert services.followup_reminders_send() == 1
    [note] = _reminders(caseworker)
    assert emp.world.supervisee.legal_name in note.title and "30" in note.title
    assert note.url == f"/jobs/people/{emp.world.supervisee.pk}/"
    # Running it again (the same day or later) sends nothing new.
    assert services.followup_reminders_send() == 0
    assert services.followup_reminders_send(today=_days(1)) == 0
    assert _reminders(caseworker).count() == 1
    # The 90-day one comes when it is due.
    assert services.followup_reminders_send(today=placement.started_on
                                            + datetime.timedelta(days=90)) == 1
    assert _reminders(caseworker).count() == 2


def test_nothing_before_it_is_due_nor_once_recorded_or_ended(emp):
    caseworker = emp.world.users["caseworker"]
    _hire(emp, emp.world.supervisee, started=_days(-29))
    assert services.followup_reminders_send() == 0
    done = _hire(emp, emp.person(), started=_days(-35))
    services.follow_up_complete(actor=caseworker, follow_up_id=done.follow_ups.get(day=30).pk,
                                still_employed=False)
    # Recorded (and the placement ended): neither the 30- nor the 90-day one is sent.
    assert services.followup_reminders_send(today=_days(60)) == 1  # only the first person's
    assert not _reminders(caseworker).filter(title__contains=done.supervisee.legal_name)


def test_a_person_without_a_caseworker_is_reminded_about_once_one_is_assigned(emp):
    person = emp.person(caseworker=None)
    _hire(emp, person, started=_days(-40))
    assert services.followup_reminders_send() == 0
    assert FollowUp.objects.filter(reminded_at__isnull=False).count() == 0
    person.caseworker = emp.world.users["caseworker"]
    person.save()
    assert services.followup_reminders_send() == 1


@pytest.mark.parametrize("args", [["--now"], []])
def test_the_command_sends_or_queues_the_task(emp, args, capsys):
    _hire(emp, emp.world.supervisee, started=_days(-31))
    call_command("send_followup_reminders", *args)
    # The test settings run tasks at once, so either way the caseworker is told once.
    assert _reminders(emp.world.users["caseworker"]).count() == 1
    call_command("send_followup_reminders", "--now")
    assert _reminders(emp.world.users["caseworker"]).count() == 1


def test_the_board_lists_due_follow_ups_of_people_the_user_may_see(emp, client):
    _hire(emp, emp.world.supervisee, started=_days(-31))
    _hire(emp, emp.person(), started=_days(-5))  # not due
    client.force_login(emp.world.users["caseworker"])
    page = client.get("/jobs/board/").content.decode()
    assert emp.world.supervisee.legal_name in page
    assert "30" in page
    client.force_login(emp.world.users["other_caseworker"])  # squad 2: cannot see the person
    assert emp.world.supervisee.legal_name not in client.get("/jobs/board/").content.decode()
