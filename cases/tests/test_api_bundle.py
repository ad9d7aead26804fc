"""POST /api/v1/exit-cases/{id}/disclosures/: one decision for one situation, through the API."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import Share, ShareBundle
from agencies.tests.factories import legal_basis
from cases import services
from cases.tests.factories import IndividualFactory, exit_case

pytestmark = pytest.mark.django_db

ASSESSMENT = "Polisen behöver helheten för att förebygga nya brott; personens intresse väger inte tyngre."


@pytest.fixture
def situation(kommun_caseworker):
    year = timezone.localdate().year
    person = IndividualFactory(
        owner_agency=kommun_caseworker.membership.agency, created_by=kommun_caseworker, birth_year=year - 19
    )
    case = exit_case(kommun_caseworker, person)
    entries = [
        services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title="Samtal om skolan"),
        services.entry_add(case=case, acting_user=kommun_caseworker, kind="needs", title="Behov: boende"),
    ]
    return case, person, entries


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def body(records, basis="osl-10-18a", to="polisen", **extra) -> dict:
    return {"to_agency": to, "records": records, "legal_basis": basis, "assessment": ASSESSMENT, **extra}


def everything(case, person, entries) -> list[str]:
    return [f"exit_case:{case.pk}", f"individual:{person.pk}", *[f"case_entry:{e.pk}" for e in entries]]


def test_the_lead_agency_discloses_in_one_decision(situation, police, kommun_caseworker, police_caseworker):
    case, person, entries = situation
    response = api(kommun_caseworker).post(
        f"/api/v1/exit-cases/{case.pk}/disclosures/", body(everything(case, person, entries)), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    bundle = ShareBundle.objects.get()
    assert (data["id"], data["to_agency"], data["legal_basis"], data["assessment"]) == (
        bundle.pk,
        "polisen",
        "osl-10-18a",
        ASSESSMENT,
    )
    assert [(row["object_id"], row["bundle"]) for row in data["shares"]] == [
        (row.object_id, bundle.pk) for row in bundle.shares.order_by("pk")
    ]
    assert len(data["shares"]) == 4
    for obj in (case, person, *entries):
        assert access.agency_sees(police, obj)
    # The register list names the decision on every row, and filters by it, for both agencies.
    for user in (kommun_caseworker, police_caseworker):
        rows = api(user).get("/api/v1/shares/", {"bundle": bundle.pk}).json()["results"]
        assert {row["bundle"] for row in rows} == {bundle.pk} and len(rows) == 4


def test_a_participant_and_another_agency_get_404(situation, police, kommun_caseworker, police_caseworker, outsider):
    case, person, entries = situation
    services.case_join(
        case=case, to_agency=police, legal_basis=legal_basis("osl-10-2"), assessment=ASSESSMENT,
        acting_user=kommun_caseworker,
    )  # fmt: skip
    assert api(police_caseworker).get(f"/api/v1/exit-cases/{case.pk}/").status_code == 200
    for user in (police_caseworker, outsider):
        response = api(user).post(
            f"/api/v1/exit-cases/{case.pk}/disclosures/",
            body([f"exit_case:{case.pk}"], "osl-10-2", to="kriminalvarden"),
            format="json",
        )
        assert response.status_code == 404
    assert Share.objects.count() == 1 and not ShareBundle.objects.exists()


def test_a_basis_that_does_not_fit_is_a_swedish_400_and_nothing_is_shared(situation, police, kommun_caseworker):
    case, person, entries = situation
    response = api(kommun_caseworker).post(
        f"/api/v1/exit-cases/{case.pk}/disclosures/",
        body(everything(case, person, entries), "osl-10-27"),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "legal_basis_not_fitting"
    assert "kan inte användas här" in response.json()["detail"] and "Inget har delats." in response.json()["detail"]
    assert not Share.objects.exists()


def test_a_refusal_on_the_last_row_is_a_400_naming_the_record(situation, police, kommun_caseworker):
    case, person, entries = situation
    response = api(kommun_caseworker).post(
        f"/api/v1/exit-cases/{case.pk}/disclosures/",
        body([f"individual:{person.pk}", f"case_entry:{entries[0].pk}"]),
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "not_participant"
    assert "Samtal om skolan" in response.json()["detail"]
    assert not Share.objects.exists() and not access.agency_sees(police, person)


def test_a_record_outside_the_case_or_a_missing_assessment_is_refused(
    situation, police, kommun_caseworker, police_caseworker
):
    case, person, entries = situation
    client = api(kommun_caseworker)
    url = f"/api/v1/exit-cases/{case.pk}/disclosures/"
    other = services.entry_add(case=exit_case(kommun_caseworker, person), acting_user=kommun_caseworker, kind="note",
                               title="Annat ärende")  # fmt: skip
    refused = client.post(url, body([f"case_entry:{other.pk}"]), format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_in_case"
    refused = client.post(url, body([f"exit_case:{case.pk}"], assessment=""), format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "assessment_required"
    refused = client.post(url, body([]), format="json")
    assert refused.status_code == 400 and "records" in refused.json()
    assert not Share.objects.exists()


def test_the_endpoint_is_in_the_openapi_schema():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/exit-cases/{id}/disclosures/"]["post"]
    assert set(operation["responses"]) >= {"201", "400", "404"}
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][request]["properties"]) >= {
        "to_agency",
        "records",
        "legal_basis",
        "assessment",
        "consent",
        "expires_at",
    }
