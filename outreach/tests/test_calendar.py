"""The iCalendar feed: parsed with the same library, only what its owner may see, no personal data of persons,
and nothing once its token is revoked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agencies.models import AccessLogEntry, Action
from outreach import services
from outreach.models import CalendarFeed

from . import factories as f
from .conftest import logged_in

pytestmark = pytest.mark.django_db


def feed_url(client) -> str:
    response = client.post(reverse("calendar-settings"))
    assert response.status_code == 200
    return response.context["feed_url"]


def events(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_feed_holds_what_its_owner_may_see_and_no_personal_data(world, police_caseworker, kommun, kommun_caseworker):
    services.action_add(
        meeting=world.meeting, acting_user=police_caseworker, title="Ring Kalle K om villkoret",
        assignee_agency=kommun, due_on=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip
    hidden = f.call_in(police_caseworker, title="Hemlig planering")  # not shared with the municipality
    kommun_client = logged_in(kommun_caseworker)
    url = feed_url(kommun_client)
    anonymous = logged_in(kommun_caseworker)
    anonymous.logout()
    found = events(anonymous, url)
    uids = sorted(str(e["UID"]) for e in found)
    assert uids == sorted(
        [f"call-in-{world.call_in.pk}@gvi-portalen", f"review-{world.meeting.pk}@gvi-portalen",
         f"action-{world.meeting.actions.get().pk}@gvi-portalen"]
    )  # fmt: skip
    assert f"call-in-{hidden.pk}@" not in " ".join(uids)
    raw = anonymous.get(url).content.decode()
    for secret in ("Kalle K", "Ring Kalle", "villkoret", "Villkor X", "Riskerar", "Norrgänget", "Hemlig"):
        assert secret not in raw, secret
    call_in_event = next(e for e in found if str(e["UID"]).startswith("call-in"))
    assert str(call_in_event["LOCATION"]) == world.call_in.venue
    assert reverse("call-in-detail", kwargs={"pk": world.call_in.pk}) in str(call_in_event["URL"])
    # Each read (two above) is logged as the feed's user, with the ids it carried.
    logged = AccessLogEntry.objects.filter(user=kommun_caseworker, action=Action.LIST, model="outreach.callin")
    assert [e.object_ids for e in logged] == [[world.call_in.pk], [world.call_in.pk]]


def test_only_the_hash_is_stored_and_revoking_stops_the_feed(world, police_caseworker):
    client = logged_in(police_caseworker)
    url = feed_url(client)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=police_caseworker)
    assert token not in (feed.key_hash, feed.hint) and feed.hint.startswith("gvical_")
    assert client.get(url).status_code == 200
    client.post(reverse("calendar-settings"), {"action": "revoke"})
    assert client.get(url).status_code == 404
    # A new address replaces the old one, which stays dead.
    new_url = feed_url(client)
    assert client.get(new_url).status_code == 200 and client.get(url).status_code == 404


def test_unknown_token_and_departed_user_get_nothing(world, police_caseworker):
    client = logged_in(police_caseworker)
    assert client.get(reverse("calendar-feed", kwargs={"token": "gvical_nonsense"})).status_code == 404
    url = feed_url(client)
    police_caseworker.is_active = False
    police_caseworker.save()
    assert client.get(url).status_code == 404


def test_calendar_page_needs_login(client):
    assert client.get(reverse("calendar-settings")).status_code == 302
