"""A person that two agencies hold records about, with shares in both directions and one that has ended.

Polisen owns the person (with working notes), the identity details, a group membership, an incident involvement,
a custom notification with its legal-risk summary, and an entry on the municipality's case. Örebro kommun owns
the exit case, an entry of its own and a consent. Shares:

  police → kommun   the person (live), the membership (ended: its end date has passed), the police's entry (live)
  kommun → police   the case header (joining the case), the consent (to the agencies it names)

So the municipality holds the person (without the notes), the case with its own entry (not the police's, though
it may read it), the consent, and nothing of the identity, the membership, the incident or the notification.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from agencies import access
from agencies.tests.factories import legal_basis
from cases import services as cases
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, consent, exit_case, group, incident
from gvi_portal.tests.conftest import celery_worker  # noqa: F401 - the real worker, for test_worker.py
from outreach import services as outreach

START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
ASSESSMENT = "Behövs för samverkan."


@dataclass
class Holdings:
    person: object
    identity: object
    membership: object
    involvement: object
    notification: object
    case: object
    police_entry: object
    kommun_entry: object
    consent: object
    shares: dict


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def holdings(clock, police, kommun, police_caseworker, kommun_caseworker) -> Holdings:
    person = IndividualFactory(
        owner_agency=police, created_by=police_caseworker, alias="Åke Ö", notes="Polisens arbetsanteckning"
    )
    identity = IdentityDetailsFactory(individual=person, full_name="Åke Östlund", personnummer="200001012384")
    grp = group(police, police_caseworker, name="Söderligan")
    membership = cases.membership_record(
        acting_user=police_caseworker, individual=person, group=grp, role="core", source_type="observation",
        evidence="Sedd med gruppen (fiktivt).", confidence="probable",
    )  # fmt: skip
    event = incident(police_caseworker, place="Vivallatorget (fiktivt)")
    involvement = cases.incident_add_person(
        incident=event, individual=person, role="suspect", notes="Sågs lämna platsen.", acting_user=police_caseworker
    )
    notification = outreach.notification_record(
        acting_user=police_caseworker, individual=person, delivered_on=timezone.localdate(), place_type="home",
        message_delivered="yes", outcome="Lyssnade (fiktivt).",
    )  # fmt: skip
    outreach.legal_risk_set(notification=notification, acting_user=police_caseworker, text="Risk för repressalier.")

    basis = legal_basis()
    shares = {
        "person": access.share(person, to_agency=kommun, level="view", legal_basis=basis, assessment=ASSESSMENT,
                               acting_user=police_caseworker),
        "membership": access.share(membership, to_agency=kommun, level="view", legal_basis=basis,
                                   assessment=ASSESSMENT, acting_user=police_caseworker,
                                   expires_at=START + timedelta(days=1)),
    }  # fmt: skip
    case = exit_case(kommun_caseworker, person, summary="Vill lämna gruppen.")
    shares["case"] = cases.case_join(
        case=case, to_agency=police, legal_basis=basis, assessment=ASSESSMENT, acting_user=kommun_caseworker
    )
    kommun_entry = cases.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title="Kommunens samtal")
    police_entry = cases.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Polisens iakttagelse")
    shares["police_entry"] = cases.entry_share(
        entry=police_entry, to_agency=kommun, legal_basis=basis, assessment=ASSESSMENT, acting_user=police_caseworker
    )
    given = consent(kommun_caseworker, person, [kommun, police])
    # The membership's share ends: two days on, the municipality no longer holds the membership.
    clock.shift(timedelta(days=2))
    return Holdings(person, identity, membership, involvement, notification, case, police_entry, kommun_entry, given,
                    shares)  # fmt: skip
