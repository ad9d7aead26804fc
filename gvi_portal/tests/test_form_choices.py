"""No form or filter in the project can render more than 100 choices.

At national scale a broad agency sees ~100,000 persons; a `<select>` of every visible person was a 5 MB
page. This walks every Form and FilterSet class the project defines (importing every module of its apps)
and checks each choice field:

- a choice of a protected record (person, group, incident, case, call-in, notification) is a gated choice
  (agencies.forms.gated), which renders only the chosen values and a search's hits;
- a choice among search results the view computes (at most a page of them) is listed in SEARCH_RESULTS;
- any other model choice is of a table whose size an installation configures, listed in BOUNDED with why;
- a fixed list of choices has at most 100 entries.

A new field that offers, say, every incident in a plain select fails here.
"""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.contrib.auth import get_user_model

from agencies.choosers import MAX_RESULTS
from agencies.forms.gated import MAX_CHOSEN, GatedChoiceField, GatedMultipleChoiceField

APPS = ("agencies", "cases", "outreach", "dashboards", "extracts", "gvi_portal")
LIMIT = 100

# Tables an installation configures, small by nature. Agencies are the exception to watch: a national
# installation has ~300; their lists are checkboxes or selects of all active agencies (docs/performance.md).
BOUNDED = {
    "cases.district": "the installation's districts (stadsdelar)",
    "agencies.legalbasis": "a short reference list of legal bases",
    "agencies.agency": "the agencies of the installation (see docs/performance.md: ~300 nationally)",
    "auth.user": "the staff of the agencies of one case or of one agency",
    "cases.plangoal": "the goals of one case's plan",
    "cases.caseentry": "the entries of one case the user may see",
    "cases.consent": "the consents of one person",
}

# Choices the view fills with at most a page of search hits (the field validates against the gate).
SEARCH_RESULTS = {
    ("cases.forms.incidents", "IncidentPersonForm", "individual"),
    ("cases.forms.exit_cases", "ExitCaseCreateForm", "individual"),
    ("outreach.forms.reviews", "MeetingUpdateForm", "incidents"),
}


def _import_everything() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".tests" in info.name or ".migrations" in info.name or ".settings" in info.name:
                continue
            importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_classes(base) -> list:
    _import_everything()
    return sorted(
        {c for c in _subclasses(base) if c.__module__.split(".")[0] in APPS and ".tests" not in c.__module__},
        key=lambda c: (c.__module__, c.__name__),
    )


def _problem(module: str, form: str, name: str, field_class, queryset, choices) -> str | None:
    if issubclass(field_class, (GatedChoiceField, GatedMultipleChoiceField)):
        return None
    if issubclass(field_class, forms.ModelChoiceField):
        if (module, form, name) in SEARCH_RESULTS:
            return None
        if callable(queryset) and not hasattr(queryset, "model"):
            queryset = queryset(None)  # the filters' gated callables answer .none() without a request
        label = queryset.model._meta.label_lower if queryset is not None else "?"
        if label in BOUNDED:
            return None
        return f"{module}.{form}.{name}: a select of every {label} (use agencies.forms.gated)"
    if issubclass(field_class, forms.ChoiceField) and choices is not None and not callable(choices):
        if len(list(choices)) > LIMIT:
            return f"{module}.{form}.{name}: {len(list(choices))} fixed choices"
    return None


def test_the_gated_widget_stays_under_the_limit():
    assert MAX_CHOSEN + MAX_RESULTS + 1 <= LIMIT  # chosen + hits + the empty choice


@pytest.mark.django_db
def test_no_form_field_can_render_more_than_100_choices():
    problems = []
    checked = 0
    for form in _project_classes(forms.BaseForm):
        for name, field in form.base_fields.items():
            if isinstance(field, forms.ChoiceField):
                checked += 1
                problem = _problem(
                    form.__module__, form.__name__, name, type(field), getattr(field, "queryset", None),
                    None if isinstance(field, forms.ModelChoiceField) else field.choices,
                )  # fmt: skip
                if problem:
                    problems.append(problem)
    assert checked > 20  # the walk found the project's forms
    assert problems == []


@pytest.mark.django_db
def test_no_filter_can_render_more_than_100_choices():
    problems = []
    checked = 0
    for filterset in _project_classes(django_filters.FilterSet):
        for name, flt in filterset.base_filters.items():
            field_class = flt.field_class
            if issubclass(field_class, forms.ChoiceField):
                checked += 1
                problem = _problem(
                    filterset.__module__, filterset.__name__, name, field_class, flt.extra.get("queryset"),
                    flt.extra.get("choices"),
                )  # fmt: skip
                if problem:
                    problems.append(problem)
    assert checked > 10
    assert problems == []


def test_a_plain_select_of_persons_would_be_caught():
    from cases.models import Individual

    class Bad(forms.Form):
        who = forms.ModelChoiceField(queryset=Individual.objects.none())

    assert _problem("x", "Bad", "who", forms.ModelChoiceField, Individual.objects.none(), None)
    assert _problem("x", "Bad", "n", forms.ChoiceField, None, [(i, i) for i in range(101)])
    assert get_user_model()._meta.label_lower in BOUNDED
