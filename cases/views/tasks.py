"""Task lists: "Mina uppgifter" for everyone, "Våra uppgifter" for an agency's lead, and marking one done.

Other apps add their own kinds of task beside the case tasks (cases.extensions.my_tasks / agency_tasks).

A task is the protected record of the agency that wrote it: seen by it, by the assignee agency and by the
participants it was shared with, on a case they may see (cases.selectors.visible_tasks); the entry it
belongs to is named only to those who may see that entry. The lists are bounded per
agency (open tasks only), so a numbered Paginator is fine here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import extensions, selectors, services
from ..models import CaseEntry, Task
from ._common import forbidden, member_required

PAGE_SIZE = 25


@dataclass
class TaskRow:
    task: Task
    # The entry the task belongs to, when the user may see it; else None (and nothing about it is shown).
    entry: CaseEntry | None
    can_change: bool
    # Whether the user may see the person the case is about (else the alias is not shown).
    person_visible: bool


def _rows(request: HttpRequest, actor: Actor, tasks: list[Task]) -> list[TaskRow]:
    """The page's rows, and its log entries: the tasks shown, and the entries named."""
    seen_entries = selectors.task_entry_visible(request.user, tasks)  # one query, none without entries
    changeable = access.can_each(request.user, tasks, "change")  # one query at most
    people = selectors.visible_case_people(request.user, [task.case for task in tasks])  # one query
    rows = []
    for task in tasks:
        entry = task.entry if task.entry_id in seen_entries else None
        if entry is not None:
            # A task's entry is on the task's own case (services.task_add); reuse the loaded case so the
            # log row's person costs no query per entry.
            entry.case = task.case
        can_change = task.pk in changeable
        rows.append(
            TaskRow(task=task, entry=entry, can_change=can_change, person_visible=task.case.individual_id in people)
        )
    audit.record_list(user=request.user, agency_id=actor.agency_id, model=Task, objects=tasks)
    entries = [row.entry for row in rows if row.entry is not None]
    if entries:
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=CaseEntry, objects=entries)
    return rows


def _task_page(
    request: HttpRequest, actor: Actor, tasks: QuerySet[Task], template: str, sources: extensions.Sections
) -> HttpResponse:
    page_obj = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(request, actor, list(page_obj.object_list))
    # Beside the case tasks: the other apps' (outreach: the weekly review's actions), each through the gate.
    sections = sources.render(request.user, actor)
    return render(request, template, {"page_obj": page_obj, "rows": rows, "actor": actor, "sections": sections})


@require_GET
@member_required
def my_tasks(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    return _task_page(request, actor, selectors.my_tasks(request.user), "cases/task_mine.html", extensions.my_tasks)


@require_GET
@member_required
def agency_tasks(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    if not actor.is_lead:
        return forbidden(
            request,
            _("Våra uppgifter visar alla myndighetens uppgifter och är bara för chefer och samordnare."),
            back_url=reverse("my-tasks"),
            back_label=_("Till mina uppgifter"),
        )
    return _task_page(
        request, actor, selectors.agency_tasks(request.user), "cases/task_agency.html", extensions.agency_tasks
    )


@require_POST
@member_required
def task_status(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    # Only tasks the user may see; any other is a 404, the same as a missing one.
    task = selectors.visible_tasks(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    back = _next_url(request) or reverse("my-tasks")
    status = request.POST.get("status") or Task.Status.DONE
    try:
        services.task_set_status(task=task, acting_user=request.user, status=status)
    except ApplicationError as exc:
        if exc.code == "not_assignee":
            return forbidden(request, exc.message, back_url=back, back_label=_("Tillbaka till uppgifterna"))
        messages.error(request, exc.message)
    else:
        if status == Task.Status.DONE:
            messages.success(request, _("Uppgiften ”%(title)s” är klar.") % {"title": task.title})
        else:
            messages.success(
                request,
                _("Uppgiften ”%(title)s” har nu status %(status)s.")
                % {"title": task.title, "status": task.get_status_display().lower()},
            )
    return redirect(back)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
