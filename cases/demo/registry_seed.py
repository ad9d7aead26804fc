"""Writes the demo's group registry (cases.demo.registry_plan) through the registry services.

Groups, relations and memberships through cases.services.groups, incidents and their involvement rows
through cases.services.incidents, every disclosure through agencies.access.share acting as the owning
agency's caseworker, so the register, the grants and the access log hold what real use would leave. Each
step looks up what exists by the plan's keys and writes only what is missing: a second run writes nothing,
and a partly seeded database is completed. Called by cases.demo.seed inside its transaction.

Times: records are backdated (created_at) right after they are written and before anything is shared,
because a grant row copies the record's created_at when the share is made. Incidents, groups and relations
count back from the demo's anchor: the day of the first seed, recovered from the incidents already there,
so that a completed database keeps one timeline. Memberships count back from today, so a fresh demo has
reviews due, overdue and close to expiry, and none that the nightly task would already have expired.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agencies import access
from agencies.models import Agency, LegalBasis, Share, ShareLevel
from cases.models import (
    CriminalGroup,
    District,
    GroupMembership,
    GroupRelation,
    Incident,
    IncidentGroup,
    IncidentPerson,
    Individual,
)
from cases.services import (
    Review,
    group_create,
    incident_add_group,
    incident_add_person,
    incident_record,
    membership_record,
    membership_review,
    relation_create,
)

from . import registry_plan
from .assessments import assessment_for
from .plan import AGENCY_BY_SLUG, Plan
from .registry_plan import INCIDENT_MARKER, RegistryPlan, RegistryShareSpec

_REF = re.compile(rf"{INCIDENT_MARKER} (\d+)\.$")
MODELS = {
    "group": CriminalGroup,
    "relation": GroupRelation,
    "membership": GroupMembership,
    "incident": Incident,
    "incident_person": IncidentPerson,
    "person": Individual,
}


def seed_registry(
    *,
    persons_plan: Plan,
    persons: dict[int, Individual],
    agencies: dict[str, Agency],
    users: dict[str, Any],
    districts: list[District],
    now: datetime,
    report,
) -> RegistryPlan:
    plan = registry_plan.build(persons_plan)
    _Writer(plan, persons, agencies, users, districts, now, report).run()
    return plan


class _Writer:
    def __init__(self, plan, persons, agencies, users, districts, now, report):
        self.plan: RegistryPlan = plan
        self.persons: dict[int, Individual] = persons
        self.agencies: dict[str, Agency] = agencies
        self.users = users
        self.districts: list[District] = districts
        self.now: datetime = now
        self.today: date = timezone.localdate(now)
        self.report = report
        self.slug_of = {a.pk: slug for slug, a in agencies.items()}
        self.objects: dict[str, dict[tuple, Any]] = {model: {} for model in MODELS}
        self.objects["person"] = {(i,): p for i, p in persons.items()}
        self.decided: list[Share] = []

    def run(self) -> None:
        self.content_types = ContentType.objects.get_for_models(*MODELS.values())
        self.existing_shares = set(
            Share.objects.filter(
                content_type__in=self.content_types.values(), from_agency__in=self.agencies.values()
            ).values_list("content_type_id", "object_id", "to_agency_id")
        )
        codes = {s.legal_basis for s in self.plan.shares}
        self.bases = {b.code: b for b in LegalBasis.objects.filter(code__in=codes)}
        self.anchor = self._anchor()
        self._groups()
        # The groups first, so the police see the municipality's groups when they record relations and incidents.
        self._share([s for s in self.plan.shares if s.model == "group"])
        self._relations()
        self._memberships()
        self._incidents()
        self._involvement()
        self._share([s for s in self.plan.shares if s.model != "group"])
        Share.objects.bulk_update(self.decided, ["decided_at"], batch_size=500)

    # --- helpers ---------------------------------------------------------------------------------------

    def _caseworker(self, slug: str):
        return self.users[f"{AGENCY_BY_SLUG[slug].login_prefix}.handlaggare"]

    def _at(self, day: date, at: time = time(10, 0)) -> datetime:
        return timezone.make_aware(datetime.combine(day, at))

    def _before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now)

    def _anchor(self) -> date:
        """The day the incident timeline counts back from: that of the incidents already there, else today."""
        by_ref = {i.ref: i for i in self.plan.incidents}
        self.existing_incidents: dict[int, Incident] = {}
        police = self.agencies["polisen"]
        found = Incident.objects.filter(owner_agency=police, summary__contains=INCIDENT_MARKER).order_by("pk")
        for incident in found:
            match = _REF.search(incident.summary)
            if match and int(match.group(1)) in by_ref:
                self.existing_incidents.setdefault(int(match.group(1)), incident)
        if not self.existing_incidents:
            return self.today
        ref = min(self.existing_incidents)
        occurred = timezone.localtime(self.existing_incidents[ref].occurred_at).date()
        return occurred + timedelta(days=by_ref[ref].days_ago)

    # --- groups and relations -------------------------------------------------------------------------

    def _groups(self) -> None:
        existing: dict[tuple[str, str], CriminalGroup] = {}
        for group in CriminalGroup.objects.filter(
            owner_agency__in=self.agencies.values(), name__in=[g.name for g in self.plan.groups]
        ).order_by("pk"):
            existing.setdefault((self.slug_of[group.owner_agency_id], group.name), group)
        backdated: list[CriminalGroup] = []
        for spec in self.plan.groups:
            found = existing.get(spec.key)
            if found is not None:
                group = found
            else:
                slots = [self.districts[s % len(self.districts)] for s in spec.district_slots] if self.districts else []
                group = group_create(
                    acting_user=self._caseworker(spec.owner),
                    name=spec.name,
                    aliases=list(spec.aliases),
                    districts=list(dict.fromkeys(slots)),
                    status=spec.status,
                    description=spec.description,
                    first_seen=self.anchor - timedelta(days=spec.first_seen_days_ago),
                    last_seen=self.anchor - timedelta(days=spec.last_seen_days_ago),
                )
                group.created_at = group.updated_at = self._at(self.anchor - timedelta(days=spec.created_days_ago))
                backdated.append(group)
                self.report.count("groups")
            self.objects["group"][spec.key] = group
        CriminalGroup.objects.bulk_update(backdated, ["created_at", "updated_at"])
        self.group_by_name = {spec.name: self.objects["group"][spec.key] for spec in self.plan.groups}

    def _relations(self) -> None:
        name_of = {g.pk: name for name, g in self.group_by_name.items()}
        ids = list(name_of)
        existing: dict[tuple, GroupRelation] = {}
        for relation in GroupRelation.objects.filter(group_a__in=ids, group_b__in=ids).order_by("pk"):
            key = (frozenset((name_of[relation.group_a_id], name_of[relation.group_b_id])), relation.kind)
            existing.setdefault(key, relation)
        backdated: list[GroupRelation] = []
        police = self._caseworker("polisen")
        for spec in self.plan.relations:
            found = existing.get(spec.key)
            a, b = self.group_by_name[spec.group_a], self.group_by_name[spec.group_b]
            if found is not None:
                relation = found
            else:
                if not (access.can(police, a) and access.can(police, b)):
                    continue  # a share of a group was revoked in this demo: leave the relation out
                since = self.anchor - timedelta(days=spec.since_days_ago)
                relation = relation_create(
                    acting_user=police,
                    group_a=a,
                    group_b=b,
                    kind=spec.kind,
                    status=spec.status,
                    since=since,
                    notes=spec.notes,
                    source=spec.source,
                )
                recorded = max(a.created_at, b.created_at, self._at(since)) + timedelta(days=3)
                relation.created_at = relation.updated_at = self._before_now(recorded)
                backdated.append(relation)
                self.report.count("relations")
            self.objects["relation"][spec.key] = relation
        GroupRelation.objects.bulk_update(backdated, ["created_at", "updated_at"])

    # --- memberships -------------------------------------------------------------------------------------

    def _memberships(self) -> None:
        existing: dict[tuple[int, int, int], GroupMembership] = {}
        for membership in GroupMembership.objects.filter(group__in=self.group_by_name.values()).order_by("pk"):
            key = (membership.individual_id, membership.group_id, membership.owner_agency_id)
            existing.setdefault(key, membership)
        backdated: list[GroupMembership] = []
        to_end: list[tuple[GroupMembership, str, Any]] = []
        for spec in self.plan.memberships:
            person, group = self.persons[spec.person], self.group_by_name[spec.group]
            owner = self.agencies[spec.owner]
            found = existing.get((person.pk, group.pk, owner.pk))
            if found is not None:
                membership = found
            else:
                user = self._caseworker(spec.owner)
                if not (access.can(user, person) and access.can(user, group)):
                    continue
                recorded_on = self.today - timedelta(days=spec.recorded_days_ago)
                valid_from = recorded_on - timedelta(days=spec.known_for_days)
                if group.first_seen:
                    valid_from = max(valid_from, group.first_seen)
                membership = membership_record(
                    acting_user=user,
                    individual=person,
                    group=group,
                    role=spec.role,
                    source_type=spec.source_type,
                    evidence=spec.evidence,
                    confidence=spec.confidence,
                    valid_from=min(valid_from, recorded_on),
                    review_due=self.today + timedelta(days=spec.review_in_days),
                )
                recorded = max(
                    self._at(recorded_on, time(13, 0)),
                    person.created_at + timedelta(hours=1),
                    group.created_at + timedelta(hours=1),
                )
                membership.created_at = membership.updated_at = self._before_now(recorded)
                backdated.append(membership)
                if spec.end_reason:
                    to_end.append((membership, spec.end_reason, user))
                self.report.count("memberships")
            self.objects["membership"][spec.key] = membership
        # Backdated before the review ends any: the review service saves the whole row it reads.
        GroupMembership.objects.bulk_update(backdated, ["created_at", "updated_at"], batch_size=500)
        for membership, reason, user in to_end:
            membership_review(membership=membership, acting_user=user, decision=Review.END, end_reason=reason)

    # --- incidents -----------------------------------------------------------------------------------

    def _incidents(self) -> None:
        backdated: list[Incident] = []
        police = self._caseworker("polisen")
        for spec in self.plan.incidents:
            incident = self.existing_incidents.get(spec.ref)
            if incident is None:
                occurred = self._at(self.anchor - timedelta(days=spec.days_ago), time(spec.hour, spec.minute))
                district = (
                    self.districts[min(int(spec.district_draw * len(self.districts)), len(self.districts) - 1)]
                    if self.districts
                    else None
                )
                incident = incident_record(
                    acting_user=police,
                    kind=spec.kind,
                    occurred_at=occurred,
                    district=district,
                    place=spec.place,
                    dead=spec.dead,
                    injured=spec.injured,
                    status=spec.status,
                    investigation_hours=Decimal(str(spec.investigation_hours)),
                    summary=spec.summary,
                )
                recorded = occurred + timedelta(hours=spec.recorded_after_hours)
                incident.created_at = incident.updated_at = self._before_now(recorded)
                backdated.append(incident)
                self.report.count("incidents")
            self.objects["incident"][(spec.ref,)] = incident
        Incident.objects.bulk_update(backdated, ["created_at", "updated_at"], batch_size=500)

    def _involvement(self) -> None:
        incidents = {ref: obj for (ref,), obj in self.objects["incident"].items()}
        ids = [i.pk for i in incidents.values()]
        group_rows = set(IncidentGroup.objects.filter(incident__in=ids).values_list("incident_id", "group_id", "side"))
        person_rows: dict[tuple[int, int, str], IncidentPerson] = {}
        for row in IncidentPerson.objects.filter(incident__in=ids).order_by("pk"):
            person_rows.setdefault((row.incident_id, row.individual_id, row.role), row)
        police = self._caseworker("polisen")
        backdated: list[IncidentPerson] = []
        for spec in self.plan.incidents:
            incident = incidents[spec.ref]
            for side in spec.groups:
                group = self.group_by_name[side.group]
                if (incident.pk, group.pk, side.side) in group_rows or not access.can(police, group):
                    continue
                incident_add_group(
                    incident=incident, acting_user=police, group=group, certainty=side.certainty, side=side.side
                )
                self.report.count("incident_groups")
            for involved in spec.persons:
                person = self.persons[involved.person]
                found = person_rows.get((incident.pk, person.pk, involved.role))
                if found is not None:
                    row = found
                else:
                    if not access.can(police, person):
                        continue
                    row = incident_add_person(
                        incident=incident,
                        acting_user=police,
                        individual=person,
                        role=involved.role,
                        notes=involved.notes,
                    )
                    recorded = max(incident.created_at, person.created_at) + timedelta(
                        hours=involved.recorded_after_hours
                    )
                    row.created_at = row.updated_at = self._before_now(recorded)
                    backdated.append(row)
                    self.report.count("incident_persons")
                self.objects["incident_person"][(spec.ref, involved.person, involved.role)] = row
        IncidentPerson.objects.bulk_update(backdated, ["created_at", "updated_at"], batch_size=500)

    # --- sharing -----------------------------------------------------------------------------------------

    def _share(self, specs: list[RegistryShareSpec]) -> None:
        for spec in specs:
            obj = self.objects[spec.model].get(spec.key)
            if obj is None:
                continue
            to_agency = self.agencies[spec.to_agency]
            ct = self.content_types[MODELS[spec.model]]
            if (ct.pk, obj.pk, to_agency.pk) in self.existing_shares:
                continue
            record = access.share(
                obj,
                to_agency=to_agency,
                level=ShareLevel.VIEW,
                legal_basis=self.bases[spec.legal_basis],
                assessment=assessment_for(spec.legal_basis),
                acting_user=self._caseworker(spec.owner),
                expires_at=self.now + timedelta(days=spec.expires_in_days) if spec.expires_in_days else None,
            )
            self.existing_shares.add((ct.pk, obj.pk, to_agency.pk))
            record.decided_at = obj.created_at + (self.now - obj.created_at) * spec.decided_fraction
            self.decided.append(record)
            self.report.count("shares")
