"""Every page of the portal at a phone's width (375 × 800) and a desktop's (1366 × 900): axe-core finds nothing
serious or critical, and the document is no wider than the viewport. The pages come from the URL conf
(tests_browser/walk.py), filled from the demo data, walked by a police caseworker and then, for the pages the
caseworker may not open, by a kommun lead (who owns the demo's call-ins and consents). One signed-in browser
context per role; the Content-Security-Policy is not relaxed."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests_browser.conftest import AxeAudit
from tests_browser.walk import url_for, walked_routes

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


def signed_in_context(chromium, live_server, user):
    """A browser context carrying a session made by Django's test client (force_login also verifies a lead's
    second factor), so the walk does not type passwords and codes for every role."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(locale="sv-SE", viewport=PHONE)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


class Walk:
    def __init__(self, axe: AxeAudit):
        self.axe = axe
        self.overflow: list[str] = []
        self.blocked: list[str] = []
        self.opened: dict[str, int] = {}

    def visit(self, page, live_server, route, path: str) -> int:
        page.set_viewport_size(PHONE)
        try:
            response = page.goto(live_server.url + path)
        except PlaywrightError:  # e.g. an empty 405 body, which Chromium reports as a failed navigation
            return 0
        status = response.status if response is not None else 0
        if status != 200:
            return status
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                self.overflow.append(f"{path} ({route.name}) is {width} px wide at {size['width']} px")
            self.axe.check(page)
        return status


@pytest.mark.django_db(transaction=True)
def test_every_page_at_phone_and_desktop_width(chromium, live_server):
    call_command("seed_demo", force=True, stdout=StringIO())
    users = get_user_model().objects
    caseworker, lead = users.get(username="polis.handlaggare"), users.get(username="kommun.chef")
    walk = Walk(AxeAudit())
    routes = walked_routes()
    statuses: dict[str, dict[str, int]] = {route.name: {} for route in routes}
    for user, wanted in ((caseworker, routes), (lead, None)):
        if wanted is None:  # the lead walks what the caseworker could not open, and the home page
            wanted = [r for r in routes if r.name == "home" or statuses[r.name].get(caseworker.username) != 200]
        context = signed_in_context(chromium, live_server, user)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda m: walk.blocked.append(m.text) if "Content Security Policy" in m.text else None)
        for route in wanted:
            path = url_for(route, user)
            if path is not None:
                statuses[route.name][user.username] = walk.visit(page, live_server, route, path)
        context.close()
    unopened = {name: seen for name, seen in statuses.items() if 200 not in seen.values()}
    assert unopened == {}, "pages no role could open (name: {user: status}); add a record or an exclusion"
    assert walk.blocked == [], "the Content-Security-Policy blocked something:\n" + "\n".join(walk.blocked)
    assert walk.overflow == [], "pages wider than the viewport:\n" + "\n".join(walk.overflow)
    assert walk.axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(walk.axe.findings)


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_page_signed_out(browser_page, live_server, axe):
    page = browser_page
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(live_server.url + "/logga-in/")
        page.get_by_role("heading", name="Logga in", level=1).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        axe.check(page)
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
