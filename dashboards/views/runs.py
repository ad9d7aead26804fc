"""A lead asks for a fresh computation of the snapshots and follows it on a progress bar (htmx polls the
run's fragment every second until it is done; no script of our own)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agencies.access import Actor
from agencies.views.decorators import lead_required

from ..models import SnapshotRun
from ..services import snapshot_request


@require_POST
@lead_required
def run_request(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    run = snapshot_request(acting_user=request.user)
    return redirect("dashboards:run", pk=run.pk)


@lead_required
def run_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    # A run holds no case data (a status and a per cent); any lead may follow any run.
    run = get_object_or_404(SnapshotRun, pk=pk)
    template = "dashboards/_partials/run.html" if request.headers.get("HX-Request") else "dashboards/run.html"
    return render(request, template, {"run": run, "actor": actor})
