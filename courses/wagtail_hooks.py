from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from .models import ClassSession, CoursePage, Enrolment, LessonPage, LessonProgress
from .viewsets import CourseCategoryViewSet

register_snippet(CourseCategoryViewSet)


def _has_learners(page) -> bool:
    """Does deleting `page` (with its subtree) take records people depend on with it?"""
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
    return blocked


def _refuse(request, parent_pk):
    messages.error(request, _("People have taken this course: their records depend on "
                              "it. Unpublish it instead of deleting it."))
    return redirect("wagtailadmin_explore", parent_pk)


@hooks.register("before_delete_page")
def keep_courses_with_learners(request, page):
    """A course or lesson that people have learnt from holds their records (enrolments,
    progress, attendance, credited hours), which are never deleted silently. Refuse
    with a message instead of a database error; unpublishing is the way to retire it."""
    if _has_learners(page):
        return _refuse(request, page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def keep_courses_with_learners_in_bulk(request, action_type, objects, action_class_instance):
    """The same guard for the explorer's bulk delete, which in Wagtail fires
    before_bulk_action (action_type "delete") and not before_delete_page: if any page chosen
    holds learners' records, nothing at all is deleted."""
    if action_type != "delete":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    for page in pages:
        if _has_learners(page):
            return _refuse(request, page.get_parent().pk)
    return None
