"""The rules applied to a fixed data set with the clock moved forward: exactly the records the rules name are
deleted or anonymised, nothing else; a held record stays; the dry run listed exactly what the run did; a second
run does nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agencies.models import ProtectedModel
from cases import services as cases
from cases.models import CaseEntry, ExitCase, GroupMembership, Incident, IncidentPerson
from cases.tests.factories import IndividualFactory, consent, exit_case, group, incident, membership
from retention.models import Hold, RetentionRun
from retention.services import apply_rules, plan, summary

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, set[int]]:
    return {
        m._meta.label_lower: set(m._base_manager.values_list("pk", flat=True))
        for m in apps.get_models()
        if issubclass(m, ProtectedModel)
    }


@pytest.fixture
def world(police, kommun, police_caseworker, police_lead, kommun_caseworker):
    """Police: a case with two entries (one of them held), a closed case, an ended and an active membership, an
    incident with a victim, a withdrawn consent. Kommun: a case with one entry."""
    w: dict[str, Any] = {}
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    case = exit_case(police_caseworker, person)
    w["police_entry"] = cases.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild")
    w["held_entry"] = cases.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Anteckning")
    Hold.objects.create(
        content_type=ContentType.objects.get_for_model(CaseEntry),
        object_id=w["held_entry"].pk,
        owner_agency=police,
        reason="Pågående rättsprocess (fiktiv).",
        ends_on=timezone.localdate() + timedelta(days=3650),
        placed_by=police_lead,
    )
    other = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    w["closed_case"] = exit_case(police_caseworker, other)
    ExitCase.objects.filter(pk=w["closed_case"].pk).update(phase="closed", closed_on=timezone.localdate())
    grp = group(police, police_caseworker)
    w["ended"] = membership(
        police_caseworker, IndividualFactory(owner_agency=police, created_by=police_caseworker), grp
    )
    GroupMembership.objects.filter(pk=w["ended"].pk).update(status="ended", ended_at=timezone.now())
    w["active"] = membership(police_caseworker, person, grp)
    w["incident"] = incident(police_caseworker, summary="Fiktiv sammanfattning", place="Fiktiv gata")
    w["victim"] = cases.incident_add_person(
        incident=w["incident"], acting_user=police_caseworker, individual=person, role="victim"
    )
    w["consent"] = consent(police_caseworker, person, [police, kommun], categories=["person"])
    cases.consent_withdraw(consent=w["consent"], acting_user=police_caseworker, note="Fiktivt.")
    kommun_person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    kommun_case = exit_case(kommun_caseworker, kommun_person)
    w["kommun_entry"] = cases.entry_add(case=kommun_case, acting_user=kommun_caseworker, kind="needs", title="Behov")
    return w


def months_later(months: int):
    return time_machine.travel(timezone.now() + timedelta(days=31 * months), tick=False)


def test_after_three_years_exactly_what_the_rules_name_goes_and_the_dry_run_said_so(world):
    before = snapshot()
    with months_later(37):
        listed = summary(plan())
        done = apply_rules()
        assert apply_rules()["delete"] == {}  # idempotent: nothing is due twice
    assert done == listed
    assert done["delete"] == {
        "cases.caseentry": [world["police_entry"].pk],  # police: 36 months after the last entry
        "cases.groupmembership": [world["ended"].pk],  # 12 months after it ended
        "cases.consent": [world["consent"].pk],  # 24 months after it was withdrawn
    }
    assert done["held"] == {"cases.caseentry": [world["held_entry"].pk]}
    assert done["anonymise"] == {} and done["blocked"] == {}
    after = snapshot()
    gone = {label: ids - after[label] for label, ids in before.items() if ids - after[label]}
    assert gone == {label: set(ids) for label, ids in done["delete"].items()}
    assert CaseEntry.objects.filter(pk=world["held_entry"].pk).exists()
    assert CaseEntry.objects.filter(pk=world["kommun_entry"].pk).exists()  # kommun: five years (SoL)
    assert RetentionRun.objects.count() == 2


def test_after_five_years_incidents_are_anonymised_and_closed_cases_deleted(world):
    with months_later(61):
        listed = summary(plan())
        done = apply_rules()
        again = apply_rules()
    assert done == listed
    assert done["anonymise"] == {"cases.incident": [world["incident"].pk]}
    kept = Incident.objects.get(pk=world["incident"].pk)
    assert (kept.summary, kept.place, kept.kind) == ("", "", "shooting")
    assert not IncidentPerson.objects.filter(pk=world["victim"].pk).exists()
    assert world["kommun_entry"].pk in done["delete"]["cases.caseentry"]
    assert done["delete"]["cases.exitcase"] == [world["closed_case"].pk]
    assert not ExitCase.objects.filter(pk=world["closed_case"].pk).exists()
    # The held entry stays, and so does its case (deleting the case would take the entry along) — but that
    # case is open, so it is not due anyway; the active membership is never due.
    assert CaseEntry.objects.filter(pk=world["held_entry"].pk).exists()
    assert GroupMembership.objects.filter(pk=world["active"].pk).exists()
    assert again["anonymise"] == {} and again["delete"] == {}


def test_a_hold_that_has_ended_no_longer_stops_removal(world):
    Hold.objects.update(ends_on=timezone.localdate() + timedelta(days=30))
    with months_later(37):
        done = apply_rules()
    assert world["held_entry"].pk in done["delete"]["cases.caseentry"]


def test_a_held_entry_keeps_its_closed_case(world, police):
    case_id = world["held_entry"].case_id
    ExitCase.objects.filter(pk=case_id).update(phase="closed", closed_on=timezone.localdate())
    with months_later(61):
        done = apply_rules()
    assert case_id in done["held"]["cases.exitcase"]
    assert ExitCase.objects.filter(pk=case_id).exists()


def test_nothing_is_due_today(world):
    assert apply_rules() == {"anonymise": {}, "delete": {}, "held": {}, "blocked": {}}
