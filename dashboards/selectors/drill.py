"""A lead's drill-down from a dashboard figure to the records behind it: their own agency's records of one
month, read through the gate (agencies.access.visible), each opening its own page (which checks again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from agencies import access
from cases.models import ExitCase, Incident
from outreach.models import CallIn, CustomNotification, EnforcementResponse

from ..definitions import GOAL_KINDS


@dataclass(frozen=True)
class Drill:
    model: type[Any]
    title: Any  # a lazy translation
    date_field: str
    url_name: str
    extra: dict


DRILLS = {
    "incidents": Drill(Incident, _("Händelser"), "occurred_at", "incident-detail", {"kind__in": list(GOAL_KINDS)}),
    "call_ins": Drill(CallIn, _("Genomförda call-ins"), "starts_at", "call-in-detail", {"status": CallIn.Status.HELD}),
    "notifications": Drill(CustomNotification, _("Individuella samtal"), "delivered_on", "notification-detail", {}),
    "exit_cases": Drill(ExitCase, _("Öppnade ärenden"), "opened_on", "exit-case-detail", {}),
    "responses": Drill(EnforcementResponse, _("Insatser efter våld"), "decided_on", "response-detail", {}),
}
DISTRICT_PATH = {
    "incidents": "district_id",
    "notifications": "individual__district_id",
    "exit_cases": "individual__district_id",
}


def drill_records(*, user, actor: access.Actor, figure: str, month: date, next_month: date, district_id=None):
    drill = DRILLS[figure]
    date_lookup = f"{drill.date_field}__date" if drill.date_field.endswith("_at") else drill.date_field
    records = access.visible(user, drill.model).filter(
        owner_agency_id=actor.agency_id,  # the dashboard counts the agency's own records; the list matches it
        **{f"{date_lookup}__gte": month, f"{date_lookup}__lt": next_month},
        **drill.extra,
    )
    if district_id and figure in DISTRICT_PATH:
        records = records.filter(**{DISTRICT_PATH[figure]: district_id})
    return records.order_by(drill.date_field, "pk")
