"""Plans owned per agency: who sees a goal or task of the joint case, in the case page, the task lists and the API.

The joint case (joint_case.py) is led by kommun; police, Kriminalvården and a community partner take part; the
outsider takes part in nothing. Kommun writes a goal and gives police a task; the joint plan is what kommun then
shares with a participant, on a basis. Each viewer is asked in every place the plan shows up.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.errors import ApplicationError
from agencies.models import Share
from agencies.tests.factories import legal_basis
from cases import services
from cases.models import PlanGoal, Task
from cases.tests.factories import give_task, share_plan
from cases.tests.joint_case import client_for, ids, joint_fixture, url  # noqa: F401

pytestmark = pytest.mark.django_db

GOAL = "Tryggt boende i annan kommun (fiktivt)"
TASK = "Boka samtal om hotbilden (fiktivt)"


@pytest.fixture
def plan(joint):
    goal = services.goal_add(case=joint.case, acting_user=joint.users["kommun"], description=GOAL)
    task = give_task(
        case=joint.case,
        acting_user=joint.users["kommun"],
        title=TASK,
        assignee_agency=joint.agencies["police"],
        due_on=timezone.localdate() + timedelta(days=4),
        goal=goal,
    )
    return goal, task


def share_with(joint, record, name: str) -> Share:
    agency = joint.agencies[name]
    return share_plan(record, agency, joint.users["kommun"])


def case_page(joint, name: str) -> str:
    client = client_for(joint.users[name])
    response = client.get(reverse("exit-case-detail", kwargs={"pk": joint.case.pk}))
    return response.content.decode() if response.status_code == 200 else f"<{response.status_code}>"


def task_lists(joint, name: str) -> str:
    client = client_for(joint.users[name])
    return client.get(reverse("my-tasks")).content.decode()


def api_ids(joint, name: str, route: str) -> list[int]:
    response = client_for(joint.users[name]).get(url(route))
    return ids(response) if response.status_code == 200 else []


# (viewer, sees the goal, sees the task) before anything of the plan is shared.
UNSHARED = [
    ("kommun", True, True),  # the owner
    ("police", False, True),  # the assignee: the task was given to it on a basis
    ("probation", False, False),  # a participant with no share of the plan
    ("community", False, False),
    ("outsider", False, False),  # outside the case
]


@pytest.mark.parametrize(("name", "sees_goal", "sees_task"), UNSHARED)
def test_who_sees_the_plan_before_it_is_shared(joint, plan, name, sees_goal, sees_task):
    goal, task = plan
    page = case_page(joint, name)
    assert (GOAL in page) is sees_goal
    assert (TASK in page) is sees_task
    assert (goal.pk in api_ids(joint, name, "plan-goal-list")) is sees_goal
    assert (task.pk in api_ids(joint, name, "task-list")) is sees_task
    detail = client_for(joint.users[name]).get(url("plan-goal-detail", goal.pk))
    assert detail.status_code == (200 if sees_goal else 404)
    detail = client_for(joint.users[name]).get(url("task-detail", task.pk))
    assert detail.status_code == (200 if sees_task else 404)
    # The task lists: the assignee finds the task there; nobody else but its writer has it at all.
    assert (TASK in task_lists(joint, name)) is (name == "police")
    if name == "police":
        # The assignee sees the task but not the goal it belongs to, which was not shared with it.
        assert client_for(joint.users[name]).get(url("task-detail", task.pk)).json()["goal"] is None
        assert "Mål: " not in page


@pytest.mark.parametrize("name", ["probation", "community"])
def test_a_participant_sees_the_joint_plan_once_it_is_shared_with_provenance(joint, plan, name):
    goal, task = plan
    record = share_with(joint, goal, name)
    share_with(joint, task, name)
    page = case_page(joint, name)
    assert GOAL in page and TASK in page
    assert f"Utlämnad till er av {joint.agencies['kommun'].name}" in page and record.legal_basis.name in page
    body = client_for(joint.users[name]).get(url("plan-goal-detail", goal.pk)).json()
    [origin] = body["provenance"]
    assert (origin["from_agency"], origin["legal_basis"], origin["share"]) == (
        "orebro-kommun",
        record.legal_basis.code,
        record.pk,
    )
    # The task now names its goal too: the participant sees both.
    assert client_for(joint.users[name]).get(url("task-detail", task.pk)).json()["goal"] == goal.pk
    # The other participants still see nothing of it, nor does the outsider.
    for other in {"probation", "community", "outsider"} - {name}:
        assert GOAL not in case_page(joint, other)


def test_a_participant_cannot_change_a_shared_goal_nor_task_unless_given_the_change_level(joint, plan):
    goal, task = plan
    share_with(joint, goal, "probation")
    share_with(joint, task, "probation")
    probation = joint.users["probation"]
    with pytest.raises(ApplicationError) as refused:
        services.goal_set_status(goal=goal, acting_user=probation, status=PlanGoal.Status.MET)
    assert refused.value.code == "not_goal_owner"
    with pytest.raises(ApplicationError) as refused:
        services.task_set_status(task=task, acting_user=probation, status=Task.Status.DONE)
    assert refused.value.code == "not_assignee"
    api = client_for(probation)
    assert api.post(url("plan-goal-status", goal.pk), {"status": "met"}, format="json").status_code == 403
    assert api.post(url("task-status", task.pk), {"status": "done"}, format="json").status_code == 400
    goal.refresh_from_db()
    task.refresh_from_db()
    assert (goal.status, task.status) == (PlanGoal.Status.OPEN, Task.Status.OPEN)
    # The assignee may mark the task done (it was given on the change level), not the goal.
    assert services.task_set_status(task=task, acting_user=joint.users["police"], status="done").status == "done"
    # An outsider is told nothing: 404 as for a goal that does not exist.
    outsider = client_for(joint.users["outsider"])
    assert outsider.post(url("plan-goal-status", goal.pk), {"status": "met"}, format="json").status_code == 404


def test_revoking_the_share_hides_the_goal_again(joint, plan):
    goal, _task = plan
    record = share_with(joint, goal, "probation")
    assert GOAL in case_page(joint, "probation")
    from agencies import access

    access.revoke(record, acting_user=joint.users["kommun"], reason="Planen delas inte längre (fiktivt).")
    assert GOAL not in case_page(joint, "probation")
    assert client_for(joint.users["probation"]).get(url("plan-goal-detail", goal.pk)).status_code == 404


def test_a_goal_or_task_goes_only_to_a_participant_and_only_by_its_owner(joint, plan, other_community):
    goal, task = plan
    with pytest.raises(ApplicationError) as outside:
        services.plan_share(
            record=goal,
            to_agency=other_community,
            legal_basis=legal_basis("samtycke"),
            acting_user=joint.users["kommun"],
        )
    assert outside.value.code == "not_participant"
    with pytest.raises(ApplicationError) as not_owner:
        share_plan(task, joint.agencies["probation"], joint.users["police"])
    assert not_owner.value.code == "not_owner"
    # The community partner receives on consent or what no secrecy covers — never on an OSL provision.
    with pytest.raises(ApplicationError) as osl:
        services.plan_share(
            record=goal,
            to_agency=joint.agencies["community"],
            legal_basis=legal_basis("osl-10-2"),
            assessment="Fiktivt.",
            acting_user=joint.users["kommun"],
        )
    assert osl.value.code == "legal_basis_not_fitting"


def test_giving_a_task_to_another_agency_needs_a_fitting_basis_and_writes_nothing_without_one(joint):
    base = {
        "case": joint.case,
        "acting_user": joint.users["kommun"],
        "title": "Utan grund (fiktivt)",
        "due_on": timezone.localdate() + timedelta(days=2),
    }
    with pytest.raises(ApplicationError) as missing:
        services.task_add(**base, assignee_agency=joint.agencies["police"])
    assert missing.value.code == "legal_basis_required"
    with pytest.raises(ApplicationError) as osl:
        services.task_add(
            **base, assignee_agency=joint.agencies["community"], legal_basis=legal_basis("osl-10-2"), assessment="x"
        )
    assert osl.value.code == "legal_basis_not_fitting"
    assert not Task.objects.exists()
    # The agency's own task needs no basis: nothing leaves it.
    own = services.task_add(**base, assignee_agency=joint.agencies["kommun"])
    assert not Share.objects.filter(content_type__model="task", object_id=own.pk).exists()


def test_the_case_page_form_asks_for_the_basis_of_a_task_for_another_agency(client, joint):
    client.force_login(joint.users["kommun"])
    target = reverse("exit-case-task-add", kwargs={"pk": joint.case.pk})
    form = client.get(target).content.decode()
    assert 'name="legal_basis"' in form and 'name="assessment"' in form
    # A basis for social services to police only (OSL 10:18 a) is offered, but never one outside the law's reach.
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    post = {"title": "Ring polisen (fiktivt)", "assignee_agency": joint.agencies["police"].pk, "due_on": due}
    refused = client.post(target, post)
    assert refused.status_code == 200 and "välj den rättsliga grunden" in refused.content.decode()
    basis = legal_basis("osl-10-2")
    no_text = client.post(target, {**post, "legal_basis": basis.pk})
    assert "kräver en skriftlig bedömning" in no_text.content.decode()
    assert not Task.objects.exists()
    done = client.post(target, {**post, "legal_basis": basis.pk, "assessment": "Polisen behöver veta (fiktivt)."})
    assert done.status_code == 302
    [given] = Share.objects.filter(content_type__model="task")
    assert (given.to_agency_id, given.level, given.assessment) == (
        joint.agencies["police"].pk,
        "change",
        "Polisen behöver veta (fiktivt).",
    )


def test_the_share_dialog_of_a_goal_is_the_owners_and_another_agency_gets_404(client, joint, plan):
    goal, task = plan
    for name, route, pk in (("plan-goal-share", "goal", goal.pk), ("plan-task-share", "task", task.pk)):
        target = reverse(name, kwargs={"pk": pk})
        client.force_login(joint.users["kommun"])
        page = client.get(target)
        assert page.status_code == 200, route
        # Only participants are offered as receivers; the outsider's agency is not among them.
        assert joint.agencies["probation"].name in page.content.decode()
        for other in ("probation", "outsider"):
            client.force_login(joint.users[other])
            assert client.get(target).status_code == 404, (route, other)


def test_the_joint_plan_goes_with_the_case_in_one_decision(joint, plan):
    goal, task = plan
    kommun = client_for(joint.users["kommun"])
    response = kommun.post(
        url("exit-case-disclosures", joint.case.pk),
        {
            "to_agency": "kriminalvarden",
            "records": [f"plan_goal:{goal.pk}", f"task:{task.pk}"],
            "legal_basis": "osl-10-2",
            "assessment": "Planen behövs för frivårdens insatser (fiktivt).",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert GOAL in case_page(joint, "probation") and TASK in case_page(joint, "probation")
