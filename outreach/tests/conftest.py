"""The outreach world the tests share: Polisen plans a call-in hosted with the municipality, invites a person,
delivers a custom notification with a legal-risk summary, decides an enforcement response and convenes the
weekly review; the community partner and the outsider are given nothing unless a test shares it."""

from dataclasses import dataclass

import pytest
from django.test import Client

from . import factories as f


@dataclass
class World:
    person: object
    group: object
    incident: object
    call_in: object
    invitation: object
    notification: object
    response: object
    lever: object
    meeting: object


@pytest.fixture
def world(police, kommun, police_caseworker, kommun_caseworker) -> World:
    person = f.person(police_caseworker, alias="Kalle K")
    group = f.group(None, police_caseworker, name="Norrgänget")
    incident = f.incident(police_caseworker, place="Fiktiv plats")
    basis = f.legal_basis()
    call_in = f.call_in(
        police_caseworker,
        target_groups=[group],
        host_agencies=[kommun],
        legal_basis=basis,
        assessment="Behövs för samverkan.",
    )
    invitation = f.invitation(
        police_caseworker, call_in, person, reason_kind="supervision_condition", reason_text="Villkor X (fiktivt)"
    )
    notification = f.notification(
        police_caseworker,
        person,
        legal_risk="Riskerar lång dom (fiktivt)",
        team_agencies=[kommun],
        legal_basis=basis,
        assessment="Behövs för samverkan.",
    )
    response = f.response(
        police_caseworker, group, trigger_incidents=[incident], warning_call_ins=[call_in],
        participating_agencies=[kommun], legal_basis=basis, assessment="Behövs för samverkan.",
    )  # fmt: skip
    lever = f.lever(police_caseworker, response)
    meeting = f.meeting(
        police_caseworker,
        incidents=[incident],
        participating_agencies=[kommun],
        legal_basis=basis,
        assessment="Behövs för samverkan.",
    )
    return World(person, group, incident, call_in, invitation, notification, response, lever, meeting)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
