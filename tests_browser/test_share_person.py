"""A police caseworker records a person and shares it with the kommun; the kommun sees it without identity."""

import re

import pytest

from agencies.models import AccessLogEntry, Share

PASSWORD = "korrekt-hast-batteri-42"  # agencies.tests.factories.UserFactory
ALIAS = "Testperson Ekbacken"
PNR = "19811228-9874"  # a valid test number, fictional


@pytest.fixture
def users(police_caseworker, kommun_caseworker, probation):
    return police_caseworker, kommun_caseworker


def log_in(page, live_server, axe, username):
    page.goto(f"{live_server.url}/logga-in/")
    axe.check(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    axe.check(page)


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r".*/logga-in/.*"))


@pytest.mark.django_db(transaction=True)
def test_police_shares_person_kommun_sees_it_without_identity(browser_page, live_server, axe, users):
    page = browser_page
    police_user, kommun_user = users

    log_in(page, live_server, axe, police_user.username)
    page.get_by_role("link", name="Personer", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Ny person").click()
    axe.check(page)
    page.get_by_label("Alias").fill(ALIAS)
    page.get_by_label("Födelseår").fill("1981")
    page.get_by_label("Personnummer eller samordningsnummer").fill(PNR)
    page.get_by_label("Fullständigt namn").fill("Anders Fiktivsson")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name=ALIAS).wait_for()
    assert "Anders Fiktivsson" in page.content()
    axe.check(page)

    page.get_by_role("link", name="Dela").click()
    axe.check(page)
    page.evaluate("document.getElementById('share-form').dataset.stale = '1'")
    page.get_by_label("Mottagande myndighet").select_option(label="Örebro kommun")
    page.wait_for_function("() => !document.getElementById('share-form').dataset.stale")
    page.get_by_label("OSL 10 kap. 2 §").check()
    page.get_by_label("Bedömning", exact=True).fill("Behövs för samverkan kring personen (fiktivt).")
    page.get_by_role("button", name="Dela").click()
    page.get_by_role("heading", name=ALIAS).wait_for()
    axe.check(page)
    assert Share.objects.filter(to_agency__slug="orebro-kommun", revoked_at__isnull=True).count() == 1
    log_out(page)

    log_in(page, live_server, axe, kommun_user.username)
    page.get_by_role("link", name="Personer", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name=ALIAS).click()
    page.get_by_role("heading", name=ALIAS).wait_for()
    axe.check(page)
    html = page.content()
    for secret in ("Anders Fiktivsson", "9874", "Identitetsuppgifter", "Personnummer"):
        assert secret not in html, f"{secret!r} leaked to the kommun"
    assert AccessLogEntry.objects.filter(user=kommun_user, action="view", model="cases.individual").exists()

    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
