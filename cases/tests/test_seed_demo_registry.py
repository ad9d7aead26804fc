"""The demo's group registry and incidents (cases.demo.registry_plan / registry_seed), seeded once per module."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agencies import access
from agencies.access import LEVEL_PERMISSIONS
from agencies.models import AccessLogEntry, Agency, Share
from cases import selectors
from cases.demo import registry_plan, seed_demo
from cases.demo.plan import AGENCIES, AGENCY_BY_SLUG
from cases.demo.registry_plan import PROGRAMME_START_DAYS_AGO, TIMELINE_DAYS
from cases.models import (
    CriminalGroup,
    CriminalGroupGroupGrant,
    CriminalGroupUserGrant,
    District,
    GroupMembership,
    GroupMembershipGroupGrant,
    GroupMembershipUserGrant,
    GroupRelation,
    GroupRelationGroupGrant,
    GroupRelationUserGrant,
    IdentityDetails,
    IdentityDetailsGroupGrant,
    Incident,
    IncidentGroup,
    IncidentGroupGrant,
    IncidentPerson,
    IncidentPersonGroupGrant,
    IncidentPersonUserGrant,
    IncidentUserGrant,
    Individual,
    IndividualGroupGrant,
)
from cases.models.groups import EXPIRY_GRACE
from cases.services import expire_unreviewed_memberships

pytestmark = pytest.mark.django_db

User = get_user_model()
REGISTRY_MODELS = ("criminalgroup", "grouprelation", "groupmembership", "incident", "incidentperson")
GRANT_TABLES = (
    (CriminalGroupGroupGrant, CriminalGroup),
    (GroupRelationGroupGrant, GroupRelation),
    (GroupMembershipGroupGrant, GroupMembership),
    (IncidentGroupGrant, Incident),
    (IncidentPersonGroupGrant, IncidentPerson),
    (IndividualGroupGrant, Individual),
    (IdentityDetailsGroupGrant, IdentityDetails),
)
USER_GRANT_TABLES = (
    CriminalGroupUserGrant,
    GroupRelationUserGrant,
    GroupMembershipUserGrant,
    IncidentUserGrant,
    IncidentPersonUserGrant,
)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction rolled back at its end (as in test_seed_demo)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", force=True, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def caseworker(slug: str):
    return User.objects.get(username=f"{AGENCY_BY_SLUG[slug].login_prefix}.handlaggare")


def object_keys() -> dict[str, dict[int, tuple]]:
    """Each record's stable key by pk, so that snapshots do not depend on primary keys."""
    persons = {
        pk: (alias, year, owner)
        for pk, alias, year, owner in Individual.objects.values_list("pk", "alias", "birth_year", "owner_agency__slug")
    }
    groups = dict(CriminalGroup.objects.values_list("pk", "name"))
    incidents = {i.pk: i.summary.rsplit(" ", 1)[-1] for i in Incident.objects.all()}
    return {
        "individual": persons,
        "identitydetails": persons,
        "criminalgroup": {pk: (name,) for pk, name in groups.items()},
        "grouprelation": {
            r.pk: (tuple(sorted((groups[r.group_a_id], groups[r.group_b_id]))), r.kind)
            for r in GroupRelation.objects.all()
        },
        "groupmembership": {
            m.pk: (persons[m.individual_id], groups[m.group_id], m.owner_agency_id)
            for m in GroupMembership.objects.all()
        },
        "incident": {pk: (ref,) for pk, ref in incidents.items()},
        "incidentperson": {
            p.pk: (incidents[p.incident_id], persons[p.individual_id], p.role) for p in IncidentPerson.objects.all()
        },
    }


def snapshot(*, times: bool = True) -> dict:
    keys = object_keys()
    groups, incidents = keys["criminalgroup"], keys["incident"]

    def t(value):
        return value if times else None

    return {
        "groups": sorted(
            (
                g.owner_agency.slug,
                g.name,
                tuple(g.aliases),
                g.status,
                g.description,
                g.first_seen,
                g.last_seen,
                tuple(sorted(d.name for d in g.districts.all())),
                g.created_by.username,
                t(g.created_at),
            )
            for g in CriminalGroup.objects.select_related("owner_agency", "created_by").prefetch_related("districts")
        ),
        "relations": sorted(
            (keys["grouprelation"][r.pk], r.status, r.since, r.notes, r.source, r.created_by.username, t(r.created_at))
            for r in GroupRelation.objects.select_related("created_by")
        ),
        "memberships": sorted(
            (
                keys["groupmembership"][m.pk],
                m.role,
                m.source_type,
                m.evidence,
                m.confidence,
                m.valid_from,
                m.review_due,
                m.status,
                m.end_reason,
                m.recorded_by.username,
                t(m.created_at),
                t(m.valid_to),
            )
            for m in GroupMembership.objects.select_related("recorded_by")
        ),
        "incidents": sorted(
            (
                incidents[i.pk],
                i.kind,
                i.occurred_at,
                i.district and i.district.name,
                i.place,
                i.dead,
                i.injured,
                i.status,
                i.investigation_hours,
                i.summary,
                i.created_by.username,
                t(i.created_at),
            )
            for i in Incident.objects.select_related("district", "created_by")
        ),
        "incident_groups": sorted(
            (incidents[g.incident_id], groups[g.group_id], g.certainty, g.side) for g in IncidentGroup.objects.all()
        ),
        "incident_persons": sorted(
            (keys["incidentperson"][p.pk], p.notes, p.created_by.username, t(p.created_at))
            for p in IncidentPerson.objects.select_related("created_by")
        ),
        "shares": sorted(
            (
                s.content_type.model,
                keys[str(s.content_type.model)][s.object_id],
                s.from_agency.slug,
                s.to_agency.slug,
                s.level,
                s.legal_basis.code,
                s.decided_by.username,
                s.expires_at is not None,
                s.revoked_at is not None,
                t(s.decided_at),
                t(s.expires_at),
            )
            for s in Share.objects.filter(content_type__model__in=keys).select_related(
                "content_type", "from_agency", "to_agency", "legal_basis", "decided_by"
            )
        ),
        "grants": sorted(
            (
                model._meta.model_name,
                keys[str(target._meta.model_name)][g.content_object_id],
                g.group.name,
                g.permission.codename,
                t(g.created_at),
                t(g.expires_at),
            )
            for model, target in GRANT_TABLES
            for g in model.objects.select_related("group", "permission")
        ),
    }


def test_counts_in_the_stated_ranges(seeded):
    groups = CriminalGroup.objects.select_related("owner_agency")
    assert 10 <= groups.count() <= 14
    owners = Counter(g.owner_agency.slug for g in groups)
    assert owners["polisen"] >= 0.75 * groups.count(), owners
    statuses = Counter(g.status for g in groups)
    assert statuses["active"] >= 0.75 * groups.count() and 1 <= statuses["inactive"] + statuses["dissolved"] <= 3
    for group in groups:
        assert group.aliases and group.districts.exists()
        assert group.first_seen and group.last_seen and group.first_seen <= group.last_seen
        assert group.created_by.username == f"{AGENCY_BY_SLUG[group.owner_agency.slug].login_prefix}.handlaggare"
    # Every district carries at most two groups: no real neighbourhood is painted as worse than another.
    per_district = Counter(d for g in groups for d in g.districts.values_list("name", flat=True))
    assert max(per_district.values()) <= 2
    names = [n.lower() for n in District.objects.values_list("name", flat=True)]
    for group in groups:
        text = " ".join([group.name, *group.aliases, group.description]).lower()
        assert not any(name in text for name in names), group.name

    relations = GroupRelation.objects.all()
    assert 5 <= relations.count() <= 12
    assert {r.kind for r in relations} == {"conflict", "alliance"}
    assert {r.status for r in relations} == {"active", "dormant", "ended"}
    assert all(r.source.strip() for r in relations)

    assert 130 <= GroupMembership.objects.count() <= 170
    assert GroupMembership.objects.values("individual").distinct().count() >= 90
    for field, choices in (
        ("role", GroupMembership.Role),
        ("source_type", GroupMembership.SourceType),
        ("confidence", GroupMembership.Confidence),
        ("status", GroupMembership.Status),
    ):
        values = set(GroupMembership.objects.values_list(field, flat=True))
        assert values == set(choices.values) - {"expired"}, (field, values)

    incidents = Incident.objects.all()
    assert 120 <= incidents.count() <= 180
    assert {i.kind for i in incidents} == {"shooting", "explosion", "serious_violence", "threat"}
    assert {i.status for i in incidents} == {"open", "solved", "closed"}
    incidents_per_district: Counter[int] = Counter(incidents.values_list("district", flat=True))
    assert len(incidents_per_district) == District.objects.filter(active=True).count()
    assert max(incidents_per_district.values()) - min(incidents_per_district.values()) <= 3, incidents_per_district
    assert all(i.dead <= 2 and i.injured <= 2 and i.investigation_hours > 0 for i in incidents)
    assert sum(1 for i in incidents if i.dead + i.injured <= 1) >= 0.7 * incidents.count()
    assert incidents.filter(dead__gt=0).exists() and incidents.filter(injured=2).exists()
    involved = Counter(IncidentGroup.objects.values_list("incident_id", flat=True))
    assert set(involved) == set(incidents.values_list("pk", flat=True))
    assert set(involved.values()) == {1, 2}
    assert {(g.side, g.certainty) for g in IncidentGroup.objects.all()} >= {
        ("perpetrator", "suspected"),
        ("perpetrator", "confirmed"),
        ("victim", "suspected"),
        ("victim", "confirmed"),
    }
    roles = Counter(IncidentPerson.objects.values_list("role", flat=True))
    assert roles.keys() == {"victim", "suspect", "witness"} and 100 <= sum(roles.values()) <= 250


def test_memberships_have_evidence_a_source_and_a_person_their_recorder_may_see(seeded):
    choices = {c for c, _label in GroupMembership.SourceType.choices}
    police_owned = 0
    police = GroupMembership.objects.filter(owner_agency__slug="polisen").select_related("individual__owner_agency")
    for membership in GroupMembership.objects.select_related("individual", "group", "recorded_by", "owner_agency"):
        assert membership.evidence.strip() and membership.source_type in choices
        assert (
            membership.recorded_by.username
            == f"{AGENCY_BY_SLUG[membership.owner_agency.slug].login_prefix}.handlaggare"
        )
        assert access.can(membership.recorded_by, membership.individual)
        assert access.can(membership.recorded_by, membership.group)
        assert membership.valid_from and membership.valid_from <= timezone.localdate(membership.created_at)
    police_owned = sum(1 for m in police if m.individual.owner_agency.slug == "polisen")
    assert police_owned >= 0.8 * police.count()


def test_no_victim_became_a_member(seeded):
    members_of: dict[int, set[int]] = {}
    for person, group in GroupMembership.objects.values_list("individual_id", "group_id"):
        members_of.setdefault(person, set()).add(group)
    groups_of: dict[int, set[int]] = {}
    for incident, group in IncidentGroup.objects.values_list("incident_id", "group_id"):
        groups_of.setdefault(incident, set()).add(group)
    victims = IncidentPerson.objects.filter(role=IncidentPerson.Role.VICTIM)
    assert victims.count() >= 30
    for victim in victims:
        # Not a member of any group in the incident — on the victim's side least of all.
        assert not members_of.get(victim.individual_id, set()) & groups_of[victim.incident_id]
    # Memberships are planned without looking at incidents; some victims are in no group at all.
    assert any(v.individual_id not in members_of for v in victims)


def test_fewer_incidents_after_the_programme_started(seeded):
    today = timezone.localdate()
    start = today - timedelta(days=PROGRAMME_START_DAYS_AGO)
    first = today - timedelta(days=TIMELINE_DAYS)
    dates = [timezone.localdate(d) for d in Incident.objects.values_list("occurred_at", flat=True)]
    assert min(dates) >= first and max(dates) < today
    before = sum(1 for d in dates if d < start) / (start - first).days
    after = sum(1 for d in dates if d >= start) / (today - start).days
    assert after <= 0.6 * before, (before * 30.44, after * 30.44)
    # What the incident register shows the police, month by month, says the same.
    months = selectors.incidents_by_month(access.visible(caseworker("polisen"), Incident))
    assert sum(m["count"] for m in months) == len(dates)
    first_year = sum(m["count"] for m in months if timezone.localdate(m["month"]) < first + timedelta(days=365))
    last_year = sum(m["count"] for m in months if timezone.localdate(m["month"]) >= today - timedelta(days=365))
    assert last_year <= 0.6 * first_year, (first_year, last_year)


def test_review_queue_has_due_overdue_and_expiring_entries(seeded):
    for slug in ("polisen", "orebro-kommun"):
        queue = selectors.review_queue(user=caseworker(slug))
        assert queue.due and queue.overdue and queue.expiring, slug
    queue = selectors.review_queue(user=caseworker("polisen"))
    assert 10 <= len(queue.due) <= 20 and 5 <= len(queue.overdue) <= 15 and 2 <= len(queue.expiring) <= 8
    # None is old enough for the nightly task to expire it yet.
    cutoff = timezone.localdate() - EXPIRY_GRACE
    assert not GroupMembership.objects.filter(status="active", review_due__lt=cutoff).exists()
    assert expire_unreviewed_memberships() == []
    ended = GroupMembership.objects.filter(status="ended")
    assert 5 <= ended.count() <= 15 and all(m.end_reason and m.ended_at for m in ended)


def test_what_each_agency_is_given(seeded):
    kommun, kvv = Agency.objects.get(slug="orebro-kommun"), Agency.objects.get(slug="kriminalvarden")
    shares = Share.objects.filter(content_type__model__in=REGISTRY_MODELS).select_related(
        "content_type", "from_agency", "to_agency", "legal_basis", "decided_by"
    )
    for share in shares:
        obj = share.content_object
        assert obj is not None
        assert share.from_agency_id == obj.owner_agency_id and share.revoked_at is None
        assert share.decided_by.username == f"{AGENCY_BY_SLUG[share.from_agency.slug].login_prefix}.handlaggare"
        assert obj.created_at <= share.decided_at <= timezone.now()
        if share.to_agency.kind == Agency.Kind.COMMUNITY:
            assert share.legal_basis.code == "ej-sekretess" and share.content_type.model in (
                "criminalgroup",
                "grouprelation",
            )
        else:
            assert share.legal_basis.code in ("osl-10-2", "osl-10-27")

    # Every group's summary goes to the municipality and Kriminalvården; a few to the community partners.
    for group in CriminalGroup.objects.all():
        for agency in (kommun, kvv):
            assert group.owner_agency_id == agency.pk or access.can(caseworker(agency.slug), group)
    community = shares.filter(content_type__model="criminalgroup", to_agency__kind=Agency.Kind.COMMUNITY)
    assert 2 <= community.values("object_id").distinct().count() <= 6
    assert shares.filter(content_type__model="grouprelation").values("object_id").distinct().count() >= 4

    # Memberships only selectively, and only where the receiver already sees the person.
    membership_shares = shares.filter(content_type__model="groupmembership")
    to_kvv = membership_shares.filter(to_agency=kvv)
    assert 15 <= to_kvv.count() <= 25
    assert membership_shares.count() <= 0.25 * GroupMembership.objects.count()
    for share in membership_shares:
        membership = share.content_object
        assert membership is not None
        assert access.can(caseworker(share.to_agency.slug), membership.individual)
    assert to_kvv.exclude(expires_at=None).exists()

    # A group shared with a community partner shows it no members.
    partner = caseworker("trygga-vagar")
    for group in access.visible(partner, CriminalGroup):
        assert not selectors.group_members(partner, group).exists()
    assert access.visible(partner, CriminalGroup).exists()
    # Kriminalvården sees the members shared with it and no others.
    kvv_user = caseworker("kriminalvarden")
    seen = sum(selectors.group_members(kvv_user, g).count() for g in access.visible(kvv_user, CriminalGroup))
    assert seen == to_kvv.count()

    incidents = Incident.objects.count()
    to_kommun = shares.filter(content_type__model="incident", to_agency=kommun).count()
    assert 0.5 * incidents <= to_kommun <= 0.7 * incidents
    involvement = shares.filter(content_type__model="incidentperson")
    assert 3 <= involvement.count() <= 8
    for share in involvement:
        user, involved = caseworker(share.to_agency.slug), share.content_object
        assert involved is not None
        assert selectors.incident_persons(user, involved.incident).filter(pk=share.object_id).exists()


def test_every_grant_follows_an_active_share(seeded):
    expected = set()
    # The joint cases' grant tables are checked in test_seed_demo_cases.
    models = [target._meta.model_name for _grants, target in GRANT_TABLES]
    for share in Share.objects.active().filter(content_type__model__in=models).select_related("content_type"):
        model = share.content_type.model
        for action in LEVEL_PERMISSIONS[share.level]:
            expected.add((model, share.object_id, share.to_agency.group_id, f"{action}_{model}", share.expires_at))
    actual = set()
    for grant_model, target in GRANT_TABLES:
        for grant in grant_model.objects.select_related("permission", "content_object"):
            model = target._meta.model_name
            actual.add((model, grant.content_object_id, grant.group_id, grant.permission.codename, grant.expires_at))
            # The sort key the gate pages by must be the record's own (backdated before sharing).
            assert grant.created_at == grant.content_object.created_at
    assert actual == expected
    assert not any(model.objects.exists() for model in USER_GRANT_TABLES)


def test_second_run_changes_nothing(seeded, settings):
    before, log_rows = snapshot(), AccessLogEntry.objects.count()
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "inget nytt" in out.getvalue()
    assert snapshot() == before
    assert AccessLogEntry.objects.count() == log_rows


def test_partly_seeded_database_is_completed(seeded):
    before = snapshot(times=False)
    shared = {(model, pk) for model, pk in Share.objects.values_list("content_type__model", "object_id")}
    shared_involvements = set(
        IncidentPerson.objects.filter(pk__in=[pk for model, pk in shared if model == "incidentperson"]).values_list(
            "incident_id", flat=True
        )
    )
    # The oldest incidents too, so the timeline's anchor has to be found from a later one.
    incidents = [
        i.pk
        for i in Incident.objects.order_by("occurred_at")
        if ("incident", i.pk) not in shared and i.pk not in shared_involvements
    ][:4]
    memberships = [
        m.pk
        for m in GroupMembership.objects.filter(status="active").order_by("pk")
        if ("groupmembership", m.pk) not in shared
    ][:6]
    involvements = list(IncidentGroup.objects.exclude(incident__in=incidents).order_by("pk")[:3])
    relation = next(r for r in GroupRelation.objects.order_by("pk") if ("grouprelation", r.pk) not in shared)
    lost_persons = IncidentPerson.objects.filter(incident__in=incidents).count()
    lost_groups = IncidentGroup.objects.filter(incident__in=incidents).count() + len(involvements)
    Incident.objects.filter(pk__in=incidents).delete()
    GroupMembership.objects.filter(pk__in=memberships).delete()
    IncidentGroup.objects.filter(pk__in=[g.pk for g in involvements]).delete()
    relation.delete()

    report = seed_demo()

    assert report.created == {
        "incidents": 4,
        "memberships": 6,
        "relations": 1,
        "incident_groups": lost_groups,
        **({"incident_persons": lost_persons} if lost_persons else {}),
    }
    assert snapshot(times=False) == before


def test_a_run_weeks_later_keeps_the_timeline(seeded):
    """The incidents count back from the first seed's day, so a later run neither adds nor moves any."""
    before = snapshot(times=False)
    unshared = set(Incident.objects.values_list("pk", flat=True)) - set(
        Share.objects.filter(content_type__model="incident").values_list("object_id", flat=True)
    )
    lost = [
        i.pk
        for i in Incident.objects.order_by("occurred_at")
        if i.pk in unshared and not IncidentPerson.objects.filter(incident=i).exists()
    ][:3]
    involved = IncidentGroup.objects.filter(incident__in=lost).count()
    Incident.objects.filter(pk__in=lost).delete()

    report = seed_demo(now=timezone.now() + timedelta(days=40))

    # A run in a later month also makes each demo agency's review of its new previous month (cases/demo/log_reviews.py).
    assert report.created == {"incidents": 3, "incident_groups": involved, "log_reviews": len(AGENCIES)}
    assert snapshot(times=False) == before


def test_the_plan_is_deterministic(seeded):
    from cases.demo.plan import build as build_persons

    districts = list(District.objects.order_by("name").values_list("name", flat=True))
    persons = build_persons(districts=districts, today=timezone.localdate())
    assert registry_plan.build(persons) == registry_plan.build(persons)
