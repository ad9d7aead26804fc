"""The exit cases an agency took part in, per person and period, for the leads' monthly log review.

Registered with agencies.selectors.log_review_patterns by CasesConfig.ready, since `agencies` imports no other
app. A read of a person outside these periods goes before the lead ("a person outside the agency's cases").
The agency took part from the moment it opened the case (it owns the header) or the header was shared with
it, until the share was withdrawn or ended. A closed case still counts: follow-up reading is part of the work.

A system read for the review job, like the dashboards' snapshot: it reads only the agency's own participation
(its cases and the register rows that name it), and nothing of it is shown; it decides which reads are listed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from agencies.models import Share

from .models import ExitCase


def case_periods(agency_id: int) -> dict[int, list[tuple[datetime, datetime | None]]]:
    periods: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for person_id, created_at in ExitCase.objects.filter(owner_agency_id=agency_id).values_list(
        "individual_id", "created_at"
    ):
        periods[person_id].append((created_at, None))
    shares = Share.objects.filter(
        content_type=ContentType.objects.get_for_model(ExitCase), to_agency_id=agency_id, to_user__isnull=True
    )
    person_of = dict(ExitCase.objects.filter(pk__in=shares.values("object_id")).values_list("pk", "individual_id"))
    for case_id, decided_at, revoked_at, expires_at in shares.values_list(
        "object_id", "decided_at", "revoked_at", "expires_at"
    ):
        ends = [moment for moment in (revoked_at, expires_at) if moment is not None]
        if case_id in person_of:
            periods[person_of[case_id]].append((decided_at, min(ends) if ends else None))
    return dict(periods)
