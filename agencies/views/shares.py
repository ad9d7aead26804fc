from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agencies import access, record_kinds, selectors
from agencies.errors import ApplicationError
from agencies.forms.shares import ShareRevokeForm
from agencies.services.seen import mark_seen

from .decorators import agency_member_required


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "home"


@agency_member_required
@require_POST
def share_revoke(request, pk: int, *, actor):
    """Withdraw a disclosure. Only the disclosing agency may (the gate says so); anyone else not party to it
    gets 404, the same as for a share that does not exist."""
    record = selectors.share_for_agency(actor=actor, pk=pk)
    if record is None:
        raise Http404
    form = ShareRevokeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_next_url(request))
    try:
        access.revoke(record, acting_user=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Utlämnandet till %(agency)s har återkallats. Myndigheten har inte längre åtkomst.")
            % {"agency": record.to_agency.name},
        )
    return redirect(_next_url(request))


@agency_member_required
@require_GET
def share_open(request, pk: int, *, actor):
    """Open the record a share disclosed to the user's agency, from the home page, and mark it read for this
    user. A share that is not to the agency (or to this user), no longer active, or whose record the user may
    not see (the gate decides) is a 404, the same as a share that does not exist."""
    record = selectors.share_received(actor=actor, pk=pk)
    ct = record.content_type if record is not None else None
    kind = record_kinds.kind_for(f"{ct.app_label}.{ct.model}") if ct is not None else None
    if record is None or kind is None:
        raise Http404
    # Not logged here: the record's own page, where this leads, logs the read.
    obj = access.find(request.user, kind.model, record.object_id, queryset=kind.queryset(request.user), log=False)
    url = kind.url(obj) if obj is not None else None
    if obj is None or not url:
        raise Http404
    mark_seen(user=request.user, share=record)
    return redirect(url)
