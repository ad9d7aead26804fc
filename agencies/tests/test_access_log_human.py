"""The lead's access log in human terms: records named as the lead may see them, the person search (logged, and
only over identity the lead may see), "who has read this person" and the CSV export — each only the lead's own
agency's rows."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies import access, audit
from agencies.context import audit_context
from agencies.models import AccessLogEntry, Action, Via
from agencies.selectors.log_export import _cell
from agencies.tests.factories import basis_for
from cases.models import CriminalGroup, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, group

pytestmark = pytest.mark.django_db

URL = "/atkomstlogg/"
EXPORT = "/atkomstlogg/export.csv"


def reads_url(pk):
    return f"/atkomstlogg/person/{pk}/"


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def share(obj, to, by):
    return access.share(
        obj, to_agency=to, level="view", legal_basis=basis_for(to), assessment="Behövs för samverkan.", acting_user=by
    )


def read(user, agency, obj):
    return audit.record(user=user, agency_id=agency.pk, action=Action.VIEW, model=type(obj), objects=[obj])


def rows(response):
    return response.context["rows"]


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


# --- rows in human terms ---------------------------------------------------------------------------------


def test_a_record_the_lead_may_not_see_shows_only_its_kind(
    client, police, kommun, police_caseworker, kommun_caseworker, kommun_lead
):
    p = person(police, police_caseworker, alias="Hemligheten")
    record = share(p, kommun, police_caseworker)
    access.get_or_404(kommun_caseworker, Individual, p.pk)  # kommun's read, in kommun's log
    access.revoke(record, acting_user=police_caseworker, reason="Behövs inte längre.")

    client.force_login(kommun_lead)
    html = client.get(URL).content.decode()
    assert "Person (ej synlig för dig)" in html
    assert "Hemligheten" not in html
    assert f"/personer/{p.pk}/" not in html
    (row,) = [r for r in rows(client.get(URL, {"user": kommun_caseworker.pk}))]
    assert row.records[0].visible is False and row.records[0].url is None


def test_a_record_shared_with_the_lead_is_named_and_linked(
    client, police, kommun, police_caseworker, kommun_caseworker, kommun_lead
):
    p = person(police, police_caseworker, alias="Delad")
    share(p, kommun, police_caseworker)
    access.get_or_404(kommun_caseworker, Individual, p.pk)
    client.force_login(kommun_lead)
    html = client.get(URL).content.decode()
    assert f'<a href="/personer/{p.pk}/">Delad</a>' in html


def test_share_rows_name_receiver_basis_and_assessment(client, police, kommun, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    share(p, kommun, police_caseworker)
    client.force_login(police_lead)
    (row,) = rows(client.get(URL, {"action": "share"}))
    assert row.verb == "delade"
    assert row.to_agency == kommun.name
    assert row.legal_basis == basis_for(kommun).name
    assert row.assessment == "Behövs för samverkan."


def test_channel_and_list_rows_in_words(client, police, police_caseworker, police_lead):
    persons = [person(police, police_caseworker) for _i in range(7)]
    with audit_context(Via.API):
        audit.record_list(user=police_caseworker, agency_id=police.pk, model=Individual, objects=persons)
    with audit_context(Via.TASK):
        audit.record(user=None, agency_id=police.pk, action=Action.CHANGE, model=Individual, objects=persons[:1])
    client.force_login(police_lead)
    (listed_row,) = rows(client.get(URL, {"kind": "cases.individual", "action": "list", "user": police_caseworker.pk}))
    assert listed_row.verb == "listade" and listed_row.channel == "API"
    assert len(listed_row.records) == 5 and listed_row.more == 2
    (changed,) = rows(client.get(URL, {"action": "change"}))
    assert changed.who == "Systemet" and changed.channel == "Systemuppgift" and changed.verb == "ändrade"


def test_identity_details_are_named_by_the_person_never_by_their_contents(
    client, police, police_caseworker, police_lead
):
    identity = IdentityDetailsFactory(individual=person(police, police_caseworker, alias="Vågen"))
    read(police_caseworker, police, identity)
    client.force_login(police_lead)
    html = client.get(URL, {"user": police_caseworker.pk}).content.decode()
    assert "Identitetsuppgifterna för Vågen" in html
    assert identity.full_name not in html and identity.personnummer not in html


def test_viewing_the_log_logs_the_records_it_names(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    read(police_caseworker, police, p)
    client.force_login(police_lead)
    client.get(URL)
    entry = AccessLogEntry.objects.filter(user=police_lead, action=Action.LIST).latest("id")
    assert entry.object_ids == [p.pk] and entry.detail == {"shown_in": "access_log"}


# --- filters ---------------------------------------------------------------------------------------------


def test_personnummer_search_finds_only_identity_the_lead_may_see_and_is_logged(
    client, police, kommun, police_caseworker, police_lead, kommun_caseworker, kommun_lead
):
    p = person(police, police_caseworker)
    identity = IdentityDetailsFactory(individual=p)
    share(p, kommun, police_caseworker)  # the person, not the identity details
    read(police_caseworker, police, p)
    access.get_or_404(kommun_caseworker, Individual, p.pk)

    client.force_login(police_lead)  # the owner sees the identity details
    response = client.get(URL, {"person": identity.personnummer, "user": police_caseworker.pk})
    assert {row.entry.user for row in rows(response)} == {police_caseworker}
    assert {row.entry.action for row in rows(response)} == {Action.VIEW, Action.SHARE}
    search = AccessLogEntry.objects.filter(user=police_lead, detail__search="personnummer").get()
    assert search.object_ids == [p.pk]

    client.force_login(kommun_lead)  # sees the person, not who they are
    response = client.get(URL, {"person": identity.personnummer})
    assert response.status_code == 200
    assert rows(response) == []
    assert "Ingen person som du kan se matchar sökningen." in response.content.decode()
    search = AccessLogEntry.objects.filter(user=kommun_lead, detail__search="personnummer").get()
    assert search.object_ids == [] and search.agency == kommun
    # The term itself is never written into the log.
    assert not AccessLogEntry.objects.filter(detail__icontains=identity.personnummer[2:8]).exists()


def test_alias_search_reaches_only_visible_persons(client, police, kommun, police_caseworker, kommun_lead):
    person(police, police_caseworker, alias="Osynlig")
    client.force_login(kommun_lead)
    response = client.get(URL, {"person": "Osynlig"})
    assert "Ingen person som du kan se matchar sökningen." in response.content.decode()


def test_a_broad_alias_search_asks_for_more(client, police, police_caseworker, police_lead):
    for i in range(21):
        person(police, police_caseworker, alias=f"Bred{i:02d}")
    client.force_login(police_lead)
    response = client.get(URL, {"person": "Bred"})
    assert response.status_code == 200
    assert "Sökningen matchar fler än 20 personer" in response.content.decode()


def test_filter_by_kind_of_record(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    g = group(police, police_caseworker)
    read(police_caseworker, police, p)
    read_group = read(police_caseworker, police, g)
    client.force_login(police_lead)
    response = client.get(URL, {"kind": CriminalGroup._meta.label_lower, "user": police_caseworker.pk})
    shown = rows(response)
    assert {row.entry.model for row in shown} == {"cases.criminalgroup"}  # the read and the create
    assert shown[0].entry.pk == read_group.pk and shown[0].records[0].title == g.name


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "auth.user"},
        {"person": "x" * 121},
        {"date_from": "0001-01-01"},
        {"date_to": "not a day"},
        {"user": "abc"},
        {"action": "destroy"},
    ],
)
def test_bad_filter_input_is_a_form_error(client, police_lead, params):
    client.force_login(police_lead)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "Filtret är ogiltigt" in response.content.decode()
    assert client.get(EXPORT, params).status_code == 400


# --- who has read this person ----------------------------------------------------------------------------


def test_person_reads_shows_only_own_agency_rows_about_the_person(
    client, police, kommun, police_caseworker, police_lead, kommun_caseworker
):
    p = person(police, police_caseworker, alias="Läst")
    other = person(police, police_caseworker)
    identity = IdentityDetailsFactory(individual=p)
    share(p, kommun, police_caseworker)
    mine = [read(police_caseworker, police, p), read(police_caseworker, police, identity)]
    read(police_caseworker, police, other)
    access.get_or_404(kommun_caseworker, Individual, p.pk)  # kommun's log, never shown here

    client.force_login(police_lead)
    response = client.get(reads_url(p.pk))
    assert response.status_code == 200
    shown = [row.entry for row in rows(response)]
    assert {e.pk for e in mine} <= {e.pk for e in shown}
    assert all(e.agency_id == police.pk for e in shown)
    assert not any(e.user_id == kommun_caseworker.pk for e in shown)
    assert "Vem har läst Läst" in response.content.decode()


def test_person_reads_is_for_the_owners_leads_only(client, police, kommun, police_caseworker, police_lead, kommun_lead):
    p = person(police, police_caseworker)
    share(p, kommun, police_caseworker)
    client.force_login(police_caseworker)
    assert client.get(reads_url(p.pk)).status_code == 404
    client.force_login(kommun_lead)  # sees the person, does not own it
    assert client.get(reads_url(p.pk)).status_code == 404
    client.force_login(police_lead)
    assert client.get(reads_url(p.pk + 1000)).status_code == 404
    client.logout()
    assert client.get(reads_url(p.pk)).status_code == 302


def test_person_page_links_to_who_has_read_for_the_owners_lead(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    client.force_login(police_lead)
    assert reads_url(p.pk) in client.get(f"/personer/{p.pk}/").content.decode()
    client.force_login(police_caseworker)
    assert reads_url(p.pk) not in client.get(f"/personer/{p.pk}/").content.decode()


# --- CSV export ------------------------------------------------------------------------------------------


def test_export_is_the_filtered_view_of_own_agency_and_is_logged(
    client, police, kommun, police_caseworker, police_lead, kommun_caseworker
):
    p = person(police, police_caseworker, alias="=Formel")
    share(p, kommun, police_caseworker)
    read(police_caseworker, police, p)
    read(police_lead, police, p)  # filtered away by user
    access.get_or_404(kommun_caseworker, Individual, p.pk)  # another agency's log

    client.force_login(police_lead)
    response = client.get(EXPORT, {"user": police_caseworker.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *lines = csv_rows(response)
    assert header[:5] == ["Tid", "Användare", "Användarnamn", "Myndighet", "Händelse"]
    assert {line[2] for line in lines} == {police_caseworker.username}
    assert {line[3] for line in lines} == {police.name}
    assert all(line[7] == "Person: =Formel" for line in lines)
    export = AccessLogEntry.objects.filter(user=police_lead, detail__export="csv").get()
    assert export.detail["filters"] == {"user": police_caseworker.pk}


def test_export_cells_never_start_a_formula():
    assert [_cell(v) for v in ("=SUM(A1)", "+1", "-1", "@x", "Vanlig")] == ["'=SUM(A1)", "'+1", "'-1", "'@x", "Vanlig"]


def test_export_is_for_leads(client, police_caseworker):
    client.force_login(police_caseworker)
    assert client.get(EXPORT).status_code == 403


# --- query counts ----------------------------------------------------------------------------------------


def pinned(sqlite: int, postgres: int) -> int:
    return postgres if connection.features.supports_slicing_ordering_in_compound else sqlite


def count(client, url, params=None) -> int:
    client.get(url, params)  # warm the process caches (content types, permission ids)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def mixed_log(police, police_caseworker):
    """n rows of three kinds: a person read, a group read, an identity read — one query per kind, not per row."""

    def make(n):
        for _i in range(n):
            p = person(police, police_caseworker)
            read(police_caseworker, police, p)
            read(police_caseworker, police, group(police, police_caseworker))
            read(police_caseworker, police, IdentityDetailsFactory(individual=p))

    return make


# The request (session, user, second-factor device, membership), the count and the page with user and agency,
# the user filter's choices, one gated query per kind on the page (person, group, identity details) and the list
# read logging each kind shown (entry and targets: two statements on SQLite, one on PostgreSQL), the session
# saved (3). The same at 1 and at 50 rows.
@pytest.mark.parametrize("n", [1, 17])
def test_log_page_query_count_is_the_same_at_1_and_50_rows(n, client, police_caseworker, police_lead, mixed_log):
    mixed_log(n)  # 3 rows each: 3 and 51 rows, the page shows at most 50
    client.force_login(police_lead)
    assert count(client, URL, {"user": police_caseworker.pk}) == pinned(20, 17)


@pytest.mark.parametrize("n", [1, 17])
def test_person_reads_query_count_is_the_same_at_1_and_50_rows(n, client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    identity = IdentityDetailsFactory(individual=p)
    for _i in range(n):
        read(police_caseworker, police, p)
        read(police_caseworker, police, identity)
        audit.record_list(user=police_caseworker, agency_id=police.pk, model=Individual, objects=[p])
    client.force_login(police_lead)
    assert count(client, reads_url(p.pk)) == pinned(17, 14)


def test_a_kind_no_app_describes_is_shown_by_its_kind_alone(client, police, police_caseworker, police_lead):
    from agencies.selectors.log_rows import describe_rows

    p = person(police, police_caseworker)
    entry = read(police_caseworker, police, p)
    entry.model = "cases.unknownkind"  # not saved: the log is append-only; only described
    (row,) = describe_rows(user=police_lead, entries=[entry], log=False)
    assert row.records[0].named is False and str(row.records[0]) == "cases.unknownkind"
