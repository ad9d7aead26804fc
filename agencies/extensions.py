"""Where other apps plug sections into the pages of `agencies` (the home page), without `agencies` importing them.

The home page shows a caseworker's tasks due and cases, which `cases` owns. `cases` registers them from its
AppConfig.ready:

    from agencies import extensions

    extensions.home_page.register("cases.my_tasks", "cases/_sections/home_tasks.html", my_tasks_due, order=10)

Each context function is called with (user, actor) and returns the template's context, or None when the
section is not for this user (a lead's part for a caseworker). It reads through the gate and logs what it
lists, like the page's own sections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .access import Actor


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    # Called with (user, actor) here; `cases` places add the record the page is about.
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class Rendered:
    """One section ready for the page: `{% include section.template with data=section.data %}`."""

    key: str
    template: str
    data: dict


class Sections:
    """The sections registered for one place (a page or a list), in their order. Also used by `cases`."""

    def __init__(self, place: str) -> None:
        self.place = place
        self._sections: dict[str, Section] = {}

    def register(self, key: str, template: str, context: Callable[..., dict | None], *, order: int = 100) -> None:
        # Registering the same key again replaces it (AppConfig.ready may run more than once in tests).
        self._sections[key] = Section(key, template, context, order)

    def __iter__(self):
        return iter(sorted(self._sections.values(), key=lambda s: (s.order, s.key)))

    def render(self, user, actor: Actor, *about: Any) -> list[Rendered]:
        rendered = []
        for section in self:
            data = section.context(user, actor, *about)
            if data is not None:
                rendered.append(Rendered(section.key, section.template, data))
        return rendered


home_page = Sections("the home page")
