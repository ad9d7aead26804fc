import uuid
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies import access, audit
from agencies.context import audit_context
from agencies.models import AccessLogEntry, AccessLogTarget, Action, Via
from agencies.models.audit import AppendOnlyError
from cases.models import CriminalGroup, GroupMembership, Individual
from cases.tests.factories import IndividualFactory, group, membership
from gvi_portal.testing import need

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


# --- the write itself: one statement on PostgreSQL (a data-modifying CTE), two on SQLite ----------------------

WRITTEN_AT = timezone.make_aware(datetime(2026, 3, 14, 9, 26, 53))
REQUEST_ID = uuid.UUID("5f0c2b8e-1d7a-4c3e-9b6f-0a1b2c3d4e5f")
DETAIL = {"q": "Råsta", "sida": 2, "filter": {"område": ["Vivalla", "Brickebacken"]}, "tom": None}


def _three(kind, police, police_caseworker):
    """Three records of one kind: memberships name a person each (the target's person_id), groups none."""
    gang = group(police, police_caseworker, name="Räknegänget")
    if kind == "group":
        return CriminalGroup, [gang, group(police, police_caseworker), group(police, police_caseworker)]
    persons = [IndividualFactory(owner_agency=police, created_by=police_caseworker) for _ in range(3)]
    return GroupMembership, [membership(police_caseworker, p, gang) for p in persons]


def _write(user, agency_id, model, objects):
    with time_machine.travel(WRITTEN_AT, tick=False), audit_context(Via.API, REQUEST_ID):
        with CaptureQueriesContext(connection) as queries:
            entry = audit.record(
                user=user, agency_id=agency_id, action=Action.LIST, model=model, objects=objects, detail=DETAIL
            )
    return entry, queries


@pytest.mark.parametrize("kind", ["membership", "group"])
def test_record_of_three_is_one_statement_on_postgresql_and_two_on_sqlite(kind, police, police_caseworker):
    model, objects = _three(kind, police, police_caseworker)
    entry, queries = _write(police_caseworker, police.pk, model, objects)
    assert len(queries) == {"postgresql": 1, "sqlite": 2}[connection.vendor], [q["sql"][:80] for q in queries]

    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert (stored.user_id, stored.agency_id, stored.action, stored.model) == (
        police_caseworker.pk,
        police.pk,
        Action.LIST,
        model._meta.label_lower,
    )
    assert (stored.object_ids, stored.via, stored.request_id, stored.detail, stored.at) == (
        [obj.pk for obj in objects],
        Via.API,
        REQUEST_ID,
        DETAIL,
        WRITTEN_AT,
    )
    targets = list(stored.targets.order_by("id").values_list("model", "object_id", "person_id"))
    person_ids = [obj.individual_id for obj in objects] if kind == "membership" else [None, None, None]
    assert targets == [
        (model._meta.label_lower, obj.pk, person) for obj, person in zip(objects, person_ids, strict=True)
    ]


def test_record_of_nothing_is_an_entry_without_targets_in_one_statement(police, police_caseworker):
    entry, queries = _write(police_caseworker, police.pk, Individual, [])
    assert len(queries) == 1
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert (stored.user_id, stored.agency_id, stored.model, stored.object_ids) == (
        police_caseworker.pk,
        police.pk,
        "cases.individual",
        [],
    )
    assert (stored.via, stored.request_id, stored.detail, stored.at) == (Via.API, REQUEST_ID, DETAIL, WRITTEN_AT)
    assert not AccessLogTarget.objects.filter(entry=stored).exists()


def test_the_returned_entry_is_the_stored_row_and_stays_append_only(police, police_caseworker):
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    entry, _queries = _write(None, police.pk, Individual, [p])
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert (entry.user_id, stored.user_id) == (None, None)  # a system write: no user
    assert (entry.object_ids, entry.detail, entry.request_id, entry.at) == (
        stored.object_ids,
        stored.detail,
        stored.request_id,
        stored.at,
    )
    assert [t.object_id for t in entry.targets.all()] == [p.pk]
    entry.action = Action.CHANGE
    with pytest.raises(AppendOnlyError):  # saved, so a save() would be an UPDATE: refused before any query
        entry.save()


def test_the_one_statement_is_a_data_modifying_cte_on_postgresql(police, police_caseworker):
    need(connection.vendor == "postgresql", "the one-statement log write is PostgreSQL's (DATABASE_URL)")
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    _entry, queries = _write(police_caseworker, police.pk, Individual, [p])
    (sql,) = [q["sql"] for q in queries]
    assert (
        sql.startswith("WITH e AS (INSERT INTO agencies_accesslogentry")
        and "INSERT INTO agencies_accesslogtarget" in sql
    )
