"""Reminder e-mails for tasks due in two days and for overdue tasks — each at most once per threshold.

The once-only guarantee is a unique row (TaskReminder) written in the same transaction as the decision to
send, and the mail leaves only after that transaction commits: running the job twice, or two workers at
once, sends nothing twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Role

from ..models import Task, TaskReminder

DUE_SOON_DAYS = 2


def _recipients(task: Task) -> list[str]:
    # The assignee if named; otherwise the assignee agency's leads, who hand the task out. Either way only
    # people of the agency the task is for: the reminder acts for that agency.
    assignee = task.assignee_user
    if assignee is not None and assignee.email:
        return [assignee.email]
    leads = (
        get_user_model()
        .objects.filter(membership__agency_id=task.assignee_agency_id, membership__role=Role.LEAD, is_active=True)
        .exclude(email="")
    )
    return sorted(leads.values_list("email", flat=True))


def _message(task: Task, threshold: str) -> tuple[str, str]:
    # Only what the recipient's agency already sees: the task itself and the case number (a participant's view).
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("exit-case-detail", kwargs={"pk": task.case_id})
    if threshold == TaskReminder.Threshold.DUE_SOON:
        subject = _("Påminnelse: uppgift förfaller %(due)s") % {"due": task.due_on.isoformat()}
    else:
        subject = _("Försenad uppgift (skulle vara klar %(due)s)") % {"due": task.due_on.isoformat()}
    body = _("Uppgift: %(title)s\nÄrende: %(case)s\nKlar senast: %(due)s\n\n%(url)s\n") % {
        "title": task.title,
        "case": task.case_id,
        "due": task.due_on.isoformat(),
        "url": url,
    }
    return subject, body


def _remind(task: Task, threshold: str) -> bool:
    recipients = _recipients(task)
    try:
        with transaction.atomic():
            TaskReminder.objects.create(task=task, threshold=threshold, recipients=recipients)
            if recipients:
                subject, body = _message(task, threshold)
                transaction.on_commit(
                    lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
                )
    except IntegrityError:
        return False  # already reminded for this threshold, by an earlier or a parallel run
    return True


def send_task_reminders(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    open_tasks = Task.objects.filter(status=Task.Status.OPEN).select_related("assignee_user")
    due_soon = open_tasks.filter(due_on__gt=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)).exclude(
        reminders__threshold=TaskReminder.Threshold.DUE_SOON
    )
    overdue = open_tasks.filter(due_on__lt=today).exclude(reminders__threshold=TaskReminder.Threshold.OVERDUE)
    sent = {"due_soon": 0, "overdue": 0}
    for key, threshold, tasks in (
        ("due_soon", TaskReminder.Threshold.DUE_SOON, due_soon),
        ("overdue", TaskReminder.Threshold.OVERDUE, overdue),
    ):
        for task in tasks:
            sent[key] += _remind(task, threshold)
    return sent
