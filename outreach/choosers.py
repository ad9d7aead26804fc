"""The kinds of `outreach` records a form chooses by search (agencies.choosers): call-ins, custom notifications."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import access, choosers
from agencies.choosers import Chooser
from cases.models import Individual

from .models import CallIn, CustomNotification


def call_in_label(obj: CallIn) -> str:
    return f"{obj.title} ({timezone.localtime(obj.starts_at):%Y-%m-%d})"


def notification_label(obj: CustomNotification) -> str:
    return f"{obj.individual.alias}, {obj.delivered_on:%Y-%m-%d}"


def register() -> None:
    choosers.register(
        Chooser(
            kind="call_in",
            model=CallIn,
            label=call_in_label,
            search=lambda user, queryset, term: queryset.filter(title__icontains=term),
            base=lambda user: CallIn.objects.all(),
            search_label=_("Sök call-in (benämning)"),
        )
    )
    choosers.register(
        Chooser(
            kind="notification",
            model=CustomNotification,
            label=notification_label,
            search=lambda user, queryset, term: queryset.filter(individual__alias__icontains=term),
            # The label names the person: offered only where the person is visible too.
            base=lambda user: CustomNotification.objects.select_related("individual").filter(
                individual__in=access.visible(user, Individual).values("pk")
            ),
            search_label=_("Sök samtal (personens alias)"),
        )
    )
