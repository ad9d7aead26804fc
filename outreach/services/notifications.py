"""Writes for custom notifications (individuella samtal, hembesök) and their legal-risk summaries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import Action, Agency, LegalBasis
from cases.models import Individual

from ..models import CustomNotification, LegalRiskSummary
from . import help as help_services
from ._common import bump_version, log, name_agencies, require_visible, required_text, set_speakers

NOTIFICATION_FIELDS = (
    "delivered_on", "place_type", "message_delivered", "offer_made", "outcome", "follow_up_on",
)  # fmt: skip


def _basis_message() -> str:
    return _("Välj den rättsliga grund som teamets myndigheter får ta del av samtalet på.")


def _check(fields: dict, *, offer_made: bool, offer_accepted: bool) -> None:
    delivered_on = fields.get("delivered_on")
    if delivered_on is not None and delivered_on > timezone.localdate():
        raise ApplicationError(_("Ett samtal kan inte registreras framåt i tiden."), code="future")
    if "place_type" in fields and fields["place_type"] not in CustomNotification.PlaceType.values:
        raise ApplicationError(_("Välj var samtalet hölls."), code="place_type")
    if "message_delivered" in fields and fields["message_delivered"] not in CustomNotification.Delivered.values:
        raise ApplicationError(_("Ange om budskapet framfördes."), code="delivered")
    if offer_accepted and not offer_made:
        raise ApplicationError(_("Ett erbjudande kan bara antas om det har lämnats."), code="no_offer")
    follow_up_on, day = fields.get("follow_up_on"), fields.get("delivered_on")
    if follow_up_on is not None and day is not None and follow_up_on < day:
        raise ApplicationError(_("Uppföljningen kan inte ligga före samtalet."), code="follow_up_before")


def _set_speakers(notification: CustomNotification, speakers: Iterable[dict]) -> None:
    set_speakers(notification.speakers, speakers, message=_("Välj deltagarens roll."))


def _is_police(actor) -> bool:
    return Agency.objects.filter(pk=actor.agency_id, kind=Agency.Kind.POLICE).exists()


@transaction.atomic
def notification_record(
    *,
    acting_user,
    individual: Individual,
    delivered_on: date,
    place_type: str,
    message_delivered: str,
    offer_made: bool = False,
    offer_accepted: bool = False,
    outcome: str = "",
    follow_up_on: date | None = None,
    team_agencies: Iterable[Agency] = (),
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    speakers: Iterable[dict] = (),
    legal_risk: str = "",
) -> CustomNotification:
    """Record a delivered message. The team's other agencies get a share on `legal_basis`; an accepted offer
    opens an exit-case request; a legal-risk summary (police only) is its own record."""
    actor = access.require_actor(acting_user)
    require_visible(acting_user, [individual], _("Personen finns inte."))
    fields = dict(
        delivered_on=delivered_on,
        place_type=place_type,
        message_delivered=message_delivered,
        offer_made=offer_made,
        outcome=outcome,
        follow_up_on=follow_up_on,
    )
    _check(fields, offer_made=offer_made, offer_accepted=offer_accepted)
    legal_risk = (legal_risk or "").strip()
    if legal_risk and not _is_police(actor):
        raise ApplicationError(_("Den juridiska riskbilden skrivs av Polisen."), code="police_only")
    notification = CustomNotification.objects.create(
        owner_agency_id=actor.agency_id, created_by=acting_user, individual=individual, **fields
    )
    _set_speakers(notification, speakers)
    log(actor, acting_user, Action.CREATE, CustomNotification, notification)
    if legal_risk:
        legal_risk_set(notification=notification, acting_user=acting_user, text=legal_risk)
    name_agencies(
        notification,
        field="team_agencies",
        agencies=team_agencies,
        legal_basis=legal_basis,
        assessment=assessment,
        acting_user=acting_user,
        basis_message=_basis_message(),
    )
    if offer_accepted:
        help_services.request_help_for_notification(notification=notification, acting_user=acting_user)
    return notification


@transaction.atomic
def notification_update(
    *,
    notification: CustomNotification,
    acting_user,
    expected_version: int | None = None,
    offer_accepted: bool | None = None,
    team_agencies: Iterable[Agency] | None = None,
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    speakers: Iterable[dict] | None = None,
    **changes,
) -> CustomNotification:
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, notification, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra samtalet."), code="not_allowed")
    fields = {k: v for k, v in changes.items() if k in NOTIFICATION_FIELDS}
    offer_made = fields.get("offer_made", notification.offer_made)
    accepted = notification.offer_accepted if offer_accepted is None else offer_accepted
    merged = {"delivered_on": notification.delivered_on, "follow_up_on": notification.follow_up_on, **fields}
    _check(
        {**fields, **{k: merged[k] for k in ("delivered_on", "follow_up_on")}},
        offer_made=offer_made,
        offer_accepted=accepted,
    )
    if offer_accepted is False and notification.exit_case_id is not None:
        raise ApplicationError(
            _("Ett avhopparärende har redan öppnats för begäran; det kan inte tas tillbaka här."), code="case_opened"
        )
    if offer_accepted is False:
        fields["offer_accepted"] = False
    bump_version(notification, expected_version=expected_version, fields=fields)
    if speakers is not None:
        _set_speakers(notification, speakers)
    if team_agencies is not None:
        if not access.owns(acting_user, notification):
            raise ApplicationError(_("Endast den ägande myndigheten kan ändra teamet."), code="not_owner")
        name_agencies(
            notification,
            field="team_agencies",
            agencies=team_agencies,
            legal_basis=legal_basis,
            assessment=assessment,
            acting_user=acting_user,
            basis_message=_basis_message(),
        )
    log(actor, acting_user, Action.CHANGE, CustomNotification, notification, fields=sorted(fields))
    if offer_accepted:
        help_services.request_help_for_notification(notification=notification, acting_user=acting_user)
    return notification


@transaction.atomic
def legal_risk_set(
    *, notification: CustomNotification, acting_user, text: str, expected_version: int | None = None
) -> LegalRiskSummary:
    """The police write the legal-risk summary: a record of their own, seen by no one they did not share it with."""
    actor = access.require_actor(acting_user)
    if not _is_police(actor):
        raise ApplicationError(_("Den juridiska riskbilden skrivs av Polisen."), code="police_only")
    require_visible(acting_user, [notification], _("Samtalet finns inte."))
    text = required_text(text, _("Beskriv den juridiska riskbilden."), "text_required")
    existing = LegalRiskSummary.objects.filter(pk=notification.pk).first()
    if existing is None:
        summary = LegalRiskSummary.objects.create(
            notification=notification, owner_agency_id=actor.agency_id, text=text, created_by=acting_user
        )
        log(actor, acting_user, Action.CREATE, LegalRiskSummary, summary)
        return summary
    if not access.can(acting_user, existing, "change"):
        # Whether another agency's summary exists is itself secret: the same answer as for no access at all.
        raise ApplicationError(_("Den juridiska riskbilden kan inte ändras av din myndighet."), code="not_allowed")
    bump_version(existing, expected_version=expected_version, fields={"text": text})
    log(actor, acting_user, Action.CHANGE, LegalRiskSummary, existing)
    return existing
