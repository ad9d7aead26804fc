"""/api/v1/agencies/ and /api/v1/legal-bases/: read-only reference lists, for agency members only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import LegalBasis
from agencies.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name,args",
    [("api:agency-list", []), ("api:agency-detail", ["polisen"]), ("api:legal-basis-list", []),
     ("api:legal-basis-detail", ["osl-10-2"])],
)  # fmt: skip
def test_anonymous_401_and_agencyless_403(police, name, args):
    url = reverse(name, args=args)
    response = client_for().get(url)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert client_for(UserFactory(username="ingen.myndighet")).get(url).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_reference_lists_are_read_only(police_caseworker, method):
    for url in (reverse("api:agency-detail", args=["polisen"]), reverse("api:legal-basis-detail", args=["osl-10-2"])):
        assert getattr(client_for(police_caseworker), method)(url, {}, format="json").status_code == 405


def test_agencies_lists_active_agencies(police, kommun, community, police_caseworker):
    AgencyFactory(name="Nedlagd förening", slug="nedlagd", kind="community", active=False)
    client = client_for(police_caseworker)
    rows = client.get(reverse("api:agency-list")).json()
    # Ordered by name; compared by slug here, since "Ö" sorts differently under different collations.
    assert sorted(rows, key=lambda r: r["slug"]) == [
        {"slug": "orebro-kommun", "name": "Örebro kommun", "kind": "municipality"},
        {"slug": "polisen", "name": "Polisen Region Bergslagen", "kind": "police"},
        {"slug": "trygga-vagar", "name": "Föreningen Trygga Vägar", "kind": "community"},
    ]
    assert client.get(reverse("api:agency-detail", args=["polisen"])).json()["kind"] == "police"
    assert client.get(reverse("api:agency-detail", args=["nedlagd"])).status_code == 404


def test_legal_bases_lists_the_seeded_active_ones(police_caseworker):
    LegalBasis.objects.filter(code="osl-10-28").update(active=False)
    client = client_for(police_caseworker)
    rows = client.get(reverse("api:legal-basis-list")).json()
    codes = {r["code"] for r in rows}
    # osl-10-15a is retired (no provision in force), osl-10-28 by this test.
    assert codes == {"samtycke", "osl-10-2", "osl-10-18a", "osl-10-27", "ej-sekretess"}
    consent = client.get(reverse("api:legal-basis-detail", args=["samtycke"])).json()
    assert set(consent) == {
        "code",
        "name",
        "description",
        "requires_consent",
        "requires_assessment",
        "assessment_prompt",
        "sender_kinds",
        "receiver_kinds",
        "record_kinds",
        "max_age",
    }
    assert consent["requires_consent"] is True and consent["name"] == "Samtycke"
    assert consent["requires_assessment"] is False and "community" in consent["sender_kinds"]
    general = client.get(reverse("api:legal-basis-detail", args=["osl-10-27"])).json()
    assert general["sender_kinds"] == ["police", "probation"] and general["requires_assessment"] is True
    assert client.get(reverse("api:legal-basis-detail", args=["osl-10-28"])).status_code == 404
