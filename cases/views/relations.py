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
from agencies.errors import ApplicationError, ConflictError

from .. import services
from ..forms.groups import RelationCreateForm, RelationForm, RelationUpdateForm
from ..models import CriminalGroup, GroupRelation
from ..shareables import with_visible_ends
from ._common import error_summary, forbidden, member_required
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
    conflict = None
    if request.method == "POST":
        form = RelationUpdateForm(request.POST)
        if form.is_valid():
            changes = {k: v for k, v in form.values().items() if getattr(relation, k) != v}
            try:
                if changes:
                    services.relation_update(
                        relation=relation,
                        acting_user=request.user,
                        expected_version=form.cleaned_data["version"],
                        **changes,
                    )
            except ConflictError as exc:
                conflict = exc.message
                relation.refresh_from_db()
                form = RelationUpdateForm(initial=RelationForm.initial_for(relation))
            except ApplicationError as exc:
                form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
            else:
                if changes:
                    messages.success(request, _("Ändringarna har sparats."))
                else:
                    messages.info(request, _("Inga ändringar att spara."))
                return redirect(next_url(request) or group_url(group))
    else:
        form = RelationUpdateForm(initial=RelationForm.initial_for(relation))
    return render(
        request,
        "cases/group_relation_form.html",
        {
            "form": form,
            "group": group,
            "relation": relation,
            "conflict": conflict,
            "next": next_url(request),
            "back_url": next_url(request) or group_url(group),
            **error_summary(form),
        },
    )
