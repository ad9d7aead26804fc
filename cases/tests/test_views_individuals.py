"""The person list and detail pages as a permission matrix: anonymous, another agency, shared, owner.

The named users come from conftest.py: police owns the records here; kommun receives shares; outsider is
an agency nothing is ever shared with.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, Share
from agencies.tests.factories import UserFactory, basis_for
from cases.models import IdentityDetails, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

PNR = "198507099805"  # valid check digit; shown as 19850709-9805
FULL_NAME = "Karl-Johan Testsson"


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def with_identity(individual, **kw):
    kw.setdefault("personnummer", PNR)
    kw.setdefault("full_name", FULL_NAME)
    return IdentityDetailsFactory(individual=individual, **kw)


def share(obj, to_agency, user, level="view"):
    return access.share(
        obj,
        to_agency=to_agency,
        level=level,
        legal_basis=basis_for(to_agency),
        assessment="Behövs för samverkan.",
        acting_user=user,
    )


def html(response) -> str:
    return response.content.decode()


def listed(response) -> list[int]:
    return [p.pk for p in response.context["page"].items]


def assert_no_identity_trace(text: str) -> None:
    for secret in (PNR, PNR[2:], "19850709-9805", "850709-9805", FULL_NAME, "Identitetsuppgifter", "Personnummer"):
        assert secret not in text, secret


@pytest.fixture
def police_person(police, police_caseworker):
    return person(police, police_caseworker, alias="Ormen")


@pytest.fixture
def identified(police_person):
    return with_identity(police_person)


# --- the matrix: who gets what --------------------------------------------------------------------------

PAGES = ["individual-list", "individual-create", "individual-detail", "individual-update", "individual-share"]
OBJECT_PAGES = ["individual-detail", "individual-update", "individual-share"]


def url_for(name, obj):
    return reverse(name, kwargs={"pk": obj.pk}) if name in OBJECT_PAGES else reverse(name)


def test_url_paths():
    assert reverse("individual-list") == "/personer/"
    assert reverse("individual-create") == "/personer/ny/"
    assert reverse("individual-detail", kwargs={"pk": 7}) == "/personer/7/"
    assert reverse("individual-update", kwargs={"pk": 7}) == "/personer/7/andra/"
    assert reverse("individual-share", kwargs={"pk": 7}) == "/personer/7/dela/"


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, police_person, name):
    url = url_for(name, police_person)
    for response in (client.get(url), client.post(url, {"alias": "X"})):
        if name in ("individual-list", "individual-detail") and response.status_code == 405:
            continue  # read-only pages refuse POST before anything else
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")) and "next=" in response.url
    assert Individual.objects.count() == 1


def test_anonymous_htmx_search_loads_the_login_page_as_a_whole_page(client, police_person):
    response = client.get(reverse("individual-list"), {"q": "orm"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", PAGES)
def test_user_without_agency_gets_403(client, police_person, name):
    client.force_login(UserFactory(username="ingen.myndighet"))
    assert client.get(url_for(name, police_person)).status_code == 403


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_other_agency_gets_404(client, identified, police_person, outsider, name):
    client.force_login(outsider)
    url = url_for(name, police_person)
    assert client.get(url).status_code == 404
    if name != "individual-detail":
        assert client.post(url, {"alias": "Kapad", "version": 1}).status_code == 404
    police_person.refresh_from_db()
    assert police_person.alias == "Ormen" and police_person.version == 1
    assert Share.objects.count() == 0


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_missing_person_is_the_same_404(client, police_caseworker, name):
    client.force_login(police_caseworker)
    assert client.get(reverse(name, kwargs={"pk": 999999})).status_code == 404


def test_other_agency_does_not_find_the_person_in_list_or_search(client, identified, police_person, outsider):
    client.force_login(outsider)
    assert listed(client.get(reverse("individual-list"))) == []
    for term in ("Ormen", "orm", PNR, "850709-9805", "19850709-9805"):
        response = client.get(reverse("individual-list"), {"q": term})
        assert listed(response) == [], term
        assert f"/personer/{police_person.pk}/" not in html(response)  # (the term itself is echoed in the form)


def test_shared_person_without_identity(
    client, police, kommun, police_caseworker, kommun_caseworker, identified, police_person
):
    other = person(police, police_caseworker, alias="Räven")  # not shared
    share(police_person, kommun, police_caseworker)
    client.force_login(kommun_caseworker)

    response = client.get(reverse("individual-list"))
    assert listed(response) == [police_person.pk]
    assert "Räven" not in html(response)

    response = client.get(reverse("individual-detail", kwargs={"pk": police_person.pk}))
    assert response.status_code == 200
    text = html(response)
    assert "Ormen" in text and police.name in text
    assert_no_identity_trace(text)
    # Nor what only the owner sees: the disclosure register and the share button.
    assert "Utlämnanden" not in text
    assert reverse("individual-share", kwargs={"pk": police_person.pk}) not in text
    assert reverse("individual-update", kwargs={"pk": police_person.pk}) not in text

    # Searching by the hidden personnummer finds nothing, the same as no match at all.
    for term in (PNR, "850709-9805"):
        assert listed(client.get(reverse("individual-list"), {"q": term})) == []
    assert listed(client.get(reverse("individual-list"), {"q": "orme"})) == [police_person.pk]
    assert client.get(reverse("individual-detail", kwargs={"pk": other.pk})).status_code == 404


def test_detail_without_any_identity_looks_the_same_as_hidden_identity(
    client, police, kommun, police_caseworker, kommun_caseworker
):
    """The page of a person with hidden identity details and one with none must not differ in structure."""
    hidden = person(police, police_caseworker, alias="Alfa", birth_year=1990, district=None)
    with_identity(hidden)
    bare = person(police, police_caseworker, alias="Alfa", birth_year=1990, district=None)
    share(hidden, kommun, police_caseworker)
    share(bare, kommun, police_caseworker)
    client.force_login(kommun_caseworker)

    def page(p):
        text = html(client.get(reverse("individual-detail", kwargs={"pk": p.pk})))
        text = text.replace(f"/personer/{p.pk}/", "").replace(f"/samtycken/person/{p.pk}/", "")
        text = text.replace(f"?person={p.pk}", "")
        # Drop what varies per record or request: the times and the csrf token.
        text = re.sub(r"<time[^>]*>[^<]*</time>", "", text)
        return re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(hidden) == page(bare)


def test_identity_shared_separately_by_a_lead(
    client, kommun, police_lead, police_caseworker, kommun_caseworker, identified, police_person
):
    share(police_person, kommun, police_caseworker)
    share(identified, kommun, police_lead)
    client.force_login(kommun_caseworker)
    text = html(client.get(reverse("individual-detail", kwargs={"pk": police_person.pk})))
    assert "Identitetsuppgifter" in text and "19850709-9805" in text and FULL_NAME in text
    assert listed(client.get(reverse("individual-list"), {"q": "850709-9805"})) == [police_person.pk]


def test_identity_shared_without_person_share_shows_nothing(
    client, kommun, police_lead, kommun_caseworker, identified, police_person
):
    """Identity details alone reach nothing: the person itself must be shared to be found or opened."""
    share(identified, kommun, police_lead)
    client.force_login(kommun_caseworker)
    assert client.get(reverse("individual-detail", kwargs={"pk": police_person.pk})).status_code == 404
    assert listed(client.get(reverse("individual-list"), {"q": PNR})) == []


def test_owner_sees_everything(
    client, police, kommun, probation, police_caseworker, police_lead, identified, police_person
):
    share(police_person, kommun, police_caseworker)
    share(identified, probation, police_lead)
    client.force_login(police_caseworker)
    response = client.get(reverse("individual-detail", kwargs={"pk": police_person.pk}))
    text = html(response)
    assert "Identitetsuppgifter" in text and "19850709-9805" in text and FULL_NAME in text
    assert reverse("individual-update", kwargs={"pk": police_person.pk}) in text
    assert reverse("individual-share", kwargs={"pk": police_person.pk}) in text
    # The disclosure register for both records, with a revoke form for each active share.
    assert "Utlämnanden" in text
    rows = response.context["shares"]
    assert {(row["what"], row["record"].to_agency_id) for row in rows} == {
        ("individual", kommun.pk),
        ("identity", probation.pk),
    }
    for row in rows:
        assert reverse("share-revoke", kwargs={"pk": row["record"].pk}) in text
    assert text.count('name="reason"') == 2
    assert "OSL 10 kap. 2 §" in text
    assert listed(client.get(reverse("individual-list"), {"q": "19850709-9805"})) == [police_person.pk]


def test_share_panel_statuses(client, police, kommun, probation, community, police_caseworker, police_person):
    revoked = share(police_person, kommun, police_caseworker)
    access.revoke(revoked, acting_user=police_caseworker, reason="Ändamålet har upphört")
    lapsed = access.share(
        police_person,
        to_agency=probation,
        level="view",
        legal_basis=basis_for(probation),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    Share.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    active = share(police_person, community, police_caseworker, level="change")
    client.force_login(police_caseworker)
    response = client.get(reverse("individual-detail", kwargs={"pk": police_person.pk}))
    statuses = {row["record"].pk: row["status"] for row in response.context["shares"]}
    assert statuses == {revoked.pk: "revoked", lapsed.pk: "expired", active.pk: "active"}
    text = html(response)
    assert "Ändamålet har upphört" in text and "Upphörde" in text and "Läsa och ändra" in text
    assert text.count('name="reason"') == 1


def test_revoke_removes_access_at_once(client, kommun, police_caseworker, kommun_caseworker, police_person):
    record = share(police_person, kommun, police_caseworker)
    kommun_client = client
    kommun_client.force_login(kommun_caseworker)
    detail = reverse("individual-detail", kwargs={"pk": police_person.pk})
    assert kommun_client.get(detail).status_code == 200

    from django.test import Client

    police_client = Client()
    police_client.force_login(police_caseworker)
    response = police_client.post(
        reverse("share-revoke", kwargs={"pk": record.pk}), {"reason": "Inte längre nödvändigt", "next": detail}
    )
    assert response.status_code == 302 and response["Location"] == detail

    assert kommun_client.get(detail).status_code == 404
    assert listed(kommun_client.get(reverse("individual-list"))) == []


def test_change_share_allows_edit_view_share_does_not(
    client, kommun, probation, police_caseworker, kommun_caseworker, probation_caseworker, police_person
):
    share(police_person, kommun, police_caseworker, level="change")
    share(police_person, probation, police_caseworker, level="view")
    update = reverse("individual-update", kwargs={"pk": police_person.pk})

    client.force_login(probation_caseworker)
    response = client.get(update)
    assert response.status_code == 403
    assert "får läsa uppgifterna om den här personen men inte ändra dem" in html(response)
    assert client.post(update, {"alias": "Ändrad", "version": 1}).status_code == 403
    assert update not in html(client.get(reverse("individual-detail", kwargs={"pk": police_person.pk})))

    client.force_login(kommun_caseworker)
    assert update in html(client.get(reverse("individual-detail", kwargs={"pk": police_person.pk})))
    assert client.get(update).status_code == 200
    response = client.post(update, {"alias": "Ändrad av kommunen", "version": 1})
    assert response.status_code == 302
    police_person.refresh_from_db()
    assert police_person.alias == "Ändrad av kommunen" and police_person.version == 2
    # Sharing stays the owner's: a change share does not make kommun the data controller.
    assert client.get(reverse("individual-share", kwargs={"pk": police_person.pk})).status_code == 403


# --- the list page: search, filters, pages, htmx --------------------------------------------------------


def test_list_filters_by_district_and_birth_year(client, police, police_caseworker):
    from cases.models import District

    vivalla, centrum = District.objects.get(name="Vivalla"), District.objects.get(name="Centrum")
    a = person(police, police_caseworker, alias="A", district=vivalla, birth_year=2001)
    b = person(police, police_caseworker, alias="B", district=centrum, birth_year=2001)
    c = person(police, police_caseworker, alias="C", district=vivalla, birth_year=1999)
    client.force_login(police_caseworker)
    assert set(listed(client.get(reverse("individual-list")))) == {a.pk, b.pk, c.pk}
    assert set(listed(client.get(reverse("individual-list"), {"district": vivalla.pk}))) == {a.pk, c.pk}
    assert listed(client.get(reverse("individual-list"), {"district": vivalla.pk, "birth_year": 2001})) == [a.pk]
    response = client.get(reverse("individual-list"), {"birth_year": "inte ett år"})
    assert response.status_code == 200  # a bad filter value is a form error, never a 500


def test_list_shows_the_columns_and_links(client, police, police_caseworker, police_person):
    client.force_login(police_caseworker)
    text = html(client.get(reverse("individual-list")))
    assert reverse("individual-detail", kwargs={"pk": police_person.pk}) in text
    assert police.name in text and timezone.localtime(police_person.created_at).strftime("%Y-%m-%d") in text
    assert 'aria-live="polite"' in text
    assert 'hx-get="/personer/"' in text and 'hx-target="#individual-results"' in text


def test_empty_states(client, police, police_caseworker):
    client.force_login(police_caseworker)
    text = html(client.get(reverse("individual-list")))
    assert "Inga personer hittades." in text and "Lägg till den första personen" in text
    person(police, police_caseworker, alias="Någon")
    text = html(client.get(reverse("individual-list"), {"q": "finns inte"}))
    assert "Inga personer hittades." in text and "Lägg till den första personen" not in text


def test_pages_keep_the_filters(client, police, police_caseworker):
    base = timezone.now() - timedelta(days=1)
    people = [
        person(police, police_caseworker, alias=f"Gren {i:02}", created_at=base + timedelta(minutes=i))
        for i in range(51)
    ]
    person(police, police_caseworker, alias="Annan")
    client.force_login(police_caseworker)
    first = client.get(reverse("individual-list"), {"q": "gren"})
    assert len(listed(first)) == 50
    page = first.context["page"]
    assert first.context["query"] == "q=gren"
    assert f"?q=gren&amp;cursor={page.next_cursor}" in html(first)
    second = client.get(reverse("individual-list"), {"q": "gren", "cursor": page.next_cursor})
    assert listed(second) == [people[0].pk]


def test_bad_cursor_shows_a_message_and_the_first_page(client, police_caseworker, police_person):
    client.force_login(police_caseworker)
    response = client.get(reverse("individual-list"), {"cursor": "inte-en-markör"})
    assert response.status_code == 200
    assert "Länken till sidan var ogiltig" in html(response)
    assert listed(response) == [police_person.pk]


def test_htmx_request_gets_only_the_results(client, police_caseworker, police_person):
    client.force_login(police_caseworker)
    response = client.get(reverse("individual-list"), {"q": "orm"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "cases/_partials/individual_results.html"
    assert "cases/individual_list.html" not in [t.name for t in response.templates]
    text = html(response)
    assert "<html" not in text and "<form" not in text and "Ormen" in text
    # The live region is updated out of band, so screen readers hear the new result.
    assert 'id="results-status" hx-swap-oob="innerHTML"' in text and "1 person visas." in text

    assert "HX-Request" in response["Vary"]

    full = html(client.get(reverse("individual-list"), {"q": "orm"}))
    assert "<html" in full and "hx-swap-oob" not in full
    # Going back to a pushed URL that htmx no longer has cached asks for the whole page.
    restore = client.get(
        reverse("individual-list"), {"q": "orm"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in html(restore)


# --- query counts --------------------------------------------------------------------------------------


def _list_queries(client, django_assert_num_queries, expected_rows, count):
    with django_assert_num_queries(count):
        response = client.get(reverse("individual-list"))
    assert len(listed(response)) == expected_rows


# Every request: the session and the user with its agency membership (2, agencies.auth_backends), and saving
# the session, which SESSION_SAVE_EVERY_REQUEST does (3 inside the test's transaction: savepoint, update, release).
REQUEST_QUERIES = 5
# An access-log entry and its targets: one statement on PostgreSQL, two on SQLite (agencies.audit.record).
LOG_WRITE = log_write()
# The list: the gate's page (one query: the rows with their district and agency, the three index-ordered
# branches' ids as a subquery), the log entry and its targets
# (LOG_WRITE), and the district choices of the filter form.
LIST_QUERIES = REQUEST_QUERIES + 1 + LOG_WRITE + 1


@pytest.fixture
def list_queries(db):
    return LIST_QUERIES


def test_list_query_count_is_the_same_at_1_and_50_rows(
    client, police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, list_queries
):
    client.force_login(police_caseworker)
    person(police, police_caseworker)
    _list_queries(client, django_assert_num_queries, 1, list_queries)
    for _ in range(24):
        person(police, police_caseworker)
    for _ in range(25):
        share(person(kommun, kommun_caseworker), police, kommun_caseworker)
    _list_queries(client, django_assert_num_queries, 50, list_queries)


def test_search_query_count_is_the_same_at_1_and_50_rows(
    client, police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, list_queries
):
    client.force_login(police_caseworker)
    person(police, police_caseworker, alias="Sök 0")
    with django_assert_num_queries(list_queries):
        assert len(listed(client.get(reverse("individual-list"), {"q": "sök"}))) == 1
    for i in range(24):
        person(police, police_caseworker, alias=f"Sök {i + 1}")
    for i in range(25):
        share(person(kommun, kommun_caseworker, alias=f"Sök k{i}"), police, kommun_caseworker)
    with django_assert_num_queries(list_queries):
        assert len(listed(client.get(reverse("individual-list"), {"q": "sök"}))) == 50


# The detail: the person in one query (owner check or grant EXISTS) and its log entry + target (1 +
# LOG_WRITE); the identity details in one query (1), plus their log entry + target when shown (LOG_WRITE).
# The owner adds the two
# share lists (2; the edit check needs no query for the owner). A shared user adds the change check
# instead, two EXISTS (group grant, then user grant) when the share is view-only (2). Everyone: the
# visible group memberships and incident involvement (2; each with its log entry + targets when it has
# rows, pinned in test_views_incidents.py) and the exit cases about the person the user's agency takes part
# in (1; with its log entry + targets when it has rows, pinned in test_views_person_paths.py).
# The sections other apps register on the page (cases.extensions.person_page; outreach reads the person's
# notifications and invitations: 2, with nothing to show here) count with them.
REGISTRY_QUERIES = 2 + 2 + 1
DETAIL_QUERIES_OWNER = REQUEST_QUERIES + 1 + LOG_WRITE + 1 + LOG_WRITE + 2 + REGISTRY_QUERIES
DETAIL_QUERIES_SHARED_NO_IDENTITY = REQUEST_QUERIES + 1 + LOG_WRITE + 1 + 2 + REGISTRY_QUERIES + 1  # + provenance


def test_detail_query_count_owner(
    client, kommun, probation, police_caseworker, police_lead, identified, police_person, django_assert_num_queries
):
    for agency in (kommun, probation):
        share(police_person, agency, police_caseworker)
        share(identified, agency, police_lead)
    client.force_login(police_caseworker)
    with django_assert_num_queries(DETAIL_QUERIES_OWNER):
        response = client.get(reverse("individual-detail", kwargs={"pk": police_person.pk}))
    assert len(response.context["shares"]) == 4


def test_detail_query_count_shared(
    client, kommun, police_caseworker, kommun_caseworker, identified, police_person, django_assert_num_queries
):
    share(police_person, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    with django_assert_num_queries(DETAIL_QUERIES_SHARED_NO_IDENTITY):
        assert client.get(reverse("individual-detail", kwargs={"pk": police_person.pk})).status_code == 200


# --- the access log ------------------------------------------------------------------------------------


def test_list_logs_the_ids_it_returned(client, police, kommun, police_caseworker, kommun_caseworker, police_person):
    theirs = person(kommun, kommun_caseworker, alias="Delad")
    share(theirs, police, kommun_caseworker)
    person(kommun, kommun_caseworker, alias="Inte delad")
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("individual-list"))
    entry = AccessLogEntry.objects.latest("id")
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.action == Action.LIST and entry.model == "cases.individual" and entry.via == "ui"
    assert entry.user == police_caseworker and entry.agency_id == police.pk
    assert sorted(entry.object_ids) == sorted(listed(response)) == sorted([police_person.pk, theirs.pk])
    assert set(entry.targets.values_list("person_id", flat=True)) == set(entry.object_ids)


def test_detail_logs_the_view_and_the_identity_read(
    client, police, kommun, police_caseworker, kommun_caseworker, identified, police_person
):
    share(police_person, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(reverse("individual-detail", kwargs={"pk": police_person.pk}))
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    # The identity details were not shared with kommun: no read of them is logged (and none happened).
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        (Action.VIEW, "cases.individual", [police_person.pk])
    ]
    assert entries[0].agency_id == kommun.pk and entries[0].via == "ui"

    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(reverse("individual-detail", kwargs={"pk": police_person.pk}))
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        (Action.VIEW, "cases.individual", [police_person.pk]),
        (Action.VIEW, "cases.identitydetails", [police_person.pk]),
    ]
    assert len({e.request_id for e in entries}) == 1


def test_refused_reads_are_not_logged_as_reads(client, outsider, police_person):
    client.force_login(outsider)
    before = AccessLogEntry.objects.count()
    client.get(reverse("individual-detail", kwargs={"pk": police_person.pk}))
    assert AccessLogEntry.objects.count() == before
    assert IdentityDetails.objects.count() == 0
