"""The holds: a list, and the form that places one. A record the user may not hold answers 404, the same as one
that does not exist (a lead holds only their own agency's records; an administrator any)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.errors import ApplicationError

from ..forms.holds import HoldForm
from ..selectors import holds_for
from ..services import hold_place
from ..services.holds import holdable
from ._access import lead_or_admin_required

PAGE_SIZE = 50


@lead_or_admin_required
def hold_list(request, *, actor):
    page = Paginator(holds_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "retention/holds.html", {"page_obj": page, "actor": actor})


@lead_or_admin_required
def hold_create(request, *, actor):
    if request.method == "POST":
        form = HoldForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                hold_place(
                    acting_user=request.user,
                    kind_label=data["kind"],
                    object_id=data["object_id"],
                    reason=data["reason"],
                    ends_on=data["ends_on"],
                )
            except ApplicationError as error:
                if error.code == "not_found":
                    raise Http404 from error
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Posten är undantagen från gallring."))
                return redirect("retention-holds")
    else:
        kind, object_id = request.GET.get("kind", ""), request.GET.get("id", "")
        if kind or object_id:
            # Opened from the dry run's list: the record must be one the user may hold, else 404.
            if not object_id.isdigit() or holdable(request.user, kind_label=kind, object_id=int(object_id)) is None:
                raise Http404
        form = HoldForm(initial={"kind": kind, "object_id": object_id})
    forms = [form]
    context = {"form": form, "forms": forms, "has_errors": form.is_bound and bool(form.errors), "actor": actor}
    return render(request, "retention/hold_form.html", context)
