"""The iCalendar document of one user's feed, built with the `icalendar` package.

What goes in: the call-ins and the review meetings the user may see (through the gate), from a quarter back
to a year ahead, and the user's own open actions from the review (or their agency's with no one named). What
never goes in: anything about the persons the portal is about — no alias, no invited person, no message, no
free text (a title or a note may name someone). An event says what it is, when, where (a call-in's venue)
and links to its page, where the rest is behind the login and the gate.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from agencies import access

from . import selectors
from .models import CallIn, ReviewMeeting

PAST = timedelta(days=92)
AHEAD = timedelta(days=366)
CALL_IN_LENGTH = timedelta(hours=2)
MEETING_LENGTH = timedelta(hours=1)
STATUS = {
    CallIn.Status.CANCELLED: "CANCELLED",
    CallIn.Status.PLANNED: "TENTATIVE",
    CallIn.Status.REHEARSED: "CONFIRMED",
    CallIn.Status.HELD: "CONFIRMED",
}


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@gvi-portalen"


def _event(*, uid: str, summary: str, start, end, url: str, now: datetime, **extra) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("summary", summary)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("url", url)
    event.add("description", _("Mer finns i GVI-portalen (inloggning krävs): %(url)s") % {"url": url})
    for key, value in extra.items():
        event.add(key, value)
    return event


def feed_document(user, *, now: datetime, base_url: str) -> tuple[bytes, list[tuple[type, list]]]:
    """The feed as bytes, and what it showed (model, rows) for the access log."""
    root = base_url.rstrip("/")
    window = (now - PAST, now + AHEAD)
    call_ins = list(
        access.visible(user, CallIn, queryset=CallIn.objects.select_related("owner_agency"))
        .filter(starts_at__range=window)
        .order_by("starts_at")
    )
    meetings = list(
        access.visible(user, ReviewMeeting, queryset=ReviewMeeting.objects.select_related("owner_agency"))
        .filter(starts_at__range=window)
        .order_by("starts_at")
    )
    actions = list(selectors.my_actions(user)[:200])
    with override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//GVI-portalen//Sluta skjut Örebro//SV")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("GVI-portalen"))
        for call_in in call_ins:
            calendar.add_component(
                _event(
                    uid=_uid("call-in", call_in.pk),
                    summary=_("Call-in (%(agency)s)") % {"agency": call_in.owner_agency.name},
                    start=call_in.starts_at,
                    end=call_in.ends_at or call_in.starts_at + CALL_IN_LENGTH,
                    url=root + reverse("call-in-detail", kwargs={"pk": call_in.pk}),
                    now=now,
                    location=call_in.venue,
                    status=STATUS[CallIn.Status(call_in.status)],
                )
            )
        for meeting in meetings:
            calendar.add_component(
                _event(
                    uid=_uid("review", meeting.pk),
                    summary=_("Veckogenomgång av våldet (%(agency)s)") % {"agency": meeting.owner_agency.name},
                    start=meeting.starts_at,
                    end=meeting.starts_at + MEETING_LENGTH,
                    url=root + reverse("review-detail", kwargs={"pk": meeting.pk}),
                    now=now,
                )
            )
        for action in actions:
            calendar.add_component(
                _event(
                    uid=_uid("action", action.pk),
                    summary=_("Åtgärd från veckogenomgång ska vara klar"),
                    start=action.due_on,
                    end=action.due_on + timedelta(days=1),
                    url=root + reverse("review-detail", kwargs={"pk": action.meeting_id}),
                    now=now,
                )
            )
    shown_meetings = {m.pk: m for m in meetings}
    for action in actions:
        shown_meetings.setdefault(action.meeting_id, action.meeting)
    return calendar.to_ical(), [(CallIn, call_ins), (ReviewMeeting, list(shown_meetings.values()))]
