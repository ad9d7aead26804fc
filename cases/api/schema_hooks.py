"""OpenAPI post-processing for what `cases.disclosure` withholds.

drf-spectacular marks every read-only field of a response as required. A record another agency receives is sent
with the declared fields only (`ReceiverFieldsMixin`), so a field outside that declaration is present for the
owner and absent for a receiver: the schema must not call it required, or a client validating responses (and
the API fuzzing step in CI) rejects every answer a receiver gets.
"""

from __future__ import annotations

from typing import Any

from cases.disclosure import ReceiverFieldsMixin, receiver_fields


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
        if allowed is None or component is None or "required" not in component:
            continue
        component["required"] = [name for name in component["required"] if name in allowed]
    return result
