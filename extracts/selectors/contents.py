"""What one agency holds about one person, read through the gate as the user who ordered the extract.

Each section reads only what the gate lets that user see (agencies.access), so an extract can never hold more
than the agency's own pages would show: its own records and what was shared with it and is still live. A linked
record the agency may not see (a group, an incident, a call-in) is left out of the row, not named. Case entries
are the agency's own only: each agency answers for its own entries, and another agency's entry it has been shown
belongs in that agency's extract.

`SECTIONS` is the order the service reads them in (one progress step each). Every section returns the loaded
records by model, so the service can log what it read, and the rows as plain JSON values (codes, not labels;
ISO dates), which is what the JSON file holds and the PDF renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies import access
from agencies.access import Actor
from agencies.models import Share
from cases.models import (
    CaseEntry,
    Consent,
    CriminalGroup,
    ExitCase,
    GroupMembership,
    IdentityDetails,
    Incident,
    IncidentPerson,
    Individual,
)
from outreach.models import CallIn, CustomNotification, Invitation, InvitationReason, LegalRiskSummary


@dataclass
class Section:
    """One part of the extract: its rows (JSON values) and the records read for them, by model."""

    key: str
    rows: Any
    read: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    def records(self) -> Iterable[models.Model]:
        for objects in self.read.values():
            yield from objects


def iso(value: date | datetime | None) -> str | None:
    """Dates as ISO 8601; a moment in the portal's time zone (Europe/Stockholm), with its offset."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat() if value is not None else None


def _agency(obj) -> str:
    return obj.owner_agency.name


def person(user, actor: Actor, individual: Individual) -> Section:
    row = {
        "id": individual.pk,
        "alias": individual.alias,
        "birth_year": individual.birth_year,
        "district": individual.district.name if individual.district is not None else None,
        "owner_agency": _agency(individual),
        "created_at": iso(individual.created_at),
        "updated_at": iso(individual.updated_at),
        # The notes are the owning agency's working notes and never leave it (cases/disclosure.py).
        "notes": individual.notes if access.owns(user, individual) else None,
    }
    return Section("person", row, {Individual: [individual]})


def identity(user, actor: Actor, individual: Individual) -> Section:
    details = access.visible(user, IdentityDetails).select_related("owner_agency").filter(pk=individual.pk).first()
    if details is None:
        return Section("identity", None)
    row = {
        "personnummer": details.personnummer,
        "full_name": details.full_name,
        "address": details.address,
        "phone": details.phone,
        "owner_agency": _agency(details),
        "updated_at": iso(details.updated_at),
    }
    return Section("identity", row, {IdentityDetails: [details]})


def _visible_ids(user, model, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(access.visible(user, model).filter(pk__in=ids).values_list("pk", flat=True))


def memberships(user, actor: Actor, individual: Individual) -> Section:
    rows = list(
        access.visible(user, GroupMembership)
        .filter(individual=individual)
        .select_related("owner_agency", "group")
        .order_by("-valid_from", "pk")
    )
    groups = _visible_ids(user, CriminalGroup, {m.group_id for m in rows})
    data = [
        {
            "id": m.pk,
            # The group is named only where the agency may see it.
            "group": m.group.name if m.group_id in groups else None,
            "role": m.role,
            "status": m.status,
            "valid_from": iso(m.valid_from),
            "valid_to": iso(m.valid_to),
            "source_type": m.source_type,
            "evidence": m.evidence,
            "confidence": m.confidence,
            "review_due": iso(m.review_due),
            "ended_at": iso(m.ended_at),
            "end_reason": m.end_reason,
            "owner_agency": _agency(m),
        }
        for m in rows
    ]
    return Section("memberships", data, {GroupMembership: rows})


def incidents(user, actor: Actor, individual: Individual) -> Section:
    rows = list(
        access.visible(user, IncidentPerson)
        .filter(individual=individual)
        .select_related("owner_agency", "incident", "incident__district", "incident__owner_agency")
        .order_by("-incident__occurred_at", "pk")
    )
    seen = _visible_ids(user, Incident, {r.incident_id for r in rows})
    data = []
    for r in rows:
        incident = r.incident if r.incident_id in seen else None
        data.append(
            {
                "id": r.pk,
                "role": r.role,
                "notes": r.notes,
                "owner_agency": _agency(r),
                "incident": None
                if incident is None
                else {
                    "id": incident.pk,
                    "kind": incident.kind,
                    "occurred_at": iso(incident.occurred_at),
                    "district": incident.district.name if incident.district_id else None,
                    "place": incident.place,
                    "owner_agency": _agency(incident),
                },
            }
        )
    read: dict[type[models.Model], list[models.Model]] = {IncidentPerson: rows}
    if seen:
        read[Incident] = [r.incident for r in rows if r.incident_id in seen]
    return Section("incidents", data, read)


def exit_cases(user, actor: Actor, individual: Individual) -> Section:
    cases = list(
        access.visible(user, ExitCase)
        .filter(individual=individual)
        .select_related("owner_agency", "lead_agency")
        .order_by("-opened_on", "pk")
    )
    entries = list(access.visible(user, CaseEntry).filter(case__in=[c.pk for c in cases]).order_by("occurred_on", "pk"))
    # The agency's own entries only (see the module's docstring); the gate answers which are its own.
    own = access.owned_ids(user, entries)
    entries = [e for e in entries if e.pk in own]
    data = [
        {
            "id": case.pk,
            "phase": case.phase,
            "outcome": case.outcome,
            "lead_agency": case.lead_agency.name,
            "opened_on": iso(case.opened_on),
            "closed_on": iso(case.closed_on),
            "summary": case.summary,
            "owner_agency": _agency(case),
            "entries": [
                {
                    "id": e.pk,
                    "kind": e.kind,
                    "occurred_on": iso(e.occurred_on),
                    "title": e.title,
                    "body": e.body,
                    "needs": e.needs,
                    "intervention_category": e.intervention_category,
                    "provider": e.provider,
                    "starts_on": iso(e.starts_on),
                    "ends_on": iso(e.ends_on),
                    "intervention_status": e.intervention_status,
                }
                for e in entries
                if e.case_id == case.pk
            ],
        }
        for case in cases
    ]
    return Section("exit_cases", data, {ExitCase: cases, CaseEntry: entries})


def consents(user, actor: Actor, individual: Individual) -> Section:
    rows = list(
        access.visible(user, Consent)
        .filter(individual=individual)
        .select_related("owner_agency")
        .prefetch_related("agencies")
        .order_by("-given_on", "pk")
    )
    data = [
        {
            "id": c.pk,
            "agencies": sorted(a.name for a in c.agencies.all()),
            "categories": list(c.categories),
            "purpose": c.purpose,
            "given_on": iso(c.given_on),
            "valid_until": iso(c.valid_until),
            "document_reference": c.document_reference,
            "withdrawn_at": iso(c.withdrawn_at),
            "owner_agency": _agency(c),
        }
        for c in rows
    ]
    return Section("consents", data, {Consent: rows})


def invitations(user, actor: Actor, individual: Individual) -> Section:
    rows = list(
        access.visible(user, Invitation)
        .filter(individual=individual)
        .select_related("owner_agency", "call_in")
        .order_by("-call_in__starts_at", "pk")
    )
    call_ins = _visible_ids(user, CallIn, {r.call_in_id for r in rows})
    reasons = {
        r.pk: r for r in access.visible(user, InvitationReason).filter(pk__in=[i.pk for i in rows]).order_by("pk")
    }
    data = [
        {
            "id": i.pk,
            "status": i.status,
            "accompanied_by": i.accompanied_by,
            "follow_up_on": iso(i.follow_up_on),
            "help_requested": i.help_requested,
            "owner_agency": _agency(i),
            "call_in": {
                "id": i.call_in.pk,
                "title": i.call_in.title,
                "starts_at": iso(i.call_in.starts_at),
                "venue": i.call_in.venue,
            }  # fmt: skip
            if i.call_in_id in call_ins
            else None,
            "reason": {"kind": reasons[i.pk].kind, "text": reasons[i.pk].text} if i.pk in reasons else None,
        }
        for i in rows
    ]
    read: dict[type[models.Model], list[models.Model]] = {Invitation: rows}
    if reasons:
        read[InvitationReason] = list(reasons.values())
    return Section("invitations", data, read)


def notifications(user, actor: Actor, individual: Individual) -> Section:
    rows = list(
        access.visible(user, CustomNotification)
        .filter(individual=individual)
        .select_related("owner_agency")
        .order_by("-delivered_on", "pk")
    )
    summaries = {
        s.pk: s for s in access.visible(user, LegalRiskSummary).filter(pk__in=[n.pk for n in rows]).order_by("pk")
    }
    data = [
        {
            "id": n.pk,
            "delivered_on": iso(n.delivered_on),
            "place_type": n.place_type,
            "message_delivered": n.message_delivered,
            "offer_made": n.offer_made,
            "offer_accepted": n.offer_accepted,
            "outcome": n.outcome,
            "follow_up_on": iso(n.follow_up_on),
            "owner_agency": _agency(n),
            "legal_risk": {"text": summaries[n.pk].text} if n.pk in summaries else None,
        }
        for n in rows
    ]
    read: dict[type[models.Model], list[models.Model]] = {CustomNotification: rows}
    if summaries:
        read[LegalRiskSummary] = list(summaries.values())
    return Section("notifications", data, read)


# The kinds of record about the person whose disclosures the register lists (the incident and the call-in
# themselves are not about one person; the person's involvement and invitation are).
ABOUT_THE_PERSON = (
    Individual,
    IdentityDetails,
    GroupMembership,
    IncidentPerson,
    ExitCase,
    CaseEntry,
    Consent,
    Invitation,
    InvitationReason,
    CustomNotification,
    LegalRiskSummary,
)


def disclosures(user, actor: Actor, held: dict[type[models.Model], list[models.Model]]) -> Section:
    """The register rows about the records in the extract: what the agency disclosed (to whom, when, on which
    basis, until when, withdrawn when) — ended ones too, the register is history — and what it received them
    through. `held` is what the other sections read. One query."""
    pairs = Q()
    for model in ABOUT_THE_PERSON:
        ids = [obj.pk for obj in held.get(model, [])]
        if ids:  # bounded by what one person's extract holds
            pairs |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    if not pairs:
        return Section("disclosures", {"made": [], "received": []})
    mine = Q(from_agency_id=actor.agency_id) | Q(to_agency_id=actor.agency_id)
    shares = (
        Share.objects.filter(pairs)
        .filter(mine)
        .select_related("content_type", "from_agency", "to_agency", "legal_basis")
        .order_by("decided_at", "pk")
    )
    made: list[dict] = []
    received: list[dict] = []
    for s in shares:
        row = {
            "record": s.content_type.app_label + "." + s.content_type.model,
            "record_id": s.object_id,
            "from_agency": s.from_agency.name,
            "to_agency": s.to_agency.name,
            "level": s.level,
            "legal_basis": s.legal_basis.name,
            "assessment": s.assessment,
            "decided_at": iso(s.decided_at),
            "expires_at": iso(s.expires_at),
            "revoked_at": iso(s.revoked_at),
        }
        (made if s.from_agency_id == actor.agency_id else received).append(row)
    return Section("disclosures", {"made": made, "received": received})


Reader = Callable[[Any, Actor, Individual], Section]
SECTIONS: tuple[Reader, ...] = (
    person,
    identity,
    memberships,
    incidents,
    exit_cases,
    consents,
    invitations,
    notifications,
)
