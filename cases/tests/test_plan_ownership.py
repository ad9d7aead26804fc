"""Plan goals and tasks belong to the agency that wrote them (issue 9): only it changes a goal; only it or the
assignee agency changes a task — the service, the page and the API say the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.errors import ApplicationError
from agencies.tests.factories import basis_for
from cases import services
from cases.models import PlanGoal, Task
from cases.tests.factories import give_task, share_plan

from .factories import IndividualFactory, exit_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(kommun, police, probation, kommun_caseworker):
    case = exit_case(kommun_caseworker, IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker))
    for agency in (police, probation):
        services.case_join(
            case=case,
            to_agency=agency,
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    return case


def test_goals_and_tasks_belong_to_the_agency_that_wrote_them(case, kommun, police, police_caseworker):
    goal = services.goal_add(case=case, acting_user=police_caseworker, description="Polisens mål (fiktivt)")
    task = give_task(
        case=case,
        acting_user=police_caseworker,
        title="Hotbedömning (fiktiv)",
        assignee_agency=kommun,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    assert goal.owner_agency == police and task.owner_agency == police


def test_a_participant_cannot_change_another_agencys_goal(
    client, case, kommun_caseworker, police_caseworker, probation_caseworker
):
    goal = services.goal_add(case=case, acting_user=kommun_caseworker, description="Tryggt boende (fiktivt)")
    # Unshared, the goal does not exist for the others.
    with pytest.raises(ApplicationError) as hidden:
        services.goal_set_status(goal=goal, acting_user=police_caseworker, status=PlanGoal.Status.MET)
    assert hidden.value.code == "not_found"
    # Shared as the joint plan (to read), the others see it but still may not change it.
    for user in (police_caseworker, probation_caseworker):
        agency = user.membership.agency
        share_plan(goal, agency, kommun_caseworker)
    for user in (police_caseworker, probation_caseworker):
        with pytest.raises(ApplicationError) as refused:
            services.goal_set_status(goal=goal, acting_user=user, status=PlanGoal.Status.MET)
        assert refused.value.code == "not_goal_owner"
        assert "Endast den myndighet som skrev målet" in refused.value.message
    # The page offers the change to the owner only, and refuses a forged post with the same words.
    detail = reverse("exit-case-detail", kwargs={"pk": case.pk})
    status_url = reverse("exit-case-goal-status", kwargs={"pk": case.pk, "goal_pk": goal.pk})
    client.force_login(police_caseworker)
    assert status_url not in client.get(detail).content.decode()
    page = client.post(status_url, {"status": "met"}, follow=True).content.decode()
    assert "Endast den myndighet som skrev målet kan ändra det." in page
    goal.refresh_from_db()
    assert goal.status == PlanGoal.Status.OPEN
    client.force_login(kommun_caseworker)
    assert status_url in client.get(detail).content.decode()
    assert client.post(status_url, {"status": "met"}).status_code == 302
    goal.refresh_from_db()
    assert goal.status == PlanGoal.Status.MET


def test_a_task_is_changed_by_its_writer_or_its_assignee_only(
    case, kommun, police, kommun_caseworker, police_caseworker, probation_caseworker
):
    def task():
        return give_task(
            case=case,
            acting_user=police_caseworker,
            title="Ordna möte (fiktivt)",
            assignee_agency=kommun,
            due_on=timezone.localdate() + timedelta(days=3),
        )

    # A third participant — and the case's lead agency, when it neither wrote it nor is assigned — may not.
    lone = give_task(
        case=case,
        acting_user=police_caseworker,
        title="Polisens egen uppgift (fiktiv)",
        assignee_agency=police,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    for user in (probation_caseworker, kommun_caseworker):
        with pytest.raises(ApplicationError):
            services.task_set_status(task=lone, acting_user=user, status=Task.Status.DONE)
    api = APIClient()
    api.force_login(probation_caseworker)
    refused = api.post(reverse("api:task-status", args=[lone.pk]), {"status": "done"}, format="json")
    assert refused.status_code == 404  # not shared with probation: as missing as a task that does not exist
    lone.refresh_from_db()
    assert lone.status == Task.Status.OPEN
    # The writer and the assignee may.
    assert services.task_set_status(task=task(), acting_user=police_caseworker, status="done").status == "done"
    assert services.task_set_status(task=task(), acting_user=kommun_caseworker, status="done").status == "done"
