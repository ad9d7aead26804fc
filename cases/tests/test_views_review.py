"""The owner agency's review queue and the confirm / change / end actions."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import basis_for
from cases import services
from cases.models import GroupMembership
from cases.tests.factories import IndividualFactory, group, membership
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

QUEUE = "/grupperingar/omprovning/"
EVIDENCE_REQUIRED = "Ett medlemskap kräver underlag: beskriv vad uppgiften bygger på och ange källtyp."


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


def review_url(m):
    return reverse("membership-review", kwargs={"pk": m.pk})


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hawks(police, police_caseworker):
    return group(police, police_caseworker, name="Hökarna")


@pytest.fixture
def claim(police, police_caseworker, hawks):
    def make(days, alias="Ormen", **kw):
        individual = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias=alias)
        return membership(
            police_caseworker, individual, hawks, review_due=timezone.localdate() + timedelta(days=days), **kw
        )

    return make


def sections(response) -> dict[str, list[int]]:
    return {s.key: [row.membership.pk for row in s.rows] for s in response.context["sections"]}


def test_queue_sections(client, police_caseworker, claim, police):
    expiring, overdue, due = claim(-25, "Expiring"), claim(-5, "Overdue"), claim(10, "Due")
    claim(200, "Later")
    gone = claim(-40, "Gone")
    services.expire_unreviewed_memberships()
    long_gone = claim(-40, "Long gone")
    services.expire_unreviewed_memberships()
    GroupMembership.objects.filter(pk=long_gone.pk).update(ended_at=timezone.now() - timedelta(days=31))
    client.force_login(police_caseworker)
    response = client.get(QUEUE)
    assert sections(response) == {
        "expiring": [expiring.pk],
        "overdue": [overdue.pk],
        "due": [due.pk],
        "expired": [gone.pk],
    }
    text = html(response)
    for heading in ("Upphör inom en vecka", "Försenade", "Ska omprövas inom 30 dagar", "Nyligen utgångna"):
        assert heading in text
    assert "Later" not in text and "Long gone" not in text
    # Each pending row has its own review form, with unique ids, posting back to this queue.
    assert text.count(f'action="{review_url(expiring)}"') == 1 and f'id="review-{due.pk}-evidence"' in text
    assert f'action="{review_url(gone)}"' not in text
    assert '<input type="hidden" name="next" value="/grupperingar/omprovning/">' in text
    assert "3 medlemskap väntar på omprövning." in text


def test_queue_is_the_agencys_own(client, kommun, police_caseworker, kommun_caseworker, outsider, claim, hawks):
    m = claim(-5)
    share(hawks, kommun, police_caseworker)
    share(m, kommun, police_caseworker)
    share(m.individual, kommun, police_caseworker)
    for user in (kommun_caseworker, outsider):
        client.force_login(user)
        response = client.get(QUEUE)
        assert all(rows == [] for rows in sections(response).values())
        assert "Ormen" not in html(response)


def test_queue_hides_a_person_no_longer_visible(client, police, kommun, police_caseworker, kommun_caseworker):
    """An agency's claim about a person another agency shared and later withdrew stays reviewable, unnamed."""
    theirs = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Tidigare delad")
    record = share(theirs, police, kommun_caseworker)
    grp = group(police, police_caseworker)
    m = membership(police_caseworker, theirs, grp, review_due=timezone.localdate() - timedelta(days=3))
    access.revoke(record, acting_user=kommun_caseworker, reason="Ändamålet upphört")
    client.force_login(police_caseworker)
    text = html(client.get(QUEUE))
    assert "Tidigare delad" not in text and "Person som inte längre är delad med din myndighet" in text
    assert f'action="{review_url(m)}"' in text
    assert "Tidigare delad" not in html(client.get(review_url(m)))


def test_confirm_needs_new_evidence(client, police_caseworker, claim):
    m = claim(-5)
    client.force_login(police_caseworker)
    response = client.post(review_url(m), {"decision": "confirm", "evidence": "  "})
    assert response.status_code == 200
    assert EVIDENCE_REQUIRED in html(response) and 'href="#id_evidence"' in html(response)
    m.refresh_from_db()
    assert m.version == 1 and m.review_due < timezone.localdate()

    response = client.post(
        review_url(m), {"decision": "confirm", "evidence": "Sedd med gruppen i april.", "next": QUEUE}, follow=True
    )
    assert response.redirect_chain == [(QUEUE, 302)]
    m.refresh_from_db()
    assert m.review_due == timezone.localdate() + timedelta(days=365) and m.last_reviewed_at is not None
    assert "Sedd med gruppen i april." in m.evidence and "Iakttagen tillsammans" in m.evidence
    assert "Medlemskapet har bekräftats." in html(response)
    assert sections(response)["overdue"] == []


def test_change_confidence_or_role(client, police_caseworker, claim):
    m = claim(10)
    client.force_login(police_caseworker)
    response = client.post(review_url(m), {"decision": "change", "evidence": "Ny uppgift."})
    assert "Ange ny säkerhet eller ny roll." in html(response)
    response = client.post(
        review_url(m), {"decision": "change", "evidence": "Ny uppgift.", "confidence": "confirmed", "role": "leader"}
    )
    assert response.status_code == 302 and response.url == QUEUE
    m.refresh_from_db()
    assert (m.confidence, m.role, m.status) == ("confirmed", "leader", "active")


def test_end_needs_a_reason(client, police_caseworker, claim, hawks):
    m = claim(-25)
    client.force_login(police_caseworker)
    response = client.post(review_url(m), {"decision": "end", "end_reason": ""})
    assert "Ange varför medlemskapet avslutas." in html(response)
    group_page = reverse("group-detail", kwargs={"pk": hawks.pk})
    response = client.post(review_url(m), {"decision": "end", "end_reason": "Har lämnat gruppen.", "next": group_page})
    assert response.status_code == 302 and response.url == group_page
    m.refresh_from_db()
    assert (m.status, m.end_reason) == ("ended", "Har lämnat gruppen.") and m.ended_at is not None
    # An ended membership is not reviewed again: the page says so and offers no form.
    text = html(client.get(review_url(m)))
    assert "kan inte omprövas" in text and 'name="decision"' not in text
    assert AccessLogEntry.objects.filter(
        action=Action.CHANGE, model="cases.groupmembership", detail__review="end"
    ).exists()


def test_decision_required(client, police_caseworker, claim):
    m = claim(-5)
    client.force_login(police_caseworker)
    response = client.post(review_url(m), {"evidence": "x"})
    assert "Välj ett beslut." in html(response)


def test_review_is_the_owners(client, kommun, police_caseworker, kommun_caseworker, outsider, claim, hawks):
    m = claim(-5)
    for obj in (hawks, m, m.individual):
        share(obj, kommun, police_caseworker, level="change")
    client.force_login(kommun_caseworker)
    response = client.get(review_url(m))
    assert response.status_code == 403 and "Endast den myndighet som registrerade medlemskapet" in html(response)
    assert client.post(review_url(m), {"decision": "end", "end_reason": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.get(review_url(m)).status_code == 404
    assert client.post(review_url(m), {"decision": "end", "end_reason": "x"}).status_code == 404
    m.refresh_from_db()
    assert m.status == "active" and m.version == 1


def test_queue_logs_the_rows_it_showed(client, police, police_caseworker, claim):
    rows = [claim(-25), claim(-5), claim(10)]
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(QUEUE)
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model) for e in entries] == [(Action.LIST, "cases.groupmembership")]
    assert sorted(entries[0].object_ids) == sorted(m.pk for m in rows)
    assert set(entries[0].targets.values_list("person_id", flat=True)) == {m.individual_id for m in rows}


# Every request (5); the queue's two queries (past due, due soon) and the recently expired (1); which of the
# rows' persons and groups are visible (2); the log entry and its targets (one statement on PostgreSQL, two
# on SQLite).
QUEUE_QUERIES = 5 + 3 + 2 + log_write()


def test_queue_query_count_is_the_same_at_4_and_40_rows(client, police_caseworker, claim, django_assert_num_queries):
    claim(-25), claim(-5), claim(10)
    claim(-40)
    services.expire_unreviewed_memberships()
    client.force_login(police_caseworker)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert sum(len(rows) for rows in sections(response).values()) == 4
    for _ in range(9):
        claim(-25), claim(-5), claim(10)
        claim(-40)
    services.expire_unreviewed_memberships()
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert sum(len(rows) for rows in sections(response).values()) == 40
