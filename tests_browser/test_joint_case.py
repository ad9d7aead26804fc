"""One joint case in the browser: each agency sees its own share, and a withdrawn consent ends a share at once.

A kommun caseworker opens the case, invites police and Kriminalvården and records the person's consent;
police write a threat assessment and share it with the kommun on that consent; Kriminalvården writes an
intervention it does not share. Then each agency looks at the case page, and the kommun withdraws the
consent on the consent page. axe-core checks every page on the way.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import legal_basis
from cases.models import CaseEntry, Consent, ExitCase
from cases.tests.factories import IndividualFactory, give_task

from .test_share_person import log_in, log_out

ALIAS = "Falken Ekström"
THREAT = "Hotbild mot Falken"
INTERVENTION = "Arbetsträning hos Verkstan"
KOMMUN_NOTE = "Kommunens anteckning från hembesök"
POLICE = "Polisen Region Bergslagen"
PROBATION = "Kriminalvården Frivård Örebro"
KOMMUN = "Örebro kommun"


@pytest.fixture
def cast(police, probation, kommun, police_caseworker, probation_caseworker, kommun_caseworker):
    """The kommun's person, already shared with the two other agencies (the person pages are tested elsewhere)."""
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias=ALIAS, birth_year=1999)
    for agency in (police, probation):
        access.share(
            person,
            to_agency=agency,
            level="view",
            legal_basis=legal_basis(),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    return person, police_caseworker, probation_caseworker, kommun_caseworker, police


def open_case_page(page, axe):
    page.get_by_role("link", name="Ärenden", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name=re.compile(r"^Ärende \d+$")).click()
    page.get_by_role("heading", name=re.compile(r"^Ärende \d+")).wait_for()
    axe.check(page)


def choose_receiver(page, agency):
    """Pick the receiver in the share dialog and wait until htmx has swapped in the form for it (the legal
    bases offered depend on the receiver), so nothing chosen afterwards is lost in the swap."""
    page.evaluate("document.getElementById('share-form').dataset.stale = '1'")
    page.get_by_label("Mottagande myndighet").select_option(label=agency)
    page.wait_for_function("() => !document.getElementById('share-form').dataset.stale")


def invite(page, axe, agency):
    page.get_by_role("link", name="Bjud in myndighet").click()
    axe.check(page)
    choose_receiver(page, agency)
    page.get_by_label("OSL 10 kap. 2 §").check()
    page.get_by_label("Bedömning", exact=True).fill("Behövs för att samordna stödet i ärendet (fiktivt).")
    page.get_by_role("button", name="Dela", exact=True).click()
    page.get_by_text(f"{agency} deltar nu i ärendet.").wait_for()


def add_entry(page, axe, kind, title, **fields):
    page.get_by_role("link", name="Ny journalpost").click()
    axe.check(page)
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Rubrik").wait_for()
    axe.check(page)
    page.get_by_label("Rubrik").fill(title)
    for label, value in fields.items():
        page.get_by_label(label).select_option(label=value)
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_role("heading", name=title).wait_for()
    axe.check(page)


@pytest.mark.django_db(transaction=True)
def test_each_agency_sees_its_share_and_withdrawal_ends_the_consent_share(browser_page, live_server, axe, cast):
    page = browser_page
    person, police_user, probation_user, kommun_user, police = cast
    valid_until = (timezone.localdate() + timedelta(days=180)).isoformat()

    # --- the kommun opens the case, invites the others, writes a note of its own and records consent ---
    log_in(page, live_server, axe, kommun_user.username)
    page.get_by_role("link", name="Ärenden", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Nytt ärende").click()
    axe.check(page)
    page.get_by_label(f"{ALIAS} (1999)").check()
    page.get_by_label("Sammanfattning").fill("Vill lämna gruppen. Behöver boende och arbete.")
    page.get_by_role("button", name="Öppna ärendet").click()
    page.get_by_role("heading", name=re.compile(r"^Ärende \d+")).wait_for()
    axe.check(page)
    case = ExitCase.objects.get()
    for agency in (POLICE, PROBATION):
        invite(page, axe, agency)
    axe.check(page)
    add_entry(page, axe, "Anteckning", KOMMUN_NOTE)

    page.get_by_role("link", name=ALIAS).first.click()
    page.get_by_role("heading", name=ALIAS, exact=True).wait_for()
    axe.check(page)
    page.get_by_role("link", name="Samtycken", exact=True).click()
    axe.check(page)  # the empty state
    page.get_by_role("link", name="Registrera samtycke").click()
    axe.check(page)
    page.get_by_label(POLICE).check()
    page.get_by_label("Hotbedömningar").check()
    page.get_by_label("Ändamål").fill("Samordnat stöd för att lämna kriminaliteten")
    page.get_by_label("Gäller till och med").fill(valid_until)
    page.get_by_label("Var finns det undertecknade samtycket?").fill("Dnr KS 2025/77, pärm 2")
    page.get_by_role("button", name="Registrera samtycket").click()
    page.get_by_text("Samtycket har registrerats.").wait_for()
    axe.check(page)
    consent = Consent.objects.get()
    assert set(consent.agencies.values_list("slug", flat=True)) == {"orebro-kommun", "polisen"}
    assert consent.categories == ["threat"]
    log_out(page)

    # A task for the police, to be seen on their task list (the plan form is the case page's own test).
    give_task(
        case=case, acting_user=kommun_user, title="Lämna hotbedömning inför mötet",
        assignee_agency=police, due_on=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip

    # --- police: a threat assessment, shared with the kommun on the consent --------------------------------
    log_in(page, live_server, axe, police_user.username)
    page.get_by_role("link", name="Uppgifter", exact=True).click()
    page.get_by_role("heading", name="Mina uppgifter").wait_for()
    axe.check(page)
    assert "Försenad" in page.content() and ALIAS in page.content()

    open_case_page(page, axe)
    add_entry(page, axe, "Hotbedömning", THREAT)
    page.get_by_role("link", name=f"Dela {THREAT}").click()
    axe.check(page)
    choose_receiver(page, KOMMUN)
    consent_basis = page.get_by_role("radio", name="Samtycke", exact=True)
    consent_basis.wait_for()  # offered only now that a consent covers the kommun
    axe.check(page)
    consent_basis.check()
    page.get_by_role("button", name="Dela", exact=True).click()
    page.get_by_text(f"Journalposten har delats med {KOMMUN}.").wait_for()
    axe.check(page)
    threat_share = Share.objects.get(content_type__model="caseentry", revoked_at__isnull=True)
    assert threat_share.legal_basis.code == "samtycke" and threat_share.consent_id == consent.pk

    # The task is done: "Klar" on the task list.
    page.get_by_role("link", name="Uppgifter", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Klar\W+Lämna hotbedömning inför mötet$")).click()
    page.get_by_text("Uppgiften ”Lämna hotbedömning inför mötet” är klar.").wait_for()
    axe.check(page)  # the empty state
    log_out(page)

    # --- Kriminalvården: an intervention it does not share ----------------------------------------------
    log_in(page, live_server, axe, probation_user.username)
    open_case_page(page, axe)
    add_entry(page, axe, "Insats", INTERVENTION, Insatstyp="Arbete")
    log_out(page)

    # --- each sees what it should ---------------------------------------------------------------------
    log_in(page, live_server, axe, kommun_user.username)
    open_case_page(page, axe)
    text = page.content()
    assert THREAT in text and KOMMUN_NOTE in text and INTERVENTION not in text
    shared = page.locator("li.entry", has_text=THREAT)
    assert f"Delad med din myndighet av {POLICE}. Rättslig grund: Samtycke." in shared.inner_text()
    log_out(page)

    log_in(page, live_server, axe, police_user.username)
    open_case_page(page, axe)
    text = page.content()
    assert THREAT in text and KOMMUN_NOTE not in text and INTERVENTION not in text
    assert f"{KOMMUN} (Samtycke)" in page.locator("li.entry", has_text=THREAT).inner_text()
    log_out(page)

    log_in(page, live_server, axe, probation_user.username)
    open_case_page(page, axe)
    text = page.content()
    assert INTERVENTION in text and THREAT not in text and KOMMUN_NOTE not in text
    page.get_by_role("link", name=ALIAS).first.click()
    page.get_by_role("link", name="Samtycken", exact=True).click()
    axe.check(page)
    assert "Dnr KS 2025/77" not in page.content()  # the consent does not name Kriminalvården
    log_out(page)

    # --- the kommun withdraws the consent: the threat assessment is gone from its case page at once -------
    log_in(page, live_server, axe, kommun_user.username)
    open_case_page(page, axe)
    page.get_by_role("link", name=ALIAS).first.click()
    page.get_by_role("link", name="Samtycken", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name=re.compile(r"^Återkalla samtycket från")).click()
    page.get_by_role("heading", name=re.compile("^Det här återkallas")).wait_for()
    axe.check(page)
    resting = page.locator("table.shares-table").inner_text()
    assert THREAT in resting and "Hotbedömning" in resting and POLICE in resting and "Samtycke" in resting
    page.get_by_label("Anteckning (valfritt)").fill("Personen ringde och återkallade")
    page.get_by_role("button", name="Återkalla samtycket").click()
    page.get_by_text(re.compile(r"Samtycket har återkallats\. 1 utlämnande\b")).wait_for()
    axe.check(page)
    assert "Återkallat" in page.content()

    open_case_page(page, axe)
    text = page.content()
    assert THREAT not in text and KOMMUN_NOTE in text
    assert not access.can(kommun_user, CaseEntry.objects.get(title=THREAT))
    assert Share.objects.get(pk=threat_share.pk).revoked_at is not None
    assert AccessLogEntry.objects.filter(action="revoke", detail__share=threat_share.pk).exists()

    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
