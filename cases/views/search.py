"""The search page: persons, groups, incidents and cases the user may see, grouped by kind.

The reading (through the gate) and its logging are cases.selectors.search_all; this view validates the term
and names each kind's list, where "all hits" continue with the same term (the same FilterSet, so the same count).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from agencies.access import Actor

from ..forms.search import SearchForm
from ..selectors.search import search_all
from ._common import member_required

# Per kind: its heading and the list that shows all its hits.
KINDS = {
    "person": (_("Personer"), "individual-list"),
    "group": (_("Grupperingar"), "group-list"),
    "incident": (_("Händelser"), "incident-list"),
    "exit_case": (_("Ärenden"), "exit-case-list"),
}


@require_GET
@member_required
def search(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    form = SearchForm(request.GET if "q" in request.GET else None)
    groups: list[dict] = []
    term = ""
    found = 0
    if form.is_valid():
        term = form.cleaned_data["q"].strip()
        for result in search_all(user=request.user, term=term):
            heading, list_name = KINDS[result.kind]
            more_url = f"{reverse(list_name)}?{urlencode({'q': term})}"
            groups.append({"kind": result.kind, "heading": heading, "result": result, "more_url": more_url})
            found += result.count
    context = {"form": form, "term": term, "groups": groups, "found": found}
    return render(request, "cases/search.html", context, status=400 if form.is_bound and form.errors else 200)
