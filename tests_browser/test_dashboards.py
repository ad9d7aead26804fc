"""The dashboards in the browser: the lead's own dashboard and the joint one, at 1366 and 375 pixels, with
axe-core (no serious or critical violations) and nothing wider than the phone's screen."""

import re

import pytest
from django.urls import reverse

from agencies.tests.factories import TEST_TOTP_KEY
from dashboards.tests.conftest import computed, dataset, defaults  # noqa: F401 - the fixed data set's fixtures

from .test_second_factor import password_step, totp

pytestmark = pytest.mark.usefixtures("programme_dates")

PASSWORD = "korrekt-hast-batteri-42"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def programme_dates(settings):
    from datetime import date

    settings.PROGRAMME_START_DATE = date(2025, 1, 1)
    settings.DASHBOARD_BASELINE_START = date(2024, 1, 1)
    settings.DASHBOARD_BASELINE_END = date(2025, 1, 1)


@pytest.fixture
def computed_world(computed):  # noqa: F811 - the imported fixture, by name
    return computed


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.django_db(transaction=True)
def test_lead_dashboard_in_the_browser(browser_page, live_server, axe, police_lead, computed_world):
    page = browser_page
    password_step(page, live_server, axe, police_lead.username)
    page.wait_for_url(re.compile(r".*/logga-in/verifiera/.*"))
    page.get_by_label("Engångskod").fill(totp(TEST_TOTP_KEY))
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Min myndighet").first.click()
    page.get_by_role("heading", name=re.compile("Instrumentpanel för")).wait_for()
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(live_server.url + reverse("dashboards:lead") + "?start=2025-01&end=2025-06")
        assert page.locator("svg.dash-chart").count() > 5
        axe.check(page)
        assert no_sideways_scroll(page), size
    page.get_by_role("link", name="2025-02").first.click()
    page.get_by_role("heading", name=re.compile("Händelser")).wait_for()
    assert page.locator("ul.dash-drill li").count() == 2
    axe.check(page)
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)


@pytest.mark.django_db(transaction=True)
def test_joint_dashboard_in_the_browser(browser_page, live_server, axe, community_user, computed_world):
    page = browser_page
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(community_user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Min myndighet").count() == 0
    page.get_by_role("link", name="Instrumentpanel").click()
    page.get_by_role("heading", name="Gemensam instrumentpanel").wait_for()
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(live_server.url + reverse("dashboards:joint") + "?year=2025")
        cells = page.locator("td.num").all_inner_texts()
        assert cells and not {"1", "2"} & set(cells)
        axe.check(page)
        assert no_sideways_scroll(page), size
        page.goto(live_server.url + reverse("dashboards:report") + "?year=2025&quarter=1")
        axe.check(page)
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
