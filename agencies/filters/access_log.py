"""One FilterSet per list: the access log's, shared by the lead's page and its CSV export.

Filters by user (of the lead's own agency), by person (an alias, or a personnummer where the lead may see the
person's identity details — searched through the gate, and the search itself logged), by kind of record, by
event and by period. Bad input is a form error in Swedish, never a 500.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from .. import access, bounds, record_kinds
from ..models import AccessLogEntry, Action
from ..selectors import MAX_PERSON_HITS, about_persons, agency_users, persons_matching, record_type_label, start_of_day

MAX_TERM = 120


def _users_of_my_agency(request):
    # Only the lead's own colleagues can be chosen: a user of another agency is an invalid choice.
    actor = access.actor_for(getattr(request, "user", None))
    if actor is None:
        return agency_users(agency_id=0).none()
    return agency_users(agency_id=actor.agency_id)


def _record_kinds():
    # Every protected kind, by its Swedish name, so the list is the same whatever the log holds today.
    return sorted(((label, record_type_label(label)) for label in record_kinds.protected_labels()), key=lambda c: c[1])


class UserChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AccessLogForm(forms.Form):
    """Resolves the person search for the user reading the log (set by AccessLogFilter.form)."""

    user = None
    agency_id = 0

    def clean_person(self):
        term = (self.cleaned_data.get("person") or "").strip()
        if not term:
            return None
        persons = persons_matching(user=self.user, agency_id=self.agency_id, term=term)
        if not persons:
            raise ValidationError(_("Ingen person som du kan se matchar sökningen."), code="no_person")
        if len(persons) > MAX_PERSON_HITS:
            raise ValidationError(
                _("Sökningen matchar fler än %(max)s personer. Skriv mer av aliaset, eller ett personnummer."),
                code="too_many_persons",
                params={"max": MAX_PERSON_HITS},
            )
        self.persons = persons
        return [person.pk for person in persons]


class AccessLogFilter(django_filters.FilterSet):
    """Filters a queryset that is already the agency's own log (selectors.access_log_entries)."""

    user = UserFilter(label=_("Användare"), queryset=_users_of_my_agency, empty_label=_("Alla användare"))
    person = django_filters.CharFilter(
        label=_("Person"),
        method="filter_person",
        max_length=MAX_TERM,
        help_text=_(
            "Alias, eller personnummer för personer vars identitetsuppgifter du får se. "
            "Visar allt som rör personen, även identitetsuppgifterna. Sökningen loggas."
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Typ av post"), field_name="model", choices=_record_kinds, empty_label=_("Alla typer")
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
        form = AccessLogForm
        fields = ["user", "person", "kind", "action", "date_from", "date_to"]

    @property
    def form(self):
        form = super().form
        # The person search runs as the reader of the log, through the gate, and is logged for them.
        actor = access.actor_for(getattr(self.request, "user", None))
        form.user = getattr(self.request, "user", None)
        form.agency_id = actor.agency_id if actor is not None else 0
        return form

    def filter_person(self, queryset, name, value):
        return about_persons(queryset, value)

    # Dates are whole local days, compared as a range on `at` so the (agency, -at) index stays usable
    # (an `at__date` lookup would convert every row's time zone first).
    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=start_of_day(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=start_of_day(value + timedelta(days=1)))

    def persons(self) -> list:
        """The persons the person filter matched (after validation), for the page to name them."""
        return getattr(self.form, "persons", [])
