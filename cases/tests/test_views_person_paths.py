"""The paths from a person: their cases on the person page, opening a case from it, and "Mina ärenden"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies import access
from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import legal_basis
from cases import services
from cases.models import ExitCase
from cases.tests.factories import IndividualFactory, exit_case
from cases.tests.test_views_individuals import DETAIL_QUERIES_SHARED_NO_IDENTITY
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

ASSESSMENT = "Behövs för samverkan kring personens avhopp."


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def shared_person(kommun, police, kommun_caseworker):
    individual = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Räven")
    access.share(
        individual,
        to_agency=police,
        level="view",
        legal_basis=legal_basis(),
        assessment=ASSESSMENT,
        acting_user=kommun_caseworker,
    )
    return individual


def test_person_page_links_the_cases_the_agency_takes_part_in(
    client, kommun, police, kommun_caseworker, police_caseworker, shared_person
):
    joined = exit_case(kommun_caseworker, shared_person, summary="Gemensamt")
    services.case_join(
        case=joined, to_agency=police, legal_basis=legal_basis(), assessment=ASSESSMENT, acting_user=kommun_caseworker
    )
    kommun_only = exit_case(kommun_caseworker, shared_person, summary="Bara kommunen")

    client.force_login(kommun_caseworker)
    page = html(client.get(reverse("individual-detail", kwargs={"pk": shared_person.pk})))
    assert reverse("exit-case-detail", kwargs={"pk": joined.pk}) in page
    assert reverse("exit-case-detail", kwargs={"pk": kommun_only.pk}) in page

    # The police see the person and the case they were invited to, and nothing of the other case.
    client.force_login(police_caseworker)
    # The highest id, not the count: on PostgreSQL a rolled-back test's ids are not given back.
    before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(reverse("individual-detail", kwargs={"pk": shared_person.pk}))
    page = html(response)
    assert [case.pk for case in response.context["cases"]] == [joined.pk]
    assert reverse("exit-case-detail", kwargs={"pk": joined.pk}) in page
    assert reverse("exit-case-detail", kwargs={"pk": kommun_only.pk}) not in page
    # The cases listed are logged like any list read.
    logged = AccessLogEntry.objects.filter(pk__gt=before, model="cases.exitcase", action=Action.LIST).get()
    assert logged.object_ids == [joined.pk]


def test_person_page_shows_no_cases_heading_without_visible_cases(
    client, kommun_caseworker, police_caseworker, shared_person
):
    exit_case(kommun_caseworker, shared_person)
    client.force_login(police_caseworker)
    page = html(client.get(reverse("individual-detail", kwargs={"pk": shared_person.pk})))
    assert 'id="cases-heading"' not in page


def test_person_page_opens_a_case_for_the_person(client, police_caseworker, shared_person):
    client.force_login(police_caseworker)
    page = html(client.get(reverse("individual-detail", kwargs={"pk": shared_person.pk})))
    link = f"{reverse('exit-case-create')}?person={shared_person.pk}"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200 and response.context["chosen"]
    assert [p.pk for p in response.context["shown"]] == [shared_person.pk]


def test_other_agency_gets_404_on_the_person_page(client, kommun, kommun_caseworker, probation_caseworker):
    hidden = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Dold")
    exit_case(kommun_caseworker, hidden)
    client.force_login(probation_caseworker)
    assert client.get(reverse("individual-detail", kwargs={"pk": hidden.pk})).status_code == 404


# --- Mina ärenden ---------------------------------------------------------------------------------------


def listed(response) -> list[int]:
    return [case.pk for case in response.context["page"].items]


def test_my_cases_lists_the_users_open_cases_only(
    client, kommun, police, kommun_caseworker, kommun_lead, police_caseworker, shared_person
):
    mine = exit_case(kommun_caseworker, shared_person)
    colleagues = exit_case(kommun_lead, IndividualFactory(owner_agency=kommun, created_by=kommun_lead))
    closed = exit_case(kommun_caseworker, IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker))
    ExitCase.objects.filter(pk=closed.pk).update(closed_on=closed.opened_on)

    client.force_login(kommun_caseworker)
    response = client.get(reverse("my-cases"))
    assert listed(response) == [mine.pk]
    page = html(response)
    assert reverse("exit-case-detail", kwargs={"pk": mine.pk}) in page
    assert reverse("exit-case-detail", kwargs={"pk": colleagues.pk}) not in page
    assert "Räven" in page


def test_my_cases_goes_through_the_gate(client, police, kommun_caseworker, police_caseworker, shared_person):
    # A police caseworker named coordinator of a case the police do not take part in still sees nothing.
    case = exit_case(kommun_caseworker, shared_person)
    ExitCase.objects.filter(pk=case.pk).update(coordinator=police_caseworker)
    client.force_login(police_caseworker)
    response = client.get(reverse("my-cases"))
    assert listed(response) == []
    assert "Du har inga öppna ärenden." in html(response)

    services.case_join(
        case=case, to_agency=police, legal_basis=legal_basis(), assessment=ASSESSMENT, acting_user=kommun_caseworker
    )
    assert listed(client.get(reverse("my-cases"))) == [case.pk]


def test_my_cases_bad_cursor_is_the_first_page(client, kommun_caseworker, shared_person):
    case = exit_case(kommun_caseworker, shared_person)
    client.force_login(kommun_caseworker)
    response = client.get(reverse("my-cases"), {"cursor": "inte-en-markör"})
    assert response.status_code == 200 and listed(response) == [case.pk]


def test_nav_links_my_cases_beside_my_tasks(client, kommun_caseworker):
    client.force_login(kommun_caseworker)
    page = html(client.get(reverse("my-tasks")))
    tasks_at = page.index(f'href="{reverse("my-tasks")}"')
    cases_at = page.index(f'href="{reverse("my-cases")}"')
    assert 0 < cases_at - tasks_at < 400


@pytest.mark.parametrize("rows", [1, 10])
def test_my_cases_query_count_is_constant(rows, client, kommun, kommun_caseworker, django_assert_num_queries):
    for _ in range(rows):
        exit_case(kommun_caseworker, IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker))
    client.force_login(kommun_caseworker)
    client.get(reverse("my-cases"))  # warm the session and content types
    with django_assert_num_queries(my_cases_queries()) as captured:
        response = client.get(reverse("my-cases"))
    assert len(listed(response)) == rows, captured


@pytest.mark.parametrize("rows", [1, 10])
def test_person_page_query_count_is_constant_in_cases(
    rows, client, kommun, police, kommun_caseworker, police_caseworker, shared_person, django_assert_num_queries
):
    for _ in range(rows):
        case = exit_case(kommun_caseworker, shared_person)
        services.case_join(
            case=case, to_agency=police, legal_basis=legal_basis(), assessment=ASSESSMENT, acting_user=kommun_caseworker
        )
    client.force_login(police_caseworker)
    client.get(reverse("individual-detail", kwargs={"pk": shared_person.pk}))
    with django_assert_num_queries(PERSON_PAGE_WITH_CASES):
        response = client.get(reverse("individual-detail", kwargs={"pk": shared_person.pk}))
    assert len(response.context["cases"]) == rows


# "Mina ärenden": the request (5), the page through the gate's fast path (one query) and its log entry + targets (log_write(): 1 on PostgreSQL, 2 on SQLite), and
# which persons the user may see (1).
REQUEST_QUERIES = 5


def my_cases_queries() -> int:
    return REQUEST_QUERIES + 1 + log_write() + 1


# The person page for a shared user with no identity, memberships or incidents (test_views_individuals.py:
# DETAIL_QUERIES_SHARED_NO_IDENTITY) and the cases about the person: one query, plus the list's log entry +
# targets when there are rows.
PERSON_PAGE_WITH_CASES = DETAIL_QUERIES_SHARED_NO_IDENTITY + log_write()
