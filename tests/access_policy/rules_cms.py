"""Access policy for the public site: Wagtail's page serving, search, documents and the
language switch. The public site is the same for every role: a live public page is open
to all, a missing (or draft) page is 404 for all.

wagtail_serve and wagtaildocs_serve take positional arguments, which reverse() cannot be
given from a kwargs dict, so they are checked through literal paths (a Rule whose name is
a path). Drafts and private pages need pages the World does not have; tests/cms covers
them (a draft is 404 for everybody, signed in or not)."""

from tests.access_policy.spec import (
    NOT_FOUND,
    PUBLIC,
    REDIRECT,
    REDIRECT_LOGIN,
    Rule,
    expect,
)

NOWHERE = expect(NOT_FOUND)
ALWAYS_REDIRECT = expect(REDIRECT)

RULES = [
    # --- page serving (the catch-all) ---------------------------------------------------
    Rule("wagtail_serve", PUBLIC,
         skip_reason="positional path argument; requested through the literal paths below"),
    Rule("/", PUBLIC, label="home page"),
    Rule("/no-such-page/", NOWHERE, label="a page that does not exist"),
    Rule("/no-such-page/deeper/", NOWHERE, label="a nested page that does not exist"),
    # Wagtail's password form for private pages: unknown restriction or page.
    Rule("wagtailcore_authenticate_with_password", NOWHERE, label="unknown restriction",
         args=lambda w: {"page_view_restriction_id": 987654321, "page_id": 987654321}),
    Rule("wagtailcore_authenticate_with_password", NOWHERE, label="unknown restriction",
         method="POST", data={"password": "guess"},
         args=lambda w: {"page_view_restriction_id": 987654321, "page_id": 987654321}),
    # Wagtail's own login view is shadowed by a redirect to the portal's login
    # (portal/urls.py): no second way in without rate limits and two-factor.
    Rule("wagtailcore_login", expect(REDIRECT_LOGIN)),
    Rule("wagtailcore_login", expect(REDIRECT_LOGIN), method="POST",
         data={"username": "admin", "password": "guess"}),
    Rule("wagtailcore_login_redirect", expect(REDIRECT_LOGIN)),

    # --- search -----------------------------------------------------------------------
    Rule("search", PUBLIC),
    Rule("search", PUBLIC, label="Chinese query", query="q=%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1"),
    Rule("search", PUBLIC, label="very long query", query="q=" + "a" * 2000),
    Rule("search", PUBLIC, label="operators and punctuation",
         query="q=%22%29%28*+OR+NEAR%2F%3A-%5E"),
    Rule("search", PUBLIC, label="malformed page number", query="q=x&page=abc"),

    # --- documents ----------------------------------------------------------------------
    Rule("wagtaildocs_serve", NOWHERE,
         skip_reason="positional arguments; requested through the literal path below"),
    Rule("/documents/987654321/missing.pdf", NOWHERE, label="unknown document"),
    Rule("wagtaildocs_authenticate_with_password", NOWHERE, label="unknown restriction",
         args=lambda w: {"restriction_id": 987654321}),
    Rule("wagtaildocs_authenticate_with_password", NOWHERE, label="unknown restriction",
         method="POST", data={"password": "guess"},
         args=lambda w: {"restriction_id": 987654321}),

    # --- language switch (django.conf.urls.i18n) ---------------------------------------
    Rule("set_language", ALWAYS_REDIRECT, method="POST", data={"language": "en", "next": "/"}),
    Rule("set_language", ALWAYS_REDIRECT, label="unknown language", method="POST",
         data={"language": "xx", "next": "/"}),
    Rule("set_language", ALWAYS_REDIRECT, label="off-site next", method="POST",
         data={"language": "en", "next": "https://example.com/"}),
    Rule("set_language", ALWAYS_REDIRECT, label="GET changes nothing"),
]
