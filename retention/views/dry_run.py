"""The dry run page: what the next nightly run would anonymise or delete, and what a hold keeps."""

from django.shortcuts import render

from ..selectors import dry_run
from ..selectors.dry_run import categories_not_applied
from ..services.holds import may_hold_any
from ._access import lead_or_admin_required


@lead_or_admin_required
def dry_run_page(request, *, actor):
    groups = dry_run(user=request.user)
    context = {
        "groups": groups,
        "not_applied": categories_not_applied(),
        "all_agencies": may_hold_any(actor),
        "actor": actor,
    }
    return render(request, "retention/dry_run.html", context)
