from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import ClassSession, CoursePage, Enrolment, LessonPage, LessonProgress
from .viewsets import CourseCategoryViewSet

register_snippet(CourseCategoryViewSet)


@hooks.register("before_delete_page")
def keep_courses_with_learners(request, page):
    """A course or lesson that people have learnt from holds their records (enrolments,
    progress, attendance, credited hours), which are never deleted silently. Refuse
    with a message instead of a database error; unpublishing is the way to retire it."""
    specific = page.specific_class
    blocked = False
    if specific is CoursePage or page.get_descendants(inclusive=True).type(CoursePage).exists():
        courses = page.get_descendants(inclusive=True).type(CoursePage).values("pk")
        blocked = (Enrolment.objects.filter(course__in=courses).exists()
                   or ClassSession.objects.filter(course__in=courses).exists())
    if not blocked and (specific is LessonPage or specific is CoursePage
                        or page.get_descendants().type(LessonPage).exists()):
        lessons = page.get_descendants(inclusive=True).type(LessonPage).values("pk")
        blocked = LessonProgress.objects.filter(lesson__in=lessons).exists()
    if blocked:
        messages.error(request, _("People have taken this course: their records depend on "
                                  "it. Unpublish it instead of deleting it."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
