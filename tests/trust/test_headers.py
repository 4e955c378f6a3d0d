"""Security headers and the Content-Security-Policy: public and portal pages allow no
inline script or style without the request's nonce; the Wagtail admin gets its relaxed
policy; staff sessions are shorter than others'."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "cms", "courses", "volunteering", "employment")


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_hardened(response):
    csp = directives(response)
    assert csp, "no Content-Security-Policy header"
    assert csp["default-src"] == ["'self'"]
    for kind in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[kind] and "'unsafe-eval'" not in csp[kind]
        assert "'self'" in csp[kind]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=(self)" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def assert_no_unsafe_inline_markup(response):
    """What the browser would refuse under the policy: inline scripts without this
    response's nonce, style attributes, on*= handlers."""
    html = response.content.decode()
    # django-csp names a nonce in the header only when the page used request.csp_nonce.
    nonces = [w[len("'nonce-"):-1] for w in directives(response)["script-src"]
              if w.startswith("'nonce-")]
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" in tag or 'type="application/json"' in tag:
            continue
        assert nonces and f'nonce="{nonces[0]}"' in tag, tag
    assert not re.search(r"<[a-z][^>]*\sstyle=", html), "style attribute in page"
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), "on*= handler in page"


@pytest.mark.django_db
def test_public_home_page_is_hardened(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_hardened(response)
    assert_no_unsafe_inline_markup(response)


@pytest.mark.parametrize("role, url_name", [
    ("supervisee", "dashboard"),
    ("supervisee", "me_record"),
    ("supervisee", "calendar:settings"),
    ("caseworker", "dashboard"),
    ("unit_admin", "dashboard"),
    ("ngo", "dashboard"),
])
def test_portal_pages_are_hardened(world, login, role, url_name):
    response = login(world.users[role]).get(reverse(url_name))
    assert response.status_code == 200
    assert_hardened(response)
    assert_no_unsafe_inline_markup(response)


def test_a_page_that_uses_the_nonce_gets_a_fresh_one_each_time(rf):
    from django.http import HttpResponse

    from portal.ops.security import PortalCSPMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = PortalCSPMiddleware(view)
    seen = set()
    for _ in range(2):
        request = rf.get("/")
        response = middleware(request)
        nonce = f"'nonce-{request.csp_nonce}'"
        assert nonce in directives(response)["script-src"]
        seen.add(nonce)
    assert len(seen) == 2


def test_the_policy_is_django_csps_own_and_follows_the_settings(rf, settings):
    """The header is what django-csp builds for the request, with or without a nonce; a
    decorator's policy applies; a change of the settings is seen."""
    from dataclasses import asdict

    from csp.decorators import csp_update
    from csp.utils import build_policy
    from django.http import HttpResponse

    from portal.ops.security import PortalCSPMiddleware

    def uses_nonce(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    def plain(request):
        return HttpResponse("<p>1</p>")

    for view in (uses_nonce, plain, uses_nonce):
        middleware = PortalCSPMiddleware(view)
        request = rf.get("/")
        response = middleware(request)
        nonce = getattr(request, "_csp_nonce", None)
        assert (nonce is None) is (view is plain)
        parts = middleware.get_policy_parts(request, response)
        assert response["Content-Security-Policy"] == build_policy(**asdict(parts))
        assert "Content-Security-Policy-Report-Only" not in response
    decorated = PortalCSPMiddleware(csp_update({"img-src": "https://example.org"})(plain))
    assert "https://example.org" in decorated(rf.get("/"))["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert PortalCSPMiddleware(plain)(rf.get("/"))["Content-Security-Policy"] == (
        "default-src 'none'")
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    report_only = PortalCSPMiddleware(plain)(rf.get("/"))["Content-Security-Policy-Report-Only"]
    assert "img-src 'self'" in report_only and report_only == build_policy(report_only=True)


def test_the_wagtail_admin_gets_the_relaxed_policy(world, login):
    response = login(world.users["editor"]).get("/admin/")
    assert response.status_code == 200
    csp = directives(response)
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    assert not any(w.startswith("'nonce-") for w in csp["script-src"])


def test_the_api_answers_carry_the_headers_too(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def _templates():
    for app in APPS:
        yield from (ROOT / app).glob("**/templates/**/*.html")


def test_no_template_has_inline_code_the_policy_would_refuse():
    """A guard for templates added later: inline <script> needs the nonce, style="" and
    on*= handlers belong in static files."""
    problems = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag \
                    and "request.csp_nonce" not in tag:
                problems.append(f"{rel}: {tag}")
        for m in re.finditer(r"<[a-zA-Z][^>]*?\s(style|on[a-z]+)\s*=", text):
            problems.append(f"{rel}: {m.group(0)[:80]}")
    assert not problems, "\n".join(problems)


def test_staff_sessions_are_shorter(world, login):
    staff = login(world.users["caseworker"])
    assert staff.session.get_expiry_age() == settings.XY_STAFF_SESSION_SECONDS
    for role in ("supervisee", "ngo"):
        other = login(world.users[role])
        assert other.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.XY_STAFF_SESSION_SECONDS < settings.SESSION_COOKIE_AGE


def test_a_staff_session_past_its_time_is_signed_out(world, login, settings):
    import time

    # Sessions are read from the cache and written through to the database; both copies
    # end when the session does.
    settings.XY_STAFF_SESSION_SECONDS = 3
    client = login(world.users["caseworker"])
    assert client.get(reverse("dashboard")).status_code == 200
    time.sleep(3.5)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_api_docs_load_swagger_from_this_site(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr.net" not in html and "/static/ninja/swagger-ui-bundle.js" in html
    assert "'unsafe-inline'" in directives(response)["script-src"]
