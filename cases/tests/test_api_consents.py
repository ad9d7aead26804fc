"""/api/v1/consents/: recording, who sees a consent, and withdrawal that revokes every share resting on it.

The joint case is in joint_case.py: kommun leads; police, Kriminalvården and a community partner take part.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import legal_basis
from cases import services
from cases.models import Consent
from cases.tests.factories import IndividualFactory, consent
from cases.tests.joint_case import client_for, ids, joint_fixture, last_log_id, new_log, share, url  # noqa: F401

pytestmark = pytest.mark.django_db


def consent_url(c) -> str:
    return url("consent-detail", c.pk)


def record_body(person, **changes) -> dict:
    body = {
        "individual": person.pk,
        "agencies": ["orebro-kommun", "polisen"],
        "categories": ["case", "threat", "note"],
        "purpose": "Stöd för att lämna kriminalitet (fiktivt)",
        "valid_until": str(timezone.localdate() + timedelta(days=180)),
        "document_reference": "Pärm 3, flik 12 (fiktiv)",
    }
    return {**body, **changes}


# --- recording -----------------------------------------------------------------------------------------------


def test_record_a_consent(joint):
    person = joint.case.individual
    before = last_log_id()
    response = client_for(joint.users["kommun"]).post(url("consent-list"), record_body(person), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["owner_agency"], sorted(body["agencies"]), body["categories"], body["is_valid"]) == (
        "orebro-kommun",
        ["orebro-kommun", "polisen"],
        ["case", "note", "threat"],
        True,
    )
    assert body["individual_alias"] == "Avhoppare A"
    # Recorded, and shared on itself with the other agency it names.
    assert new_log(before) == [("create", "cases.consent", [body["id"]]), ("share", "cases.consent", [body["id"]])]
    assert client_for(joint.users["police"]).get(url("consent-detail", body["id"])).status_code == 200
    assert client_for(joint.users["probation"]).get(url("consent-detail", body["id"])).status_code == 404


@pytest.mark.parametrize(
    "changes,message,code",
    [
        ({"valid_until": None}, "Ange hur länge samtycket gäller.", "valid_until_required"),
        ({"agencies": []}, "Ett samtycke måste omfatta minst en myndighet.", "no_agency"),
        ({"categories": []}, "Välj vilka uppgifter samtycket gäller.", "categories_required"),
        ({"purpose": " "}, "Ange ändamålet med samtycket.", "purpose_required"),
    ],
)
def test_refused_consents_give_400_with_the_swedish_message(joint, changes, message, code):
    response = client_for(joint.users["kommun"]).post(
        url("consent-list"), record_body(joint.case.individual, **changes), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message, "code": code}
    assert not Consent.objects.exists()


def test_missing_fields_are_refused_the_same_way(joint):
    body = record_body(joint.case.individual)
    del body["valid_until"], body["agencies"]
    response = client_for(joint.users["kommun"]).post(url("consent-list"), body, format="json")
    assert response.status_code == 400 and response.json()["code"] in {"no_agency", "valid_until_required"}


def test_a_consent_only_for_a_visible_person(police, police_caseworker, kommun_caseworker):
    hidden = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    response = client_for(kommun_caseworker).post(url("consent-list"), record_body(hidden), format="json")
    assert response.status_code == 400 and "individual" in response.json()


# --- who sees a consent ----------------------------------------------------------------------------------------


def test_anonymous_gets_401(joint):
    given = consent(joint.users["kommun"], joint.case.individual, [joint.agencies["kommun"]])
    client = APIClient()
    before = last_log_id()
    for method, target, body in [
        ("get", url("consent-list"), None),
        ("post", url("consent-list"), record_body(joint.case.individual)),
        ("get", consent_url(given), None),
        ("post", url("consent-withdraw", given.pk), {"note": "x"}),
    ]:
        response = getattr(client, method)(target, body, format="json")
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert new_log(before) == []


def test_the_agencies_named_see_it_and_others_get_404(joint):
    kommun, police = joint.agencies["kommun"], joint.agencies["police"]
    given = consent(joint.users["kommun"], joint.case.individual, [kommun, police])
    for name in ("kommun", "police"):
        client = client_for(joint.users[name])
        assert client.get(consent_url(given)).status_code == 200
        assert ids(client.get(url("consent-list"))) == [given.pk]
        assert ids(client.get(url("consent-list", individual=joint.case.individual_id))) == [given.pk]
    for name in ("probation", "community", "outsider"):
        client = client_for(joint.users[name])
        assert client.get(consent_url(given)).status_code == 404
        assert client.post(url("consent-withdraw", given.pk), {"note": "x"}, format="json").status_code == 404
        assert ids(client.get(url("consent-list"))) == []
    given.refresh_from_db()
    assert given.withdrawn_at is None


def test_list_filter_by_person(joint):
    kommun = joint.agencies["kommun"]
    other = IndividualFactory(owner_agency=kommun, created_by=joint.users["kommun"])
    first = consent(joint.users["kommun"], joint.case.individual, [kommun])
    second = consent(joint.users["kommun"], other, [kommun])
    client = client_for(joint.users["kommun"])
    assert ids(client.get(url("consent-list"))) == [second.pk, first.pk]
    assert ids(client.get(url("consent-list", individual=other.pk))) == [second.pk]
    # A person the caller may not see is as invalid a filter as a missing one.
    assert client_for(joint.users["outsider"]).get(url("consent-list", individual=other.pk)).status_code == 400


def test_reads_are_logged(joint):
    given = consent(joint.users["kommun"], joint.case.individual, [joint.agencies["kommun"], joint.agencies["police"]])
    police = client_for(joint.users["police"])
    before = last_log_id()
    police.get(url("consent-list"))
    police.get(consent_url(given))
    assert new_log(before) == [("list", "cases.consent", [given.pk]), ("view", "cases.consent", [given.pk])]
    assert set(AccessLogEntry.objects.filter(pk__gt=before).values_list("targets__person_id", flat=True)) == {
        joint.case.individual_id
    }


# --- withdrawal ------------------------------------------------------------------------------------------------


def test_withdrawal_removes_access_at_once_for_every_share_on_it_and_no_other(joint):
    kommun, police, probation = (joint.agencies[n] for n in ("kommun", "police", "probation"))
    given = consent(joint.users["kommun"], joint.case.individual, [kommun, police, probation])
    # Police's threat assessment also goes to Kriminalvården on the consent; a new police note goes to kommun on
    # the law. (The threat assessment went to kommun on the law in the fixture: that share stays.)
    threat = joint.entries["police"]
    on_consent = services.entry_share(
        entry=threat, to_agency=probation, legal_basis=legal_basis("samtycke"), assessment="Behövs för samverkan.", consent=given,
        acting_user=joint.users["police"],
    )  # fmt: skip
    note = services.entry_add(case=joint.case, acting_user=joint.users["police"], kind="note", title="Polisens notis")
    also_on_consent = services.entry_share(
        entry=note, to_agency=probation, legal_basis=legal_basis("samtycke"), assessment="Behövs för samverkan.", consent=given,
        acting_user=joint.users["police"],
    )  # fmt: skip
    on_law = share(note, to=kommun, by=joint.users["police"], code="osl-10-27")

    probation_client = client_for(joint.users["probation"])
    entries_url = url("exit-case-entries", joint.case.pk)
    assert {"Hotbild", "Polisens notis"} <= {r["title"] for r in probation_client.get(entries_url).json()}
    consent_shares = set(
        Share.objects.filter(consent_id=given.pk, revoked_at__isnull=True)
        .exclude(content_type__model="consent")  # the consent's own shares with the agencies it names stay
        .values_list("pk", flat=True)
    )

    before = last_log_id()
    response = client_for(joint.users["probation"]).post(
        url("consent-withdraw", given.pk), {"note": "Meddelade vid möte"}, format="json"
    )
    assert response.status_code == 200, response.json()
    withdrawn = last_log_id()
    body = response.json()
    assert set(body["revoked_shares"]) == consent_shares
    assert {on_consent.pk, also_on_consent.pk} <= set(body["revoked_shares"]) and on_law.pk not in body[
        "revoked_shares"
    ]
    assert body["consent"]["withdrawn_at"] and body["consent"]["is_valid"] is False
    assert body["consent"]["withdrawal_note"] == "Meddelade vid möte"

    # At once: Kriminalvården no longer sees either entry; kommun still sees both on the law.
    titles = {r["title"] for r in probation_client.get(entries_url).json()}
    assert "Hotbild" not in titles and "Polisens notis" not in titles
    assert probation_client.get(url("case-entry-detail", threat.pk)).status_code == 404
    kommun_titles = {r["title"] for r in client_for(joint.users["kommun"]).get(entries_url).json()}
    assert {"Hotbild", "Polisens notis"} <= kommun_titles
    assert Share.objects.get(pk=on_law.pk).is_active

    # The log: the withdrawal itself, and one revoke row per share, logged as the agency that had shared.
    rows = list(AccessLogEntry.objects.filter(pk__gt=before, pk__lte=withdrawn).order_by("id"))
    assert (rows[0].action, rows[0].model, rows[0].object_ids) == ("change", "cases.consent", [given.pk])
    assert rows[0].detail == {"withdrawn": True} and rows[0].agency_id == probation.pk
    revokes = {row.detail["share"]: row for row in rows[1:]}
    assert set(revokes) == consent_shares and all(row.action == "revoke" for row in revokes.values())
    assert revokes[on_consent.pk].agency_id == police.pk and revokes[on_consent.pk].object_ids == [threat.pk]


def test_withdrawing_twice_is_refused(joint):
    given = consent(joint.users["kommun"], joint.case.individual, [joint.agencies["kommun"]])
    client = client_for(joint.users["kommun"])
    assert client.post(url("consent-withdraw", given.pk), {}, format="json").status_code == 200
    again = client.post(url("consent-withdraw", given.pk), {}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_withdrawn"


def test_a_withdrawn_consent_carries_no_new_share(joint):
    kommun, police = joint.agencies["kommun"], joint.agencies["police"]
    given = consent(joint.users["kommun"], joint.case.individual, [kommun, police])
    services.consent_withdraw(consent=given, acting_user=joint.users["kommun"])
    response = client_for(joint.users["kommun"]).post(
        url("case-entry-share", joint.entries["kommun"].pk),
        {"to_agency": "polisen", "legal_basis": "samtycke", "assessment": "Behövs för samverkan.", "consent": given.pk},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "consent_not_covering"


# --- query counts ---------------------------------------------------------------------------------------------

# Per request, whatever the number of consents: session and user with the caller's membership and agency (2), the gate's
# page (one query: the rows, the branches' ids as a subquery), the agencies of the rows (1,
# prefetched), which of the persons the caller may see (1), the log entry and its targets (2; one statement on
# PostgreSQL), and the session save (3 inside the test transaction).
CONSENT_LIST_QUERIES = {"postgresql": 9, "sqlite": 10}


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_consent_list_query_count_is_the_same_at_1_and_50(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    for _ in range(owned):
        consent(police_caseworker, IndividualFactory(owner_agency=police, created_by=police_caseworker), [police])
    for _ in range(shared):
        person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
        consent(kommun_caseworker, person, [kommun, police])
    client = client_for(police_caseworker)
    client.get(url("consent-list"))
    with django_assert_num_queries(CONSENT_LIST_QUERIES[connection.vendor]):
        response = client.get(url("consent-list"))
    assert len(response.json()["results"]) == owned + shared
