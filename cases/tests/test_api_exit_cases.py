"""/api/v1/exit-cases/: who sees a case, the header's version, phases, closing, joining, and pinned counts.

The joint case is in joint_case.py: kommun leads; police, Kriminalvården and a community partner take part;
the outsider takes part in nothing.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Share, Via
from agencies.tests.factories import UserFactory, basis_for
from cases import services
from cases.models import ExitCase
from cases.tests.factories import IndividualFactory, consent, exit_case, give_task
from cases.tests.joint_case import client_for, ids, joint_fixture, last_log_id, new_log, share, url  # noqa: F401

pytestmark = pytest.mark.django_db


def case_url(case) -> str:
    return url("exit-case-detail", case.pk)


def action_url(case, name: str) -> str:
    return url(f"exit-case-{name}", case.pk)


# --- anonymous, outsider, participants ------------------------------------------------------------------------


def test_anonymous_gets_401_everywhere(joint):
    client = APIClient()
    requests = [
        ("get", url("exit-case-list"), None),
        ("post", url("exit-case-list"), {"individual": joint.case.individual_id}),
        ("get", case_url(joint.case), None),
        ("patch", case_url(joint.case), {"summary": "x", "version": 1}),
        ("post", action_url(joint.case, "phase"), {"to_phase": "assessment", "reason": "x", "version": 1}),
        ("post", action_url(joint.case, "close"), {"outcome": "completed", "reason": "x", "version": 1}),
        (
            "post",
            action_url(joint.case, "participants"),
            # A community partner is outside OSL: what no secrecy covers (or consent).
            {"agency": "ny-start", "legal_basis": "ej-sekretess", "assessment": "Behövs för samverkan."},
        ),
        ("get", action_url(joint.case, "entries"), None),
    ]
    before = last_log_id()
    for method, target, body in requests:
        response = getattr(client, method)(target, body, format="json")
        assert response.status_code == 401, target
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert new_log(before) == []


def test_outsider_gets_404_and_finds_nothing(joint):
    client = client_for(joint.users["outsider"])
    case = joint.case
    assert client.get(case_url(case)).status_code == 404
    assert client.patch(case_url(case), {"summary": "Kapad", "version": 1}, format="json").status_code == 404
    phase = {"to_phase": "assessment", "reason": "x", "version": 1}
    assert client.post(action_url(case, "phase"), phase, format="json").status_code == 404
    close = {"outcome": "completed", "reason": "x", "version": 1}
    assert client.post(action_url(case, "close"), close, format="json").status_code == 404
    join = {"agency": "ny-start", "legal_basis": "osl-10-2", "assessment": "Behövs för samverkan."}
    assert client.post(action_url(case, "participants"), join, format="json").status_code == 404
    assert ids(client.get(url("exit-case-list"))) == []
    assert ids(client.get(url("exit-case-list", q="Avhoppare"))) == []
    case.refresh_from_db()
    assert (case.summary, case.version, case.phase) == ("Vill lämna gruppen", 1, "request")


def test_missing_and_hidden_cases_look_the_same(joint):
    client = client_for(joint.users["outsider"])
    hidden = client.get(case_url(joint.case))
    missing = client.get(url("exit-case-detail", joint.case.pk + 1000))
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()


@pytest.mark.parametrize("name", ["kommun", "police", "probation", "community"])
def test_every_participant_sees_the_header_with_its_participants(joint, name):
    client = client_for(joint.users[name])
    assert ids(client.get(url("exit-case-list"))) == [joint.case.pk]
    body = client.get(case_url(joint.case)).json()
    assert body["lead_agency"] == "orebro-kommun" and body["owner_agency"] == "orebro-kommun"
    assert body["individual"] == joint.case.individual_id and body["individual_alias"] == "Avhoppare A"
    assert {a["slug"] for a in body["participants"]} == {"orebro-kommun", "polisen", "kriminalvarden", "trygga-vagar"}
    assert body["phase"] == "request" and body["overdue_tasks"] == 0 and body["version"] == 1


def test_the_persons_alias_only_where_the_person_is_visible(kommun, police, kommun_caseworker, police_caseworker):
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Hemlig H")
    case = exit_case(kommun_caseworker, person)
    services.case_join(
        case=case,
        to_agency=police,
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    client = client_for(police_caseworker)
    body = client.get(case_url(case)).json()
    assert body["individual"] == person.pk and body["individual_alias"] is None
    assert client.get(url("exit-case-list")).json()["results"][0]["individual_alias"] is None
    listed = client.get(url("exit-case-list"))
    assert listed.status_code == 200 and [row["id"] for row in listed.json()["results"]] == [case.pk]
    assert "Hemlig" not in listed.content.decode()
    # Searching by alias finds only persons the caller may see: no oracle for the hidden alias.
    assert ids(client.get(url("exit-case-list", q="Hemlig"))) == []
    assert ids(client_for(kommun_caseworker).get(url("exit-case-list", q="Hemlig"))) == [case.pk]


def test_leaving_the_case_removes_it_at_once(joint):
    community = joint.agencies["community"]
    client = client_for(joint.users["community"])
    join = Share.objects.get(content_type__model="exitcase", object_id=joint.case.pk, to_agency=community)
    access.revoke(join, acting_user=joint.users["kommun"], reason="Föreningen lämnar ärendet")
    assert client.get(case_url(joint.case)).status_code == 404
    assert ids(client.get(url("exit-case-list"))) == []
    participants = client_for(joint.users["kommun"]).get(case_url(joint.case)).json()["participants"]
    assert "trygga-vagar" not in {a["slug"] for a in participants}


# --- opening and editing --------------------------------------------------------------------------------------


def test_open_a_case(police, police_caseworker, kommun_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    before = last_log_id()
    response = client_for(police_caseworker).post(
        url("exit-case-list"), {"individual": person.pk, "summary": "Begärde hjälp vid samtal"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["lead_agency"], body["owner_agency"], body["coordinator"], body["phase"]) == (
        "polisen",
        "polisen",
        police_caseworker.pk,
        "request",
    )
    assert [a["slug"] for a in body["participants"]] == ["polisen"]
    assert new_log(before) == [("create", "cases.exitcase", [body["id"]])]
    assert client_for(kommun_caseworker).get(url("exit-case-detail", body["id"])).status_code == 404


def test_a_case_only_for_a_visible_person(police, kommun_caseworker, police_caseworker):
    hidden = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    response = client_for(kommun_caseworker).post(url("exit-case-list"), {"individual": hidden.pk}, format="json")
    assert response.status_code == 400 and "individual" in response.json()
    assert not ExitCase.objects.exists()


def test_header_update_needs_the_current_version(joint):
    kommun = client_for(joint.users["kommun"])
    missing = kommun.patch(case_url(joint.case), {"summary": "Utan version"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()

    meeting = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    before = last_log_id()
    ok = kommun.patch(
        case_url(joint.case), {"summary": "Ny sammanfattning", "next_meeting": meeting.isoformat(), "version": 1},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 200, ok.json()
    assert ok.json()["summary"] == "Ny sammanfattning" and ok.json()["version"] == 2
    [row] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (row.action, row.model, row.object_ids, row.via) == ("change", "cases.exitcase", [joint.case.pk], Via.API)

    stale = kommun.patch(case_url(joint.case), {"summary": "Skriver över", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    joint.case.refresh_from_db()
    assert joint.case.summary == "Ny sammanfattning"


def test_a_participant_with_view_access_may_not_edit_the_header(joint):
    before = last_log_id()
    response = client_for(joint.users["police"]).patch(
        case_url(joint.case), {"summary": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403
    assert new_log(before) == []


def test_a_participant_with_change_access_may_edit_the_header(joint, other_community, outsider):
    services.case_join(
        case=joint.case, to_agency=other_community, legal_basis=basis_for(other_community), assessment="Behövs för samverkan.", level="change",
        acting_user=joint.users["kommun"],
    )  # fmt: skip
    response = client_for(outsider).patch(
        case_url(joint.case), {"summary": "Från mentorn", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["summary"] == "Från mentorn"


# --- phases and closing ---------------------------------------------------------------------------------------


def test_phase_change_with_reason_and_version(joint):
    kommun = client_for(joint.users["kommun"])
    no_reason = kommun.post(
        action_url(joint.case, "phase"), {"to_phase": "assessment", "reason": " ", "version": 1}, format="json"
    )
    assert no_reason.status_code == 400
    assert no_reason.json() == {"detail": "Ange skälet till fasändringen.", "code": "reason_required"}
    closed = kommun.post(
        action_url(joint.case, "phase"), {"to_phase": "closed", "reason": "x", "version": 1}, format="json"
    )
    assert closed.status_code == 400 and "to_phase" in closed.json()

    ok = kommun.post(
        action_url(joint.case, "phase"),
        {"to_phase": "assessment", "reason": "Samtal bokat", "version": 1},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["phase"] == "assessment" and ok.json()["version"] == 2
    assert ok.json()["phase_changes"] == [
        {"from_phase": "request", "to_phase": "assessment", "reason": "Samtal bokat", "changed_at": ok.json()["phase_changes"][0]["changed_at"]}
    ]  # fmt: skip
    stale = kommun.post(
        action_url(joint.case, "phase"), {"to_phase": "active", "reason": "Stöd inlett", "version": 1}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    joint.case.refresh_from_db()
    assert joint.case.phase == "assessment"


def test_close_with_outcome_then_no_more_entries(joint):
    kommun = client_for(joint.users["kommun"])
    no_outcome = kommun.post(action_url(joint.case, "close"), {"reason": "Klart", "version": 1}, format="json")
    assert no_outcome.status_code == 400 and "outcome" in no_outcome.json()
    before = last_log_id()
    ok = kommun.post(
        action_url(joint.case, "close"),
        {"outcome": "completed", "reason": "Målen uppnådda", "version": 1},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    body = ok.json()
    assert (body["phase"], body["outcome"], body["closed_on"]) == ("closed", "completed", str(timezone.localdate()))
    assert new_log(before) == [("change", "cases.exitcase", [joint.case.pk])]
    late = client_for(joint.users["police"]).post(
        url("exit-case-entries", joint.case.pk), {"kind": "note", "title": "Sent"}, format="json"
    )
    assert late.status_code == 400 and late.json()["code"] == "closed"
    again = kommun.post(
        action_url(joint.case, "close"), {"outcome": "other", "reason": "Igen", "version": 2}, format="json"
    )
    assert again.status_code == 400 and again.json()["code"] == "closed"


def test_view_participants_may_not_change_phase(joint):
    response = client_for(joint.users["probation"]).post(
        action_url(joint.case, "phase"), {"to_phase": "assessment", "reason": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403


# --- joining --------------------------------------------------------------------------------------------------


def test_the_lead_brings_an_agency_into_the_case(joint, other_community, outsider):
    assert client_for(outsider).get(case_url(joint.case)).status_code == 404
    before = last_log_id()
    response = client_for(joint.users["kommun"]).post(
        action_url(joint.case, "participants"),
        # A community partner is outside OSL: what no secrecy covers (or consent).
        {"agency": "ny-start", "legal_basis": "ej-sekretess", "assessment": "Behövs för samverkan."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["object_type"], body["object_id"], body["to_agency"], body["legal_basis"]) == (
        "exit_case",
        joint.case.pk,
        "ny-start",
        "ej-sekretess",
    )
    assert new_log(before) == [("share", "cases.exitcase", [joint.case.pk])]
    assert client_for(outsider).get(case_url(joint.case)).status_code == 200
    # The header only: no entry came with it.
    assert client_for(outsider).get(url("exit-case-entries", joint.case.pk)).json() == []


def test_joining_refusals(joint):
    kommun = client_for(joint.users["kommun"])
    consent_basis = kommun.post(
        action_url(joint.case, "participants"),
        {"agency": "ny-start", "legal_basis": "samtycke", "assessment": "Behövs för samverkan."},
        format="json",
    )
    assert consent_basis.status_code == 400 and consent_basis.json()["code"] == "consent_required"
    own = kommun.post(
        action_url(joint.case, "participants"),
        {"agency": "orebro-kommun", "legal_basis": "osl-10-2", "assessment": "Behövs för samverkan."},
        format="json",
    )
    assert own.status_code == 400 and own.json()["code"] == "own_agency"
    # A participant with view access may not bring others in.
    police = client_for(joint.users["police"]).post(
        action_url(joint.case, "participants"),
        # A community partner is outside OSL: what no secrecy covers (or consent).
        {"agency": "ny-start", "legal_basis": "ej-sekretess", "assessment": "Behövs för samverkan."},
        format="json",
    )
    assert police.status_code == 403


def test_joining_on_consent(joint, other_community):
    kommun = joint.agencies["kommun"]
    given = consent(joint.users["kommun"], joint.case.individual, [kommun, other_community], categories=["case"])
    response = client_for(joint.users["kommun"]).post(
        action_url(joint.case, "participants"),
        {"agency": "ny-start", "legal_basis": "samtycke", "assessment": "Behövs för samverkan.", "consent": given.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    # The register row rests on the consent and ends with it; the new participant reads the case.
    record = Share.objects.get(to_agency=other_community, object_id=joint.case.pk, content_type__model="exitcase")
    assert (record.legal_basis.code, record.consent_id, record.expires_at) == ("samtycke", given.pk, given.lapses_at())
    newcomer = UserFactory(username="ny.start.deltagare", agency=other_community)
    assert client_for(newcomer).get(case_url(joint.case)).json()["id"] == joint.case.pk
    services.consent_withdraw(consent=given, acting_user=joint.users["kommun"])
    assert client_for(newcomer).get(case_url(joint.case)).status_code == 404


def test_the_case_header_is_shareable_through_the_register(joint, other_community, outsider):
    response = client_for(joint.users["kommun"]).post(
        url("share-list"),
        {
            "object_type": "exit_case",
            "object_id": joint.case.pk,
            "to_agency": "ny-start",
            "legal_basis": "ej-sekretess",
            "assessment": "Behövs för samverkan.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert client_for(outsider).get(case_url(joint.case)).status_code == 200


# --- the list -------------------------------------------------------------------------------------------------


def test_list_filters_and_overdue_count(joint):
    police = joint.agencies["police"]
    today = timezone.localdate()
    give_task(
        case=joint.case, acting_user=joint.users["kommun"], title="Sen", assignee_agency=police,
        due_on=today - timedelta(days=2),
    )  # fmt: skip
    give_task(
        case=joint.case, acting_user=joint.users["kommun"], title="I tid", assignee_agency=police,
        due_on=today + timedelta(days=2),
    )  # fmt: skip
    other = exit_case(
        joint.users["kommun"],
        IndividualFactory(owner_agency=joint.agencies["kommun"], created_by=joint.users["kommun"], alias="Annan B"),
    )
    client = client_for(joint.users["kommun"])
    rows = {row["id"]: row for row in client.get(url("exit-case-list")).json()["results"]}
    assert rows[joint.case.pk]["overdue_tasks"] == 1 and rows[other.pk]["overdue_tasks"] == 0
    assert ids(client.get(url("exit-case-list", overdue="true"))) == [joint.case.pk]
    assert ids(client.get(url("exit-case-list", q="Annan"))) == [other.pk]
    services.case_change_phase(case=other, acting_user=joint.users["kommun"], to_phase="active", reason="Start")
    assert ids(client.get(url("exit-case-list", phase="active"))) == [other.pk]
    # The shared FilterSet (cases/filters/exit_cases.py) takes the agency's id here, not its slug.
    assert ids(client.get(url("exit-case-list", lead_agency=joint.agencies["kommun"].pk))) == [other.pk, joint.case.pk]
    assert ids(client.get(url("exit-case-list", lead_agency=joint.agencies["police"].pk))) == []
    assert client.get(url("exit-case-list", phase="nonsense")).status_code == 400


def test_list_and_detail_are_logged(joint):
    client = client_for(joint.users["police"])
    before = last_log_id()
    client.get(url("exit-case-list"))
    [row] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (row.action, row.model, row.object_ids) == ("list", "cases.exitcase", [joint.case.pk])
    assert list(row.targets.values_list("person_id", flat=True)) == [joint.case.individual_id]
    before = last_log_id()
    client.get(case_url(joint.case))
    assert new_log(before) == [("view", "cases.exitcase", [joint.case.pk])]


# --- query counts ---------------------------------------------------------------------------------------------

# Per request, whatever the number of cases: session and user with the caller's membership and agency (2), the gate
# (list: one query: the rows by primary key, the branches' ids as a subquery
# with their overdue-task counts; detail: one query), which of the persons the caller may see (1), the log entry and its
# targets (2; one statement on PostgreSQL), and the session save (3 inside the test transaction). The detail adds the
# participants (1) and the phase history (1).
# A receiver's answer carries its provenance: one query more for a page or record received through a share
# (cases/disclosure.py; none when every row is the viewer's own).
PROVENANCE = 1
LIST_QUERIES = {"postgresql": 8, "sqlite": 9}
RETRIEVE_QUERIES = {"postgresql": 10, "sqlite": 11}


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_list_query_count_is_the_same_at_1_and_50_cases(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    for _ in range(owned):
        exit_case(police_caseworker, IndividualFactory(owner_agency=police, created_by=police_caseworker))
    for _ in range(shared):
        case = exit_case(kommun_caseworker, IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker))
        services.case_join(
            case=case,
            to_agency=police,
            legal_basis=basis_for(police),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    client = client_for(police_caseworker)
    client.get(url("exit-case-list"))  # warm up: the gate caches permission ids per process
    with django_assert_num_queries(LIST_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(url("exit-case-list"))
    assert len(response.json()["results"]) == owned + shared


def test_retrieve_query_count(joint, police_caseworker, django_assert_num_queries):
    mine = exit_case(
        police_caseworker, IndividualFactory(owner_agency=joint.agencies["police"], created_by=police_caseworker)
    )
    client = client_for(police_caseworker)
    client.get(url("exit-case-list"))
    for case in (mine, joint.case):  # own, and taken part in
        with django_assert_num_queries(RETRIEVE_QUERIES[connection.vendor] + (PROVENANCE if case is joint.case else 0)):
            assert client.get(case_url(case)).status_code == 200
