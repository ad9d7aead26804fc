"""The kinds of `cases` records a form chooses by search (agencies.choosers): persons, groups, incidents, cases.

Each search narrows a queryset the caller has gated (the form's choices, or the endpoint's
`access.visible_page`), so it never widens what the user may see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import access, choosers
from agencies.choosers import Chooser

from . import selectors
from .models import CriminalGroup, ExitCase, Incident, Individual


def person_label(obj: Individual) -> str:
    parts = [f"{obj.alias} ({obj.birth_year})" if obj.birth_year else obj.alias]
    if obj.district_id:
        parts.append(str(obj.district))
    return ", ".join(parts)


def _person_search(user, queryset: QuerySet, term: str) -> QuerySet:
    # Alias for everyone; a personnummer only among identity details the user may see (None: no one's).
    return selectors.individual_search(user=user, queryset=queryset, term=term)


def incident_label(obj: Incident) -> str:
    place = f", {obj.district}" if obj.district_id else ""
    return f"{obj.get_kind_display()} {timezone.localtime(obj.occurred_at):%Y-%m-%d}{place}"


def _incident_search(user, queryset: QuerySet, term: str) -> QuerySet:
    return queryset.filter(Q(place__icontains=term) | Q(district__name__icontains=term))


def case_label(obj: ExitCase) -> str:
    return f"{obj}: {obj.individual.alias}"


def register() -> None:
    choosers.register(
        Chooser(
            kind="person",
            model=Individual,
            label=person_label,
            search=_person_search,
            base=lambda user: Individual.objects.select_related("district"),
            search_label=_("Sök person (alias eller personnummer)"),
        )
    )
    choosers.register(
        Chooser(
            kind="group",
            model=CriminalGroup,
            label=lambda obj: obj.name,
            search=lambda user, queryset, term: queryset.filter(name__icontains=term),
            base=lambda user: CriminalGroup.objects.all(),
            search_label=_("Sök gruppering (namn)"),
        )
    )
    choosers.register(
        Chooser(
            kind="incident",
            model=Incident,
            label=incident_label,
            search=_incident_search,
            base=lambda user: Incident.objects.select_related("district"),
            search_label=_("Sök händelse (plats eller stadsdel)"),
        )
    )
    choosers.register(
        Chooser(
            kind="exit_case",
            model=ExitCase,
            label=case_label,
            search=lambda user, queryset, term: queryset.filter(individual__alias__icontains=term),
            # The label names the person: offered only where the person is visible too.
            base=lambda user: ExitCase.objects.select_related("individual").filter(
                individual__in=access.visible(user, Individual).values("pk")
            ),
            search_label=_("Sök ärende (personens alias)"),
        )
    )
