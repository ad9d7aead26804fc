"""The entries of a joint case through the API: the four-agency matrix, writing, sharing, conflicts, counts.

`/api/v1/exit-cases/{id}/entries/` lists and writes; `/api/v1/case-entries/{id}/` reads and edits one entry;
`.../share/` discloses it to another participant of the case. The joint case is in joint_case.py.
"""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Share, Via
from agencies.tests.factories import basis_for
from cases import services
from cases.models import CaseEntry
from cases.tests.factories import consent
from cases.tests.joint_case import (  # noqa: F401 (joint_fixture provides `joint`)
    SEES,
    SHARED,
    TITLES,
    client_for,
    ids,
    joint_fixture,
    last_log_id,
    new_log,
    share,
    url,
)

pytestmark = pytest.mark.django_db

BASIS_NAMES = {
    "osl-10-2": "OSL 10 kap. 2 §",
    "osl-10-27": "OSL 10 kap. 27 § (generalklausulen)",
    "ej-sekretess": "Ej sekretessbelagd uppgift",
}


def entries_url(case, **params) -> str:
    return url("exit-case-entries", case.pk, **params)


def entry_url(entry) -> str:
    return url("case-entry-detail", entry.pk)


# --- the matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kommun", "police", "probation", "community"])
def test_each_agency_lists_exactly_its_own_plus_what_was_shared_with_it(joint, name):
    response = client_for(joint.users[name]).get(entries_url(joint.case))
    assert response.status_code == 200
    rows = response.json()
    assert {row["title"] for row in rows} == joint.titles_for(name)
    agency = joint.agencies[name]
    for row in rows:
        owner = next(o for o, t in TITLES.items() if t == row["title"])
        assert row["owner_agency"] == joint.agencies[owner].slug
        if owner == name:
            assert row["own"] is True and row["legal_basis"] is None
        else:
            # The legal basis it was shared on with this agency.
            [code] = [c for o, to, c in SHARED if o == owner and to == name]
            assert row["own"] is False and row["legal_basis"] == BASIS_NAMES[code]
    assert agency.slug in {row["owner_agency"] for row in rows}


@pytest.mark.parametrize("name", ["kommun", "police", "probation", "community", "outsider"])
def test_entry_detail_answers_only_for_own_and_shared_entries(joint, name):
    client = client_for(joint.users[name])
    for owner, entry in joint.entries.items():
        response = client.get(entry_url(entry))
        if owner in SEES[name]:
            assert response.status_code == 200
            assert response.json()["title"] == TITLES[owner]
        else:
            assert response.status_code == 404
    assert {r["title"] for r in client.get(url("case-entry-list")).json()["results"]} == joint.titles_for(name)


def test_a_community_partner_sees_only_what_was_shared_with_it(joint):
    client = client_for(joint.users["community"])
    rows = client.get(entries_url(joint.case)).json()
    assert sorted(row["title"] for row in rows) == ["Behov: boende", "Mentorsamtal"]
    # Nothing in the answer hints at the entries it may not see.
    text = client.get(entries_url(joint.case)).content.decode()
    assert "Hotbild" not in text and "Insats" not in text
    assert client.get(entry_url(joint.entries["police"])).status_code == 404


def test_outsider_gets_404_on_the_case_and_everything_below_it(joint):
    client = client_for(joint.users["outsider"])
    before = last_log_id()
    assert client.get(url("exit-case-detail", joint.case.pk)).status_code == 404
    assert client.get(entries_url(joint.case)).status_code == 404
    created = client.post(entries_url(joint.case), {"kind": "note", "title": "Intrång"}, format="json")
    assert created.status_code == 404
    for entry in joint.entries.values():
        assert client.get(entry_url(entry)).status_code == 404
        patched = client.patch(entry_url(entry), {"title": "Kapad", "version": 1}, format="json")
        assert patched.status_code == 404
        shared = client.post(
            url("case-entry-share", entry.pk),
            {"to_agency": "ny-start", "legal_basis": "osl-10-2", "assessment": "Behövs för samverkan."},
            format="json",
        )
        assert shared.status_code == 404
    assert ids(client.get(url("case-entry-list"))) == []
    assert ids(client.get(url("exit-case-list"))) == []
    assert CaseEntry.objects.filter(title__in=["Intrång", "Kapad"]).count() == 0
    # Only the (empty) lists were logged: nothing was read.
    assert all(action == "list" and object_ids == [] for action, _model, object_ids in new_log(before))


def test_missing_and_hidden_entries_look_the_same(joint):
    client = client_for(joint.users["outsider"])
    hidden = client.get(entry_url(joint.entries["kommun"]))
    missing = client.get(url("case-entry-detail", CaseEntry.objects.latest("pk").pk + 1000))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_anonymous_gets_401_everywhere(joint):
    client = APIClient()
    entry = joint.entries["kommun"]
    requests = [
        ("get", entries_url(joint.case), None),
        ("post", entries_url(joint.case), {"kind": "note", "title": "x"}),
        ("get", url("case-entry-list"), None),
        ("get", entry_url(entry), None),
        ("patch", entry_url(entry), {"title": "x", "version": 1}),
        (
            "post",
            url("case-entry-share", entry.pk),
            {"to_agency": "polisen", "legal_basis": "osl-10-2", "assessment": "Behövs för samverkan."},
        ),
    ]
    before = last_log_id()
    for method, target, body in requests:
        response = getattr(client, method)(target, body, format="json")
        assert response.status_code == 401, target
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert new_log(before) == []


def test_an_entry_goes_with_its_case(joint):
    """An agency that leaves the case no longer sees the entries shared with it there."""
    community = joint.agencies["community"]
    client = client_for(joint.users["community"])
    assert client.get(entry_url(joint.entries["kommun"])).status_code == 200
    join = Share.objects.get(object_id=joint.case.pk, content_type__model="exitcase", to_agency=community)
    access.revoke(join, acting_user=joint.users["kommun"], reason="Föreningen lämnar ärendet")
    assert client.get(entry_url(joint.entries["kommun"])).status_code == 404
    assert client.get(entries_url(joint.case)).status_code == 404
    assert ids(client.get(url("case-entry-list"))) == []


# --- writing ---------------------------------------------------------------------------------------------


def test_an_entry_written_through_the_api_is_the_writers_alone(joint):
    police = client_for(joint.users["police"])
    before = last_log_id()
    response = police.post(
        entries_url(joint.case),
        {
            "kind": "needs",
            "title": "Polisens behovsbild",
            "body": "Behöver skydd",
            "needs": {"housing": {"level": "high", "comment": "Måste flytta"}},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["owner_agency"], body["own"], body["kind"], body["version"]) == ("polisen", True, "needs", 1)
    assert body["needs"] == {"housing": {"level": "high", "comment": "Måste flytta"}}
    assert new_log(before) == [("create", "cases.caseentry", [body["id"]])]
    assert "Polisens behovsbild" in {r["title"] for r in police.get(entries_url(joint.case)).json()}
    assert "Polisens behovsbild" not in {
        r["title"] for r in client_for(joint.users["kommun"]).get(entries_url(joint.case)).json()
    }


def test_threat_assessments_only_by_police(joint):
    response = client_for(joint.users["kommun"]).post(
        entries_url(joint.case), {"kind": "threat", "title": "Hotbild enligt kommunen"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Hotbedömningar görs av Polisen.", "code": "threat_police_only"}
    assert not CaseEntry.objects.filter(title="Hotbild enligt kommunen").exists()
    ok = client_for(joint.users["police"]).post(
        entries_url(joint.case), {"kind": "threat", "title": "Ny hotbild"}, format="json"
    )
    assert ok.status_code == 201


def test_entry_input_is_validated(joint):
    client = client_for(joint.users["police"])
    blank = client.post(entries_url(joint.case), {"kind": "note", "title": " "}, format="json")
    assert blank.status_code == 400 and blank.json()["code"] == "title_required"
    unknown = client.post(
        entries_url(joint.case), {"kind": "needs", "title": "x", "needs": {"yacht": {"level": "high"}}}, format="json"
    )
    assert unknown.status_code == 400 and "needs" in unknown.json()
    dates = client.post(
        entries_url(joint.case),
        {"kind": "intervention", "title": "x", "starts_on": "2025-05-02", "ends_on": "2025-05-01"},
        format="json",
    )
    assert dates.status_code == 400 and dates.json()["code"] == "dates"


# --- editing ---------------------------------------------------------------------------------------------


def test_concurrent_edits_second_gets_409_and_the_first_change_is_kept(joint, police_lead):
    entry = joint.entries["police"]
    first, second = client_for(joint.users["police"]), client_for(police_lead)
    version = first.get(entry_url(entry)).json()["version"]
    assert second.get(entry_url(entry)).json()["version"] == version

    ok = first.patch(entry_url(entry), {"body": "Första ändringen", "version": version}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == version + 1
    before = last_log_id()
    conflict = second.patch(entry_url(entry), {"body": "Andra ändringen", "version": version}, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["current_version"] == version + 1 and conflict.json()["code"] == "conflict"
    entry.refresh_from_db()
    assert entry.body == "Första ändringen" and entry.version == version + 1
    assert new_log(before) == []  # nothing was written, so nothing was logged as changed

    retry = second.patch(entry_url(entry), {"body": "Andra ändringen", "version": version + 1}, format="json")
    assert retry.status_code == 200 and retry.json()["body"] == "Andra ändringen"


def test_patch_needs_a_version_and_change_access(joint):
    entry = joint.entries["police"]
    missing = client_for(joint.users["police"]).patch(entry_url(entry), {"body": "x"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    # Kommun may read the police entry (shared for viewing) but not change it.
    before = last_log_id()
    readonly = client_for(joint.users["kommun"]).patch(entry_url(entry), {"body": "x", "version": 1}, format="json")
    assert readonly.status_code == 403
    entry.refresh_from_db()
    assert entry.body == "" and new_log(before) == []


def test_edit_is_logged_as_the_editor(joint):
    entry = joint.entries["probation"]
    before = last_log_id()
    response = client_for(joint.users["probation"]).patch(
        entry_url(entry), {"provider": "Arbetsförmedlingen", "version": 1}, format="json"
    )
    assert response.status_code == 200
    [row] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (row.action, row.model, row.object_ids, row.via) == ("change", "cases.caseentry", [entry.pk], Via.API)
    assert row.agency_id == joint.agencies["probation"].pk and row.detail == {"fields": ["provider"]}


# --- sharing ---------------------------------------------------------------------------------------------


def share_body(to="orebro-kommun", basis="osl-10-27", **extra) -> dict:
    return {"to_agency": to, "legal_basis": basis, "assessment": "Behövs för hotbedömningen.", **extra}


def test_owner_shares_an_entry_with_a_participant(joint):
    entry = joint.entries["police"]
    probation = client_for(joint.users["probation"])
    assert probation.get(entry_url(entry)).status_code == 404
    before = last_log_id()
    response = client_for(joint.users["police"]).post(
        url("case-entry-share", entry.pk), share_body(to="kriminalvarden"), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["object_id"], body["from_agency"], body["to_agency"], body["legal_basis"]) == (
        entry.pk,
        "polisen",
        "kriminalvarden",
        "osl-10-27",
    )
    assert response.headers["Location"].endswith(url("share-detail", body["id"]))
    assert new_log(before) == [("share", "cases.caseentry", [entry.pk])]
    assert probation.get(entry_url(entry)).status_code == 200
    row = next(r for r in probation.get(entries_url(joint.case)).json() if r["id"] == entry.pk)
    assert row["legal_basis"] == "OSL 10 kap. 27 § (generalklausulen)"


def test_entry_share_refusals(joint, other_community):
    entry = joint.entries["police"]
    police = client_for(joint.users["police"])
    outside = police.post(url("case-entry-share", entry.pk), share_body(to="ny-start"), format="json")
    assert outside.status_code == 400 and outside.json()["code"] == "not_participant"
    no_consent = police.post(url("case-entry-share", entry.pk), share_body(basis="samtycke"), format="json")
    assert no_consent.status_code == 400 and no_consent.json()["code"] == "consent_required"
    # Kommun sees the police entry but is not its controller: it may not pass it on.
    not_owner = client_for(joint.users["kommun"]).post(
        url("case-entry-share", entry.pk), share_body(to="kriminalvarden"), format="json"
    )
    assert not_owner.status_code == 400 and not_owner.json()["code"] == "not_owner"
    # Probation cannot see it: 404, as if it did not exist.
    hidden = client_for(joint.users["probation"]).post(
        url("case-entry-share", entry.pk), share_body(to="orebro-kommun"), format="json"
    )
    assert hidden.status_code == 404
    assert not Share.objects.filter(object_id=entry.pk, to_agency__slug__in=["ny-start", "kriminalvarden"]).exists()


def test_entry_share_on_consent(joint):
    entry = joint.entries["police"]
    kommun, police, probation = (joint.agencies[n] for n in ("kommun", "police", "probation"))
    given = consent(joint.users["kommun"], joint.case.individual, [kommun, police, probation], categories=["threat"])
    response = client_for(joint.users["police"]).post(
        url("case-entry-share", entry.pk),
        share_body(to="kriminalvarden", basis="samtycke", consent=given.pk),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Share.objects.get(pk=response.json()["id"]).consent_id == given.pk


def test_case_entries_are_not_shared_through_the_generic_register(joint):
    """The register endpoint does not know that an entry may go only to the case's participants."""
    response = client_for(joint.users["police"]).post(
        url("share-list"),
        {"object_type": "case_entry", "object_id": joint.entries["police"].pk, "to_agency": "ny-start",
         "legal_basis": "osl-10-2", "assessment": "Behövs för samverkan."},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "object_type" in response.json()


# --- the access log --------------------------------------------------------------------------------------


def test_reads_are_logged(joint):
    kommun = client_for(joint.users["kommun"])
    before = last_log_id()
    rows = kommun.get(entries_url(joint.case)).json()
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.via) == ("list", "cases.caseentry", Via.API)
    assert sorted(entry.object_ids) == sorted(r["id"] for r in rows)
    # A lead can find the read by person.
    assert set(entry.targets.values_list("person_id", flat=True)) == {joint.case.individual_id}

    before = last_log_id()
    kommun.get(entry_url(joint.entries["police"]))
    assert new_log(before) == [("view", "cases.caseentry", [joint.entries["police"].pk])]


# --- query counts -----------------------------------------------------------------------------------------

# Per request, whatever the number of entries: session and user with the caller's membership and agency (2), the case
# through the gate (1), the visible entries (1), the legal bases of the foreign ones (1, only when there are any), the
# log entry and its targets (2; one statement on PostgreSQL), and the session save (3 inside the test transaction).
# A receiver's answer carries its provenance: one query more for a page or record received through a share
# (cases/disclosure.py; none when every row is the viewer's own).
PROVENANCE = 1
ENTRIES_QUERIES = {"postgresql": 9, "sqlite": 10}
ENTRY_QUERIES = {"postgresql": 7, "sqlite": 8}


@pytest.mark.parametrize("own,shared", [(1, 0), (0, 1), (1, 1), (25, 25)])
def test_entries_list_query_count_is_the_same_at_1_and_50_entries(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, own, shared
):
    from cases.tests.factories import IndividualFactory, exit_case

    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    case = exit_case(kommun_caseworker, person)
    services.case_join(
        case=case,
        to_agency=police,
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    for n in range(own):
        services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title=f"Egen {n}")
    for n in range(shared):
        entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title=f"Delad {n}")
        share(entry, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    client.get(entries_url(case))  # warm up: the gate caches permission ids per process
    expected = ENTRIES_QUERIES[connection.vendor] - (1 if shared == 0 else 0) + (PROVENANCE if shared else 0)
    with django_assert_num_queries(expected):
        response = client.get(entries_url(case))
    assert len(response.json()) == own + shared


def test_entry_detail_query_count(joint, django_assert_num_queries):
    client = client_for(joint.users["kommun"])
    client.get(entries_url(joint.case))
    for name in ("kommun", "police"):  # own, and shared with kommun
        with django_assert_num_queries(ENTRY_QUERIES[connection.vendor] + (PROVENANCE if name == "police" else 0)):
            assert client.get(entry_url(joint.entries[name])).status_code == 200
