from django.core.management import call_command
from django.utils import timezone

from courses.models import ClassSession, CoursePage, Enrolment, LessonPage, StudyHoursEntry


def test_courses_demo_is_idempotent_and_covers_the_menu(world):
    # the World has the demo accounts the command looks for ("supervisee", "caseworker")
    call_command("courses_demo", verbosity=0)
    counts = (CoursePage.objects.count(), LessonPage.objects.count(),
              ClassSession.objects.count(), Enrolment.objects.count(),
              StudyHoursEntry.objects.count())
    call_command("courses_demo", verbosity=0)
    assert (CoursePage.objects.count(), LessonPage.objects.count(),
            ClassSession.objects.count(), Enrolment.objects.count(),
            StudyHoursEntry.objects.count()) == counts
    assert CoursePage.objects.count() == 12
    assert set(CoursePage.objects.values_list("category__slug", flat=True)) == {
        "legal", "culture", "mental-health", "skills", "cautionary"}
    upcoming = ClassSession.objects.filter(starts_at__gte=timezone.now())
    hours = {timezone.localtime(s.starts_at).hour for s in upcoming}
    assert 19 in hours and 9 in hours  # evening and weekend morning
    assert any(timezone.localtime(s.starts_at).weekday() == 5 for s in upcoming)
    assert upcoming.exclude(online_url="").exists()
    # the NGO's courses sit in its own folder, edited by its own editors
    assert CoursePage.objects.filter(provider_organisation=world.ngo).exists()
    # the demo supervisee has something to show
    assert Enrolment.objects.filter(supervisee=world.supervisee).count() >= 2
    assert StudyHoursEntry.objects.filter(supervisee=world.supervisee).exists()


def test_courses_demo_without_units_does_nothing(db):
    call_command("courses_demo", verbosity=0)
    assert not CoursePage.objects.exists()
