"""The enforcement-response list's FilterSet, shared by the HTML list and the API list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies import bounds

from ..models import EnforcementResponse
from ._choices import visible_groups


class ResponseFilter(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(label=_("Gruppering"), queryset=visible_groups)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnforcementResponse.Status.choices)
    communicated = django_filters.BooleanFilter(label=_("Återkopplad till grupperna"))
    decided_from = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Från datum"), field_name="decided_on", lookup_expr="gte"
    )
    decided_to = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Till datum"), field_name="decided_on", lookup_expr="lte"
    )

    class Meta:
        model = EnforcementResponse
        fields = ["group", "status", "communicated", "decided_from", "decided_to"]
