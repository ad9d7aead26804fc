"""Producing an extract: once only, and never for someone who no longer acts for the agency or a person it no
longer sees (the clock moved past a share's end)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from agencies import access
from agencies.models import AccessLogEntry, Membership
from agencies.tests.factories import legal_basis
from cases.tests.factories import IndividualFactory
from extracts.models import RegisterExtract
from extracts.services import extract_order, extract_produce
from extracts.tasks import produce_extract
from gvi_portal.testing import log_write

from .conftest import ASSESSMENT, START
from .helpers import ordered

pytestmark = pytest.mark.django_db


def test_a_second_delivery_of_the_task_changes_and_logs_nothing(
    holdings, kommun_caseworker, django_capture_on_commit_callbacks
):
    extract = ordered(kommun_caseworker, holdings.person, django_capture_on_commit_callbacks)
    produced_at, log_size, pdf = extract.produced_at, AccessLogEntry.objects.count(), bytes(extract.pdf)
    assert produce_extract(extract.pk) == {"extract": extract.pk, "status": "done"}
    extract.refresh_from_db()
    assert (extract.produced_at, bytes(extract.pdf)) == (produced_at, pdf)
    assert AccessLogEntry.objects.count() == log_size


def test_a_person_no_longer_shared_when_the_worker_starts_is_not_read(
    clock, police, kommun, police_caseworker, kommun_caseworker, django_capture_on_commit_callbacks
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    access.share(person, to_agency=kommun, level="view", legal_basis=legal_basis(), assessment=ASSESSMENT,
                 acting_user=police_caseworker, expires_at=START + timedelta(hours=1))  # fmt: skip
    with django_capture_on_commit_callbacks():
        extract = extract_order(acting_user=kommun_caseworker, individual=person)
    clock.shift(timedelta(hours=2))  # the share ends before the worker gets to it
    extract_produce(extract_id=extract.pk)
    extract.refresh_from_db()
    assert extract.status == RegisterExtract.Status.FAILED
    assert extract.error == "Personen är inte längre synlig för myndigheten."
    assert bytes(extract.json) == b"" and bytes(extract.pdf) == b""
    assert not AccessLogEntry.objects.filter(via="task", detail__extract=extract.pk).exists()
    # The page stops polling and says why; there is nothing to download.
    client = Client()
    client.force_login(kommun_caseworker)
    html = client.get(reverse("extract-detail", kwargs={"pk": extract.pk})).content.decode()
    assert "hx-trigger" not in html and "Personen är inte längre synlig" in html
    assert client.get(reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "pdf"})).status_code == 404


def test_an_orderer_who_left_the_agency_reads_nothing_for_it(
    police, police_caseworker, django_capture_on_commit_callbacks
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    with django_capture_on_commit_callbacks():
        extract = extract_order(acting_user=police_caseworker, individual=person)
    Membership.objects.filter(user=police_caseworker).delete()
    extract_produce(extract_id=extract.pk)
    extract.refresh_from_db()
    assert extract.status == RegisterExtract.Status.FAILED
    assert "arbetar inte längre" in extract.error


def test_the_service_refuses_a_person_the_user_may_not_see(police, police_caseworker, kommun_caseworker):
    from agencies.errors import ApplicationError

    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    with pytest.raises(ApplicationError):
        extract_order(acting_user=kommun_caseworker, individual=person)
    assert not RegisterExtract.objects.exists()


@pytest.mark.parametrize("persons", [1, 30])
def test_the_order_form_query_count_does_not_grow_with_the_persons(persons, police, police_caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [IndividualFactory(owner_agency=police, created_by=police_caseworker) for _ in range(persons)]
    client = Client()
    client.force_login(police_caseworker)
    url = reverse("extract-order") + f"?person={people[0].pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # The request (session, user with its membership), the person through the gate and its log write (one statement on
    # PostgreSQL, two on SQLite), the chosen option, the session saved.
    assert len(queries) == 8 + log_write()
