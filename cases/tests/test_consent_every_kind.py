"""Withdrawal and lapse of a consent, for every kind of record a share on consent can carry.

Each kind whose model names a consent category (cases.models.ConsentCategory) is built through its own
service, shared from its owner to a receiving agency on consent (through the service the product uses: the
share dialog's `access.share`, `case_join`, `entry_share`), and then the consent is

- withdrawn through the service: every entry of the gate (and the API and page where the kind has them) stops
  granting at once, and the register closes the share with a reason;
- withdrawn through the API (`POST /api/v1/consents/{id}/withdraw/`): the same, and the answer names the share;
- left to lapse: with the clock moved past its last day, every entry stops granting before the nightly job,
  and the nightly job then closes the register row once.

Before each of these, the test checks that every entry granted — so a kind that was never visible cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import Share
from agencies.tests.factories import legal_basis
from agencies.tests.gate_probe import Http, all_, gate_answers, http_answers
from cases import services
from cases.models import ConsentCategory
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, consent, exit_case

pytestmark = pytest.mark.django_db

LAW = "osl-10-2"


@dataclass
class Shared:
    obj: Any
    receiver: Any
    consent: Any
    http: Http | None


def _on_consent(obj, *, to, by, given):
    return access.share(
        obj,
        to_agency=to,
        level="view",
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=by,
    )


def _police_person(u):
    return IndividualFactory(owner_agency=u.police, created_by=u.police_caseworker)


def _police_consent(u, person, category):
    return consent(u.police_caseworker, person, [u.police, u.kommun], categories=[category], valid_until=u.last_day)


def person_kind(u) -> Shared:
    person = _police_person(u)
    given = _police_consent(u, person, "person")
    _on_consent(person, to=u.kommun, by=u.police_caseworker, given=given)
    return Shared(person, u.kommun_caseworker, given, Http("individual", "individual-detail", person.alias))


def identity_kind(u) -> Shared:
    person = _police_person(u)
    identity = IdentityDetailsFactory(individual=person)
    access.share(
        person,
        to_agency=u.kommun,
        level="view",
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.police_lead,
    )
    given = _police_consent(u, person, "identity")
    _on_consent(identity, to=u.kommun, by=u.police_lead, given=given)
    return Shared(identity, u.kommun_caseworker, given, None)


def case_kind(u) -> Shared:
    person = IndividualFactory(owner_agency=u.kommun, created_by=u.kommun_caseworker)
    access.share(
        person,
        to_agency=u.police,
        level="view",
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.kommun_caseworker,
    )
    case = exit_case(u.kommun_caseworker, person)
    given = consent(u.kommun_caseworker, person, [u.kommun, u.police], categories=["case"], valid_until=u.last_day)
    services.case_join(
        case=case,
        to_agency=u.police,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=u.kommun_caseworker,
    )
    return Shared(case, u.police_caseworker, given, Http("exit-case", "exit-case-detail", person.alias))


def entry_kind(u) -> Shared:
    person = IndividualFactory(owner_agency=u.kommun, created_by=u.kommun_caseworker)
    access.share(
        person,
        to_agency=u.police,
        level="view",
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.kommun_caseworker,
    )
    case = exit_case(u.kommun_caseworker, person)
    services.case_join(
        case=case,
        to_agency=u.police,
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.kommun_caseworker,
    )
    entry = services.entry_add(case=case, acting_user=u.police_caseworker, kind="threat", title="Hotbild (fiktiv)")
    given = consent(u.kommun_caseworker, person, [u.kommun, u.police], categories=["threat"], valid_until=u.last_day)
    services.entry_share(
        entry=entry,
        to_agency=u.kommun,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=u.police_caseworker,
    )
    return Shared(entry, u.kommun_caseworker, given, Http("case-entry"))


def _joined_case(u):
    person = IndividualFactory(owner_agency=u.kommun, created_by=u.kommun_caseworker)
    case = exit_case(u.kommun_caseworker, person)
    services.case_join(
        case=case,
        to_agency=u.police,
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.kommun_caseworker,
    )
    given = consent(u.kommun_caseworker, person, [u.kommun, u.police], categories=["case"], valid_until=u.last_day)
    return case, given


def _plan_on_consent(record, u, given) -> None:
    services.plan_share(
        record=record,
        to_agency=u.police,
        legal_basis=legal_basis("samtycke"),
        consent=given,
        acting_user=u.kommun_caseworker,
    )


def plan_goal_kind(u) -> Shared:
    case, given = _joined_case(u)
    goal = services.goal_add(case=case, acting_user=u.kommun_caseworker, description="Mål (fiktivt)")
    _plan_on_consent(goal, u, given)
    return Shared(goal, u.police_caseworker, given, Http("plan-goal"))


def task_kind(u) -> Shared:
    case, given = _joined_case(u)
    task = services.task_add(
        case=case,
        acting_user=u.kommun_caseworker,
        title="Uppgift (fiktiv)",
        assignee_agency=u.kommun,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    _plan_on_consent(task, u, given)
    return Shared(task, u.police_caseworker, given, Http("task"))


def _invitation(u, **kw):
    from outreach.tests.factories import call_in, invitation

    person = _police_person(u)
    meeting = call_in(u.police_caseworker)
    access.share(
        meeting,
        to_agency=u.kommun,
        level="view",
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.police_caseworker,
    )
    access.share(
        person,
        to_agency=u.kommun,
        level="view",
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.police_caseworker,
    )
    return person, invitation(u.police_caseworker, meeting, person, **kw)


def invitation_kind(u) -> Shared:
    person, invited = _invitation(u)
    given = _police_consent(u, person, "person")
    _on_consent(invited, to=u.kommun, by=u.police_caseworker, given=given)
    return Shared(invited, u.kommun_caseworker, given, Http("invitation"))


def invitation_reason_kind(u) -> Shared:
    person, invited = _invitation(u, reason_kind="other", reason_text="Skäl (fiktivt)")
    access.share(
        invited,
        to_agency=u.kommun,
        level="view",
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.police_caseworker,
    )
    given = _police_consent(u, person, "note")
    _on_consent(invited.reason, to=u.kommun, by=u.police_caseworker, given=given)
    return Shared(invited.reason, u.kommun_caseworker, given, None)


def _notification(u, **kw):
    from outreach.tests.factories import notification

    person = _police_person(u)
    return person, notification(u.police_caseworker, person, **kw)


def notification_kind(u) -> Shared:
    person, told = _notification(u)
    access.share(
        person,
        to_agency=u.kommun,
        level="view",
        legal_basis=legal_basis(LAW),
        assessment="Behövs för samverkan.",
        acting_user=u.police_caseworker,
    )
    given = _police_consent(u, person, "person")
    _on_consent(told, to=u.kommun, by=u.police_caseworker, given=given)
    return Shared(told, u.kommun_caseworker, given, Http("notification"))


def legal_risk_kind(u) -> Shared:
    person, told = _notification(u, legal_risk="Riskbild (fiktiv)")
    given = _police_consent(u, person, "threat")
    _on_consent(told.legal_risk, to=u.kommun, by=u.police_caseworker, given=given)
    return Shared(told.legal_risk, u.kommun_caseworker, given, None)


KINDS: dict[str, Callable[[Any], Shared]] = {
    "person": person_kind,
    "identity": identity_kind,
    "case header (joining a case)": case_kind,
    "case entry": entry_kind,
    "plan goal": plan_goal_kind,
    "task": task_kind,
    "call-in invitation": invitation_kind,
    "invitation reason": invitation_reason_kind,
    "custom notification": notification_kind,
    "legal-risk summary": legal_risk_kind,
}


def test_every_consent_category_is_carried_by_a_kind_here():
    """A new kind that can be shared on consent must be added to KINDS (the consent record itself aside)."""
    from django.apps import apps

    from agencies.models import ProtectedModel

    carried = {
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, ProtectedModel) and hasattr(model, "consent_category")
    }
    assert carried == {
        "cases.Individual",
        "cases.IdentityDetails",
        "cases.ExitCase",
        "cases.CaseEntry",
        "cases.PlanGoal",
        "cases.Task",
        "cases.Consent",
        "outreach.Invitation",
        "outreach.InvitationReason",
        "outreach.CustomNotification",
        "outreach.LegalRiskSummary",
    }
    assert set(ConsentCategory.values) >= {"person", "identity", "case", "note", "threat"}


class Users:
    def __init__(self, **kw):
        self.__dict__.update(kw)
        self.last_day = timezone.localdate() + timedelta(days=2)


@pytest.fixture
def u(police, kommun, police_caseworker, police_lead, kommun_caseworker) -> Users:
    return Users(
        police=police,
        kommun=kommun,
        police_caseworker=police_caseworker,
        police_lead=police_lead,
        kommun_caseworker=kommun_caseworker,
    )


def every_entry(shared: Shared) -> dict[str, bool]:
    answers = gate_answers(shared.receiver, shared.obj)
    if shared.http is not None:
        answers |= http_answers(shared.receiver, shared.obj, shared.http)
    return answers


def open_shares_on(shared: Shared):
    ct = ContentType.objects.get_for_model(type(shared.obj))
    return Share.objects.filter(content_type=ct, object_id=shared.obj.pk, consent_id=shared.consent.pk)


@pytest.mark.parametrize("kind", KINDS)
def test_withdrawal_ends_the_share_at_once(kind, u):
    shared = KINDS[kind](u)
    assert all_(every_entry(shared), True) == {}
    record = open_shares_on(shared).get()

    revoked = services.consent_withdraw(
        consent=shared.consent, acting_user=shared.receiver, note="Meddelat per telefon"
    )

    assert record.pk in revoked
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoke_reason == "Samtycket återkallades."
    assert all_(every_entry(shared), False) == {}


@pytest.mark.parametrize("kind", ["person", "case header (joining a case)", "case entry", "custom notification"])
def test_withdrawal_through_the_api_ends_the_share_at_once(kind, u):
    shared = KINDS[kind](u)
    assert all_(every_entry(shared), True) == {}
    record = open_shares_on(shared).get()
    client = APIClient()
    client.force_login(shared.receiver)

    response = client.post(reverse("api:consent-withdraw", args=[shared.consent.pk]), {"note": "Per brev"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert record.pk in body["revoked_shares"]
    assert body["consent"]["id"] == shared.consent.pk and body["consent"]["withdrawn_at"]
    assert all_(every_entry(shared), False) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_a_lapsed_consent_ends_the_share_before_the_nightly_job(kind, u):
    shared = KINDS[kind](u)
    record = open_shares_on(shared).get()
    midnight = timezone.make_aware(datetime.combine(u.last_day + timedelta(days=1), time.min))

    with time_machine.travel(midnight - timedelta(seconds=1), tick=False):
        assert all_(every_entry(shared), True) == {}
    with time_machine.travel(midnight + timedelta(seconds=1), tick=False):
        assert all_(every_entry(shared), False) == {}
        record.refresh_from_db()
        assert record.revoked_at is None  # the gate alone ended it
        assert services.expire_lapsed_consents() == [record.pk]
        assert services.expire_lapsed_consents() == []
        record.refresh_from_db()
        assert record.revoke_reason == "Samtycket har upphört att gälla."
        assert all_(every_entry(shared), False) == {}
