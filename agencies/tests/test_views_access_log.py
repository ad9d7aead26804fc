"""The lead's access log: only leads, only their own agency's rows, filters, pages."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access, audit
from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import basis_for
from cases.models import IdentityDetails, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

URL = "/atkomstlogg/"


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def log_view(user, agency, obj):
    return audit.record(user=user, agency_id=agency.pk, action=Action.VIEW, model=type(obj), objects=[obj])


def entry_at(user, agency, obj, at):
    """An entry written at a given time. The log is append-only, so the time is set on insert."""
    entry = AccessLogEntry.objects.create(
        user=user, agency=agency, action=Action.VIEW, model=obj._meta.label_lower, object_ids=[obj.pk], via="ui", at=at
    )
    entry.targets.create(model=obj._meta.label_lower, object_id=obj.pk, person_id=obj.audit_person_id())
    return entry


def shown(response):
    return [row.entry.pk for row in response.context["rows"]]


def test_url_name():
    assert reverse("access-log") == URL


def test_caseworker_gets_a_swedish_403(client, police_caseworker):
    client.force_login(police_caseworker)
    response = client.get(URL)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Sidan är bara för chefer och samordnare" in html
    assert "Åtkomstloggen kan bara läsas av din myndighets chef eller samordnare." in html


def test_lead_sees_only_own_agency_entries_newest_first(
    client, police, kommun, police_caseworker, police_lead, kommun_caseworker, kommun_lead
):
    p = person(police, police_caseworker)
    access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    access.get_or_404(police_caseworker, Individual, p.pk)
    access.get_or_404(kommun_caseworker, Individual, p.pk)  # a kommun read of a police record: kommun's log

    police_entries = list(
        AccessLogEntry.objects.filter(agency=police).order_by("-at", "-id").values_list("pk", flat=True)
    )
    kommun_entries = list(AccessLogEntry.objects.filter(agency=kommun).values_list("pk", flat=True))
    assert police_entries and kommun_entries

    client.force_login(police_lead)
    response = client.get(URL)
    assert response.status_code == 200
    assert shown(response) == police_entries

    client.force_login(kommun_lead)
    assert shown(client.get(URL)) == kommun_entries


def test_page_shows_the_entry_in_human_terms(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    audit.record(user=police_caseworker, agency_id=police.pk, action=Action.VIEW, model=Individual, objects=[p])
    client.force_login(police_lead)
    html = client.get(URL).content.decode()
    assert "<caption" in html and '<th scope="col">Gjorde vad</th>' in html
    assert "Läste" in html
    # The record by its kind and title, linked; never a bare id or a request UUID.
    assert f'<span class="meta">Person:</span> <a href="/personer/{p.pk}/">{p.alias}</a>' in html
    assert "<td>Kommandorad</td>" in html  # written outside a request, so via the command line
    assert police_caseworker.get_full_name() in html and police.name in html


def test_filter_by_user(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    mine = log_view(police_caseworker, police, p)
    log_view(police_lead, police, p)
    client.force_login(police_lead)
    assert shown(client.get(URL, {"user": police_caseworker.pk})) == [mine.pk]


def test_user_filter_offers_only_own_agency_and_refuses_others(
    client, police, police_lead, police_caseworker, kommun_caseworker
):
    p = person(police, police_caseworker)
    log_view(police_caseworker, police, p)
    client.force_login(police_lead)
    response = client.get(URL)
    choices = list(response.context["filter"].form.fields["user"].queryset)
    assert set(choices) == {police_lead, police_caseworker}

    response = client.get(URL, {"user": kommun_caseworker.pk})
    assert response.status_code == 200
    assert shown(response) == []
    assert "Filtret är ogiltigt" in response.content.decode()


def test_filter_by_person_alias_includes_identity_reads(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker, alias="Kometen")
    other = person(police, police_caseworker, alias="Stjärnan")
    identity = IdentityDetailsFactory(individual=p)
    read_person = log_view(police_caseworker, police, p)
    read_identity = audit.record(
        user=police_caseworker, agency_id=police.pk, action=Action.VIEW, model=IdentityDetails, objects=[identity]
    )
    listed_both = audit.record_list(user=police_caseworker, agency_id=police.pk, model=Individual, objects=[p, other])
    log_view(police_caseworker, police, other)

    client.force_login(police_lead)
    response = client.get(URL, {"person": "komet", "user": police_caseworker.pk})
    assert shown(response) == [listed_both.pk, read_identity.pk, read_person.pk]
    assert response.context["persons"] == [p]


def test_user_filter_names_colleagues_by_name(client, police_caseworker, police_lead):
    client.force_login(police_lead)
    html = client.get(URL).content.decode()
    assert f"{police_caseworker.get_full_name()} ({police_caseworker.username})" in html


def test_filter_by_action(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    log_view(police_caseworker, police, p)
    listed = audit.record_list(user=police_caseworker, agency_id=police.pk, model=Individual, objects=[p])
    client.force_login(police_lead)
    assert shown(client.get(URL, {"action": "list"})) == [listed.pk]


def test_filter_by_date_range_in_local_days(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    tz = timezone.get_current_timezone()
    before = entry_at(police_caseworker, police, p, datetime(2026, 3, 9, 23, 59, tzinfo=tz))
    first = entry_at(police_caseworker, police, p, datetime(2026, 3, 10, 0, 0, tzinfo=tz))
    last = entry_at(police_caseworker, police, p, datetime(2026, 3, 12, 23, 59, tzinfo=tz))
    after = entry_at(police_caseworker, police, p, datetime(2026, 3, 13, 0, 0, tzinfo=tz))

    client.force_login(police_lead)
    # By the caseworker: each page the lead opens logs the records it names (a list read of the lead's own).
    mine = {"user": police_caseworker.pk}
    assert shown(client.get(URL, {"date_from": "2026-03-10", "date_to": "2026-03-12", **mine})) == [last.pk, first.pk]
    assert shown(client.get(URL, {"date_from": "2026-03-13", **mine})) == [after.pk]
    assert shown(client.get(URL, {"date_to": "2026-03-09", **mine})) == [before.pk]


def test_pages_keep_the_filters(client, police, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    start = timezone.now() - timedelta(hours=2)
    entries = [entry_at(police_caseworker, police, p, start + timedelta(minutes=i)) for i in range(55)]
    log_view(police_lead, police, p)  # filtered away

    client.force_login(police_lead)
    response = client.get(URL, {"user": police_caseworker.pk})
    assert len(shown(response)) == 50
    html = response.content.decode()
    assert f'href="?user={police_caseworker.pk}&amp;page=2"' in html

    response = client.get(URL, {"user": police_caseworker.pk, "page": 2})
    assert shown(response) == [e.pk for e in reversed(entries[:5])]
    assert f'href="?user={police_caseworker.pk}&amp;page=1"' in response.content.decode()


def test_nonsense_page_number_is_not_an_error(client, police_lead):
    client.force_login(police_lead)
    assert client.get(URL, {"page": "xyz"}).status_code == 200


def test_empty_log_says_so(client, police_lead):
    client.force_login(police_lead)
    assert "Inga loggposter matchar filtret." in client.get(URL).content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_access_log_query_count_does_not_grow_with_rows(
    rows, client, police, police_caseworker, police_lead, django_assert_num_queries
):
    p = person(police, police_caseworker)
    for _i in range(rows):
        log_view(police_caseworker, police, p)
    client.force_login(police_lead)
    # session, user with its membership and agency, the lead's verified second-factor device; the count, the page with its
    # users and agency; the user filter's choices; the persons the page names, through the gate (one query per
    # kind of record, whatever the rows), and the list read that logs them (entry and targets: one statement on
    # PostgreSQL, two on SQLite); the session saved (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST).
    # The gate alike on both databases: one kind, one query.
    with django_assert_num_queries(10 + log_write()):
        response = client.get(URL, {"date_from": "2000-01-01"})
    assert len(shown(response)) == rows
