"""The leads' monthly access-log review: making each agency's review, recording verdicts, reminding.

What is selected, and why, is agencies.selectors.log_review_patterns; docs/access-model.md ("The monthly log
review") explains the routine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import audit
from ..access import require_actor
from ..errors import ApplicationError
from ..models import (
    Action,
    Agency,
    LogReview,
    LogReviewItem,
    LogReviewReminder,
    LogReviewVerdict,
    Role,
    VerdictChoice,
)
from ..selectors.log_review_patterns import Parameters, select


def parameters_from_settings() -> Parameters:
    return Parameters(
        sample_size=settings.LOG_REVIEW_SAMPLE_SIZE,
        many_persons=settings.LOG_REVIEW_MANY_PERSONS,
        minutes=settings.LOG_REVIEW_MANY_PERSONS_MINUTES,
        workday_start=settings.LOG_REVIEW_WORKDAY_START_HOUR,
        workday_end=settings.LOG_REVIEW_WORKDAY_END_HOUR,
    )


def previous_month(today: date | None = None) -> date:
    """The first day of the month before `today` (local date)."""
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def log_review_create(*, agency: Agency, month: date, parameters: Parameters | None = None) -> LogReview | None:
    """The agency's review of `month`, or None when it exists already (made by an earlier or a parallel run).

    Made once: the unique (agency, month) row is written with its items in one transaction, so a second run
    finds it and a parallel one fails on the constraint and is rolled back whole.
    """
    month = month.replace(day=1)
    if LogReview.objects.filter(agency=agency, month=month).exists():
        return None
    parameters = parameters or parameters_from_settings()
    reads, selected = select(agency_id=agency.pk, month=month, parameters=parameters)
    try:
        with transaction.atomic():
            review = LogReview.objects.create(agency=agency, month=month, parameters=parameters.as_dict(), reads=reads)
            LogReviewItem.objects.bulk_create(
                LogReviewItem(review=review, entry_id=entry_id, rules=rules)
                for entry_id, rules in sorted(selected.items())
            )
    except IntegrityError:
        return None
    return review


def log_reviews_create(*, month: date | None = None) -> list[int]:
    """Every active agency's review of `month` (by default the month before this one). Idempotent."""
    month = month or previous_month()
    made = []
    for agency in Agency.objects.filter(active=True).order_by("pk"):
        review = log_review_create(agency=agency, month=month)
        if review is not None:
            made.append(review.pk)
    return made


@transaction.atomic
def verdict_record(*, acting_user, item: LogReviewItem, verdict: str, comment: str = "") -> LogReviewVerdict:
    """A lead's verdict on an item of their own agency's review. An earlier verdict stays; the newest counts."""
    actor = require_actor(acting_user)
    if not actor.is_lead or item.review.agency_id != actor.agency_id:
        # The same answer for another agency's item as for a missing one.
        raise ApplicationError(_("Posten finns inte."), code="not_found")
    if verdict not in VerdictChoice.values:
        raise ApplicationError(_("Välj godkänd eller flaggad."), code="invalid_verdict")
    row = LogReviewVerdict.objects.create(item=item, verdict=verdict, comment=comment.strip(), decided_by=acting_user)
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.CREATE,
        model=LogReviewVerdict,
        objects=[row],
        detail={"review": item.review_id, "entry": item.entry_id, "verdict": verdict},
    )
    return row


def _lead_emails(agency_id: int) -> list[str]:
    leads = (
        get_user_model()
        .objects.filter(membership__agency_id=agency_id, membership__role=Role.LEAD, is_active=True)
        .exclude(email="")
    )
    return sorted(leads.values_list("email", flat=True))


def _send(subject: str, body: str, recipients: list[str]) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def _message(review: LogReview, unreviewed: int, total: int) -> tuple[str, str]:
    # No personal data: the month, the counts and the link; the lead signs in to see the items.
    month = formats.date_format(review.month, "YEAR_MONTH_FORMAT")
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("log-review-detail", kwargs={"pk": review.pk})
    subject = _("Påminnelse: granska åtkomstloggen för %(month)s") % {"month": month}
    body = _(
        "%(unreviewed)s av %(total)s poster i granskningen av åtkomstloggen för %(month)s är inte bedömda.\n\n%(url)s\n"
    ) % {"unreviewed": unreviewed, "total": total, "month": month, "url": url}
    return subject, body


def unfinished_reviews():
    """Reviews with at least one item that has no verdict, with their counts."""
    return (
        LogReview.objects.annotate(
            total=Count("items", distinct=True),
            reviewed=Count("items", filter=Q(items__verdicts__isnull=False), distinct=True),
            last_reminded=Max("reminders__sent_at"),
        )
        .filter(total__gt=0)
        .exclude(total=F("reviewed"))
    )


def log_review_reminders_send(*, now: datetime | None = None) -> list[int]:
    """Remind the leads of each unfinished review, at most once every LOG_REVIEW_REMIND_EVERY_DAYS days.

    The first reminder goes that many days after the review was made. The reminder row is written with the
    decision to send, under a lock on the review, and the mail leaves after the commit: two runs at once, or
    a second run the same day, send nothing twice.
    """
    now = now or timezone.now()
    every = timedelta(days=settings.LOG_REVIEW_REMIND_EVERY_DAYS)
    reminded = []
    for review in unfinished_reviews().select_related("agency").filter(agency__active=True).order_by("pk"):
        if now - max(review.created_at, review.last_reminded or review.created_at) < every:
            continue
        with transaction.atomic():
            locked = LogReview.objects.select_for_update().get(pk=review.pk)
            last = locked.reminders.order_by("-sent_at").values_list("sent_at", flat=True).first()
            if last is not None and now - last < every:
                continue
            recipients = _lead_emails(review.agency_id)
            unreviewed = review.total - review.reviewed
            LogReviewReminder.objects.create(review=locked, sent_at=now, recipients=recipients, unreviewed=unreviewed)
            if recipients:
                transaction.on_commit(partial(_send, *_message(review, unreviewed, review.total), recipients))
        reminded.append(review.pk)
    return reminded
