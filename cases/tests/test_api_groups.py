"""/api/v1/groups/ and /api/v1/groups/{id}/members/: the access matrix, the access log, optimistic locking
and pinned query counts.

Named users (conftest.py): police owns the records; kommun receives shares; outsider is a second community
partner that nothing is ever shared with. A shared group never reveals members that are not shared too.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Via
from agencies.tests.factories import basis_for
from cases.models import CriminalGroup, District, Individual
from cases.tests.factories import IndividualFactory, group, membership

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


def person(owner, user, **kw) -> Individual:
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def list_url(**params) -> str:
    url = reverse("api:group-list")
    return f"{url}?{urlencode(params)}" if params else url


def detail_url(g) -> str:
    return reverse("api:group-detail", args=[g.pk])


def members_url(g, **params) -> str:
    url = reverse("api:group-members", args=[g.pk])
    return f"{url}?{urlencode(params)}" if params else url


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_log(after: int) -> list[tuple]:
    return [(e.action, e.model, e.object_ids) for e in AccessLogEntry.objects.filter(pk__gt=after).order_by("id")]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


# --- anonymous ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,which,body",
    [
        ("get", "list", None),
        ("post", "list", {"name": "Anon"}),
        ("get", "detail", None),
        ("patch", "detail", {"name": "Anon", "version": 1}),
        ("get", "members", None),
    ],
)
def test_anonymous_gets_401(police, police_caseworker, method, which, body):
    g = group(police, police_caseworker)
    url = {"list": list_url(), "detail": detail_url(g), "members": members_url(g)}[which]
    before = last_log_id()
    response = getattr(client_for(), method)(url, body, format="json")
    assert response.status_code == 401
    assert new_log(before) == []


def test_put_and_delete_are_not_offered(police, police_caseworker):
    g = group(police, police_caseworker)
    client = client_for(police_caseworker)
    assert client.put(detail_url(g), {"name": "X", "version": 1}, format="json").status_code == 405
    assert client.delete(detail_url(g)).status_code == 405


# --- another agency --------------------------------------------------------------------------------------


def test_other_agency_gets_404_and_finds_nothing(police, police_caseworker, outsider):
    vivalla = District.objects.get(name="Vivalla")
    g = group(police, police_caseworker, name="Norra Ligan", districts=[vivalla])
    membership(police_caseworker, person(police, police_caseworker), g)
    client = client_for(outsider)
    before = last_log_id()
    assert client.get(detail_url(g)).status_code == 404
    assert client.get(members_url(g)).status_code == 404
    assert client.patch(detail_url(g), {"name": "Kapad", "version": 1}, format="json").status_code == 404
    assert ids(client.get(list_url())) == []
    assert ids(client.get(list_url(q="Norra"))) == []
    assert ids(client.get(list_url(district=vivalla.pk))) == []
    assert ids(client.get(list_url(status="active"))) == []
    # Only the two (empty) list reads are logged; nothing was read or written.
    assert {action for action, _m, object_ids in new_log(before) if object_ids} == set()
    g.refresh_from_db()
    assert (g.name, g.version) == ("Norra Ligan", 1)


def test_missing_and_hidden_look_the_same(police, police_caseworker, outsider):
    g = group(police, police_caseworker)
    client = client_for(outsider)
    missing = reverse("api:group-detail", args=[g.pk + 1000])
    assert client.get(detail_url(g)).json() == client.get(missing).json()
    assert client.get(members_url(g)).json() == client.get(missing + "members/").json()


# --- shared ----------------------------------------------------------------------------------------------


def test_shared_group_is_visible_without_its_members(police, kommun, police_caseworker, kommun_caseworker):
    g = group(police, police_caseworker, name="Delade Gänget")
    bare = group(police, police_caseworker, name="Utan Medlemmar")
    p = person(police, police_caseworker)
    m = membership(police_caseworker, p, g)
    share(g, to=kommun, by=police_caseworker)
    share(bare, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)

    body = client.get(detail_url(g)).json()
    assert body["id"] == g.pk and body["owner_agency"] == "polisen"
    # The group's representation carries no member list, nor any hint of one.
    assert not any("member" in key for key in body)
    assert ids(client.get(list_url())) == [bare.pk, g.pk]

    # A shared group with unshared members looks exactly like a group with none.
    with_hidden = client.get(members_url(g))
    without = client.get(members_url(bare))
    assert with_hidden.status_code == without.status_code == 200
    assert with_hidden.json() == without.json() == {"next": None, "previous": None, "results": []}

    share(m, to=kommun, by=police_caseworker)
    assert ids(client.get(members_url(g))) == []  # the person itself is not shared
    share(p, to=kommun, by=police_caseworker)
    assert ids(client.get(members_url(g))) == [m.pk]
    # The owner saw them all along.
    assert ids(client_for(police_caseworker).get(members_url(g))) == [m.pk]


def test_members_show_only_the_shared_ones(police, kommun, police_caseworker, kommun_caseworker):
    g = group(police, police_caseworker)
    shown, hidden = person(police, police_caseworker), person(police, police_caseworker)
    m_shown = membership(police_caseworker, shown, g)
    m_hidden = membership(police_caseworker, hidden, g)
    for obj in (g, shown, m_shown, hidden):  # hidden's membership is not shared
        share(obj, to=kommun, by=police_caseworker)
    assert ids(client_for(kommun_caseworker).get(members_url(g))) == [m_shown.pk]
    assert ids(client_for(police_caseworker).get(members_url(g))) == [m_hidden.pk, m_shown.pk]


def test_view_share_may_not_change(police, kommun, police_caseworker, kommun_caseworker):
    g = group(police, police_caseworker, name="Orörd")
    share(g, to=kommun, by=police_caseworker)
    before = last_log_id()
    response = client_for(kommun_caseworker).patch(detail_url(g), {"name": "Ändrad", "version": 1}, format="json")
    assert response.status_code == 403 and "ändra" in response.json()["detail"]
    g.refresh_from_db()
    assert (g.name, g.version) == ("Orörd", 1)
    assert new_log(before) == []


def test_change_share_may_change_and_is_logged_as_the_receiver(police, kommun, police_caseworker, kommun_caseworker):
    g = group(police, police_caseworker, name="Före")
    share(g, to=kommun, by=police_caseworker, level="change")
    before = last_log_id()
    response = client_for(kommun_caseworker).patch(detail_url(g), {"name": "Efter", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["version"]) == ("Efter", 2)
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids) == ("change", "cases.criminalgroup", [g.pk])
    assert (entry.agency_id, entry.user_id, entry.via) == (kommun.pk, kommun_caseworker.pk, Via.API)


def test_revoke_removes_access_at_once(police, kommun, police_caseworker, kommun_caseworker):
    g = group(police, police_caseworker)
    record = share(g, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    assert client.get(detail_url(g)).status_code == 200
    access.revoke(record, acting_user=police_caseworker, reason="Ändamålet har upphört")
    assert client.get(detail_url(g)).status_code == 404
    assert client.get(members_url(g)).status_code == 404
    assert ids(client.get(list_url())) == []


def test_groups_are_shared_through_the_register(police, kommun, police_caseworker, kommun_caseworker):
    g = group(police, police_caseworker)
    response = client_for(police_caseworker).post(
        reverse("api:share-list"),
        {
            "object_type": "group",
            "object_id": g.pk,
            "to_agency": "orebro-kommun",
            "legal_basis": "osl-10-2",
            "assessment": "Behövs för samverkan.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["object_type"] == "group"
    assert client_for(kommun_caseworker).get(detail_url(g)).status_code == 200


# --- the owner -----------------------------------------------------------------------------------------


def test_owner_retrieves_all_fields(police, police_caseworker):
    vivalla, oxhagen = District.objects.get(name="Vivalla"), District.objects.get(name="Oxhagen")
    g = group(
        police, police_caseworker, name="Hela", aliases=["H1", " "], districts=[vivalla, oxhagen],
        description="Fiktiv", status=CriminalGroup.Status.INACTIVE,
    )  # fmt: skip
    body = client_for(police_caseworker).get(detail_url(g)).json()
    assert set(body) == {
        "id", "url", "name", "aliases", "districts", "status", "description", "first_seen", "last_seen",
        "owner_agency", "created_at", "updated_at", "version",
    }  # fmt: skip
    assert body["url"].endswith(detail_url(g))
    assert (body["name"], body["aliases"], sorted(body["districts"]), body["status"], body["owner_agency"]) == (
        "Hela",
        ["H1"],
        sorted([vivalla.pk, oxhagen.pk]),
        "inactive",
        "polisen",
    )


def test_owner_lists_own_and_shared_newest_first(police, kommun, police_caseworker, kommun_caseworker):
    mine = group(police, police_caseworker)
    theirs = group(kommun, kommun_caseworker)
    share(theirs, to=police, by=kommun_caseworker)
    group(kommun, kommun_caseworker)  # not shared
    assert ids(client_for(police_caseworker).get(list_url())) == [theirs.pk, mine.pk]


def test_list_filters(police, kommun, police_caseworker, kommun_caseworker):
    from cases import services

    vivalla = District.objects.get(name="Vivalla")
    a = group(police, police_caseworker, name="Alfa", aliases=["Vargarna"], districts=[vivalla])
    b = group(police, police_caseworker, name="Beta", status=CriminalGroup.Status.DISSOLVED)
    c = group(police, police_caseworker, name="Gamma")
    services.relation_create(
        acting_user=police_caseworker, group_a=a, group_b=c, kind="conflict", source="Kartläggning"
    )
    # kommun's alliance is not shared with the police: it must not count for the relation filter.
    hidden_owner = group(kommun, kommun_caseworker)
    share(hidden_owner, to=police, by=kommun_caseworker)
    share(b, to=kommun, by=police_caseworker)
    services.relation_create(
        acting_user=kommun_caseworker, group_a=hidden_owner, group_b=b, kind="alliance", source="x"
    )
    client = client_for(police_caseworker)
    assert ids(client.get(list_url(district=vivalla.pk))) == [a.pk]
    assert ids(client.get(list_url(status="dissolved"))) == [b.pk]
    assert ids(client.get(list_url(q="alf"))) == [a.pk]
    assert ids(client.get(list_url(q="vargarna"))) == [a.pk]
    assert ids(client.get(list_url(relation="conflict"))) == [c.pk, a.pk]
    assert ids(client.get(list_url(relation="alliance"))) == []
    bad = client.get(list_url(status="okänd"))
    assert bad.status_code == 400 and "status" in bad.json()


def test_list_pages_with_cursor(police, police_caseworker):
    groups = [group(police, police_caseworker) for _ in range(5)]
    client = client_for(police_caseworker)
    first = client.get(list_url(page_size=3)).json()
    assert [r["id"] for r in first["results"]] == [g.pk for g in reversed(groups)][:3]
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [g.pk for g in reversed(groups)][3:]
    assert client.get(list_url(cursor="skräp")).status_code == 400


def test_create_is_owned_by_the_callers_agency_and_logged(kommun, kommun_caseworker):
    vivalla = District.objects.get(name="Vivalla")
    before = last_log_id()
    response = client_for(kommun_caseworker).post(
        list_url(),
        {"name": "  Nya Gänget ", "aliases": ["NG"], "districts": [vivalla.pk], "first_seen": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (
        body["name"],
        body["aliases"],
        body["districts"],
        body["owner_agency"],
        body["status"],
        body["version"],
    ) == (
        "Nya Gänget",
        ["NG"],
        [vivalla.pk],
        "orebro-kommun",
        "active",
        1,
    )
    created = CriminalGroup.objects.get(pk=body["id"])
    assert created.owner_agency == kommun and created.created_by == kommun_caseworker
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids, entry.via) == (
        "create",
        "cases.criminalgroup",
        [created.pk],
        Via.API,
    )


def test_create_errors_are_in_swedish(police_caseworker):
    client = client_for(police_caseworker)
    response = client.post(list_url(), {"name": "", "districts": [99999], "status": "x"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["name"] == ["Det här fältet får inte vara blankt."]
    assert "finns inte" in errors["districts"][0] or "existerar inte" in errors["districts"][0]
    assert "giltigt val" in errors["status"][0]
    dates = client.post(list_url(), {"name": "X", "first_seen": "2024-05-01", "last_seen": "2024-01-01"}, format="json")
    assert dates.status_code == 400 and dates.json()["code"] == "dates" and "före" in dates.json()["detail"]
    assert CriminalGroup.objects.count() == 0


def test_partial_update_version_and_districts(police, police_caseworker, police_lead):
    vivalla, centrum = District.objects.get(name="Vivalla"), District.objects.get(name="Centrum")
    g = group(police, police_caseworker, name="Gamla", districts=[vivalla], description="kvar")
    client = client_for(police_caseworker)
    assert client.patch(detail_url(g), {"name": "X"}, format="json").json() == {
        "version": ["Ange den version du läste."]
    }

    before = last_log_id()
    patched = client.patch(detail_url(g), {"districts": [centrum.pk], "version": 1}, format="json")
    assert patched.status_code == 200, patched.json()
    body = patched.json()
    assert (body["name"], body["description"], body["districts"], body["version"]) == ("Gamla", "kvar", [centrum.pk], 2)
    assert new_log(before) == [("change", "cases.criminalgroup", [g.pk])]
    assert AccessLogEntry.objects.get(pk__gt=before).detail == {"fields": ["districts"]}

    before = last_log_id()
    stale = client_for(police_lead).patch(detail_url(g), {"name": "Andra", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and stale.json()["code"] == "conflict"
    g.refresh_from_db()
    assert (g.name, g.version) == ("Gamla", 2)
    assert new_log(before) == []


# --- the access log ----------------------------------------------------------------------------------------


def test_list_retrieve_and_members_are_logged(police, kommun, police_caseworker, kommun_caseworker):
    mine = group(police, police_caseworker)
    theirs = group(kommun, kommun_caseworker)
    share(theirs, to=police, by=kommun_caseworker)
    p = person(police, police_caseworker)
    m = membership(police_caseworker, p, mine)
    client = client_for(police_caseworker)

    before = last_log_id()
    client.get(list_url())
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids) == ("list", "cases.criminalgroup", [theirs.pk, mine.pk])
    assert (entry.user_id, entry.agency_id, entry.via) == (police_caseworker.pk, police.pk, Via.API)

    before = last_log_id()
    client.get(detail_url(theirs))
    assert new_log(before) == [("view", "cases.criminalgroup", [theirs.pk])]

    before = last_log_id()
    client.get(members_url(mine))
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids) == ("list", "cases.groupmembership", [m.pk])
    # Reading who is in a group is a read about that person: a lead can find it by person.
    assert list(entry.targets.values_list("person_id", flat=True)) == [p.pk]

    before = last_log_id()
    client.get(reverse("api:group-detail", args=[theirs.pk + 1000]))
    assert new_log(before) == []


# --- query counts -----------------------------------------------------------------------------------------

# Per request, whatever the number of rows: session and user with the caller's membership and agency (2), the
# gate (list: one query, the rows by primary key with the branches' ids as a subquery; detail: one query), the districts of the rows (1, prefetched), the log entry and its targets
# (2; one statement on PostgreSQL), and the session save (3 inside the test transaction: savepoint, update, release).
# A receiver's answer carries its provenance: one query more for a page or record received through a share
# (cases/disclosure.py; none when every row is the viewer's own).
PROVENANCE = 1
LIST_QUERIES = {"postgresql": 8, "sqlite": 9}
RETRIEVE_QUERIES = {"postgresql": 8, "sqlite": 9}
# Members: the group's visibility (1) instead of the districts; the memberships' page as any list.
MEMBERS_QUERIES = {"postgresql": 8, "sqlite": 9}


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_list_query_count_is_the_same_at_1_and_50_rows(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    districts = list(District.objects.all()[:2])
    for _ in range(owned):
        group(police, police_caseworker, districts=districts)
    for _ in range(shared):
        share(group(kommun, kommun_caseworker, districts=districts), to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(list_url())  # warm up: the gate caches permission ids per process
    with django_assert_num_queries(LIST_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(list_url())
    assert len(response.json()["results"]) == owned + shared


def test_retrieve_query_count(police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries):
    mine = group(police, police_caseworker, districts=list(District.objects.all()[:3]))
    theirs = group(kommun, kommun_caseworker)
    share(theirs, to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(list_url())
    for g in (mine, theirs):
        with django_assert_num_queries(RETRIEVE_QUERIES[connection.vendor] + (PROVENANCE if g is theirs else 0)):
            assert client.get(detail_url(g)).status_code == 200


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_members_query_count_is_the_same_at_1_and_50_rows(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    g = group(police, police_caseworker)
    share(g, to=kommun, by=police_caseworker)
    for _ in range(owned):  # recorded by kommun on the shared group, about kommun's persons
        membership(kommun_caseworker, person(kommun, kommun_caseworker), g)
    for _ in range(shared):  # recorded by the police, shared with kommun together with the person
        p = person(police, police_caseworker)
        share(p, to=kommun, by=police_caseworker)
        share(membership(police_caseworker, p, g), to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    client.get(members_url(g))
    with django_assert_num_queries(MEMBERS_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(members_url(g))
    assert len(response.json()["results"]) == owned + shared
