"""The personal iCalendar feed: a page to make (or remake) and revoke the address, and the feed itself.

The feed is read with the token in its URL, as the token's user, through the gate: the call-ins and review
meetings the user may see and the user's own open actions. It carries no personal data of the persons the
portal is about — no alias, no name of anyone invited, no free text that could hold one: each event says what
kind of event it is, when and where, and links to the page behind the login.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access, audit
from agencies.access import Actor

from .. import services
from ..calendar import feed_document
from ..models import CalendarFeed
from ._common import member_required


@require_http_methods(["GET", "POST"])
@member_required
def calendar_settings(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    raw = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke_all(acting_user=request.user)
            messages.success(request, _("Kalenderadressen har återkallats och fungerar inte längre."))
            return redirect("calendar-settings")
        _feed, raw = services.feed_create(acting_user=request.user)
    active = CalendarFeed.objects.filter(user_id=actor.user_id, revoked_at__isnull=True).first()
    url = request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": raw})) if raw else None
    return render(request, "outreach/calendar.html", {"feed": active, "feed_url": url})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = services.feed_for_token(token)
    if feed is None:
        # A revoked, unknown or ownerless address: nothing, the same whichever it is.
        raise Http404
    user = feed.user
    actor = access.require_actor(user)
    body, shown = feed_document(user, now=timezone.now(), base_url=request.build_absolute_uri("/"))
    for model, rows in shown:
        if rows:
            audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=rows)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gvi-portalen.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
