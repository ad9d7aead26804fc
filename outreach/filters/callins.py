"""The call-in list's and the invitation list's FilterSets, shared by the HTML pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agencies import bounds

from ..models import CallIn, Invitation
from ._choices import visible_call_ins, visible_groups, visible_individuals


class CallInFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök benämning eller plats"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CallIn.Status.choices)
    starts_from = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Från datum"), field_name="starts_at", lookup_expr="date__gte"
    )
    starts_to = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Till datum"), field_name="starts_at", lookup_expr="date__lte"
    )
    group = django_filters.ModelChoiceFilter(label=_("Gruppering"), queryset=visible_groups, method="calling")

    class Meta:
        model = CallIn
        fields = ["q", "status", "starts_from", "starts_to", "group"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(venue__icontains=value)) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def calling(self, queryset, name, value):
        return queryset.filter(target_groups=value)


class InvitationFilter(django_filters.FilterSet):
    call_in = django_filters.ModelChoiceFilter(label=_("Call-in"), queryset=visible_call_ins)
    individual = django_filters.ModelChoiceFilter(label=_("Person"), queryset=visible_individuals)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Invitation.Status.choices)
    help_requested = django_filters.BooleanFilter(label=_("Bad om hjälp"))

    class Meta:
        model = Invitation
        fields = ["call_in", "individual", "status", "help_requested"]
