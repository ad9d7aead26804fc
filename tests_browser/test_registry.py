"""A police caseworker records a group, a conflict, a member and an incident with a victim and a suspect,
shares the group and the incident (not the persons, the membership or the involvement) with a community
partner; the partner sees the group and the incident and none of the people."""

import re

import pytest

from agencies.models import AccessLogEntry, Share
from cases.models import GroupMembership, GroupRelation, Incident, IncidentPerson
from cases.tests.factories import IndividualFactory

PASSWORD = "korrekt-hast-batteri-42"  # agencies.tests.factories.UserFactory
GROUP = "Norrligan"
RIVAL = "Södergänget"
VICTIM = "Offret Testsson"
SUSPECT = "Skytten Testsson"
PLACE = "Vivalla torg"
# The partner is a community association, outside OSL: it receives what no secrecy covers (or on consent).
LEGAL_BASIS = "Ej sekretessbelagd uppgift"


@pytest.fixture
def users(police, police_caseworker, community, community_user, kommun):
    # The persons exist already (the person pages have their own browser test); fictional.
    IndividualFactory(owner_agency=police, created_by=police_caseworker, alias=VICTIM, birth_year=2005, district=None)
    IndividualFactory(owner_agency=police, created_by=police_caseworker, alias=SUSPECT, birth_year=2001, district=None)
    return police_caseworker, community_user


def log_in(page, live_server, axe, username):
    page.goto(f"{live_server.url}/logga-in/")
    axe.check(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    axe.check(page)


def choose(page, axe, search_label, term, option):
    """A gated choice (agencies.forms.gated) by keyboard: type in the combobox, arrow to the hit, Enter."""
    box = page.get_by_role("combobox", name=search_label, exact=True)
    box.fill(term)
    hit = page.locator(".gated-choice__list [role=option]", has_text=option)
    hit.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    axe.check(page)  # with the listbox open
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == hit.first.get_attribute("id")
    box.press("Enter")
    assert box.get_attribute("aria-expanded") == "false"


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r".*/logga-in/.*"))


def open_nav(page, axe, name):
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=name, level=1).wait_for()
    axe.check(page)


def h1(page, text):
    page.get_by_role("heading", name=re.compile(re.escape(text)), level=1).wait_for()


def create_group(page, axe, name):
    open_nav(page, axe, "Grupperingar")
    page.get_by_role("link", name="Ny gruppering").click()
    axe.check(page)
    page.get_by_label(re.compile(r"^Namn\b")).fill(name)
    page.get_by_label("Vivalla").check()
    page.get_by_role("button", name="Spara", exact=True).click()
    h1(page, name)
    axe.check(page)


def share_with_partner(page, axe, partner, heading):
    page.get_by_role("link", name="Dela med annan myndighet").click()
    axe.check(page)
    page.evaluate("document.getElementById('share-form').dataset.stale = '1'")
    page.get_by_label("Mottagande myndighet").select_option(label=partner)
    page.wait_for_function("() => !document.getElementById('share-form').dataset.stale")
    page.get_by_label(LEGAL_BASIS).check()
    page.get_by_label("Bedömning", exact=True).fill("Uppgifterna om gruppen är inte sekretessbelagda (fiktivt).")
    page.get_by_role("button", name="Dela", exact=True).click()
    h1(page, heading)
    axe.check(page)


@pytest.mark.django_db(transaction=True)
def test_police_records_and_shares_partner_sees_no_people(browser_page, live_server, axe, users, community):
    page = browser_page
    police_user, partner_user = users

    # --- police: the groups, the conflict and a member -------------------------------------------------
    log_in(page, live_server, axe, police_user.username)
    create_group(page, axe, RIVAL)
    create_group(page, axe, GROUP)

    page.get_by_role("link", name="Registrera relation").click()
    axe.check(page)
    choose(page, axe, "Sök gruppering (namn)", RIVAL[:4], RIVAL)
    chosen = page.get_by_label("Den andra grupperingen")
    assert chosen.evaluate("select => select.options[select.selectedIndex].text") == RIVAL
    page.get_by_label("Konflikt").check()
    page.get_by_label("Källa").fill("Gruppkartläggning i mars (fiktivt)")
    page.get_by_role("button", name="Spara relationen").click()
    h1(page, GROUP)
    axe.check(page)

    page.get_by_role("link", name="Registrera medlemskap").click()
    axe.check(page)
    choose(page, axe, "Sök person (alias eller personnummer)", "Skytten", f"{SUSPECT} (2001)")
    page.get_by_label("Roll").select_option(label="Kärnmedlem")
    page.get_by_label("Källtyp").select_option(label="Förundersökning")
    page.get_by_label("Underlag").fill("Gripen tillsammans med gruppens ledare (fiktivt).")
    page.get_by_label("Trolig").check()
    page.get_by_role("button", name="Spara medlemskapet").click()
    h1(page, GROUP)
    assert SUSPECT in page.content()
    axe.check(page)

    # Only the group's summary is shared, not its member list.
    share_with_partner(page, axe, community.name, GROUP)

    # --- police: the incident, its group, its victim and its suspect --------------------------------------
    open_nav(page, axe, "Händelser")
    page.get_by_role("link", name="Ny händelse").click()
    axe.check(page)
    page.get_by_label("Typ av händelse").select_option(label="Skjutning")
    page.get_by_label("Inträffade").fill("2025-03-02T21:30")
    page.get_by_label("Stadsdel").select_option(label="Vivalla")
    page.get_by_label("Ungefärlig plats").fill(PLACE)
    page.get_by_label("Skadade").fill("1")
    page.get_by_role("button", name="Spara", exact=True).click()
    h1(page, "Skjutning 2025-03-02")
    axe.check(page)

    page.get_by_role("link", name="Lägg till gruppering").click()
    axe.check(page)
    choose(page, axe, "Sök gruppering (namn)", GROUP[:5], GROUP)
    page.get_by_label("Gärningssida").check()
    page.get_by_label("Misstänkt").check()
    page.get_by_role("button", name="Lägg till").click()
    h1(page, "Skjutning 2025-03-02")

    for alias, role in ((VICTIM, "Målsägande/offer"), (SUSPECT, "Misstänkt")):
        page.get_by_role("link", name="Lägg till person").click()
        axe.check(page)
        page.get_by_label("Sök person (alias eller personnummer)").fill(alias)
        page.get_by_role("main").get_by_role("button", name="Sök").click()  # not the header's search
        page.get_by_label(re.compile(f"^{alias}")).check()
        axe.check(page)
        page.get_by_label(role, exact=True).check()
        page.get_by_role("button", name="Lägg till").click()
        h1(page, "Skjutning 2025-03-02")
    text = page.content()
    assert VICTIM in text and SUSPECT in text and GROUP in text
    axe.check(page)

    # The incident itself is shared; the involvement of each person is not.
    share_with_partner(page, axe, community.name, "Skjutning 2025-03-02")

    open_nav(page, axe, "Händelser")
    assert page.get_by_role("img", name=re.compile("Stapeldiagram")).is_visible()

    incident = Incident.objects.get()
    assert IncidentPerson.objects.filter(incident=incident).count() == 2
    assert GroupRelation.objects.filter(kind="conflict").count() == 1
    # The victim was recorded as a victim, never as a member.
    assert list(GroupMembership.objects.values_list("individual__alias", flat=True)) == [SUSPECT]
    shared = Share.objects.filter(to_agency=community, revoked_at__isnull=True)
    assert sorted(shared.values_list("content_type__model", flat=True)) == ["criminalgroup", "incident"]
    log_out(page)

    # --- the community partner: the group and the incident, none of the people ------------------------------
    log_in(page, live_server, axe, partner_user.username)
    open_nav(page, axe, "Grupperingar")
    page.get_by_role("link", name=GROUP).click()
    h1(page, GROUP)
    axe.check(page)
    text = page.content()
    for secret in (SUSPECT, VICTIM, RIVAL):  # the rival group and the conflict were not shared either
        assert secret not in text, f"{secret!r} leaked to the community partner"

    open_nav(page, axe, "Händelser")
    page.get_by_role("link", name=re.compile(f"Skjutning, {PLACE}")).click()
    h1(page, "Skjutning 2025-03-02")
    axe.check(page)
    text = page.content()
    assert PLACE in text and GROUP in text
    for secret in (VICTIM, SUSPECT, "Inblandade personer", "Målsägande"):
        assert secret not in text, f"{secret!r} leaked to the community partner"
    assert AccessLogEntry.objects.filter(user=partner_user, action="view", model="cases.incident").exists()

    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
