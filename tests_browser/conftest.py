"""Browser tests: Playwright drives Debian's Chromium (never a browser Playwright downloads itself).

Skipped with a reason when Chromium or Playwright is missing on a laptop; under REQUIRE_SERVICES=1 (CI)
that skip is a failure instead.
"""

import os
import shutil

import pytest

from gvi_portal.testing import need

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The flags keep Chromium off the network it cannot reach on a closed machine (and quiet about it).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are still plain
# synchronous code, which Django would otherwise refuse inside a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests_browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    need(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev installs it
        need(False, "playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A page in a fresh context. Every test fails if the browser blocked anything under the portal's
    Content-Security-Policy: the pages must work under it, not merely carry it."""
    context = chromium.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert blocked == [], "the Content-Security-Policy blocked something:\n" + "\n".join(blocked)


class AxeAudit:
    """Runs axe-core (shipped inside axe-playwright-python) on each page visited and keeps what it finds."""

    BLOCKING = {"serious", "critical"}

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.findings: list[str] = []

    def check(self, page) -> None:
        # axe-core is injected once per document (not per check, as Axe.run does): the walk over every page checks
        # each document at two widths, and parsing the half-megabyte script costs as much as a run.
        # A click that submits a form may still be navigating: audit the new document once it has loaded, never
        # the old one while it is being replaced (axe then finds no document and throws).
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe.axe_script)
        response = page.evaluate("axe.run({resultTypes: ['violations']})")
        for violation in response["violations"]:
            if violation.get("impact") in self.BLOCKING:
                nodes = ", ".join(node["target"][0] for node in violation["nodes"][:3])
                self.findings.append(f"{page.url}: {violation['id']} ({violation['impact']}): {nodes}")


@pytest.fixture
def axe():
    return AxeAudit()
