"""The outreach records the one share dialog (cases.views.share) and the share endpoint (`/api/v1/shares/`)
can disclose, registered from OutreachConfig.ready — `cases` never imports `outreach`.

A link record (an invitation: a person at a call-in; a notification: a message to a person) is looked up only
where the user may also see its ends, as the registry's links are (cases.shareables.with_visible_ends).
The reason for an invitation and the legal-risk summary of a notification each have their own dialog: a
share of the invitation or the notification never carries them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies import access
from agencies.api.serializers import register_shareable
from cases import shareables
from cases.shareables import Shareable

from . import selectors
from .models import (
    CallIn,
    CustomNotification,
    EnforcementResponse,
    Invitation,
    InvitationReason,
    LegalRiskSummary,
    Lever,
    ReviewMeeting,
)
from .selectors import callins as callin_selectors
from .selectors import enforcement as enforcement_selectors
from .selectors import notifications as notification_selectors


def _url(name: str, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk})


def _crumbs(list_name: str, list_label, detail_name: str, pk: int, label: str) -> list[tuple[str, str]]:
    return [(str(list_label), reverse(list_name)), (label, _url(detail_name, pk))]


def _call_in_crumbs(call_in: CallIn) -> list[tuple[str, str]]:
    return _crumbs("call-in-list", _("Call-ins"), "call-in-detail", call_in.pk, call_in.title)


def _reason_queryset(user):
    visible_invitations = access.visible(user, Invitation, queryset=callin_selectors.with_visible_ends(user))
    return InvitationReason.objects.select_related("invitation__individual", "invitation__call_in").filter(
        invitation__in=visible_invitations.values("pk")
    )


def _legal_risk_queryset(user):
    visible_notifications = access.visible(
        user, CustomNotification, queryset=notification_selectors.with_visible_person(user)
    )
    return LegalRiskSummary.objects.select_related("notification__individual").filter(
        notification__in=visible_notifications.values("pk")
    )


def _lever_queryset(user):
    return Lever.objects.select_related("response__group").filter(
        response__in=access.visible(user, EnforcementResponse).values("pk")
    )


ENTRIES = [
    Shareable(
        kind="call_in",
        model=CallIn,
        discloses=_(
            "Call-in: benämning, tid, plats, status, repetition, budskapets tre delar, talare, anteckningar och de "
            "grupperingar som kallas (som mottagaren också får se). Inbjudningarna följer inte med; varje "
            "myndighet delar sina egna."
        ),
        row_label=_("Call-in"),
        revoke_label=_("Återkalla utlämnandet av call-in till %(agency)s"),
        shared_message=_("Call-in har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som planerar call-in kan dela den."),
        title=lambda c: c.title,
        back_url=lambda c: _url("call-in-detail", c.pk),
        crumbs=_call_in_crumbs,
        queryset=lambda user: selectors.call_in_base(),
    ),
    Shareable(
        kind="invitation",
        model=Invitation,
        discloses=_(
            "Inbjudan: att personen är inbjuden till call-in, status och närvaro, vem som följer personen, "
            "uppföljning och om personen bad om hjälp. Mottagaren ser den bara om både personen och call-in också "
            "är delade med den. Skälet till inbjudan följer inte med; det delas för sig."
        ),
        row_label=_("Inbjudan"),
        revoke_label=_("Återkalla utlämnandet av inbjudan till %(agency)s"),
        shared_message=_("Inbjudan har delats med %(agency)s."),
        not_owner_message=_("Endast den inbjudande myndigheten kan dela inbjudan."),
        title=lambda inv: (
            _("%(person)s till %(call_in)s") % {"person": inv.individual.alias, "call_in": inv.call_in.title}
        ),
        back_url=lambda inv: _url("invitation-detail", inv.pk),
        crumbs=lambda inv: _call_in_crumbs(inv.call_in),
        queryset=callin_selectors.with_visible_ends,
    ),
    Shareable(
        kind="invitation_reason",
        model=InvitationReason,
        discloses=_(
            "Skälet till att personen bjöds in (till exempel ett villkor i frivården). Mottagaren ser det bara om "
            "den också ser inbjudan. Dela bara där det finns rättsligt stöd för att lämna ut uppgiften."
        ),
        row_label=_("Skälet till inbjudan"),
        revoke_label=_("Återkalla utlämnandet av skälet till %(agency)s"),
        shared_message=_("Skälet till inbjudan har delats med %(agency)s."),
        not_owner_message=_("Endast den inbjudande myndigheten kan dela skälet."),
        title=lambda r: _("skälet till inbjudan av %(person)s") % {"person": r.invitation.individual.alias},
        back_url=lambda r: _url("invitation-detail", r.pk),
        crumbs=lambda r: _call_in_crumbs(r.invitation.call_in),
        queryset=_reason_queryset,
    ),
    Shareable(
        kind="notification",
        model=CustomNotification,
        discloses=_(
            "Det individuella samtalet: datum, plats, team, om budskapet framfördes, erbjudande om hjälp, utfall och "
            "uppföljning. Mottagaren ser det bara om personen också är delad med den. Den juridiska riskbilden "
            "följer inte med; den delas för sig."
        ),
        row_label=_("Samtalet"),
        revoke_label=_("Återkalla utlämnandet av samtalet till %(agency)s"),
        shared_message=_("Samtalet har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som registrerade samtalet kan dela det."),
        title=lambda n: _("samtal med %(person)s %(day)s") % {"person": n.individual.alias, "day": n.delivered_on},
        back_url=lambda n: _url("notification-detail", n.pk),
        crumbs=lambda n: _crumbs(
            "notification-list", _("Individuella samtal"), "notification-detail", n.pk, str(n.delivered_on)
        ),
        queryset=notification_selectors.with_visible_person,
    ),
    Shareable(
        kind="legal_risk",
        model=LegalRiskSummary,
        discloses=_(
            "Polisens juridiska riskbild för personen. Mottagaren ser den bara om den också ser samtalet. Dela bara "
            "där det finns rättsligt stöd för att lämna ut uppgiften."
        ),
        row_label=_("Den juridiska riskbilden"),
        revoke_label=_("Återkalla utlämnandet av riskbilden till %(agency)s"),
        shared_message=_("Den juridiska riskbilden har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som skrev riskbilden kan dela den."),
        title=lambda r: _("den juridiska riskbilden för %(person)s") % {"person": r.notification.individual.alias},
        back_url=lambda r: _url("notification-detail", r.pk),
        crumbs=lambda r: _crumbs(
            "notification-list", _("Individuella samtal"), "notification-detail", r.pk, str(r.notification.delivered_on)
        ),
        queryset=_legal_risk_queryset,
    ),
    Shareable(
        kind="enforcement_response",
        model=EnforcementResponse,
        discloses=_(
            "Insatsen: gruppering, beslut, status, utlösande händelser och varningar (de som mottagaren också får "
            "se) och återkopplingen till grupperna. Myndigheternas åtgärder följer inte med; varje myndighet delar "
            "sina egna."
        ),
        row_label=_("Insatsen"),
        revoke_label=_("Återkalla utlämnandet av insatsen till %(agency)s"),
        shared_message=_("Insatsen har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som beslutade insatsen kan dela den."),
        title=lambda r: _("insatsen mot %(group)s") % {"group": r.group.name},
        back_url=lambda r: _url("response-detail", r.pk),
        crumbs=lambda r: _crumbs("response-list", _("Insatser efter våld"), "response-detail", r.pk, r.group.name),
        queryset=enforcement_selectors.with_visible_group,
    ),
    Shareable(
        kind="lever",
        model=Lever,
        discloses=_(
            "Åtgärden: typ, beskrivning, datum, status och resultat. Mottagaren ser den bara om den också ser insatsen."
        ),
        row_label=_("Åtgärden"),
        revoke_label=_("Återkalla utlämnandet av åtgärden till %(agency)s"),
        shared_message=_("Åtgärden har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som vidtar åtgärden kan dela den."),
        title=lambda lever: lever.get_kind_display().lower(),
        back_url=lambda lever: _url("response-detail", lever.response_id),
        crumbs=lambda lever: _crumbs(
            "response-list", _("Insatser efter våld"), "response-detail", lever.response_id, lever.response.group.name
        ),
        queryset=_lever_queryset,
    ),
    Shareable(
        kind="review_meeting",
        model=ReviewMeeting,
        discloses=_(
            "Veckogenomgången: tid, status, beslut, anteckningar, åtgärder och vilka händelser som gicks igenom (de "
            "som mottagaren också får se)."
        ),
        row_label=_("Genomgången"),
        revoke_label=_("Återkalla utlämnandet av genomgången till %(agency)s"),
        shared_message=_("Genomgången har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som kallade till genomgången kan dela den."),
        title=str,
        back_url=lambda m: _url("review-detail", m.pk),
        crumbs=lambda m: _crumbs("review-list", _("Veckogenomgångar"), "review-detail", m.pk, str(m)),
        queryset=lambda user: selectors.meeting_base(),
    ),
]


def register() -> None:
    """Called by OutreachConfig.ready: the dialog's kinds, and the same names for the share endpoint."""
    for entry in ENTRIES:
        shareables.register(entry)
        register_shareable(entry.kind, entry.model, queryset=entry.queryset)


__all__ = ["ENTRIES", "register"]
