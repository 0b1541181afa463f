"""Playwright fixtures for the browser journeys: Debian's chromium, a context per test, axe on every page.

Every page a journey reaches must pass axe (WCAG 2.0/2.1 A and AA, and WCAG 2.2 AA). The journeys navigate
only through `Browser.visit`, `Browser.click` and `Browser.submit`, which wait for the page to load and run
axe on it. As a safety net, the `page` fixture also records every main-frame navigation and fails the test if
any page was reached without being checked.
"""

from __future__ import annotations

import os
from urllib.parse import urldefrag

import pytest

# Playwright's sync API runs an asyncio loop in this thread, so Django would refuse ORM calls from the tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Locator, Page, sync_playwright  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Each journey runs in one pass of `make test`: what they check (pages, clicks, axe, widths) is the same
    whichever database holds the data, every view is also tested on PostgreSQL by tests/web, and running chromium
    twice would take the two passes past CI's time. Most run in the SQLite pass; those marked `postgres_pass`
    run in the PostgreSQL pass instead, so that the two passes (run side by side) take about as long."""
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    skip_here = pytest.mark.skip(
        reason="browser journeys run in the SQLite pass; tests/web covers PostgreSQL"
    )
    skip_there = pytest.mark.skip(reason="this sweep runs in the PostgreSQL pass, to balance the two passes")
    for item in items:
        if not item.get_closest_marker("browser"):
            continue
        in_postgres_pass = item.get_closest_marker("postgres_pass") is not None
        if postgres and not in_postgres_pass:
            item.add_marker(skip_here)
        elif not postgres and in_postgres_pass:
            item.add_marker(skip_there)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000

_axe = Axe()


def format_violations(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'unknown impact'}): {v.get('help', '')}")
        lines.append(f"  {v.get('helpUrl', '')}")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    target: {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def check_accessibility(page: Page) -> None:
    """Run axe on the page as it is now; fail with a readable list of violations."""
    results = _axe.run(page, options={"runOnly": AXE_TAGS})
    violations = results.response["violations"]
    pending = getattr(page, "_saferplan_unchecked", None)  # pages loaded since the last check
    if pending is not None:
        missed = pending[:-1]
        pending.clear()
        assert not missed, f"Pages reached without an axe check: {missed}"
    assert not violations, format_violations(violations, page.url)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(live_server, browser) -> Page:
    """A page in a new browser context for this test, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    unchecked: list[str] = []
    last = {"url": "about:blank"}

    def on_navigated(frame):
        if frame != page.main_frame:
            return
        # A change of fragment only is not a new page.
        if urldefrag(frame.url).url != urldefrag(last["url"]).url or frame.url == last["url"]:
            unchecked.append(frame.url)
        last["url"] = frame.url

    page._saferplan_unchecked = unchecked
    page.on("framenavigated", on_navigated)
    yield page
    context.close()
    assert not unchecked, f"Pages reached without an axe check: {unchecked}"


class Browser:
    """Navigation for the journeys: every page reached is checked with axe."""

    def __init__(self, page: Page):
        self.page = page

    def visit(self, url: str, status: int = 200):
        response = self.page.goto(url)
        assert response is not None
        assert response.status == status, f"{url}: expected {status}, got {response.status}"
        check_accessibility(self.page)
        return response

    def click(self, target: Locator | str, status: int = 200):
        """Click a link or button that loads a new page, wait for it, and check it."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_navigation() as navigation:
            locator.click()
        response = navigation.value
        assert response is not None
        assert response.status == status, f"{self.page.url}: expected {status}, got {response.status}"
        check_accessibility(self.page)
        return response

    submit = click

    def sign_in(self, username: str, password: str = "a-long-test-password"):
        self.visit("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        return self.submit(self.page.get_by_role("button", name="Sign in"))


@pytest.fixture
def axe_check():
    """`axe_check(page)`: run axe on the page as it is now (for states reached without a navigation)."""
    return check_accessibility


@pytest.fixture
def browse(page) -> Browser:
    return Browser(page)
