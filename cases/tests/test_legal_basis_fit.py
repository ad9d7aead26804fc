"""Legal bases that know where they apply (docs/access-model.md, "Legal bases").

The matrix sender kind × receiver kind × basis × record kind, through the service, the share dialog and the
API. The expected answer is written out here from the table in the docs, independently of
agencies/reference_data.py, so a loosened row in the reference data fails these tests.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry, Action, LegalBasis, Share
from agencies.tests.factories import UserFactory

from . import factories

pytestmark = pytest.mark.django_db

KINDS = ("police", "probation", "municipality", "community")
AUTHORITIES = {"police", "probation", "municipality"}
ASSESSMENT = "Mottagaren behöver uppgiften för att planera stödet; personens intresse väger inte tyngre."

# The table in docs/access-model.md: basis -> (sender kinds, receiver kinds). Consent is tested on its own.
TABLE = {
    "osl-10-2": (AUTHORITIES, AUTHORITIES),
    "osl-10-18a": ({"municipality"}, {"police"}),
    "osl-10-27": ({"police", "probation"}, AUTHORITIES),
    "osl-10-28": (AUTHORITIES, AUTHORITIES),
    "ej-sekretess": (AUTHORITIES, set(KINDS)),
}
# Record kinds: a young person (under 21 by birth year), an older person, a group (about no person).
RECORDS = ("young_person", "older_person", "group")


def expected(code: str, sender: str, receiver: str, record: str) -> bool:
    senders, receivers = TABLE[code]
    if sender not in senders or receiver not in receivers:
        return False
    if code == "osl-10-18a":
        return record == "young_person"
    return True


@pytest.fixture
def agencies(police, probation, kommun, community):
    return {"police": police, "probation": probation, "municipality": kommun, "community": community}


@pytest.fixture
def users(agencies):
    return {kind: UserFactory(username=f"matris.{kind}", agency=agency) for kind, agency in agencies.items()}


def make_record(record: str, user):
    year = timezone.localdate().year
    if record == "young_person":
        return factories.IndividualFactory(owner_agency=user.membership.agency, created_by=user, birth_year=year - 19)
    if record == "older_person":
        return factories.IndividualFactory(owner_agency=user.membership.agency, created_by=user, birth_year=year - 21)
    return factories.group(user.membership.agency, user)


def basis(code: str) -> LegalBasis:
    return LegalBasis.objects.get(code=code)


CASES = [
    (code, sender, receiver, record)
    for code in TABLE
    for sender in KINDS
    for receiver in KINDS
    if receiver != sender
    for record in RECORDS
]


@pytest.mark.parametrize("code,sender,receiver,record", CASES)
def test_the_service_allows_exactly_the_table(code, sender, receiver, record, agencies, users):
    obj = make_record(record, users[sender])
    share = lambda: access.share(  # noqa: E731
        obj,
        to_agency=agencies[receiver],
        level="view",
        legal_basis=basis(code),
        assessment=ASSESSMENT,
        acting_user=users[sender],
    )
    if expected(code, sender, receiver, record):
        assert share().legal_basis.code == code
        assert access.agency_sees(agencies[receiver], obj)
    else:
        with pytest.raises(ApplicationError) as refused:
            share()
        assert refused.value.code == "legal_basis_not_fitting"
        assert basis(code).name in refused.value.message and "kan inte användas här" in refused.value.message
        assert not Share.objects.exists() and not access.agency_sees(agencies[receiver], obj)


def offered_bases(html: str) -> set[str]:
    """The legal bases the dialog offers, by code (its radio buttons carry the pk)."""
    pks = {int(pk) for pk in re.findall(r'name="legal_basis" value="(\d+)"', html)}
    return set(LegalBasis.objects.filter(pk__in=pks).values_list("code", flat=True))


@pytest.mark.parametrize("sender", KINDS)
@pytest.mark.parametrize("record", RECORDS)
def test_the_dialog_offers_exactly_the_fitting_bases_and_says_why_others_are_missing(
    client, sender, record, agencies, users
):
    obj = make_record(record, users[sender])
    url = f"/personer/{obj.pk}/dela/" if record != "group" else f"/grupperingar/{obj.pk}/dela/"
    client.force_login(users[sender])
    for receiver in KINDS:
        if receiver == sender:
            continue
        page = client.get(url, {"to_agency": agencies[receiver].pk}).content.decode()
        want = {code for code in TABLE if expected(code, sender, receiver, record)}
        assert offered_bases(page) == want, (sender, receiver, record)
        for code in set(TABLE) - want:
            # One line per missing basis, with its reason.
            assert re.search(rf"<li>{re.escape(basis(code).name)}: [^<]+</li>", page), (code, sender, receiver)


@pytest.mark.parametrize("code,sender,receiver,record", [c for c in CASES if c[3] != "group"][::3])
def test_the_dialog_refuses_a_basis_that_does_not_fit(client, code, sender, receiver, record, agencies, users):
    obj = make_record(record, users[sender])
    client.force_login(users[sender])
    response = client.post(
        f"/personer/{obj.pk}/dela/",
        {
            "what": "individual",
            "to_agency": agencies[receiver].pk,
            "level": "view",
            "legal_basis": basis(code).pk,
            "assessment": ASSESSMENT,
        },
    )
    if expected(code, sender, receiver, record):
        assert response.status_code == 302
        assert Share.objects.get().legal_basis.code == code
    else:
        assert response.status_code == 200
        assert "Välj en rättslig grund som används." in response.content.decode()
        assert not Share.objects.exists()


@pytest.mark.parametrize("code,sender,receiver,record", CASES[::2])
def test_the_api_refuses_a_basis_that_does_not_fit_with_a_swedish_400(code, sender, receiver, record, agencies, users):
    obj = make_record(record, users[sender])
    api = APIClient()
    api.force_login(users[sender])
    body = {
        "object_type": "group" if record == "group" else "individual",
        "object_id": obj.pk,
        "to_agency": agencies[receiver].slug,
        "legal_basis": code,
        "assessment": ASSESSMENT,
    }
    offered = api.get("/api/v1/shares/bases/", {k: body[k] for k in ("object_type", "object_id", "to_agency")})
    assert offered.status_code == 200
    fitting = {row["code"] for row in offered.json()["fitting"]}
    assert (code in fitting) == expected(code, sender, receiver, record)
    missing = {row["code"]: row["reason"] for row in offered.json()["missing"]}
    assert set(missing) | fitting >= set(TABLE) and all(missing.values())

    response = api.post("/api/v1/shares/", body, format="json")
    if expected(code, sender, receiver, record):
        assert response.status_code == 201, response.json()
        assert response.json()["assessment"] == ASSESSMENT
    else:
        assert response.status_code == 400
        assert response.json()["code"] == "legal_basis_not_fitting"
        assert "kan inte användas här" in response.json()["detail"]
        assert not Share.objects.exists()


def test_the_api_bases_endpoint_answers_404_for_a_record_of_another_agency(users):
    obj = make_record("older_person", users["police"])
    api = APIClient()
    api.force_login(users["municipality"])
    response = api.get("/api/v1/shares/bases/", {"object_type": "individual", "object_id": obj.pk})
    assert response.status_code == 404


# --- community associations: consent both ways, never an OSL provision ------------------------------------


def test_a_community_association_neither_sends_nor_receives_on_an_osl_provision(agencies, users):
    to_community = make_record("older_person", users["municipality"])
    from_community = make_record("older_person", users["community"])
    for code in ("osl-10-2", "osl-10-18a", "osl-10-27", "osl-10-28"):
        for obj, sender, receiver in (
            (to_community, "municipality", "community"),
            (from_community, "community", "police"),
        ):
            with pytest.raises(ApplicationError) as refused:
                access.share(
                    obj,
                    to_agency=agencies[receiver],
                    level="view",
                    legal_basis=basis(code),
                    assessment=ASSESSMENT,
                    acting_user=users[sender],
                )
            assert refused.value.code == "legal_basis_not_fitting"
            assert "civilsamhället omfattas inte av OSL" in refused.value.message
    assert not Share.objects.exists()


@pytest.mark.parametrize("sender,receiver", [("municipality", "community"), ("community", "police")])
def test_consent_works_both_ways_for_an_association(sender, receiver, agencies, users):
    person = make_record("older_person", users[sender])
    given = factories.consent(users[sender], person, [agencies[sender], agencies[receiver]], categories=["person"])
    record = access.share(
        person,
        to_agency=agencies[receiver],
        level="view",
        legal_basis=basis("samtycke"),
        consent=given,
        acting_user=users[sender],
    )
    assert record.consent == given and access.agency_sees(agencies[receiver], person)


def test_the_dialog_links_to_registering_a_consent_when_none_covers(client, agencies, users):
    person = make_record("older_person", users["municipality"])
    client.force_login(users["municipality"])
    page = client.get(f"/personer/{person.pk}/dela/", {"to_agency": agencies["community"].pk}).content.decode()
    assert offered_bases(page) == {"ej-sekretess"}
    assert "Samtycke: inget giltigt samtycke täcker mottagaren och uppgiften" in page
    assert f'href="/samtycken/person/{person.pk}/ny/"' in page

    factories.consent(
        users["municipality"], person, [agencies["municipality"], agencies["community"]], categories=["person"]
    )
    page = client.get(f"/personer/{person.pk}/dela/", {"to_agency": agencies["community"].pk}).content.decode()
    assert offered_bases(page) == {"ej-sekretess", "samtycke"}
    assert "/samtycken/person/" not in page


# --- written assessments ------------------------------------------------------------------------------


def test_a_basis_that_needs_an_assessment_is_refused_without_one(agencies, users):
    person = make_record("older_person", users["police"])
    for blank in ("", "   "):
        with pytest.raises(ApplicationError) as refused:
            access.share(
                person,
                to_agency=agencies["municipality"],
                level="view",
                legal_basis=basis("osl-10-27"),
                assessment=blank,
                acting_user=users["police"],
            )
        assert refused.value.code == "assessment_required"
        assert "kräver en skriftlig bedömning" in refused.value.message
    assert not Share.objects.exists()


def test_the_dialog_and_the_api_refuse_a_missing_assessment(client, agencies, users):
    person = make_record("older_person", users["police"])
    client.force_login(users["police"])
    data = {"what": "individual", "to_agency": agencies["municipality"].pk, "level": "view"}
    response = client.post(f"/personer/{person.pk}/dela/", {**data, "legal_basis": basis("osl-10-27").pk})
    assert "OSL 10 kap. 27 § (generalklausulen) kräver en skriftlig bedömning" in response.content.decode()
    api = APIClient()
    api.force_login(users["police"])
    body = {
        "object_type": "individual",
        "object_id": person.pk,
        "to_agency": "orebro-kommun",
        "legal_basis": "osl-10-2",
    }
    refused = api.post("/api/v1/shares/", body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "assessment_required"
    assert not Share.objects.exists()


def test_the_assessment_is_in_the_register_the_log_and_the_api(client, agencies, users, police_lead):
    person = make_record("older_person", users["police"])
    client.force_login(users["police"])
    response = client.post(
        f"/personer/{person.pk}/dela/",
        {
            "what": "individual",
            "to_agency": agencies["municipality"].pk,
            "level": "view",
            "legal_basis": basis("osl-10-27").pk,
            "assessment": ASSESSMENT,
        },
    )
    assert response.status_code == 302
    record = Share.objects.get()
    assert record.assessment == ASSESSMENT
    # The owner's register (the person's page and the dialog).
    assert ASSESSMENT in client.get(f"/personer/{person.pk}/dela/").content.decode()
    assert ASSESSMENT in client.get(f"/personer/{person.pk}/").content.decode()
    # The lead's access log.
    entry = AccessLogEntry.objects.get(action=Action.SHARE)
    assert entry.detail["assessment"] == ASSESSMENT
    client.force_login(police_lead)
    assert ASSESSMENT in client.get("/atkomstlogg/").content.decode()
    # The API, for the disclosing and the receiving agency.
    for user in (users["police"], users["municipality"]):
        api = APIClient()
        api.force_login(user)
        assert api.get(f"/api/v1/shares/{record.pk}/").json()["assessment"] == ASSESSMENT


def test_the_age_rule_reads_the_birth_year_conservatively(agencies, users):
    year = timezone.localdate().year
    for age, fits in ((19, True), (20, True), (21, False), (None, False)):
        person = factories.IndividualFactory(
            owner_agency=agencies["municipality"],
            created_by=users["municipality"],
            birth_year=None if age is None else year - age,
        )
        kwargs = dict(
            to_agency=agencies["police"],
            level="view",
            legal_basis=basis("osl-10-18a"),
            assessment=ASSESSMENT,
            acting_user=users["municipality"],
        )
        if fits:
            assert access.share(person, **kwargs).legal_basis.code == "osl-10-18a"
        else:
            with pytest.raises(ApplicationError, match="under 21 år"):
                access.share(person, **kwargs)
