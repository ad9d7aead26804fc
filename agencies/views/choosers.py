"""The autocomplete behind every gated choice (agencies.forms.gated): at most MAX_RESULTS hits, through the gate.

`GET /val/<kind>/?q=…` answers JSON `{"results": [{"id": …, "label": …}]}`. The hits are a page of
`access.visible_page` over the kind's search, so they are exactly what the user may see, take their page
from the gate's indexes, and are logged as a list read like any other list of records.
"""

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from agencies import access, choosers
from agencies.access import Actor

from .decorators import agency_member_required

MAX_TERM = 120


@require_GET
@agency_member_required
def choices(request: HttpRequest, kind: str, *, actor: Actor) -> JsonResponse:
    chooser = choosers.get(kind)
    if chooser is None:
        raise Http404
    term = (request.GET.get("q") or "").strip()[:MAX_TERM]
    if not term:
        # No search, no list: the register is never handed out unasked.
        return JsonResponse({"results": []})
    within = chooser.search(request.user, chooser.base(request.user), term)
    page = access.visible_page(request.user, chooser.model, within=within, size=choosers.MAX_RESULTS)
    results = [{"id": obj.pk, "label": chooser.label(obj)} for obj in page.items]
    return JsonResponse({"results": results})
