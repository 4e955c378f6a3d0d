"""Training places: a person applies, the enterprise (or caseworker) accepts them, and the
caseworker records how the training ended — the training counterpart of a placement."""

import datetime

import pytest
from django.utils import timezone

from employment import services
from employment.models import TrainingEnrolment
from portal.audit.models import AccessLogEntry
from portal.notifications.models import Notification

from .test_applications import refused


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def accepted(emp):
    place = emp.training(starts_on=_days(-10), ends_on=_days(20))
    application = services.application_create(supervisee=emp.world.supervisee,
                                              training_place_id=place.pk)
    services.application_status_set(actor=emp.staff, application_id=application.pk,
                                    status="hired")
    return application


def test_accepting_for_training_enrols_the_person_and_tells_the_caseworker(emp, accepted):
    enrolment = accepted.training_enrolment
    assert enrolment.started_on == _days(-10)  # the course's first day
    assert enrolment.outcome == TrainingEnrolment.Outcome.IN_TRAINING
    accepted.refresh_from_db()
    assert accepted.status == "hired"
    assert Notification.objects.filter(recipient=emp.world.users["caseworker"],
                                       title__contains=accepted.training_place.programme
                                       ).exists()


def test_the_caseworker_records_the_outcome_once(emp, accepted):
    caseworker = emp.world.users["caseworker"]
    enrolment = services.training_outcome_record(
        actor=caseworker, enrolment_id=accepted.training_enrolment.pk, outcome="completed",
        note="结业")
    assert enrolment.outcome == "completed" and enrolment.finished_on == timezone.localdate()
    assert enrolment.recorded_by == caseworker
    assert AccessLogEntry.objects.filter(actor=caseworker, supervisee=emp.world.supervisee,
                                         action=AccessLogEntry.Action.EDIT).exists()
    refused("already_done", 409, services.training_outcome_record, actor=caseworker,
            enrolment_id=enrolment.pk, outcome="left")
    enrolment.refresh_from_db()
    assert enrolment.outcome == "completed"


@pytest.mark.parametrize("who,code,status", [("other_caseworker", "not_found", 404),
                                             ("enterprise", "not_found", 404),
                                             ("supervisee", "not_found", 404)])
def test_nobody_else_records_it(emp, accepted, who, code, status):
    refused(code, status, services.training_outcome_record, actor=emp.world.users[who],
            enrolment_id=accepted.training_enrolment.pk, outcome="completed")
    accepted.training_enrolment.refresh_from_db()
    assert accepted.training_enrolment.outcome == "in_training"


def test_bad_outcomes_and_dates_change_nothing(emp, accepted):
    caseworker = emp.world.users["caseworker"]
    pk = accepted.training_enrolment.pk
    refused("invalid", 422, services.training_outcome_record, actor=caseworker,
            enrolment_id=pk, outcome="in_training")
    refused("invalid", 422, services.training_outcome_record, actor=caseworker,
            enrolment_id=pk, outcome="completed", finished_on=_days(-30))
    refused("invalid", 422, services.training_outcome_record, actor=caseworker,
            enrolment_id=pk, outcome="completed", finished_on=_days(3))
    assert TrainingEnrolment.objects.get(pk=pk).outcome == "in_training"


def test_not_before_the_training_has_begun(emp):
    place = emp.training(starts_on=_days(5))
    application = services.application_create(supervisee=emp.world.supervisee,
                                              training_place_id=place.pk)
    services.application_status_set(actor=emp.staff, application_id=application.pk,
                                    status="hired")
    refused("not_started", 409, services.training_outcome_record,
            actor=emp.world.users["caseworker"],
            enrolment_id=application.training_enrolment.pk, outcome="left")


def test_the_staff_page_shows_it_and_records_the_outcome(emp, accepted, client):
    client.force_login(emp.world.users["caseworker"])
    url = f"/jobs/people/{emp.world.supervisee.pk}/"
    page = client.get(url).content.decode()
    assert accepted.training_place.programme in page
    assert f"/jobs/training-enrolments/{accepted.training_enrolment.pk}/outcome/" in page
    target = f"/jobs/training-enrolments/{accepted.training_enrolment.pk}/outcome/"
    assert client.post(target, {"outcome": "maybe"}).status_code == 302
    assert TrainingEnrolment.objects.get().outcome == "in_training"
    assert client.post(target, {"outcome": "left", "note": "外出务工"}).status_code == 302
    assert TrainingEnrolment.objects.get().outcome == "left"
    client.force_login(emp.world.users["other_caseworker"])
    assert client.post(target, {"outcome": "completed"}).status_code == 404
