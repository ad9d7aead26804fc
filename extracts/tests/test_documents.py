"""The two files: the PDF opens and reads back with the expected fields (pypdf), the JSON's shape is pinned."""

import io

from pypdf import PdfReader

from .helpers import document, ordered

# The JSON file's shape: every key at every level, so a change to what leaves the portal is a change to this test.
TOP = {"format", "version", "extract", "person", "identity", "memberships", "incidents", "exit_cases", "consents",
       "invitations", "notifications", "disclosures"}  # fmt: skip
EXTRACT = {"id", "agency", "ordered_by", "ordered_at", "produced_at"}
PERSON = {"id", "alias", "birth_year", "district", "owner_agency", "created_at", "updated_at", "notes"}
IDENTITY = {"personnummer", "full_name", "address", "phone", "owner_agency", "updated_at"}
MEMBERSHIP = {"id", "group", "role", "status", "valid_from", "valid_to", "source_type", "evidence", "confidence",
              "review_due", "ended_at", "end_reason", "owner_agency"}  # fmt: skip
INVOLVEMENT = {"id", "role", "notes", "owner_agency", "incident"}
INCIDENT = {"id", "kind", "occurred_at", "district", "place", "owner_agency"}
CASE = {"id", "phase", "outcome", "lead_agency", "opened_on", "closed_on", "summary", "owner_agency", "entries"}
ENTRY = {"id", "kind", "occurred_on", "title", "body", "needs", "intervention_category", "provider", "starts_on",
         "ends_on", "intervention_status"}  # fmt: skip
CONSENT = {"id", "agencies", "categories", "purpose", "given_on", "valid_until", "document_reference", "withdrawn_at",
           "owner_agency"}  # fmt: skip
NOTIFICATION = {"id", "delivered_on", "place_type", "message_delivered", "offer_made", "offer_accepted", "outcome",
                "follow_up_on", "owner_agency", "legal_risk"}  # fmt: skip
DISCLOSURE = {"record", "record_id", "from_agency", "to_agency", "level", "legal_basis", "assessment", "decided_at",
              "expires_at", "revoked_at"}  # fmt: skip


def test_the_json_shape_is_pinned(holdings, police_caseworker, django_capture_on_commit_callbacks):
    data = document(ordered(police_caseworker, holdings.person, django_capture_on_commit_callbacks))
    assert set(data) == TOP
    assert (data["format"], data["version"]) == ("gvi-portal/registerutdrag", 1)
    assert set(data["extract"]) == EXTRACT
    assert data["extract"]["agency"] == "Polisen Region Bergslagen"
    assert set(data["person"]) == PERSON
    assert set(data["identity"]) == IDENTITY
    assert [set(m) for m in data["memberships"]] == [MEMBERSHIP]
    assert [set(i) for i in data["incidents"]] == [INVOLVEMENT]
    assert set(data["incidents"][0]["incident"]) == INCIDENT
    assert [set(c) for c in data["exit_cases"]] == [CASE]
    assert [set(e) for e in data["exit_cases"][0]["entries"]] == [ENTRY]
    assert [set(c) for c in data["consents"]] == [CONSENT]
    assert [set(n) for n in data["notifications"]] == [NOTIFICATION]
    assert data["invitations"] == []
    assert set(data["disclosures"]) == {"made", "received"}
    assert {frozenset(r) for r in data["disclosures"]["made"] + data["disclosures"]["received"]} == {
        frozenset(DISCLOSURE)
    }
    # Dates are ISO 8601, moments in the portal's time zone with its offset.
    assert data["disclosures"]["made"][0]["decided_at"].endswith("+01:00")


def test_the_pdf_opens_and_holds_the_expected_fields(holdings, police_caseworker, django_capture_on_commit_callbacks):
    extract = ordered(police_caseworker, holdings.person, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(bytes(extract.pdf)))
    assert len(reader.pages) >= 1
    assert reader.metadata is not None and reader.metadata.title == "Registerutdrag"
    text = " ".join(page.extract_text() for page in reader.pages)
    squeezed = " ".join(text.split())
    for expected in (
        "Registerutdrag",
        "artikel 15",
        "Polisen Region Bergslagen",
        "Åke Ö",  # å, ä, ö come out as themselves
        "Åke Östlund",
        "200001012384",
        "Polisens arbetsanteckning",
        "Söderligan",
        "Misstänkt",  # a code shown as its label
        "Vill lämna gruppen.",
        "Polisens iakttagelse",
        "Risk för repressalier.",
        "Utlämnanden som myndigheten har gjort",
        "Örebro kommun",
        "2026-03-03 09:00",  # the ended share's end, in local time
        "Uppgifter som myndigheten har tagit emot",
    ):
        assert expected in squeezed, expected
    # The municipality's entry is not the police's to show.
    assert "Kommunens samtal" not in squeezed
