"""Two-factor login in a real browser, under the Content-Security-Policy: a new lead enrols (QR code and
key, then recovery codes), an enrolled lead enters the code after the password and shares a person's
identity details (the step-up is satisfied by the fresh sign-in), and the API docs work under the policy."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP

from agencies.models import Role, Share
from agencies.tests.factories import TEST_TOTP_KEY, UserFactory
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

PASSWORD = "korrekt-hast-batteri-42"  # agencies.tests.factories.UserFactory


def totp(base32_key: str, steps_ahead: int = 0) -> str:
    key = base64.b32decode(base32_key.replace(" ", ""))
    generator = TOTP(key)
    generator.time = time.time() + 30 * steps_ahead
    return str(generator.token()).zfill(6)


def password_step(page, live_server, axe, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


@pytest.mark.django_db(transaction=True)
def test_a_new_lead_enrols_then_reaches_the_portal(browser_page, live_server, axe, police):
    page = browser_page
    UserFactory(username="ny.chef", agency=police, agency__role=Role.LEAD)
    password_step(page, live_server, axe, "ny.chef")
    page.wait_for_url(re.compile(r".*/konto/tvastegsverifiering/.*"))
    page.get_by_role("heading", name="Aktivera tvåstegsverifiering").wait_for()
    axe.check(page)
    qr = page.get_by_role("img", name="QR-kod med nyckeln för GVI-portalen")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not render"
    secret = page.locator("code.otp-secret").inner_text()

    page.get_by_label("Engångskod").fill(totp(secret))
    page.get_by_role("button", name="Aktivera").click()
    page.get_by_role("heading", name="Dina reservkoder").wait_for()
    axe.check(page)
    assert len(page.locator(".recovery-codes li").all()) == 10
    page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Personer", exact=True).click()
    page.get_by_role("heading", name="Personer", exact=True).wait_for()
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)


@pytest.mark.django_db(transaction=True)
def test_a_lead_enters_the_code_and_shares_identity_details(browser_page, live_server, axe, police_lead, kommun):
    page = browser_page
    person = IndividualFactory(owner_agency=police_lead.membership.agency, created_by=police_lead, alias="Vägvisaren")
    IdentityDetailsFactory(individual=person, full_name="Vera Fiktiv")

    password_step(page, live_server, axe, police_lead.username)
    page.wait_for_url(re.compile(r".*/logga-in/verifiera/.*"))
    axe.check(page)
    page.get_by_label("Engångskod").fill("000000")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_text("Koden stämmer inte").wait_for()
    page.wait_for_timeout(1200)  # django-otp makes the device wait a second after a wrong code
    page.get_by_label("Engångskod").fill(totp(TEST_TOTP_KEY))
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/personer/{person.pk}/dela/")
    axe.check(page)
    # Just signed in with a code: no step-up is asked for yet.
    assert page.get_by_role("link", name="Bekräfta med engångskod").count() == 0
    page.get_by_label("Identitetsuppgifter").check()
    page.evaluate("document.getElementById('share-form').dataset.stale = '1'")
    page.get_by_label("Mottagande myndighet").select_option(label="Örebro kommun")
    page.wait_for_function("() => !document.getElementById('share-form').dataset.stale")
    page.get_by_label("OSL 10 kap. 2 §").check()
    page.get_by_label("Bedömning", exact=True).fill("Behövs för samverkan kring personen (fiktivt).")
    page.get_by_role("button", name="Dela").click()
    page.get_by_role("heading", name="Vägvisaren").wait_for()
    share = Share.objects.get()
    assert share.content_type.model == "identitydetails" and share.to_agency == kommun
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_work_under_the_policy(browser_page, live_server, police_caseworker):
    page = browser_page
    password_step(page, live_server, None, police_caseworker.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("GVI Portal API").first.wait_for()
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
