"""The lead's access log on a phone and a desktop: rows in human terms, the person filter, "who has read this
person" from the person page. axe-clean and no wider than the viewport at both widths."""

import pytest
from django.test import Client

from agencies import access
from agencies.tests.factories import basis_for
from cases.models import Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, group

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1366"])
def test_the_access_log_in_human_terms(
    viewport, chromium, live_server, axe, police, kommun, police_caseworker, police_lead
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Loggad Person")
    IdentityDetailsFactory(individual=person)
    access.get_or_404(police_caseworker, Individual, person.pk)
    access.share(
        person,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan kring stödet.",
        acting_user=police_caseworker,
    )
    group(police, police_caseworker, name="Loggade gänget")
    client = Client()
    client.force_login(police_lead)
    context = chromium.new_context(locale="sv-SE", viewport=viewport)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + "/atkomstlogg/")
    axe.check(page)
    assert fits(page)
    assert page.get_by_role("link", name="Loggad Person").first.is_visible()
    assert page.get_by_role("link", name="Loggade gänget").first.is_visible()

    page.get_by_role("textbox", name="Person", exact=True).fill("loggad")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**/atkomstlogg/?*person=loggad*")
    axe.check(page)
    assert fits(page)
    assert page.get_by_text("Visar poster om:").is_visible()
    assert page.get_by_role("link", name="Exportera urvalet som CSV").is_visible()

    page.get_by_role("textbox", name="Person", exact=True).fill("finns inte")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state()
    axe.check(page)
    assert page.get_by_text("Ingen person som du kan se matchar sökningen.").is_visible()

    page.goto(live_server.url + f"/personer/{person.pk}/")
    page.get_by_role("link", name="Vem har läst personen").click()
    page.wait_for_url(f"**/atkomstlogg/person/{person.pk}/")
    axe.check(page)
    assert fits(page)
    assert page.get_by_role("heading", name="Vem har läst Loggad Person").is_visible()
    context.close()
    assert axe.findings == []
    assert blocked == []
