"""Applying, recommending, withdrawing, moving an application on, hiring, following up:
through the services, with the refusals that change nothing."""

import datetime

import pytest
from django.utils import timezone

from employment import selectors, services
from employment.models import (
    Application,
    ApplicationStatusChange,
    FollowUp,
    Job,
    Placement,
)
from employment.services import ServiceError
from portal.access import partner_visible_people
from portal.notifications.models import Notification
from tests import factories as f


def refused(code, http, fn, /, **kwargs):
    with pytest.raises(ServiceError) as caught:
        fn(**kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.status == http
    assert caught.value.message
    return caught.value


def snapshot():
    return (Application.objects.count(), ApplicationStatusChange.objects.count(),
            list(Application.objects.values_list("status", flat=True).order_by("pk")))


# --- the person applies ------------------------------------------------------------------


def test_applying_shares_with_the_enterprise_records_history_and_tells_its_staff(emp):
    person = emp.world.supervisee
    job = emp.job()
    application = services.application_create(supervisee=person, job_id=job.pk,
                                              message="我有驾照")
    assert application.status == "applied"
    assert application.shared_with == emp.enterprise
    [change] = application.history.all()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "", "applied", person.user)
    note = Notification.objects.get(recipient=emp.staff)
    assert job.title in note.title
    assert person.legal_name not in note.title + note.body  # a display name only
    # the enterprise now knows of the person (by display name), another one does not
    assert person in partner_visible_people(emp.staff)
    assert person not in partner_visible_people(emp.other_staff)


def test_applying_twice_is_refused_and_changes_nothing(emp):
    job = emp.job()
    services.application_create(supervisee=emp.world.supervisee, job_id=job.pk)
    before = snapshot()
    refused("already_applied", 409, services.application_create,
            supervisee=emp.world.supervisee, job_id=job.pk)
    assert snapshot() == before


def test_applying_to_a_closed_job_is_refused(emp):
    job = emp.job(status=Job.Status.CLOSED)
    refused("closed", 409, services.application_create, supervisee=emp.world.supervisee,
            job_id=job.pk)
    assert not Application.objects.exists()


@pytest.mark.parametrize("why", ["ban", "order", "outside", "juvenile"])
def test_applying_to_an_excluded_job_is_not_found_and_changes_nothing(emp, why):
    person = emp.world.supervisee
    if why == "ban":
        emp.ban(person, emp.logistics)
        job = emp.job()
    elif why == "order":
        emp.prohibit(person, emp.bar)
        job = emp.job(venue_type=emp.bar)
    elif why == "outside":
        job = emp.job(district=emp.away)
    else:
        person = emp.world.juvenile
        job = emp.job(juveniles_allowed=False)
    refused("not_found", 404, services.application_create, supervisee=person, job_id=job.pk)
    assert not Application.objects.exists()
    assert not Notification.objects.exists()


def test_an_excluded_and_closed_job_answers_not_found_not_closed(emp):
    # "closed" would tell the person the job exists although it is not theirs to see.
    job = emp.job(district=emp.away, status=Job.Status.CLOSED)
    refused("not_found", 404, services.application_create, supervisee=emp.world.supervisee,
            job_id=job.pk)


def test_a_travel_approval_makes_a_job_there_possible(emp):
    job = emp.job(district=emp.away)
    emp.travel(emp.world.supervisee, emp.away)
    application = services.application_create(supervisee=emp.world.supervisee, job_id=job.pk)
    assert application.status == "applied"


def test_a_short_or_elsewhere_travel_approval_does_not(emp):
    job = emp.job(district=emp.away)
    person = emp.world.supervisee
    emp.travel(person, emp.away, days=7)  # a week's visit: not the rest of the term
    emp.travel(person, emp.town, days=None)  # (in the county anyway)
    other = f.DistrictFactory(code="far-town", name="远方镇", county="远方县")
    emp.travel(person, other)  # open-ended, but to another place
    refused("not_found", 404, services.application_create, supervisee=person, job_id=job.pk)
    assert not Application.objects.filter(job=job).exists()


def test_an_unknown_job_is_not_found(emp):
    refused("not_found", 404, services.application_create, supervisee=emp.world.supervisee,
            job_id=987654)


def test_withdrawing_then_applying_again_reopens_the_same_application(emp):
    job = emp.job()
    person = emp.world.supervisee
    application = services.application_create(supervisee=person, job_id=job.pk)
    services.application_withdraw(supervisee=person, application_id=application.pk)
    refused("not_withdrawable", 409, services.application_withdraw, supervisee=person,
            application_id=application.pk)
    again = services.application_create(supervisee=person, job_id=job.pk)
    assert again.pk == application.pk and again.status == "applied"
    assert [c.to_status for c in again.history.all()] == ["applied", "withdrawn", "applied"]


def test_nobody_withdraws_someone_elses_application(emp):
    application = services.application_create(supervisee=emp.world.supervisee,
                                              job_id=emp.job().pk)
    refused("not_found", 404, services.application_withdraw,
            supervisee=emp.world.other_supervisee, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == "applied"


def test_training_places_take_applications_too(emp):
    place = emp.training(skills=[emp.driving])
    application = services.application_create(supervisee=emp.world.supervisee,
                                              training_place_id=place.pk)
    assert application.training_place == place and application.job is None


# --- the caseworker recommends; the person agrees -----------------------------------------


def test_a_recommendation_stays_hidden_from_the_enterprise_until_the_person_agrees(emp):
    person = emp.world.supervisee
    caseworker = emp.world.users["caseworker"]
    job = emp.job()
    application = services.application_recommend(actor=caseworker, supervisee=person,
                                                 job_id=job.pk, note="离家近")
    assert application.status == "recommended" and application.shared_with is None
    assert not selectors.applications_visible_to(emp.staff).exists()
    assert person not in partner_visible_people(emp.staff)
    assert Notification.objects.filter(recipient=person.user).exists()
    assert not Notification.objects.filter(recipient=emp.staff).exists()

    services.recommendation_answer(supervisee=person, application_id=application.pk, agree=True)
    application.refresh_from_db()
    assert application.status == "applied" and application.shared_with == emp.enterprise
    assert list(selectors.applications_visible_to(emp.staff)) == [application]
    assert [c.to_status for c in application.history.all()] == ["recommended", "applied"]
    assert application.history.first().changed_by == caseworker


def test_a_refused_recommendation_never_reaches_the_enterprise(emp):
    person = emp.world.supervisee
    application = services.application_recommend(
        actor=emp.world.users["caseworker"], supervisee=person, job_id=emp.job().pk)
    services.recommendation_answer(supervisee=person, application_id=application.pk, agree=False)
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.shared_with is None
    assert not selectors.applications_visible_to(emp.staff).exists()
    refused("not_recommended", 409, services.recommendation_answer, supervisee=person,
            application_id=application.pk, agree=True)


def test_recommending_an_excluded_job_names_why_to_the_caseworker(emp):
    person = emp.world.supervisee
    emp.ban(person, emp.logistics)
    error = refused("excluded", 422, services.application_recommend,
                    actor=emp.world.users["caseworker"], supervisee=person, job_id=emp.job().pk)
    assert "物流" in error.message
    assert not Application.objects.exists()


def test_only_staff_who_see_the_person_may_recommend(emp):
    refused("not_found", 404, services.application_recommend,
            actor=emp.world.users["other_caseworker"], supervisee=emp.world.supervisee,
            job_id=emp.job().pk)
    assert not Application.objects.exists()


# --- progress, hiring, placement and follow-up ---------------------------------------------


def _applied(emp, **job_fields):
    job = emp.job(**job_fields)
    return services.application_create(supervisee=emp.world.supervisee, job_id=job.pk)


def test_the_enterprise_moves_an_application_on_and_each_change_is_recorded(emp):
    application = _applied(emp)
    services.application_status_set(actor=emp.staff, application_id=application.pk,
                                    status="interview", note="周三上午面试")
    services.application_status_set(actor=emp.staff, application_id=application.pk,
                                    status="offered")
    history = list(application.history.values_list("from_status", "to_status", "changed_by"))
    assert history[1:] == [("applied", "interview", emp.staff.pk),
                           ("interview", "offered", emp.staff.pk)]
    assert Notification.objects.filter(recipient=emp.world.supervisee.user,
                                       body="周三上午面试").exists()


def test_hiring_needs_a_start_date_and_records_a_placement_with_follow_ups(emp):
    application = _applied(emp)
    refused("start_date_missing", 422, services.application_status_set, actor=emp.staff,
            application_id=application.pk, status="hired")
    assert not Placement.objects.exists()
    application.refresh_from_db()
    assert application.status == "applied"
    start = timezone.localdate() - datetime.timedelta(days=40)
    services.application_status_set(actor=emp.staff, application_id=application.pk,
                                    status="hired", started_on=start)
    placement = Placement.objects.get()
    assert placement.started_on == start and placement.organisation == emp.enterprise
    assert sorted(placement.follow_ups.values_list("day", "due_on")) == [
        (30, start + datetime.timedelta(days=30)), (90, start + datetime.timedelta(days=90))]


def test_filling_the_last_place_closes_the_job_and_no_one_is_hired_beyond_it(emp):
    job = emp.job(places=1)
    first = services.application_create(supervisee=emp.world.supervisee, job_id=job.pk)
    second = services.application_create(supervisee=emp.world.other_supervisee, job_id=job.pk)
    today = timezone.localdate()
    services.application_status_set(actor=emp.staff, application_id=first.pk, status="hired",
                                    started_on=today)
    job.refresh_from_db()
    assert job.status == "closed"
    refused("no_places", 409, services.application_status_set, actor=emp.staff,
            application_id=second.pk, status="hired", started_on=today)
    assert Placement.objects.count() == 1


def test_impossible_transitions_and_strangers_are_refused(emp):
    application = _applied(emp)
    refused("invalid", 422, services.application_status_set, actor=emp.staff,
            application_id=application.pk, status="teleported")
    refused("invalid_transition", 409, services.application_status_set, actor=emp.staff,
            application_id=application.pk, status="withdrawn")
    refused("not_found", 404, services.application_status_set, actor=emp.other_staff,
            application_id=application.pk, status="interview")
    refused("not_found", 404, services.application_status_set,
            actor=emp.world.users["other_caseworker"], application_id=application.pk,
            status="interview")
    services.application_status_set(actor=emp.staff, application_id=application.pk,
                                    status="declined")
    refused("invalid_transition", 409, services.application_status_set, actor=emp.staff,
            application_id=application.pk, status="hired",
            started_on=timezone.localdate())
    refused("declined", 409, services.application_create, supervisee=emp.world.supervisee,
            job_id=application.job_id)
    assert application.history.count() == 2


def test_the_caseworker_completes_follow_ups_once_due(emp):
    application = _applied(emp)
    start = timezone.localdate() - datetime.timedelta(days=35)
    services.application_status_set(actor=emp.world.users["caseworker"],
                                    application_id=application.pk, status="hired",
                                    started_on=start)
    day30 = FollowUp.objects.get(day=30)
    day90 = FollowUp.objects.get(day=90)
    refused("not_due", 409, services.follow_up_complete, actor=emp.world.users["caseworker"],
            follow_up_id=day90.pk, still_employed=True)
    refused("not_found", 404, services.follow_up_complete, actor=emp.staff,
            follow_up_id=day30.pk, still_employed=True)
    refused("not_found", 404, services.follow_up_complete,
            actor=emp.world.users["other_caseworker"], follow_up_id=day30.pk,
            still_employed=True)
    services.follow_up_complete(actor=emp.world.users["caseworker"], follow_up_id=day30.pk,
                                still_employed=False, note="已离职")
    day30.refresh_from_db()
    assert day30.still_employed is False and day30.completed_by == emp.world.users["caseworker"]
    assert Placement.objects.get().ended_on == timezone.localdate()
    refused("already_done", 409, services.follow_up_complete,
            actor=emp.world.users["caseworker"], follow_up_id=day30.pk, still_employed=True)


def test_unit_figures_count_placements_and_90_day_outcomes_by_enterprise(emp):
    caseworker = emp.world.users["caseworker"]
    long_ago = timezone.localdate() - datetime.timedelta(days=100)
    for person, kept in ((emp.world.supervisee, True), (emp.person(), False)):
        application = services.application_create(supervisee=person, job_id=emp.job(
            title=f"岗位{person.pk}").pk)
        services.application_status_set(actor=emp.staff, application_id=application.pk,
                                        status="hired", started_on=long_ago)
        follow_up = FollowUp.objects.get(placement__application=application, day=90)
        services.follow_up_complete(actor=caseworker, follow_up_id=follow_up.pk,
                                    still_employed=kept)
    # someone in squad 2, placed too: not in squad 1's figures
    other = services.application_create(supervisee=emp.world.other_supervisee,
                                        job_id=emp.job(title="别人的").pk)
    services.application_status_set(actor=emp.staff, application_id=other.pk, status="hired",
                                    started_on=long_ago)

    figures = selectors.unit_figures(caseworker)
    assert figures["figures"]["people_placed"] == 2
    assert figures["figures"]["done90"] == 2 and figures["figures"]["kept90"] == 1
    [row] = figures["by_enterprise"]
    assert (row["organisation__name"], row["placed"], row["kept90"]) == (
        emp.enterprise.name, 2, 1)
    admin = selectors.unit_figures(emp.world.users["unit_admin"])
    assert admin["figures"]["people_placed"] == 3
