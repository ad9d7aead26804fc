"""Say exactly what leaves: for every shareable kind, the dialog's field list is the receiver's API response
(cases/disclosure.py), and the receiver's answer carries its provenance while the owner's does not."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies import access
from agencies.tests.factories import legal_basis
from cases import disclosure, services
from cases.disclosure import PROVENANCE

from .factories import IdentityDetailsFactory, IndividualFactory, exit_case, group, incident

pytestmark = pytest.mark.django_db

NOTE = "Socialtjänstens arbetsanteckning om familjen (fiktiv)."
ASSESSMENT = "Polisen behöver veta vem personen är för hotbedömningen; personens intresse väger inte tyngre."


@dataclass
class Built:
    obj: Any
    dialog: str | None  # the share dialog's URL (None: disclosed as a part of another kind's dialog)
    api: str  # the receiver's API URL for the record
    nested: str = ""  # the record is read inside its parent's API answer, in this list
    listed: bool = False  # the API answers a list of such records (the record has no detail of its own)


class U:
    def __init__(self, **kw):
        self.__dict__.update(kw)


@pytest.fixture
def u(police, kommun, police_caseworker, police_lead, kommun_caseworker) -> U:
    return U(police=police, kommun=kommun, pc=police_caseworker, lead=police_lead, kc=kommun_caseworker)


def _to_kommun(obj, u, *, by=None):
    return access.share(
        obj,
        to_agency=u.kommun,
        level="view",
        legal_basis=legal_basis("osl-10-2"),
        assessment=ASSESSMENT,
        acting_user=by or u.pc,
    )


def _person(u, shared=True):
    person = IndividualFactory(owner_agency=u.police, created_by=u.pc, notes=NOTE)
    if shared:
        _to_kommun(person, u)
    return person


def _group(u):
    grp = group(u.police, u.pc)
    _to_kommun(grp, u)
    return grp


def _shared(obj, u, dialog: str, api: str, *, pk=None, **kw) -> Built:
    _to_kommun(obj, u)
    return Built(obj, reverse(dialog, args=[obj.pk]), reverse(api, args=[pk or obj.pk]), **kw)


def individual(u) -> Built:
    person = _person(u, shared=False)
    return _shared(person, u, "individual-share", "api:individual-detail")


def identity(u) -> Built:
    person = _person(u)
    details = IdentityDetailsFactory(individual=person)
    _to_kommun(details, u, by=u.lead)
    return Built(details, None, reverse("api:individual-identity", args=[person.pk]))


def group_kind(u) -> Built:
    return _shared(group(u.police, u.pc), u, "group-share", "api:group-detail")


def group_relation(u) -> Built:
    rel = services.relation_create(
        acting_user=u.pc, group_a=_group(u), group_b=_group(u), kind="conflict", source="Fiktiv källa"
    )
    return _shared(rel, u, "relation-share", "api:group-relation-detail")


def membership(u) -> Built:
    from .factories import membership as record

    m = record(u.pc, _person(u), _group(u))
    return _shared(m, u, "membership-share", "api:membership-detail")


def incident_kind(u) -> Built:
    return _shared(incident(u.pc), u, "incident-share", "api:incident-detail")


def incident_person(u) -> Built:
    inc = incident(u.pc)
    _to_kommun(inc, u)
    part = services.incident_add_person(incident=inc, acting_user=u.pc, individual=_person(u), role="suspect")
    return _shared(part, u, "incident-person-share", "api:incident-detail", pk=inc.pk, nested="persons")


def _case(u):
    case = exit_case(u.pc, _person(u))
    services.case_join(
        case=case, to_agency=u.kommun, legal_basis=legal_basis("osl-10-2"), assessment=ASSESSMENT, acting_user=u.pc
    )
    return case


def exit_case_kind(u) -> Built:
    case = _case(u)
    return Built(case, reverse("exit-case-invite", args=[case.pk]), reverse("api:exit-case-detail", args=[case.pk]))


def case_entry(u) -> Built:
    entry = services.entry_add(case=_case(u), acting_user=u.pc, kind="note", title="Samtal (fiktivt)")
    services.entry_share(
        entry=entry, to_agency=u.kommun, legal_basis=legal_basis("osl-10-2"), assessment=ASSESSMENT, acting_user=u.pc
    )
    return Built(entry, reverse("case-entry-share", args=[entry.pk]), reverse("api:case-entry-detail", args=[entry.pk]))


def _plan_share(record, u):
    services.plan_share(
        record=record, to_agency=u.kommun, legal_basis=legal_basis("osl-10-2"), assessment=ASSESSMENT, acting_user=u.pc
    )


def plan_goal(u) -> Built:
    goal = services.goal_add(case=_case(u), acting_user=u.pc, description="Mål (fiktivt)")
    _plan_share(goal, u)
    return Built(goal, reverse("plan-goal-share", args=[goal.pk]), reverse("api:plan-goal-detail", args=[goal.pk]))


def task_kind(u) -> Built:
    from datetime import timedelta

    from django.utils import timezone

    task = services.task_add(
        case=_case(u),
        acting_user=u.pc,
        title="Uppgift (fiktiv)",
        assignee_agency=u.police,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    _plan_share(task, u)
    return Built(task, reverse("plan-task-share", args=[task.pk]), reverse("api:task-detail", args=[task.pk]))


def _call_in(u):
    from outreach.tests.factories import call_in

    meeting = call_in(u.pc)
    _to_kommun(meeting, u)
    return meeting


def call_in_kind(u) -> Built:
    from outreach.tests.factories import call_in

    return _shared(call_in(u.pc), u, "call-in-share", "api:call-in-detail")


def _invitation(u, **kw):
    from outreach.tests.factories import invitation

    return invitation(u.pc, _call_in(u), _person(u), **kw)


def invitation_kind(u) -> Built:
    return _shared(_invitation(u), u, "invitation-share", "api:invitation-detail")


def invitation_reason(u) -> Built:
    invited = _invitation(u, reason_kind="other", reason_text="Skäl (fiktivt)")
    _to_kommun(invited, u)
    return _shared(invited.reason, u, "invitation-reason-share", "api:invitation-reason")


def _notification(u, **kw):
    from outreach.tests.factories import notification

    return notification(u.pc, _person(u), **kw)


def notification_kind(u) -> Built:
    return _shared(_notification(u), u, "notification-share", "api:notification-detail")


def legal_risk(u) -> Built:
    told = _notification(u, legal_risk="Riskbild (fiktiv)")
    _to_kommun(told, u)
    return _shared(told.legal_risk, u, "legal-risk-share", "api:notification-legal-risk")


def _response(u):
    from outreach.tests.factories import response

    return response(u.pc, _group(u))


def enforcement_response(u) -> Built:
    return _shared(_response(u), u, "response-share", "api:enforcement-response-detail")


def lever(u) -> Built:
    from outreach.tests.factories import lever as add

    resp = _response(u)
    _to_kommun(resp, u)
    action = add(u.pc, resp)
    _to_kommun(action, u)
    return Built(
        action,
        reverse("lever-share", args=[action.pk]),
        reverse("api:enforcement-response-levers", args=[resp.pk]),
        listed=True,
    )


def review_meeting(u) -> Built:
    from outreach.tests.factories import meeting

    return _shared(meeting(u.pc), u, "review-share", "api:review-meeting-detail")


KINDS: dict[str, Callable[[U], Built]] = {
    "individual": individual,
    "identity": identity,
    "group": group_kind,
    "group_relation": group_relation,
    "membership": membership,
    "incident": incident_kind,
    "incident_person": incident_person,
    "exit_case": exit_case_kind,
    "case_entry": case_entry,
    "plan_goal": plan_goal,
    "task": task_kind,
    "call_in": call_in_kind,
    "invitation": invitation_kind,
    "invitation_reason": invitation_reason,
    "notification": notification_kind,
    "legal_risk": legal_risk,
    "enforcement_response": enforcement_response,
    "lever": lever,
    "review_meeting": review_meeting,
}


def test_every_shareable_kind_is_declared_and_tested_here():
    import gvi_portal.api_urls  # noqa: F401 - the API modules register their kinds when the router is built
    from agencies.api.serializers import shareable_names
    from cases import shareables

    dialog_kinds = set(shareables._registry)
    # The consent record is shared on itself by the service that records it, never by a dialog.
    api_kinds = set(shareable_names()) - {"consent"}
    assert set(disclosure.DISCLOSED) == set(KINDS) == dialog_kinds | api_kinds


def dialog_fields(html: str) -> list[str]:
    return re.findall(r'<li data-field="([a-z_]+)">', html)


def _api(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def _one(body, built: Built) -> dict:
    if built.listed:
        return body[0]
    return body[built.nested][0] if built.nested else body


@pytest.mark.parametrize("kind", KINDS)
def test_the_dialog_lists_exactly_what_the_receiver_gets_from_the_api(client, kind, u):
    built = KINDS[kind](u)
    declared = list(disclosure.receiver_fields(kind) or ())
    if built.dialog is not None:
        client.force_login(u.lead)  # a lead may open every kind's dialog, identity details' too
        response = client.get(built.dialog)
        assert response.status_code == 200
        assert dialog_fields(response.content.decode()) == declared
    received = _api(u.kc).get(built.api)
    assert received.status_code == 200, received.content
    assert list(_one(received.json(), built)) == [*declared, PROVENANCE]


@pytest.mark.parametrize("kind", KINDS)
def test_the_receiver_is_told_from_whom_when_on_what_basis_and_until_when(kind, u):
    built = KINDS[kind](u)
    row = access.shares_of(built.obj).get(to_agency=u.kommun)
    provenance = _one(_api(u.kc).get(built.api).json(), built)[PROVENANCE]
    assert provenance == [
        {
            "share": row.pk,
            "from_agency": u.police.slug,
            "from_agency_name": u.police.name,
            "decided_at": row.decided_at.isoformat().replace("+00:00", "Z"),
            "legal_basis": "osl-10-2",
            "legal_basis_name": row.legal_basis.name,
            "expires_at": None,
        }
    ]
    # The owner is not told where its own record came from.
    owner = _one(_api(u.pc).get(built.api).json(), built)
    assert PROVENANCE not in owner


def test_the_notes_stay_with_the_owner(client, kommun, police, kommun_caseworker, police_caseworker):
    shared = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Avhoppare N", notes=NOTE)
    access.share(
        shared,
        to_agency=police,
        level="change",
        legal_basis=legal_basis("osl-10-2"),
        assessment=ASSESSMENT,
        acting_user=kommun_caseworker,
    )
    api = _api(police_caseworker)
    assert "notes" not in api.get(f"/api/v1/individuals/{shared.pk}/").json()
    listed = api.get("/api/v1/individuals/").json()
    assert all("notes" not in row for row in listed["results"])
    client.force_login(police_caseworker)
    assert NOTE not in client.get(f"/personer/{shared.pk}/").content.decode()
    edit = client.get(f"/personer/{shared.pk}/andra/").content.decode()
    assert NOTE not in edit and 'name="notes"' not in edit
    # A change-share receiver's update leaves the notes as they are.
    services.individual_update(individual=shared, acting_user=police_caseworker, alias="Avhoppare M", notes="")
    shared.refresh_from_db()
    assert (shared.alias, shared.notes) == ("Avhoppare M", NOTE)
    # The owner keeps seeing them, everywhere.
    assert _api(kommun_caseworker).get(f"/api/v1/individuals/{shared.pk}/").json()["notes"] == NOTE
    client.force_login(kommun_caseworker)
    assert NOTE in client.get(f"/personer/{shared.pk}/").content.decode()
    dialog = client.get(f"/personer/{shared.pk}/dela/").content.decode()
    assert "Stannar hos er: anteckningar." in dialog


def test_the_schema_does_not_require_what_a_receiver_is_not_sent():
    # A client validating responses against the schema must accept a receiver's answer without the withheld
    # fields, and with its provenance.
    from drf_spectacular.generators import SchemaGenerator

    from cases.api.schema_hooks import _subclasses
    from cases.disclosure import ReceiverFieldsMixin, receiver_fields

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    checked = 0
    for serializer in _subclasses(ReceiverFieldsMixin):
        allowed = receiver_fields(serializer.disclosed_kind)
        component = schemas.get(serializer.__name__.removesuffix("Serializer"))
        if allowed is None or component is None:
            continue
        assert set(component.get("required", [])) <= set(allowed) | set(serializer.also_received), serializer.__name__
        assert PROVENANCE in component["properties"] and PROVENANCE not in component.get("required", [])
        checked += 1
    assert checked >= 17, "fewer serializers declare what a receiver gets than there are shareable kinds"
    assert "notes" not in schemas["IndividualOutput"]["required"]
    assert schemas["ShareOutput"]["properties"]["to_user"]["nullable"] is True
