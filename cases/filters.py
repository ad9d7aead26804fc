"""One FilterSet per list, shared by the HTML list and the API list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies import access

from .models import CriminalGroup, District, GroupMembership, GroupRelation, Incident, IncidentGroup, Individual
from .selectors import individual_search, visible_relations


class IndividualFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök (alias eller personnummer)"), method="search")
    district = django_filters.ModelChoiceFilter(label=_("Stadsdel"), queryset=District.objects.filter(active=True))
    birth_year = django_filters.NumberFilter(label=_("Födelseår"))

    class Meta:
        model = Individual
        fields = ["q", "district", "birth_year"]

    def search(self, queryset, name, value):
        return individual_search(user=self.request.user, queryset=queryset, term=value)


def _visible_groups(request):
    # The choices themselves go through the gate: an invisible group is as invalid a choice as a missing one.
    if request is None:
        return CriminalGroup.objects.none()
    return access.visible(request.user, CriminalGroup).order_by("name")


def _visible_individuals(request):
    if request is None:
        return Individual.objects.none()
    return access.visible(request.user, Individual)


class GroupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök namn"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CriminalGroup.Status.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("Stadsdel"), queryset=District.objects.filter(active=True), field_name="districts"
    )
    relation = django_filters.ChoiceFilter(
        label=_("Har relation"), choices=GroupRelation.Kind.choices, method="with_relation"
    )

    class Meta:
        model = CriminalGroup
        fields = ["q", "status", "district", "relation"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(aliases__icontains=value))

    def with_relation(self, queryset, name, value):
        relations = visible_relations(self.request.user).filter(kind=value, status__in=["active", "dormant"])
        return queryset.filter(Q(pk__in=relations.values("group_a")) | Q(pk__in=relations.values("group_b")))


class RelationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=GroupRelation.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GroupRelation.Status.choices)
    group = django_filters.ModelChoiceFilter(label=_("Gruppering"), queryset=_visible_groups, method="involving")

    class Meta:
        model = GroupRelation
        fields = ["kind", "status", "group"]

    def involving(self, queryset, name, value):
        return queryset.filter(Q(group_a=value) | Q(group_b=value))


class MembershipFilter(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(label=_("Gruppering"), queryset=_visible_groups)
    individual = django_filters.ModelChoiceFilter(label=_("Person"), queryset=_visible_individuals)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GroupMembership.Status.choices)
    confidence = django_filters.ChoiceFilter(label=_("Säkerhet"), choices=GroupMembership.Confidence.choices)
    role = django_filters.ChoiceFilter(label=_("Roll"), choices=GroupMembership.Role.choices)

    class Meta:
        model = GroupMembership
        fields = ["group", "individual", "status", "confidence", "role"]


class IncidentFilter(django_filters.FilterSet):
    occurred_from = django_filters.DateFilter(label=_("Från datum"), field_name="occurred_at", lookup_expr="date__gte")
    occurred_to = django_filters.DateFilter(label=_("Till datum"), field_name="occurred_at", lookup_expr="date__lte")
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=Incident.Kind.choices)
    district = django_filters.ModelChoiceFilter(label=_("Stadsdel"), queryset=District.objects.filter(active=True))
    group = django_filters.ModelChoiceFilter(label=_("Gruppering"), queryset=_visible_groups, method="involving")

    class Meta:
        model = Incident
        fields = ["occurred_from", "occurred_to", "kind", "district", "group"]

    def involving(self, queryset, name, value):
        return queryset.filter(pk__in=IncidentGroup.objects.filter(group=value).values("incident"))
