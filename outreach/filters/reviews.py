"""The review-meeting list's FilterSet, shared by the HTML list and the API list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies import bounds

from ..models import ReviewMeeting


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewMeeting.Status.choices)
    starts_from = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Från datum"), field_name="starts_at", lookup_expr="date__gte"
    )
    starts_to = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Till datum"), field_name="starts_at", lookup_expr="date__lte"
    )
    q = django_filters.CharFilter(label=_("Sök i beslut och anteckningar"), method="search")

    class Meta:
        model = ReviewMeeting
        fields = ["status", "starts_from", "starts_to", "q"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        return queryset.filter(Q(decisions__icontains=value) | Q(notes__icontains=value)) if value else queryset
