"""The joint case below the pages and the API: who sees which entry, consent, reminders, conflicts."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.http import Http404
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError, ConflictError
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import basis_for, legal_basis
from cases import selectors, services
from cases.models import CaseEntry, ExitCase, Task, TaskReminder
from cases.tests.factories import IndividualFactory, consent, exit_case, give_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(
    police, probation, kommun, community, police_caseworker, probation_caseworker, kommun_caseworker, community_user
):
    """A kommun-led case that police, Kriminalvården and a community partner have joined; each writes one entry."""
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    for agency in (police, probation, community):
        access.share(
            person,
            to_agency=agency,
            level="view",
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    case = exit_case(kommun_caseworker, person)
    for agency in (police, probation, community):
        services.case_join(
            case=case,
            to_agency=agency,
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    entries = {
        "kommun": services.entry_add(case=case, acting_user=kommun_caseworker, kind="needs", title="Behov: boende"),
        "police": services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild"),
        "probation": services.entry_add(
            case=case, acting_user=probation_caseworker, kind="intervention", title="Insats: arbete"
        ),
        "community": services.entry_add(case=case, acting_user=community_user, kind="note", title="Mentorsamtal"),
    }
    return case, entries


def titles(user, case):
    return {item.entry.title for item in selectors.case_timeline(user, case)}


def test_each_agency_sees_its_own_entries_plus_what_was_shared(
    joint, kommun, police_caseworker, probation_caseworker, kommun_caseworker, community_user, outsider
):
    case, entries = joint
    assert titles(kommun_caseworker, case) == {"Behov: boende"}
    assert titles(police_caseworker, case) == {"Hotbild"}
    services.entry_share(
        entry=entries["police"],
        to_agency=kommun,
        legal_basis=legal_basis("osl-10-27"),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    timeline = selectors.case_timeline(kommun_caseworker, case)
    assert {i.entry.title for i in timeline} == {"Behov: boende", "Hotbild"}
    shared = next(i for i in timeline if not i.own)
    assert shared.legal_basis == "OSL 10 kap. 27 § (generalklausulen)"
    assert titles(probation_caseworker, case) == {"Insats: arbete"}
    assert titles(community_user, case) == {"Mentorsamtal"}
    with pytest.raises(Http404):
        access.get_or_404(outsider, ExitCase, case.pk)
    assert not access.visible(outsider, CaseEntry).exists()


def test_only_police_write_threat_assessments(joint, kommun_caseworker):
    case, _entries = joint
    with pytest.raises(ApplicationError, match="Polisen"):
        services.entry_add(case=case, acting_user=kommun_caseworker, kind="threat", title="x")


def test_entries_go_only_to_participants(joint, police_caseworker, other_community):
    case, entries = joint
    with pytest.raises(ApplicationError, match="deltar inte"):
        services.entry_share(
            entry=entries["police"],
            to_agency=other_community,
            legal_basis=basis_for(other_community),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )


def test_consent_basis_needs_a_covering_consent(joint, kommun, police, police_caseworker, kommun_caseworker):
    case, entries = joint
    basis = legal_basis("samtycke")
    with pytest.raises(ApplicationError):
        services.entry_share(
            entry=entries["police"],
            to_agency=kommun,
            legal_basis=basis,
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    narrow = consent(kommun_caseworker, case.individual, [kommun, police], categories=["note"])
    assert selectors.consents_covering(police_caseworker, obj=entries["police"], to_agency=kommun) == []
    with pytest.raises(ApplicationError, match="täcker inte"):
        services.entry_share(
            entry=entries["police"],
            to_agency=kommun,
            legal_basis=basis,
            assessment="Behövs för samverkan.",
            consent=narrow,
            acting_user=police_caseworker,
        )
    wide = consent(kommun_caseworker, case.individual, [kommun, police], categories=["threat"])
    assert selectors.consents_covering(police_caseworker, obj=entries["police"], to_agency=kommun) == [wide]
    services.entry_share(
        entry=entries["police"],
        to_agency=kommun,
        legal_basis=basis,
        assessment="Behövs för samverkan.",
        consent=wide,
        acting_user=police_caseworker,
    )
    assert "Hotbild" in titles(kommun_caseworker, case)


def test_withdrawal_revokes_every_share_on_it_and_no_other(joint, kommun, police, police_caseworker, kommun_caseworker):
    case, entries = joint
    given = consent(kommun_caseworker, case.individual, [kommun, police])
    on_consent = services.entry_share(
        entry=entries["police"],
        to_agency=kommun,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=police_caseworker,
    )
    other_entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Polisens anteckning")
    on_law = services.entry_share(
        entry=other_entry,
        to_agency=kommun,
        legal_basis=legal_basis("osl-10-27"),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert titles(kommun_caseworker, case) == {"Behov: boende", "Hotbild", "Polisens anteckning"}

    revoked = services.consent_withdraw(consent=given, acting_user=kommun_caseworker, note="Meddelat vid möte")
    assert on_consent.pk in revoked and on_law.pk not in revoked
    assert titles(kommun_caseworker, case) == {"Behov: boende", "Polisens anteckning"}  # at once
    assert Share.objects.get(pk=on_law.pk).is_active
    assert AccessLogEntry.objects.filter(action="revoke", detail__share=on_consent.pk).exists()
    assert access.can(police_caseworker, given)  # the named agencies still see that it was withdrawn
    with pytest.raises(ApplicationError):
        services.consent_withdraw(consent=given, acting_user=kommun_caseworker)


def test_expired_consent_revokes_overnight_once(joint, kommun, police, police_caseworker, kommun_caseworker):
    case, entries = joint
    given = consent(
        kommun_caseworker, case.individual, [kommun, police], valid_until=timezone.localdate() + timedelta(days=1)
    )
    record = services.entry_share(
        entry=entries["police"],
        to_agency=kommun,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=police_caseworker,
    )
    later = timezone.localdate() + timedelta(days=3)
    first = services.expire_lapsed_consents(today=later)
    assert record.pk in first
    assert services.expire_lapsed_consents(today=later) == []
    assert "Hotbild" not in titles(kommun_caseworker, case)


def test_share_on_consent_stops_granting_when_the_consent_lapses(
    joint, kommun, police, police_caseworker, kommun_caseworker
):
    case, entries = joint
    last_day = timezone.localdate()
    given = consent(kommun_caseworker, case.individual, [kommun, police], valid_until=last_day)
    services.entry_share(
        entry=entries["police"],
        to_agency=kommun,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=police_caseworker,
    )
    midnight = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    with time_machine.travel(midnight - timedelta(seconds=1), tick=False):
        assert titles(kommun_caseworker, case) == {"Behov: boende", "Hotbild"}
        assert access.can(kommun_caseworker, entries["police"])
    # The clock moves past the consent's last day; the nightly job has not run and the register is open.
    with time_machine.travel(midnight + timedelta(seconds=1), tick=False):
        assert Share.objects.filter(object_id=entries["police"].pk, revoked_at__isnull=True).exists()
        assert titles(kommun_caseworker, case) == {"Behov: boende"}
        assert not access.can(kommun_caseworker, entries["police"])
        assert access.find(kommun_caseworker, CaseEntry, entries["police"].pk, log=False) is None


def test_consent_needs_expiry_and_an_agency(kommun, kommun_caseworker):
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    with pytest.raises(ApplicationError, match="hur länge"):
        consent(kommun_caseworker, person, [kommun], valid_until=None)
    with pytest.raises(ApplicationError, match="minst en myndighet"):
        consent(kommun_caseworker, person, [])


def test_consent_is_visible_to_the_agencies_it_names(
    kommun, police, probation, kommun_caseworker, police_caseworker, probation_caseworker
):
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    given = consent(kommun_caseworker, person, [kommun, police])
    assert access.can(police_caseworker, given) and not access.can(probation_caseworker, given)


def test_concurrent_entry_edits_second_gets_conflict(joint, police_caseworker):
    _case, entries = joint
    entry = entries["police"]
    stale = entry.version
    services.entry_update(entry=entry, acting_user=police_caseworker, expected_version=stale, body="Första ändringen")
    with pytest.raises(ConflictError) as conflict:
        services.entry_update(
            entry=CaseEntry.objects.get(pk=entry.pk),
            acting_user=police_caseworker,
            expected_version=stale,
            body="Andra",
        )
    assert conflict.value.current_version == stale + 1
    assert CaseEntry.objects.get(pk=entry.pk).body == "Första ändringen"


def test_phase_change_needs_reason_and_close_needs_outcome(joint, kommun_caseworker):
    case, _ = joint
    with pytest.raises(ApplicationError):
        services.case_change_phase(case=case, acting_user=kommun_caseworker, to_phase="assessment", reason=" ")
    services.case_change_phase(case=case, acting_user=kommun_caseworker, to_phase="assessment", reason="Samtal bokat")
    with pytest.raises(ApplicationError):
        services.case_close(case=case, acting_user=kommun_caseworker, outcome="", reason="x")
    services.case_close(case=case, acting_user=kommun_caseworker, outcome="completed", reason="Målen uppnådda")
    case.refresh_from_db()
    assert (case.phase, case.outcome, case.closed_on) == ("closed", "completed", timezone.localdate())
    assert [c.to_phase for c in case.phase_changes.all()] == ["closed", "assessment"]


def test_reminders_are_sent_once_per_task_and_threshold(
    joint, kommun, police, kommun_caseworker, police_caseworker, django_capture_on_commit_callbacks
):
    case, _ = joint
    today = timezone.localdate()
    police_caseworker.email = "polis.handlaggare@example.invalid"
    police_caseworker.save()
    soon = give_task(
        case=case,
        acting_user=kommun_caseworker,
        title="Boka bostadsmöte",
        assignee_agency=police,
        assignee_user=police_caseworker,
        due_on=today + timedelta(days=2),
    )
    late = give_task(
        case=case,
        acting_user=kommun_caseworker,
        title="Skicka underlag",
        assignee_agency=police,
        assignee_user=police_caseworker,
        due_on=today - timedelta(days=1),
    )
    give_task(
        case=case,
        acting_user=kommun_caseworker,
        title="Senare",
        assignee_agency=kommun,
        due_on=today + timedelta(days=9),
    )
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves on commit
        assert services.send_task_reminders(today=today) == {"due_soon": 1, "overdue": 1}
        assert services.send_task_reminders(today=today) == {"due_soon": 0, "overdue": 0}
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"polis.handlaggare@example.invalid"}
    assert TaskReminder.objects.filter(task__in=[soon, late]).count() == 2
    assert [t.title for t in selectors.my_tasks(police_caseworker)][0] == "Skicka underlag"  # overdue first


def test_tasks_are_seen_by_participants_only(joint, police, kommun_caseworker, police_caseworker, outsider):
    case, _ = joint
    give_task(
        case=case, acting_user=kommun_caseworker, title="Uppgift", assignee_agency=police, due_on=timezone.localdate()
    )
    assert selectors.visible_tasks(police_caseworker).count() == 1
    assert selectors.visible_tasks(outsider).count() == 0
    assert Task.objects.count() == 1


def test_only_the_lead_agency_steers_the_case_and_change_access_edits_the_header(
    joint, police, police_caseworker, kommun_caseworker
):
    case, _ = joint
    with pytest.raises(ApplicationError):
        services.case_change_phase(case=case, acting_user=police_caseworker, to_phase="assessment", reason="x")
    with pytest.raises(ApplicationError):
        services.case_close(case=case, acting_user=police_caseworker, outcome="completed", reason="x")
    with pytest.raises(ApplicationError):
        services.case_update(case=case, acting_user=police_caseworker, summary="Polisens version")
    access.share(
        case,
        to_agency=police,
        level="change",
        legal_basis=legal_basis("osl-10-2"),  # the general clause is not the social services' (OSL 26 kap.)
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    assert (
        services.case_update(case=case, acting_user=police_caseworker, summary="Polisens version").summary
        == "Polisens version"
    )
