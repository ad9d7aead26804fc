"""What the outreach pages share: the helpers of the case pages (one decorator, one list shape, one edit
shape), the filter forms' HTML touches, and the `next` link."""

from __future__ import annotations

from typing import cast

from django import forms
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from agencies.errors import ApplicationError
from cases.views._common import error_summary, forbidden, htmx_login_redirect, member_required
from cases.views._editing import edit_with_conflict
from cases.views._listing import gated_list
from cases.views.list import HtmxHttpRequest

__all__ = [
    "HtmxHttpRequest",
    "edit_with_conflict",
    "error_summary",
    "field_for",
    "forbidden",
    "gated_list",
    "htmx_login_redirect",
    "member_required",
    "next_url",
    "polish_filters",
]


def polish_filters(form: forms.Form) -> None:
    """The FilterSets are shared with the API; these touches only concern the HTML form: native date pickers,
    a search box, and an empty choice that says "all"."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(field, forms.DateField):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = _("Alla")
        elif isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=[("", _("Alla")), ("true", _("Ja")), ("false", _("Nej"))])
        elif isinstance(field, forms.ChoiceField):
            # django-filter prepends its own empty choice; set the choices again after the label.
            choices = [c for c in cast(list, field.choices) if c[0] != ""]
            field.choices = [("", _("Alla")), *choices]
        elif isinstance(field, forms.CharField):
            widget.input_type = "search"
            widget.attrs.update(autocomplete="off", spellcheck="false")


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def field_for(exc: ApplicationError, form: forms.Form, fields: dict[str, str]) -> str | None:
    """Which form field a service's refusal is about (by its code), so the message sits next to what must
    change; None (a form-wide error) when the field is not on this form."""
    field = fields.get(exc.code)
    return field if field in form.fields else None
