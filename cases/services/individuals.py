"""Writes for persons and their identity details. Each names its acting user and writes the access log."""

from django.db import transaction

from agencies import access, audit
from agencies.models import Action

from ..models import IdentityDetails, Individual
from ..personnummer import normalise
from ._common import bump_version

INDIVIDUAL_FIELDS = ("alias", "birth_year", "district", "notes")
IDENTITY_FIELDS = ("personnummer", "full_name", "address", "phone")


@transaction.atomic
def individual_create(
    *, acting_user, alias: str, birth_year=None, district=None, notes: str = "", identity=None
) -> Individual:
    """Record a person, owned by the acting user's agency, optionally with identity details."""
    actor = access.require_actor(acting_user)
    individual = Individual.objects.create(
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        alias=alias.strip(),
        birth_year=birth_year,
        district=district,
        notes=notes,
    )
    audit.record(
        user=acting_user, agency_id=actor.agency_id, action=Action.CREATE, model=Individual, objects=[individual]
    )
    if identity and any(identity.get(f) for f in IDENTITY_FIELDS):
        identity_set(individual=individual, acting_user=acting_user, **identity)
    return individual


@transaction.atomic
def individual_update(
    *, individual: Individual, acting_user, expected_version: int | None = None, **changes
) -> Individual:
    """Change a person the user may change (owner, or a change-level share). Stale versions get a conflict."""
    actor = access.require_actor(acting_user)
    fields = {k: v for k, v in changes.items() if k in INDIVIDUAL_FIELDS}
    if not access.owns(acting_user, individual):
        # The notes stay with the owner (cases/disclosure.py): a change-share receiver neither sees nor
        # changes them, so what it sends for them (a PUT's empty default) leaves them as they are.
        fields.pop("notes", None)
    if "alias" in fields:
        fields["alias"] = fields["alias"].strip()
    bump_version(individual, expected_version=expected_version, fields=fields)
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.CHANGE,
        model=Individual,
        objects=[individual],
        detail={"fields": sorted(fields)},
    )
    return individual


@transaction.atomic
def identity_set(
    *, individual: Individual, acting_user, expected_version: int | None = None, **values
) -> IdentityDetails:
    """Create or change a person's identity details. New details are owned by the person's owner agency."""
    actor = access.require_actor(acting_user)
    fields = {k: (v or "").strip() for k, v in values.items() if k in IDENTITY_FIELDS}
    if fields.get("personnummer"):
        fields["personnummer"] = normalise(fields["personnummer"])
    existing = IdentityDetails.objects.filter(pk=individual.pk).first()
    if existing is None:
        identity = IdentityDetails.objects.create(
            individual=individual, owner_agency_id=individual.owner_agency_id, **fields
        )
        action = Action.CREATE
    else:
        identity = existing
        bump_version(identity, expected_version=expected_version, fields=fields)
        action = Action.CHANGE
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=action,
        model=IdentityDetails,
        objects=[identity],
        detail={"fields": sorted(fields)},
    )
    return identity
