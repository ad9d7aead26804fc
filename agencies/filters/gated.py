"""A list filter that chooses a protected record by search (agencies.forms.gated), never from every row."""

import django_filters

from agencies.forms.gated import GatedChoiceField


class GatedChoiceFilter(django_filters.ModelChoiceFilter):
    """`GatedChoiceFilter(kind="person", queryset=visible_individuals)`: the queryset callable is the gate's,
    so a filter on a record the user may not see is as invalid as one on a record that does not exist."""

    field_class = GatedChoiceField
