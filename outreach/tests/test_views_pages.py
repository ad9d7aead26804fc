"""What the outreach pages show and do: attendance with one tap (htmx and without JavaScript), the follow-up
list, the message history on the person page (only visible notifications), the group's warnings, the review's
actions on the task lists, the printable minutes, and bad input answered in Swedish."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import AccessLogEntry, Action
from outreach import services
from outreach.models import CallIn, CustomNotification, Invitation, ReviewAction

from . import factories as f
from .conftest import logged_in

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def today_call_in(police_caseworker):
    call_in = f.held_call_in(police_caseworker)
    people = [f.person(police_caseworker, alias=f"Närvarande {i}") for i in range(3)]
    invitations = [f.invitation(police_caseworker, call_in, p) for p in people]
    return call_in, invitations


def test_attendance_one_tap_with_htmx_swaps_the_row(police_caseworker, today_call_in):
    call_in, invitations = today_call_in
    client = logged_in(police_caseworker)
    page = client.get(reverse("call-in-attendance", kwargs={"pk": call_in.pk}))
    assert html(page).count("Närvarande<span") == 3
    response = client.post(
        reverse("invitation-mark", kwargs={"pk": invitations[0].pk}),
        {"status": "attended"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="inv-{invitations[0].pk}"' in html(response) and 'aria-pressed="true"' in html(response)
    assert "<html" not in html(response)
    invitations[0].refresh_from_db()
    assert invitations[0].status == Invitation.Status.ATTENDED


def test_attendance_without_javascript_redirects_back(police_caseworker, today_call_in):
    call_in, invitations = today_call_in
    response = logged_in(police_caseworker).post(
        reverse("invitation-mark", kwargs={"pk": invitations[1].pk}), {"status": "absent"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/narvaro/#inv-{invitations[1].pk}")
    invitations[1].refresh_from_db()
    assert invitations[1].status == Invitation.Status.ABSENT


def test_attendance_on_a_cancelled_call_in_says_so_and_changes_nothing(police_caseworker, today_call_in):
    call_in, invitations = today_call_in
    services.call_in_set_status(call_in=call_in, acting_user=police_caseworker, status="cancelled")
    client = logged_in(police_caseworker)
    page = client.get(reverse("call-in-attendance", kwargs={"pk": call_in.pk}))
    assert "Call-in är inställd, så ingen närvaro kan registreras." in html(page) and "Närvarande<span" not in html(
        page
    )
    response = client.post(
        reverse("invitation-mark", kwargs={"pk": invitations[0].pk}),
        {"status": "attended"},
        headers={"HX-Request": "true"},
    )
    assert "Call-in är inställd, så ingen närvaro kan registreras." in html(response)
    invitations[0].refresh_from_db()
    assert invitations[0].status == Invitation.Status.INVITED


def test_planning_a_call_in_in_the_past_is_refused_in_swedish(police_caseworker):
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = logged_in(police_caseworker).post(
        reverse("call-in-create"),
        {
            "title": "Gammal",
            "starts_at": past,
            "venue": "X",
            "speakers-TOTAL_FORMS": "0",
            "speakers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "En planerad call-in kan inte ligga bakåt i tiden." in html(response)
    assert not CallIn.objects.exists()


def test_planning_a_call_in_through_the_page(police, kommun, police_caseworker):
    soon = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    basis = f.legal_basis()
    response = logged_in(police_caseworker).post(
        reverse("call-in-create"),
        {
            "title": "Call-in Oxhagen", "starts_at": soon, "venue": "Fiktiv aula", "host_agencies": [kommun.pk],
            "legal_basis": basis.pk, "assessment": "Behövs för samverkan.", "message_moral": "Sluta skjuta.", "speakers-TOTAL_FORMS": "1",
            "speakers-INITIAL_FORMS": "0", "speakers-0-name": "Mamma M", "speakers-0-role": "relative",
        },
    )  # fmt: skip
    call_in = CallIn.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("call-in-detail", kwargs={"pk": call_in.pk})
    assert [s.name for s in call_in.speakers.all()] == ["Mamma M"] and list(call_in.host_agencies.all()) == [kommun]


def test_follow_up_list_sorts_the_invitations(police_caseworker, today_call_in):
    call_in, (a, b, c) = today_call_in
    for inv, status in ((a, "attended"), (b, "attended"), (c, "absent")):
        services.invitation_set_status(invitation=inv, acting_user=police_caseworker, status=status)
    services.request_help_for_invitation(invitation=b, acting_user=police_caseworker)
    response = logged_in(police_caseworker).get(reverse("call-in-follow-up", kwargs={"pk": call_in.pk}))
    follow = response.context["follow"]
    assert [i.pk for i in follow.not_contacted] == [a.pk, c.pk]
    assert [i.pk for i in follow.asked_for_help] == [b.pk] and follow.help_started == []


def messages(page):
    """Outreach's section of the person page (other apps add theirs, e.g. the register extract's link)."""
    return next(section for section in page.context["sections"] if section.key == "outreach.messages")


def test_person_page_shows_only_visible_notifications(police, kommun, police_caseworker, kommun_caseworker):
    someone = f.person(police_caseworker, alias="Historik H")
    f.share(someone, kommun, police_caseworker)
    shared = f.notification(police_caseworker, someone, delivered_on=timezone.localdate() - timedelta(days=20))
    hidden = f.notification(police_caseworker, someone, delivered_on=timezone.localdate() - timedelta(days=5))
    f.share(shared, kommun, police_caseworker)
    url = reverse("individual-detail", kwargs={"pk": someone.pk})
    owner_page = logged_in(police_caseworker).get(url)
    assert [n.pk for n, _nth in messages(owner_page).data["notifications"]] == [hidden.pk, shared.pk]
    assert "Upprepad (2:e)" in html(owner_page)
    partner = logged_in(kommun_caseworker).get(url)
    rows = messages(partner).data["notifications"]
    assert [n.pk for n, _nth in rows] == [shared.pk]
    # Counted among what the partner sees: one delivery, not a repeat.
    assert "Upprepad" not in html(partner) and reverse("notification-detail", kwargs={"pk": hidden.pk}) not in html(
        partner
    )
    logged = AccessLogEntry.objects.filter(
        user=kommun_caseworker, action=Action.LIST, model="outreach.customnotification"
    )
    assert [e.object_ids for e in logged] == [[shared.pk]]


def test_person_page_shows_nothing_of_outreach_where_nothing_is_visible(
    world, kommun, police_caseworker, kommun_caseworker
):
    f.share(world.person, kommun, police_caseworker)
    CustomNotification.objects.all().delete()
    page = logged_in(kommun_caseworker).get(reverse("individual-detail", kwargs={"pk": world.person.pk}))
    assert "outreach.messages" not in [s.key for s in page.context["sections"]]
    assert "Budskap och kontakter" not in html(page)


def test_group_page_shows_warnings_and_responses(world, police_caseworker, kommun, kommun_caseworker):
    url = reverse("group-detail", kwargs={"pk": world.group.pk})
    text = html(logged_in(police_caseworker).get(url))
    assert "Varningar och insatser" in text and "Call-in Vivalla (fiktiv)" in text
    assert reverse("response-detail", kwargs={"pk": world.response.pk}) in text
    f.share(world.group, kommun, police_caseworker)
    # The municipality sees the group, the call-in (a host) and the response (a participant).
    partner = logged_in(kommun_caseworker).get(url)
    data = partner.context["sections"][0].data
    assert [c.pk for c in data["call_ins"]] == [world.call_in.pk] and [r.pk for r in data["responses"]] == [
        world.response.pk
    ]
    assert data["notifications"] == []


def test_response_page_shows_only_visible_levers(world, police_caseworker, kommun, kommun_caseworker):
    f.share(world.group, kommun, police_caseworker)
    own = f.lever(kommun_caseworker, world.response, kind="housing_review", description="Kommunens prövning")
    url = reverse("response-detail", kwargs={"pk": world.response.pk})
    partner_levers = [row["lever"].pk for row in logged_in(kommun_caseworker).get(url).context["levers"]]
    assert partner_levers == [own.pk]
    owner_levers = {row["lever"].pk for row in logged_in(police_caseworker).get(url).context["levers"]}
    assert owner_levers == {world.lever.pk}
    f.share(own, world.response.owner_agency, kommun_caseworker)
    owner_levers = {row["lever"].pk for row in logged_in(police_caseworker).get(url).context["levers"]}
    assert owner_levers == {world.lever.pk, own.pk}


def test_lever_form_refuses_an_invisible_group_in_swedish(world, kommun_caseworker):
    response = logged_in(kommun_caseworker).post(
        reverse("lever-create", kwargs={"pk": world.response.pk}),
        {
            "kind": "housing_review",
            "description": "X",
            "starts_on": timezone.localdate().isoformat(),
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "Grupperingen som insatsen gäller är inte synlig för din myndighet" in html(response)


def test_review_actions_appear_on_the_task_lists(world, police_caseworker, kommun, kommun_caseworker, kommun_lead):
    services.action_add(
        meeting=world.meeting, acting_user=police_caseworker, title="Kontakta skolan (fiktivt)",
        assignee_agency=kommun, due_on=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip
    mine = logged_in(kommun_caseworker).get(reverse("my-tasks"))
    assert "Åtgärder från veckogenomgångar" in html(mine) and "Kontakta skolan (fiktivt)" in html(mine)
    ours = logged_in(kommun_lead).get(reverse("agency-tasks"))
    assert "Kontakta skolan (fiktivt)" in html(ours)
    action = ReviewAction.objects.get()
    done = logged_in(kommun_caseworker).post(
        reverse("review-action-status", kwargs={"pk": action.pk}), {"status": "done"}
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert "Kontakta skolan (fiktivt)" not in html(logged_in(kommun_caseworker).get(reverse("my-tasks")))


def test_review_action_status_from_another_agency_is_404(world, police_caseworker, kommun, outsider):
    action = services.action_add(
        meeting=world.meeting, acting_user=police_caseworker, title="A", assignee_agency=kommun,
        due_on=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip
    assert logged_in(outsider).post(reverse("review-action-status", kwargs={"pk": action.pk})).status_code == 404


def test_review_agenda_proposes_incidents_since_the_last_meeting(police_caseworker):
    earlier = f.meeting(police_caseworker, starts_at=timezone.now() - timedelta(days=7))
    old = f.incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=9))
    new = f.incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=2))
    response = logged_in(police_caseworker).post(
        reverse("review-create"), {"starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )
    meeting = type(earlier).objects.exclude(pk=earlier.pk).get()
    assert response.status_code == 302
    assert list(meeting.incidents.values_list("pk", flat=True)) == [new.pk] and old.pk != new.pk


def test_minutes_are_printable(world, police_caseworker):
    services.meeting_update(meeting=world.meeting, acting_user=police_caseworker, decisions="Insats mot Norrgänget.")
    text = html(logged_in(police_caseworker).get(reverse("review-minutes", kwargs={"pk": world.meeting.pk})))
    assert "Protokoll:" in text and "Insats mot Norrgänget." in text and "data-print" in text and "js/print.js" in text
    assert "css/outreach.css" in text


def test_invitation_page_shows_the_reason_only_to_whom_may_see_it(world, police_caseworker, kommun, kommun_caseworker):
    url = reverse("invitation-detail", kwargs={"pk": world.invitation.pk})
    assert "Villkor X (fiktivt)" in html(logged_in(police_caseworker).get(url))
    f.share(world.invitation, kommun, police_caseworker)
    f.share(world.person, kommun, police_caseworker)
    partner = html(logged_in(kommun_caseworker).get(url))
    assert "Kalle K" in partner and "Villkor X" not in partner and "Skäl till inbjudan" not in partner


def test_notification_page_hides_the_legal_risk_from_the_team(world, police_caseworker, kommun, kommun_caseworker):
    f.share(world.person, kommun, police_caseworker)
    url = reverse("notification-detail", kwargs={"pk": world.notification.pk})
    assert "Riskerar lång dom" in html(logged_in(police_caseworker).get(url))
    partner = html(logged_in(kommun_caseworker).get(url))
    assert "Kalle K" in partner and "Riskerar lång dom" not in partner and "Juridisk riskbild" not in partner
    assert (
        logged_in(kommun_caseworker).get(reverse("legal-risk", kwargs={"pk": world.notification.pk})).status_code == 403
    )


def test_notification_form_refuses_a_future_date_in_swedish(police_caseworker):
    someone = f.person(police_caseworker)
    response = logged_in(police_caseworker).post(
        reverse("notification-create"),
        {"individual": someone.pk, "delivered_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
         "place_type": "home", "message_delivered": "yes", "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert (
        # The form's date window (agencies.bounds.HAPPENED) refuses it before the service's own rule.
        "Datumet kan inte ligga i framtiden." in html(response) and not CustomNotification.objects.exists()
    )


def test_notification_form_offers_only_visible_persons(world, outsider):
    response = logged_in(outsider).post(
        reverse("notification-create"),
        {"individual": world.person.pk, "delivered_on": timezone.localdate().isoformat(), "place_type": "home",
         "message_delivered": "yes", "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert "Välj en person i listan." in html(response)
    missing = logged_in(outsider).post(reverse("notification-create"), {"individual": 999999})
    assert "Välj en person i listan." in html(missing)


def test_lists_filter_and_page(police_caseworker):
    for i in range(3):
        f.call_in(police_caseworker, title=f"Filter {i}", venue="Aulan" if i else "Biblioteket")
    client = logged_in(police_caseworker)
    found = client.get(reverse("call-in-list"), {"q": "Biblioteket"})
    assert [c.title for c in found.context["page"].items] == ["Filter 0"]
    assert client.get(reverse("call-in-list"), {"cursor": "rubbish"}).context["cursor_error"]
    only = client.get(reverse("call-in-list"), {"q": "X"}, headers={"HX-Request": "true"})
    assert "<html" not in html(only) and "Inga call-ins hittades." in html(only)
