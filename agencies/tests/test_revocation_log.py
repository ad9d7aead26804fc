"""The set-based revocation's log rows name the same person as audit_person_id() (ProtectedModel.audit_person_field)."""

import pytest
from django.apps import apps

from agencies import access
from agencies.models import AccessLogTarget, ProtectedModel
from agencies.tests.factories import basis_for
from cases.tests.factories import IndividualFactory, exit_case

pytestmark = pytest.mark.django_db


def test_every_model_that_names_a_person_declares_the_lookup_too():
    overriding = [
        model
        for model in apps.get_models()
        if issubclass(model, ProtectedModel) and model.audit_person_id is not ProtectedModel.audit_person_id
    ]
    assert len(overriding) >= 10
    assert [m._meta.label for m in overriding if m.audit_person_field is None] == []


def test_the_declared_lookup_reads_what_audit_person_id_returns(police, kommun, police_caseworker, kommun_caseworker):
    from cases import services
    from cases.models import CaseEntry, ExitCase, Individual

    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    case = exit_case(police_caseworker, person)
    entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Anteckning")
    for obj in (person, case, entry):
        persons = access._audit_persons(type(obj), [obj.pk, 10**9])
        assert persons == {obj.pk: obj.audit_person_id()} == {obj.pk: person.pk}
    assert {CaseEntry, ExitCase, Individual} <= {type(o) for o in (person, case, entry)}


def test_expiry_logs_each_share_with_its_person(police, kommun, police_caseworker, kommun_caseworker):
    from datetime import timedelta

    from django.utils import timezone

    people = [IndividualFactory(owner_agency=police, created_by=police_caseworker) for _ in range(3)]
    soon = timezone.now() + timedelta(minutes=5)
    for person in people:
        access.share(
            person, to_agency=kommun, level="view", legal_basis=basis_for(kommun), assessment="Behövs för samverkan.",
            acting_user=police_caseworker, expires_at=soon,
        )  # fmt: skip
    closed = access.expire_due_shares(now=soon + timedelta(minutes=1))
    assert len(closed) == 3
    targets = AccessLogTarget.objects.filter(entry__action="revoke", model="cases.individual")
    assert sorted(targets.values_list("object_id", "person_id")) == sorted((p.pk, p.pk) for p in people)
    entries = {t.entry.detail["share"]: t.entry for t in targets.select_related("entry")}
    assert sorted(entries) == sorted(closed)
    assert {e.agency_id for e in entries.values()} == {police.pk} and all(e.user_id is None for e in entries.values())
    assert all(e.object_ids == [e.targets.get().object_id] for e in entries.values())
