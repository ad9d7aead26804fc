"""What leaves the owner agency when a record is shared: one declaration per shareable kind.

The fields a non-owner receives are declared once, by their API names, with the words the share dialog uses for
them (`declare`). The API's output serializers (ReceiverFieldsMixin) send a non-owner exactly these fields plus
`provenance` (from whom, decided when, on which basis, until when), and the dialog lists exactly these, so the
two cannot disagree (cases/tests/test_disclosed_fields.py compares them for every kind).

A field left out stays with the owner: a person's notes are the owning agency's working notes, not part of the
person record that is disclosed. Every other field of the declared kinds belongs to the record itself (a
relation's or an involvement's notes say what the record is; the dialog's prose names them).

`cases` declares its kinds here; `outreach` declares its own from its AppConfig (outreach/disclosure.py), since
`cases` never imports `outreach`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies import access
from agencies.selectors.provenance import provenance_for_many

from .models import (
    CaseEntry,
    CriminalGroup,
    ExitCase,
    GroupMembership,
    GroupRelation,
    IdentityDetails,
    Incident,
    IncidentPerson,
    Individual,
    PlanGoal,
    Task,
)

# kind -> ((API field, what the dialog calls it), ...)
DISCLOSED: dict[str, tuple[tuple[str, Promise | str], ...]] = {}
# Fields that never leave the owner, by kind, named so the dialog can say so.
OWNER_ONLY: dict[str, tuple[Promise | str, ...]] = {}

# The key a receiver's API answer carries besides the declared fields (see ReceiverFieldsMixin).
PROVENANCE = "provenance"

# Words for the fields every protected record's API representation has.
_COMMON: dict[str, Promise] = {
    "id": _("id"),
    "url": _("adress i API:t"),
    "owner_agency": _("ägande myndighet"),
    "created_at": _("när uppgiften registrerades"),
    "updated_at": _("när uppgiften senast ändrades"),
    "version": _("version"),
}


def declare(
    kind: str,
    model: type[models.Model],
    names: Iterable[str],
    *,
    labels: Mapping[str, Promise | str] | None = None,
    owner_only: Iterable[Promise | str] = (),
) -> None:
    """Declare what a receiver of `kind` gets: the API fields `names`, worded by `labels`, else by the common
    words, else by the model field's own verbose name (already translated)."""
    labels = labels or {}
    declared = []
    for name in names:
        label = labels.get(name) or _COMMON.get(name)
        if label is None:
            try:
                label = model._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            except (FieldDoesNotExist, AttributeError) as exc:
                raise LookupError(f"{kind}.{name}: no words for the dialog; pass labels=") from exc
        declared.append((name, label))
    DISCLOSED[kind] = tuple(declared)
    OWNER_ONLY[kind] = tuple(owner_only)


def receiver_fields(kind: str) -> tuple[str, ...] | None:
    """The API fields a non-owner receives, or None when the kind declares nothing (then it is never trimmed)."""
    declared = DISCLOSED.get(kind)
    return tuple(name for name, _label in declared) if declared is not None else None


def dialog_fields(kind: str) -> list[tuple[str, Promise | str]]:
    return list(DISCLOSED.get(kind, ()))


class ReceiverFieldsMixin:
    """For an output serializer: a record the requesting user's agency does not own is sent with the declared
    fields only, plus `provenance` — the register rows through which it reached the viewer. `disclosed_kind`
    names the declaration. The owner gets every field and no provenance (the record is theirs).

    Ownership costs no query (`access.owns` compares the cached actor). Provenance costs one query per list (or
    per record): the first receiver row of a list loads the provenance of every row of the page at once."""

    disclosed_kind: str = ""
    # Fields a subclass adds about the viewer's own relation to the record (not the record's content), kept
    # for a receiver too: a timeline's legal basis of each received entry.
    also_received: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)  # type: ignore[misc]
        allowed = receiver_fields(self.disclosed_kind)
        request = self.context.get("request")  # type: ignore[attr-defined]
        if allowed is None or request is None or access.owns(request.user, instance):
            return data
        received = {key: value for key, value in data.items() if key in allowed or key in self.also_received}
        received[PROVENANCE] = [_provenance_row(share) for share in self._provenance(request.user, instance)]
        return received

    def _provenance(self, user, instance) -> list:
        cache = self.context.setdefault("_provenance", {})  # type: ignore[attr-defined]
        key = (type(instance), instance.pk)
        if key not in cache:
            parent = getattr(self, "parent", None)
            siblings = getattr(parent, "instance", None) if parent is not None else None
            batch = list(siblings) if isinstance(siblings, list | tuple) else [instance]
            if instance not in batch:
                batch = [instance]
            found = provenance_for_many(user=user, objs=batch)
            for obj in batch:
                cache[(type(obj), obj.pk)] = found.get(obj.pk, [])
        return cache[key]


def _provenance_row(share) -> dict:
    return {
        "share": share.pk,
        "from_agency": share.from_agency.slug,
        "from_agency_name": share.from_agency.name,
        "decided_at": share.decided_at.isoformat().replace("+00:00", "Z"),
        "legal_basis": share.legal_basis.code,
        "legal_basis_name": share.legal_basis.name,
        "expires_at": share.expires_at.isoformat().replace("+00:00", "Z") if share.expires_at else None,
    }


# --- the declarations of cases' kinds -------------------------------------------------------------------

declare(
    "individual",
    Individual,
    ["id", "url", "alias", "birth_year", "district", "district_name", "owner_agency", "created_at", "updated_at"]
    + ["version"],
    labels={
        "district_name": _("stadsdelens namn"),
        "created_at": _("när personen registrerades"),
        "updated_at": _("när uppgifterna senast ändrades"),
    },
    owner_only=[_("anteckningar")],
)

declare(
    "identity",
    IdentityDetails,
    ["individual", "url", "personnummer", "full_name", "address", "phone", "owner_agency", "created_at"]
    + ["updated_at", "version"],
)

declare(
    "group",
    CriminalGroup,
    ["id", "url", "name", "aliases", "districts", "status", "description", "first_seen", "last_seen"]
    + ["owner_agency", "created_at", "updated_at", "version"],
)

declare(
    "group_relation",
    GroupRelation,
    ["id", "url", "group_a", "group_a_name", "group_b", "group_b_name", "kind", "status", "since", "notes"]
    + ["source", "owner_agency", "created_at", "updated_at", "version"],
    labels={"group_a_name": _("grupperingens namn"), "group_b_name": _("motpartens namn")},
)

declare(
    "membership",
    GroupMembership,
    ["id", "url", "individual", "individual_alias", "group", "group_name", "role", "valid_from", "valid_to"]
    + ["source_type", "evidence", "confidence", "review_due", "expires_on", "last_reviewed_at", "status"]
    + ["ended_at", "end_reason", "owner_agency", "created_at", "updated_at", "version"],
    labels={
        "individual_alias": _("personens alias"),
        "group_name": _("grupperingens namn"),
        "expires_on": _("upphör om det inte omprövas"),
    },
)

declare(
    "incident",
    Incident,
    ["id", "url", "kind", "occurred_at", "district", "district_name", "place", "dead", "injured", "status"]
    + ["investigation_hours", "summary", "owner_agency", "created_at", "updated_at", "version", "groups", "persons"],
    labels={
        "district_name": _("stadsdelens namn"),
        "groups": _("inblandade grupperingar som mottagaren ser"),
        "persons": _("inblandade personer som delats med mottagaren"),
    },
)

declare(
    "incident_person",
    IncidentPerson,
    ["id", "incident", "individual", "individual_alias", "role", "notes", "owner_agency", "created_at", "version"],
    labels={"individual_alias": _("personens alias")},
)

declare(
    "exit_case",
    ExitCase,
    ["id", "url", "individual", "individual_alias", "lead_agency", "coordinator", "coordinator_name", "phase"]
    + ["outcome", "opened_on", "closed_on", "next_meeting", "summary", "overdue_tasks", "owner_agency"]
    + ["created_at", "updated_at", "version", "participants", "phase_changes"],
    labels={
        "individual_alias": _("personens alias (om personen är delad med mottagaren)"),
        "coordinator_name": _("samordnarens namn"),
        "overdue_tasks": _("antal försenade uppgifter i ärendet"),
        "participants": _("deltagande myndigheter"),
        "phase_changes": _("fashistorik"),
    },
)

declare(
    "case_entry",
    CaseEntry,
    ["id", "url", "case", "kind", "occurred_on", "title", "body", "needs", "intervention_category", "provider"]
    + ["starts_on", "ends_on", "intervention_status", "owner_agency", "own", "created_at", "updated_at", "version"],
    labels={
        "needs": _("behovsbedömningens områden och nivåer"),
        "own": _("om posten är mottagarens egen"),
    },
)

declare(
    "plan_goal",
    PlanGoal,
    ["id", "url", "case", "description", "target_date", "status", "owner_agency", "created_at", "updated_at"]
    + ["version"],
)

declare(
    "task",
    Task,
    ["id", "url", "case", "title", "assignee_agency", "assignee_user", "assignee_user_name", "due_on", "status"]
    + ["overdue", "goal", "entry", "owner_agency", "created_at", "updated_at", "completed_at", "version"],
    labels={
        "assignee_user_name": _("ansvarig handläggares namn"),
        "overdue": _("om uppgiften är försenad"),
        "goal": _("målet den hör till (bara om mottagaren också ser målet)"),
        "entry": _("journalposten den hör till (bara om mottagaren också ser posten)"),
    },
)
