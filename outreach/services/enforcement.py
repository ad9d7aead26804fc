"""Writes for enforcement responses after violence and each agency's levers in them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import Action, Agency, LegalBasis
from cases.models import CriminalGroup, Incident

from ..models import CallIn, CustomNotification, EnforcementResponse, Lever
from ._common import bump_version, log, name_agencies, require_visible, required_text

RESPONSE_FIELDS = ("decided_on", "status", "summary", "communicated", "communication")
LEVER_FIELDS = ("kind", "description", "starts_on", "ends_on", "status", "outcome")
CLOSED = (EnforcementResponse.Status.COMPLETED, EnforcementResponse.Status.CANCELLED)


def _basis_message() -> str:
    return _("Välj den rättsliga grund som de deltagande myndigheterna får ta del av insatsen på.")


def _require_links(acting_user, *, incidents=(), call_ins=(), notifications=()) -> None:
    require_visible(acting_user, incidents, _("Händelsen finns inte."))
    require_visible(acting_user, call_ins, _("Call-in finns inte."))
    require_visible(acting_user, notifications, _("Samtalet finns inte."))


def _set_links(response: EnforcementResponse, acting_user, field: str, model, chosen: list) -> None:
    # What the editor cannot see stays linked: an edit never removes what it could not show.
    hidden = getattr(response, field).exclude(pk__in=access.visible(acting_user, model).values("pk"))
    getattr(response, field).set([*chosen, *hidden])


@transaction.atomic
def response_decide(
    *,
    acting_user,
    group: CriminalGroup,
    decided_on: date,
    summary: str = "",
    status: str = EnforcementResponse.Status.DECIDED,
    trigger_incidents: Iterable[Incident] = (),
    warning_call_ins: Iterable[CallIn] = (),
    warning_notifications: Iterable[CustomNotification] = (),
    participating_agencies: Iterable[Agency] = (),
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    communicated: bool = False,
    communication: str = "",
) -> EnforcementResponse:
    """A response against a group the user may see, owned by the user's agency."""
    actor = access.require_actor(acting_user)
    require_visible(acting_user, [group], _("Grupperingen finns inte."))
    incidents, call_ins, notifications = list(trigger_incidents), list(warning_call_ins), list(warning_notifications)
    _require_links(acting_user, incidents=incidents, call_ins=call_ins, notifications=notifications)
    if status not in EnforcementResponse.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    response = EnforcementResponse.objects.create(
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        group=group,
        decided_on=decided_on,
        summary=summary,
        status=status,
        communicated=communicated,
        communication=communication,
    )
    response.trigger_incidents.set(incidents)
    response.warning_call_ins.set(call_ins)
    response.warning_notifications.set(notifications)
    log(actor, acting_user, Action.CREATE, EnforcementResponse, response, group=group.pk)
    name_agencies(
        response,
        field="participating_agencies",
        agencies=participating_agencies,
        legal_basis=legal_basis,
        assessment=assessment,
        acting_user=acting_user,
        basis_message=_basis_message(),
    )
    return response


@transaction.atomic
def response_update(
    *,
    response: EnforcementResponse,
    acting_user,
    expected_version: int | None = None,
    trigger_incidents: Iterable[Incident] | None = None,
    warning_call_ins: Iterable[CallIn] | None = None,
    warning_notifications: Iterable[CustomNotification] | None = None,
    participating_agencies: Iterable[Agency] | None = None,
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    **changes,
) -> EnforcementResponse:
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, response, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra insatsen."), code="not_allowed")
    fields = {k: v for k, v in changes.items() if k in RESPONSE_FIELDS}
    if "status" in fields and fields["status"] not in EnforcementResponse.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    links = {
        "trigger_incidents": (Incident, None if trigger_incidents is None else list(trigger_incidents)),
        "warning_call_ins": (CallIn, None if warning_call_ins is None else list(warning_call_ins)),
        "warning_notifications": (
            CustomNotification,
            None if warning_notifications is None else list(warning_notifications),
        ),
    }
    _require_links(
        acting_user,
        incidents=links["trigger_incidents"][1] or (),
        call_ins=links["warning_call_ins"][1] or (),
        notifications=links["warning_notifications"][1] or (),
    )
    bump_version(response, expected_version=expected_version, fields=fields)
    for field, (model, chosen) in links.items():
        if chosen is not None:
            _set_links(response, acting_user, field, model, chosen)
    if participating_agencies is not None:
        if not access.owns(acting_user, response):
            raise ApplicationError(_("Endast den ägande myndigheten kan ändra vilka som deltar."), code="not_owner")
        name_agencies(
            response,
            field="participating_agencies",
            agencies=participating_agencies,
            legal_basis=legal_basis,
            assessment=assessment,
            acting_user=acting_user,
            basis_message=_basis_message(),
        )
    log(actor, acting_user, Action.CHANGE, EnforcementResponse, response, fields=sorted(fields))
    return response


def participants(response: EnforcementResponse) -> list[Agency]:
    """The owning agency and every agency the response is actively shared with."""
    shared = access.shares_of(response).active().values("to_agency")
    return list(Agency.objects.filter(pk__in=shared) | Agency.objects.filter(pk=response.owner_agency_id))


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError(_("Slutdatum kan inte ligga före startdatum."), code="dates")


@transaction.atomic
def lever_add(
    *,
    response: EnforcementResponse,
    acting_user,
    kind: str,
    description: str,
    starts_on: date,
    ends_on: date | None = None,
    status: str = Lever.Status.PLANNED,
    outcome: str = "",
    share_with: Iterable[Agency] = (),
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
) -> Lever:
    """One action the user's agency takes in a response it may see, against a group it may see. The lever is
    the agency's own record; `share_with` (participants of the response) get it on `legal_basis`."""
    actor = access.require_actor(acting_user)
    require_visible(acting_user, [response], _("Insatsen finns inte."))
    if not access.can(acting_user, response.group, "view"):
        raise ApplicationError(
            _(
                "Grupperingen som insatsen gäller är inte synlig för din myndighet, så ni kan inte lägga till en åtgärd mot den."
            ),
            code="group_not_visible",
        )
    if response.status in CLOSED:
        raise ApplicationError(_("Insatsen är avslutad; nya åtgärder kan inte läggas till."), code="closed")
    if kind not in Lever.Kind.values:
        raise ApplicationError(_("Välj typ av åtgärd."), code="invalid_kind")
    if status not in Lever.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    _check_dates(starts_on, ends_on)
    receivers = [agency for agency in share_with if agency.pk != actor.agency_id]
    allowed = {agency.pk for agency in participants(response)}
    if any(agency.pk not in allowed for agency in receivers):
        raise ApplicationError(
            _("Åtgärden kan bara delas med myndigheter som deltar i insatsen."), code="not_participant"
        )
    if receivers and legal_basis is None:
        raise ApplicationError(_("Välj den rättsliga grund som åtgärden delas på."), code="legal_basis_required")
    lever = Lever.objects.create(
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        response=response,
        kind=kind,
        description=required_text(description, _("Beskriv åtgärden."), "description_required"),
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        outcome=outcome,
    )
    log(actor, acting_user, Action.CREATE, Lever, lever, response=response.pk)
    for agency in receivers:
        access.share(
            lever,
            to_agency=agency,
            level="view",
            legal_basis=legal_basis,
            assessment=assessment,
            acting_user=acting_user,
        )
    return lever


@transaction.atomic
def lever_update(*, lever: Lever, acting_user, expected_version: int | None = None, **changes) -> Lever:
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, lever, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra åtgärden."), code="not_allowed")
    fields = {k: v for k, v in changes.items() if k in LEVER_FIELDS}
    if "kind" in fields and fields["kind"] not in Lever.Kind.values:
        raise ApplicationError(_("Välj typ av åtgärd."), code="invalid_kind")
    if "status" in fields and fields["status"] not in Lever.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    if "description" in fields:
        fields["description"] = required_text(fields["description"], _("Beskriv åtgärden."), "description_required")
    _check_dates(fields.get("starts_on", lever.starts_on), fields.get("ends_on", lever.ends_on))
    bump_version(lever, expected_version=expected_version, fields=fields)
    log(actor, acting_user, Action.CHANGE, Lever, lever, fields=sorted(fields))
    return lever
