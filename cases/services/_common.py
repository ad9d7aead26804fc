"""Small pieces every registry service shares."""

from django.db.models import F
from django.utils.translation import gettext as _

from agencies.errors import ApplicationError, ConflictError


def bump_version(obj, *, expected_version: int | None, fields: dict) -> None:
    """Apply `fields` only if nobody changed the record since `expected_version` was read.

    The version check and the write are one UPDATE, so two concurrent editors cannot both win.
    """
    model = type(obj)
    qs = model.objects.filter(pk=obj.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    updated = qs.update(**fields, version=F("version") + 1)
    if not updated:
        current = model.objects.values_list("version", flat=True).get(pk=obj.pk)
        raise ConflictError(
            _("Någon annan har ändrat uppgifterna sedan du öppnade dem. Läs in dem igen och gör om ändringen."),
            current_version=current,
        )
    obj.refresh_from_db()


def require_owner(actor, obj, message: str) -> None:
    """Writes that only the data controller may make (reviews, involvement records)."""
    if obj.owner_agency_id != actor.agency_id:
        raise ApplicationError(message, code="not_owner")


def required_text(value: str | None, message: str, code: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(message, code=code)
    return text
