"""The extract pages: ordering, the progress page, the downloads — the ordering agency only, everyone else 404;
ordering and every download in the access log; query counts pinned on the list and the status page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import AccessLogEntry, AccessLogTarget
from cases.tests.factories import IndividualFactory
from extracts.models import RegisterExtract
from extracts.tasks import produce_extract
from gvi_portal.testing import page_text

from .helpers import ordered

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_person_page_links_to_an_order_for_that_person(police_caseworker, police):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    page = logged_in(police_caseworker).get(reverse("individual-detail", kwargs={"pk": person.pk}))
    assert page.status_code == 200
    assert f'href="{reverse("extract-order")}?person={person.pk}"' in page.content.decode()
    assert "Registerutdrag" in page.content.decode()


def test_no_link_for_a_role_that_may_not_order(integration_user, police):
    person = IndividualFactory(owner_agency=police, created_by=integration_user)
    page = logged_in(integration_user).get(reverse("individual-detail", kwargs={"pk": person.pk}))
    assert reverse("extract-order") not in page.content.decode()
    assert logged_in(integration_user).get(reverse("extract-order")).status_code == 403


def test_order_form_for_an_invisible_person_is_a_404_like_a_missing_one(police, police_caseworker, kommun_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    url = reverse("extract-order")
    # The same user could see it before: the police's own caseworker gets the form.
    assert logged_in(police_caseworker).get(url, {"person": person.pk}).status_code == 200
    other = logged_in(kommun_caseworker)
    invisible = other.get(url, {"person": person.pk})
    missing = other.get(url, {"person": person.pk + 1000})
    assert invisible.status_code == missing.status_code == 404
    assert page_text(invisible) == page_text(missing)
    # Posting the id is refused like a missing id, and nothing is ordered.
    refused = other.post(url, {"individual": person.pk})
    assert refused.status_code == 400
    assert "Välj en person i listan." in refused.content.decode()
    assert not RegisterExtract.objects.exists()


def test_bad_input_is_a_swedish_message_not_a_500(police_caseworker):
    client = logged_in(police_caseworker)
    for data in ({}, {"individual": "x"}, {"individual": "9" * 30}):
        response = client.post(reverse("extract-order"), data)
        assert response.status_code == 400
    assert logged_in(police_caseworker).get(reverse("extract-order"), {"person": "abc"}).status_code == 404


def test_ordering_through_the_form_is_logged_and_shows_the_status_page(
    police, police_caseworker, django_capture_on_commit_callbacks
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    client = logged_in(police_caseworker)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("extract-order"), {"individual": person.pk})
    extract = RegisterExtract.objects.get()
    assert len(queued) == 1
    produce_extract(extract.pk)  # what the worker does with the queued task
    assert response.status_code == 302
    assert response["Location"] == reverse("extract-detail", kwargs={"pk": extract.pk})
    assert extract.owner_agency_id == police.pk and extract.ordered_by == police_caseworker
    order = AccessLogEntry.objects.get(action="create", model="extracts.registerextract")
    assert order.user == police_caseworker and order.object_ids == [extract.pk]
    assert order.detail == {"individual": person.pk}
    # Searchable by person in the lead's log.
    assert AccessLogTarget.objects.filter(entry=order, person_id=person.pk).exists()
    # Producing it read the person for the agency, logged as the worker's list with the extract named.
    produced = AccessLogEntry.objects.filter(action="list", model="cases.individual", via="task").get()
    assert produced.object_ids == [person.pk] and produced.detail == {"extract": extract.pk}

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "pdf"}) in html
    assert reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "json"}) in html


def test_the_status_page_polls_while_the_extract_is_produced(police, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    extract = RegisterExtract.objects.create(owner_agency=police, individual=person, ordered_by=police_caseworker,
                                             status="running", progress=40)  # fmt: skip
    client = logged_in(police_caseworker)
    url = reverse("extract-detail", kwargs={"pk": extract.pk})
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html
    assert "registerutdrag.pdf" not in html
    # htmx gets the fragment alone.
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="extract-status"')


def test_downloads_are_logged_with_their_format(police, police_caseworker, django_capture_on_commit_callbacks):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    extract = ordered(police_caseworker, person, django_capture_on_commit_callbacks)
    client = logged_in(police_caseworker)
    pdf = client.get(reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "pdf"}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="registerutdrag-{extract.pk}.pdf"'
    data = client.get(reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "json"}))
    assert data.status_code == 200 and data.json()["person"]["id"] == person.pk
    downloads = AccessLogEntry.objects.filter(
        action="view", model="extracts.registerextract", detail__has_key="download"
    )
    assert sorted(e.detail["download"] for e in downloads) == ["json", "pdf"]
    assert all(e.user == police_caseworker and e.object_ids == [extract.pk] for e in downloads)
    assert client.get(reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "docx"})).status_code == 404


def test_another_agency_gets_404_on_the_status_page_and_the_downloads(
    police, police_caseworker, kommun_caseworker, django_capture_on_commit_callbacks
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    extract = ordered(police_caseworker, person, django_capture_on_commit_callbacks)
    urls = [
        reverse("extract-detail", kwargs={"pk": extract.pk}),
        reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "pdf"}),
        reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "json"}),
    ]
    own, other = logged_in(police_caseworker), logged_in(kommun_caseworker)
    for url in urls:
        assert own.get(url).status_code == 200
        assert other.get(url).status_code == 404
    missing = other.get(reverse("extract-detail", kwargs={"pk": extract.pk + 1000}))
    assert page_text(other.get(urls[0])) == page_text(missing)
    # Not even the list names it.
    assert person.alias not in other.get(reverse("extract-list")).content.decode()
    theirs = AccessLogEntry.objects.filter(user=kommun_caseworker, model="extracts.registerextract")
    assert all(extract.pk not in entry.object_ids for entry in theirs)


def test_anonymous_goes_to_the_login_page(settings):
    for url in (reverse("extract-list"), reverse("extract-order"), reverse("extract-detail", kwargs={"pk": 1})):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def _count(client, url) -> int:
    client.get(url)  # warm: content types and permission ids are cached per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# (SQLite, PostgreSQL): a log entry with its targets is one statement on PostgreSQL (two on SQLite).
def pinned(sqlite: int, postgres: int) -> int:
    return postgres if connection.features.supports_slicing_ordering_in_compound else sqlite


@pytest.mark.parametrize("n", [1, 30])
def test_list_query_count_is_the_same_for_one_and_many(n, police, police_caseworker):
    for _ in range(n):
        person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
        RegisterExtract.objects.create(owner_agency=police, individual=person, ordered_by=police_caseworker)
    assert _count(logged_in(police_caseworker), reverse("extract-list")) == pinned(8, 7)


@pytest.mark.parametrize("status", ["running", "done"])
def test_status_page_query_count(status, police, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    extract = RegisterExtract.objects.create(owner_agency=police, individual=person, ordered_by=police_caseworker,
                                             status=status)  # fmt: skip
    url = reverse("extract-detail", kwargs={"pk": extract.pk})
    assert _count(logged_in(police_caseworker), url) == pinned(8, 7)
