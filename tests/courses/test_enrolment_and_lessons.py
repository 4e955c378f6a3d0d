"""Enrolling, assigning, lessons and quizzes, completion and the hours it credits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses import services
from courses.models import Enrolment, LessonProgress, QuizAttempt, StudyHoursEntry
from portal.errors import ServiceError
from portal.notifications.models import Notification
from tests.courses import factories as cf


def lessons(course):
    return list(course.get_children().specific().order_by("path"))


def test_enrol_once(world, course, person):
    services.enrolment_create(supervisee=person, course=course)
    with pytest.raises(ServiceError) as refused:
        services.enrolment_create(supervisee=person, course=course)
    assert refused.value.code == "already_enrolled"
    assert Enrolment.objects.filter(supervisee=person).count() == 1


def test_juveniles_and_adults_get_their_own_courses(world):
    for_juveniles = cf.course_create(unit=world.bureau, audience="juveniles")
    for_adults = cf.course_create(unit=world.bureau, audience="adults")
    with pytest.raises(ServiceError):
        services.enrolment_create(supervisee=world.supervisee, course=for_juveniles)
    with pytest.raises(ServiceError):
        services.enrolment_create(supervisee=world.juvenile, course=for_adults)
    services.enrolment_create(supervisee=world.juvenile, course=for_juveniles)
    assert Enrolment.objects.count() == 1


def test_an_unpublished_course_cannot_be_enrolled(world, person, login):
    draft = cf.course_create(unit=world.bureau, live=False)
    response = login(person.user).post(reverse("courses:enrol", args=[draft.pk]))
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_lesson_without_quiz_is_done_once_its_time_is_spent(world, course, person):
    services.enrolment_create(supervisee=person, course=course)
    first = lessons(course)[0]
    cf.studied(person, first)
    result = services.lesson_complete(supervisee=person, lesson=first)
    assert result.completed and not result.course_completed
    # twice is harmless
    services.lesson_complete(supervisee=person, lesson=first)
    assert LessonProgress.objects.count() == 1


def test_a_quiz_answer_for_a_course_not_enrolled_changes_nothing(world, course, person,
                                                                 login):
    quiz_lesson = lessons(course)[1]
    with pytest.raises(ServiceError) as refused:
        services.lesson_complete(supervisee=person, lesson=quiz_lesson, answers=cf.RIGHT)
    assert (refused.value.code, refused.value.status) == ("not_enrolled", 403)
    response = login(person.user).post(
        reverse("courses:lesson_complete", args=[quiz_lesson.pk]),
        {f"q-{cf.Q1}": "1", f"q-{cf.Q2}": ["0", "1"]}, follow=True)
    assert response.status_code == 200
    assert not QuizAttempt.objects.exists()
    assert not LessonProgress.objects.exists()
    assert not Enrolment.objects.exists()


def test_failing_the_quiz_records_the_try_but_not_the_lesson(world, course, person):
    services.enrolment_create(supervisee=person, course=course)
    quiz_lesson = lessons(course)[1]
    result = services.lesson_complete(supervisee=person, lesson=quiz_lesson,
                                      answers=cf.HALF)
    assert (result.score, result.passed, result.completed) == (50, False, False)
    assert result.feedback == {cf.Q1: True, cf.Q2: False}
    assert QuizAttempt.objects.count() == 1
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize("answers", [
    {},                                  # nothing answered
    {cf.Q1: [1]},                         # a question left out
    {cf.Q1: [7], cf.Q2: [0]},             # an answer that does not exist
    {cf.Q1: ["x"], cf.Q2: [0]},           # not a number
    None,
])
def test_malformed_answers_are_refused_without_a_record(world, course, person, answers):
    services.enrolment_create(supervisee=person, course=course)
    with pytest.raises(ServiceError) as refused:
        services.lesson_complete(supervisee=person, lesson=lessons(course)[1],
                                 answers=answers)
    assert (refused.value.code, refused.value.status) == ("invalid_answers", 422)
    assert not QuizAttempt.objects.exists()


def test_completing_every_lesson_completes_the_course_and_credits_hours_once(
        world, course, person):
    services.enrolment_create(supervisee=person, course=course)
    first, quiz_lesson = lessons(course)
    cf.studied(person, first)
    services.lesson_complete(supervisee=person, lesson=first)
    result = services.lesson_complete(supervisee=person, lesson=quiz_lesson,
                                      answers=cf.RIGHT)
    assert result.completed and result.score == 100 and result.course_completed
    enrolment = Enrolment.objects.get(supervisee=person, course=course)
    assert enrolment.status == "completed"
    credits = StudyHoursEntry.objects.filter(supervisee=person)
    assert [(e.kind, e.hours) for e in credits] == [("completion", Decimal("3.0"))]
    # answering again later does not credit again
    services.lesson_complete(supervisee=person, lesson=quiz_lesson, answers=cf.RIGHT)
    assert StudyHoursEntry.objects.filter(supervisee=person).count() == 1


def test_an_unpublished_lesson_does_not_block_completion(world, person):
    course = cf.course_create(unit=world.bureau, lessons=1)
    cf.lesson_create(course, title="草稿", live=False)
    services.enrolment_create(supervisee=person, course=course)
    cf.studied(person, lessons(course)[0])
    result = services.lesson_complete(supervisee=person, lesson=lessons(course)[0])
    assert result.course_completed


def test_lesson_page_form_and_quiz_feedback(world, course, person, login):
    client = login(person.user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    quiz_lesson = lessons(course)[1]
    page = client.get(quiz_lesson.url).content.decode()
    assert f'name="q-{cf.Q1}"' in page and 'type="checkbox"' in page  # Q2 has two answers
    assert "correct" not in page.lower().split("<main")[1]  # answers never reach the page
    client.post(reverse("courses:lesson_complete", args=[quiz_lesson.pk]),
                {f"q-{cf.Q1}": "1", f"q-{cf.Q2}": "0"})
    assert QuizAttempt.objects.get().score == 50
    client.post(reverse("courses:lesson_complete", args=[quiz_lesson.pk]),
                {f"q-{cf.Q1}": "1", f"q-{cf.Q2}": ["0", "1"]})
    assert LessonProgress.objects.filter(lesson=quiz_lesson).exists()


def test_caseworker_assigns_to_a_person_and_to_a_group(world, course, login):
    client = login(world.users["caseworker"])
    response = client.post(reverse("courses:assign"), {
        "course": course.pk, "target": "person", "person": world.supervisee.pk,
        "due_on": "2099-01-31"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(supervisee=world.supervisee)
    assert (enrolment.source, str(enrolment.due_on)) == ("assigned", "2099-01-31")
    assert enrolment.assigned_by == world.users["caseworker"]
    assert Notification.objects.filter(recipient=world.supervisee.user,
                                       kind="course_assigned").exists()
    # a group: everyone strict in the bureau the unit admin sees (王强 in squad 2)
    admin = login(world.users["unit_admin"])
    admin.post(reverse("courses:assign"), {"course": course.pk, "target": "group",
                                           "unit": world.bureau.pk, "level": "strict"})
    assert Enrolment.objects.filter(supervisee=world.other_supervisee,
                                    source="assigned").exists()
    assert not Enrolment.objects.filter(supervisee=world.juvenile).exists()


def test_a_caseworker_cannot_assign_to_someone_outside_their_caseload(world, course, login):
    client = login(world.users["other_caseworker"])
    response = client.post(reverse("courses:assign"), {
        "course": course.pk, "target": "person", "person": world.supervisee.pk})
    assert response.status_code == 200  # the form says the choice is not valid
    assert "person" in response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_group_assignment_skips_completed_and_unsuitable(world, person):
    course = cf.course_create(unit=world.bureau, audience="adults")
    Enrolment.objects.create(supervisee=person, course=course, status="completed")
    result = services.enrolment_assign(
        course=course, supervisees=[person, world.juvenile, world.other_supervisee],
        assigned_by=world.users["unit_admin"])
    assert result.already_done == [person]
    assert result.not_suitable == [world.juvenile]
    assert result.assigned == [world.other_supervisee]
    assert Enrolment.objects.get(supervisee=person).source == "self"
