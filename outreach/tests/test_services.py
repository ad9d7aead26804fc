"""The outreach services' rules: exactly one exit-case request per "yes", bad input refused in Swedish with
nothing changed, the hidden records (reason, legal-risk summary) and who may write what."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import Share
from cases.models import ExitCase, Phase
from gvi_portal.testing import need
from outreach import services
from outreach.models import CallIn, Invitation, InvitationReason, LegalRiskSummary, Lever

from . import factories as f

pytestmark = pytest.mark.django_db


def cases_of(person) -> list[ExitCase]:
    return list(ExitCase.objects.filter(individual=person))


# --- "asked for help" opens exactly one exit-case request ------------------------------------------------------


def test_help_requested_opens_one_case_request_linked_back(world, police_caseworker):
    case = services.request_help_for_invitation(invitation=world.invitation, acting_user=police_caseworker)
    world.invitation.refresh_from_db()
    assert world.invitation.exit_case_id == case.pk and world.invitation.help_requested
    assert case.phase == Phase.REQUEST and case.individual_id == world.person.pk
    assert f"inbjudan {world.invitation.pk}" in case.summary
    # Asked again (a second tap, a resent form): the same case, no second one.
    again = services.request_help_for_invitation(invitation=world.invitation, acting_user=police_caseworker)
    assert again.pk == case.pk and cases_of(world.person) == [case]


def test_accepted_offer_opens_one_case_request(police_caseworker):
    someone = f.person(police_caseworker, alias="Ny")
    n = f.notification(police_caseworker, someone, offer_made=True, offer_accepted=True)
    n.refresh_from_db()
    assert n.exit_case_id is not None and len(cases_of(someone)) == 1
    services.notification_update(notification=n, acting_user=police_caseworker, offer_accepted=True)
    assert len(cases_of(someone)) == 1


def test_follow_up_form_submitted_twice_opens_one_case(world, police_caseworker):
    from .conftest import logged_in

    client = logged_in(police_caseworker)
    url = f"/call-ins/inbjudningar/{world.invitation.pk}/uppfoljning/"
    data = {"help_requested": "on", "accompanied_by": "", "follow_up_on": "", "version": world.invitation.version}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == 302
    # The second carries the version the first made stale: refused, nothing written.
    assert second.status_code == 200 and "Någon annan har ändrat" in second.content.decode()
    assert len(cases_of(world.person)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_open_one_case(police, police_caseworker):
    need(connection.vendor == "postgresql", "two transactions at once need PostgreSQL (DATABASE_URL)")
    someone = f.person(police_caseworker, alias="Samtidig")
    call_in = f.call_in(police_caseworker)
    invitation = f.invitation(police_caseworker, call_in, someone)
    barrier = threading.Barrier(2)
    results: list = []

    def tap():
        try:
            row = Invitation.objects.get(pk=invitation.pk)
            barrier.wait(timeout=10)
            results.append(services.request_help_for_invitation(invitation=row, acting_user=police_caseworker).pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1 and len(cases_of(someone)) == 1
    assert Invitation.objects.get(pk=invitation.pk).exit_case_id == results[0]


def test_a_case_cannot_answer_two_requests(world, police_caseworker):
    from django.db import IntegrityError, transaction

    case = services.request_help_for_invitation(invitation=world.invitation, acting_user=police_caseworker)
    other = f.invitation(police_caseworker, f.call_in(police_caseworker, title="Annan"), world.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=other.pk).update(exit_case=case, help_requested=True)


# --- bad input: a clear Swedish error, nothing changed ----------------------------------------------------------


def test_planned_call_in_in_the_past_is_refused(police_caseworker):
    with pytest.raises(ApplicationError) as exc:
        f.call_in(police_caseworker, days=-1)
    assert exc.value.message == "En planerad call-in kan inte ligga bakåt i tiden."
    assert not CallIn.objects.exists()


def test_moving_a_planned_call_in_into_the_past_is_refused(world, police_caseworker):
    before = world.call_in.starts_at
    with pytest.raises(ApplicationError, match="bakåt i tiden"):
        services.call_in_update(
            call_in=world.call_in, acting_user=police_caseworker, starts_at=timezone.now() - timedelta(days=2)
        )
    world.call_in.refresh_from_db()
    assert world.call_in.starts_at == before and world.call_in.version == 1


def test_attendance_on_a_cancelled_call_in_is_refused(police_caseworker):
    call_in = f.held_call_in(police_caseworker)
    invitation = f.invitation(police_caseworker, call_in, f.person(police_caseworker))
    services.call_in_set_status(call_in=call_in, acting_user=police_caseworker, status="cancelled")
    with pytest.raises(ApplicationError) as exc:
        services.invitation_set_status(invitation=invitation, acting_user=police_caseworker, status="attended")
    assert exc.value.message == "Call-in är inställd, så ingen närvaro kan registreras."
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED


def test_attendance_before_the_day_is_refused(world, police_caseworker):
    with pytest.raises(ApplicationError, match="först samma dag"):
        services.invitation_set_status(invitation=world.invitation, acting_user=police_caseworker, status="attended")
    services.invitation_set_status(invitation=world.invitation, acting_user=police_caseworker, status="confirmed")
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.CONFIRMED


def test_lever_for_a_group_the_agency_cannot_see_is_refused(world, police_caseworker, kommun_caseworker):
    # The municipality takes part in the response but the group was never shared with it.
    before = Lever.objects.count()
    with pytest.raises(ApplicationError) as exc:
        f.lever(kommun_caseworker, world.response, kind=Lever.Kind.HOUSING_REVIEW)
    assert "Grupperingen som insatsen gäller är inte synlig för din myndighet" in exc.value.message
    assert Lever.objects.count() == before


def test_response_for_an_invisible_group_is_as_missing(world, outsider):
    with pytest.raises(ApplicationError) as exc:
        f.response(outsider, world.group)
    assert exc.value.message == "Grupperingen finns inte."


def test_naming_agencies_needs_a_legal_basis(police_caseworker, kommun):
    with pytest.raises(ApplicationError, match="rättsliga grund"):
        f.call_in(police_caseworker, host_agencies=[kommun])
    assert not CallIn.objects.exists()


def test_hosts_get_a_share_on_the_chosen_basis_and_lose_it_when_removed(world, police_caseworker, kommun):
    share = access.shares_of(world.call_in).get()
    assert (share.to_agency, share.legal_basis.code, share.level) == (kommun, "osl-10-2", "view")
    services.call_in_update(call_in=world.call_in, acting_user=police_caseworker, host_agencies=[])
    share.refresh_from_db()
    assert share.revoked_at is not None and list(world.call_in.host_agencies.all()) == []


# --- invitations to another agency's call-in ---------------------------------------------------------------------


def test_inviting_to_another_agencys_call_in(world, police, police_caseworker, kommun, kommun_caseworker):
    someone = f.person(kommun_caseworker, alias="Kommunens")
    # The planner (police) cannot see the person: refused, with what to do.
    with pytest.raises(ApplicationError, match="Dela personen med dem först"):
        f.invitation(
            kommun_caseworker, world.call_in, someone, legal_basis=f.legal_basis(), assessment="Behövs för samverkan."
        )
    f.share(someone, police, kommun_caseworker)
    with pytest.raises(ApplicationError, match="rättsliga grund"):
        f.invitation(kommun_caseworker, world.call_in, someone)
    invitation = f.invitation(
        kommun_caseworker,
        world.call_in,
        someone,
        legal_basis=f.legal_basis(),
        assessment="Behövs för samverkan.",
        reason_kind="other",
        reason_text="Skäl",
    )
    # The planner may take attendance (a change share), but never sees the reason.
    assert access.can(police_caseworker, invitation, "change")
    assert access.find(police_caseworker, InvitationReason, invitation.pk) is None
    assert access.find(kommun_caseworker, InvitationReason, invitation.pk) is not None


def test_reason_and_legal_risk_are_hidden_until_shared(world, police_caseworker, kommun, kommun_caseworker):
    f.share(world.invitation, kommun, police_caseworker)
    assert access.can(kommun_caseworker, world.invitation)
    assert access.find(kommun_caseworker, InvitationReason, world.invitation.pk) is None
    assert access.can(kommun_caseworker, world.notification)
    assert access.find(kommun_caseworker, LegalRiskSummary, world.notification.pk) is None
    f.share(LegalRiskSummary.objects.get(pk=world.notification.pk), kommun, police_caseworker)
    assert access.find(kommun_caseworker, LegalRiskSummary, world.notification.pk) is not None


def test_only_the_police_write_a_legal_risk_summary(world, kommun_caseworker, kommun, police, police_caseworker):
    f.share(world.person, kommun, police_caseworker)
    someone_else = f.notification(
        kommun_caseworker,
        world.person,
        team_agencies=[police],
        legal_basis=f.legal_basis(),
        assessment="Behövs för samverkan.",
    )
    with pytest.raises(ApplicationError, match="skrivs av Polisen"):
        services.legal_risk_set(notification=someone_else, acting_user=kommun_caseworker, text="X")
    assert not LegalRiskSummary.objects.filter(pk=someone_else.pk).exists()
    services.legal_risk_set(notification=someone_else, acting_user=police_caseworker, text="Polisens bedömning")
    assert LegalRiskSummary.objects.get(pk=someone_else.pk).owner_agency.slug == "polisen"


def test_review_action_on_a_case_becomes_its_task(world, police_caseworker, kommun):
    from cases.tests.factories import exit_case

    person_case = exit_case(police_caseworker, world.person)
    action = services.action_add(
        meeting=world.meeting,
        acting_user=police_caseworker,
        title="Kontakta samordnaren",
        assignee_agency=world.meeting.owner_agency,
        due_on=timezone.localdate() + timedelta(days=3),
        exit_case=person_case,
    )
    assert action.task is not None and action.task.case_id == person_case.pk
    services.action_set_status(action=action, acting_user=police_caseworker, status="done")
    action.task.refresh_from_db()
    assert action.task.status == "done"
    assert Share.objects.filter(object_id=world.meeting.pk, to_agency=kommun).exists()


def test_review_action_giving_a_case_task_to_another_agency_needs_a_basis(world, police_caseworker, kommun):
    """The case's task is disclosed to the assignee agency (cases.services.task_add): no basis, no action."""
    from agencies.tests.factories import basis_for
    from cases import services as case_services
    from cases.models import Task
    from cases.tests.factories import exit_case

    person_case = exit_case(police_caseworker, world.person)
    case_services.case_join(
        case=person_case,
        to_agency=kommun,
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan (fiktivt).",
        acting_user=police_caseworker,
    )
    fields = {
        "meeting": world.meeting,
        "acting_user": police_caseworker,
        "title": "Boka möte med socialtjänsten",
        "assignee_agency": kommun,
        "due_on": timezone.localdate() + timedelta(days=3),
        "exit_case": person_case,
    }
    with pytest.raises(ApplicationError) as refused:
        services.action_add(**fields)
    assert refused.value.code == "legal_basis_required"
    assert not Task.objects.filter(case=person_case).exists()
    action = services.action_add(**fields, legal_basis=basis_for(kommun), assessment="Kommunen behöver veta (fiktivt).")
    assert action.task is not None
    [given] = Share.objects.filter(content_type__model="task", object_id=action.task.pk)
    assert (given.to_agency, given.level, given.legal_basis.code) == (kommun, "change", "osl-10-2")
