"""One FilterSet per list: the access log's, shared by the lead's page (and a later API endpoint)."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from .. import access, bounds
from ..models import AccessLogEntry, AccessLogTarget, Action
from ..selectors import agency_users, start_of_day


def _users_of_my_agency(request):
    # Only the lead's own colleagues can be chosen: a user of another agency is an invalid choice.
    actor = access.actor_for(getattr(request, "user", None))
    if actor is None:
        return agency_users(agency_id=0).none()
    return agency_users(agency_id=actor.agency_id)


class UserChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


class IdFilter(django_filters.NumberFilter):
    # A record id is a whole number (NumberFilter's DecimalField would take 1.5 and render step="any").
    field_class = forms.IntegerField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AccessLogFilter(django_filters.FilterSet):
    """Filters a queryset that is already the agency's own log (selectors.access_log_entries)."""

    user = UserFilter(label=_("Användare"), queryset=_users_of_my_agency, empty_label=_("Alla användare"))
    person = IdFilter(
        label=_("Person-id"),
        method="filter_person",
        min_value=1,
        help_text=_("Visar allt som rör personen, även identitetsuppgifter."),
    )
    action = django_filters.ChoiceFilter(label=_("Händelse"), choices=Action.choices, empty_label=_("Alla händelser"))
    # Bounded (agencies.bounds.SEARCH): a day like 0001-01-01 or 9999-12-31 is a form error, not a 500 in
    # the day arithmetic below.
    date_from = django_filters.DateFilter(
        label=_("Från och med"), method="filter_date_from", widget=DateInput, validators=[bounds.SEARCH]
    )
    date_to = django_filters.DateFilter(
        label=_("Till och med"), method="filter_date_to", widget=DateInput, validators=[bounds.SEARCH]
    )

    class Meta:
        model = AccessLogEntry
        fields = ["user", "person", "action", "date_from", "date_to"]

    def filter_person(self, queryset, name, value):
        # A semi-join on the targets' (person_id, entry) index; no JOIN, so no duplicate entries.
        return queryset.filter(pk__in=AccessLogTarget.objects.filter(person_id=value).values("entry_id"))

    # Dates are whole local days, compared as a range on `at` so the (agency, -at) index stays usable
    # (an `at__date` lookup would convert every row's time zone first).
    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=start_of_day(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=start_of_day(value + timedelta(days=1)))
