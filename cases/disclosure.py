"""What leaves the owner agency when a record is shared: one declaration per shareable kind.

The fields a non-owner receives are declared once here, by their API names, with the words the share dialog
uses for them. The API's output serializers (ReceiverFieldsMixin) send a non-owner exactly these fields, and the
dialog lists exactly these, so the two cannot disagree (cases/tests/test_disclosed_fields.py compares them).
A field left out stays with the owner: a person's notes are the owning agency's working notes, not part of
the person record that is disclosed.

Kinds not declared here disclose their whole API representation; their dialog describes it in prose
(cases/shareables.py, `discloses`).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies import access

# kind -> ((API field, what the dialog calls it), ...)
DISCLOSED: dict[str, tuple[tuple[str, Promise], ...]] = {
    "individual": (
        ("id", _("id")),
        ("url", _("adress i API:t")),
        ("alias", _("alias")),
        ("birth_year", _("födelseår")),
        ("district", _("stadsdel")),
        ("district_name", _("stadsdelens namn")),
        ("owner_agency", _("ägande myndighet")),
        ("created_at", _("när personen registrerades")),
        ("updated_at", _("när uppgifterna senast ändrades")),
        ("version", _("version")),
    ),
}

# Fields that never leave the owner, by kind, named so the dialog can say so.
OWNER_ONLY: dict[str, tuple[Promise, ...]] = {
    "individual": (_("anteckningar"),),
}


def receiver_fields(kind: str) -> tuple[str, ...] | None:
    """The API fields a non-owner receives, or None when the kind discloses its whole representation."""
    declared = DISCLOSED.get(kind)
    return tuple(name for name, _label in declared) if declared is not None else None


def dialog_fields(kind: str) -> list[tuple[str, Promise]]:
    return list(DISCLOSED.get(kind, ()))


class ReceiverFieldsMixin:
    """For an output serializer: a record the requesting user's agency does not own is sent with the declared
    fields only. `disclosed_kind` names the declaration. No query: `access.owns` compares the cached actor."""

    disclosed_kind: str = ""

    def to_representation(self, instance):
        data = super().to_representation(instance)  # type: ignore[misc]
        allowed = receiver_fields(self.disclosed_kind)
        request = self.context.get("request")  # type: ignore[attr-defined]
        if allowed is None or request is None or access.owns(request.user, instance):
            return data
        return {key: value for key, value in data.items() if key in allowed}
