"""What the dashboards show: the incident kinds of goal 1 and the dimensions of each figure.

One place, so the snapshot computation, the pages, the exports and the API name things the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.models import Incident
from cases.models.exit_cases import Outcome, Phase
from outreach.models import CustomNotification, Lever

# Goal 1 counts these; a threat (Hot) is recorded in the register but is not lethal or serious violence.
GOAL_KINDS = (Incident.Kind.SHOOTING, Incident.Kind.EXPLOSION, Incident.Kind.SERIOUS_VIOLENCE)
OUTCOMES = ("dead", "injured", "none")
NO_DISTRICT = "none"  # the district dimension's member for records with no district

# The metrics dated by an event (state metrics, dated by the computation, are the other two). Listed, not
# excluded, so a page's query can use the (agency, metric, month) and (metric, month) indexes.
PERIOD_METRICS = (
    "incidents", "dead", "injured", "group_incidents", "hours_recorded", "incidents_with_hours", "call_ins_held",
    "invited", "attended", "help_requests", "notifications", "notifications_repeated", "exit_opened", "exit_closed",
    "days_to_first_meeting", "enforcement_responses", "levers",
)  # fmt: skip
STATE_METRICS = ("exit_active", "tasks_overdue")

KIND_LABELS = {str(kind): kind.label for kind in GOAL_KINDS}
OUTCOME_LABELS = {"dead": _("Död"), "injured": _("Skadad"), "none": _("Ingen skadad")}
DELIVERED_LABELS = {str(choice): label for choice, label in CustomNotification.Delivered.choices}
PHASE_LABELS = {str(choice): label for choice, label in Phase.choices if choice != Phase.CLOSED}
CLOSED_LABELS = {str(choice): label for choice, label in Outcome.choices}
LEVER_LABELS = {str(choice): label for choice, label in Lever.Kind.choices}
ATTENDANCE_LABELS = {"attended": _("Närvarande"), "absent": _("Inte närvarande")}
REPEAT_LABELS = {"first": _("Första samtalet"), "repeat": _("Upprepat samtal")}
HELP_LABELS = {"call_in": _("Vid call-in"), "notification": _("Vid samtal")}

FIGURE_TITLES = {
    "incidents": _("Dödligt och grovt våld per månad och typ"),
    "dead": _("Döda per månad"),
    "injured": _("Skadade per månad"),
    "group_incidents": _("Händelser som tillskrivs grupperingar, per månad"),
    "call_ins_held": _("Genomförda call-ins per månad"),
    "attendance": _("Inbjudna och närvarande vid call-ins"),
    "notifications": _("Individuella samtal per månad, efter om budskapet framfördes"),
    "notification_repeats": _("Individuella samtal: första och upprepade"),
    "help_requests": _("Förfrågningar om hjälp per månad"),
    "exit_opened": _("Öppnade avhopparärenden per månad"),
    "exit_closed": _("Avslutade ärenden efter utfall"),
    "exit_active": _("Pågående ärenden efter fas"),
    "tasks_overdue": _("Försenade uppgifter per myndighet"),
    "enforcement_responses": _("Beslutade insatser efter våld per månad"),
    "levers": _("Åtgärder i insatserna efter typ"),
}
