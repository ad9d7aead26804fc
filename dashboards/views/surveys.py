"""Goal 2's survey import for leads: upload a CSV file, see it rejected by line or imported."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from agencies.access import Actor
from agencies.views.decorators import lead_required

from ..models import SurveyImport
from ..services.surveys import survey_upload as upload_service

MAX_BYTES = 5 * 1024 * 1024


class SurveyUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV-fil (district, year, question, value, respondents)"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen är större än 5 MB."))
        try:
            return file.name, file.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Filen ska vara textkodad som UTF-8.")) from exc


@lead_required
def survey_upload(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, content = form.cleaned_data["file"]
        upload = upload_service(acting_user=request.user, filename=name, content=content)
        return redirect("dashboards:survey-import", pk=upload.pk)
    return render(
        request, "dashboards/survey_upload.html", {"form": form, "actor": actor}, status=400 if form.errors else 200
    )


@lead_required
def survey_import_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    # The import's status and errors say nothing about a person; any lead may follow any import.
    upload = get_object_or_404(SurveyImport, pk=pk)
    template = (
        "dashboards/_partials/survey_import.html"
        if request.headers.get("HX-Request")
        else "dashboards/survey_import.html"
    )
    return render(request, template, {"upload": upload, "actor": actor})
