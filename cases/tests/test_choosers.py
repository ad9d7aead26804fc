"""The autocomplete behind the forms' gated choices (agencies.views.choosers): only what the gate lets the
user see, at most 20 hits, a personnummer only where the identity is visible, a pinned number of queries."""

import pytest
from django.urls import reverse

from agencies import access
from agencies.models import AccessLogEntry
from agencies.tests.factories import legal_basis
from cases.models import GroupMembership, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, group
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def hits(client, kind, q):
    response = client.get(reverse("choices", kwargs={"kind": kind}), {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def police_client(client, police_caseworker):
    client.force_login(police_caseworker)
    return client


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("choices", kwargs={"kind": "person"}), {"q": "a"})
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]


def test_unknown_kind_is_404(police_client):
    assert police_client.get(reverse("choices", kwargs={"kind": "agency"}), {"q": "a"}).status_code == 404


def test_finds_own_person_by_alias_with_label(police, police_caseworker, police_client):
    someone = person(police, police_caseworker, alias="Sökbar Sixten", birth_year=2001)
    results = hits(police_client, "person", "sixten")
    assert [r["id"] for r in results] == [someone.pk]
    assert results[0]["label"].startswith("Sökbar Sixten (2001)")


def test_another_agency_gets_nothing_until_shared(police, kommun, police_caseworker, kommun_caseworker, client):
    someone = person(police, police_caseworker, alias="Sökbar Sixten")
    client.force_login(kommun_caseworker)
    assert hits(client, "person", "Sixten") == []
    access.share(
        someone,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert [r["id"] for r in hits(client, "person", "Sixten")] == [someone.pk]


def test_groups_of_another_agency_are_not_offered(police, police_caseworker, kommun_caseworker, client):
    hawks = group(police, police_caseworker, name="Hökarna")
    client.force_login(police_caseworker)
    assert [r["id"] for r in hits(client, "group", "hök")] == [hawks.pk]
    client.force_login(kommun_caseworker)
    assert hits(client, "group", "hök") == []


def test_personnummer_only_where_the_identity_is_visible(
    police, kommun, police_caseworker, kommun_caseworker, police_lead, client
):
    someone = person(police, police_caseworker, alias="Identifierad")
    identity = IdentityDetailsFactory(individual=someone)
    client.force_login(police_caseworker)
    assert [r["id"] for r in hits(client, "person", identity.personnummer)] == [someone.pk]
    # The person (not the identity) is shared: the alias finds them, the personnummer does not.
    access.share(
        someone,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    client.force_login(kommun_caseworker)
    assert [r["id"] for r in hits(client, "person", "Identifierad")] == [someone.pk]
    assert hits(client, "person", identity.personnummer) == []


def test_at_most_twenty_hits(police, police_caseworker, police_client):
    for n in range(25):
        person(police, police_caseworker, alias=f"Massa {n}")
    assert len(hits(police_client, "person", "Massa")) == 20


def test_empty_search_lists_nothing_and_logs_nothing(police, police_caseworker, police_client):
    person(police, police_caseworker, alias="Tyst")
    before = AccessLogEntry.objects.count()
    assert hits(police_client, "person", "  ") == []
    assert AccessLogEntry.objects.count() == before


def test_the_hits_are_logged_as_a_list_read(police, police_caseworker, police_client):
    someone = person(police, police_caseworker, alias="Loggad Lisa")
    hits(police_client, "person", "Loggad")
    entry = AccessLogEntry.objects.order_by("-pk").first()
    assert entry is not None and someone.pk in entry.object_ids


def test_query_count_is_the_same_for_one_and_twenty_hits(police, police_caseworker, police_client):
    person(police, police_caseworker, alias="Räknad 0")
    hits(police_client, "person", "Räknad")  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert len(hits(police_client, "person", "Räknad")) == 1
    for n in range(1, 25):
        person(police, police_caseworker, alias=f"Räknad {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(hits(police_client, "person", "Räknad")) == 20
    assert len(one) == len(many)
    # The request's fixed cost (session, user with its membership and agency, session save), the gate's page
    # (one query) and the log write (2 on SQLite, 1 on PostgreSQL).
    expected = 6 + log_write()
    assert len(many) == expected, [q["sql"][:80] for q in many.captured_queries]
    assert Individual.objects.count() == 25


# --- the gated widget in a form (the membership form) ----------------------------------------------------


def test_membership_form_renders_no_list_of_every_person(police, police_caseworker, police_client):
    hawks = group(police, police_caseworker, name="Hökarna")
    for n in range(120):
        person(police, police_caseworker, alias=f"Medlem {n}")
    html = police_client.get(reverse("membership-create", kwargs={"pk": hawks.pk})).content.decode()
    assert html.count("<option") < 20  # the role and source selects, and the empty person choice
    assert "Medlem 5" not in html
    assert "data-gated-choice" in html and 'name="individual_sok"' in html


def test_membership_search_without_javascript_offers_the_hits_and_saves_nothing(
    police, police_caseworker, police_client
):
    hawks = group(police, police_caseworker, name="Hökarna")
    wanted = person(police, police_caseworker, alias="Sökt Selma")
    person(police, police_caseworker, alias="Annan Anna")
    url = reverse("membership-create", kwargs={"pk": hawks.pk})
    response = police_client.post(url, {"individual_sok": "selma", "individual_sok_knapp": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{wanted.pk}">Sökt Selma' in html
    assert "Annan Anna" not in html
    assert "Välj bland sökträffarna och spara igen." in html
    assert not GroupMembership.objects.filter(group=hawks).exists()


def test_membership_form_rejects_an_invisible_person_like_a_missing_one(
    police, kommun, police_caseworker, kommun_caseworker, client
):
    hawks = group(police, police_caseworker, name="Hökarna")
    access.share(
        hawks,
        to_agency=kommun,
        level="change",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    hidden = person(police, police_caseworker, alias="Dold Doris")
    client.force_login(kommun_caseworker)
    url = reverse("membership-create", kwargs={"pk": hawks.pk})
    data = {"role": "core", "source_type": "observation", "evidence": "Underlag", "confidence": "probable"}
    hidden_html = client.post(url, {**data, "individual": hidden.pk}).content.decode()
    missing_html = client.post(url, {**data, "individual": 999999}).content.decode()
    assert "Välj en person bland sökträffarna." in hidden_html
    assert "Välj en person bland sökträffarna." in missing_html
    assert "Dold Doris" not in hidden_html


@pytest.mark.parametrize("posted", ["9" * 30, str(2**63), "-1", "1e3"])
def test_membership_form_answers_an_id_no_record_can_have_with_the_form_error(
    police, police_caseworker, client, posted
):
    hawks = group(police, police_caseworker, name="Hökarna")
    client.force_login(police_caseworker)
    url = reverse("membership-create", kwargs={"pk": hawks.pk})
    data = {"role": "core", "source_type": "observation", "evidence": "Underlag", "confidence": "probable"}
    response = client.post(url, {**data, "individual": posted})
    assert response.status_code == 200
    assert "Välj en person bland sökträffarna." in response.content.decode()
    assert not GroupMembership.objects.filter(group=hawks).exists()
