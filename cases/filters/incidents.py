"""The incident list's FilterSet, shared by the HTML list and the API list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies import bounds

from ..models import District, Incident, IncidentGroup
from ._choices import visible_groups


class IncidentFilter(django_filters.FilterSet):
    occurred_from = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Från datum"), field_name="occurred_at", lookup_expr="date__gte"
    )
    occurred_to = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Till datum"), field_name="occurred_at", lookup_expr="date__lte"
    )
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=Incident.Kind.choices)
    district = django_filters.ModelChoiceFilter(label=_("Stadsdel"), queryset=District.objects.filter(active=True))
    group = django_filters.ModelChoiceFilter(label=_("Gruppering"), queryset=visible_groups, method="involving")

    class Meta:
        model = Incident
        fields = ["occurred_from", "occurred_to", "kind", "district", "group"]

    def involving(self, queryset, name, value):
        return queryset.filter(pk__in=IncidentGroup.objects.filter(group=value).values("incident"))
