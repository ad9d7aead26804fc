"""The group list, and creating and changing a group's summary (with optimistic locking).

Every group shown comes through agencies.access; the group page itself is cases.views.group_detail.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import selectors, services
from ..filters.groups import GroupFilter
from ..forms.groups import GroupForm, GroupUpdateForm
from ..models import CriminalGroup
from ._common import error_summary, forbidden, htmx_login_redirect, member_required
from ._editing import edit_with_conflict
from ._listing import gated_list

FILTER_FIELDS = ("q", "status", "district", "relation")
# Which form field a refusal from the services is about.
ERROR_FIELDS = {"name_required": "name", "dates": "last_seen"}


@require_GET
# The same URL answers with the whole page or only the results, so caches must tell the two apart.
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def group_list(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = GroupFilter(request.GET or None, queryset=selectors.group_base(), request=request)
    _polish_filter_form(filterset.form)
    return gated_list(
        request,
        model=CriminalGroup,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="cases/group_list.html",
        partial="cases/_partials/group_results.html",
    )


def _polish_filter_form(form) -> None:
    # The FilterSet is shared with the API; these touches only concern the HTML form.
    form.fields["q"].widget.input_type = "search"
    form.fields["q"].widget.attrs.update(autocomplete="off", spellcheck="false")
    form.fields["status"].choices = [("", _("Alla"))] + list(CriminalGroup.Status.choices)
    form.fields["district"].empty_label = _("Alla stadsdelar")
    form.fields["relation"].label = _("Relation")
    form.fields["relation"].choices = [
        ("", _("Alla")),
        ("conflict", _("I konflikt")),
        ("alliance", _("I allians")),
    ]


@require_http_methods(["GET", "POST"])
@member_required
def group_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    form = GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                acting_user=request.user, districts=form.cleaned_data["districts"], **form.values()
            )
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            messages.success(request, _("Grupperingen %(name)s har lagts till.") % {"name": group.name})
            return redirect("group-detail", pk=group.pk)
    return render(request, "cases/group_form.html", {"form": form, "group": None, **error_summary(form)})


@require_http_methods(["GET", "POST"])
@member_required
def group_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    # Seeing comes first, so a group the user may not see is a 404 like any missing one; only then 403.
    group = access.get_or_404(request.user, CriminalGroup, pk, queryset=selectors.group_base())  # logged
    if not access.can(request.user, group, "change"):
        return forbidden(
            request,
            _("Du får läsa uppgifterna om den här grupperingen men inte ändra dem."),
            back_url=group_url(group),
        )
    current = [d.pk for d in group.districts.all()]

    def make_forms(group: CriminalGroup, data) -> tuple[GroupUpdateForm]:
        if data is None:
            return (_fresh_form(group),)
        return (GroupUpdateForm(data, current_district_ids=current),)

    return edit_with_conflict(
        request,
        group,
        make_forms=make_forms,
        save=lambda group, form: _save(request, group, form, current),
        # Read again through the gate with the page's select and prefetch (the districts), not logged twice.
        reload=lambda group: access.get_or_404(
            request.user, CriminalGroup, group.pk, queryset=selectors.group_base(), log=False
        ),
        done_url=group_url,
        template="cases/group_form.html",
        context=lambda group: {"group": group},
        error_field=lambda exc, form: ERROR_FIELDS.get(exc.code),
    )


def group_url(group: CriminalGroup) -> str:
    return reverse("group-detail", kwargs={"pk": group.pk})


def _fresh_form(group: CriminalGroup) -> GroupUpdateForm:
    initial = GroupForm.initial_for(group)
    return GroupUpdateForm(initial=initial, current_district_ids=initial["districts"])


def _save(request, group: CriminalGroup, form: GroupUpdateForm, current_districts: list[int]) -> bool:
    values = form.values()
    districts = sorted(d.pk for d in form.cleaned_data["districts"])
    changes = {name: value for name, value in values.items() if getattr(group, name) != value}
    districts_changed = districts != sorted(current_districts)
    if not changes and not districts_changed:
        return False
    # The service checks the version even when only the districts changed, so a stale form never wins.
    services.group_update(
        group=group,
        acting_user=request.user,
        expected_version=form.cleaned_data["version"],
        districts=districts if districts_changed else None,
        **changes,
    )
    return True
