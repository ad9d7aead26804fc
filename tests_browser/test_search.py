"""The header's search box on a phone and a desktop: type a term, land on /sok/ with results grouped by kind,
follow a hit. axe-clean and no wider than the viewport at both widths."""

import pytest
from django.test import Client

from cases.tests.factories import IndividualFactory, group

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1366"])
def test_search_from_the_header(viewport, chromium, live_server, axe, police, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Zorro Sökbar")
    group(police, police_caseworker, name="Zorrogänget")
    client = Client()
    client.force_login(police_caseworker)
    context = chromium.new_context(locale="sv-SE", viewport=viewport)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server.url + "/")

    box = page.get_by_role("search", name="Sök").get_by_role("searchbox")
    box.fill("zorro")
    box.press("Enter")
    page.wait_for_url("**/sok/?q=zorro")
    axe.check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("heading", name="Personer").is_visible()
    assert page.get_by_role("link", name="Zorrogänget").is_visible()
    page.get_by_role("link", name="Zorro Sökbar").click()
    page.wait_for_url(f"**/personer/{person.pk}/")

    page.goto(live_server.url + "/sok/?q=ingenting")  # the empty state
    axe.check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_text("Inga träffar för ”ingenting”.").is_visible()
    context.close()
    assert axe.findings == []
    assert blocked == []
