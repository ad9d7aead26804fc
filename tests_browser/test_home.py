"""A lead's home page on a phone and a desktop: new disclosures marked, one opened from the page and then read;
the agency's task and the shares that end within 30 days. axe-clean and no wider than the viewport at both
widths. (Overdue tasks move the server's clock: agencies/tests/test_home_per_role.py.)"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agencies import access
from agencies.tests.factories import basis_for
from cases.tests.factories import IndividualFactory, exit_case, give_task, group

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1366"])
def test_lead_home(viewport, chromium, live_server, axe, police, kommun, police_caseworker, kommun_lead):
    shared = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Ny Delning")
    for obj in (shared, group(police, police_caseworker, name="Ett gäng med ett ganska långt namn")):
        access.share(
            obj,
            to_agency=kommun,
            level="view",
            legal_basis=basis_for(kommun),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
            expires_at=timezone.now() + timedelta(days=12),
        )
    own = IndividualFactory(owner_agency=kommun, created_by=kommun_lead, alias="Egen Person")
    case = exit_case(kommun_lead, own)
    give_task(
        case=case,
        acting_user=kommun_lead,
        title="Följ upp boendet",
        assignee_agency=kommun,
        due_on=timezone.localdate() + timedelta(days=1),
    )
    client = Client()
    client.force_login(kommun_lead)
    context = chromium.new_context(locale="sv-SE", viewport=viewport)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + "/")
    axe.check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_text("2 nya").is_visible()
    assert page.get_by_role("heading", name="Utlämnanden som upphör inom 30 dagar").is_visible()
    assert page.get_by_text("Följ upp boendet").first.is_visible()

    page.get_by_role("link", name="Ny Delning").first.click()
    page.wait_for_url(f"**/personer/{shared.pk}/")
    page.goto(live_server.url + "/")
    assert page.get_by_text("1 ny", exact=True).is_visible()
    axe.check(page)
    context.close()
    assert axe.findings == []
    assert blocked == []
