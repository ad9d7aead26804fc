"""The person page's link to a register extract, registered into cases.extensions by ExtractsConfig.ready."""

from __future__ import annotations

from django.urls import reverse

from agencies.access import Actor
from cases import extensions
from cases.models import Individual

from .services import may_order


def person_extract(user, actor: Actor, person: Individual) -> dict | None:
    """A link to order an extract about the person, for a user who may order one. No query: the page found the
    person through the gate, and the role is the cached actor's."""
    if not may_order(user):
        return None
    return {"order_url": reverse("extract-order") + f"?person={person.pk}", "list_url": reverse("extract-list")}


def register() -> None:
    # Before outreach's sections: the link sits right under the person's own records.
    extensions.person_page.register("extracts.person", "extracts/_sections/person.html", person_extract, order=10)
