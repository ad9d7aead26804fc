"""The duplicate warning when a person is created: same personnummer, or a similar alias with the same birth
year — among the records the user may see, and never a hint of one they may not."""

import pytest
from django.urls import reverse

from agencies import access
from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import basis_for
from cases.models import IdentityDetails, Individual
from cases.selectors.duplicates import duplicate_candidates, normalise_name, possible_duplicates, similar
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db

CREATE = "/personer/ny/"
PNR = "198507099805"  # valid check digit; typed as 850709-9805


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def share(obj, to_agency, user):
    return access.share(
        obj,
        to_agency=to_agency,
        level="view",
        legal_basis=basis_for(to_agency),
        assessment="Behövs för samverkan.",
        acting_user=user,
    )


def html(response) -> str:
    return response.content.decode()


# --- the comparison --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Örjan Å.", "orjan a"),  # accents, case and punctuation do not count
        ("Ormen", "ORMEN"),
        ("Lill-Kalle", "Lillkalle"),
        ("Kalle", "Kalle från Vivalla"),  # one contains the other
        ("Mohammed", "Mohamed"),  # one letter off
        ("Zlatan S", "Zlatan S."),
    ],
)
def test_similar_names(a, b):
    assert similar(a, b) and similar(b, a)


@pytest.mark.parametrize(
    "a, b", [("Ormen", "Räven"), ("Kalle", "Olle"), ("", "Ormen"), ("...", "Ormen"), ("O", "Ormen"), ("Al", "Kalle")]
)
def test_different_names(a, b):
    assert not similar(a, b)


def test_normalise_name():
    assert normalise_name("  Åsa-Märta  Öberg ") == "asa marta oberg"


# --- the selector ----------------------------------------------------------------------------------------


def test_same_personnummer_among_visible_identity_details(police, police_caseworker):
    existing = person(police, police_caseworker, alias="Helt annat namn", birth_year=1985)
    IdentityDetailsFactory(individual=existing, personnummer=PNR)
    for typed in (PNR, "850709-9805", "19850709-9805"):
        candidates = duplicate_candidates(user=police_caseworker, alias="Nytt", birth_year=None, personnummer=typed)
        assert [(c.individual, c.same_personnummer, c.similar_alias) for c in candidates] == [(existing, True, False)]
    # An invalid number matches nothing (the form refuses it anyway).
    assert possible_duplicates(user=police_caseworker, alias="Nytt", birth_year=None, personnummer="123") == []


def test_similar_alias_needs_the_same_birth_year(police, police_caseworker):
    same_year = person(police, police_caseworker, alias="Örnen", birth_year=2003)
    person(police, police_caseworker, alias="Örnen", birth_year=2004)
    person(police, police_caseworker, alias="Räven", birth_year=2003)
    person(police, police_caseworker, alias="Ornen", birth_year=None)
    assert possible_duplicates(user=police_caseworker, alias="ornen", birth_year=2003, personnummer="") == [same_year]
    # Without a birth year there is nothing to compare aliases within.
    assert possible_duplicates(user=police_caseworker, alias="ornen", birth_year=None, personnummer="") == []


def test_both_reasons_and_the_number_first(police, police_caseworker):
    by_alias = person(police, police_caseworker, alias="Falken", birth_year=1985)
    by_both = person(police, police_caseworker, alias="Falk", birth_year=1985)
    IdentityDetailsFactory(individual=by_both, personnummer=PNR)
    candidates = duplicate_candidates(user=police_caseworker, alias="Falken", birth_year=1985, personnummer=PNR)
    assert [(c.individual, c.same_personnummer, c.similar_alias) for c in candidates] == [
        (by_both, True, True),
        (by_alias, False, True),
    ]


def test_shared_records_count_as_visible(police, kommun, police_caseworker, kommun_caseworker):
    theirs = person(kommun, kommun_caseworker, alias="Delad Dubblett", birth_year=1999)
    share(theirs, police, kommun_caseworker)
    assert possible_duplicates(user=police_caseworker, alias="delad dubblett", birth_year=1999, personnummer="") == [
        theirs
    ]


def test_invisible_records_are_never_candidates(police, kommun, police_caseworker, kommun_caseworker, kommun_lead):
    hidden = person(kommun, kommun_caseworker, alias="Gömd", birth_year=1985)
    IdentityDetailsFactory(individual=hidden, personnummer=PNR)
    assert possible_duplicates(user=police_caseworker, alias="Gömd", birth_year=1985, personnummer=PNR) == []
    # The person shared, but not their identity details: the number still finds nothing.
    share(hidden, police, kommun_caseworker)
    assert possible_duplicates(user=police_caseworker, alias="Annan", birth_year=None, personnummer=PNR) == []
    # Identity details shared without the person reach nothing either (nothing to link to).
    other = person(kommun, kommun_caseworker, alias="Ensam identitet", birth_year=1990)
    identity = IdentityDetailsFactory(individual=other, personnummer="198112189876")
    share(identity, police, kommun_lead)
    assert possible_duplicates(user=police_caseworker, alias="X", birth_year=None, personnummer="198112189876") == []


def test_the_query_count_does_not_grow_with_the_candidates(police, police_caseworker, django_assert_num_queries):
    for i in range(30):
        person(police, police_caseworker, alias=f"Kopia {i}", birth_year=2000)
    # The agency is resolved once per request; warm it as a request would.
    access.actor_for(police_caseworker)
    # The number (1), the same-year aliases (1), the candidates' rows (1).
    with django_assert_num_queries(3):
        found = possible_duplicates(user=police_caseworker, alias="Kopia", birth_year=2000, personnummer=PNR)
    assert len(found) == 10  # a prompt to look, not a report: at most MAX_SHOWN


# --- the create form -------------------------------------------------------------------------------------


def test_warning_lists_visible_candidates_and_creates_nothing(client, police, police_caseworker):
    existing = person(police, police_caseworker, alias="Gäddan", birth_year=2002)
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    response = client.post(CREATE, {"alias": "gaddan", "birth_year": "2002"})
    assert response.status_code == 200
    text = html(response)
    assert "Personen kan redan finnas – inget har sparats ännu" in text
    assert reverse("individual-detail", kwargs={"pk": existing.pk}) in text
    assert "Liknande alias och samma födelseår." in text
    assert 'name="confirm_duplicates"' in text and "Jag har kontrollerat, skapa ändå" in text
    assert 'value="gaddan"' in text  # what was typed is kept
    assert Individual.objects.count() == 1
    # Showing the candidates is a list read, logged like any other.
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model, e.object_ids) for e in entries] == [(Action.LIST, "cases.individual", [existing.pk])]


def test_confirmed_creates_anyway(client, police, police_caseworker):
    person(police, police_caseworker, alias="Gäddan", birth_year=2002)
    client.force_login(police_caseworker)
    response = client.post(CREATE, {"alias": "Gäddan", "birth_year": "2002", "confirm_duplicates": "on"})
    assert response.status_code == 302
    assert Individual.objects.filter(alias="Gäddan").count() == 2


def test_same_personnummer_is_warned(client, police, police_caseworker):
    existing = person(police, police_caseworker, alias="Ett alias", birth_year=None)
    IdentityDetailsFactory(individual=existing, personnummer=PNR)
    client.force_login(police_caseworker)
    response = client.post(CREATE, {"alias": "Ett helt annat", "personnummer": "850709-9805"})
    text = html(response)
    assert response.status_code == 200 and "Samma personnummer." in text
    assert reverse("individual-detail", kwargs={"pk": existing.pk}) in text
    assert IdentityDetails.objects.count() == 1
    response = client.post(
        CREATE, {"alias": "Ett helt annat", "personnummer": "850709-9805", "confirm_duplicates": "on"}
    )
    assert response.status_code == 302 and IdentityDetails.objects.count() == 2


def test_no_warning_without_candidates(client, police, police_caseworker):
    person(police, police_caseworker, alias="Räven", birth_year=2002)
    client.force_login(police_caseworker)
    response = client.post(CREATE, {"alias": "Ormen", "birth_year": "2002"})
    assert response.status_code == 302


def test_an_invisible_person_never_causes_a_warning(client, police, kommun, police_caseworker, kommun_caseworker):
    """Same personnummer AND same alias and birth year, but kept by another agency: the form says nothing."""
    hidden = person(kommun, kommun_caseworker, alias="Gömd", birth_year=1985)
    IdentityDetailsFactory(individual=hidden, personnummer=PNR)
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    response = client.post(CREATE, {"alias": "Gömd", "birth_year": "1985", "personnummer": "850709-9805"})
    assert response.status_code == 302  # created at once, exactly as if nobody else knew the person
    assert Individual.objects.filter(alias="Gömd").count() == 2
    assert not AccessLogEntry.objects.filter(pk__gt=before, action=Action.LIST).exists()


def test_a_shared_person_without_identity_is_warned_only_by_alias(
    client, police, kommun, police_caseworker, kommun_caseworker
):
    shared = person(kommun, kommun_caseworker, alias="Delad", birth_year=1985)
    IdentityDetailsFactory(individual=shared, personnummer=PNR)
    share(shared, police, kommun_caseworker)
    client.force_login(police_caseworker)
    response = client.post(CREATE, {"alias": "delad", "birth_year": "1985", "personnummer": PNR})
    text = html(response)
    assert [(c.individual, c.same_personnummer) for c in response.context["duplicates"]] == [(shared, False)]
    assert "Liknande alias och samma födelseår." in text and "Samma personnummer." not in text
    # The number alone finds nothing: the identity details were never shared.
    assert client.post(CREATE, {"alias": "Någon annan", "personnummer": PNR}).status_code == 302
