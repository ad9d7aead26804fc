"""The retention pages in a browser, at a phone's width and a desktop's: the dry run lists an old entry, the lead
holds it through the form, and the dry run then shows it as held. axe-core finds nothing serious or critical and
no page is wider than the viewport."""

from datetime import date

import pytest
from django.test import Client

from cases import services as cases
from cases.tests.factories import IndividualFactory, exit_case

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


def check_both_widths(page, axe) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], page.url
        axe.check(page)


@pytest.mark.django_db(transaction=True)
def test_dry_run_and_hold_at_phone_and_desktop_width(
    chromium, live_server, axe, police, police_caseworker, police_lead
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    case = exit_case(police_caseworker, person)
    entry = cases.entry_add(
        case=case, acting_user=police_caseworker, kind="note", title="Gammal", occurred_on=date(2015, 1, 1)
    )
    client = Client()
    client.force_login(police_lead)
    context = chromium.new_context(locale="sv-SE", viewport=PHONE)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/gallring/")
    check_both_widths(page, axe)
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name=f"Undanta {entry.pk}").click()
    page.wait_for_load_state("load")
    check_both_widths(page, axe)
    page.get_by_label("Skäl").fill("Pågående rättsprocess (fiktiv).")
    page.get_by_label("Gäller till och med").fill("2030-12-31")
    page.get_by_role("button", name="Undanta posten").click()
    page.wait_for_url("**/gallring/undantag/")
    assert "Pågående rättsprocess (fiktiv)." in page.content()
    check_both_widths(page, axe)
    page.goto(live_server.url + "/gallring/")
    assert page.get_by_role("cell", name="Undantagen").count() == 1
    context.close()
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
