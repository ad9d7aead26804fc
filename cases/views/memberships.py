"""Recording that a person belongs to a group: only with evidence and a source, and with a review date.

The membership is a protected record of the recording agency. The person is chosen among the persons the
user may see (a select is enough at the scale of one city's GVI work); the group is the page's, which the
user may see. Reviewing is cases.views.review.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import services
from ..forms.groups import MembershipForm
from ..models import CriminalGroup, Individual
from ._common import error_summary, member_required
from .groups import group_url

ERROR_FIELDS = {"evidence_required": "evidence", "not_found": "individual", "dates": "valid_to"}


@require_http_methods(["GET", "POST"])
@member_required
def membership_create(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    group = access.get_or_404(request.user, CriminalGroup, pk)  # logged
    people = access.visible(request.user, Individual).select_related("district").order_by("alias", "pk")
    form = MembershipForm(request.POST if request.method == "POST" else None, people=people, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["individual"]
        try:
            services.membership_record(acting_user=request.user, individual=person, group=group, **form.values())
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            messages.success(
                request,
                _("%(person)s har registrerats som medlem i %(group)s.")
                % {"person": person.alias, "group": group.name},
            )
            return redirect(group_url(group))
    return render(
        request,
        "cases/group_membership_form.html",
        {"form": form, "group": group, "has_people": access.sees_any(request.user, Individual), **error_summary(form)},
    )
