"""The home page's parts that `cases` owns (registered in agencies.extensions.home_page): my tasks due, my
cases, and for a lead the agency's overdue tasks. Each reads through the gate and logs what it shows."""

from __future__ import annotations

from django.utils import timezone

from agencies import access, audit, extensions
from agencies.access import Actor

from . import selectors
from .models import ExitCase, Task

HOME_LIMIT = 10


def _with_people(user, actor: Actor, tasks: list[Task]) -> dict:
    """The tasks, logged, and which of their cases' persons the user may see (one query)."""
    cases = list({task.case_id: task.case for task in tasks}.values())
    people = selectors.visible_case_people(user, cases)
    if tasks:
        audit.record_list(user=user, agency_id=actor.agency_id, model=Task, objects=tasks)
    return {"tasks": tasks, "people": people}


def my_tasks_due(user, actor: Actor) -> dict:
    """The user's open tasks (theirs, or their agency's with no one named), overdue first, then by due date."""
    return _with_people(user, actor, list(selectors.my_tasks(user)[:HOME_LIMIT]))


def agency_overdue_tasks(user, actor: Actor) -> dict | None:
    """A lead's part: the agency's open tasks past their due date, oldest first."""
    if not actor.is_lead:
        return None
    overdue = selectors.agency_tasks(user).filter(due_on__lt=timezone.localdate())
    return _with_people(user, actor, list(overdue[:HOME_LIMIT]))


def my_open_cases(user, actor: Actor) -> dict:
    """The open cases the user works on, newest first, from the gate's list path; logged when there are any."""
    page = access.visible_page(user, ExitCase, within=selectors.my_cases(user), size=HOME_LIMIT, log=False)
    if page.items:
        audit.record_list(user=user, agency_id=actor.agency_id, model=ExitCase, objects=page.items)
    people = selectors.visible_case_people(user, page.items)
    return {"cases": page.items, "more": page.next_cursor is not None, "people": people}


def register() -> None:
    extensions.home_page.register("cases.my_tasks", "cases/_sections/home_tasks.html", my_tasks_due, order=10)
    extensions.home_page.register("cases.my_cases", "cases/_sections/home_cases.html", my_open_cases, order=20)
    extensions.home_page.register(
        "cases.agency_overdue", "cases/_sections/home_overdue.html", agency_overdue_tasks, order=30
    )
