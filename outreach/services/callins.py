"""Writes for call-ins and their invitations: planning, the message, speakers, hosts, status, invitations,
attendance and follow-up."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import Action, Agency, LegalBasis, ShareLevel
from cases.models import CriminalGroup, Individual

from ..models import CallIn, Invitation, InvitationReason
from . import help as help_services
from ._common import bump_version, log, name_agencies, require_owner, require_visible, required_text, set_speakers

CALL_IN_FIELDS = (
    "title", "starts_at", "ends_at", "venue", "rehearsal_on", "message_moral", "message_consequences",
    "message_help", "notes",
)  # fmt: skip
OPEN_STATUSES = (CallIn.Status.PLANNED, CallIn.Status.REHEARSED)
# Which status may follow which. Held and cancelled are final.
TRANSITIONS = {
    CallIn.Status.PLANNED: {CallIn.Status.REHEARSED, CallIn.Status.HELD, CallIn.Status.CANCELLED},
    CallIn.Status.REHEARSED: {CallIn.Status.HELD, CallIn.Status.CANCELLED},
    CallIn.Status.HELD: set(),
    CallIn.Status.CANCELLED: set(),
}


def _basis_message() -> str:
    return _("Välj den rättsliga grund som värdmyndigheterna får ta del av call-in på.")


def _check_times(*, starts_at: datetime, ends_at: datetime | None, rehearsal_on: date | None, planned: bool) -> None:
    if planned and starts_at <= timezone.now():
        raise ApplicationError(_("En planerad call-in kan inte ligga bakåt i tiden."), code="in_past")
    if ends_at is not None and ends_at <= starts_at:
        raise ApplicationError(_("Sluttiden måste ligga efter starttiden."), code="dates")
    if rehearsal_on is not None and rehearsal_on > timezone.localtime(starts_at).date():
        raise ApplicationError(_("Repetitionen måste ligga före call-in."), code="rehearsal_after")


def _set_speakers(call_in: CallIn, speakers: Iterable[dict]) -> None:
    set_speakers(call_in.speakers, speakers, message=_("Välj talarens roll."))


@transaction.atomic
def call_in_plan(
    *,
    acting_user,
    title: str,
    starts_at: datetime,
    venue: str,
    ends_at: datetime | None = None,
    rehearsal_on: date | None = None,
    message_moral: str = "",
    message_consequences: str = "",
    message_help: str = "",
    notes: str = "",
    target_groups: Iterable[CriminalGroup] = (),
    host_agencies: Iterable[Agency] = (),
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    speakers: Iterable[dict] = (),
) -> CallIn:
    """Plan a call-in owned by the user's agency. Named host agencies get a share on `legal_basis`."""
    actor = access.require_actor(acting_user)
    _check_times(starts_at=starts_at, ends_at=ends_at, rehearsal_on=rehearsal_on, planned=True)
    groups = list(target_groups)
    require_visible(acting_user, groups, _("Grupperingen finns inte."))
    call_in = CallIn.objects.create(
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        title=required_text(title, _("Ange en benämning."), "title_required"),
        venue=required_text(venue, _("Ange platsen."), "venue_required"),
        starts_at=starts_at,
        ends_at=ends_at,
        rehearsal_on=rehearsal_on,
        message_moral=message_moral,
        message_consequences=message_consequences,
        message_help=message_help,
        notes=notes,
    )
    call_in.target_groups.set(groups)
    _set_speakers(call_in, speakers)
    log(actor, acting_user, Action.CREATE, CallIn, call_in)
    name_agencies(
        call_in,
        field="host_agencies",
        agencies=host_agencies,
        legal_basis=legal_basis,
        assessment=assessment,
        acting_user=acting_user,
        basis_message=_basis_message(),
    )
    return call_in


@transaction.atomic
def call_in_update(
    *,
    call_in: CallIn,
    acting_user,
    expected_version: int | None = None,
    target_groups: Iterable[CriminalGroup] | None = None,
    host_agencies: Iterable[Agency] | None = None,
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    speakers: Iterable[dict] | None = None,
    **changes,
) -> CallIn:
    """Change the planning of a call-in. Only the owner names hosts (a disclosure is the owner's decision)."""
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, call_in, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra call-in."), code="not_allowed")
    if call_in.status == CallIn.Status.CANCELLED:
        raise ApplicationError(_("Call-in är inställd och kan inte ändras."), code="cancelled")
    fields = {k: v for k, v in changes.items() if k in CALL_IN_FIELDS}
    for name, message, code in (("title", _("Ange en benämning."), "title_required"), ("venue", _("Ange platsen."), "venue_required")):  # fmt: skip
        if name in fields:
            fields[name] = required_text(fields[name], message, code)
    starts_at = fields.get("starts_at", call_in.starts_at)
    _check_times(
        starts_at=starts_at,
        ends_at=fields.get("ends_at", call_in.ends_at),
        rehearsal_on=fields.get("rehearsal_on", call_in.rehearsal_on),
        # A call-in already held may be corrected afterwards; a planned one may not be moved into the past.
        planned=call_in.status in OPEN_STATUSES and "starts_at" in fields and starts_at != call_in.starts_at,
    )
    if target_groups is not None:
        target_groups = list(target_groups)
        require_visible(acting_user, target_groups, _("Grupperingen finns inte."))
    bump_version(call_in, expected_version=expected_version, fields=fields)
    if target_groups is not None:
        # Groups the editor cannot see stay as they are: an edit never removes what it could not show.
        hidden = call_in.target_groups.exclude(pk__in=access.visible(acting_user, CriminalGroup).values("pk"))
        call_in.target_groups.set([*target_groups, *hidden])
    if speakers is not None:
        _set_speakers(call_in, speakers)
    if host_agencies is not None:
        require_owner(actor, call_in, _("Endast den planerande myndigheten kan ändra värdmyndigheterna."))
        name_agencies(
            call_in,
            field="host_agencies",
            agencies=host_agencies,
            legal_basis=legal_basis,
            assessment=assessment,
            acting_user=acting_user,
            basis_message=_basis_message(),
        )
    log(actor, acting_user, Action.CHANGE, CallIn, call_in, fields=sorted(fields))
    return call_in


@transaction.atomic
def call_in_set_status(*, call_in: CallIn, acting_user, status: str) -> CallIn:
    """Rehearsed, held or cancelled. Held only from the day itself; held and cancelled are final."""
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, call_in, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra call-in."), code="not_allowed")
    if status not in CallIn.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    if status not in TRANSITIONS[CallIn.Status(call_in.status)]:
        raise ApplicationError(
            _("En call-in med status %(from)s kan inte få status %(to)s.")
            % {"from": call_in.get_status_display().lower(), "to": CallIn.Status(status).label.lower()},
            code="invalid_transition",
        )
    fields: dict = {"status": status}
    if status == CallIn.Status.HELD and timezone.localtime(call_in.starts_at).date() > timezone.localdate():
        raise ApplicationError(_("En call-in kan markeras som genomförd först samma dag."), code="not_yet")
    if status == CallIn.Status.REHEARSED and call_in.rehearsal_on is None:
        fields["rehearsal_on"] = timezone.localdate()
    bump_version(call_in, expected_version=None, fields=fields)
    log(actor, acting_user, Action.CHANGE, CallIn, call_in, status=status)
    return call_in


# --- invitations ---------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    acting_user,
    call_in: CallIn,
    individual: Individual,
    accompanied_by: str = "",
    follow_up_on: date | None = None,
    reason_kind: str = "",
    reason_text: str = "",
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
) -> Invitation:
    """Invite a person the user may see to a call-in the user may see. The invitation is the inviting
    agency's; when another agency plans the call-in, it gets the invitation (to take attendance) through a
    change share on `legal_basis`. The reason stays with the inviting agency alone."""
    actor = access.require_actor(acting_user)
    require_visible(acting_user, [call_in], _("Call-in finns inte."))
    require_visible(acting_user, [individual], _("Personen finns inte."))
    if call_in.status not in OPEN_STATUSES:
        raise ApplicationError(
            _("Det går inte att bjuda in till en call-in som är inställd eller redan genomförd."), code="closed"
        )
    planner = call_in.owner_agency
    foreign = planner.pk != actor.agency_id
    if foreign and legal_basis is None:
        raise ApplicationError(
            _("Välj den rättsliga grund som inbjudan lämnas ut till den planerande myndigheten på."),
            code="legal_basis_required",
        )
    if foreign and not access.agency_sees(planner, individual):
        # The invitation list shows a person only to whom may see the person (both ends of the link).
        raise ApplicationError(
            _(
                "Personen är inte delad med den myndighet som planerar call-in, så de kan inte se inbjudan eller "
                "ta närvaro. Dela personen med dem först."
            ),
            code="person_not_shared",
        )
    reason_text = (reason_text or "").strip()
    if reason_text and reason_kind not in InvitationReason.Kind.values:
        raise ApplicationError(_("Välj typ av skäl."), code="reason_kind")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                owner_agency_id=actor.agency_id,
                created_by=acting_user,
                call_in=call_in,
                individual=individual,
                accompanied_by=accompanied_by.strip(),
                follow_up_on=follow_up_on,
            )
    except IntegrityError:
        raise ApplicationError(_("Personen är redan inbjuden av din myndighet."), code="duplicate") from None
    log(actor, acting_user, Action.CREATE, Invitation, invitation, call_in=call_in.pk)
    if reason_text:
        reason = InvitationReason.objects.create(
            invitation=invitation, owner_agency_id=actor.agency_id, kind=reason_kind, text=reason_text
        )
        log(actor, acting_user, Action.CREATE, InvitationReason, reason)
    if foreign:
        access.share(
            invitation,
            to_agency=planner,
            level=ShareLevel.CHANGE,
            legal_basis=legal_basis,
            assessment=assessment,
            acting_user=acting_user,
        )
    return invitation


def _require_change(acting_user, invitation: Invitation) -> None:
    if not access.can(acting_user, invitation, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra inbjudan."), code="not_allowed")


@transaction.atomic
def invitation_set_status(*, invitation: Invitation, acting_user, status: str) -> Invitation:
    """Confirmed before; attended or absent from the day of the call-in. Never on a cancelled call-in."""
    actor = access.require_actor(acting_user)
    _require_change(acting_user, invitation)
    if status not in Invitation.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    call_in = invitation.call_in
    if call_in.status == CallIn.Status.CANCELLED:
        raise ApplicationError(_("Call-in är inställd, så ingen närvaro kan registreras."), code="cancelled")
    on_the_day = status in (Invitation.Status.ATTENDED, Invitation.Status.ABSENT)
    if on_the_day and timezone.localtime(call_in.starts_at).date() > timezone.localdate():
        raise ApplicationError(_("Närvaro kan registreras först samma dag som call-in hålls."), code="not_yet")
    bump_version(invitation, expected_version=None, fields={"status": status})
    log(actor, acting_user, Action.CHANGE, Invitation, invitation, status=status)
    return invitation


@transaction.atomic
def invitation_follow_up(
    *,
    invitation: Invitation,
    acting_user,
    expected_version: int | None = None,
    help_requested: bool | None = None,
    **changes,
) -> Invitation:
    """Record the follow-up after the call-in (`accompanied_by`, `follow_up_on`: only those given change).
    "Asked for help" opens the exit-case request (services.help), once."""
    actor = access.require_actor(acting_user)
    _require_change(acting_user, invitation)
    fields = {k: v for k, v in changes.items() if k in ("accompanied_by", "follow_up_on")}
    if "accompanied_by" in fields:
        fields["accompanied_by"] = (fields["accompanied_by"] or "").strip()
    if fields.get("follow_up_on") is not None and fields["follow_up_on"] > timezone.localdate():
        raise ApplicationError(_("Den uppföljande kontakten kan inte ligga framåt i tiden."), code="future")
    if help_requested is False and invitation.exit_case_id is not None:
        raise ApplicationError(
            _("Ett avhopparärende har redan öppnats för begäran; det kan inte tas tillbaka här."), code="case_opened"
        )
    if help_requested is False:
        fields["help_requested"] = False
    bump_version(invitation, expected_version=expected_version, fields=fields)
    log(actor, acting_user, Action.CHANGE, Invitation, invitation, fields=sorted(fields))
    if help_requested:
        help_services.request_help_for_invitation(invitation=invitation, acting_user=acting_user)
    return invitation


@transaction.atomic
def reason_set(*, invitation: Invitation, acting_user, kind: str, text: str) -> InvitationReason:
    """The inviting agency records (or rewrites) why it invited the person."""
    actor = access.require_actor(acting_user)
    require_owner(actor, invitation, _("Endast den inbjudande myndigheten kan ange skälet."))
    if kind not in InvitationReason.Kind.values:
        raise ApplicationError(_("Välj typ av skäl."), code="reason_kind")
    text = required_text(text, _("Beskriv skälet."), "reason_required")
    reason, created = InvitationReason.objects.get_or_create(
        invitation=invitation, defaults={"owner_agency_id": actor.agency_id, "kind": kind, "text": text}
    )
    if not created:
        bump_version(reason, expected_version=None, fields={"kind": kind, "text": text})
    log(actor, acting_user, Action.CREATE if created else Action.CHANGE, InvitationReason, reason)
    return reason
