"""How the retention rules apply to the registry's and the cases' records (docs/retention.md).

Registered with the retention app from CasesConfig.ready(). Each kind says from which date its retention
period runs and, for rules that anonymise, what anonymising means; the retention app picks the rule per owner
agency, respects holds, and deletes through agencies.services.deletion, so nothing points at a removed record.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from agencies import audit
from agencies.models import Action, GroupGrant, Share, UserGrant
from agencies.services.deletion import delete_records
from retention.models import Hold
from retention.registry import Kind, register, register_holdable

from .models import (
    CaseEntry,
    Consent,
    ExitCase,
    GroupMembership,
    IdentityDetails,
    Incident,
    IncidentPerson,
    Individual,
)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries_due(entries: QuerySet, cutoff: date) -> QuerySet:
    """An agency's entries in a case go together, counted from that agency's last entry in the case (the
    social services' file is kept five years after its last note, SoL 12 kap. 1 §)."""
    last = (
        CaseEntry.objects.filter(case=OuterRef("case"), owner_agency=OuterRef("owner_agency"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    return entries.annotate(last_entry_on=Subquery(last)).filter(last_entry_on__lt=cutoff)


def memberships_due(memberships: QuerySet, cutoff: date) -> QuerySet:
    ended = [GroupMembership.Status.ENDED, GroupMembership.Status.EXPIRED]
    return memberships.filter(status__in=ended, ended_at__lt=_start_of(cutoff))


def _involvements_not_held() -> QuerySet:
    """Involvement records no hold in force keeps: a held one keeps the incident's link to that person."""
    held = Hold.objects.in_force().filter(
        content_type=ContentType.objects.get_for_model(IncidentPerson), object_id=OuterRef("pk")
    )
    return IncidentPerson._base_manager.exclude(Exists(held))


def incidents_due(incidents: QuerySet, cutoff: date) -> QuerySet:
    """Old incidents that still hold something about a person: an anonymised one is not due again, nor is one
    whose only remaining involvements are held (the run would find the same thing to keep every night)."""
    involved = _involvements_not_held().filter(incident=OuterRef("pk"))
    return incidents.filter(occurred_at__lt=_start_of(cutoff)).filter(~Q(summary="") | ~Q(place="") | Exists(involved))


def anonymise_incident(incident: Incident, *, reason: str) -> None:
    """Keep the incident for the statistics (kind, time, district, dead, injured, hours, groups) and remove
    who was involved — except an involvement a hold keeps — and the free text that could name them."""
    delete_records(_involvements_not_held().filter(incident=incident), reason=reason)
    Incident._base_manager.filter(pk=incident.pk).update(summary="", place="", version=F("version") + 1)
    audit.record(
        user=None,
        agency_id=incident.owner_agency_id,
        action=Action.CHANGE,
        model=Incident,
        objects=[incident],
        detail={"anonymised": True, "reason": reason},
    )


def exit_cases_due(cases: QuerySet, cutoff: date) -> QuerySet:
    return cases.filter(phase="closed", closed_on__lt=cutoff)


def consents_due(consents: QuerySet, cutoff: date) -> QuerySet:
    """A consent is kept while it is in force and as long as any share that rested on it was open, plus the
    period: it is what shows that those disclosures were lawful."""
    ended = consents.filter(
        Q(withdrawn_at__lt=_start_of(cutoff)) | Q(withdrawn_at__isnull=True, valid_until__lt=cutoff)
    )
    ct = ContentType.objects.get_for_model(Consent)
    # The consent record's own shares (to the agencies it names) rest on it too, and stay open after it ends
    # so they keep seeing it; they do not keep it, and the delete closes them.
    still_needed = (
        Share.objects.filter(consent_type=ct, consent_id=OuterRef("pk"))
        .exclude(content_type=ct, object_id=OuterRef("pk"))
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=_start_of(cutoff)))
    )
    return ended.exclude(Exists(still_needed))


def _refers_to_person(individual_pk: OuterRef) -> list[Exists]:
    """Every kind of row that points at a person by a foreign key (memberships, involvements, cases, consents,
    invitations, notifications, extracts, and whatever an app adds later), except what goes with the person:
    the identity details and the grant rows."""
    found = []
    # include_hidden: a relation named "+" (an extract's person) refers to the person all the same.
    relations = [f for f in Individual._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
    for relation in relations:
        model = relation.related_model
        if model is IdentityDetails or issubclass(model, (GroupGrant, UserGrant)):
            continue
        found.append(Exists(model._base_manager.filter(**{relation.field.name: individual_pk})))
    return found


def _unreferenced(persons: QuerySet) -> QuerySet:
    """Persons nothing refers to, and not disclosed through an open register row (they or their identity)."""
    for refers in _refers_to_person(OuterRef("pk")):
        persons = persons.exclude(refers)
    # The identity details' primary key is the person's.
    disclosed = Share.objects.filter(
        revoked_at__isnull=True,
        content_type__in=[ContentType.objects.get_for_model(m) for m in (Individual, IdentityDetails)],
        object_id=OuterRef("pk"),
    )
    return persons.exclude(Exists(disclosed))


def persons_due(persons: QuerySet, cutoff: date) -> QuerySet:
    """A person nothing has referred to for the period (as the nightly runs saw it), and neither they nor their
    identity details changed in it: everything recorded about them has gone under its own rule, so the person
    goes too, with their identity details."""
    start = _start_of(cutoff)
    due = persons.filter(unreferenced_since__lt=start, updated_at__lt=start).exclude(identity__updated_at__gte=start)
    return _unreferenced(due)


def note_unreferenced_persons() -> None:
    """After each run: start the clock for persons that have nothing left about them (a run may just have removed
    the last), and stop it for those that have something again. An update of this column only: neither the
    person's `updated_at` nor the log changes (it is the run's bookkeeping, not a change of the record)."""
    everyone = Individual._base_manager.all()
    unreferenced = _unreferenced(everyone).values("pk")
    everyone.filter(pk__in=unreferenced, unreferenced_since__isnull=True).update(unreferenced_since=timezone.now())
    everyone.exclude(pk__in=unreferenced).filter(unreferenced_since__isnull=False).update(unreferenced_since=None)


def register_kinds() -> None:
    # Entries before their cases: a case deleted later in the same run takes along only what is left.
    register(Kind("case-entries", CaseEntry, entries_due))
    register(Kind("memberships", GroupMembership, memberships_due))
    register(Kind("incidents", Incident, incidents_due, anonymise=anonymise_incident, url_name="incident-detail"))
    # Removed only by the incident's anonymising, which keeps a held one (the incident's link to that person).
    register_holdable(IncidentPerson)
    register(Kind("consents", Consent, consents_due))
    register(Kind("exit-cases", ExitCase, exit_cases_due, url_name="exit-case-detail"))
    # Last: a person is due only once nothing else refers to them.
    register(
        Kind("persons", Individual, persons_due, url_name="individual-detail", after_run=note_unreferenced_persons)
    )
