"""One record of every protected kind, each made through its own service and shared from its owner to another
agency, for the tests that delete every kind (test_deletion_every_kind.py). A new protected model must be added
here: test_every_protected_kind_has_a_builder fails until it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from agencies import access
from agencies.tests.factories import basis_for
from cases import services as cases
from cases.tests.factories import (
    IdentityDetailsFactory,
    IndividualFactory,
    consent,
    exit_case,
    give_task,
    group,
    incident,
)
from cases.tests.factories import membership as membership_of
from outreach import services as outreach
from outreach.tests.factories import call_in, lever, meeting, notification, response


def share(obj, to, by):
    return access.share(
        obj, to_agency=to, level="view", legal_basis=basis_for(to), assessment="Behövs för samverkan.", acting_user=by
    )


def _person(u):
    return IndividualFactory(owner_agency=u.police, created_by=u.police_caseworker)


def person(u):
    return _person(u)


def identity(u):
    return IdentityDetailsFactory(individual=_person(u))


def criminal_group(u):
    return group(u.police, u.police_caseworker)


def relation(u):
    a, b = group(u.police, u.police_caseworker), group(u.police, u.police_caseworker)
    return cases.relation_create(
        acting_user=u.police_caseworker, group_a=a, group_b=b, kind="conflict", source="Fiktiv källa."
    )


def group_membership(u):
    return membership_of(u.police_caseworker, _person(u), group(u.police, u.police_caseworker))


def an_incident(u):
    return incident(u.police_caseworker)


def incident_person(u):
    return cases.incident_add_person(
        incident=incident(u.police_caseworker), acting_user=u.police_caseworker, individual=_person(u), role="victim"
    )


def a_case(u):
    return exit_case(u.police_caseworker, _person(u))


def entry(u):
    case = exit_case(u.police_caseworker, _person(u))
    made = cases.entry_add(case=case, acting_user=u.police_caseworker, kind="note", title="Fiktiv anteckning")
    # A task pointing at the entry: the link must not outlive it.
    give_task(
        case=case,
        acting_user=u.police_caseworker,
        title="Följ upp (fiktivt)",
        assignee_agency=u.police,
        due_on=timezone.localdate() + timedelta(days=3),
        entry=made,
    )
    return made


def a_consent(u):
    return consent(u.police_caseworker, _person(u), [u.police, u.kommun], categories=["person"])


def a_call_in(u):
    return call_in(u.police_caseworker)


def invitation(u):
    return outreach.invitation_create(
        acting_user=u.police_caseworker, call_in=call_in(u.police_caseworker), individual=_person(u)
    )


def invitation_reason(u):
    return outreach.reason_set(
        invitation=invitation(u), acting_user=u.police_caseworker, kind="incident", text="Fiktivt skäl."
    )


def a_notification(u):
    return notification(u.police_caseworker, _person(u))


def legal_risk(u):
    return outreach.legal_risk_set(notification=a_notification(u), acting_user=u.police_caseworker, text="Fiktiv risk.")


def a_response(u):
    return response(u.police_caseworker, group(u.police, u.police_caseworker))


def a_lever(u):
    return lever(u.police_caseworker, a_response(u))


def a_meeting(u):
    return meeting(u.police_caseworker)


def register_extract(u):
    from extracts.models import RegisterExtract

    # Made directly: ordering one runs the whole PDF production, which this test does not need.
    return RegisterExtract.objects.create(owner_agency=u.police, individual=_person(u), ordered_by=u.police_lead)


BUILDERS: dict[str, Callable[[Any], Any]] = {
    "cases.Individual": person,
    "cases.IdentityDetails": identity,
    "cases.CriminalGroup": criminal_group,
    "cases.GroupRelation": relation,
    "cases.GroupMembership": group_membership,
    "cases.Incident": an_incident,
    "cases.IncidentPerson": incident_person,
    "cases.ExitCase": a_case,
    "cases.CaseEntry": entry,
    "cases.Consent": a_consent,
    "outreach.CallIn": a_call_in,
    "outreach.Invitation": invitation,
    "outreach.InvitationReason": invitation_reason,
    "outreach.CustomNotification": a_notification,
    "outreach.LegalRiskSummary": legal_risk,
    "outreach.EnforcementResponse": a_response,
    "outreach.Lever": a_lever,
    "outreach.ReviewMeeting": a_meeting,
    "extracts.RegisterExtract": register_extract,
}


def users(**kw) -> SimpleNamespace:
    return SimpleNamespace(**kw)
