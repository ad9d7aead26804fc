"""One demo extract, so the pages have something to show: `manage.py seed_demo` runs this through
cases.extensions.demo_seeders, after the registry, the cases and the outreach records are written.

Idempotent: when the police already have an extract, nothing is written.
"""

from __future__ import annotations

from cases.extensions import DemoContext

LABELS = {"register_extracts": "registerutdrag"}
ORDERED_BY = "polis.handlaggare"


def seed_extracts(c: DemoContext) -> None:
    from agencies import access
    from cases.models import Individual

    from .models import RegisterExtract
    from .services import extract_order, extract_produce

    user = c.users.get(ORDERED_BY)
    actor = access.actor_for(user) if user is not None else None
    if actor is None or access.visible(user, RegisterExtract).exists():
        return
    person = access.visible(user, Individual).filter(owner_agency_id=actor.agency_id).order_by("pk").first()
    if person is None:
        return
    extract = extract_order(acting_user=user, individual=person)
    # Produced here, not left to a worker that may not be running while the demo is written.
    extract_produce(extract_id=extract.pk)
    c.report.count("register_extracts")


def register() -> None:
    from cases import extensions

    # After outreach (order 100), so the extract holds the person's invitations and notifications too.
    extensions.demo_seeders.register("extracts", seed_extracts, labels=LABELS, order=200)
