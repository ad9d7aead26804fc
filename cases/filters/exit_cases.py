"""The case list's FilterSet, shared by the HTML list and the API list.

The person search goes through the gate twice over: an alias matches only among persons the user may see,
and a personnummer only among identity details the user may see (cases.selectors.individual_search), so a
search never finds a case by a detail the user could not have read.
"""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import access
from agencies.models import Agency

from ..models import ExitCase, Individual, Phase, Task
from ..selectors import individual_search


class ExitCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök person (alias eller personnummer)"), method="search")
    phase = django_filters.ChoiceFilter(label=_("Fas"), choices=Phase.choices, empty_label=_("Alla faser"))
    lead_agency = django_filters.ModelChoiceFilter(
        label=_("Ansvarig myndighet"),
        queryset=Agency.objects.filter(active=True).order_by("name"),
        empty_label=_("Alla myndigheter"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Försenade uppgifter"),
        method="with_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = ExitCase
        fields = ["q", "phase", "lead_agency", "overdue"]

    def search(self, queryset, name, value):
        if self.request is None:
            return queryset.none()
        user = self.request.user
        persons = individual_search(user=user, queryset=access.visible(user, Individual), term=value)
        return queryset.filter(individual__in=persons.values("pk"))

    def with_overdue(self, queryset, name, value):
        # An EXISTS rather than a filter on the overdue count, so the gate's branches stay plain semi-joins.
        overdue = Task.objects.filter(case=OuterRef("pk"), status=Task.Status.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(Exists(overdue)) if value else queryset.exclude(Exists(overdue))
