"""Admin for the editable list of themes. Activities, sign-ups and the ledger are managed
in the portal's own pages, where portal.access scopes every object."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Activity themes")
    list_display = ["name", "code", "sort_order", "is_active"]
    ordering = ["sort_order", "name"]
    add_to_admin_menu = False
