"""OpenAPI post-processing for what `cases.disclosure` withholds and adds.

drf-spectacular marks every read-only field of a response as required. A record another agency receives is sent
with the declared fields only (`ReceiverFieldsMixin`), so a field outside that declaration is present for the
owner and absent for a receiver: the schema must not call it required, or a client validating responses (and
the API fuzzing step in CI) rejects every answer a receiver gets. A receiver's answer also carries `provenance`,
which the owner's does not: it is described here, as an optional property, on every such component.
"""

from __future__ import annotations

from typing import Any

from cases.disclosure import PROVENANCE, ReceiverFieldsMixin, receiver_fields

_DATETIME = {"type": "string", "format": "date-time"}

PROVENANCE_SCHEMA: dict[str, Any] = {
    "type": "array",
    "readOnly": True,
    "description": (
        "Bara för en mottagare (inte för den ägande myndigheten): de gällande utlämnanden genom vilka posten nått "
        "er — från vilken myndighet, beslutat när, med stöd av vilken rättslig grund och till när."
    ),
    "items": {
        "type": "object",
        "properties": {
            "share": {"type": "integer", "description": "Utlämnandets id i registret (/api/v1/shares/{id}/)."},
            "from_agency": {"type": "string", "description": "Den utlämnande myndighetens kortnamn."},
            "from_agency_name": {"type": "string"},
            "decided_at": _DATETIME,
            "legal_basis": {"type": "string", "description": "Den rättsliga grundens kod."},
            "legal_basis_name": {"type": "string"},
            "expires_at": {**_DATETIME, "nullable": True, "description": "null: gäller tills vidare."},
        },
        "required": ["share", "from_agency", "from_agency_name", "decided_at", "legal_basis", "legal_basis_name"]
        + ["expires_at"],
    },
}


def _subclasses(cls: type[ReceiverFieldsMixin]) -> list[type[ReceiverFieldsMixin]]:
    found: list[type[ReceiverFieldsMixin]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def withheld_fields_are_optional(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    for serializer in _subclasses(ReceiverFieldsMixin):
        allowed = receiver_fields(serializer.disclosed_kind)
        component = schemas.get(serializer.__name__.removesuffix("Serializer"))
        if allowed is None or component is None:
            continue
        if "required" in component:
            kept = set(allowed) | set(serializer.also_received)
            component["required"] = [name for name in component["required"] if name in kept]
        component.setdefault("properties", {})[PROVENANCE] = PROVENANCE_SCHEMA
    return result
