"""Form fields that choose a protected record by search, so a form never renders the whole register.

`GatedChoiceField(kind="person", queryset=access.visible(user, Individual))` validates a posted id against
its queryset — the gate's, so an id the user may not see fails with the same message as one that does not
exist — and renders (GatedSelect):

- a `<select>` holding only the chosen value(s), plus the hits of a search the user submitted (at most
  choosers.MAX_RESULTS), so a page renders a handful of `<option>`s however large the register is;
- a search box and a "Sök" button. Without JavaScript the button submits the form, which comes back
  invalid with the hits in the select ("Välj bland sökträffarna"); with JavaScript
  (static/js/gated-choice.js) the box becomes a combobox that asks the gated endpoint as the user types.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import choosers

SEARCH_SUFFIX = "_sok"
SEARCH_BUTTON_SUFFIX = "_sok_knapp"
# A bound field can carry a few chosen values (a multiple select); never more than this is looked up, so
# the chosen ones and a search's hits (choosers.MAX_RESULTS) stay within the 100 choices a form may render.
MAX_CHOSEN = 79
# The largest primary key a 64-bit column holds, plus one.
MAX_ID = 2**63


class _GatedWidgetMixin:
    allow_multiple_selected: bool
    choices: Any

    def __init__(self, kind: str, attrs: dict | None = None) -> None:
        super().__init__(attrs)  # type: ignore[call-arg]
        self.kind = kind
        self.search_term = ""
        self.searching = False

    def value_from_datadict(self, data, files, name):
        # Called when the form is bound, before it renders: remember the search for the options.
        self.search_term = (data.get(name + SEARCH_SUFFIX) or "").strip()[:120]
        self.searching = (name + SEARCH_BUTTON_SUFFIX) in data
        return super().value_from_datadict(data, files, name)  # type: ignore[misc]

    def _bounded_choices(self, value: list[str]) -> list:
        """The chosen records and the search's hits, instead of every row of the queryset."""
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is None:  # plain choices (a test, a subclass): still never more than the cap
            return list(iterator)[:MAX_CHOSEN]
        field = iterator.field
        choices: list = []
        if field.empty_label is not None and not self.allow_multiple_selected:
            choices.append(("", field.empty_label))
        # Only what can be a primary key: a posted 30-digit "id" must redisplay as nothing, not overflow the query.
        ids = sorted({int(v) for v in value if str(v).isdigit() and int(v) < MAX_ID})[:MAX_CHOSEN]
        objects = list(queryset.filter(pk__in=ids)) if ids else []
        chooser = choosers.get(self.kind)
        if self.search_term and chooser is not None:
            # No user here: the search reaches aliases only (a personnummer search needs the user's
            # identity rights; the JavaScript combobox asks the endpoint, which has them).
            hits = chooser.search(None, queryset, self.search_term).exclude(pk__in=ids)
            objects += list(hits[: choosers.MAX_RESULTS])
        choices += [iterator.choice(obj) for obj in objects]
        return choices

    def optgroups(self, name, value, attrs=None):
        everything = self.choices
        self.choices = self._bounded_choices(value)
        try:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = everything

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        chooser = choosers.get(self.kind)
        widget_id = context["widget"]["attrs"].get("id") or name
        context["widget"].update(
            kind=self.kind,
            url=reverse("choices", kwargs={"kind": self.kind}),
            search_name=name + SEARCH_SUFFIX,
            search_button_name=name + SEARCH_BUTTON_SUFFIX,
            search_id=widget_id + SEARCH_SUFFIX,
            search_term=self.search_term,
            search_label=(chooser.search_label if chooser else "") or _("Sök"),
            multiple=self.allow_multiple_selected,
        )
        return context


class GatedSelect(_GatedWidgetMixin, forms.Select):
    template_name = "widgets/gated_select.html"


class GatedSelectMultiple(_GatedWidgetMixin, forms.SelectMultiple):
    template_name = "widgets/gated_select.html"


SEARCHING_MESSAGE = _("Välj bland sökträffarna och spara igen.")


class _GatedFieldMixin:
    widget: Any

    def label_from_instance(self, obj) -> str:
        chooser = choosers.get(getattr(self, "kind", ""))
        return chooser.label(obj) if chooser else str(obj)

    def clean(self, value):
        # The no-JavaScript search submits the whole form: answer with the hits, never save.
        if getattr(self.widget, "searching", False):
            raise ValidationError(SEARCHING_MESSAGE, code="searching")
        return super().clean(value)  # type: ignore[misc]


class GatedChoiceField(_GatedFieldMixin, forms.ModelChoiceField):
    def __init__(self, *, kind: str, **kwargs) -> None:
        self.kind = kind
        kwargs.setdefault("widget", GatedSelect(kind))
        super().__init__(**kwargs)


class GatedMultipleChoiceField(_GatedFieldMixin, forms.ModelMultipleChoiceField):
    def __init__(self, *, kind: str, **kwargs) -> None:
        self.kind = kind
        kwargs.setdefault("widget", GatedSelectMultiple(kind))
        super().__init__(**kwargs)
