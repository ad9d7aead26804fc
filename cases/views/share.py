"""The share dialog: the owner agency discloses a person, or (a lead) their identity details, on a legal basis."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import selectors
from ..forms import ShareForm
from ..models import IdentityDetails, Individual
from ._common import error_summary, forbidden, member_required

# Which form field a refusal from access.share is about, so the message sits next to what must change.
ERROR_FIELDS = {
    "legal_basis_required": "legal_basis",
    "legal_basis_inactive": "legal_basis",
    "consent_required": "legal_basis",
    "consent_not_covering": "legal_basis",
    "own_agency": "to_agency",
    "agency_inactive": "to_agency",
    "invalid_level": "level",
    "expiry_in_past": "expires_on",
    "lead_required": "what",
}


@require_http_methods(["GET", "POST"])
@member_required
def individual_share(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    person = access.get_or_404(request.user, Individual, pk, queryset=selectors.individual_base())  # logged
    if person.owner_agency_id != actor.agency_id:
        # Visible (so not a 404) but only the data controller may disclose it.
        return forbidden(request, _("Endast den myndighet som äger uppgifterna om personen kan dela dem."))

    identity = None
    if actor.is_lead:
        # Only to offer (and then share) the details: nothing of them is shown on this page, so this is
        # not a read to log. The share itself is logged by access.share.
        identity = access.find(request.user, IdentityDetails, person.pk, log=False)

    form = ShareForm(
        request.POST if request.method == "POST" else None,
        own_agency_id=actor.agency_id,
        may_share_identity=identity is not None,
    )
    if request.method == "POST" and form.is_valid():
        what = form.cleaned_data["what"]
        # The identity choice is only offered (and so only valid) when `identity` was found above.
        target: Individual | IdentityDetails = identity if what == ShareForm.IDENTITY and identity else person
        to_agency = form.cleaned_data["to_agency"]
        try:
            access.share(
                target,
                to_agency=to_agency,
                level=form.cleaned_data["level"],
                legal_basis=form.cleaned_data["legal_basis"],
                acting_user=request.user,
                expires_at=form.expires_at(),
            )
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            if what == ShareForm.IDENTITY:
                text = _("Identitetsuppgifterna har delats med %(agency)s.")
            else:
                text = _("Personen har delats med %(agency)s.")
            messages.success(request, text % {"agency": to_agency.name})
            return redirect("individual-detail", pk=person.pk)
    return render(request, "cases/individual_share.html", {"person": person, "form": form, **error_summary(form)})
