"""The register extract pages: the agency's extracts, ordering one, its progress, and its two files.

Every extract is found through the gate (agencies.access): only the agency that ordered one sees it, and anyone
else gets the same 404 as for an extract that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.views.decorators import agency_member_required
from cases.models import Individual
from cases.views._common import error_summary

from .. import services
from ..forms.order import OrderForm
from ..models import RegisterExtract
from ..selectors import extract_base
from ..services.ordering import FORMATS

PAGE_SIZE = 25


def _not_for_role(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "extracts/not_allowed.html",
        {"message": _("Bara handläggare och chefer kan beställa och hämta registerutdrag.")},
        status=403,
    )


@require_GET
@agency_member_required
def extract_list(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    """The extracts the user's agency has ordered, newest first. Logged as a list by the gate."""
    if not services.may_order(request.user):
        return _not_for_role(request)
    cursor = request.GET.get("cursor") or None
    cursor_error = None
    try:
        page = access.visible_page(request.user, RegisterExtract, within=extract_base(), cursor=cursor, size=PAGE_SIZE)
    except ValidationError:
        cursor_error = _("Länken till sidan var ogiltig. Visar första sidan i stället.")
        page = access.visible_page(request.user, RegisterExtract, within=extract_base(), size=PAGE_SIZE)
    context = {"page": page, "query": "", "cursor_error": cursor_error}
    return render(request, "extracts/extract_list.html", context)


@require_http_methods(["GET", "POST"])
@agency_member_required
def extract_order(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    """Choose the person (or come from the person page with ?person=<id>), then order."""
    if not services.may_order(request.user):
        return _not_for_role(request)
    user = request.user
    initial = None
    person = None
    if request.method == "GET" and request.GET.get("person"):
        # From the person page: a person the user may not see is a 404, the same as one that does not exist.
        person = access.get_or_404(user, Individual, request.GET["person"])
        initial = {"individual": person.pk}
    form = OrderForm(request.POST if request.method == "POST" else None, persons=access.visible(user, Individual),
                     initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            extract = services.extract_order(acting_user=user, individual=form.cleaned_data["individual"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Registerutdraget är beställt. Det sammanställs nu."))
            return redirect("extract-detail", pk=extract.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "extracts/extract_order.html", {"form": form, "person": person, **error_summary(form)}, status=status
    )


@require_GET
@agency_member_required
def extract_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    """The extract's progress while a worker produces it (htmx polls the fragment), then its download links."""
    if not services.may_order(request.user):
        return _not_for_role(request)
    extract = access.get_or_404(request.user, RegisterExtract, pk, queryset=extract_base())  # logged
    htmx = getattr(request, "htmx", None)
    template = "extracts/_partials/status.html" if htmx and not htmx.history_restore_request else None
    return render(request, template or "extracts/extract_detail.html", {"extract": extract})


@require_GET
@agency_member_required
def extract_file(request: HttpRequest, pk: int, fmt: str, *, actor: Actor) -> HttpResponse:
    """One of the extract's files, to the ordering agency only; the hand-out is logged by the service."""
    if not services.may_order(request.user):
        return _not_for_role(request)
    # Not logged as a read here: the service logs the download itself, with the format.
    extract = access.get_or_404(request.user, RegisterExtract, pk, log=False)
    try:
        content = services.extract_download(acting_user=request.user, extract=extract, fmt=fmt)
    except ApplicationError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{extract.pk}.{fmt}"'
    return response
