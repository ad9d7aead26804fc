"""The bundle form (/arenden/<pk>/dela/): one decision for the case header, the person and chosen entries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies import access
from agencies.models import LegalBasis, Share, ShareBundle
from agencies.tests.factories import legal_basis
from cases import services
from cases.tests.factories import IndividualFactory, consent, exit_case
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

ASSESSMENT = "Polisen behöver helheten för att förebygga nya brott; personens intresse väger inte tyngre."


@pytest.fixture
def situation(kommun_caseworker):
    year = timezone.localdate().year
    person = IndividualFactory(
        owner_agency=kommun_caseworker.membership.agency,
        created_by=kommun_caseworker,
        birth_year=year - 19,
        alias="Kim B",
    )
    case = exit_case(kommun_caseworker, person)
    entries = [
        services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title="Samtal om skolan"),
        services.entry_add(case=case, acting_user=kommun_caseworker, kind="needs", title="Behov: boende"),
    ]
    return case, person, entries


def url(case) -> str:
    return f"/arenden/{case.pk}/dela/"


def offered_bases(html: str) -> set[str]:
    pks = {int(pk) for pk in re.findall(r'name="legal_basis" value="(\d+)"', html)}
    return set(LegalBasis.objects.filter(pk__in=pks).values_list("code", flat=True))


def keys(case, person, entries) -> list[str]:
    return [f"exit_case:{case.pk}", f"individual:{person.pk}", *[f"case_entry:{e.pk}" for e in entries]]


def post_data(receiver, records, basis="osl-10-18a", **extra) -> dict:
    return {
        "to_agency": receiver.pk,
        "records": records,
        "level": "view",
        "legal_basis": legal_basis(basis).pk,
        "assessment": ASSESSMENT,
        **extra,
    }


def test_the_lead_agency_discloses_header_person_and_entries_in_one_decision(
    client, situation, police, kommun_caseworker
):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    page = client.get(url(case))
    html = page.content.decode()
    assert page.status_code == 200 and "Dela Ärende" in html
    for key in keys(case, person, entries):
        assert f'value="{key}"' in html
    # The header and the person are ticked on a fresh form; entries are chosen one by one.
    assert re.search(rf'value="exit_case:{case.pk}" id="[^"]+" checked', html)
    assert not re.search(rf'value="case_entry:{entries[0].pk}" id="[^"]+" checked', html)

    response = client.post(url(case), post_data(police, keys(case, person, entries)))
    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"
    bundle = ShareBundle.objects.get()
    assert bundle.shares.count() == 4 and bundle.legal_basis.code == "osl-10-18a"
    for obj in (case, person, *entries):
        assert access.agency_sees(police, obj)
    assert (
        "4 uppgifter har delats med Polisen Region Bergslagen i ett beslut."
        in client.get(f"/arenden/{case.pk}/").content.decode()
    )


def test_the_case_page_links_to_the_form_for_the_lead_agency_only(
    client, situation, police, kommun_caseworker, police_caseworker
):
    case, person, entries = situation
    services.case_join(
        case=case, to_agency=police, legal_basis=legal_basis("osl-10-2"), assessment=ASSESSMENT,
        acting_user=kommun_caseworker,
    )  # fmt: skip
    client.force_login(kommun_caseworker)
    assert f'href="{url(case)}"' in client.get(f"/arenden/{case.pk}/").content.decode()
    client.force_login(police_caseworker)
    page = client.get(f"/arenden/{case.pk}/")
    assert page.status_code == 200 and "Grunduppgifter" in page.content.decode()
    assert f'href="{url(case)}"' not in page.content.decode()


def test_a_participant_and_another_agency_get_404_on_the_form(
    client, situation, police, kommun_caseworker, police_caseworker, outsider
):
    case, person, entries = situation
    services.case_join(
        case=case, to_agency=police, legal_basis=legal_basis("osl-10-2"), assessment=ASSESSMENT,
        acting_user=kommun_caseworker,
    )  # fmt: skip
    for user in (police_caseworker, outsider):
        client.force_login(user)
        assert client.get(url(case)).status_code == 404
        assert client.post(url(case), post_data(police, [f"exit_case:{case.pk}"], "osl-10-2")).status_code == 404
    client.force_login(kommun_caseworker)
    assert client.get(url(case)).status_code == 200
    assert client.get("/arenden/999999/dela/").status_code == 404
    assert Share.objects.count() == 1


def test_only_the_bases_that_fit_every_ticked_record_are_offered(
    client, situation, police, community, kommun_caseworker
):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    everything = keys(case, person, entries)
    html = client.get(url(case), {"to_agency": police.pk, "records": everything}).content.decode()
    assert offered_bases(html) == {"osl-10-2", "osl-10-18a", "osl-10-28", "ej-sekretess"}
    assert re.search(r"<li>OSL 10 kap. 27 § \(generalklausulen\): gäller inte utlämnanden från [^<]+</li>", html)
    assert "<li>Samtycke: inget giltigt samtycke täcker mottagaren och alla valda uppgifter</li>" in html
    assert f'href="/samtycken/person/{person.pk}/ny/"' in html

    html = client.get(url(case), {"to_agency": community.pk, "records": everything}).content.decode()
    assert offered_bases(html) == {"ej-sekretess"}
    assert "civilsamhället omfattas inte av OSL och tar bara emot med samtycke" in html

    # A consent without the needs assessments covers the header, the person and the note, not the needs entry.
    consent(kommun_caseworker, person, [case.owner_agency, police], categories=["person", "case", "note"])
    html = client.get(url(case), {"to_agency": police.pk, "records": everything}).content.decode()
    assert "samtycke" not in offered_bases(html) and 'name="consent"' not in html
    html = client.get(url(case), {"to_agency": police.pk, "records": everything[:3]}).content.decode()
    assert "samtycke" in offered_bases(html) and 'name="consent"' in html


def test_the_form_refuses_a_basis_that_does_not_fit_and_shares_nothing(client, situation, police, kommun_caseworker):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    response = client.post(url(case), post_data(police, keys(case, person, entries), basis="osl-10-27"))
    assert response.status_code == 200
    assert "Välj en rättslig grund som används." in response.content.decode()
    assert not Share.objects.exists() and not ShareBundle.objects.exists()


def test_a_refusal_on_the_last_row_is_shown_and_leaves_nothing(client, situation, police, kommun_caseworker):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    # Without the header the police take no part in the case: the entry (the last row) is refused.
    response = client.post(url(case), post_data(police, [f"individual:{person.pk}", f"case_entry:{entries[0].pk}"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Samtal om skolan" in html and "Myndigheten deltar inte i ärendet." in html and "Inget har delats." in html
    assert not Share.objects.exists() and not access.agency_sees(police, person)


def test_a_basis_that_needs_an_assessment_needs_one_here_too(client, situation, police, kommun_caseworker):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    response = client.post(url(case), post_data(police, [f"exit_case:{case.pk}"], assessment=""))
    assert "kräver en skriftlig bedömning" in response.content.decode()
    assert not Share.objects.exists()


def test_nothing_ticked_is_an_error(client, situation, police, kommun_caseworker):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    response = client.post(url(case), post_data(police, []))
    assert response.status_code == 200 and "Välj minst en uppgift att dela." in response.content.decode()


def test_the_owners_register_groups_the_rows_of_one_decision_each_revocable_alone(
    client, situation, police, kommun_caseworker
):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    assert client.post(url(case), post_data(police, keys(case, person, entries))).status_code == 302
    bundle = ShareBundle.objects.get()
    html = client.get(url(case)).content.decode()
    assert f"Beslut {bundle.pk} till Polisen Region Bergslagen" in html
    section = html.split(f'id="beslut-{bundle.pk}"', 1)[1].split("</section>", 1)[0]
    for label in ("Ärendet", "Personen", "Journalposten"):
        assert f"<td>{label}</td>" in section
    assert section.count("<tr>") == 1 + 4  # the head row and one row per record
    # The case page's header register says which decision the row was part of.
    assert f"Del av beslut {bundle.pk}" in client.get(f"/arenden/{case.pk}/").content.decode()

    entry_row = bundle.shares.get(content_type__model="caseentry", object_id=entries[0].pk)
    response = client.post(f"/utlamnanden/{entry_row.pk}/aterkalla/", {"reason": "Behövs inte.", "next": url(case)})
    assert response.status_code == 302
    assert not access.agency_sees(police, entries[0])
    assert all(access.agency_sees(police, obj) for obj in (case, person, entries[1]))


def _count(client, case) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(case))
    assert response.status_code == 200
    return len(captured)


def test_the_form_query_count_does_not_grow_with_the_entries(
    client, django_assert_num_queries, situation, police, kommun_caseworker
):
    case, person, entries = situation
    client.force_login(kommun_caseworker)
    with django_assert_num_queries(FORM_QUERIES + 2 * log_write()):
        assert client.get(url(case)).status_code == 200
    for i in range(6):
        services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title=f"Post {i}")
    with django_assert_num_queries(FORM_QUERIES + 2 * log_write()):
        assert client.get(url(case)).status_code == 200


# Session and user with its membership and agency (the actor), the case (found through the gate), the agency's
# own entries, its own goals and its own tasks, the identity details probe, the bases, the receivers, the
# consents and the earlier decisions; plus two log entries (the header, the entries).
FORM_QUERIES = 15
