"""The group registry's FilterSets (groups, relations, memberships), shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.filters.gated import GatedChoiceFilter

from ..models import CriminalGroup, District, GroupMembership, GroupRelation
from ..selectors import visible_relations
from ._choices import visible_groups, visible_individuals


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
    group = GatedChoiceFilter(kind="group", label=_("Gruppering"), queryset=visible_groups, method="involving")

    class Meta:
        model = GroupRelation
        fields = ["kind", "status", "group"]

    def involving(self, queryset, name, value):
        return queryset.filter(Q(group_a=value) | Q(group_b=value))


class MembershipFilter(django_filters.FilterSet):
    group = GatedChoiceFilter(kind="group", label=_("Gruppering"), queryset=visible_groups)
    individual = GatedChoiceFilter(kind="person", label=_("Person"), queryset=visible_individuals)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GroupMembership.Status.choices)
    confidence = django_filters.ChoiceFilter(label=_("Säkerhet"), choices=GroupMembership.Confidence.choices)
    role = django_filters.ChoiceFilter(label=_("Roll"), choices=GroupMembership.Role.choices)

    class Meta:
        model = GroupMembership
        fields = ["group", "individual", "status", "confidence", "role"]
