"""The search page /sok/ and the header's search box: only what the gate lets through, grouped by kind, logged
without the term, a constant number of queries."""

import pytest
from django.db import connection
from django.urls import reverse

from agencies import access
from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import basis_for
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, exit_case, group, incident

pytestmark = pytest.mark.django_db

PNR = "198507099805"  # fictional, valid check digit


def pinned(sqlite: int, postgres: int) -> int:
    return postgres if connection.features.supports_slicing_ordering_in_compound else sqlite


def search(client, user, term, status=200):
    client.force_login(user)
    response = client.get(reverse("search"), {"q": term})
    assert response.status_code == status
    return response


def by_kind(response):
    return {group["kind"]: group["result"] for group in response.context["groups"]}


def share(obj, to, by):
    return access.share(
        obj, to_agency=to, level="view", legal_basis=basis_for(to), assessment="Behövs för samverkan.", acting_user=by
    )


@pytest.fixture
def zorro_everywhere(police, probation, police_caseworker, probation_caseworker):
    """One record of each kind matching "zorro" at Kriminalvården, and one of each at the police, unshared."""
    own = IndividualFactory(owner_agency=probation, created_by=probation_caseworker, alias="Zorro Frivård")
    group(probation, probation_caseworker, name="Zorrogänget")
    incident(probation_caseworker, place="Zorrotorget")
    exit_case(probation_caseworker, own)
    theirs = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Zorro Polis")
    group(police, police_caseworker, name="Zorro-nätverket")
    incident(police_caseworker, place="Zorrogatan")
    exit_case(police_caseworker, theirs)
    return own, theirs


def test_finds_each_kind_the_user_may_see_and_nothing_else(client, zorro_everywhere, probation_caseworker):
    own, theirs = zorro_everywhere
    response = search(client, probation_caseworker, "zorro")
    found = by_kind(response)
    assert {kind: result.count for kind, result in found.items()} == {
        "person": 1,
        "group": 1,
        "incident": 1,
        "exit_case": 1,
    }
    html = response.content.decode()
    assert "Zorro Frivård" in html and "Zorrogänget" in html and "Zorrotorget" in html
    assert "Zorro Polis" not in html and "Zorro-nätverket" not in html and "Zorrogatan" not in html
    assert f'href="{reverse("individual-detail", kwargs={"pk": own.pk})}"' in html
    assert f'href="{reverse("exit-case-detail", kwargs={"pk": found["exit_case"].hits[0].pk})}"' in html


def test_another_agency_sees_nothing_of_mine(client, zorro_everywhere, kommun_caseworker):
    response = search(client, kommun_caseworker, "zorro")
    assert all(result.count == 0 and result.hits == [] for result in by_kind(response).values())
    assert "Inga träffar för ”zorro”." in response.content.decode()


def test_a_shared_record_is_found_by_the_receiver(
    client, zorro_everywhere, police_caseworker, kommun, kommun_caseworker
):
    _own, theirs = zorro_everywhere
    share(theirs, kommun, police_caseworker)
    found = by_kind(search(client, kommun_caseworker, "zorro"))
    assert [p.pk for p in found["person"].hits] == [theirs.pk]
    assert found["exit_case"].count == 0  # the person is shared, the police's case is not


@pytest.mark.parametrize(
    ("kind", "list_name"),
    [
        ("person", "individual-list"),
        ("group", "group-list"),
        ("incident", "incident-list"),
        ("exit_case", "exit-case-list"),
    ],
)
def test_each_kind_counts_what_its_gated_list_shows_for_the_same_term(
    kind, list_name, client, zorro_everywhere, police_caseworker, kommun, kommun_caseworker
):
    share(zorro_everywhere[1], kommun, police_caseworker)
    for user in (police_caseworker, kommun_caseworker):
        count = by_kind(search(client, user, "zorro"))[kind].count
        listed = client.get(reverse(list_name), {"q": "zorro"}).context["page"].items
        assert count == len(listed)


def test_more_than_five_links_to_the_list_with_the_term(client, probation, probation_caseworker):
    for i in range(7):
        IndividualFactory(owner_agency=probation, created_by=probation_caseworker, alias=f"Kalle {i}")
    response = search(client, probation_caseworker, "kalle")
    person = by_kind(response)["person"]
    assert (len(person.hits), person.count) == (5, 7)
    assert [p.alias for p in person.hits] == [f"Kalle {i}" for i in range(6, 1, -1)]  # newest first, as the list
    assert f'href="{reverse("individual-list")}?q=kalle"' in response.content.decode()


def test_personnummer_finds_a_person_only_where_the_identity_is_visible(
    client, police, kommun, police_caseworker, kommun_caseworker
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Ormen")
    IdentityDetailsFactory(individual=person, personnummer=PNR)
    share(person, kommun, police_caseworker)  # the person, not the identity

    assert [p.pk for p in by_kind(search(client, police_caseworker, PNR))["person"].hits] == [person.pk]
    kommun_found = by_kind(search(client, kommun_caseworker, "19850709-9805"))
    assert kommun_found["person"].count == 0
    assert [p.pk for p in by_kind(search(client, kommun_caseworker, "orme"))["person"].hits] == [person.pk]


def test_a_personnummer_search_is_logged_without_the_number(client, police, police_caseworker, kommun_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Ormen")
    IdentityDetailsFactory(individual=person, personnummer=PNR)
    AccessLogEntry.objects.all()  # nothing to clear: the log is append-only; compare what the searches add
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))

    search(client, police_caseworker, PNR)
    search(client, kommun_caseworker, PNR)  # finds no one, and is still logged as a personnummer search

    entries = AccessLogEntry.objects.exclude(pk__in=before).order_by("pk")
    assert [(e.user, e.action, e.model, e.object_ids, e.detail) for e in entries] == [
        (police_caseworker, Action.LIST, "cases.individual", [person.pk], {"search": "personnummer"}),
        (kommun_caseworker, Action.LIST, "cases.individual", [], {"search": "personnummer"}),
    ]
    logged = " ".join(str(list(e.__dict__.values())) for e in entries)
    assert PNR not in logged and "850709" not in logged


def test_a_text_search_logs_each_kind_it_showed(client, zorro_everywhere, probation_caseworker):
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    search(client, probation_caseworker, "zorro")
    entries = AccessLogEntry.objects.exclude(pk__in=before)
    assert sorted(e.model for e in entries) == [
        "cases.criminalgroup",
        "cases.exitcase",
        "cases.incident",
        "cases.individual",
    ]
    assert all(e.action == Action.LIST and e.detail == {"search": "text"} for e in entries)
    assert all("zorro" not in str(e.detail).lower() for e in entries)


def test_nothing_found_says_so_and_logs_nothing(client, probation_caseworker):
    before = AccessLogEntry.objects.count()
    html = search(client, probation_caseworker, "ingenting").content.decode()
    assert "Inga träffar för ”ingenting”." in html
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize(("term", "message"), [("z", "Skriv minst 2 tecken."), ("x" * 101, "Skriv högst 100 tecken.")])
def test_a_bad_term_is_a_swedish_message_not_a_search(term, message, client, probation_caseworker):
    before = AccessLogEntry.objects.count()
    response = search(client, probation_caseworker, term, status=400)
    assert message in response.content.decode()
    assert response.context["groups"] == []
    assert AccessLogEntry.objects.count() == before


def test_without_a_term_the_page_explains_itself(client, probation_caseworker):
    client.force_login(probation_caseworker)
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "Skriv minst två tecken" in response.content.decode()


def test_signed_out_goes_to_login(client):
    response = client.get(reverse("search"), {"q": "zorro"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_has_one_search_box(client, probation_caseworker):
    client.force_login(probation_caseworker)
    html = client.get(reverse("home")).content.decode()
    assert html.count('role="search"') == 1
    assert f'action="{reverse("search")}"' in html


@pytest.mark.parametrize("rows", [1, 7])
def test_query_count_does_not_grow_with_hits(rows, client, probation, probation_caseworker, django_assert_num_queries):
    for i in range(rows):
        person = IndividualFactory(owner_agency=probation, created_by=probation_caseworker, alias=f"Zorro {i}")
        group(probation, probation_caseworker, name=f"Zorrogänget {i}")
        incident(probation_caseworker, place=f"Zorrotorget {i}")
        exit_case(probation_caseworker, person)
    client.force_login(probation_caseworker)
    # session, user with its membership; per kind the hits and the count (4 × 2), the groups' districts; per kind
    # shown, the log entry and its targets (4 × 2 on SQLite, 4 × 1 on PostgreSQL: one statement); the session
    # saved (savepoint, update, release).
    with django_assert_num_queries(pinned(22, 18)):
        response = client.get(reverse("search"), {"q": "zorro"})
    assert all(result.count == rows for result in by_kind(response).values())
