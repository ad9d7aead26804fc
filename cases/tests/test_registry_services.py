"""The registry's rules, below the pages and the API: evidence, review, expiry, victims, visibility of links."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry
from agencies.tests.factories import basis_for
from cases import selectors, services
from cases.models import CriminalGroup, GroupMembership, GroupRelation, Incident, IncidentPerson
from cases.tests.factories import IndividualFactory, group, incident, membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(police, police_caseworker):
    return IndividualFactory(owner_agency=police, created_by=police_caseworker)


def share(obj, to, by):
    return access.share(
        obj, to_agency=to, level="view", legal_basis=basis_for(to), assessment="Behövs för samverkan.", acting_user=by
    )


def test_membership_without_evidence_is_refused_in_swedish(police, police_caseworker, person):
    grp = group(police, police_caseworker)
    for evidence in ("", "   "):
        with pytest.raises(ApplicationError, match="kräver underlag"):
            membership(police_caseworker, person, grp, evidence=evidence)
    with pytest.raises(ApplicationError, match="kräver underlag"):
        membership(police_caseworker, person, grp, source_type="")
    assert GroupMembership.objects.count() == 0


def test_membership_defaults_to_review_in_twelve_months(police, police_caseworker, person):
    m = membership(police_caseworker, person, group(police, police_caseworker))
    assert m.review_due == timezone.localdate() + timedelta(days=365)
    assert m.recorded_by == police_caseworker and m.owner_agency == police


def test_recording_a_victim_never_creates_a_membership(police, police_caseworker, person):
    grp = group(police, police_caseworker)
    inc = incident(police_caseworker)
    services.incident_add_group(
        incident=inc, acting_user=police_caseworker, group=grp, certainty="suspected", side="victim"
    )
    services.incident_add_person(
        incident=inc, acting_user=police_caseworker, individual=person, role=IncidentPerson.Role.VICTIM
    )
    assert GroupMembership.objects.count() == 0
    assert IncidentPerson.objects.get().role == "victim"


def test_review_confirm_change_end(police, police_caseworker, person):
    m = membership(
        police_caseworker, person, group(police, police_caseworker), review_due=timezone.localdate() - timedelta(days=3)
    )
    with pytest.raises(ApplicationError):
        services.membership_review(membership=m, acting_user=police_caseworker, decision="confirm", evidence="")
    m = services.membership_review(
        membership=m, acting_user=police_caseworker, decision="confirm", evidence="Ny iakttagelse"
    )
    assert m.review_due == timezone.localdate() + timedelta(days=365)
    assert "Iakttagen" in m.evidence and "Ny iakttagelse" in m.evidence  # history kept
    m = services.membership_review(
        membership=m,
        acting_user=police_caseworker,
        decision="change",
        evidence="Svagare underlag",
        confidence="possible",
    )
    assert m.confidence == "possible"
    m = services.membership_review(
        membership=m, acting_user=police_caseworker, decision="end", end_reason="Har lämnat gruppen"
    )
    assert m.status == GroupMembership.Status.ENDED and m.valid_to == timezone.localdate()


def test_only_the_owner_reviews(police, kommun, police_caseworker, kommun_caseworker, person):
    m = membership(police_caseworker, person, group(police, police_caseworker))
    access.share(
        m,
        to_agency=kommun,
        level="change",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    with pytest.raises(ApplicationError):
        services.membership_review(membership=m, acting_user=kommun_caseworker, decision="end", end_reason="x")


def test_unreviewed_membership_expires_30_days_after_review_date_once(police, police_caseworker, person):
    today = timezone.localdate()
    grp = group(police, police_caseworker)
    stale = membership(police_caseworker, person, grp, review_due=today - timedelta(days=31))
    grace = membership(
        police_caseworker,
        IndividualFactory(owner_agency=police, created_by=police_caseworker),
        grp,
        review_due=today - timedelta(days=29),
    )
    assert services.expire_unreviewed_memberships(today=today) == [stale.pk]
    assert services.expire_unreviewed_memberships(today=today) == []
    stale.refresh_from_db()
    grace.refresh_from_db()
    assert stale.status == "expired" and grace.status == "active"
    assert (
        AccessLogEntry.objects.filter(model="cases.groupmembership", action="change", detail__expired=True).count() == 1
    )


def test_shared_group_does_not_reveal_its_members(police, kommun, police_caseworker, kommun_caseworker, person):
    grp = group(police, police_caseworker)
    m = membership(police_caseworker, person, grp)
    share(grp, kommun, police_caseworker)
    assert list(selectors.group_members(police_caseworker, grp)) == [m]
    assert list(selectors.group_members(kommun_caseworker, grp)) == []
    share(m, kommun, police_caseworker)
    assert list(selectors.group_members(kommun_caseworker, grp)) == []  # the person itself is not shared
    share(person, kommun, police_caseworker)
    assert list(selectors.group_members(kommun_caseworker, grp)) == [m]


def test_landscape_and_counts_only_visible(police, kommun, police_caseworker, kommun_caseworker):
    a, b, c = (group(police, police_caseworker, name=n) for n in ("Alfa", "Beta", "Gamma"))
    ab = services.relation_create(
        acting_user=police_caseworker, group_a=a, group_b=b, kind="conflict", source="Gruppkartläggning"
    )
    services.relation_create(
        acting_user=police_caseworker, group_a=b, group_b=c, kind="alliance", source="Gruppkartläggning"
    )
    for obj in (a, b, ab):
        share(obj, kommun, police_caseworker)
    seen = selectors.landscape(kommun_caseworker)
    assert {g.name for g in seen.groups} == {"Alfa", "Beta"}
    assert seen.relations == [ab]
    full = selectors.landscape(police_caseworker)
    assert len(full.groups) == 3 and len(full.relations) == 2

    shown = incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=40))
    incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=40))
    share(shown, kommun, police_caseworker)
    months = selectors.incidents_by_month(access.visible(kommun_caseworker, Incident))
    assert sum(row["count"] for row in months) == 1
    assert sum(r["count"] for r in selectors.incidents_by_month(access.visible(police_caseworker, Incident))) == 2


def test_relation_needs_two_visible_groups_and_a_source(police, kommun, police_caseworker, kommun_caseworker):
    a = group(police, police_caseworker)
    b = group(kommun, kommun_caseworker)
    with pytest.raises(ApplicationError):
        services.relation_create(acting_user=police_caseworker, group_a=a, group_b=b, kind="conflict", source="x")
    with pytest.raises(ApplicationError):
        services.relation_create(acting_user=police_caseworker, group_a=a, group_b=a, kind="conflict", source="x")
    share(b, police, kommun_caseworker)
    with pytest.raises(ApplicationError, match="källan"):
        services.relation_create(acting_user=police_caseworker, group_a=a, group_b=b, kind="conflict", source=" ")
    assert services.relation_create(
        acting_user=police_caseworker, group_a=a, group_b=b, kind="conflict", source="Underrättelse"
    ).pk
    assert GroupRelation.objects.count() == 1


def test_incident_involvement_of_persons_is_its_own_share(police, kommun, police_caseworker, kommun_caseworker, person):
    inc = incident(police_caseworker)
    involvement = services.incident_add_person(
        incident=inc, acting_user=police_caseworker, individual=person, role="suspect"
    )
    share(inc, kommun, police_caseworker)
    share(person, kommun, police_caseworker)
    assert list(selectors.incident_persons(kommun_caseworker, inc)) == []  # seeing both ends is not seeing the link
    share(involvement, kommun, police_caseworker)
    assert list(selectors.incident_persons(kommun_caseworker, inc)) == [involvement]
    assert [ip.incident for ip in selectors.person_incidents(kommun_caseworker, person)] == [inc]


def test_review_queue_sorts_by_urgency(police, police_caseworker, kommun_caseworker):
    today = timezone.localdate()
    grp = group(police, police_caseworker)

    def m(days):
        return membership(
            police_caseworker,
            IndividualFactory(owner_agency=police, created_by=police_caseworker),
            grp,
            review_due=today + timedelta(days=days),
        )

    expiring, overdue, due, later = m(-25), m(-5), m(10), m(200)
    queue = selectors.review_queue(user=police_caseworker, today=today)
    assert (queue.expiring, queue.overdue, queue.due) == ([expiring], [overdue], [due])
    assert selectors.review_queue(user=kommun_caseworker, today=today).due == []
    assert later not in queue.due
    assert CriminalGroup.objects.count() == 1
