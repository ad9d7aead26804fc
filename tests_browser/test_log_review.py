"""A lead reviews the month's reads on a phone: flags an item with a comment, then confirms it instead; the
page shows both verdicts (the newest first, the earlier marked superseded) and the progress. axe finds nothing
serious at 375 px, before and after, and the page is no wider than the phone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from agencies import access
from agencies.models import LogReviewVerdict
from agencies.services.log_review import log_review_create
from cases.tests.factories import IndividualFactory

PHONE = {"width": 375, "height": 800}


@pytest.mark.django_db(transaction=True)
def test_a_lead_flags_then_confirms_a_read_on_a_phone(
    chromium, live_server, axe, police, police_caseworker, police_lead
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Fiktiv Falk")
    with time_machine.travel(datetime(2026, 10, 13, 22, 15, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        access.get_or_404(police_caseworker, type(person), person.pk)
    review = log_review_create(agency=police, month=date(2026, 10, 1))
    assert review is not None
    item = review.items.get()

    client = Client()
    client.force_login(police_lead)
    context = chromium.new_context(locale="sv-SE", viewport=PHONE)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/atkomstlogg/granskning/")
    axe.check(page)
    page.get_by_role("link", name="Oktober 2026").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("0 av 1 poster granskade.").is_visible()
    article = page.locator(f"#post-{item.pk}")
    assert "Fiktiv Falk" in article.inner_text() and "Utanför arbetstid" in article.inner_text()
    axe.check(page)

    article.get_by_label("Flaggad").check()
    article.get_by_label("Kommentar").fill("Varför kvällstid?")
    article.get_by_role("button", name="Spara bedömning").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("1 av 1 poster granskade.").is_visible()

    article = page.locator(f"#post-{item.pk}")
    article.get_by_label("Godkänd").check()
    article.get_by_role("button", name="Spara ny bedömning").click()
    page.wait_for_load_state("load")
    verdicts = page.locator(f"#post-{item.pk} .verdicts li")
    assert verdicts.count() == 2
    assert "Godkänd" in verdicts.nth(0).inner_text()
    assert "Flaggad" in verdicts.nth(1).inner_text() and "ersatt" in verdicts.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe.check(page)
    context.close()

    assert list(LogReviewVerdict.objects.filter(item=item).values_list("verdict", flat=True)) == [
        "confirmed",
        "flagged",
    ]
    assert axe.findings == []
