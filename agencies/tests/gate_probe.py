"""Ask every entry of the gate the same question, so a test can say "all of them grant" or "none does".

`gate_answers` asks the functions of agencies.access; `http_answers` asks the API (detail and list) and the
pages a kind has. A fault in one entry (say `can()` forgetting a grant's end) makes that entry's answer differ
from the others', and the test that compares them with the expected answer names the entry that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agencies import access


def gate_answers(user, obj, action: str = "view") -> dict[str, bool]:
    """What each function of the gate answers for `user` and `obj`. A fresh actor each time (no cache)."""
    model = type(obj)
    if hasattr(user, "_gvi_actor"):
        del user._gvi_actor
    page = access.visible_page(user, model, action, log=False)
    filtered = access.visible_page(user, model, action, within=model._default_manager.filter(pk=obj.pk), log=False)
    try:
        found_404 = access.get_or_404(user, model, obj.pk, action, log=False) == obj
    except Http404:
        found_404 = False
    return {
        "visible": access.visible(user, model, action).filter(pk=obj.pk).exists(),
        "visible_page": obj.pk in {item.pk for item in page.items},
        "visible_page_within": [item.pk for item in filtered.items] == [obj.pk],
        "find": access.find(user, model, obj.pk, action, log=False, count_denial=False) == obj,
        "get_or_404": found_404,
        "can": access.can(user, obj, action),
        "can_each": access.can_each(user, [obj], action) == {obj.pk},
    }


def all_(answers: dict[str, bool], expected: bool) -> dict[str, bool]:
    """The entries whose answer is not `expected` (empty when every entry agrees), for a readable assert."""
    return {entry: answer for entry, answer in answers.items() if answer is not expected}


@dataclass(frozen=True)
class Http:
    """Where a kind is read over HTTP: the API's basename, and optionally a page and the text that shows it."""

    api: str
    page: str | None = None
    page_text: str | None = None


def http_answers(user, obj, where: Http) -> dict[str, bool]:
    """Whether the API detail, the API list and the page show `obj` to `user`; status and content checked.

    Signs in afresh, so a test that moved the clock past the session's idle timeout still has a session.
    """
    api = APIClient()
    api.force_login(user)
    detail = api.get(reverse(f"api:{where.api}-detail", args=[obj.pk]))
    assert detail.status_code in (200, 404), (detail.status_code, detail.content[:300])
    listed = api.get(reverse(f"api:{where.api}-list"))
    assert listed.status_code == 200, (listed.status_code, listed.content[:300])
    answers = {
        "api_detail": detail.status_code == 200 and detail.json()["id"] == obj.pk,
        "api_list": obj.pk in [row["id"] for row in listed.json()["results"]],
    }
    if where.page is not None:
        browser = Client()
        browser.force_login(user)
        page = browser.get(reverse(where.page, args=[obj.pk]))
        assert page.status_code in (200, 404), page.status_code
        text = where.page_text or ""
        answers["page"] = page.status_code == 200 and text in page.content.decode()
    return answers
