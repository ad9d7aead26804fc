"""The group landscape: the visible groups and the visible relations between them, as a picture and a table.

Both come from one selectors.landscape() call, so the picture can never show what the table does not.
Both lists are logged as read.
"""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies import audit
from agencies.access import Actor

from .. import selectors
from ..models import CriminalGroup, GroupRelation
from ..svg import landscape_svg
from ._common import member_required


@require_GET
@member_required
def group_landscape(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    landscape = selectors.landscape(request.user)
    for model, shown in ((CriminalGroup, landscape.groups), (GroupRelation, landscape.relations)):
        if shown:
            audit.record_list(user=request.user, agency_id=actor.agency_id, model=model, objects=shown)

    # The table: each group with its relations, the other group named, strongest first.
    by_group: dict[int, list[dict]] = defaultdict(list)
    for relation in landscape.relations:
        for this, other in ((relation.group_a, relation.group_b), (relation.group_b, relation.group_a)):
            by_group[this.pk].append({"relation": relation, "other": other})
    order = {GroupRelation.Status.ACTIVE: 0, GroupRelation.Status.DORMANT: 1, GroupRelation.Status.ENDED: 2}
    rows = [
        {
            "group": group,
            "relations": sorted(
                by_group[group.pk], key=lambda r: (order.get(r["relation"].status, 3), r["other"].name)
            ),
        }
        for group in landscape.groups
    ]
    return render(
        request,
        "cases/landscape.html",
        {"svg": landscape_svg(landscape), "rows": rows, "landscape": landscape},
    )
