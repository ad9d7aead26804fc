"""Where other apps plug into the pages and commands of `cases`, without `cases` importing them.

Imports point one way (docs/architecture.md): `outreach` may use `cases`, never the reverse. Where a
`cases` page must show something another app owns — a person's message history, a group's warnings, the
actions from a weekly review on the task lists — that app registers it here from its AppConfig.ready():

    from cases import extensions

    extensions.person_page.register("outreach.messages", "outreach/_sections/person.html", person_messages)

Each context function is called with (user, actor, record) — the record is the person or the group, None
on the task lists — and returns the template's context, or None when it has nothing the user may see, so
the page shows no trace of it (no heading, no empty box). It reads through the gate (agencies.access) and
logs what it lists (agencies.audit), like the page's own sections.

`demo_seeders` is the same idea for `manage.py seed_demo`: each app's seeder runs after the registry and
the cases are written, with what they made, and must be idempotent like the rest of the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agencies.access import Actor
from agencies.extensions import Rendered
from agencies.extensions import Sections as _Sections


class Sections(_Sections):
    """A `cases` place: its context functions are called with (user, actor, record)."""

    def render(self, user, actor: Actor, record: Any = None) -> list[Rendered]:
        return super().render(user, actor, record)


person_page = Sections("the person page")
group_page = Sections("the group page")
# "Mina uppgifter" (what is the user's, or their agency's with no one named) and "Våra uppgifter" (a lead's
# view of the agency's), beside the tasks of the exit cases.
my_tasks = Sections("my tasks")
agency_tasks = Sections("our tasks")


@dataclass
class DemoContext:
    """What the demo seeders get: the demo's agencies and users by key, the persons by plan index, the plans
    of the persons, the registry and the cases, the moment the demo is written and the report to count in."""

    agencies: dict[str, Any]
    users: dict[str, Any]
    persons: dict[int, Any]
    persons_plan: Any
    registry_plan: Any
    cases_plan: Any
    now: Any
    report: Any


@dataclass(frozen=True)
class DemoSeeder:
    key: str
    run: Callable[[DemoContext], None]
    # How `seed_demo` names what the seeder counts in the report ("call_ins": "call-ins").
    labels: dict[str, str]
    order: int = 100


class DemoSeeders:
    def __init__(self) -> None:
        self._seeders: dict[str, DemoSeeder] = {}

    def register(
        self, key: str, run: Callable[[DemoContext], None], *, labels: dict[str, str], order: int = 100
    ) -> None:
        self._seeders[key] = DemoSeeder(key, run, labels, order)

    def __iter__(self):
        return iter(sorted(self._seeders.values(), key=lambda s: (s.order, s.key)))

    def labels(self) -> dict[str, str]:
        return {what: label for seeder in self for what, label in seeder.labels.items()}


demo_seeders = DemoSeeders()
