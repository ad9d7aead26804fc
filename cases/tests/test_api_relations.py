"""/api/v1/group-relations/: a conflict or alliance is shown only where the caller may see the relation AND
both its groups. The access matrix, the access log, optimistic locking and pinned query counts.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Via
from agencies.tests.factories import basis_for
from cases import services
from cases.models import GroupRelation, GroupRelationGroupGrant
from cases.tests.factories import group

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def share(obj, *, to, by, level="view"):
    return access.share(
        obj, to_agency=to, level=level, legal_basis=basis_for(to), assessment="Behövs för samverkan.", acting_user=by
    )


def relation(user, a, b, kind="conflict", **kw) -> GroupRelation:
    return services.relation_create(acting_user=user, group_a=a, group_b=b, kind=kind, source="Gruppkartläggning", **kw)


def list_url(**params) -> str:
    url = reverse("api:group-relation-list")
    return f"{url}?{urlencode(params)}" if params else url


def detail_url(r) -> str:
    return reverse("api:group-relation-detail", args=[r.pk])


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_log(after: int) -> list[tuple]:
    return [(e.action, e.model, e.object_ids) for e in AccessLogEntry.objects.filter(pk__gt=after).order_by("id")]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def pair(police, police_caseworker):
    return group(police, police_caseworker, name="Alfa"), group(police, police_caseworker, name="Beta")


# --- anonymous ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,which,body",
    [
        ("get", "list", None),
        ("post", "list", {"kind": "conflict"}),
        ("get", "detail", None),
        ("patch", "detail", {"status": "ended", "version": 1}),
    ],
)
def test_anonymous_gets_401(pair, police_caseworker, method, which, body):
    r = relation(police_caseworker, *pair)
    url = list_url() if which == "list" else detail_url(r)
    before = last_log_id()
    assert getattr(client_for(), method)(url, body, format="json").status_code == 401
    assert new_log(before) == []


# --- another agency --------------------------------------------------------------------------------------


def test_other_agency_gets_404_and_finds_nothing(pair, police_caseworker, outsider):
    a, b = pair
    r = relation(police_caseworker, a, b)
    client = client_for(outsider)
    assert client.get(detail_url(r)).status_code == 404
    assert client.patch(detail_url(r), {"status": "ended", "version": 1}, format="json").status_code == 404
    assert ids(client.get(list_url())) == []
    assert ids(client.get(list_url(kind="conflict"))) == []
    # An invisible group is no valid filter value: the same answer as a group that does not exist.
    hidden = client.get(list_url(group=a.pk))
    missing = client.get(list_url(group=a.pk + 1000))
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["group"][0].replace(str(a.pk), "?") == missing.json()["group"][0].replace(
        str(a.pk + 1000), "?"
    )
    r.refresh_from_db()
    assert (r.status, r.version) == ("active", 1)


# --- shared ----------------------------------------------------------------------------------------------


def test_shared_relation_needs_both_groups_visible(pair, kommun, police_caseworker, kommun_caseworker):
    a, b = pair
    r = relation(police_caseworker, a, b)
    client = client_for(kommun_caseworker)
    share(r, to=kommun, by=police_caseworker)
    assert client.get(detail_url(r)).status_code == 404
    assert ids(client.get(list_url())) == []
    share(a, to=kommun, by=police_caseworker)
    assert client.get(detail_url(r)).status_code == 404  # group b is still hidden
    assert ids(client.get(list_url())) == []
    share(b, to=kommun, by=police_caseworker)
    body = client.get(detail_url(r)).json()
    assert (body["id"], body["group_a_name"], body["group_b_name"], body["owner_agency"]) == (
        r.pk,
        "Alfa",
        "Beta",
        "polisen",
    )
    assert ids(client.get(list_url())) == [r.pk]
    assert ids(client.get(list_url(group=a.pk))) == [r.pk]


def test_groups_alone_do_not_reveal_their_relation(pair, kommun, police_caseworker, kommun_caseworker):
    a, b = pair
    r = relation(police_caseworker, a, b)
    share(a, to=kommun, by=police_caseworker)
    share(b, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    assert client.get(detail_url(r)).status_code == 404
    assert ids(client.get(list_url())) == []
    assert ids(client.get(list_url(group=a.pk))) == []


def test_view_share_may_not_change(pair, kommun, police_caseworker, kommun_caseworker):
    r = relation(police_caseworker, *pair)
    for obj in (*pair, r):
        share(obj, to=kommun, by=police_caseworker)
    before = last_log_id()
    response = client_for(kommun_caseworker).patch(detail_url(r), {"status": "ended", "version": 1}, format="json")
    assert response.status_code == 403 and "ändra" in response.json()["detail"]
    assert new_log(before) == []


def test_change_share_may_change_and_is_logged_as_the_receiver(pair, kommun, police_caseworker, kommun_caseworker):
    r = relation(police_caseworker, *pair)
    for obj in pair:
        share(obj, to=kommun, by=police_caseworker)
    share(r, to=kommun, by=police_caseworker, level="change")
    before = last_log_id()
    response = client_for(kommun_caseworker).patch(detail_url(r), {"status": "dormant", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["version"]) == ("dormant", 2)
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids, entry.agency_id) == (
        "change",
        "cases.grouprelation",
        [r.pk],
        kommun.pk,
    )


def test_relations_are_shared_through_the_register(pair, kommun, police_caseworker):
    r = relation(police_caseworker, *pair)
    response = client_for(police_caseworker).post(
        reverse("api:share-list"),
        {
            "object_type": "group_relation",
            "object_id": r.pk,
            "to_agency": "orebro-kommun",
            "legal_basis": "osl-10-2",
            "assessment": "Behövs för samverkan.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["object_type"], body["object_id"], body["to_agency"], body["legal_basis"], body["is_active"]) == (
        "group_relation",
        r.pk,
        "orebro-kommun",
        "osl-10-2",
        True,
    )
    assert GroupRelationGroupGrant.objects.filter(content_object=r).count() == 1


# --- the owner -----------------------------------------------------------------------------------------


def test_owner_retrieves_all_fields(pair, police_caseworker):
    r = relation(police_caseworker, *pair, since="2023-06-01", notes="Fiktiv")
    body = client_for(police_caseworker).get(detail_url(r)).json()
    assert set(body) == {
        "id", "url", "group_a", "group_a_name", "group_b", "group_b_name", "kind", "status", "since", "notes",
        "source", "owner_agency", "created_at", "updated_at", "version",
    }  # fmt: skip
    assert (body["group_a"], body["group_b"], body["kind"], body["since"], body["source"]) == (
        pair[0].pk,
        pair[1].pk,
        "conflict",
        "2023-06-01",
        "Gruppkartläggning",
    )


def test_list_filters(police, police_caseworker, pair):
    a, b = pair
    c = group(police, police_caseworker)
    conflict = relation(police_caseworker, a, b)
    alliance = relation(police_caseworker, b, c, kind="alliance", status="dormant")
    client = client_for(police_caseworker)
    assert ids(client.get(list_url())) == [alliance.pk, conflict.pk]
    assert ids(client.get(list_url(kind="alliance"))) == [alliance.pk]
    assert ids(client.get(list_url(status="active"))) == [conflict.pk]
    assert ids(client.get(list_url(group=a.pk))) == [conflict.pk]
    assert ids(client.get(list_url(group=b.pk))) == [alliance.pk, conflict.pk]


def test_create_is_owned_and_logged(pair, kommun, police_caseworker, kommun_caseworker):
    a, b = pair
    for g in pair:
        share(g, to=kommun, by=police_caseworker)
    before = last_log_id()
    response = client_for(kommun_caseworker).post(
        list_url(),
        {"group_a": a.pk, "group_b": b.pk, "kind": "alliance", "source": "Samtal med fältare"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["kind"], body["status"], body["owner_agency"], body["version"]) == (
        "alliance",
        "active",
        "orebro-kommun",
        1,
    )
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids, entry.via) == (
        "create",
        "cases.grouprelation",
        [body["id"]],
        Via.API,
    )


def test_create_refusals(police, kommun, pair, police_caseworker, kommun_caseworker):
    a, b = pair
    hidden = group(kommun, kommun_caseworker)
    client = client_for(police_caseworker)

    def post(**changes):
        return client.post(
            list_url(),
            {"group_a": a.pk, "group_b": b.pk, "kind": "conflict", "source": "Underrättelse", **changes},
            format="json",
        )

    # A group the caller cannot see is refused exactly like one that does not exist.
    invisible, missing = post(group_b=hidden.pk), post(group_b=hidden.pk + 1000)
    assert invisible.status_code == missing.status_code == 400
    assert invisible.json()["group_b"][0].replace(str(hidden.pk), "?") == missing.json()["group_b"][0].replace(
        str(hidden.pk + 1000), "?"
    )
    same = post(group_b=a.pk)
    assert same.status_code == 400 and same.json()["code"] == "same_group"
    assert post(source="").json() == {"source": ["Det här fältet får inte vara blankt."]}
    assert "giltigt val" in post(kind="krig").json()["kind"][0]
    assert GroupRelation.objects.count() == 0


def test_partial_update_version(pair, police_caseworker, police_lead):
    r = relation(police_caseworker, *pair)
    client = client_for(police_caseworker)
    assert client.patch(detail_url(r), {"status": "ended"}, format="json").json() == {
        "version": ["Ange den version du läste."]
    }
    patched = client.patch(
        detail_url(r), {"status": "ended", "notes": "Avslutad efter medling", "version": 1}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["status"], patched.json()["notes"], patched.json()["kind"], patched.json()["version"]) == (
        "ended",
        "Avslutad efter medling",
        "conflict",
        2,
    )
    # The groups of a relation are fixed: sending them changes nothing.
    client.patch(detail_url(r), {"group_a": pair[1].pk, "version": 2}, format="json")
    r.refresh_from_db()
    assert r.group_a_id == pair[0].pk
    stale = client_for(police_lead).patch(detail_url(r), {"status": "active", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 3


def test_list_and_retrieve_are_logged(pair, police, police_caseworker):
    r = relation(police_caseworker, *pair)
    client = client_for(police_caseworker)
    before = last_log_id()
    client.get(list_url())
    client.get(detail_url(r))
    assert new_log(before) == [("list", "cases.grouprelation", [r.pk]), ("view", "cases.grouprelation", [r.pk])]
    assert {e.via for e in AccessLogEntry.objects.filter(pk__gt=before)} == {Via.API}


# --- query counts -----------------------------------------------------------------------------------------

# Per request, whatever the number of rows: session and user with the caller's membership and agency (2), the
# gate (list: one query: the rows by
# primary key, the branches' ids as a subquery, with both groups and the owner joined; detail: one query), the log entry and its targets
# (2; one statement on PostgreSQL), and the session save (3 inside the test transaction).
# A receiver's answer carries its provenance: one query more for a page or record received through a share
# (cases/disclosure.py; none when every row is the viewer's own).
PROVENANCE = 1
LIST_QUERIES = {"postgresql": 7, "sqlite": 8}
RETRIEVE_QUERIES = {"postgresql": 7, "sqlite": 8}


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_list_query_count_is_the_same_at_1_and_50_rows(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    a, b = group(kommun, kommun_caseworker), group(kommun, kommun_caseworker)
    for g in (a, b):
        share(g, to=police, by=kommun_caseworker)
    for _ in range(owned):
        relation(police_caseworker, a, b)
    for _ in range(shared):
        share(relation(kommun_caseworker, a, b), to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(list_url())  # warm up: the gate caches permission ids per process
    with django_assert_num_queries(LIST_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(list_url())
    assert len(response.json()["results"]) == owned + shared


def test_retrieve_query_count(police, kommun, pair, police_caseworker, kommun_caseworker, django_assert_num_queries):
    mine = relation(police_caseworker, *pair)
    for g in pair:
        share(g, to=kommun, by=police_caseworker)
    theirs = relation(kommun_caseworker, *pair)
    share(theirs, to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(list_url())
    for r in (mine, theirs):
        with django_assert_num_queries(RETRIEVE_QUERIES[connection.vendor] + (PROVENANCE if r is theirs else 0)):
            assert client.get(detail_url(r)).status_code == 200
