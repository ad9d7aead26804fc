"""The one shape every edit page with a version check shares: the form carries the version the editor
loaded; the service refuses a stale one (ConflictError) and writes nothing; the page then shows what is
stored now, with the new version, beside what the editor wrote, so nothing is lost. The person, group,
relation, incident, case-header and entry edit pages differ only in their forms and what they save.

Checking that the user may see (404) and change (403) the record comes first, in the view, through the gate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.errors import ApplicationError, ConflictError

from ._common import error_summary

R = TypeVar("R")
Forms = Sequence[forms.Form | None]


def refreshed(record: Any) -> Any:
    """The default reload after a conflict: the same object, its fields read again."""
    record.refresh_from_db()
    return record


def shown_value(field: forms.Field, value: Any) -> str:
    """A cleaned value as the editor would recognise it: a choice's label, a list joined, a local time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, (list, tuple, QuerySet)):
        return ", ".join(shown_value(field, item) for item in value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = dict(cast("list[tuple[str, str]]", field.choices))
        return str(labels.get(value, value))
    return str(value)


def unsaved_values(*bound: forms.Form | None) -> list[tuple[str, str]]:
    """The editor's rejected input, (label, value) for each visible field that had one."""
    rows = []
    for form in bound:
        if form is None:
            continue
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            text = shown_value(field, form.cleaned_data.get(name))
            if text:
                rows.append((str(field.label), text))
    return rows


def edit_with_conflict(
    request: HttpRequest,
    record: R,
    *,
    make_forms: Callable[[R, QueryDict | None], Forms],
    save: Callable[..., bool],
    done_url: Callable[[R], str],
    template: str,
    context: Callable[[R], dict] | None = None,
    reload: Callable[[R], R] = refreshed,
    unsaved: Callable[..., list[tuple[str, str]]] = unsaved_values,
    error_field: Callable[[ApplicationError, forms.Form], str | None] | None = None,
    form_names: Sequence[str] = ("form",),
) -> HttpResponse:
    """GET: the forms filled from `record`. POST: validate, `save(record, *forms)` (True when anything
    changed), then redirect to `done_url(record)` with a message; on a conflict reload the record and show
    the fresh forms with the rejected input; any other refusal from the service is an error on the first
    form (on the field `error_field` names, if any).

    `make_forms(record, data)` returns the page's forms in the order of `form_names` (None for a form the
    page does not show); `data` is None for forms filled from the record.
    """
    conflict = None
    rejected: list[tuple[str, str]] = []
    if request.method == "POST":
        bound = make_forms(record, request.POST)
        if all(form is None or form.is_valid() for form in bound):
            try:
                changed = save(record, *bound)
            except ConflictError as exc:
                # Nothing was written. Show what is stored now, with the version the editor must build on.
                conflict, rejected = exc.message, unsaved(*bound)
                record = reload(record)
                bound = make_forms(record, None)
            except ApplicationError as exc:
                main = cast(forms.Form, bound[0])
                main.add_error(error_field(exc, main) if error_field else None, exc.message)
            else:
                if changed:
                    messages.success(request, _("Ändringarna har sparats."))
                else:
                    messages.info(request, _("Inga ändringar att spara."))
                return redirect(done_url(record))
    else:
        bound = make_forms(record, None)
    page = {
        **dict(zip(form_names, bound, strict=True)),
        **(context(record) if context else {}),
        "conflict": conflict,
        "unsaved": rejected,
        **error_summary(*bound),
    }
    return render(request, template, page)
