"""The Wagtail admin in the portal's words (docs/style-zh.md): no links to Wagtail's
English-only guides, which the closed network cannot reach anyway."""

from wagtail import hooks

# Wagtail's help menu items that lead to guide.wagtail.org (English, outside the network).
ENGLISH_GUIDES = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def hide_english_guides(request, menu_items):
    menu_items[:] = [item for item in menu_items
                     if not (item.name or "").startswith(ENGLISH_GUIDES)]
