"""The extract holds all and only what the ordering agency holds and may see, and its disclosure register."""

from extracts.models import RegisterExtract

from .helpers import document, ordered


def test_the_municipality_gets_what_it_holds_and_nothing_else(
    holdings, kommun_caseworker, django_capture_on_commit_callbacks
):
    extract = ordered(kommun_caseworker, holdings.person, django_capture_on_commit_callbacks)
    assert extract.status == RegisterExtract.Status.DONE
    data = document(extract)

    # The person as shared with it: without the police's working notes.
    assert data["person"]["alias"] == "Åke Ö"
    assert data["person"]["owner_agency"] == "Polisen Region Bergslagen"
    assert data["person"]["notes"] is None
    # Not shared: identity, incident involvement, notification. Ended: the membership.
    assert data["identity"] is None
    assert data["memberships"] == []
    assert data["incidents"] == []
    assert data["notifications"] == []
    assert data["invitations"] == []
    # Its own case, with its own entry only — not the police's entry, though that was shared with it.
    (case,) = data["exit_cases"]
    assert case["id"] == holdings.case.pk
    assert [e["title"] for e in case["entries"]] == ["Kommunens samtal"]
    assert [c["id"] for c in data["consents"]] == [holdings.consent.pk]

    made = {(row["record"], row["record_id"], row["to_agency"]) for row in data["disclosures"]["made"]}
    assert made == {
        ("cases.exitcase", holdings.case.pk, "Polisen Region Bergslagen"),
        ("cases.consent", holdings.consent.pk, "Polisen Region Bergslagen"),
    }
    received = data["disclosures"]["received"]
    assert [(r["record"], r["record_id"], r["from_agency"]) for r in received] == [
        ("cases.individual", holdings.person.pk, "Polisen Region Bergslagen")
    ]
    assert received[0]["legal_basis"] and received[0]["expires_at"] is None
    # Nothing of what it no longer holds or never held appears anywhere in the file.
    text = bytes(extract.json).decode()
    for secret in ("Polisens arbetsanteckning", "200001012384", "Söderligan", "Risk för repressalier",
                   "Polisens iakttagelse", "Sågs lämna platsen"):  # fmt: skip
        assert secret not in text


def test_the_police_get_their_own_records_what_was_shared_to_them_and_every_disclosure(
    holdings, police_caseworker, django_capture_on_commit_callbacks
):
    extract = ordered(police_caseworker, holdings.person, django_capture_on_commit_callbacks)
    data = document(extract)

    assert data["person"]["notes"] == "Polisens arbetsanteckning"
    assert data["identity"]["personnummer"] == "200001012384"
    assert data["identity"]["full_name"] == "Åke Östlund"
    assert [(m["group"], m["role"]) for m in data["memberships"]] == [("Söderligan", "core")]
    (involvement,) = data["incidents"]
    assert involvement["role"] == "suspect" and involvement["incident"]["place"] == "Vivallatorget (fiktivt)"
    (notification,) = data["notifications"]
    assert notification["legal_risk"] == {"text": "Risk för repressalier."}
    # The case header was shared with the police by the municipality; only the police's own entry comes with it.
    (case,) = data["exit_cases"]
    assert case["owner_agency"] == "Örebro kommun"
    assert [e["title"] for e in case["entries"]] == ["Polisens iakttagelse"]
    assert [c["id"] for c in data["consents"]] == [holdings.consent.pk]

    made = {(r["record"], r["record_id"]): r for r in data["disclosures"]["made"]}
    assert set(made) == {
        ("cases.individual", holdings.person.pk),
        ("cases.groupmembership", holdings.membership.pk),
        ("cases.caseentry", holdings.police_entry.pk),
    }
    # The ended share stays in the register, with the day it ended.
    ended = made[("cases.groupmembership", holdings.membership.pk)]
    assert ended["to_agency"] == "Örebro kommun"
    assert ended["expires_at"] == "2026-03-03T09:00:00+01:00"
    assert ended["assessment"] == "Behövs för samverkan."
    received = {(r["record"], r["record_id"]) for r in data["disclosures"]["received"]}
    assert received == {("cases.exitcase", holdings.case.pk), ("cases.consent", holdings.consent.pk)}
