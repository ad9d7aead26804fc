"""Writes for the group registry: groups, relations between them, and memberships with evidence and review."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import access, audit
from agencies.errors import ApplicationError
from agencies.models import Action

from ..models import CriminalGroup, GroupMembership, GroupRelation
from ..models.groups import EXPIRY_GRACE, REVIEW_INTERVAL
from ._common import bump_version, require_owner, required_text

GROUP_FIELDS = ("name", "aliases", "status", "description", "first_seen", "last_seen")
RELATION_FIELDS = ("kind", "status", "since", "notes", "source")


def _log(actor, acting_user, action, model, obj, **detail):
    audit.record(user=acting_user, agency_id=actor.agency_id, action=action, model=model, objects=[obj], detail=detail)


def _clean_aliases(aliases) -> list[str]:
    return [a.strip() for a in (aliases or []) if a and a.strip()]


@transaction.atomic
def group_create(
    *,
    acting_user,
    name: str,
    aliases=(),
    districts=(),
    status=CriminalGroup.Status.ACTIVE,
    description: str = "",
    first_seen: date | None = None,
    last_seen: date | None = None,
) -> CriminalGroup:
    actor = access.require_actor(acting_user)
    name = required_text(name, _("Ange grupperingens namn."), "name_required")
    if first_seen and last_seen and last_seen < first_seen:
        raise ApplicationError(_("Senast noterad kan inte ligga före först noterad."), code="dates")
    group = CriminalGroup.objects.create(
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        name=name,
        aliases=_clean_aliases(aliases),
        status=status,
        description=description,
        first_seen=first_seen,
        last_seen=last_seen,
    )
    group.districts.set(districts)
    _log(actor, acting_user, Action.CREATE, CriminalGroup, group)
    return group


@transaction.atomic
def group_update(
    *, group: CriminalGroup, acting_user, expected_version: int | None = None, districts=None, **changes
) -> CriminalGroup:
    actor = access.require_actor(acting_user)
    fields = {k: v for k, v in changes.items() if k in GROUP_FIELDS}
    first_seen, last_seen = fields.get("first_seen", group.first_seen), fields.get("last_seen", group.last_seen)
    if first_seen and last_seen and last_seen < first_seen:
        raise ApplicationError(_("Senast noterad kan inte ligga före först noterad."), code="dates")
    if "name" in fields:
        fields["name"] = required_text(fields["name"], _("Ange grupperingens namn."), "name_required")
    if "aliases" in fields:
        fields["aliases"] = _clean_aliases(fields["aliases"])
    bump_version(group, expected_version=expected_version, fields=fields)
    if districts is not None:
        group.districts.set(districts)
    _log(
        actor,
        acting_user,
        Action.CHANGE,
        CriminalGroup,
        group,
        fields=sorted([*fields, *(["districts"] if districts is not None else [])]),
    )
    return group


@transaction.atomic
def relation_create(
    *,
    acting_user,
    group_a: CriminalGroup,
    group_b: CriminalGroup,
    kind: str,
    status=GroupRelation.Status.ACTIVE,
    since: date | None = None,
    notes: str = "",
    source: str,
) -> GroupRelation:
    """Record a conflict or an alliance. Both groups must be visible to the user (callers pass gated objects)."""
    actor = access.require_actor(acting_user)
    if group_a.pk == group_b.pk:
        raise ApplicationError(_("En relation måste gälla två olika grupperingar."), code="same_group")
    for group in (group_a, group_b):
        if not access.can(acting_user, group, "view"):
            raise ApplicationError(_("Grupperingen finns inte."), code="not_found")
    source = required_text(source, _("Ange källan till uppgiften om relationen."), "source_required")
    relation = GroupRelation.objects.create(
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        group_a=group_a,
        group_b=group_b,
        kind=kind,
        status=status,
        since=since,
        notes=notes,
        source=source,
    )
    _log(actor, acting_user, Action.CREATE, GroupRelation, relation)
    return relation


@transaction.atomic
def relation_update(
    *, relation: GroupRelation, acting_user, expected_version: int | None = None, **changes
) -> GroupRelation:
    actor = access.require_actor(acting_user)
    fields = {k: v for k, v in changes.items() if k in RELATION_FIELDS}
    if "source" in fields:
        fields["source"] = required_text(
            fields["source"], _("Ange källan till uppgiften om relationen."), "source_required"
        )
    bump_version(relation, expected_version=expected_version, fields=fields)
    _log(actor, acting_user, Action.CHANGE, GroupRelation, relation, fields=sorted(fields))
    return relation


EVIDENCE_REQUIRED = gettext_lazy("Ett medlemskap kräver underlag: beskriv vad uppgiften bygger på och ange källtyp.")


@transaction.atomic
def membership_record(
    *,
    acting_user,
    individual,
    group: CriminalGroup,
    role: str,
    source_type: str,
    evidence: str,
    confidence: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    review_due: date | None = None,
) -> GroupMembership:
    """Record that a person belongs to a group — only with evidence and a source, and with a review date."""
    actor = access.require_actor(acting_user)
    evidence = (evidence or "").strip()
    if not evidence or not source_type:
        raise ApplicationError(str(EVIDENCE_REQUIRED), code="evidence_required")
    for obj in (individual, group):
        if not access.can(acting_user, obj, "view"):
            raise ApplicationError(_("Personen eller grupperingen finns inte."), code="not_found")
    if valid_from and valid_to and valid_to < valid_from:
        raise ApplicationError(_("Slutdatum kan inte ligga före startdatum."), code="dates")
    today = timezone.localdate()
    membership = GroupMembership.objects.create(
        owner_agency_id=actor.agency_id,
        recorded_by=acting_user,
        individual=individual,
        group=group,
        role=role,
        source_type=source_type,
        evidence=evidence,
        confidence=confidence,
        valid_from=valid_from,
        valid_to=valid_to,
        review_due=review_due or today + REVIEW_INTERVAL,
    )
    _log(actor, acting_user, Action.CREATE, GroupMembership, membership)
    return membership


class Review:
    CONFIRM = "confirm"
    CHANGE = "change"
    END = "end"
    ALL = (CONFIRM, CHANGE, END)


@transaction.atomic
def membership_review(
    *,
    membership: GroupMembership,
    acting_user,
    decision: str,
    evidence: str = "",
    confidence: str | None = None,
    role: str | None = None,
    end_reason: str = "",
) -> GroupMembership:
    """Review a membership: confirm it with new evidence, change its confidence or role, or end it.

    Only the owning agency reviews. Confirming or changing needs new evidence and starts a new review
    period; the earlier evidence is kept above the new, dated, so the record shows how the claim grew.
    """
    actor = access.require_actor(acting_user)
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    require_owner(actor, membership, _("Endast den ägande myndigheten kan ompröva medlemskapet."))
    if membership.status != GroupMembership.Status.ACTIVE:
        raise ApplicationError(_("Medlemskapet är redan avslutat."), code="not_active")
    if decision not in Review.ALL:
        raise ApplicationError(_("Okänt beslut."), code="invalid_decision")
    now = timezone.now()
    if decision == Review.END:
        membership.end_reason = required_text(end_reason, _("Ange varför medlemskapet avslutas."), "reason_required")
        membership.status = GroupMembership.Status.ENDED
        membership.ended_at = now
        membership.valid_to = membership.valid_to or timezone.localdate()
    else:
        new_evidence = required_text(evidence, str(EVIDENCE_REQUIRED), "evidence_required")
        stamp = timezone.localtime(now).strftime("%Y-%m-%d")
        membership.evidence = f"{membership.evidence}\n\n[{stamp}, {acting_user.get_username()}] {new_evidence}"
        if decision == Review.CHANGE:
            if confidence is None and role is None:
                raise ApplicationError(_("Ange ny säkerhet eller ny roll."), code="nothing_changed")
            membership.confidence = confidence or membership.confidence
            membership.role = role or membership.role
        membership.review_due = timezone.localdate() + REVIEW_INTERVAL
        membership.last_reviewed_at = now
    membership.version += 1
    membership.save()
    _log(actor, acting_user, Action.CHANGE, GroupMembership, membership, review=decision)
    return membership


def expire_unreviewed_memberships(*, today: date | None = None) -> list[int]:
    """Expire every active membership still unreviewed EXPIRY_GRACE after its review date.

    Idempotent: an expired membership is no longer active, so a second run finds nothing. Each expiry is
    logged as the owning agency's change, by a task.
    """
    today = today or timezone.localdate()
    cutoff = today - EXPIRY_GRACE
    expired = []
    due = GroupMembership.objects.filter(status=GroupMembership.Status.ACTIVE, review_due__lt=cutoff).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            membership = (
                GroupMembership.objects.select_for_update().filter(pk=pk, status=GroupMembership.Status.ACTIVE).first()
            )
            if membership is None:
                continue
            membership.status = GroupMembership.Status.EXPIRED
            membership.ended_at = timezone.now()
            membership.end_reason = _("Ej omprövat inom %(days)s dagar efter omprövningsdatum.") % {
                "days": EXPIRY_GRACE.days
            }
            membership.version += 1
            membership.save()
            audit.record(
                user=None,
                agency_id=membership.owner_agency_id,
                action=Action.CHANGE,
                model=GroupMembership,
                objects=[membership],
                detail={"expired": True, "review_due": membership.review_due.isoformat()},
            )
            expired.append(pk)
    return expired


def review_window(today: date | None = None) -> tuple[date, date]:
    """(today, the horizon of "due soon") for the review queue."""
    today = today or timezone.localdate()
    return today, today + timedelta(days=30)
