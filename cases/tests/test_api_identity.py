"""/api/v1/individuals/{id}/identity/: identity details are their own protected record.

Sharing a person never discloses who they are; the details answer 404 until a lead shares them separately,
and "not shared" cannot be told apart from "not recorded".
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Via
from agencies.tests.factories import basis_for
from cases.models import IdentityDetails
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db

PNR = "198507099805"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def share(obj, *, to, by, level="view"):
    return access.share(
        obj, to_agency=to, level=level, legal_basis=basis_for(to), assessment="Behövs för samverkan.", acting_user=by
    )


def url(p) -> str:
    return reverse("api:individual-identity", args=[p.pk])


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_log(after: int) -> list[tuple]:
    return [(e.action, e.model, e.object_ids) for e in AccessLogEntry.objects.filter(pk__gt=after).order_by("id")]


@pytest.fixture
def recorded(police, police_caseworker):
    """A police person with identity details."""
    p = person(police, police_caseworker, alias="Med Id")
    IdentityDetailsFactory(
        individual=p, personnummer=PNR, full_name="Anna Andersson", address="Storgatan 1", phone="070-1234567"
    )
    return p


# --- who sees what ---------------------------------------------------------------------------------------


def test_owner_reads_identity_and_the_read_is_logged(recorded, police_caseworker):
    before = last_log_id()
    response = client_for(police_caseworker).get(url(recorded))
    assert response.status_code == 200
    body = response.json()
    assert (body["individual"], body["personnummer"], body["full_name"], body["owner_agency"], body["version"]) == (
        recorded.pk,
        PNR,
        "Anna Andersson",
        "polisen",
        1,
    )
    assert body["url"].endswith(url(recorded))
    # One entry: the identity details were read (checking the person's visibility is not a read of it).
    assert new_log(before) == [("view", "cases.identitydetails", [recorded.pk])]
    assert AccessLogEntry.objects.get(pk__gt=before).via == Via.API


def test_other_agency_gets_404(recorded, outsider):
    client = client_for(outsider)
    assert client.get(url(recorded)).status_code == 404
    assert client.put(url(recorded), {"full_name": "X"}, format="json").status_code == 404
    assert client.patch(url(recorded), {"full_name": "X", "version": 1}, format="json").status_code == 404
    assert IdentityDetails.objects.get(pk=recorded.pk).full_name == "Anna Andersson"


def test_shared_person_without_shared_identity_is_404_like_no_identity(
    police, kommun, police_caseworker, kommun_caseworker, recorded
):
    bare = person(police, police_caseworker, alias="Utan Id")
    share(recorded, to=kommun, by=police_caseworker)
    share(bare, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    before = last_log_id()
    hidden, absent = client.get(url(recorded)), client.get(url(bare))
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json() == absent.json()
    # Writing is refused the same way: a receiver cannot probe for, or plant, identity details.
    for p in (recorded, bare):
        assert client.put(url(p), {"full_name": "Planterad"}, format="json").status_code == 404
        assert client.patch(url(p), {"full_name": "Planterad", "version": 1}, format="json").status_code == 404
    assert not IdentityDetails.objects.filter(pk=bare.pk).exists()
    assert new_log(before) == []


def test_identity_visible_once_a_lead_shares_it(
    police, kommun, police_caseworker, police_lead, kommun_caseworker, recorded
):
    share(recorded, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    assert client.get(url(recorded)).status_code == 404
    share(IdentityDetails.objects.get(pk=recorded.pk), to=kommun, by=police_lead)
    response = client.get(url(recorded))
    assert response.status_code == 200 and response.json()["personnummer"] == PNR
    # And now the personnummer finds the person in the receiver's search.
    found = client.get(reverse("api:individual-list"), {"q": "850709-9805"}).json()["results"]
    assert [row["id"] for row in found] == [recorded.pk]
    # A view share is not a change share.
    response = client.patch(url(recorded), {"phone": "1", "version": 1}, format="json")
    assert response.status_code == 403
    assert IdentityDetails.objects.get(pk=recorded.pk).phone == "070-1234567"


def test_identity_shared_without_the_person_is_still_404(police, kommun, police_lead, kommun_caseworker, recorded):
    # The identity endpoint hangs under the person: the person must be visible too.
    share(IdentityDetails.objects.get(pk=recorded.pk), to=kommun, by=police_lead)
    assert client_for(kommun_caseworker).get(url(recorded)).status_code == 404


def test_revoking_the_identity_share_hides_it_at_once(
    police, kommun, police_caseworker, police_lead, kommun_caseworker, recorded
):
    share(recorded, to=kommun, by=police_caseworker)
    record = share(IdentityDetails.objects.get(pk=recorded.pk), to=kommun, by=police_lead)
    client = client_for(kommun_caseworker)
    assert client.get(url(recorded)).status_code == 200
    access.revoke(record, acting_user=police_lead, reason="Behovet har upphört")
    assert client.get(url(recorded)).status_code == 404
    assert client.get(reverse("api:individual-detail", args=[recorded.pk])).status_code == 200


def test_change_share_on_identity_allows_update(
    police, kommun, police_caseworker, police_lead, kommun_caseworker, recorded
):
    share(recorded, to=kommun, by=police_caseworker)
    share(IdentityDetails.objects.get(pk=recorded.pk), to=kommun, by=police_lead, level="change")
    before = last_log_id()
    response = client_for(kommun_caseworker).patch(url(recorded), {"address": "Ny väg 2", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["address"], response.json()["full_name"], response.json()["version"]) == (
        "Ny väg 2",
        "Anna Andersson",
        2,
    )
    assert new_log(before) == [("change", "cases.identitydetails", [recorded.pk])]
    assert AccessLogEntry.objects.get(pk__gt=before).agency_id == kommun.pk


# --- writing ---------------------------------------------------------------------------------------------


def test_owner_creates_identity_with_normalised_personnummer(police, police_caseworker):
    p = person(police, police_caseworker)
    client = client_for(police_caseworker)
    assert client.get(url(p)).status_code == 404
    before = last_log_id()
    response = client.put(url(p), {"personnummer": "850709-9805", "full_name": "Bo Ek"}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["personnummer"], response.json()["full_name"], response.json()["address"]) == (
        PNR,
        "Bo Ek",
        "",
    )
    identity = IdentityDetails.objects.get(pk=p.pk)
    assert (identity.personnummer, identity.owner_agency_id) == (PNR, police.pk)
    assert new_log(before) == [("create", "cases.identitydetails", [p.pk])]
    assert client.get(url(p)).status_code == 200


def test_samordningsnummer_is_accepted(police, police_caseworker):
    p = person(police, police_caseworker)
    response = client_for(police_caseworker).put(url(p), {"personnummer": "701063-2391"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["personnummer"] == "197010632391"


def test_creating_empty_identity_is_refused(police, police_caseworker):
    p = person(police, police_caseworker)
    response = client_for(police_caseworker).put(url(p), {"full_name": "  "}, format="json")
    assert response.status_code == 400
    assert not IdentityDetails.objects.filter(pk=p.pk).exists()


@pytest.mark.parametrize(
    "value,fragment",
    [("12345", "10 eller 12 siffror"), ("19850709-9806", "kontrollsiffran"), ("19851332-0000", "datumet")],
)
def test_invalid_personnummer_gives_400_in_swedish(recorded, police_caseworker, value, fragment):
    response = client_for(police_caseworker).patch(url(recorded), {"personnummer": value, "version": 1}, format="json")
    assert response.status_code == 400
    assert fragment in response.json()["personnummer"][0]
    assert IdentityDetails.objects.get(pk=recorded.pk).personnummer == PNR


def test_put_replaces_patch_keeps(recorded, police_caseworker):
    client = client_for(police_caseworker)
    patched = client.patch(url(recorded), {"phone": "019-123456", "version": 1}, format="json").json()
    assert (patched["phone"], patched["full_name"], patched["version"]) == ("019-123456", "Anna Andersson", 2)
    put = client.put(url(recorded), {"full_name": "Anna Berg", "version": 2}, format="json").json()
    assert (put["full_name"], put["phone"], put["address"], put["personnummer"], put["version"]) == (
        "Anna Berg",
        "",
        "",
        "",
        3,
    )


def test_update_of_existing_identity_requires_version(recorded, police_caseworker):
    response = client_for(police_caseworker).put(url(recorded), {"full_name": "Utan version"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert IdentityDetails.objects.get(pk=recorded.pk).full_name == "Anna Andersson"


def test_stale_identity_version_gets_409_and_nothing_is_lost(recorded, police_caseworker, police_lead):
    assert (
        client_for(police_caseworker).patch(url(recorded), {"phone": "1", "version": 1}, format="json").status_code
        == 200
    )
    before = last_log_id()
    stale = client_for(police_lead).patch(url(recorded), {"phone": "2", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    identity = IdentityDetails.objects.get(pk=recorded.pk)
    assert (identity.phone, identity.version) == ("1", 2)
    assert new_log(before) == []
