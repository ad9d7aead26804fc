"""A small fixed data set whose figures the tests compute by hand (docs/dashboards.md lists the rules).

Programme start 2025-01-01, baseline 2024 (366 days), snapshots as of 2025-06-30 (181 days after the start).

Polisen, Vivalla:
  2024-03-10 shooting, 1 dead, 100 h            (baseline)
  2024-06-05 shooting, 2 injured, no hours       (baseline)
  2024-06-20 explosion, no one hurt, no hours    (baseline)
  2024-09-01 serious violence, 1 injured, 40 h, attributed to a group (baseline)
  2024-11-11 threat                              (not goal 1)
  2025-02-03 shooting, no one hurt, no hours, attributed to a group
  2025-02-14 shooting, 2 dead and 1 injured, 200 h
Örebro kommun, Centrum:
  2024-01-15 serious violence, no one hurt, no hours (baseline)
  2025-03-01 explosion, 1 injured, no hours
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import CaseEntry, District, ExitCase, Incident, IncidentGroup, Task
from cases.models.exit_cases import EntryKind, Outcome, Phase
from cases.tests.factories import IndividualFactory, group
from dashboards.models import CostDefault, SnapshotRun
from dashboards.services import compute_snapshots
from gvi_portal.tests.conftest import celery_worker  # noqa: F401 - the real worker, for test_worker.py
from outreach.models import CallIn, CustomNotification, EnforcementResponse, Invitation, Lever

AS_OF = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def programme_dates(settings):
    settings.PROGRAMME_START_DATE = date(2025, 1, 1)
    settings.DASHBOARD_BASELINE_START = date(2024, 1, 1)
    settings.DASHBOARD_BASELINE_END = date(2025, 1, 1)


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day + " 12:00"))


@pytest.fixture
def defaults(db):
    CostDefault.objects.all().delete()
    for kind, hours in {"shooting": 150, "explosion": 80, "serious_violence": 60}.items():
        CostDefault.objects.create(measure="hours", incident_kind=kind, outcome="any", amount=hours, source="Test")
    CostDefault.objects.create(measure="cost", incident_kind="shooting", outcome="dead", amount=10_000_000, source="T")
    CostDefault.objects.create(
        measure="cost", incident_kind="shooting", outcome="injured", amount=2_000_000, source="T"
    )
    CostDefault.objects.create(measure="cost", incident_kind="shooting", outcome="none", amount=100_000, source="T")
    CostDefault.objects.create(measure="cost", incident_kind="explosion", outcome="any", amount=500_000, source="T")
    CostDefault.objects.create(
        measure="cost", incident_kind="serious_violence", outcome="any", amount=300_000, source="T"
    )


@pytest.fixture
def dataset(police, kommun, police_caseworker, kommun_caseworker, defaults):
    vivalla = District.objects.get(name="Vivalla")
    centrum = District.objects.get(name="Centrum")
    grp = group(police, police_caseworker, name="Testnätverket")

    def incident(agency, user, day, kind, district, dead=0, injured=0, hours=0, attributed=False):
        obj = Incident.objects.create(
            owner_agency=agency, created_by=user, kind=kind, occurred_at=at(day), district=district, dead=dead,
            injured=injured, investigation_hours=Decimal(hours),
        )  # fmt: skip
        if attributed:
            IncidentGroup.objects.create(incident=obj, group=grp, certainty="confirmed", side="perpetrator")
        return obj

    K = Incident.Kind
    p, k = (police, police_caseworker), (kommun, kommun_caseworker)
    incident(*p, "2024-03-10", K.SHOOTING, vivalla, dead=1, hours=100)
    incident(*p, "2024-06-05", K.SHOOTING, vivalla, injured=2)
    incident(*p, "2024-06-20", K.EXPLOSION, vivalla)
    incident(*p, "2024-09-01", K.SERIOUS_VIOLENCE, vivalla, injured=1, hours=40, attributed=True)
    incident(*p, "2024-11-11", K.THREAT, vivalla)
    incident(*p, "2025-02-03", K.SHOOTING, vivalla, attributed=True)
    incident(*p, "2025-02-14", K.SHOOTING, vivalla, dead=2, injured=1, hours=200)
    incident(*k, "2024-01-15", K.SERIOUS_VIOLENCE, centrum)
    incident(*k, "2025-03-01", K.EXPLOSION, centrum, injured=1)

    persons = [IndividualFactory(owner_agency=police, created_by=police_caseworker, district=vivalla) for _ in range(5)]
    # Two call-ins held by the police in March 2025 (one planned, not counted); 5 invited, 3 attended.
    held = CallIn.objects.create(owner_agency=police, created_by=police_caseworker, title="A", venue="V",
                                 starts_at=at("2025-03-05"), status=CallIn.Status.HELD)  # fmt: skip
    CallIn.objects.create(owner_agency=police, created_by=police_caseworker, title="B", venue="V",
                          starts_at=at("2025-03-20"), status=CallIn.Status.HELD)  # fmt: skip
    CallIn.objects.create(owner_agency=police, created_by=police_caseworker, title="C", venue="V",
                          starts_at=at("2025-07-20"), status=CallIn.Status.PLANNED)  # fmt: skip
    for index, person in enumerate(persons):
        Invitation.objects.create(
            owner_agency=police, created_by=police_caseworker, call_in=held, individual=person,
            status=Invitation.Status.ATTENDED if index < 3 else Invitation.Status.ABSENT, help_requested=index == 0,
        )  # fmt: skip
    # Notifications in April 2025: person 0 twice (one repeat), person 1 once, not delivered; one accepted.
    for person, day, delivered, accepted in [
        (persons[0], date(2025, 4, 2), "yes", False),
        (persons[0], date(2025, 4, 20), "yes", True),
        (persons[1], date(2025, 4, 9), "no", False),
    ]:
        CustomNotification.objects.create(
            owner_agency=police, created_by=police_caseworker, individual=person, delivered_on=day,
            place_type="home", message_delivered=delivered, offer_made=accepted, offer_accepted=accepted,
        )  # fmt: skip
    # Exit cases: three opened in 2025 (first meetings after 4, 10 and 20 days), one closed completed.
    cases = []
    for person, opened, meeting, phase in [
        (persons[0], date(2025, 3, 5), date(2025, 3, 9), Phase.ACTIVE),
        (persons[1], date(2025, 3, 10), date(2025, 3, 20), Phase.ASSESSMENT),
        (persons[2], date(2025, 4, 1), date(2025, 4, 21), Phase.CLOSED),
    ]:
        case = ExitCase.objects.create(
            owner_agency=police, lead_agency=police, individual=person, created_by=police_caseworker,
            opened_on=opened, phase=phase, outcome=Outcome.COMPLETED if phase == Phase.CLOSED else "",
            closed_on=date(2025, 5, 1) if phase == Phase.CLOSED else None,
        )  # fmt: skip
        CaseEntry.objects.create(owner_agency=police, case=case, kind=EntryKind.MINUTES, occurred_on=meeting,
                                 title="Möte", created_by=police_caseworker)  # fmt: skip
        cases.append(case)
    Task.objects.create(case=cases[0], title="Ring", owner_agency=police, assignee_agency=police, due_on=date(2025, 6, 1),
                        created_by=police_caseworker)  # fmt: skip
    Task.objects.create(case=cases[0], title="Klar", owner_agency=police, assignee_agency=police, due_on=date(2025, 6, 1),
                        status=Task.Status.DONE, created_by=police_caseworker)  # fmt: skip
    response = EnforcementResponse.objects.create(
        owner_agency=police, group=grp, decided_on=date(2025, 2, 20), created_by=police_caseworker
    )
    Lever.objects.create(owner_agency=police, response=response, kind=Lever.Kind.POLICE_OPERATION,
                         description="Fiktiv", starts_on=date(2025, 2, 21), created_by=police_caseworker)  # fmt: skip
    Lever.objects.create(owner_agency=police, response=response, kind=Lever.Kind.SUPERVISION_CHECK,
                         description="Fiktiv", starts_on=date(2025, 2, 22), created_by=police_caseworker)  # fmt: skip
    return {"vivalla": vivalla, "centrum": centrum, "persons": persons, "cases": cases}


@pytest.fixture
def computed(dataset):
    compute_snapshots(as_of=AS_OF)
    SnapshotRun.objects.create(trigger="nightly", status="done", progress=100, as_of=AS_OF, finished_at=timezone.now())
    return dataset
