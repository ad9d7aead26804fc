"""One group: its summary, and of its relations, incidents and members only what the user may see.

A group's summary, each relation and each membership are separate protected records (docs/access-model.md,
"Split what is shared separately"). The selectors return only links the user may see with both ends
visible; a group shared without its members shows the same "no members" as a group that has none.
Every record shown is logged: the group by the gate, the lists here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies import access, audit
from agencies.access import Actor

from .. import extensions, selectors
from ..models import CriminalGroup, GroupMembership, GroupRelation, Incident, IncidentGroup
from ._common import member_required
from .share import share_rows


@dataclass(frozen=True)
class Event:
    day: date
    text: str
    incident: Incident | None = None


@require_GET
@member_required
def group_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    group = access.get_or_404(user, CriminalGroup, pk, queryset=selectors.group_base())  # logged

    relation_qs = selectors.group_relations(user, group).select_related("owner_agency")
    relations = [_relation_row(relation, group) for relation in relation_qs]
    members = list(selectors.group_members(user, group))
    incidents = list(
        selectors.group_incidents(user, group).prefetch_related(
            Prefetch(
                "group_involvements",
                queryset=IncidentGroup.objects.filter(group=group).order_by("side"),
                to_attr="this_group",
            )
        )
    )
    # The lists are reads of protected records too; a list with nothing in it read nothing.
    for model, rows in (
        (GroupRelation, [row["relation"] for row in relations]),
        (GroupMembership, members),
        (Incident, incidents),
    ):
        if rows:
            audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=rows)

    # Which of the shown relations the user may change, in one query (the owner's need none of it).
    changeable = access.can_each(user, [row["relation"] for row in relations], "change")
    for row in relations:
        row["can_change"] = row["relation"].pk in changeable

    is_owner = access.owns(user, group)
    return render(
        request,
        "cases/group_detail.html",
        {
            "group": group,
            "districts": list(group.districts.all()),
            "relations": relations,
            "members": members,
            "incidents": incidents,
            "timeline": timeline(group, relations, members, incidents),
            "is_owner": is_owner,
            "can_change": access.can(user, group, "change"),
            "shares": share_rows(access.shares_of(group), "group") if is_owner else [],
            # The rows whose share (and review) links are the agency's to use: only the data controller's.
            "owned_relations": access.owned_ids(user, [row["relation"] for row in relations]),
            "owned_members": access.owned_ids(user, members),
            # What other apps show about the group (outreach: its warnings and the responses that followed).
            "sections": extensions.group_page.render(user, actor, group),
        },
    )


def _relation_row(relation: GroupRelation, group: CriminalGroup) -> dict:
    other = relation.group_b if relation.group_a_id == group.pk else relation.group_a
    return {"relation": relation, "other": other}


def timeline(
    group: CriminalGroup,
    relations: Sequence[dict],
    members: Sequence[GroupMembership],
    incidents: Sequence[Incident],
) -> list[Event]:
    """What happened to the group, newest first, from what the page already shows (nothing more)."""
    events: list[tuple[date, int, Event]] = []

    def add(day: date | None, order: int, event_text: str, **kw) -> None:
        if day is not None:
            events.append((day, order, Event(day, event_text, **kw)))

    add(group.first_seen, 0, _("Grupperingen noterades för första gången."))
    add(group.last_seen, 5, _("Grupperingen noterades senast."))
    for row in relations:
        relation, other = row["relation"], row["other"]
        if relation.kind == GroupRelation.Kind.CONFLICT:
            text = _("Konflikt med %(group)s inleddes.")
        else:
            text = _("Allians med %(group)s inleddes.")
        add(relation.since, 1, text % {"group": other.name})
    for membership in members:
        names = {"person": membership.individual.alias, "role": membership.get_role_display().lower()}
        add(membership.valid_from, 2, _("%(person)s registrerad som medlem (%(role)s).") % names)
        add(membership.valid_to, 3, _("Medlemskapet för %(person)s upphörde.") % names)
    for incident in incidents:
        where = incident.district.name if incident.district else ""
        text = f"{incident.get_kind_display()}, {where}" if where else incident.get_kind_display()
        add(timezone.localdate(incident.occurred_at), 4, text, incident=incident)
    events.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [event for _day, _order, event in events]
