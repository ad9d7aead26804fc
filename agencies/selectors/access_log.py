"""Reads of the agency's own access log, for its leads."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from .. import access, audit, choosers
from ..models import AccessLogEntry, AccessLogTarget
from .records import person_model

# A person filter names at most this many persons; a broader alias search asks for more letters.
MAX_PERSON_HITS = 20


def access_log_entries(*, agency_id: int) -> models.QuerySet[AccessLogEntry]:
    """The agency's own log, newest first (index: agency, -at). Other agencies' rows never appear."""
    return AccessLogEntry.objects.filter(agency_id=agency_id).select_related("user", "agency").order_by("-at", "-id")


def about_persons(queryset: models.QuerySet[AccessLogEntry], person_ids) -> models.QuerySet[AccessLogEntry]:
    """The entries that touched any of these persons, their identity details or records about them.

    A semi-join on the targets' (person_id, entry) index; no JOIN, so no duplicate entries.
    """
    return queryset.filter(pk__in=AccessLogTarget.objects.filter(person_id__in=person_ids).values("entry_id"))


def agency_users(*, agency_id: int) -> models.QuerySet:
    """The users of one agency, for the access log's user filter."""
    return get_user_model().objects.filter(membership__agency_id=agency_id).order_by("username")


def _search_kind(term: str) -> str:
    # Only what kind of search it was goes into the log, never the term: a personnummer in clear text in
    # the log would be a copy of identity details outside the record that guards them.
    return "personnummer" if sum(char.isdecimal() for char in term) >= 6 else "alias"


def persons_matching(*, user, agency_id: int, term: str) -> list:
    """The persons the user may see whose alias — or, where the user may see their identity details,
    personnummer — matches `term`: at most MAX_PERSON_HITS + 1 (one more tells "too many").

    The search is itself logged: a list read of the persons found (none, too), marked with the kind of search.
    """
    chooser = choosers.get("person")
    Person = person_model()
    if chooser is None:
        return []
    within = chooser.search(user, chooser.base(user), term)
    hits = list(access.visible(user, Person, queryset=within).order_by("alias", "pk")[: MAX_PERSON_HITS + 1])
    audit.record_list(
        user=user,
        agency_id=agency_id,
        model=Person,
        objects=hits[:MAX_PERSON_HITS],
        detail={"search": _search_kind(term)},
    )
    return hits


def start_of_day(day) -> datetime:
    """Midnight at the start of `day` in the current time zone (Europe/Stockholm), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
