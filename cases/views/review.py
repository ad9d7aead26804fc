"""The owner agency's review of its membership claims: the queue, and confirm / change / end.

A membership past its review date is flagged here; one still unreviewed 30 days after it expires in the
nightly task (cases.tasks.expire_memberships), and what that task expired in the last 30 days is listed
here too, so its work is visible to the agency whose claims it ended.

Only the owner reviews: another agency that may see a membership gets a 403 page, one that may not a 404.
A row's person or group is named only when the user may still see it (a share may have been revoked since
the claim was recorded); the claim itself is the agency's own and stays reviewable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import selectors, services
from ..forms.groups import ReviewForm
from ..models import CriminalGroup, GroupMembership, Individual
from ..services import Review
from ._common import error_summary, forbidden, member_required
from .share import next_url

RECENTLY_EXPIRED = timedelta(days=30)
ERROR_FIELDS = {
    "evidence_required": "evidence",
    "nothing_changed": "confidence",
    "reason_required": "end_reason",
    "invalid_decision": "decision",
}
DONE = {
    Review.CONFIRM: gettext_lazy("Medlemskapet har bekräftats. Nästa omprövning senast %(date)s."),
    Review.CHANGE: gettext_lazy("Medlemskapet har ändrats. Nästa omprövning senast %(date)s."),
    Review.END: gettext_lazy("Medlemskapet har avslutats."),
}


@dataclass
class Row:
    membership: GroupMembership
    person_visible: bool
    group_visible: bool
    form: ReviewForm | None = None


@dataclass
class Section:
    key: str
    heading: str
    intro: str
    rows: list[Row] = field(default_factory=list)


@require_GET
@member_required
def review_queue(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    queue = selectors.review_queue(user=request.user)
    expired = list(recently_expired(request.user, actor))
    shown = [*queue.expiring, *queue.overdue, *queue.due, *expired]
    people, groups = visible_ends(request.user, shown)
    if shown:
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=GroupMembership, objects=shown)

    def rows(memberships: list[GroupMembership], *, actions: bool = True) -> list[Row]:
        return [
            Row(
                m,
                m.individual_id in people,
                m.group_id in groups,
                # auto_id keeps every row's field ids unique on the page.
                ReviewForm(auto_id=f"review-{m.pk}-%s") if actions else None,
            )
            for m in memberships
        ]

    sections = [
        Section(
            "expiring",
            _("Upphör inom en vecka"),
            _(
                "Omprövningsdatumet har passerats och medlemskapet upphör automatiskt inom sju dagar om det inte omprövas."
            ),
            rows(queue.expiring),
        ),
        Section(
            "overdue",
            _("Försenade"),
            _("Omprövningsdatumet har passerats."),
            rows(queue.overdue),
        ),
        Section(
            "due",
            _("Ska omprövas inom 30 dagar"),
            _("Omprövningsdatumet infaller inom de närmaste 30 dagarna."),
            rows(queue.due),
        ),
        Section(
            "expired",
            _("Nyligen utgångna"),
            _(
                "Medlemskap som inte omprövades i tid och som har upphört automatiskt under de senaste 30 dagarna. "
                "De räknas inte längre som aktuella."
            ),
            rows(expired, actions=False),
        ),
    ]
    return render(
        request,
        "cases/review_queue.html",
        {"sections": sections, "total": len(shown) - len(expired), "today": timezone.localdate()},
    )


def recently_expired(user, actor: Actor) -> QuerySet[GroupMembership]:
    """The agency's memberships that the nightly task expired in the last 30 days (its visible report)."""
    since = timezone.now() - RECENTLY_EXPIRED
    return (
        access.visible(user, GroupMembership, queryset=selectors.membership_base())
        .filter(owner_agency_id=actor.agency_id, status=GroupMembership.Status.EXPIRED, ended_at__gte=since)
        .order_by("-ended_at", "-pk")
    )


def visible_ends(user, memberships: list[GroupMembership]) -> tuple[set[int], set[int]]:
    """Which of the memberships' persons and groups the user may see: two queries, whatever the count.

    The id lists are bounded by what one page shows (the agency's own review work), not by the table.
    """
    if not memberships:
        return set(), set()
    person_ids = {m.individual_id for m in memberships}
    group_ids = {m.group_id for m in memberships}
    people = set(access.visible(user, Individual).filter(pk__in=person_ids).values_list("pk", flat=True))
    groups = set(access.visible(user, CriminalGroup).filter(pk__in=group_ids).values_list("pk", flat=True))
    return people, groups


@require_http_methods(["GET", "POST"])
@member_required
def membership_review(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    membership = access.get_or_404(request.user, GroupMembership, pk, queryset=selectors.membership_base())  # logged
    if not access.owns(request.user, membership):
        return forbidden(request, _("Endast den myndighet som registrerade medlemskapet kan ompröva det."))
    people, groups = visible_ends(request.user, [membership])
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            membership = services.membership_review(membership=membership, acting_user=request.user, **values)
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            text = DONE[values["decision"]] % {"date": date_format(membership.review_due, "Y-m-d")}
            messages.success(request, text)
            return redirect(next_url(request) or "membership-review-queue")
    return render(
        request,
        "cases/group_membership_review.html",
        {
            "row": Row(membership, membership.individual_id in people, membership.group_id in groups, form),
            "next": next_url(request),
            **error_summary(form),
        },
    )
