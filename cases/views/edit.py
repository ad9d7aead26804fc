"""Create and change a person (and their identity details) through the services, with optimistic locking."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError, ConflictError

from .. import selectors, services
from ..forms.individuals import DuplicateConfirmForm, IdentityForm, IndividualForm, IndividualUpdateForm
from ..models import IdentityDetails, Individual
from ..selectors.duplicates import Candidate, duplicate_candidates
from ._common import error_summary, forbidden, member_required
from ._editing import edit_with_conflict

INDIVIDUAL_FIELDS = ("alias", "birth_year", "district", "notes")


@require_http_methods(["GET", "POST"])
@member_required
def individual_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = IndividualForm(data)
    identity_form = IdentityForm(data)
    del identity_form.fields["identity_version"]
    duplicates: list[Candidate] = []
    confirm_form = None
    if data is not None and form.is_valid() and identity_form.is_valid():
        duplicates = _unconfirmed_duplicates(request, actor, form, identity_form)
        if duplicates:
            confirm_form = DuplicateConfirmForm()
    if data is not None and form.is_valid() and identity_form.is_valid() and not duplicates:
        try:
            person = services.individual_create(
                acting_user=request.user,
                **{name: form.cleaned_data[name] for name in INDIVIDUAL_FIELDS},
                identity=identity_form.values(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Personen %(alias)s har lagts till.") % {"alias": person.alias})
            return redirect("individual-detail", pk=person.pk)
    return render(
        request,
        "cases/individual_form.html",
        {
            "form": form,
            "identity_form": identity_form,
            "person": None,
            "duplicates": duplicates,
            "confirm_form": confirm_form,
            **error_summary(form, identity_form),
        },
    )


def _unconfirmed_duplicates(request: HttpRequest, actor: Actor, form, identity_form) -> list[Candidate]:
    """Possible duplicates among the persons the user may see, unless the user has already looked at them
    and ticked "create anyway". The candidates shown are logged like any list read."""
    confirm = DuplicateConfirmForm(request.POST)
    if confirm.is_valid() and confirm.cleaned_data["confirm_duplicates"]:
        return []
    candidates = duplicate_candidates(
        user=request.user,
        alias=form.cleaned_data["alias"],
        birth_year=form.cleaned_data["birth_year"],
        personnummer=identity_form.cleaned_data["personnummer"],
    )
    if candidates:
        individuals = [candidate.individual for candidate in candidates]
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=Individual, objects=individuals)
    return candidates


@require_http_methods(["GET", "POST"])
@member_required
def individual_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    # Seeing comes first, so a person the user may not see is a 404 like any missing one; only then 403.
    person = access.get_or_404(request.user, Individual, pk, queryset=selectors.individual_base())  # logged
    if not access.can(request.user, person, "change"):
        return forbidden(request, _("Du får läsa uppgifterna om den här personen men inte ändra dem."))

    # Identity details are edited here only by whoever may change them, or added by the owner agency when
    # there are none. Fetched with "change", so details the user may only read are not loaded (or shown)
    # here at all. The owner agency of a person also owns the person's identity details
    # (services.identity_set), so for the owner None means there are none yet.
    identity = access.find(request.user, IdentityDetails, person.pk, "change", count_denial=False)  # logged when found
    is_owner = access.owns(request.user, person)
    identity_editable = identity is not None or is_owner

    def make_forms(person: Individual, data):
        if data is None:
            form, identity_form = _fresh_forms(person, identity, identity_editable)
        else:
            form = IndividualUpdateForm(data, current_district_id=person.district_id)
            identity_form = IdentityForm(data) if identity_editable else None
        if not is_owner:
            del form.fields["notes"]  # the owner's notes are not disclosed with the person (cases/disclosure.py)
        return form, identity_form

    def save(person: Individual, form, identity_form) -> bool:
        return _save(request, person, identity, form, identity_form)

    def reload(person: Individual) -> Individual:
        nonlocal identity
        person.refresh_from_db()
        if identity is None and identity_editable:
            identity = access.find(
                request.user, IdentityDetails, person.pk, "change", count_denial=False
            )  # logged when found
        elif identity is not None:
            identity.refresh_from_db()
        return person

    return edit_with_conflict(
        request,
        person,
        make_forms=make_forms,
        save=save,
        reload=reload,
        done_url=lambda person: reverse("individual-detail", kwargs={"pk": person.pk}),
        template="cases/individual_form.html",
        context=lambda person: {"person": person},
        form_names=("form", "identity_form"),
    )


def _fresh_forms(person: Individual, identity: IdentityDetails | None, identity_editable: bool):
    form = IndividualUpdateForm(initial=IndividualForm.initial_for(person), current_district_id=person.district_id)
    identity_form = IdentityForm(initial=IdentityForm.initial_for(identity)) if identity_editable else None
    return form, identity_form


@transaction.atomic
def _save(request, person: Individual, identity: IdentityDetails | None, form, identity_form) -> bool:
    """Write what changed, all or nothing: a conflict on either record leaves both untouched."""
    changed = False
    # A receiver with a change share has no notes field: the notes stay with the owner and are kept as they are.
    values = {name: form.cleaned_data[name] for name in INDIVIDUAL_FIELDS if name in form.fields}
    if any(getattr(person, name) != value for name, value in values.items()):
        services.individual_update(
            individual=person, acting_user=request.user, expected_version=form.cleaned_data["version"], **values
        )
        changed = True
    if identity_form is not None:
        loaded_version = identity_form.cleaned_data["identity_version"]
        new = identity_form.values()
        if identity is not None:
            if any(getattr(identity, name) != value for name, value in new.items()):
                if loaded_version is None:
                    # The form was loaded before anyone had added identity details; someone has since.
                    raise ConflictError(
                        _(
                            "Någon annan har lagt till identitetsuppgifter sedan du öppnade formuläret. Läs igenom dem och gör om ändringen."
                        ),
                        current_version=identity.version,
                    )
                services.identity_set(
                    individual=person, acting_user=request.user, expected_version=loaded_version, **new
                )
                changed = True
        elif identity_form.has_values():
            services.identity_set(individual=person, acting_user=request.user, **new)
            changed = True
    return changed
