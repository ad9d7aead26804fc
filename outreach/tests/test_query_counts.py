"""Query counts pinned on every outreach list and detail, the same at 1 row and at many (50 on the lists).

Each count is the request's fixed cost plus the page's own queries; the numbers are measured and pinned per
database (the gate's list branches are one UNION ALL on PostgreSQL, one query each on SQLite). A change that
adds a query per row breaks the equality; one that adds a fixed query changes the pinned number, on purpose.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.tests.factories import exit_case
from gvi_portal.testing import log_write
from outreach import services

from . import factories as f
from .conftest import logged_in

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    # Warm: the first request of a process caches content types and permission ids.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def pinned(sqlite: int, postgres: int) -> int:
    return postgres if connection.features.supports_slicing_ordering_in_compound else sqlite


# The lists: the request (session, user with its membership: 5), the gate's page (one query: the rows by primary
# key, the branches' ids as a subquery), the log entry and its targets (2 on SQLite, one statement on
# PostgreSQL), plus what each list adds.
LISTS = {
    # + upcoming (1) and its log (2 on SQLite, 1 on PostgreSQL) (the filter's group is chosen by search: no
    # list of every group)
    "call-in-list": (11, 9),
    # + repeats (1)
    "notification-list": (9, 8),
    # (the filter's group is chosen by search: no list of every group)
    "response-list": (8, 7),
    "review-list": (8, 7),
}


def fill(kind, user, other_user, other_agency, n, world_person):
    for i in range(n):
        if kind == "call-in-list":
            obj = f.call_in(user, title=f"C{i}", days=2 + i % 5)
        elif kind == "notification-list":
            obj = f.notification(user, world_person, delivered_on=timezone.localdate() - timedelta(days=i))
        elif kind == "response-list":
            obj = f.response(user, f.group(None, user, name=f"G{n}-{i}"))
        else:
            obj = f.meeting(user, starts_at=timezone.now() - timedelta(days=7 * i))
        if other_user is not None and i % 2:
            f.share(obj, other_agency, user)


@pytest.mark.parametrize("name", list(LISTS))
def test_list_query_count_is_the_same_at_1_and_50_rows(name, police, police_caseworker):
    someone = f.person(police_caseworker, alias="Räknad")
    client = logged_in(police_caseworker)
    fill(name, police_caseworker, None, None, 1, someone)
    one = count(client, reverse(name))
    fill(name, police_caseworker, None, None, 49, someone)
    many = count(client, reverse(name))
    assert one == many == pinned(*LISTS[name]), (one, many)


def _invite_many(user, call_in, n):
    for i in range(n):
        f.invitation(user, call_in, f.person(user, alias=f"P{i}"))


def _levers(user, response, n):
    for i in range(n):
        f.lever(user, response, description=f"Åtgärd {i}")


def _meeting_rows(user, meeting, n):
    incidents = [f.incident(user, occurred_at=timezone.now() - timedelta(hours=i + 1)) for i in range(n)]
    services.meeting_update(meeting=meeting, acting_user=user, incidents=incidents)
    for i in range(n):
        services.action_add(
            meeting=meeting, acting_user=user, title=f"Åtgärd {i}", assignee_agency=meeting.owner_agency,
            due_on=timezone.localdate() + timedelta(days=3),
        )  # fmt: skip


# (SQLite, PostgreSQL): every "log" below with targets is an entry and its targets, two statements on SQLite
# and one on PostgreSQL.
DETAILS = {
    # the call-in and its log (3), visible groups (1) + log (2), invitations (1) + log (2), speakers (1),
    # hosts (1), the owner's share register (1)
    "call-in-detail": (15, 13),
    # as above, the rows' change check (1): one query whatever the rows
    "call-in-attendance": (11, 9),
    "call-in-follow-up": (11, 9),
    # the response and its log (3), levers (1) + log (2), linked (3), participants (1+), shares, can_each
    "response-detail": (16, 14),
    # the meeting and its log (3), incidents (1) + log (2), actions (1), participants (2), proposed (2), shares
    # (the action form's case is chosen by search: no list of every case), the action form's legal bases (1)
    "review-detail": (18, 16),
    "review-minutes": (13, 11),
}


@pytest.mark.parametrize("name", list(DETAILS))
def test_detail_query_count_is_the_same_at_1_and_10_rows(name, police, police_caseworker):
    client = logged_in(police_caseworker)
    if name.startswith("call-in"):
        obj = f.held_call_in(police_caseworker)
        grow = lambda n: _invite_many(police_caseworker, obj, n)  # noqa: E731
    elif name == "response-detail":
        obj = f.response(police_caseworker, f.group(None, police_caseworker, name="Räknegänget"))
        grow = lambda n: _levers(police_caseworker, obj, n)  # noqa: E731
    else:
        obj = f.meeting(police_caseworker)
        grow = lambda n: _meeting_rows(police_caseworker, obj, n)  # noqa: E731
    url = reverse(name, kwargs={"pk": obj.pk})
    grow(1)
    one = count(client, url)
    grow(9)
    many = count(client, url)
    assert one == many, (one, many)
    assert one == pinned(*DETAILS[name]), one


def test_notification_and_invitation_pages_query_count(police, police_caseworker):
    client = logged_in(police_caseworker)
    someone = f.person(police_caseworker, alias="Räknad")
    first = f.notification(police_caseworker, someone, legal_risk="Risk")
    url = reverse("notification-detail", kwargs={"pk": first.pk})
    one = count(client, url)
    for i in range(9):
        f.notification(police_caseworker, someone, delivered_on=timezone.localdate() - timedelta(days=i + 1))
    assert count(client, url) == one
    invitation = f.invitation(
        police_caseworker, f.call_in(police_caseworker), someone, reason_kind="other", reason_text="x"
    )
    services.request_help_for_invitation(invitation=invitation, acting_user=police_caseworker)
    exit_case(police_caseworker, someone)
    assert count(client, reverse("invitation-detail", kwargs={"pk": invitation.pk})) > 0


@pytest.mark.parametrize("rows", [1, 10])
def test_person_page_history_query_count(rows, police, police_caseworker, django_assert_num_queries):
    someone = f.person(police_caseworker, alias="Historik")
    for i in range(rows):
        f.notification(police_caseworker, someone, delivered_on=timezone.localdate() - timedelta(days=i))
        f.invitation(police_caseworker, f.call_in(police_caseworker, title=f"C{i}"), someone)
    client = logged_in(police_caseworker)
    response_count = count(client, reverse("individual-detail", kwargs={"pk": someone.pk}))
    assert response_count == PERSON_PAGE, response_count


# The person page for its owner without registry rows (cases/tests/test_views_incidents.py: the request,
# the person and its log, identity, the share register, memberships, involvement, exit cases) plus
# outreach's section: notifications (1) + log, invitations (1) + log. Each log is an entry and its targets:
# log_write(), one statement on PostgreSQL, two on SQLite.
PERSON_PAGE = 5 + (1 + log_write()) + 1 + 1 + 1 + 1 + 1 + (1 + log_write()) + (1 + log_write())
