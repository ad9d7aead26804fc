"""The person list's FilterSet, shared by the HTML list and the API list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import District, Individual
from ..selectors import individual_search


class IndividualFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök (alias eller personnummer)"), method="search")
    district = django_filters.ModelChoiceFilter(label=_("Stadsdel"), queryset=District.objects.filter(active=True))
    birth_year = django_filters.NumberFilter(label=_("Födelseår"))

    class Meta:
        model = Individual
        fields = ["q", "district", "birth_year"]

    def search(self, queryset, name, value):
        return individual_search(user=self.request.user, queryset=queryset, term=value)
