"""The joint case the API tests of cases, entries, tasks and consents share, and their small helpers.

A kommun-led case about a person kommun has shared with everyone in it; police, Kriminalvården and a
community partner have joined it; each of the four agencies has written one entry, and some entries have
been shared (see SHARED). The outsider (a second community partner) is never part of anything.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies import access
from agencies.models import AccessLogEntry
from agencies.tests.factories import legal_basis
from cases import services
from cases.tests.factories import IndividualFactory, exit_case

TITLES = {
    "kommun": "Behov: boende",
    "police": "Hotbild",
    "probation": "Insats: arbete",
    "community": "Mentorsamtal",
}
KINDS = {"kommun": "needs", "police": "threat", "probation": "intervention", "community": "note"}
# (whose entry, shared with whom, on which legal basis). The community partner is no authority: OSL reaches
# it on no provision, so it gets what no secrecy covers here, and would disclose its own only on consent.
SHARED = [
    ("kommun", "probation", "osl-10-2"),
    ("kommun", "community", "ej-sekretess"),
    ("police", "kommun", "osl-10-27"),
    ("probation", "police", "osl-10-27"),
]
# Who sees which entries: their own plus what was shared with them, nothing else.
SEES = {
    "kommun": {"kommun", "police"},
    "police": {"police", "probation"},
    "probation": {"probation", "kommun"},
    "community": {"community", "kommun"},
    "outsider": set(),
}


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, *args, **params) -> str:
    path = reverse(f"api:{name}", args=args)
    return path + ("?" + urlencode(params) if params else "")


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def new_log(after: int) -> list[tuple[str, str, list[int]]]:
    rows = AccessLogEntry.objects.filter(pk__gt=after).order_by("id")
    return [(row.action, row.model, row.object_ids) for row in rows]


def ids(response) -> list[int]:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return [row["id"] for row in rows]


def share(obj, *, to, by, code: str = "osl-10-2", level: str = "view", **kw):
    return access.share(
        obj,
        to_agency=to,
        level=level,
        legal_basis=legal_basis(code),
        assessment="Behövs för samverkan.",
        acting_user=by,
        **kw,
    )


class Joint:
    def __init__(self, case, entries, agencies, users):
        self.case = case
        self.entries = entries  # by owner name
        self.agencies = agencies
        self.users = users

    def titles_for(self, name: str) -> set[str]:
        return {TITLES[owner] for owner in SEES[name]}


# Named apart from the fixture so that a test module's `import joint_fixture` does not shadow its argument.
@pytest.fixture(name="joint")
def joint_fixture(
    police,
    probation,
    kommun,
    community,
    police_caseworker,
    probation_caseworker,
    kommun_caseworker,
    community_user,
    outsider,
) -> Joint:
    agencies = {"police": police, "probation": probation, "kommun": kommun, "community": community}
    users = {
        "police": police_caseworker,
        "probation": probation_caseworker,
        "kommun": kommun_caseworker,
        "community": community_user,
        "outsider": outsider,
    }
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Avhoppare A")
    case = exit_case(kommun_caseworker, person, summary="Vill lämna gruppen")
    for name in ("police", "probation", "community"):
        code = "ej-sekretess" if name == "community" else "osl-10-2"
        share(person, to=agencies[name], by=kommun_caseworker, code=code)
        services.case_join(
            case=case,
            to_agency=agencies[name],
            legal_basis=legal_basis(code),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    entries = {
        name: services.entry_add(case=case, acting_user=users[name], kind=KINDS[name], title=TITLES[name])
        for name in ("kommun", "police", "probation", "community")
    }
    for owner, to, code in SHARED:
        services.entry_share(
            entry=entries[owner],
            to_agency=agencies[to],
            legal_basis=legal_basis(code),
            assessment="Behövs för samverkan.",
            acting_user=users[owner],
        )
    return Joint(case, entries, agencies, users)
