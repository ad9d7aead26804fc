"""/api/v1/incidents/, its involvement rows and its month-by-month count: the access matrix, the access log,
optimistic locking and pinned query counts.

An involved group is shown where the caller may see the group; an involved person where the caller may see the
involvement record AND the person. Recording a victim never creates a group membership.
"""

from datetime import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Via
from agencies.tests.factories import basis_for
from cases import services
from cases.models import District, GroupMembership, Incident, IncidentGroup, IncidentPerson, Individual
from cases.tests.factories import IndividualFactory, group, incident

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


def involve(user, inc, individual, role="suspect") -> IncidentPerson:
    return services.incident_add_person(incident=inc, acting_user=user, individual=individual, role=role)


def involve_group(user, inc, grp, side="perpetrator") -> IncidentGroup:
    return services.incident_add_group(incident=inc, acting_user=user, group=grp, certainty="suspected", side=side)


def url(name, *args, **params) -> str:
    path = reverse(f"api:incident-{name}", args=args)
    return f"{path}?{urlencode(params)}" if params else path


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_log(after: int) -> list[tuple]:
    return [(e.action, e.model, e.object_ids) for e in AccessLogEntry.objects.filter(pk__gt=after).order_by("id")]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def total(response) -> int:
    assert response.status_code == 200, response.json()
    return sum(row["count"] for row in response.json())


def local(year, month, day) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12))


# --- anonymous ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,which,body",
    [
        ("get", "list", None),
        ("post", "list", {"kind": "shooting"}),
        ("get", "detail", None),
        ("patch", "detail", {"dead": 1, "version": 1}),
        ("post", "groups", {"certainty": "suspected"}),
        ("post", "persons", {"role": "victim"}),
        ("get", "monthly", None),
    ],
)
def test_anonymous_gets_401(police_caseworker, method, which, body):
    inc = incident(police_caseworker)
    target = url(which) if which in ("list", "monthly") else url(which, inc.pk)
    before = last_log_id()
    assert getattr(client_for(), method)(target, body, format="json").status_code == 401
    assert new_log(before) == []


# --- another agency --------------------------------------------------------------------------------------


def test_other_agency_gets_404_and_counts_nothing(police, police_caseworker, outsider):
    inc = incident(police_caseworker, district=District.objects.get(name="Vivalla"))
    grp = group(police, police_caseworker)
    client = client_for(outsider)
    assert client.get(url("detail", inc.pk)).status_code == 404
    assert client.patch(url("detail", inc.pk), {"dead": 3, "version": 1}, format="json").status_code == 404
    assert (
        client.post(
            url("groups", inc.pk), {"group": grp.pk, "certainty": "suspected", "side": "victim"}, format="json"
        ).status_code
        == 404
    )
    assert client.post(url("persons", inc.pk), {"individual": 1, "role": "victim"}, format="json").status_code == 404
    assert ids(client.get(url("list"))) == []
    assert ids(client.get(url("list", kind="shooting"))) == []
    assert total(client.get(url("monthly"))) == 0
    assert client.get(url("monthly")).json() == []
    inc.refresh_from_db()
    assert (inc.dead, inc.version) == (0, 1)


def test_missing_and_hidden_look_the_same(police_caseworker, outsider):
    inc = incident(police_caseworker)
    client = client_for(outsider)
    assert client.get(url("detail", inc.pk)).json() == client.get(url("detail", inc.pk + 1000)).json()


# --- shared ----------------------------------------------------------------------------------------------


def test_shared_incident_shows_only_visible_involvements(police, kommun, police_caseworker, kommun_caseworker):
    inc = incident(police_caseworker)
    shown_group, hidden_group = group(police, police_caseworker, name="Synlig"), group(police, police_caseworker)
    involve_group(police_caseworker, inc, shown_group)
    involve_group(police_caseworker, inc, hidden_group, side="victim")
    suspect, victim = person(police, police_caseworker, alias="Misstänkt S"), person(police, police_caseworker)
    shown = involve(police_caseworker, inc, suspect, "suspect")
    hidden = involve(police_caseworker, inc, victim, "victim")
    share(inc, to=kommun, by=police_caseworker)
    share(shown_group, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)

    body = client.get(url("detail", inc.pk)).json()
    assert [g["group_name"] for g in body["groups"]] == ["Synlig"]
    assert body["persons"] == []  # neither involvement nor person shared yet
    share(suspect, to=kommun, by=police_caseworker)
    share(victim, to=kommun, by=police_caseworker)
    assert client.get(url("detail", inc.pk)).json()["persons"] == []  # seeing both ends is not seeing the link
    share(shown, to=kommun, by=police_caseworker)
    share(hidden, to=kommun, by=police_caseworker)
    access.revoke(access.shares_of(victim).get(), acting_user=police_caseworker, reason="Ej längre nödvändigt")
    persons = client.get(url("detail", inc.pk)).json()["persons"]
    assert [(p["id"], p["individual_alias"], p["role"]) for p in persons] == [(shown.pk, "Misstänkt S", "suspect")]
    # The owner sees everything.
    full = client_for(police_caseworker).get(url("detail", inc.pk)).json()
    assert len(full["groups"]) == 2 and {p["id"] for p in full["persons"]} == {shown.pk, hidden.pk}


def test_shared_incidents_are_listed_and_counted_only_when_shared(police, kommun, police_caseworker, kommun_caseworker):
    shown = incident(police_caseworker, occurred_at=local(2024, 3, 5))
    incident(police_caseworker, occurred_at=local(2024, 3, 9))
    incident(police_caseworker, occurred_at=local(2024, 4, 9))
    share(shown, to=kommun, by=police_caseworker)
    own = incident(kommun_caseworker, occurred_at=local(2024, 4, 1), dead=1)
    client = client_for(kommun_caseworker)
    assert ids(client.get(url("list"))) == [own.pk, shown.pk]
    assert client.get(url("monthly")).json() == [
        {"month": "2024-03-01", "count": 1, "lethal": 0},
        {"month": "2024-04-01", "count": 1, "lethal": 1},
    ]
    assert total(client_for(police_caseworker).get(url("monthly"))) == 3


def test_view_share_may_not_change_or_add(police, kommun, police_caseworker, kommun_caseworker):
    inc = incident(police_caseworker)
    grp, p = group(kommun, kommun_caseworker), person(kommun, kommun_caseworker)
    share(inc, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    before = last_log_id()
    for response in (
        client.patch(url("detail", inc.pk), {"dead": 1, "version": 1}, format="json"),
        client.post(
            url("groups", inc.pk), {"group": grp.pk, "certainty": "suspected", "side": "victim"}, format="json"
        ),
        client.post(url("persons", inc.pk), {"individual": p.pk, "role": "witness"}, format="json"),
    ):
        assert response.status_code == 403 and "ändra" in response.json()["detail"]
    assert new_log(before) == []
    assert IncidentGroup.objects.count() == IncidentPerson.objects.count() == 0


def test_change_share_may_edit_but_only_the_owner_adds_involvements(
    police, kommun, police_caseworker, kommun_caseworker
):
    inc = incident(police_caseworker)
    grp, p = group(kommun, kommun_caseworker), person(kommun, kommun_caseworker)
    share(inc, to=kommun, by=police_caseworker, level="change")
    client = client_for(kommun_caseworker)
    before = last_log_id()
    patched = client.patch(url("detail", inc.pk), {"injured": 2, "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["injured"] == 2
    assert new_log(before) == [("change", "cases.incident", [inc.pk])]
    assert AccessLogEntry.objects.get(pk__gt=before).agency_id == kommun.pk
    for response in (
        client.post(
            url("groups", inc.pk), {"group": grp.pk, "certainty": "suspected", "side": "victim"}, format="json"
        ),
        client.post(url("persons", inc.pk), {"individual": p.pk, "role": "witness"}, format="json"),
    ):
        assert response.status_code == 400 and response.json()["code"] == "not_owner"
    assert IncidentGroup.objects.count() == IncidentPerson.objects.count() == 0


def test_incidents_and_involvements_are_shared_through_the_register(
    police, kommun, police_caseworker, kommun_caseworker
):
    inc = incident(police_caseworker)
    p = person(police, police_caseworker)
    involvement = involve(police_caseworker, inc, p)
    share(p, to=kommun, by=police_caseworker)
    client = client_for(police_caseworker)
    for object_type, obj in (("incident", inc), ("incident_person", involvement)):
        response = client.post(
            reverse("api:share-list"),
            {
                "object_type": object_type,
                "object_id": obj.pk,
                "to_agency": "orebro-kommun",
                "legal_basis": "osl-10-2",
                "assessment": "Behövs för samverkan.",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
    assert [row["id"] for row in client_for(kommun_caseworker).get(url("detail", inc.pk)).json()["persons"]] == [
        involvement.pk
    ]


# --- the owner: writes ------------------------------------------------------------------------------------


def test_create_is_owned_and_logged(police, police_caseworker):
    vivalla = District.objects.get(name="Vivalla")
    before = last_log_id()
    response = client_for(police_caseworker).post(
        url("list"),
        {"kind": "explosion", "occurred_at": "2024-02-03T01:30:00+01:00", "district": vivalla.pk, "injured": 1,
         "investigation_hours": "12.5", "place": "Fiktiv gata"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["kind"], body["district"], body["district_name"], body["injured"], body["investigation_hours"]) == (
        "explosion",
        vivalla.pk,
        "Vivalla",
        1,
        "12.5",
    )
    assert (body["owner_agency"], body["status"], body["version"]) == ("polisen", "open", 1)
    assert "groups" not in body and "persons" not in body
    assert Incident.objects.get(pk=body["id"]).created_by == police_caseworker
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids, entry.via) == (
        "create",
        "cases.incident",
        [body["id"]],
        Via.API,
    )


def test_create_errors_are_in_swedish(police_caseworker):
    response = client_for(police_caseworker).post(
        url("list"), {"kind": "bråk", "dead": -1, "investigation_hours": "-2", "district": 99999}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert "giltigt val" in errors["kind"][0]
    assert errors["occurred_at"] == ["Det här fältet är obligatoriskt."]
    assert "0" in errors["dead"][0] and "0" in errors["investigation_hours"][0]
    assert "finns inte" in errors["district"][0] or "existerar inte" in errors["district"][0]
    assert Incident.objects.count() == 0


def test_partial_update_version(police_caseworker, police_lead):
    inc = incident(police_caseworker, place="Kvar")
    client = client_for(police_caseworker)
    assert client.patch(url("detail", inc.pk), {"dead": 1}, format="json").json() == {
        "version": ["Ange den version du läste."]
    }
    patched = client.patch(url("detail", inc.pk), {"dead": 1, "status": "solved", "version": 1}, format="json")
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["dead"], patched.json()["status"], patched.json()["place"], patched.json()["version"]) == (
        1,
        "solved",
        "Kvar",
        2,
    )
    before = last_log_id()
    stale = client_for(police_lead).patch(url("detail", inc.pk), {"dead": 5, "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    inc.refresh_from_db()
    assert inc.dead == 1
    assert new_log(before) == []


def test_recording_a_victim_never_creates_a_membership(police, police_caseworker):
    inc = incident(police_caseworker)
    grp = group(police, police_caseworker)
    victim = person(police, police_caseworker)
    client = client_for(police_caseworker)
    before = last_log_id()
    g = client.post(url("groups", inc.pk), {"group": grp.pk, "certainty": "confirmed", "side": "victim"}, format="json")
    assert g.status_code == 201, g.json()
    assert (g.json()["group"], g.json()["group_name"], g.json()["side"]) == (grp.pk, grp.name, "victim")
    p = client.post(
        url("persons", inc.pk), {"individual": victim.pk, "role": "victim", "notes": "Skottskadad"}, format="json"
    )
    assert p.status_code == 201, p.json()
    assert (p.json()["individual"], p.json()["role"], p.json()["owner_agency"], p.json()["incident"]) == (
        victim.pk,
        "victim",
        "polisen",
        inc.pk,
    )
    assert GroupMembership.objects.count() == 0
    involvement = IncidentPerson.objects.get()
    assert new_log(before) == [
        ("change", "cases.incident", [inc.pk]),
        ("create", "cases.incidentperson", [involvement.pk]),
    ]
    created_entry = AccessLogEntry.objects.filter(pk__gt=before).order_by("id")[1]
    assert created_entry.targets.get().person_id == victim.pk


def test_involvement_refusals(police, kommun, police_caseworker, kommun_caseworker):
    inc = incident(police_caseworker)
    hidden_group, hidden_person = group(kommun, kommun_caseworker), person(kommun, kommun_caseworker)
    client = client_for(police_caseworker)
    bad_group = client.post(
        url("groups", inc.pk), {"group": hidden_group.pk, "certainty": "suspected", "side": "victim"}, format="json"
    )
    missing_group = client.post(
        url("groups", inc.pk),
        {"group": hidden_group.pk + 1000, "certainty": "suspected", "side": "victim"},
        format="json",
    )
    assert bad_group.status_code == missing_group.status_code == 400 and "group" in bad_group.json()
    bad_person = client.post(url("persons", inc.pk), {"individual": hidden_person.pk, "role": "victim"}, format="json")
    assert bad_person.status_code == 400 and "individual" in bad_person.json()
    grp = group(police, police_caseworker)
    body = {"group": grp.pk, "certainty": "suspected", "side": "perpetrator"}
    assert client.post(url("groups", inc.pk), body, format="json").status_code == 201
    duplicate = client.post(url("groups", inc.pk), body, format="json")
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate"
    assert (
        "giltigt val"
        in client.post(url("persons", inc.pk), {"individual": 1, "role": "medlem"}, format="json").json()["role"][0]
    )


# --- the owner: reads --------------------------------------------------------------------------------------


def test_owner_retrieves_all_fields(police, police_caseworker):
    inc = incident(police_caseworker, district=District.objects.get(name="Brickebacken"))
    body = client_for(police_caseworker).get(url("detail", inc.pk)).json()
    assert set(body) == {
        "id", "url", "kind", "occurred_at", "district", "district_name", "place", "dead", "injured", "status",
        "investigation_hours", "summary", "owner_agency", "created_at", "updated_at", "version", "groups", "persons",
    }  # fmt: skip
    assert (body["district_name"], body["groups"], body["persons"]) == ("Brickebacken", [], [])


def test_list_and_monthly_filters(police, police_caseworker):
    vivalla, centrum = District.objects.get(name="Vivalla"), District.objects.get(name="Centrum")
    grp = group(police, police_caseworker)
    a = incident(police_caseworker, occurred_at=local(2023, 11, 20), district=vivalla, dead=1)
    b = incident(police_caseworker, occurred_at=local(2024, 1, 10), district=centrum, kind="explosion")
    c = incident(police_caseworker, occurred_at=local(2024, 1, 25), district=vivalla)
    involve_group(police_caseworker, a, grp)
    involve_group(police_caseworker, c, grp, side="victim")
    client = client_for(police_caseworker)
    assert ids(client.get(url("list", district=vivalla.pk))) == [c.pk, a.pk]
    assert ids(client.get(url("list", kind="explosion"))) == [b.pk]
    assert ids(client.get(url("list", group=grp.pk))) == [c.pk, a.pk]
    assert ids(client.get(url("list", occurred_from="2024-01-01", occurred_to="2024-01-15"))) == [b.pk]
    assert client.get(url("monthly")).json() == [
        {"month": "2023-11-01", "count": 1, "lethal": 1},
        {"month": "2024-01-01", "count": 2, "lethal": 0},
    ]
    assert client.get(url("monthly", district=vivalla.pk)).json() == [
        {"month": "2023-11-01", "count": 1, "lethal": 1},
        {"month": "2024-01-01", "count": 1, "lethal": 0},
    ]
    assert client.get(url("monthly", group=grp.pk, occurred_from="2024-01-01")).json() == [
        {"month": "2024-01-01", "count": 1, "lethal": 0},
    ]
    bad = client.get(url("monthly", kind="bråk"))
    assert bad.status_code == 400 and "kind" in bad.json()


def test_monthly_groups_by_local_month(police_caseworker):
    # 23:30 on 31 January in Örebro is already February in UTC; the month is Örebro's.
    incident(police_caseworker, occurred_at=timezone.make_aware(datetime(2024, 1, 31, 23, 30)))
    assert client_for(police_caseworker).get(url("monthly")).json() == [
        {"month": "2024-01-01", "count": 1, "lethal": 0}
    ]


def test_reads_are_logged_with_the_involved_persons(police, police_caseworker):
    inc = incident(police_caseworker)
    p = person(police, police_caseworker)
    involvement = involve(police_caseworker, inc, p)
    client = client_for(police_caseworker)
    before = last_log_id()
    client.get(url("list"))
    client.get(url("detail", inc.pk))
    client.get(url("monthly"))  # counts only: no record is read
    entries = list(AccessLogEntry.objects.filter(pk__gt=before).order_by("id"))
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        ("list", "cases.incident", [inc.pk]),
        ("view", "cases.incident", [inc.pk]),
        ("list", "cases.incidentperson", [involvement.pk]),
    ]
    assert list(entries[2].targets.values_list("person_id", flat=True)) == [p.pk]
    assert {(e.agency_id, e.via) for e in entries} == {(police.pk, Via.API)}


# --- query counts -----------------------------------------------------------------------------------------

# Per request, whatever the number of rows: session and user with the caller's membership and agency (2), the gate
# (list: one query, the rows by primary key with district and owner joined and the branches' ids as a subquery),
# the log entry and its targets (2; one statement on PostgreSQL), and the session save
# (3 inside the test transaction). The detail reads the incident (1) and logs it (2; 1 on PostgreSQL), then its visible
# groups (1) and its visible person involvements as a gated, logged page (as a list: 1, then 2 to log; 1 on
# PostgreSQL). The monthly count: the filtered, gated aggregate (1), no log.
# A receiver's answer carries its provenance: one query more for a page or record received through a share
# (cases/disclosure.py; none when every row is the viewer's own).
PROVENANCE = 1
LIST_QUERIES = {"postgresql": 7, "sqlite": 8}
RETRIEVE_QUERIES = {"postgresql": 10, "sqlite": 12}
MONTHLY_QUERIES = {"postgresql": 6, "sqlite": 6}


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_list_query_count_is_the_same_at_1_and_50_rows(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    vivalla = District.objects.get(name="Vivalla")
    for _ in range(owned):
        incident(police_caseworker, district=vivalla)
    for _ in range(shared):
        share(incident(kommun_caseworker, district=vivalla), to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(url("list"))  # warm up: the gate caches permission ids per process
    with django_assert_num_queries(LIST_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(url("list"))
    assert len(response.json()["results"]) == owned + shared
    with django_assert_num_queries(MONTHLY_QUERIES[connection.vendor]):
        assert total(client.get(url("monthly"))) == owned + shared


@pytest.mark.parametrize("rows", [1, 50])
def test_retrieve_query_count_is_the_same_at_1_and_50_involvements(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, rows
):
    mine = incident(police_caseworker)
    theirs = incident(kommun_caseworker)
    share(theirs, to=police, by=kommun_caseworker)
    for _ in range(rows):
        involve_group(police_caseworker, mine, group(police, police_caseworker))
        involve(police_caseworker, mine, person(police, police_caseworker))
        # kommun's incident: a police group shared with kommun; kommun's person and involvement shared back.
        grp = group(police, police_caseworker)
        share(grp, to=kommun, by=police_caseworker)
        involve_group(kommun_caseworker, theirs, grp)
        p = person(kommun, kommun_caseworker)
        share(p, to=police, by=kommun_caseworker)
        share(involve(kommun_caseworker, theirs, p), to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(url("list"))  # warm up
    for target in (mine, theirs):
        # kommun's incident and its involvements shared back: the provenance of each, one query apiece.
        received = 2 * PROVENANCE if target is theirs else 0
        with django_assert_num_queries(RETRIEVE_QUERIES[connection.vendor] + received):
            body = client.get(url("detail", target.pk)).json()
        assert (len(body["groups"]), len(body["persons"])) == (rows, rows)


def test_retrieve_with_no_visible_person_writes_no_log_targets(police_caseworker, django_assert_num_queries):
    inc = incident(police_caseworker)
    client = client_for(police_caseworker)
    client.get(url("list"))
    # One query fewer on SQLite: the (still written) list entry has no targets to insert (on PostgreSQL the entry
    # and its targets are one statement either way; the involvements' page is one query, rows or none).
    with django_assert_num_queries(
        RETRIEVE_QUERIES[connection.vendor] - {"postgresql": 0, "sqlite": 1}[connection.vendor]
    ):
        assert client.get(url("detail", inc.pk)).json()["persons"] == []
