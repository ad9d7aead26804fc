"""Each agency's entries on a joint case: write one (owned by the user's agency), and change one.

An entry is a protected record of its own: visible to its owner and to whom it was shared, and only while
its case is visible too. Changing one names the version the editor loaded; the second of two concurrent
editors gets a conflict with the stored text and their own input side by side, so nothing is lost.
Sharing an entry is the share dialog's (cases.views.share, kind "case_entry").
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.models import Agency

from .. import selectors, services
from ..forms.exit_cases import EntryForm, EntryKindForm, entry_kinds
from ..models import CaseEntry, ExitCase, Phase
from ._common import error_summary, forbidden, member_required
from ._editing import edit_with_conflict
from .exit_cases import get_case

# Which form field a refusal from the service is about, so the message sits next to what must change.
ERROR_FIELDS = {"title_required": "title", "dates": "ends_on"}


def entry_queryset(user):
    """Entries with what their pages show, and only on cases the user may see (both ends of the link)."""
    return selectors.entry_base().filter(case__in=access.visible(user, ExitCase).values("pk"))


def entry_url(entry: CaseEntry) -> str:
    return reverse("exit-case-detail", kwargs={"pk": entry.case_id}) + f"#entry-{entry.pk}"


@require_http_methods(["GET", "POST"])
@member_required
def case_entry_create(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    """First the kind (threat assessments only for police users), then that kind's form."""
    case = get_case(request, pk)
    back = reverse("exit-case-detail", kwargs={"pk": case.pk})
    if case.phase == Phase.CLOSED:
        return forbidden(
            request,
            _("Ärendet är avslutat och tar inte emot nya journalposter."),
            back_url=back,
            back_label=_("Tillbaka till ärendet"),
        )
    is_police = Agency.objects.filter(pk=actor.agency_id, kind=Agency.Kind.POLICE).exists()
    kinds = entry_kinds(is_police=is_police)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("typ")
    if kind not in dict(kinds):
        # Step one (also the answer to a kind this user may not write): a GET form choosing the kind.
        kind_form = EntryKindForm(request.GET if "typ" in request.GET else None, kinds=kinds)
        kind_form.is_valid()
        context = {"case": case, "kind_form": kind_form, **error_summary(kind_form)}
        return render(request, "cases/case_entry_kind.html", context)

    form = EntryForm(request.POST if request.method == "POST" else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_add(case=case, acting_user=request.user, kind=kind, **form.values())
        except ApplicationError as exc:
            field = ERROR_FIELDS.get(exc.code)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Journalposten har sparats. Den syns bara för din myndighet tills du delar den."),
            )
            return redirect(entry_url(entry))
    context = {
        "case": case,
        "form": form,
        "kind": kind,
        "kind_label": dict(kinds)[kind],
        "entry": None,
        "back_url": back,
        **error_summary(form),
    }
    return render(request, "cases/case_entry_form.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def case_entry_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    # Seeing comes first, so an entry the user may not see is a 404 like any missing one; only then 403.
    entry = access.get_or_404(request.user, CaseEntry, pk, queryset=entry_queryset(request.user))  # logged
    back = entry_url(entry)
    if not access.can(request.user, entry, "change"):
        return forbidden(
            request,
            _("Journalposten är delad med din myndighet för läsning. Bara %(agency)s kan ändra den.")
            % {"agency": entry.owner_agency.name},
            back_url=back,
            back_label=_("Tillbaka till ärendet"),
        )

    def make_forms(entry: CaseEntry, data) -> tuple[EntryForm]:
        if data is None:
            return (EntryForm(initial=EntryForm.initial_for(entry), kind=entry.kind, editing=True),)
        return (EntryForm(data, kind=entry.kind, editing=True),)

    def save(entry: CaseEntry, form: EntryForm) -> bool:
        values = form.values()
        if not any(getattr(entry, name) != value for name, value in values.items()):
            return False
        services.entry_update(
            entry=entry, acting_user=request.user, expected_version=form.cleaned_data["version"], **values
        )
        return True

    def error_field(exc: ApplicationError, form) -> str | None:
        field = ERROR_FIELDS.get(exc.code)
        return field if field in form.fields else None

    return edit_with_conflict(
        request,
        entry,
        make_forms=make_forms,
        save=save,
        done_url=lambda entry: back,
        template="cases/case_entry_form.html",
        context=lambda entry: {
            "case": entry.case,
            "kind": entry.kind,
            "kind_label": entry.get_kind_display(),
            "entry": entry,
            "back_url": back,
        },
        unsaved=_unsaved,
        error_field=error_field,
    )


def _unsaved(form: EntryForm) -> list[tuple[str, str]]:
    """The editor's rejected input, labelled as on the form (a need's level and comment under its area)."""
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        label = str(field.label)
        if name.startswith("need_"):
            area = name.removeprefix("need_").rsplit("_", 1)[0]
            level_field = form.fields[f"need_{area}_level"]
            label = f"{level_field.area_label} – {label}"  # type: ignore[attr-defined]
        if hasattr(field, "choices") and isinstance(value, str):
            value = dict(field.choices).get(value, value)
        rows.append((label, str(value)))
    return rows
