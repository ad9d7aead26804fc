"""Exactly which fields each API endpoint answers, per viewer: the owner, and an agency a record is shared with.

Persons, groups, relations, memberships and incidents are pinned in their own API tests, and the outreach
endpoints' owner output in outreach/tests/test_api.py; this file pins the rest — exit cases, case entries,
tasks, consents, identity details, the disclosure register, agencies, legal bases, districts — and the
outreach invitations and enforcement responses as a receiver sees them. Every serializer's declared fields
are pinned in gvi_portal/tests/test_serializer_fields.py; this checks what actually goes out.
"""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.tests.factories import basis_for, legal_basis
from cases import services
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, consent, exit_case, give_task, share_plan

pytestmark = pytest.mark.django_db

CASE = {
    "id",
    "url",
    "individual",
    "individual_alias",
    "owner_agency",
    "lead_agency",
    "coordinator",
    "coordinator_name",
    "phase",
    "summary",
    "opened_on",
    "closed_on",
    "outcome",
    "next_meeting",
    "overdue_tasks",
    "created_at",
    "updated_at",
    "version",
}
CASE_DETAIL = CASE | {"participants", "phase_changes"}
ENTRY = {
    "id",
    "url",
    "case",
    "kind",
    "title",
    "body",
    "occurred_on",
    "needs",
    "intervention_category",
    "intervention_status",
    "provider",
    "starts_on",
    "ends_on",
    "own",
    "owner_agency",
    "created_at",
    "updated_at",
    "version",
}
TASK = {
    "id",
    "url",
    "case",
    "title",
    "assignee_agency",
    "assignee_user",
    "assignee_user_name",
    "due_on",
    "status",
    "goal",
    "entry",
    "overdue",
    "completed_at",
    "created_at",
    "owner_agency",
    "updated_at",
    "version",
}
PLAN_GOAL = {"id", "url", "case", "description", "target_date", "status", "owner_agency", "created_at", "updated_at"}
PLAN_GOAL |= {"version"}
CONSENT = {
    "id",
    "url",
    "individual",
    "individual_alias",
    "agencies",
    "categories",
    "purpose",
    "given_on",
    "valid_until",
    "document_reference",
    "is_valid",
    "withdrawn_at",
    "withdrawal_note",
    "owner_agency",
    "created_at",
    "updated_at",
    "version",
}
IDENTITY = {
    "url",
    "individual",
    "personnummer",
    "full_name",
    "address",
    "phone",
    "owner_agency",
    "created_at",
    "updated_at",
    "version",
}
SHARE = {
    "id",
    "url",
    "object_type",
    "object_id",
    "from_agency",
    "to_agency",
    "to_user",
    "level",
    "legal_basis",
    "decided_at",
    "expires_at",
    "revoked_at",
    "revoke_reason",
    "is_active",
    "assessment",
    "bundle",
}
AGENCY = {"slug", "name", "kind"}
LEGAL_BASIS = {
    "code",
    "name",
    "description",
    "requires_consent",
    "requires_assessment",
    "assessment_prompt",
    "sender_kinds",
    "receiver_kinds",
    "record_kinds",
    "max_age",
}
DISTRICT = {"id", "name"}
INVITATION = {
    "id",
    "url",
    "call_in",
    "individual",
    "individual_alias",
    "status",
    "accompanied_by",
    "follow_up_on",
    "help_requested",
    "exit_case",
    "owner_agency",
    "created_at",
    "updated_at",
    "version",
}
RESPONSE = {
    "id", "url", "group", "group_name", "decided_on", "status", "summary", "communicated", "communication",
    "trigger_incidents", "warning_call_ins", "warning_notifications", "participating_agencies", "owner_agency",
    "created_at", "updated_at", "version",
}  # fmt: skip


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def detail(user, endpoint, pk) -> dict:
    response = api(user).get(f"/api/v1/{endpoint}/{pk}/")
    assert response.status_code == 200, (endpoint, response.status_code, response.content[:300])
    return response.json()


def rows(user, endpoint) -> list[dict]:
    response = api(user).get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200, (endpoint, response.status_code)
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


@pytest.fixture
def joint(police, kommun, police_caseworker, police_lead, kommun_caseworker):
    """A kommun case police joined; each wrote an entry and shared it; a task for police; a consent; identity."""
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    access.share(
        person,
        to_agency=police,
        level="view",
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    case = exit_case(kommun_caseworker, person, summary="Sammanfattning (fiktiv)")
    services.case_join(
        case=case,
        to_agency=police,
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    police_entry = services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild")
    services.entry_share(
        entry=police_entry,
        to_agency=kommun,
        legal_basis=legal_basis("osl-10-27"),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    task = give_task(
        case=case, acting_user=kommun_caseworker, title="Ring", assignee_agency=police, due_on=timezone.localdate()
    )
    given = consent(kommun_caseworker, person, [kommun, police])
    police_person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    IdentityDetailsFactory(individual=police_person)
    access.share(
        police_person,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_lead,
    )
    access.share(
        police_person.identity,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_lead,
    )
    return case, police_entry, task, given, police_person


def test_exit_case_owner_and_participant(joint, kommun_caseworker, police_caseworker):
    case, *_ = joint
    # The participant also gets where the header came from (provenance); the lead agency does not.
    for user, extra in ((kommun_caseworker, set()), (police_caseworker, {"provenance"})):
        assert set(detail(user, "exit-cases", case.pk)) == CASE_DETAIL | extra
        assert [set(row) for row in rows(user, "exit-cases")] == [CASE | extra]


def test_case_entry_owner_and_receiver(joint, kommun_caseworker, police_caseworker):
    _case, entry, *_ = joint
    owner = detail(police_caseworker, "case-entries", entry.pk)
    receiver = detail(kommun_caseworker, "case-entries", entry.pk)
    assert set(owner) == ENTRY and set(receiver) == ENTRY | {"provenance"}
    assert owner["own"] is True and receiver["own"] is False
    for user, extra in ((kommun_caseworker, {"provenance"}), (police_caseworker, set())):
        assert {frozenset(row) for row in rows(user, "case-entries")} == {frozenset(ENTRY | extra)}


def test_task_owner_and_assignee(joint, kommun_caseworker, police_caseworker):
    _case, _entry, task, *_ = joint
    # The assignee received the task by a share: it gets the declared fields and where the task came from.
    for user, extra in ((kommun_caseworker, set()), (police_caseworker, {"provenance"})):
        assert set(detail(user, "tasks", task.pk)) == TASK | extra
        assert [set(row) for row in rows(user, "tasks")] == [TASK | extra]


def test_plan_goal_owner_and_receiver(joint, kommun, police, kommun_caseworker, police_caseworker):
    case, *_ = joint
    goal = services.goal_add(case=case, acting_user=kommun_caseworker, description="Mål (fiktivt)")
    share_plan(goal, police, kommun_caseworker)
    for user, extra in ((kommun_caseworker, set()), (police_caseworker, {"provenance"})):
        assert set(detail(user, "plan-goals", goal.pk)) == PLAN_GOAL | extra
        assert [set(row) for row in rows(user, "plan-goals")] == [PLAN_GOAL | extra]


def test_consent_owner_and_named_agency(joint, kommun_caseworker, police_caseworker):
    *_, given, _person = joint
    for user in (kommun_caseworker, police_caseworker):
        assert set(detail(user, "consents", given.pk)) == CONSENT
        assert [set(row) for row in rows(user, "consents")] == [CONSENT]


def test_identity_owner_and_receiver(joint, kommun_caseworker, police_caseworker):
    *_, police_person = joint
    for user, extra in ((police_caseworker, set()), (kommun_caseworker, {"provenance"})):
        response = api(user).get(f"/api/v1/individuals/{police_person.pk}/identity/")
        assert response.status_code == 200
        assert set(response.json()) == IDENTITY | extra


def test_register_rows_for_the_disclosing_and_the_receiving_agency(joint, kommun_caseworker, police_caseworker):
    for user in (kommun_caseworker, police_caseworker):
        listed = rows(user, "shares")
        assert listed and {frozenset(row) for row in listed} == {frozenset(SHARE)}
        assert set(detail(user, "shares", listed[0]["id"])) == SHARE


def test_reference_endpoints(joint, kommun_caseworker):
    assert {frozenset(row) for row in rows(kommun_caseworker, "agencies")} == {frozenset(AGENCY)}
    assert {frozenset(row) for row in rows(kommun_caseworker, "legal-bases")} == {frozenset(LEGAL_BASIS)}
    assert {frozenset(row) for row in rows(kommun_caseworker, "districts")} == {frozenset(DISTRICT)}


def test_outreach_invitation_and_response_as_a_receiver(police, kommun, police_caseworker, kommun_caseworker):
    from outreach.tests.factories import call_in, group, invitation, response

    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    meeting = call_in(police_caseworker)
    invited = invitation(police_caseworker, meeting, person)
    grp = group(police, police_caseworker)
    decided = response(police_caseworker, grp, summary="Insats (fiktiv)")
    for obj in (person, meeting, invited, grp, decided):
        access.share(
            obj,
            to_agency=kommun,
            level="view",
            legal_basis=basis_for(kommun),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    received = {"provenance"}
    assert set(detail(kommun_caseworker, "invitations", invited.pk)) == INVITATION | received
    assert [set(row) for row in rows(kommun_caseworker, "invitations")] == [INVITATION | received]
    assert set(detail(kommun_caseworker, "enforcement-responses", decided.pk)) == RESPONSE | {"levers"} | received
    assert [set(row) for row in rows(kommun_caseworker, "enforcement-responses")] == [RESPONSE | received]
