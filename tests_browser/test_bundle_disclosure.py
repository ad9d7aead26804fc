"""One decision for one situation, in the browser: the kommun shares a case with its person and two entries with
the police in one form; the police then see all of them, each saying who disclosed it, when, on which basis and
until when. axe-core checks the form at 375 pixels and on the desktop."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Share, ShareBundle
from cases import services
from cases.tests.factories import IndividualFactory

from .test_share_person import log_in, log_out

ALIAS = "Linnea Strand"
NOTE = "Samtal om att lämna gruppen"
NEEDS = "Behov: eget boende"
KOMMUN = "Örebro kommun"
POLICE = "Polisen Region Bergslagen"
ASSESSMENT = "Polisen behöver helheten för att förebygga nya brott; personens intresse väger inte tyngre (fiktivt)."
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def situation(police, kommun, police_caseworker, kommun_caseworker):
    year = timezone.localdate().year
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias=ALIAS, birth_year=year - 19)
    case = services.case_open(acting_user=kommun_caseworker, individual=person, summary="Vill lämna gruppen.")
    for kind, title in (("note", NOTE), ("needs", NEEDS)):
        services.entry_add(case=case, acting_user=kommun_caseworker, kind=kind, title=title)
    return case, person, kommun_caseworker, police_caseworker


def wait_for_swap(page, action):
    """Do `action` (a change htmx answers by swapping in the form again) and wait until the new form is in."""
    page.evaluate("document.getElementById('bundle-form').dataset.stale = '1'")
    action()
    page.wait_for_function("() => !document.getElementById('bundle-form').dataset.stale")


@pytest.mark.django_db(transaction=True)
def test_the_kommun_discloses_case_person_and_two_entries_in_one_decision(browser_page, live_server, axe, situation):
    page = browser_page
    case, person, kommun_user, police_user = situation
    until = timezone.localdate() + timedelta(days=90)

    log_in(page, live_server, axe, kommun_user.username)
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    page.get_by_role("link", name="Dela med deltagare").click()
    page.get_by_role("heading", name=re.compile(r"^Dela Ärende \d+ med deltagare$")).wait_for()
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        axe.check(page)

    wait_for_swap(page, lambda: page.get_by_label("Mottagande myndighet").select_option(label=POLICE))
    for title in (NOTE, NEEDS):
        wait_for_swap(page, lambda title=title: page.get_by_label(title).check())
    assert page.get_by_label(re.compile(r"^Ärendets grunduppgifter")).is_checked()
    assert page.get_by_label(re.compile(rf"^{ALIAS}: alias")).is_checked()
    # Only the bases that fit the police and every ticked record are offered; the rest say why not.
    assert page.get_by_label("OSL 10 kap. 18 a §").is_visible()
    assert page.get_by_label("OSL 10 kap. 27 § (generalklausulen)").count() == 0
    assert (
        "OSL 10 kap. 27 § (generalklausulen): gäller inte utlämnanden från"
        in page.locator("#missing-bases").inner_text()
    )
    page.get_by_label("OSL 10 kap. 18 a §").check()
    page.get_by_label("Bedömning", exact=True).fill(ASSESSMENT)
    page.get_by_label("Gäller till och med (valfritt)").fill(until.isoformat())
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        axe.check(page)
    page.get_by_role("button", name="Dela i ett beslut").click()
    page.get_by_text(f"4 uppgifter har delats med {POLICE} i ett beslut.").wait_for()
    axe.check(page)

    bundle = ShareBundle.objects.get()
    assert Share.objects.filter(bundle=bundle).count() == 4
    assert set(Share.objects.values_list("legal_basis__code", flat=True)) == {"osl-10-18a"}

    # The owner's register groups the rows of the decision, each with its own revoke button.
    page.goto(f"{live_server.url}/arenden/{case.pk}/dela/")
    decision = page.locator(f"#beslut-{bundle.pk}")
    assert decision.get_by_role("row").count() == 5
    assert decision.locator("details.revoke").count() == 4
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        axe.check(page)
    log_out(page)

    # --- the police: the case, the person and both entries, each with its provenance ----------------------
    log_in(page, live_server, axe, police_user.username)
    decided = timezone.localdate().isoformat()
    # "Valid through" the chosen day: the rows end at the first moment of the next day, which the pages show.
    # The end date chosen is the last day the share grants, and the receiver is told that same day.
    ends = until.isoformat()
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    page.get_by_role("heading", name=re.compile(rf"^Ärende {case.pk}: {ALIAS}$")).wait_for()
    axe.check(page)
    provenance = page.locator("aside.provenance").inner_text()
    assert f"Från {KOMMUN}, beslutad {decided}, med stöd av OSL 10 kap. 18 a §." in provenance
    # The case header goes on the kind's own terms: participation has no end date.
    assert "Gäller tills vidare." in provenance
    for title in (NOTE, NEEDS):
        entry = page.locator(".entry", has=page.get_by_role("heading", name=title))
        text = entry.locator(".entry__basis").inner_text()
        assert f"Delad med din myndighet av {KOMMUN}. Rättslig grund: OSL 10 kap. 18 a §." in text
        assert f"Beslutad {decided}." in text and f"Gäller till och med {ends}." in text

    page.get_by_role("link", name=ALIAS).first.click()
    page.get_by_role("heading", name=ALIAS, exact=True).wait_for()
    axe.check(page)
    provenance = page.locator("aside.provenance").inner_text()
    assert f"Från {KOMMUN}, beslutad {decided}, med stöd av OSL 10 kap. 18 a §." in provenance
    assert f"Gäller till och med {ends}." in provenance
    assert axe.findings == []
