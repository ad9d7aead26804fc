"""Access over time, at every entry of the gate: a grant that ends, and a share on a consent that lapses.

The clock is moved (time-machine), not the dates compared: each test asks every entry — `visible`,
`visible_page` (plain and filtered), `find`, `get_or_404`, `can`, `can_each`, the API detail and list and the
person's page — just before the moment and just after it. A fault in any one entry (say `can()` forgetting a
grant's `expires_at`) leaves that entry granting after the moment, and the assertion names it.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from agencies import access
from agencies.models import Share
from agencies.tests.factories import basis_for, legal_basis
from agencies.tests.gate_probe import Http, all_, gate_answers, http_answers
from cases.models import Individual
from cases.tests.factories import IndividualFactory, consent

pytestmark = pytest.mark.django_db

PERSON = Http(api="individual", page="individual-detail")


# A fixed local noon a few days ahead, computed once with the real clock (not inside a travel).
NOON = datetime.combine(datetime.now().date() + timedelta(days=3), time(12, 0))


def moment(hours: int = 0) -> datetime:
    return timezone.make_aware(NOON) + timedelta(hours=hours)


def every_entry(user, obj, action="view", *, http=True) -> dict[str, bool]:
    answers = gate_answers(user, obj, action)
    if http and action == "view":
        answers |= http_answers(user, obj, Http(PERSON.api, PERSON.page, obj.alias))
    return answers


def test_a_grant_ends_at_its_end_date_at_every_entry(police, kommun, police_caseworker, kommun_caseworker):
    with time_machine.travel(moment(), tick=False):
        person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
        access.share(
            person,
            to_agency=kommun,
            level="change",
            legal_basis=basis_for(kommun),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
            expires_at=moment(hours=2),
        )
        assert all_(every_entry(kommun_caseworker, person), True) == {}
        assert all_(every_entry(kommun_caseworker, person, "change"), True) == {}

    with time_machine.travel(moment(hours=2) - timedelta(seconds=1), tick=False):
        assert all_(every_entry(kommun_caseworker, person), True) == {}
        assert all_(every_entry(kommun_caseworker, person, "change"), True) == {}

    with time_machine.travel(moment(hours=2) + timedelta(seconds=1), tick=False):
        # The register row is still open (the five-minute task has not run): the grant's end alone decides.
        assert Share.objects.get().revoked_at is None
        assert all_(every_entry(kommun_caseworker, person), False) == {}
        assert all_(every_entry(kommun_caseworker, person, "change"), False) == {}
        assert all_(every_entry(police_caseworker, person), True) == {}  # the owner is not touched


def test_the_longer_of_two_shares_decides_when_access_ends(police, kommun, police_caseworker, kommun_caseworker):
    with time_machine.travel(moment(), tick=False):
        person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
        for hours in (1, 3):
            access.share(
                person,
                to_agency=kommun,
                level="view",
                legal_basis=basis_for(kommun),
                assessment="Behövs för samverkan.",
                acting_user=police_caseworker,
                expires_at=moment(hours=hours),
            )
    with time_machine.travel(moment(hours=2), tick=False):
        assert all_(every_entry(kommun_caseworker, person, http=False), True) == {}
    with time_machine.travel(moment(hours=3) + timedelta(seconds=1), tick=False):
        assert all_(every_entry(kommun_caseworker, person, http=False), False) == {}


def test_a_share_on_consent_ends_when_the_consent_lapses_at_every_entry(
    police, kommun, police_caseworker, kommun_caseworker
):
    last_day = moment().date()
    with time_machine.travel(moment(), tick=False):
        person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
        given = consent(police_caseworker, person, [police, kommun], categories=["person"], valid_until=last_day)
        access.share(
            person,
            to_agency=kommun,
            level="view",
            legal_basis=legal_basis("samtycke"),
            assessment="Behövs för samverkan.",
            consent=given,
            acting_user=police_caseworker,
        )
        assert all_(every_entry(kommun_caseworker, person), True) == {}

    end_of_last_day = timezone.make_aware(datetime.combine(last_day, time(23, 59, 59)))
    with time_machine.travel(end_of_last_day, tick=False):
        assert all_(every_entry(kommun_caseworker, person), True) == {}

    with time_machine.travel(end_of_last_day + timedelta(seconds=2), tick=False):
        # Before the nightly job: nothing in the register has been closed yet.
        assert Share.objects.filter(revoked_at__isnull=False).count() == 0
        assert all_(every_entry(kommun_caseworker, person), False) == {}
        # The consent record itself stays visible to the agencies it names (they must know it ended).
        assert access.can(kommun_caseworker, given)


def test_a_grant_without_an_end_keeps_granting(police, kommun, police_caseworker, kommun_caseworker):
    with time_machine.travel(moment(), tick=False):
        person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
        access.share(
            person,
            to_agency=kommun,
            level="view",
            legal_basis=basis_for(kommun),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    with time_machine.travel(moment(hours=24 * 400), tick=False):
        assert all_(every_entry(kommun_caseworker, person), True) == {}
        assert access.visible(kommun_caseworker, Individual).count() == 1
