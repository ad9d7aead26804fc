import pytest

from agencies import access, audit
from agencies.context import audit_context
from agencies.models import AccessLogEntry, AccessLogTarget, Action, Via
from agencies.models.audit import AppendOnlyError
from cases.models import Individual
from cases.tests.factories import IndividualFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(police, police_caseworker):
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    return audit.record(user=police_caseworker, agency_id=police.pk, action=Action.VIEW, model=Individual, objects=[p])


def test_entry_records_who_what_and_person(entry, police_caseworker):
    assert entry.user == police_caseworker
    target = entry.targets.get()
    assert (target.model, target.object_id, target.person_id) == (
        "cases.individual",
        entry.object_ids[0],
        entry.object_ids[0],
    )


def test_log_cannot_be_changed_or_deleted_through_the_orm(entry):
    entry.action = Action.CHANGE
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(action="view")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLogTarget.objects.all().delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).action == Action.VIEW
    # Every other way round, and the database's own refusal: test_append_only.py.


def test_context_names_the_door(police, police_caseworker):
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    with audit_context(Via.TASK) as ctx:
        access.get_or_404(police_caseworker, Individual, p.pk)
    logged = AccessLogEntry.objects.get()
    assert (logged.via, logged.request_id) == (Via.TASK, ctx.request_id)
