from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CourseCategory


class CourseCategoryViewSet(SnippetViewSet):
    """Editors keep the list of categories (legal education, traditional culture…)."""

    model = CourseCategory
    icon = "tag"
    menu_label = _("Course categories")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "description"]
    ordering = ["sort_order", "name"]
