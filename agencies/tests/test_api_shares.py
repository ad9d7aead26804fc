"""/api/v1/shares/: the disclosure register through the API.

A share row is visible to the agency that made it and the agency that received it, and to no one else.
Only the disclosing agency may revoke: the receiver gets 403 (it can see the row, so 404 would be a lie),
any other agency 404.
"""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, LegalBasis, Share, Via
from agencies.tests.factories import basis_for, legal_basis
from cases.models import IdentityDetailsGroupGrant, IndividualGroupGrant
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/shares/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def detail(record) -> str:
    return reverse("api:share-detail", args=[record.pk])


def revoke_url(record) -> str:
    return reverse("api:share-revoke", args=[record.pk])


def body(obj_id, *, object_type="individual", to="orebro-kommun", basis="osl-10-2", **extra) -> dict:
    return {
        "object_type": object_type,
        "object_id": obj_id,
        "to_agency": to,
        "level": "view",
        "legal_basis": basis,
        "assessment": "Behövs för samverkan.",
        **extra,
    }


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_log(after: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=after).order_by("id"))


def result_ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def shared(police, kommun, police_caseworker):
    """A police person shared with the kommun."""
    p = person(police, police_caseworker)
    return access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )


# --- anonymous ---------------------------------------------------------------------------------------------


def test_anonymous_gets_401_everywhere(shared):
    client = client_for()
    for response in (
        client.get(LIST),
        client.post(LIST, body(shared.object_id), format="json"),
        client.get(detail(shared)),
        client.post(revoke_url(shared), {"reason": "x"}, format="json"),
    ):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert Share.objects.get(pk=shared.pk).revoked_at is None


# --- create -----------------------------------------------------------------------------------------------


def test_owner_shares_a_person(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    expires = timezone.now() + timedelta(days=30)
    before = last_log_id()
    response = client_for(police_caseworker).post(
        LIST, body(p.pk, expires_at=expires.isoformat(), level="change"), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    record = Share.objects.get(pk=data["id"])
    assert response.headers["Location"] == data["url"]
    assert (data["object_type"], data["object_id"], data["from_agency"], data["to_agency"]) == (
        "individual",
        p.pk,
        "polisen",
        "orebro-kommun",
    )
    assert (data["level"], data["legal_basis"], data["is_active"], data["revoked_at"]) == (
        "change",
        "osl-10-2",
        True,
        None,
    )
    assert record.decided_by == police_caseworker and record.expires_at == expires
    assert IndividualGroupGrant.objects.filter(content_object=p, group=kommun.group).count() == 2  # view + change
    [entry] = new_log(before)
    assert (entry.action, entry.model, entry.object_ids, entry.via) == ("share", "cases.individual", [p.pk], Via.API)
    assert entry.detail["to_agency"] == "orebro-kommun" and entry.detail["legal_basis"] == "osl-10-2"
    assert client_for(kommun_caseworker).get(reverse("api:individual-detail", args=[p.pk])).status_code == 200


def test_identity_needs_a_lead(police, kommun, police_caseworker, police_lead, kommun_caseworker):
    p = person(police, police_caseworker)
    IdentityDetailsFactory(individual=p)
    refused = client_for(police_caseworker).post(LIST, body(p.pk, object_type="identity"), format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "lead_required" and "chef" in refused.json()["detail"]
    assert not IdentityDetailsGroupGrant.objects.exists()
    accepted = client_for(police_lead).post(LIST, body(p.pk, object_type="identity"), format="json")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["object_type"] == "identity"
    # The identity is shared, the person not: the identity endpoint still needs the person to be visible.
    kommun_client = client_for(kommun_caseworker)
    assert kommun_client.get(reverse("api:individual-identity", args=[p.pk])).status_code == 404
    client_for(police_caseworker).post(LIST, body(p.pk), format="json")
    assert kommun_client.get(reverse("api:individual-identity", args=[p.pk])).status_code == 200


def test_invisible_object_is_404_like_a_missing_one(police, kommun, police_caseworker, outsider, police_lead):
    p = person(police, police_caseworker)
    IdentityDetailsFactory(individual=p)
    bare = person(police, police_caseworker)
    client = client_for(outsider)
    hidden = client.post(LIST, body(p.pk, to="polisen"), format="json")
    missing = client.post(LIST, body(p.pk + 1000, to="polisen"), format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.post(LIST, body(p.pk, object_type="identity", to="polisen"), format="json").status_code == 404
    # Identity details that do not exist cannot be shared, not even by the owner.
    assert client_for(police_lead).post(LIST, body(bare.pk, object_type="identity"), format="json").status_code == 404
    assert not Share.objects.exists()


def test_receiver_may_not_pass_a_share_on(shared, kommun_caseworker, community):
    response = client_for(kommun_caseworker).post(LIST, body(shared.object_id, to="trygga-vagar"), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "not_owner"
    assert Share.objects.count() == 1


@pytest.mark.parametrize(
    "changes,field_or_code",
    [
        ({"legal_basis": None, "assessment": "Behövs för samverkan."}, "legal_basis"),
        ({"legal_basis": "finns-inte", "assessment": "Behövs för samverkan."}, "legal_basis"),
        ({"to_agency": "finns-inte"}, "to_agency"),
        ({"object_type": "finns-inte"}, "object_type"),
        ({"level": "owner"}, "level"),
        ({"to_agency": "polisen"}, "own_agency"),
        ({"legal_basis": "samtycke", "assessment": "Behövs för samverkan."}, "consent_required"),
        ({"expires_at": "2000-01-01T00:00:00Z"}, "expiry_in_past"),
    ],
)
def test_refused_shares_give_400_with_a_swedish_reason(police, kommun, police_caseworker, changes, field_or_code):
    p = person(police, police_caseworker)
    data = body(p.pk)
    data.update(changes)
    if data["legal_basis"] is None:
        del data["legal_basis"]
    response = client_for(police_caseworker).post(LIST, data, format="json")
    assert response.status_code == 400
    error = response.json()
    if "code" in error:
        assert error["code"] == field_or_code and error["detail"]
    else:
        assert list(error) == [field_or_code]
    assert not Share.objects.exists() and not IndividualGroupGrant.objects.exists()


def test_inactive_legal_basis_is_refused(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    LegalBasis.objects.filter(code="osl-10-27").update(active=False)
    response = client_for(police_caseworker).post(LIST, body(p.pk, basis="osl-10-27"), format="json")
    assert response.status_code == 400 and response.json()["code"] == "legal_basis_inactive"


# --- list and detail ----------------------------------------------------------------------------------------


def test_list_shows_made_and_received_only(
    police, kommun, probation, police_caseworker, kommun_caseworker, probation_caseworker, outsider
):
    made = access.share(
        person(police, police_caseworker),
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    received = access.share(
        person(kommun, kommun_caseworker),
        to_agency=police,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    elsewhere = access.share(
        person(kommun, kommun_caseworker),
        to_agency=probation,
        level="view",
        legal_basis=basis_for(probation),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )

    police_client = client_for(police_caseworker)
    assert result_ids(police_client.get(LIST)) == [received.pk, made.pk]
    assert result_ids(police_client.get(LIST, {"direction": "made"})) == [made.pk]
    assert result_ids(police_client.get(LIST, {"direction": "received"})) == [received.pk]
    assert result_ids(client_for(kommun_caseworker).get(LIST)) == [elsewhere.pk, received.pk, made.pk]
    assert result_ids(client_for(probation_caseworker).get(LIST)) == [elsewhere.pk]
    assert result_ids(client_for(outsider).get(LIST)) == []

    assert police_client.get(detail(made)).status_code == 200
    assert police_client.get(detail(received)).json()["from_agency"] == "orebro-kommun"
    assert police_client.get(detail(elsewhere)).status_code == 404
    for record in (made, received, elsewhere):
        assert client_for(outsider).get(detail(record)).status_code == 404
    assert police_client.get(LIST, {"direction": "sideways"}).status_code == 400


def test_list_active_filter_and_object_filter(police, kommun, police_caseworker):
    p, q = person(police, police_caseworker), person(police, police_caseworker)
    live = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    ended = access.share(
        q,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    access.revoke(ended, acting_user=police_caseworker, reason="Klart")
    client = client_for(police_caseworker)
    assert result_ids(client.get(LIST, {"active": "true"})) == [live.pk]
    assert result_ids(client.get(LIST, {"active": "false"})) == [ended.pk]
    assert result_ids(client.get(LIST, {"object_type": "individual", "object_id": q.pk})) == [ended.pk]
    assert result_ids(client.get(LIST, {"object_type": "identity"})) == []
    assert client.get(detail(ended)).json()["is_active"] is False


def test_list_is_paginated_newest_first(police, kommun, police_caseworker):
    records = [
        access.share(
            person(police, police_caseworker),
            to_agency=kommun,
            level="view",
            legal_basis=basis_for(kommun),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
        for _ in range(5)
    ]
    client = client_for(police_caseworker)
    first = client.get(LIST + "?" + urlencode({"page_size": 3})).json()
    assert [r["id"] for r in first["results"]] == [r.pk for r in reversed(records)][:3]
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [r.pk for r in reversed(records)][3:]


# --- revoke -----------------------------------------------------------------------------------------------


def test_disclosing_agency_revokes_and_access_ends_at_once(shared, police, police_caseworker, kommun_caseworker):
    person_url = reverse("api:individual-detail", args=[shared.object_id])
    receiver = client_for(kommun_caseworker)
    assert receiver.get(person_url).status_code == 200
    before = last_log_id()
    response = client_for(police_caseworker).post(
        revoke_url(shared), {"reason": " Ändamålet har upphört "}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_active"] is False and response.json()["revoke_reason"] == "Ändamålet har upphört"
    assert receiver.get(person_url).status_code == 404
    assert not IndividualGroupGrant.objects.exists()
    [entry] = new_log(before)
    assert (entry.action, entry.object_ids, entry.agency_id, entry.via) == (
        "revoke",
        [shared.object_id],
        police.pk,
        Via.API,
    )
    # Twice is refused, with a reason.
    again = client_for(police_caseworker).post(revoke_url(shared), {"reason": "igen"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_revoked"


def test_receiver_gets_403_and_others_404_on_revoke(shared, kommun_caseworker, outsider, probation_caseworker):
    refused = client_for(kommun_caseworker).post(revoke_url(shared), {"reason": "Vill inte ha"}, format="json")
    assert refused.status_code == 403
    assert "Endast myndigheten som delade" in refused.json()["detail"]
    for user in (outsider, probation_caseworker):
        assert client_for(user).post(revoke_url(shared), {"reason": "x"}, format="json").status_code == 404
    assert Share.objects.get(pk=shared.pk).revoked_at is None
    assert (
        client_for(kommun_caseworker).get(reverse("api:individual-detail", args=[shared.object_id])).status_code == 200
    )


def test_revoke_needs_a_reason(shared, police_caseworker):
    for payload in ({}, {"reason": ""}, {"reason": "   "}):
        response = client_for(police_caseworker).post(revoke_url(shared), payload, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
    assert Share.objects.get(pk=shared.pk).revoked_at is None


# --- query count ---------------------------------------------------------------------------------------------

# POST /api/v1/shares/ end to end, session signed in: the session and the user with its membership and agency (2);
# the receiving agency and the legal basis the input names (2); the record through the gate (1); the share
# itself (access.share: the register row, the active shares of the pair, the grants in one upsert, the log
# entry with its targets: 4 on PostgreSQL, 5 on SQLite); the row read back for the answer (1); the session saved
# (1): 11 statements on PostgreSQL, 12 on SQLite. In a test's transaction the share's and the session save's
# atomic blocks each add a savepoint and its release (4), which production does not run as statements.
SHARE_CREATE_QUERIES = {"postgresql": 15, "sqlite": 16}


def test_creating_a_share_over_the_api_has_a_pinned_query_count(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries
):
    first, second = person(police, police_caseworker), person(police, police_caseworker)
    client = client_for(police_caseworker)
    assert client.post(LIST, body(first.pk), format="json").status_code == 201  # warm the process caches
    with django_assert_num_queries(SHARE_CREATE_QUERIES[connection.vendor]):
        response = client.post(LIST, body(second.pk), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["to_agency"] == "orebro-kommun"
    assert access.can(kommun_caseworker, second) and not access.can(
        kommun_caseworker, person(police, police_caseworker)
    )
