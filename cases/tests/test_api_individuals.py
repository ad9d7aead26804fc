"""/api/v1/individuals/: the access matrix, the access log, optimistic locking and pinned query counts.

Named users (conftest.py): police owns the records; kommun receives shares; outsider is a second community
partner that nothing is ever shared with.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Via
from agencies.tests.factories import UserFactory, basis_for
from cases.models import District, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db

PNR = "198507099805"  # the personnummer package's documented test number


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def person(owner, user, **kw) -> Individual:
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def share(obj, *, to, by, level="view"):
    return access.share(
        obj, to_agency=to, level=level, legal_basis=basis_for(to), assessment="Behövs för samverkan.", acting_user=by
    )


def list_url(**params) -> str:
    url = reverse("api:individual-list")
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def detail_url(p) -> str:
    return reverse("api:individual-detail", args=[p.pk])


def new_log_entries(after: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=after).order_by("id"))


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- anonymous and agency-less callers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,which,body",
    [
        ("get", "list", None),
        ("post", "list", {"alias": "Anon"}),
        ("get", "detail", None),
        ("put", "detail", {"alias": "Anon", "version": 1}),
        ("patch", "detail", {"alias": "Anon", "version": 1}),
        ("get", "identity", None),
        ("put", "identity", {"full_name": "Anon"}),
        ("patch", "identity", {"full_name": "Anon"}),
    ],
)
def test_anonymous_gets_401_with_bearer_challenge(police, police_caseworker, method, which, body):
    p = person(police, police_caseworker)
    url = {
        "list": list_url(),
        "detail": detail_url(p),
        "identity": reverse("api:individual-identity", args=[p.pk]),
    }[which]
    before = last_log_id()
    response = getattr(client_for(), method)(url, body, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert new_log_entries(before) == []


def test_user_without_agency_gets_403(police, police_caseworker):
    p = person(police, police_caseworker)
    nobody = UserFactory(username="utan.myndighet")
    assert client_for(nobody).get(list_url()).status_code == 403
    assert client_for(nobody).get(detail_url(p)).status_code == 403


# --- another agency --------------------------------------------------------------------------------------


def test_other_agency_gets_404_and_finds_nothing(police, police_caseworker, outsider, kommun_caseworker):
    p = person(police, police_caseworker, alias="Sökbar Räv")
    IdentityDetailsFactory(individual=p, personnummer=PNR)
    for user in (outsider, kommun_caseworker):
        client = client_for(user)
        assert client.get(detail_url(p)).status_code == 404
        assert client.patch(detail_url(p), {"alias": "Kapad", "version": 1}, format="json").status_code == 404
        assert client.put(detail_url(p), {"alias": "Kapad", "version": 1}, format="json").status_code == 404
        assert ids(client.get(list_url())) == []
        assert ids(client.get(list_url(q="Sökbar"))) == []
        assert ids(client.get(list_url(q="850709-9805"))) == []
        assert ids(client.get(list_url(q=PNR))) == []
    p.refresh_from_db()
    assert p.alias == "Sökbar Räv" and p.version == 1


def test_missing_and_hidden_look_the_same(police, police_caseworker, outsider):
    p = person(police, police_caseworker)
    hidden = client_for(outsider).get(detail_url(p))
    missing = client_for(outsider).get(reverse("api:individual-detail", args=[p.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# --- shared ----------------------------------------------------------------------------------------------


def test_shared_person_is_visible_without_identity(police, kommun, police_caseworker, kommun_caseworker, outsider):
    p = person(police, police_caseworker, alias="Delad Lo")
    IdentityDetailsFactory(individual=p, personnummer=PNR)
    share(p, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)

    body = client.get(detail_url(p)).json()
    assert body["id"] == p.pk and body["owner_agency"] == "polisen"
    # Nothing in the person's representation says whether identity details exist.
    assert not any("ident" in key or "personnummer" in key for key in body)
    assert ids(client.get(list_url())) == [p.pk]
    assert ids(client.get(list_url(q="Delad"))) == [p.pk]
    # Searching by personnummer needs the identity details to be shared too.
    assert ids(client.get(list_url(q=PNR))) == []
    assert client.get(reverse("api:individual-identity", args=[p.pk])).status_code == 404
    # The outsider still sees nothing.
    assert client_for(outsider).get(detail_url(p)).status_code == 404


def test_view_share_may_not_change(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker, alias="Orörd")
    share(p, to=kommun, by=police_caseworker, level="view")
    before = last_log_id()
    for method in ("put", "patch"):
        response = getattr(client_for(kommun_caseworker), method)(
            detail_url(p), {"alias": "Ändrad", "version": 1}, format="json"
        )
        assert response.status_code == 403
        assert "ändra" in response.json()["detail"]
    p.refresh_from_db()
    assert p.alias == "Orörd" and p.version == 1
    assert new_log_entries(before) == []


def test_change_share_may_change_and_is_logged_as_the_receiver(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker, alias="Före")
    share(p, to=kommun, by=police_caseworker, level="change")
    before = last_log_id()
    response = client_for(kommun_caseworker).patch(detail_url(p), {"alias": "Efter", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["alias"] == "Efter" and response.json()["version"] == 2
    [entry] = new_log_entries(before)
    assert (entry.action, entry.model, entry.object_ids) == ("change", "cases.individual", [p.pk])
    assert entry.agency_id == kommun.pk and entry.user_id == kommun_caseworker.pk and entry.via == Via.API


def test_revoke_removes_access_at_once(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = share(p, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    assert client.get(detail_url(p)).status_code == 200
    access.revoke(record, acting_user=police_caseworker, reason="Ändamålet har upphört")
    assert client.get(detail_url(p)).status_code == 404
    assert ids(client.get(list_url())) == []


# --- the owner -----------------------------------------------------------------------------------------


def test_owner_lists_own_and_shared_newest_first(police, kommun, police_caseworker, kommun_caseworker):
    mine = person(police, police_caseworker)
    theirs = person(kommun, kommun_caseworker)
    share(theirs, to=police, by=kommun_caseworker)
    person(kommun, kommun_caseworker)  # not shared
    assert ids(client_for(police_caseworker).get(list_url())) == [theirs.pk, mine.pk]


def test_list_filters(police, police_caseworker):
    vivalla, centrum = District.objects.get(name="Vivalla"), District.objects.get(name="Centrum")
    a = person(police, police_caseworker, alias="Alfa", district=vivalla, birth_year=2001)
    b = person(police, police_caseworker, alias="Beta", district=centrum, birth_year=2002)
    IdentityDetailsFactory(individual=b, personnummer=PNR)
    client = client_for(police_caseworker)
    assert ids(client.get(list_url(district=vivalla.pk))) == [a.pk]
    assert ids(client.get(list_url(birth_year=2002))) == [b.pk]
    assert ids(client.get(list_url(q="alf"))) == [a.pk]
    assert ids(client.get(list_url(q="850709-9805"))) == [b.pk]
    bad = client.get(list_url(district="inte-ett-id"))
    assert bad.status_code == 400 and "district" in bad.json()


def test_list_pages_with_cursor(police, police_caseworker):
    people = [person(police, police_caseworker) for _ in range(5)]
    client = client_for(police_caseworker)
    first = client.get(list_url(page_size=3)).json()
    assert [r["id"] for r in first["results"]] == [p.pk for p in reversed(people)][:3]
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [p.pk for p in reversed(people)][3:]
    assert second["next"] is None and second["previous"]
    assert client.get(list_url(cursor="rubbish")).status_code == 400
    assert client.get(list_url(page_size=1000)).status_code == 400


def test_owner_retrieves_all_fields(police, police_caseworker):
    p = person(police, police_caseworker, alias="Hel", birth_year=1999, district=District.objects.get(name="Oxhagen"))
    body = client_for(police_caseworker).get(detail_url(p)).json()
    assert set(body) == {
        "id", "url", "alias", "birth_year", "district", "district_name", "notes",
        "owner_agency", "created_at", "updated_at", "version",
    }  # fmt: skip
    assert body["url"].endswith(detail_url(p))
    assert (body["alias"], body["birth_year"], body["district_name"], body["owner_agency"]) == (
        "Hel",
        1999,
        "Oxhagen",
        "polisen",
    )


def test_create_is_owned_by_the_callers_agency_and_logged(kommun, kommun_caseworker):
    district = District.objects.get(name="Varberga")
    before = last_log_id()
    response = client_for(kommun_caseworker).post(
        list_url(),
        {"alias": "  Ny Person ", "birth_year": 2004, "district": district.pk,
         "identity": {"personnummer": "850709-9805", "full_name": "Test Testsson"}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["alias"], body["owner_agency"], body["district"], body["version"]) == (
        "Ny Person",
        "orebro-kommun",
        district.pk,
        1,
    )
    assert "identity" not in body
    created = Individual.objects.get(pk=body["id"])
    assert created.owner_agency == kommun and created.created_by == kommun_caseworker
    assert created.identity.personnummer == PNR and created.identity.owner_agency == kommun
    entries = new_log_entries(before)
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        ("create", "cases.individual", [created.pk]),
        ("create", "cases.identitydetails", [created.pk]),
    ]
    assert all(e.via == Via.API and e.agency_id == kommun.pk for e in entries)


def test_create_errors_are_in_swedish(police_caseworker):
    response = client_for(police_caseworker).post(
        list_url(),
        {"alias": "", "birth_year": 1800, "district": 99999, "identity": {"personnummer": "19850709-9806"}},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["alias"] == ["Det här fältet får inte vara blankt."]
    assert "1900" in errors["birth_year"][0] and "större" in errors["birth_year"][0]
    assert "finns inte" in errors["district"][0] or "existerar inte" in errors["district"][0]
    assert "kontrollsiffran" in errors["identity"]["personnummer"][0]
    assert client_for(police_caseworker).post(list_url(), {}, format="json").json()["alias"] == [
        "Det här fältet är obligatoriskt."
    ]
    assert Individual.objects.count() == 0


def test_update_put_and_patch(police, police_caseworker):
    p = person(police, police_caseworker, alias="Gammal", birth_year=1990, notes="anteckning")
    client = client_for(police_caseworker)
    before = last_log_id()
    patched = client.patch(detail_url(p), {"birth_year": 1991, "version": 1}, format="json")
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["alias"], patched.json()["birth_year"], patched.json()["notes"]) == (
        "Gammal",
        1991,
        "anteckning",
    )
    put = client.put(detail_url(p), {"alias": "Ny", "version": 2}, format="json")
    assert put.status_code == 200, put.json()
    # PUT replaces: what was left out is emptied.
    assert (put.json()["alias"], put.json()["birth_year"], put.json()["notes"], put.json()["version"]) == (
        "Ny",
        None,
        "",
        3,
    )
    assert [(e.action, e.object_ids) for e in new_log_entries(before)] == [("change", [p.pk]), ("change", [p.pk])]


def test_update_requires_version(police, police_caseworker):
    p = person(police, police_caseworker)
    client = client_for(police_caseworker)
    assert client.patch(detail_url(p), {"alias": "X"}, format="json").json() == {
        "version": ["Ange den version du läste."]
    }
    assert client.put(detail_url(p), {"alias": "X"}, format="json").json() == {
        "version": ["Det här fältet är obligatoriskt."]
    }
    p.refresh_from_db()
    assert p.version == 1


def test_stale_version_gets_409_and_nothing_is_lost(police, police_caseworker, police_lead):
    p = person(police, police_caseworker, alias="Original")
    first = client_for(police_caseworker).patch(detail_url(p), {"alias": "Första", "version": 1}, format="json")
    assert first.status_code == 200
    before = last_log_id()
    stale = client_for(police_lead).patch(detail_url(p), {"alias": "Andra", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and stale.json()["code"] == "conflict"
    assert "ändrat" in stale.json()["detail"]
    p.refresh_from_db()
    assert (p.alias, p.version) == ("Första", 2)
    assert new_log_entries(before) == []


# --- the access log ----------------------------------------------------------------------------------------


def test_list_and_retrieve_are_logged(police, kommun, police_caseworker, kommun_caseworker):
    mine = person(police, police_caseworker)
    theirs = person(kommun, kommun_caseworker)
    share(theirs, to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)

    before = last_log_id()
    client.get(list_url())
    [entry] = new_log_entries(before)
    assert (entry.action, entry.model, entry.object_ids) == ("list", "cases.individual", [theirs.pk, mine.pk])
    assert (entry.user_id, entry.agency_id, entry.via) == (police_caseworker.pk, police.pk, Via.API)
    assert list(entry.targets.order_by("person_id").values_list("person_id", flat=True)) == sorted([mine.pk, theirs.pk])

    before = last_log_id()
    client.get(detail_url(theirs))
    [entry] = new_log_entries(before)
    assert (entry.action, entry.model, entry.object_ids, entry.via) == (
        "view",
        "cases.individual",
        [theirs.pk],
        Via.API,
    )

    before = last_log_id()
    client.get(reverse("api:individual-detail", args=[theirs.pk + 1000]))
    assert new_log_entries(before) == []


# --- query counts -----------------------------------------------------------------------------------------

# Per request, whatever the page size: session and user with the caller's membership and agency (2), the gate (list: the
# page's rows by primary key with the branches' ids as a subquery, one query. Detail: one query), the log entry and its targets (2; one statement on PostgreSQL), and the session save that
# SESSION_SAVE_EVERY_REQUEST adds (3 inside the test transaction: savepoint, update, release).
# A receiver's answer carries its provenance: one query more for a page or record received through a share
# (cases/disclosure.py; none when every row is the viewer's own).
PROVENANCE = 1
LIST_QUERIES = {"postgresql": 7, "sqlite": 8}
RETRIEVE_QUERIES = {"postgresql": 7, "sqlite": 8}


def _warm_up(client):
    # The gate caches permission ids per process; the first request of a test may look them up.
    client.get(list_url())


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_list_query_count_is_the_same_at_1_and_50_rows(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    for _ in range(owned):
        person(police, police_caseworker)
    for _ in range(shared):
        share(person(kommun, kommun_caseworker), to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    _warm_up(client)
    with django_assert_num_queries(LIST_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(list_url())
    assert len(response.json()["results"]) == owned + shared


# With an API token (an integration account) there is no session: the token with its user, membership and agency
# (1, agencies/api/authentication.py), the gate's page (1) and the log write (1 on PostgreSQL, 2 on SQLite). The
# token's last use is written at most once a minute, so not on the second call.
TOKEN_LIST_QUERIES = {"postgresql": 3, "sqlite": 4}


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_list_query_count_with_a_token(
    police, kommun, integration_user, kommun_caseworker, django_assert_num_queries, owned, shared
):
    from agencies.models import ApiToken
    from agencies.models.token import hash_token

    for _ in range(owned):
        person(police, integration_user)
    for _ in range(shared):
        share(person(kommun, kommun_caseworker), to=police, by=kommun_caseworker)
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=integration_user, key_hash=hash_token(raw), hint=raw[:8], expires_at=timezone.now() + timedelta(days=1)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    _warm_up(client)
    with django_assert_num_queries(TOKEN_LIST_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(list_url())
    assert response.status_code == 200
    assert len(response.json()["results"]) == owned + shared


def test_retrieve_query_count(police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries):
    mine = person(police, police_caseworker)
    theirs = person(kommun, kommun_caseworker)
    share(theirs, to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    _warm_up(client)
    for p in (mine, theirs):
        with django_assert_num_queries(RETRIEVE_QUERIES[connection.vendor] + (PROVENANCE if p is theirs else 0)):
            assert client.get(detail_url(p)).status_code == 200


# --- reference list for the district field ---------------------------------------------------------------------


def test_districts_lists_ids_and_names(police_caseworker):
    assert client_for().get(reverse("api:district-list")).status_code == 401
    rows = client_for(police_caseworker).get(reverse("api:district-list")).json()
    assert {"id": District.objects.get(name="Vivalla").pk, "name": "Vivalla"} in rows
    assert len(rows) == District.objects.filter(active=True).count()
