"""The leads' monthly log review: the list of reviews, one review's items, a verdict on an item.

Only the agency's leads: anyone else — a caseworker, or a lead of another agency asking for this agency's
review — gets 404, as for a review that does not exist.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from agencies.errors import ApplicationError
from agencies.forms.log_review import VerdictForm
from agencies.selectors import log_review as selectors
from agencies.services.log_review import verdict_record

from .decorators import agency_member_required

REVIEWS_PER_PAGE = 24
ITEMS_PER_PAGE = 25
UNREVIEWED = "ogranskade"


def _lead_or_404(actor) -> None:
    if not actor.is_lead:
        raise Http404


def _review_or_404(actor, pk: int):
    review = selectors.review_for_agency(agency_id=actor.agency_id, pk=pk)
    if review is None:
        raise Http404
    return review


@agency_member_required
def log_review_list(request, *, actor):
    _lead_or_404(actor)
    page_obj = Paginator(selectors.reviews_for_agency(agency_id=actor.agency_id), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "agencies/log_review_list.html", {"page_obj": page_obj, "actor": actor})


def _detail(request, actor, review, *, failed: tuple[int, VerdictForm] | None = None, status: int = 200):
    unreviewed_only = request.GET.get("visa") == UNREVIEWED
    items = selectors.review_items(review=review, unreviewed_only=unreviewed_only)
    page_obj = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.item_rows(user=request.user, items=page_obj)
    for row in rows:
        if failed is not None and failed[0] == row.item.pk:
            row.form = failed[1]
        else:
            row.form = VerdictForm(prefix=f"item-{row.item.pk}")
    context = {
        "review": review,
        "page_obj": page_obj,
        "rows": rows,
        "unreviewed_only": unreviewed_only,
        "unreviewed_value": UNREVIEWED,
        "actor": actor,
    }
    return render(request, "agencies/log_review_detail.html", context, status=status)


@agency_member_required
def log_review_detail(request, pk: int, *, actor):
    _lead_or_404(actor)
    return _detail(request, actor, _review_or_404(actor, pk))


@require_POST
@agency_member_required
def log_review_verdict(request, pk: int, item_pk: int, *, actor):
    _lead_or_404(actor)
    review = _review_or_404(actor, pk)
    item = review.items.filter(pk=item_pk).select_related("review").first()
    if item is None:
        raise Http404
    form = VerdictForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            verdict_record(
                acting_user=request.user,
                item=item,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            query = request.GET.urlencode()
            url = reverse("log-review-detail", kwargs={"pk": review.pk})
            return redirect(f"{url}{'?' + query if query else ''}#post-{item.pk}")
    return _detail(request, actor, review, failed=(item.pk, form), status=400)
