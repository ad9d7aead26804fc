"""Writes for the incident register. Recording a victim (or anyone) never creates a group membership."""

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies import access, audit
from agencies.errors import ApplicationError
from agencies.models import Action

from ..models import Incident, IncidentGroup, IncidentPerson
from ._common import bump_version, require_owner

INCIDENT_FIELDS = (
    "kind",
    "occurred_at",
    "district",
    "place",
    "dead",
    "injured",
    "status",
    "investigation_hours",
    "summary",
)


def _validate(fields: dict) -> None:
    for name in ("dead", "injured"):
        if fields.get(name) is not None and fields[name] < 0:
            raise ApplicationError(_("Antalet kan inte vara negativt."), code="negative")
    hours = fields.get("investigation_hours")
    if hours is not None and Decimal(hours) < 0:
        raise ApplicationError(_("Utredningstimmar kan inte vara negativa."), code="negative")


@transaction.atomic
def incident_record(
    *,
    acting_user,
    kind: str,
    occurred_at: datetime,
    district=None,
    place: str = "",
    dead: int = 0,
    injured: int = 0,
    status=Incident.Status.OPEN,
    investigation_hours=0,
    summary: str = "",
) -> Incident:
    actor = access.require_actor(acting_user)
    fields = dict(
        kind=kind,
        occurred_at=occurred_at,
        district=district,
        place=place,
        dead=dead,
        injured=injured,
        status=status,
        investigation_hours=investigation_hours,
        summary=summary,
    )
    _validate(fields)
    incident = Incident.objects.create(owner_agency_id=actor.agency_id, created_by=acting_user, **fields)
    audit.record(user=acting_user, agency_id=actor.agency_id, action=Action.CREATE, model=Incident, objects=[incident])
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, acting_user, expected_version: int | None = None, **changes) -> Incident:
    actor = access.require_actor(acting_user)
    fields = {k: v for k, v in changes.items() if k in INCIDENT_FIELDS}
    _validate(fields)
    bump_version(incident, expected_version=expected_version, fields=fields)
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.CHANGE,
        model=Incident,
        objects=[incident],
        detail={"fields": sorted(fields)},
    )
    return incident


@transaction.atomic
def incident_add_group(*, incident: Incident, acting_user, group, certainty: str, side: str) -> IncidentGroup:
    """A group's part in the incident. The incident's owner records it; the group must be visible to them."""
    actor = access.require_actor(acting_user)
    require_owner(actor, incident, _("Endast den ägande myndigheten kan ändra händelsen."))
    if not access.can(acting_user, group, "view"):
        raise ApplicationError(_("Grupperingen finns inte."), code="not_found")
    try:
        with transaction.atomic():
            row = IncidentGroup.objects.create(incident=incident, group=group, certainty=certainty, side=side)
    except IntegrityError:
        raise ApplicationError(
            _("Grupperingen finns redan registrerad på den sidan i händelsen."), code="duplicate"
        ) from None
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.CHANGE,
        model=Incident,
        objects=[incident],
        detail={"group_added": group.pk, "side": side, "certainty": certainty},
    )
    return row


@transaction.atomic
def incident_add_person(*, incident: Incident, acting_user, individual, role: str, notes: str = "") -> IncidentPerson:
    """A person's part in the incident, as its own protected record owned by the incident's owner.

    Deliberately creates nothing else: a victim (or a suspect) is not thereby a member of any group.
    """
    actor = access.require_actor(acting_user)
    require_owner(actor, incident, _("Endast den ägande myndigheten kan ändra händelsen."))
    if not access.can(acting_user, individual, "view"):
        raise ApplicationError(_("Personen finns inte."), code="not_found")
    try:
        with transaction.atomic():
            row = IncidentPerson.objects.create(
                owner_agency_id=actor.agency_id,
                incident=incident,
                individual=individual,
                role=role,
                notes=notes,
                created_by=acting_user,
            )
    except IntegrityError:
        raise ApplicationError(
            _("Personen finns redan registrerad med den rollen i händelsen."), code="duplicate"
        ) from None
    audit.record(user=acting_user, agency_id=actor.agency_id, action=Action.CREATE, model=IncidentPerson, objects=[row])
    return row
