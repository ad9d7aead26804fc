"""A withdrawn consent ends a case join and a person share at once, in the browser.

The kommun's person has consented to the community partner seeing their record and their exit case; the
kommun shared the person and brought the partner into the case, both on that consent (the dialogs are the
other browser tests' subject). The partner's mentor sees both pages. The kommun withdraws the consent on the
consent page, which names both shares; the mentor's next look at either page finds nothing (404), and the
register says why. axe-core checks every page on the way.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import Share
from agencies.tests.factories import legal_basis
from cases import services
from cases.tests.factories import IndividualFactory, exit_case

from .test_share_person import log_in, log_out

ALIAS = "Vega Lindholm"
SUMMARY = "Vill lämna gruppen (fiktivt)"


@pytest.mark.django_db(transaction=True)
def test_withdrawing_a_consent_ends_the_case_join_and_the_person_share(
    browser_page, live_server, axe, kommun, community, kommun_caseworker, community_user
):
    page = browser_page
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias=ALIAS, birth_year=2001)
    case = exit_case(kommun_caseworker, person, summary=SUMMARY)
    given = services.consent_record(
        acting_user=kommun_caseworker,
        individual=person,
        agencies=[kommun, community],
        categories=["person", "case"],
        purpose="Mentorstöd (fiktivt)",
        valid_until=timezone.localdate() + timedelta(days=90),
        document_reference="Pärm 1 (fiktiv)",
    )
    basis = legal_basis("samtycke")
    access.share(
        person,
        to_agency=community,
        level="view",
        legal_basis=basis,
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=kommun_caseworker,
    )
    services.case_join(
        case=case,
        to_agency=community,
        legal_basis=basis,
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=kommun_caseworker,
    )
    person_url = live_server.url + reverse("individual-detail", args=[person.pk])
    case_url = live_server.url + reverse("exit-case-detail", args=[case.pk])

    # --- the mentor sees the person and the case --------------------------------------------------------
    log_in(page, live_server, axe, community_user.username)
    assert page.goto(person_url).status == 200
    page.get_by_role("heading", name=ALIAS, exact=True).wait_for()
    axe.check(page)
    assert page.goto(case_url).status == 200
    page.get_by_role("heading", name=re.compile(rf"^Ärende {case.pk}")).wait_for()
    assert SUMMARY in page.content()
    axe.check(page)
    log_out(page)

    # --- the kommun withdraws the consent; the confirmation names both shares -----------------------------
    log_in(page, live_server, axe, kommun_caseworker.username)
    page.goto(live_server.url + reverse("person-consents", args=[person.pk]))
    axe.check(page)
    page.get_by_role("link", name=re.compile(r"^Återkalla samtycket från")).click()
    page.get_by_role("heading", name=re.compile("^Det här återkallas")).wait_for()
    axe.check(page)
    resting = page.locator("table.shares-table").inner_text()
    assert resting.count(community.name) == 2, resting
    page.get_by_role("button", name="Återkalla samtycket").click()
    page.get_by_text(re.compile(r"Samtycket har återkallats\. 2 utlämnanden\b")).wait_for()
    axe.check(page)
    log_out(page)

    # --- the mentor's next look finds nothing -------------------------------------------------------------
    log_in(page, live_server, axe, community_user.username)
    for url in (person_url, case_url):
        response = page.goto(url)
        assert response.status == 404, url
        assert ALIAS not in page.content() and SUMMARY not in page.content()
    closed = Share.objects.filter(consent_id=given.pk).exclude(object_id=given.pk, content_type__model="consent")
    assert sorted(closed.values_list("content_type__model", "revoke_reason")) == [
        ("exitcase", "Samtycket återkallades."),
        ("individual", "Samtycket återkallades."),
    ]
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
