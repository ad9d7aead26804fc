"""Outreach in the browser: attendance taken on a 375-pixel-wide phone with one tap per person, and axe-core
(no serious or critical violations) on every outreach page, at phone and desktop width."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import Invitation
from outreach.tests import factories as f

PASSWORD = "korrekt-hast-batteri-42"  # agencies.tests.factories.UserFactory
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def outreach_world(police, kommun, police_caseworker):
    people = [f.person(police_caseworker, alias=alias, district=None) for alias in ("Adam A", "Bella B", "Cem C")]
    group = f.group(None, police_caseworker, name="Sydgänget")
    basis = f.legal_basis()
    today = f.held_call_in(police_caseworker, title="Call-in idag", target_groups=[group])
    invitations = [f.invitation(police_caseworker, today, p) for p in people]
    upcoming = f.call_in(
        police_caseworker, host_agencies=[kommun], legal_basis=basis, assessment="Behövs för samverkan."
    )
    notification = f.notification(police_caseworker, people[0], legal_risk="Risk (fiktiv)", offer_made=True)
    incident = f.incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=1))
    response = f.response(police_caseworker, group, trigger_incidents=[incident])
    lever = f.lever(police_caseworker, response)
    meeting = f.meeting(
        police_caseworker,
        incidents=[incident],
        participating_agencies=[kommun],
        legal_basis=basis,
        assessment="Behövs för samverkan.",
    )
    services.action_add(
        meeting=meeting, acting_user=police_caseworker, title="Hembesök (fiktivt)", assignee_agency=police,
        due_on=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    return {
        "today": today, "invitations": invitations, "upcoming": upcoming, "notification": notification,
        "response": response, "lever": lever, "meeting": meeting, "person": people[0], "group": group,
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_attendance_on_a_phone_one_tap_per_person(browser_page, live_server, axe, police_caseworker, outreach_world):
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, live_server, police_caseworker.username)
    page.goto(live_server.url + reverse("call-in-attendance", kwargs={"pk": outreach_world["today"].pk}))
    page.get_by_role("heading", name="Närvaro", level=1).wait_for()
    axe.check(page)
    # The page fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for invitation, choice in zip(
        outreach_world["invitations"], ("Närvarande", "Närvarande", "Frånvarande"), strict=True
    ):
        row = page.locator(f"#inv-{invitation.pk}")
        button = row.get_by_role("button", name=re.compile(f"^{choice}"))
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44  # a thumb's target
        button.click()  # one tap; htmx swaps the row
        page.locator(f"#inv-{invitation.pk}").get_by_role("button", name=re.compile(f"^{choice}")).and_(
            page.locator("[aria-pressed=true]")
        ).wait_for()
    axe.check(page)
    statuses = list(
        Invitation.objects.filter(pk__in=[i.pk for i in outreach_world["invitations"]])
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == ["attended", "attended", "absent"]
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)


@pytest.mark.django_db(transaction=True)
def test_axe_on_every_outreach_page(browser_page, live_server, axe, police_caseworker, outreach_world):
    page = browser_page
    w = outreach_world
    invitation = w["invitations"][0]
    pages = [
        reverse("call-in-list"), reverse("call-in-create"),
        reverse("call-in-detail", kwargs={"pk": w["today"].pk}), reverse("call-in-update", kwargs={"pk": w["upcoming"].pk}),
        reverse("call-in-follow-up", kwargs={"pk": w["today"].pk}), reverse("invitation-create", kwargs={"pk": w["upcoming"].pk}),
        reverse("call-in-share", kwargs={"pk": w["upcoming"].pk}),
        reverse("invitation-detail", kwargs={"pk": invitation.pk}), reverse("invitation-follow-up", kwargs={"pk": invitation.pk}),
        reverse("invitation-reason", kwargs={"pk": invitation.pk}),
        reverse("notification-list"), reverse("notification-create"),
        reverse("notification-detail", kwargs={"pk": w["notification"].pk}),
        reverse("notification-update", kwargs={"pk": w["notification"].pk}),
        reverse("legal-risk", kwargs={"pk": w["notification"].pk}),
        reverse("response-list"), reverse("response-create"), reverse("response-detail", kwargs={"pk": w["response"].pk}),
        reverse("response-update", kwargs={"pk": w["response"].pk}), reverse("lever-create", kwargs={"pk": w["response"].pk}),
        reverse("lever-update", kwargs={"pk": w["lever"].pk}),
        reverse("review-list"), reverse("review-create"), reverse("review-detail", kwargs={"pk": w["meeting"].pk}),
        reverse("review-update", kwargs={"pk": w["meeting"].pk}), reverse("review-minutes", kwargs={"pk": w["meeting"].pk}),
        reverse("calendar-settings"), reverse("individual-detail", kwargs={"pk": w["person"].pk}),
        reverse("group-detail", kwargs={"pk": w["group"].pk}), reverse("my-tasks"),
    ]  # fmt: skip
    log_in(page, live_server, police_caseworker.username)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            axe.check(page)
    # A form with errors is accessible too: the summary links to each field.
    page.goto(live_server.url + reverse("notification-create"))
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_role("heading", name="Formuläret kunde inte sparas").wait_for()
    axe.check(page)
    assert axe.findings == [], "axe-core found serious or critical problems:\n" + "\n".join(axe.findings)
