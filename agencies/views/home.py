from django.shortcuts import render
from django.urls import reverse

from agencies import extensions, selectors
from agencies.forms.shares import ShareRevokeForm

from .decorators import agency_member_required


@agency_member_required
def home(request, *, actor):
    page = selectors.home_page(user=request.user, actor=actor)
    for row in page.made or []:
        if row.status == "active":
            # One form per row: auto_id keeps the field ids unique on the page (labels must point at one input).
            row.revoke_form = ShareRevokeForm(auto_id=f"revoke-{row.share.pk}-%s")
    # Beside the agency's parts: the other apps' (cases: my tasks, my cases, a lead's overdue tasks).
    sections = extensions.home_page.render(request.user, actor)
    context = {"page": page, "actor": actor, "sections": sections, "next_url": reverse("home")}
    return render(request, "agencies/home.html", context)
