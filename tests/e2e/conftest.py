"""Browser tests: Debian's Chromium driven by Playwright for Python, against
pytest-django's live_server.

Playwright's own browser downloads are never used: Chromium is the system one
(/usr/bin/chromium, or XY_CHROMIUM). axe-core comes from npm (package.json;
`make test` runs `npm ci` when node_modules is missing). Without either, the tests skip
with the reason; in CI that skip is a failure (tests/plugins/ci_no_skip.py).

Test modules here set `pytestmark = [pytest.mark.e2e, pytest.mark.django_db(
transaction=True, serialized_rollback=True)]`: live_server needs committed data, and the
serialized rollback restores what the migrations created (the Wagtail page tree, the
groups), which the flush after each transactional test empties.
"""

import json
import os
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("XY_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "e2e"
# What this machine's Chromium needs: no sandbox as root, no GPU, and no background
# connections (the network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"Playwright for Python is not installed: {exc}")
    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls
    # from a thread with a running loop unless told. Only the test code and its fixtures
    # run here (the live server has its own thread), and only while the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Starting Playwright switches this thread's context variables, and Django keeps its
    # database connections in one (asgiref.local): without this, the tests after it get
    # new connection objects that lack the serialized database the rollback restores.
    before = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in before.items():
        connections[alias] = connection
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) on a phone-sized screen, as most supervisees
    use the portal. Its default timeout is short so a broken page fails fast."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    # Nothing the page sends on leaving (a lesson's last study-time report, a code
    # refresh) may reach the live server during the next test: with SQLite in memory the
    # server thread shares the test's connection.
    context.route("**/*", lambda route: route.abort())
    page.goto("about:blank")
    page.wait_for_timeout(200)
    context.close()


@pytest.fixture
def screenshot(page, request):
    """screenshot(name): keep a picture of the page in test-results/e2e/ for a person."""

    def _shot(name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def blocking_violations(page) -> list[dict]:
    """Run axe-core on the page; the violations of serious or critical impact."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy
        # (portal.ops.security) refuses an injected inline <script>, rightly.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}: "
                         f"{node.get('failureSummary', '').replace(chr(10), ' ')}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture
def axe(page):
    """axe(): assert the current page has no serious or critical accessibility
    violations, printing each one (rule, element, fix) when it has."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE} (run `npm ci` in the project root)")

    def _check(where=""):
        violations = blocking_violations(page)
        if violations:
            report = describe(violations)
            print(f"axe-core on {where or page.url}:\n{report}")
            pytest.fail(f"axe-core found {len(violations)} serious or critical "
                        f"violation(s) on {where or page.url}:\n{report}", pytrace=False)

    return _check
