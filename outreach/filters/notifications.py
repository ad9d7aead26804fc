"""The custom-notification list's FilterSet, shared by the HTML list and the API list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies import access, bounds
from cases.models import Individual

from ..models import CustomNotification
from ._choices import visible_individuals


class NotificationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök person (alias)"), method="search")
    individual = django_filters.ModelChoiceFilter(label=_("Person"), queryset=visible_individuals)
    place_type = django_filters.ChoiceFilter(label=_("Plats"), choices=CustomNotification.PlaceType.choices)
    message_delivered = django_filters.ChoiceFilter(
        label=_("Budskapet framfört"), choices=CustomNotification.Delivered.choices
    )
    offer_accepted = django_filters.BooleanFilter(label=_("Erbjudandet antaget"))
    delivered_from = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Från datum"), field_name="delivered_on", lookup_expr="gte"
    )
    delivered_to = django_filters.DateFilter(
        validators=[bounds.SEARCH], label=_("Till datum"), field_name="delivered_on", lookup_expr="lte"
    )

    class Meta:
        model = CustomNotification
        fields = [
            "q",
            "individual",
            "place_type",
            "message_delivered",
            "offer_accepted",
            "delivered_from",
            "delivered_to",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or self.request is None:
            return queryset
        # Only among persons the user may see: an alias search never finds a hidden person's messages.
        people = access.visible(self.request.user, Individual).filter(alias__icontains=value).values("pk")
        return queryset.filter(individual__in=people)
