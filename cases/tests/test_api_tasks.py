"""/api/v1/tasks/: a task is the writing agency's record — seen by it, by the assignee agency (given to it on a
basis) and by whom it was shared with, on a case they see; its goal and entry only by whoever sees them.

The joint case is in joint_case.py: kommun leads; police, Kriminalvården and a community partner take part.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import basis_for
from cases import services
from cases.models import Task
from cases.tests.factories import IndividualFactory, exit_case, give_task, share_plan
from cases.tests.joint_case import client_for, ids, joint_fixture, last_log_id, new_log, url  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def task(joint, title="Boka möte", *, by="kommun", to="police", days=3, **kw) -> Task:
    return give_task(
        case=joint.case,
        acting_user=joint.users[by],
        title=title,
        assignee_agency=joint.agencies[to],
        due_on=TODAY() + timedelta(days=days),
        **kw,
    )


def task_url(t) -> str:
    return url("task-detail", t.pk)


# --- who sees a task -----------------------------------------------------------------------------------------


def test_anonymous_gets_401(joint):
    t = task(joint)
    client = APIClient()
    before = last_log_id()
    for method, target, body in [
        ("get", url("task-list"), None),
        ("post", url("task-list"), {"case": joint.case.pk, "title": "x"}),
        ("get", task_url(t), None),
        ("post", url("task-status", t.pk), {"status": "done"}),
    ]:
        response = getattr(client, method)(target, body, format="json")
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert new_log(before) == []


@pytest.mark.parametrize("name", ["kommun", "police"])
def test_the_owner_and_the_assignee_see_the_task(joint, name):
    t = task(joint)
    client = client_for(joint.users[name])
    assert ids(client.get(url("task-list"))) == [t.pk]
    body = client.get(task_url(t)).json()
    assert (body["case"], body["title"], body["assignee_agency"], body["status"]) == (
        joint.case.pk,
        "Boka möte",
        "polisen",
        "open",
    )


@pytest.mark.parametrize("name", ["probation", "community"])
def test_another_participant_sees_the_task_only_once_it_is_shared(joint, name):
    t = task(joint)
    client = client_for(joint.users[name])
    assert ids(client.get(url("task-list"))) == []
    assert client.get(task_url(t)).status_code == 404
    share_plan(t, joint.agencies[name], joint.users["kommun"])
    assert ids(client.get(url("task-list"))) == [t.pk]
    body = client.get(task_url(t)).json()
    assert body["title"] == "Boka möte"
    [origin] = body["provenance"]
    assert origin["from_agency"] == "orebro-kommun" and origin["legal_basis"] == basis_for(joint.agencies[name]).code


def test_a_task_on_an_invisible_case_is_404(joint):
    t = task(joint)
    client = client_for(joint.users["outsider"])
    assert client.get(task_url(t)).status_code == 404
    assert client.post(url("task-status", t.pk), {"status": "done"}, format="json").status_code == 404
    assert ids(client.get(url("task-list"))) == []
    missing = client.get(url("task-detail", t.pk + 1000))
    assert missing.status_code == 404 and missing.json() == client.get(task_url(t)).json()
    t.refresh_from_db()
    assert t.status == "open"


def test_leaving_the_case_hides_its_tasks(joint):
    t = task(joint)
    join = Share.objects.get(
        content_type__model="exitcase", object_id=joint.case.pk, to_agency=joint.agencies["community"]
    )
    access.revoke(join, acting_user=joint.users["kommun"], reason="Lämnar ärendet")
    assert client_for(joint.users["community"]).get(task_url(t)).status_code == 404


def test_the_entry_is_named_only_to_those_who_see_it(joint):
    # Police's threat assessment is shared with kommun only; the task is shared with probation too.
    t = task(joint, "Följ upp hotbilden", by="police", to="kommun", entry=joint.entries["police"])
    share_plan(t, joint.agencies["probation"], joint.users["police"])
    assert client_for(joint.users["kommun"]).get(task_url(t)).json()["entry"] == joint.entries["police"].pk
    assert client_for(joint.users["police"]).get(task_url(t)).json()["entry"] == joint.entries["police"].pk
    body = client_for(joint.users["probation"]).get(task_url(t)).json()
    assert body["entry"] is None and body["title"] == "Följ upp hotbilden"
    assert client_for(joint.users["community"]).get(task_url(t)).status_code == 404


# --- filters -------------------------------------------------------------------------------------------------


def test_filters(joint, police_lead):
    mine = task(joint, "Till mig", assignee_user=joint.users["police"])
    agency = task(joint, "Till polisen", days=5)
    colleague = task(joint, "Till chefen", assignee_user=police_lead)
    late = task(joint, "Sen", to="kommun", days=-2)
    done = task(joint, "Klar", to="kommun", days=-3)
    services.task_set_status(task=done, acting_user=joint.users["kommun"], status="done")
    other = exit_case(
        joint.users["kommun"],
        IndividualFactory(owner_agency=joint.agencies["kommun"], created_by=joint.users["kommun"]),
    )
    elsewhere = give_task(
        case=other, acting_user=joint.users["kommun"], title="Annat ärende", assignee_agency=joint.agencies["kommun"],
        due_on=TODAY(),
    )  # fmt: skip

    police = client_for(joint.users["police"])
    # Earliest due first: the tasks given to police (kommun's own tasks and the other case are not police's).
    assert ids(police.get(url("task-list"))) == [mine.pk, colleague.pk, agency.pk]
    assert ids(police.get(url("task-list", mine="true"))) == [mine.pk, agency.pk]
    kommun = client_for(joint.users["kommun"])
    assert ids(kommun.get(url("task-list", overdue="true"))) == [late.pk]
    assert ids(kommun.get(url("task-list", status="done"))) == [done.pk]
    assert ids(kommun.get(url("task-list", case=other.pk))) == [elsewhere.pk]
    # A case the caller may not see is as invalid a filter as a missing one.
    assert police.get(url("task-list", case=other.pk)).status_code == 400
    assert police.get(url("task-list", case=other.pk + 1000)).status_code == 400
    assert police.get(url("task-list", status="nonsense")).status_code == 400


def test_overdue_flag(joint):
    late = task(joint, "Sen", days=-1)
    body = client_for(joint.users["police"]).get(task_url(late)).json()
    assert body["overdue"] is True
    assert client_for(joint.users["kommun"]).get(url("exit-case-detail", joint.case.pk)).json()["overdue_tasks"] == 1


# --- writing -------------------------------------------------------------------------------------------------


def test_create_a_task(joint):
    before = last_log_id()
    response = client_for(joint.users["probation"]).post(
        url("task-list"),
        {"case": joint.case.pk, "title": "Ordna praktikplats", "assignee_agency": "orebro-kommun",
         "due_on": str(TODAY() + timedelta(days=10)), "entry": joint.entries["probation"].pk,
         "legal_basis": "osl-10-2", "assessment": "Kommunen behöver uppgiften för att ordna praktik (fiktivt)."},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert (body["assignee_agency"], body["entry"], body["status"]) == (
        "orebro-kommun",
        joint.entries["probation"].pk,
        "open",
    )
    rows = AccessLogEntry.objects.filter(pk__gt=before).order_by("id")
    assert [(row.action, row.model, row.object_ids) for row in rows][0] == ("create", "cases.task", [body["id"]])
    # Given to kommun, the task was disclosed to it on the basis named, in the register.
    [given] = Share.objects.filter(content_type__model="task", object_id=body["id"])
    assert (given.to_agency.slug, given.level, given.legal_basis.code) == ("orebro-kommun", "change", "osl-10-2")


def test_create_refusals(joint, other_community, outsider):
    base = {"case": joint.case.pk, "title": "x", "due_on": str(TODAY())}
    probation = client_for(joint.users["probation"])
    outside = probation.post(url("task-list"), {**base, "assignee_agency": "ny-start"}, format="json")
    assert outside.status_code == 400 and outside.json()["code"] == "not_participant"
    wrong_user = probation.post(
        url("task-list"),
        {**base, "assignee_agency": "polisen", "assignee_user": joint.users["kommun"].pk},
        format="json",
    )
    assert wrong_user.status_code == 400 and wrong_user.json()["code"] == "assignee_agency"
    # An entry probation may not see is as unknown as a missing one.
    hidden_entry = probation.post(
        url("task-list"), {**base, "assignee_agency": "polisen", "entry": joint.entries["police"].pk}, format="json"
    )
    assert hidden_entry.status_code == 400 and "entry" in hidden_entry.json()
    invisible_case = client_for(outsider).post(url("task-list"), {**base, "assignee_agency": "ny-start"}, format="json")
    assert invisible_case.status_code == 400 and "case" in invisible_case.json()
    # Given to another agency with no basis, or a basis without its assessment: nothing is written.
    no_basis = probation.post(url("task-list"), {**base, "assignee_agency": "polisen"}, format="json")
    assert no_basis.status_code == 400 and no_basis.json()["code"] == "legal_basis_required"
    no_assessment = probation.post(
        url("task-list"), {**base, "assignee_agency": "polisen", "legal_basis": "osl-10-2"}, format="json"
    )
    assert no_assessment.status_code == 400 and no_assessment.json()["code"] == "assessment_required"
    assert not Task.objects.exists()


def test_status_by_the_assignee_or_the_writer_only(joint):
    t = task(joint, to="police")
    # Probation sees it (shared on the view level) but may not change it; unshared it would be a 404.
    share_plan(t, joint.agencies["probation"], joint.users["kommun"])
    refused = client_for(joint.users["probation"]).post(url("task-status", t.pk), {"status": "done"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_assignee"
    before = last_log_id()
    done = client_for(joint.users["police"]).post(url("task-status", t.pk), {"status": "done"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["completed_at"]
    assert new_log(before) == [("change", "cases.task", [t.pk])]
    reopened = client_for(joint.users["kommun"]).post(url("task-status", t.pk), {"status": "open"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["completed_at"] is None
    bad = client_for(joint.users["kommun"]).post(url("task-status", t.pk), {"status": "maybe"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()


# --- the access log ------------------------------------------------------------------------------------------


def test_reads_are_logged_on_the_tasks_and_the_named_entries(joint):
    plain = task(joint, "Utan post")
    with_entry = task(joint, "Med post", by="police", to="kommun", entry=joint.entries["police"])
    kommun = client_for(joint.users["kommun"])
    before = last_log_id()
    kommun.get(url("task-list"))
    rows = AccessLogEntry.objects.filter(pk__gt=before).order_by("id")
    assert [(r.action, r.model) for r in rows] == [("list", "cases.task"), ("list", "cases.caseentry")]
    assert sorted(rows[0].object_ids) == sorted([plain.pk, with_entry.pk])
    assert rows[1].object_ids == [joint.entries["police"].pk]
    assert set(rows[0].targets.values_list("person_id", flat=True)) == {joint.case.individual_id}

    share_plan(with_entry, joint.agencies["probation"], joint.users["police"])
    before = last_log_id()
    client_for(joint.users["probation"]).get(task_url(with_entry))  # probation does not see the entry
    [row] = AccessLogEntry.objects.filter(pk__gt=before)
    assert (row.action, row.model, row.object_ids) == ("view", "cases.task", [with_entry.pk])


# --- query counts ---------------------------------------------------------------------------------------------

# Per request, whatever the number of tasks: session and user with the caller's membership and agency (2), the
# page of tasks with their cases (1), which of their entries the caller may see (1, only when a task has an
# entry), the log entries and their targets (2 for the cases, 2 more when entries are named; each pair one
# statement on PostgreSQL), and the session save (3 inside the test transaction).
TASK_LIST_QUERIES = {"postgresql": 9, "sqlite": 11}


@pytest.mark.parametrize("count", [1, 50])
def test_task_list_query_count_is_the_same_at_1_and_50_tasks(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, count
):
    cases = []
    for _ in range(min(count, 5)):
        case = exit_case(kommun_caseworker, IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker))
        services.case_join(
            case=case,
            to_agency=police,
            legal_basis=basis_for(police),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
        cases.append(case)
    for n in range(count):
        case = cases[n % len(cases)]
        entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title=f"Post {n}")
        give_task(
            case=case, acting_user=police_caseworker, title=f"Uppgift {n}", assignee_agency=police,
            due_on=TODAY() + timedelta(days=n), entry=entry if n % 2 == 0 else None,
        )  # fmt: skip
    client = client_for(police_caseworker)
    client.get(url("task-list"))  # warm up
    with django_assert_num_queries(TASK_LIST_QUERIES[connection.vendor]):
        response = client.get(url("task-list"))
    assert len(response.json()["results"]) == count
