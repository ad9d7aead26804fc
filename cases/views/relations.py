"""Recording and changing a conflict or an alliance between two groups.

A relation is a protected record of its own, owned by the agency that records it. Both groups must be
visible to the user: the other group is chosen among visible groups only, and a relation whose either end
the user may not see is a 404 here as everywhere else.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import services
from ..forms.groups import RelationCreateForm, RelationForm, RelationUpdateForm
from ..models import CriminalGroup, GroupRelation
from ..shareables import with_visible_ends
from ._common import error_summary, forbidden, member_required
from ._editing import edit_with_conflict
from .groups import group_url
from .share import next_url

ERROR_FIELDS = {"source_required": "source", "same_group": "other", "not_found": "other"}


@require_http_methods(["GET", "POST"])
@member_required
def relation_create(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    group = access.get_or_404(request.user, CriminalGroup, pk)  # logged
    others = access.visible(request.user, CriminalGroup).exclude(pk=group.pk).order_by("name")
    form = RelationCreateForm(request.POST if request.method == "POST" else None, groups=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_create(
                acting_user=request.user, group_a=group, group_b=form.cleaned_data["other"], **form.values()
            )
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            messages.success(
                request,
                _("Relationen mellan %(a)s och %(b)s har registrerats.")
                % {"a": group.name, "b": form.cleaned_data["other"].name},
            )
            return redirect(group_url(group))
    return render(
        request,
        "cases/group_relation_form.html",
        {
            "form": form,
            "group": group,
            "relation": None,
            "has_others": others.exists(),
            "back_url": group_url(group),
            **error_summary(form),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def relation_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    relation = access.get_or_404(
        request.user, GroupRelation, pk, queryset=with_visible_ends(request.user, GroupRelation)
    )  # logged
    group = relation.group_a
    if not access.can(request.user, relation, "change"):
        return forbidden(
            request, _("Du får läsa uppgifterna om den här relationen men inte ändra dem."), back_url=group_url(group)
        )

    def make_forms(relation: GroupRelation, data) -> tuple[RelationUpdateForm]:
        if data is None:
            return (RelationUpdateForm(initial=RelationForm.initial_for(relation)),)
        return (RelationUpdateForm(data),)

    def save(relation: GroupRelation, form: RelationUpdateForm) -> bool:
        changes = {k: v for k, v in form.values().items() if getattr(relation, k) != v}
        if changes:
            services.relation_update(
                relation=relation, acting_user=request.user, expected_version=form.cleaned_data["version"], **changes
            )
        return bool(changes)

    back = next_url(request)
    return edit_with_conflict(
        request,
        relation,
        make_forms=make_forms,
        save=save,
        done_url=lambda relation: back or group_url(group),
        template="cases/group_relation_form.html",
        context=lambda relation: {
            "group": group,
            "relation": relation,
            "next": back,
            "back_url": back or group_url(group),
        },
        error_field=lambda exc, form: ERROR_FIELDS.get(exc.code),
    )
