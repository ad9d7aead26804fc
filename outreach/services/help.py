"""A "yes" to the offer of help becomes exactly one exit-case request, through the exit-case service.

Two people may tick "asked for help" on the same invitation at the same moment (the door of a call-in is a
busy place), or a phone may send the form twice. The row is locked first (select_for_update: the second
request waits, then finds the case the first opened); the link is then written only where it is still empty,
and the one-to-one column refuses a second case for the same request — so whatever the timing, one
request opens one case, and a losing attempt rolls back the case it opened.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError
from cases import services as case_services
from cases.models import ExitCase

from ..models import CustomNotification, Invitation


def _open_once(model, pk: int, *, flag: str, acting_user, summary: str) -> ExitCase:
    row = model.objects.select_for_update().get(pk=pk)
    if row.exit_case_id is not None:
        return ExitCase.objects.get(pk=row.exit_case_id)
    case = case_services.case_open(acting_user=acting_user, individual=row.individual, summary=summary)
    linked = model.objects.filter(pk=pk, exit_case__isnull=True).update(exit_case=case, **{flag: True})
    if not linked:
        # Someone else linked a case in between (only possible where the lock is not honoured).
        raise IntegrityError("help request already linked")
    return case


@transaction.atomic
def request_help_for_invitation(*, invitation: Invitation, acting_user) -> ExitCase:
    """The person asked for help at (or after) the call-in: open the exit-case request, once."""
    if not access.can(acting_user, invitation, "change"):
        raise ApplicationError(_("Du får inte ändra inbjudan."), code="not_allowed")
    summary = _("Begäran om stöd efter call-in %(day)s (inbjudan %(pk)s).") % {
        "day": invitation.call_in.starts_at.date().isoformat(),
        "pk": invitation.pk,
    }
    case = _open_once(Invitation, invitation.pk, flag="help_requested", acting_user=acting_user, summary=summary)
    invitation.refresh_from_db(fields=["exit_case", "help_requested", "version"])
    return case


@transaction.atomic
def request_help_for_notification(*, notification: CustomNotification, acting_user) -> ExitCase:
    """The person accepted the offer of help at a custom notification: open the exit-case request, once."""
    if not access.can(acting_user, notification, "change"):
        raise ApplicationError(_("Du får inte ändra samtalet."), code="not_allowed")
    if not notification.offer_made:
        raise ApplicationError(_("Ett erbjudande om hjälp måste ha lämnats först."), code="no_offer")
    summary = _("Begäran om stöd efter individuellt samtal %(day)s (samtal %(pk)s).") % {
        "day": notification.delivered_on.isoformat(),
        "pk": notification.pk,
    }
    case = _open_once(
        CustomNotification, notification.pk, flag="offer_accepted", acting_user=acting_user, summary=summary
    )
    notification.refresh_from_db(fields=["exit_case", "offer_accepted", "version"])
    return case
