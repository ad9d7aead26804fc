"""/api/v1/memberships/: a membership is shown only where the caller may see it AND its person AND its group;
it needs evidence and a source; only its owner reviews it. The access matrix, the access log and pinned
query counts.
"""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Via
from agencies.tests.factories import basis_for
from cases.models import GroupMembership, GroupMembershipGroupGrant, Individual
from cases.services.groups import EVIDENCE_REQUIRED
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
    url = reverse("api:membership-list")
    return f"{url}?{urlencode(params)}" if params else url


def detail_url(m) -> str:
    return reverse("api:membership-detail", args=[m.pk])


def review_url(m) -> str:
    return reverse("api:membership-review", args=[m.pk])


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_log(after: int) -> list[tuple]:
    return [(e.action, e.model, e.object_ids) for e in AccessLogEntry.objects.filter(pk__gt=after).order_by("id")]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def claim(police, police_caseworker) -> GroupMembership:
    """A police membership of a police person in a police group."""
    return membership(
        police_caseworker,
        person(police, police_caseworker, alias="Medlem M"),
        group(police, police_caseworker, name="Gänget"),
    )


def share_all(m, *, to, by, level="view"):
    share(m.individual, to=to, by=by)
    share(m.group, to=to, by=by)
    return share(m, to=to, by=by, level=level)


# --- anonymous ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,which,body",
    [
        ("get", "list", None),
        ("post", "list", {"evidence": "x"}),
        ("get", "detail", None),
        ("post", "review", {"decision": "end", "end_reason": "x"}),
    ],
)
def test_anonymous_gets_401(claim, method, which, body):
    url = {"list": list_url(), "detail": detail_url(claim), "review": review_url(claim)}[which]
    before = last_log_id()
    assert getattr(client_for(), method)(url, body, format="json").status_code == 401
    assert new_log(before) == []


def test_changes_only_through_review(claim, police_caseworker):
    client = client_for(police_caseworker)
    assert client.patch(detail_url(claim), {"role": "leader", "version": 1}, format="json").status_code == 405
    assert client.put(detail_url(claim), {"role": "leader", "version": 1}, format="json").status_code == 405
    assert client.delete(detail_url(claim)).status_code == 405


# --- another agency --------------------------------------------------------------------------------------


def test_other_agency_gets_404_and_finds_nothing(claim, outsider):
    client = client_for(outsider)
    assert client.get(detail_url(claim)).status_code == 404
    assert client.post(review_url(claim), {"decision": "end", "end_reason": "x"}, format="json").status_code == 404
    assert ids(client.get(list_url())) == []
    assert ids(client.get(list_url(status="active"))) == []
    # Invisible groups and persons are no valid filter values, the same as missing ones.
    assert client.get(list_url(group=claim.group_id)).status_code == 400
    assert client.get(list_url(individual=claim.individual_id)).status_code == 400
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("active", 1)


# --- shared ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shared_ends", [(), ("individual",), ("group",)])
def test_membership_needs_its_person_and_group_visible(
    claim, kommun, police_caseworker, kommun_caseworker, shared_ends
):
    share(claim, to=kommun, by=police_caseworker)
    for end in shared_ends:
        share(getattr(claim, end), to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    assert client.get(detail_url(claim)).status_code == 404
    assert ids(client.get(list_url())) == []
    assert client.post(review_url(claim), {"decision": "end", "end_reason": "x"}, format="json").status_code == 404


def test_both_ends_alone_do_not_reveal_the_membership(claim, kommun, police_caseworker, kommun_caseworker):
    share(claim.individual, to=kommun, by=police_caseworker)
    share(claim.group, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    assert client.get(detail_url(claim)).status_code == 404
    assert ids(client.get(list_url())) == []
    assert ids(client.get(list_url(group=claim.group_id))) == []


def test_shared_membership_with_both_ends_is_visible(claim, kommun, police_caseworker, kommun_caseworker):
    share_all(claim, to=kommun, by=police_caseworker)
    client = client_for(kommun_caseworker)
    body = client.get(detail_url(claim)).json()
    assert (body["id"], body["individual_alias"], body["group_name"], body["owner_agency"]) == (
        claim.pk,
        "Medlem M",
        "Gänget",
        "polisen",
    )
    assert ids(client.get(list_url())) == [claim.pk]
    assert ids(client.get(list_url(group=claim.group_id, individual=claim.individual_id))) == [claim.pk]


def test_only_the_owner_reviews(claim, kommun, police_caseworker, kommun_caseworker, probation, probation_caseworker):
    share_all(claim, to=kommun, by=police_caseworker, level="view")
    share_all(claim, to=probation, by=police_caseworker, level="change")
    before = last_log_id()
    body = {"decision": "end", "end_reason": "Har flyttat"}
    read_only = client_for(kommun_caseworker).post(review_url(claim), body, format="json")
    assert read_only.status_code == 403 and "ändra" in read_only.json()["detail"]
    not_owner = client_for(probation_caseworker).post(review_url(claim), body, format="json")
    assert not_owner.status_code == 400 and not_owner.json()["code"] == "not_owner"
    assert "ägande myndigheten" in not_owner.json()["detail"]
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("active", 1)
    assert new_log(before) == []


def test_memberships_are_shared_through_the_register(claim, kommun, police_caseworker):
    response = client_for(police_caseworker).post(
        reverse("api:share-list"),
        {
            "object_type": "membership",
            "object_id": claim.pk,
            "to_agency": "orebro-kommun",
            "legal_basis": "osl-10-2",
            "assessment": "Behövs för samverkan.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["object_type"], body["object_id"], body["to_agency"], body["legal_basis"], body["is_active"]) == (
        "membership",
        claim.pk,
        "orebro-kommun",
        "osl-10-2",
        True,
    )
    assert GroupMembershipGroupGrant.objects.filter(content_object=claim).count() == 1


# --- the owner: create -----------------------------------------------------------------------------------


def _body(m_person, grp, **changes) -> dict:
    return {
        "individual": m_person.pk,
        "group": grp.pk,
        "role": "core",
        "source_type": "group_audit",
        "evidence": "Nämnd av tre partner vid gruppkartläggningen (fiktivt).",
        "confidence": "probable",
        **changes,
    }


def test_create_is_owned_logged_and_due_for_review_in_a_year(police, kommun, police_caseworker, kommun_caseworker):
    p, g = person(police, police_caseworker), group(police, police_caseworker)
    share(p, to=kommun, by=police_caseworker)
    share(g, to=kommun, by=police_caseworker)
    before = last_log_id()
    response = client_for(kommun_caseworker).post(list_url(), _body(p, g), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["owner_agency"], body["status"], body["review_due"], body["version"]) == (
        "orebro-kommun",
        "active",
        (timezone.localdate() + timedelta(days=365)).isoformat(),
        1,
    )
    assert body["expires_on"] == (timezone.localdate() + timedelta(days=395)).isoformat()
    created = GroupMembership.objects.get(pk=body["id"])
    assert created.recorded_by == kommun_caseworker
    [entry] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (entry.action, entry.model, entry.object_ids, entry.via) == (
        "create",
        "cases.groupmembership",
        [created.pk],
        Via.API,
    )
    assert list(entry.targets.values_list("person_id", flat=True)) == [p.pk]


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"evidence": ""}, "evidence"),
        ({"evidence": "   "}, "evidence"),
        ({"evidence": None}, "evidence"),
        ({"evidence": "__missing__"}, "evidence"),
        ({"source_type": ""}, "source_type"),
        ({"source_type": "__missing__"}, "source_type"),
    ],
)
def test_membership_without_evidence_is_refused_in_swedish(police, police_caseworker, changes, field):
    body = _body(person(police, police_caseworker), group(police, police_caseworker), **changes)
    body = {k: v for k, v in body.items() if v != "__missing__"}
    response = client_for(police_caseworker).post(list_url(), body, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [EVIDENCE_REQUIRED]}
    assert "kräver underlag" in EVIDENCE_REQUIRED
    assert GroupMembership.objects.count() == 0


def test_create_with_invisible_person_or_group_is_refused_like_a_missing_one(
    police, kommun, police_caseworker, kommun_caseworker
):
    hidden_person, hidden_group = person(kommun, kommun_caseworker), group(kommun, kommun_caseworker)
    p, g = person(police, police_caseworker), group(police, police_caseworker)
    client = client_for(police_caseworker)
    for field, hidden in (("individual", hidden_person), ("group", hidden_group)):
        invisible = client.post(list_url(), _body(p, g, **{field: hidden.pk}), format="json")
        missing = client.post(list_url(), _body(p, g, **{field: hidden.pk + 1000}), format="json")
        assert invisible.status_code == missing.status_code == 400
        assert invisible.json()[field][0].replace(str(hidden.pk), "?") == missing.json()[field][0].replace(
            str(hidden.pk + 1000), "?"
        )
    assert GroupMembership.objects.count() == 0


def test_create_other_refusals(police, police_caseworker):
    p, g = person(police, police_caseworker), group(police, police_caseworker)
    client = client_for(police_caseworker)
    dates = client.post(list_url(), _body(p, g, valid_from="2024-05-01", valid_to="2024-01-01"), format="json")
    assert dates.status_code == 400 and dates.json()["code"] == "dates"
    assert (
        "giltigt val" in client.post(list_url(), _body(p, g, confidence="säker"), format="json").json()["confidence"][0]
    )
    assert GroupMembership.objects.count() == 0


# --- the owner: review ------------------------------------------------------------------------------------


def test_review_confirm_change_end(claim, police_caseworker):
    client = client_for(police_caseworker)
    before = last_log_id()
    confirmed = client.post(review_url(claim), {"decision": "confirm", "evidence": "Ny iakttagelse"}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    assert "Iakttagen" in confirmed.json()["evidence"] and "Ny iakttagelse" in confirmed.json()["evidence"]
    assert confirmed.json()["review_due"] == (timezone.localdate() + timedelta(days=365)).isoformat()
    changed = client.post(
        review_url(claim),
        {"decision": "change", "evidence": "Svagare underlag", "confidence": "possible"},
        format="json",
    )
    assert (changed.json()["confidence"], changed.json()["role"]) == ("possible", "core")
    ended = client.post(review_url(claim), {"decision": "end", "end_reason": "Har lämnat gruppen"}, format="json")
    assert (ended.json()["status"], ended.json()["end_reason"], ended.json()["version"]) == (
        "ended",
        "Har lämnat gruppen",
        4,
    )
    assert new_log(before) == [("change", "cases.groupmembership", [claim.pk])] * 3
    assert [e.detail["review"] for e in AccessLogEntry.objects.filter(pk__gt=before).order_by("id")] == [
        "confirm",
        "change",
        "end",
    ]


def test_review_refusals_are_in_swedish(claim, police_caseworker):
    client = client_for(police_caseworker)
    no_evidence = client.post(review_url(claim), {"decision": "confirm"}, format="json")
    assert no_evidence.status_code == 400 and no_evidence.json() == {
        "detail": EVIDENCE_REQUIRED,
        "code": "evidence_required",
    }
    no_reason = client.post(review_url(claim), {"decision": "end"}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    nothing = client.post(review_url(claim), {"decision": "change", "evidence": "x"}, format="json")
    assert nothing.json()["code"] == "nothing_changed"
    assert "giltigt val" in client.post(review_url(claim), {"decision": "forget"}, format="json").json()["decision"][0]
    client.post(review_url(claim), {"decision": "end", "end_reason": "Avslutad"}, format="json")
    again = client.post(review_url(claim), {"decision": "end", "end_reason": "Igen"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "not_active"


# --- the owner: lists ------------------------------------------------------------------------------------


def test_list_filters(police, police_caseworker):
    g1, g2 = group(police, police_caseworker), group(police, police_caseworker)
    p1, p2 = person(police, police_caseworker), person(police, police_caseworker)
    a = membership(police_caseworker, p1, g1, role="leader", confidence="confirmed")
    b = membership(police_caseworker, p2, g1)
    c = membership(police_caseworker, p1, g2)
    client = client_for(police_caseworker)
    client.post(review_url(c), {"decision": "end", "end_reason": "Lämnat"}, format="json")
    assert ids(client.get(list_url())) == [c.pk, b.pk, a.pk]
    assert ids(client.get(list_url(group=g1.pk))) == [b.pk, a.pk]
    assert ids(client.get(list_url(individual=p1.pk))) == [c.pk, a.pk]
    assert ids(client.get(list_url(status="ended"))) == [c.pk]
    assert ids(client.get(list_url(role="leader"))) == [a.pk]
    assert ids(client.get(list_url(confidence="confirmed"))) == [a.pk]


def test_owner_retrieves_all_fields(claim, police_caseworker):
    body = client_for(police_caseworker).get(detail_url(claim)).json()
    assert set(body) == {
        "id", "url", "individual", "individual_alias", "group", "group_name", "role", "valid_from", "valid_to",
        "source_type", "evidence", "confidence", "review_due", "expires_on", "last_reviewed_at", "status",
        "ended_at", "end_reason", "owner_agency", "created_at", "updated_at", "version",
    }  # fmt: skip
    assert (body["source_type"], body["confidence"], body["role"]) == ("observation", "probable", "core")


def test_list_and_retrieve_are_logged_with_the_person(claim, police, police_caseworker):
    client = client_for(police_caseworker)
    before = last_log_id()
    client.get(list_url())
    client.get(detail_url(claim))
    entries = list(AccessLogEntry.objects.filter(pk__gt=before).order_by("id"))
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        ("list", "cases.groupmembership", [claim.pk]),
        ("view", "cases.groupmembership", [claim.pk]),
    ]
    for entry in entries:
        assert list(entry.targets.values_list("person_id", flat=True)) == [claim.individual_id]
        assert (entry.agency_id, entry.via) == (police.pk, Via.API)


# --- query counts -----------------------------------------------------------------------------------------

# Per request, whatever the number of rows: session and user with the caller's membership and agency (2), the
# gate (list: one query: the rows by
# primary key, the branches' ids as a subquery with person, group, owner and recorder joined; detail: one query), the log entry and its
# targets (2; one statement on PostgreSQL), and the session save (3 inside the test transaction).
# A receiver's answer carries its provenance: one query more for a page or record received through a share
# (cases/disclosure.py; none when every row is the viewer's own).
PROVENANCE = 1
LIST_QUERIES = {"postgresql": 7, "sqlite": 8}
RETRIEVE_QUERIES = {"postgresql": 7, "sqlite": 8}


@pytest.mark.parametrize("owned,shared", [(1, 0), (0, 1), (25, 25)])
def test_list_query_count_is_the_same_at_1_and_50_rows(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, owned, shared
):
    g = group(police, police_caseworker)
    for _ in range(owned):
        membership(police_caseworker, person(police, police_caseworker), g)
    share(g, to=kommun, by=police_caseworker)
    for _ in range(shared):
        p = person(kommun, kommun_caseworker)
        share(p, to=police, by=kommun_caseworker)
        share(membership(kommun_caseworker, p, g), to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(list_url())  # warm up: the gate caches permission ids per process
    with django_assert_num_queries(LIST_QUERIES[connection.vendor] + (PROVENANCE if shared else 0)):
        response = client.get(list_url())
    assert len(response.json()["results"]) == owned + shared


def test_retrieve_query_count(claim, kommun, police, police_caseworker, kommun_caseworker, django_assert_num_queries):
    share(claim.group, to=kommun, by=police_caseworker)
    p = person(kommun, kommun_caseworker)
    share(p, to=police, by=kommun_caseworker)
    theirs = membership(kommun_caseworker, p, claim.group)
    share(theirs, to=police, by=kommun_caseworker)
    client = client_for(police_caseworker)
    client.get(list_url())
    for m in (claim, theirs):
        with django_assert_num_queries(RETRIEVE_QUERIES[connection.vendor] + (PROVENANCE if m is theirs else 0)):
            assert client.get(detail_url(m)).status_code == 200
