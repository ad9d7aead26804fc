"""The incident list's FilterSet, shared by the HTML list and the API list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.filters.gated import GatedChoiceFilter

from ..models import District, Incident, IncidentGroup
from ._choices import visible_groups


class IncidentFilter(django_filters.FilterSet):
    # The incident's own text only: matching on the groups or persons involved would reveal a link the
    # user may not see (the involvements have their own gate).
    q = django_filters.CharFilter(label=_("Sök plats, stadsdel eller sammanfattning"), method="search")
    occurred_from = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Från datum"), field_name="occurred_at", lookup_expr="date__gte"
    )
    occurred_to = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Till datum"), field_name="occurred_at", lookup_expr="date__lte"
    )
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=Incident.Kind.choices)
    district = django_filters.ModelChoiceFilter(label=_("Stadsdel"), queryset=District.objects.filter(active=True))
    group = GatedChoiceFilter(kind="group", label=_("Gruppering"), queryset=visible_groups, method="involving")

    class Meta:
        model = Incident
        fields = ["q", "occurred_from", "occurred_to", "kind", "district", "group"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(place__icontains=value) | Q(summary__icontains=value) | Q(district__name__icontains=value)
        )

    def involving(self, queryset, name, value):
        return queryset.filter(pk__in=IncidentGroup.objects.filter(group=value).values("incident"))
