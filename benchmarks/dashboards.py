"""Benchmark of the dashboards on PostgreSQL: the nightly computation's time, and the pages' time as a ratio
to the same pages with no data (never asserted in tests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gvi_i12_bench .venv/bin/python -m benchmarks.dashboards

It rebuilds the named database's tables and times, with no records at all: the snapshot computation and the
lead's and the joint dashboard (median of --repeat requests through Django's test client, signed in as a
lead with the second factor done). Then it loads ten years of fictional records by bulk insert (by default
50,000 incidents, 20,000 custom notifications, 5,000 exit cases with a meeting each, 5,000 tasks, 3,000
invitations to 120 call-ins, 200 enforcement responses with 400 levers), times the computation and the pages
again, and prints the ratios. Aliases are "P<n>"; nothing is a real person.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvi_portal.settings.dev")
    import django

    django.setup()


def timed(fn, repeat: int) -> float:
    fn()  # warm the cache and the plan
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def lead_client():
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies import second_factor
    from agencies.models import Agency, Role
    from agencies.tests.factories import AgencyFactory, UserFactory, with_second_factor

    agency = AgencyFactory(name="Polisen (bench)", slug="polisen-bench", kind=Agency.Kind.POLICE)
    lead = UserFactory(username="bench.lead", agency=agency, agency__role=Role.LEAD)
    with_second_factor(lead)
    client = Client()
    client.force_login(lead)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=lead).persistent_id
    session[second_factor.SESSION_VERIFIED_AT] = time.time()
    session.save()
    return client, lead, agency


def fill(lead, agency, args) -> None:
    from django.utils import timezone

    from agencies.tests.factories import AgencyFactory
    from cases.models import CaseEntry, CriminalGroup, District, ExitCase, Incident, IncidentGroup, Individual, Task
    from outreach.models import CallIn, CustomNotification, EnforcementResponse, Invitation, Lever

    rng = random.Random(12)
    others = [AgencyFactory(name=f"Myndighet {i} (bench)", slug=f"bench-{i}") for i in range(3)]
    agencies = [agency, *others]
    districts = list(District.objects.values_list("pk", flat=True))
    start = date.today() - timedelta(days=3650)

    def day() -> date:
        return start + timedelta(days=rng.randrange(3650))

    def moment() -> datetime:
        return timezone.make_aware(datetime.combine(day(), datetime.min.time()) + timedelta(hours=rng.randrange(24)))

    groups = CriminalGroup.objects.bulk_create(
        [CriminalGroup(owner_agency=agency, name=f"G{i}", created_by=lead) for i in range(40)]
    )
    kinds = ["shooting", "explosion", "serious_violence", "threat"]
    incidents = Incident.objects.bulk_create(
        [
            Incident(
                owner_agency=rng.choice(agencies), created_by=lead, kind=rng.choice(kinds), occurred_at=moment(),
                district_id=rng.choice(districts), dead=int(rng.random() < 0.05), injured=int(rng.random() < 0.2),
                investigation_hours=rng.choice([0, 0, 40, 120]),
            )
            for _ in range(args.incidents)
        ],
        batch_size=5000,
    )  # fmt: skip
    IncidentGroup.objects.bulk_create(
        [IncidentGroup(incident=i, group=rng.choice(groups), certainty="suspected", side="perpetrator")
         for i in incidents[: args.incidents // 3]],
        batch_size=5000,
    )  # fmt: skip
    persons = Individual.objects.bulk_create(
        [Individual(owner_agency=rng.choice(agencies), alias=f"P{i}", birth_year=1995, district_id=rng.choice(districts),
                    created_by=lead) for i in range(args.persons)],
        batch_size=5000,
    )  # fmt: skip
    CustomNotification.objects.bulk_create(
        [CustomNotification(owner_agency=rng.choice(agencies), created_by=lead, individual=rng.choice(persons),
                            delivered_on=day(), place_type="home", message_delivered=rng.choice(["yes", "partly", "no"]))
         for _ in range(args.notifications)],
        batch_size=5000,
    )  # fmt: skip
    cases = ExitCase.objects.bulk_create(
        [ExitCase(owner_agency=rng.choice(agencies), lead_agency=agency, individual=persons[i], created_by=lead,
                  opened_on=day(), phase=rng.choice(["request", "assessment", "active", "follow_up", "closed"]))
         for i in range(args.exit_cases)],
        batch_size=5000,
    )  # fmt: skip
    for case in cases:
        if case.phase == "closed":
            case.closed_on, case.outcome = case.opened_on + timedelta(days=200), "completed"
    ExitCase.objects.bulk_update([c for c in cases if c.phase == "closed"], ["closed_on", "outcome"], batch_size=5000)
    CaseEntry.objects.bulk_create(
        [CaseEntry(owner_agency=c.owner_agency, case=c, kind="minutes", occurred_on=c.opened_on + timedelta(days=rng.randrange(60)),
                   title="Möte", created_by=lead) for c in cases],
        batch_size=5000,
    )  # fmt: skip
    Task.objects.bulk_create(
        [Task(case=(c := rng.choice(cases)), owner_agency=c.owner_agency, title="Uppgift", assignee_agency=rng.choice(agencies), due_on=day(), created_by=lead)
         for _ in range(args.exit_cases)],
        batch_size=5000,
    )  # fmt: skip
    call_ins = CallIn.objects.bulk_create(
        [CallIn(owner_agency=rng.choice(agencies), created_by=lead, title=f"C{i}", venue="V", starts_at=moment(), status="held")
         for i in range(120)]
    )  # fmt: skip
    Invitation.objects.bulk_create(
        [Invitation(owner_agency=c.owner_agency, created_by=lead, call_in=c, individual=persons[j],
                    status=rng.choice(["attended", "absent"]))
         for c in call_ins for j in rng.sample(range(len(persons)), 25)],
        batch_size=5000,
    )  # fmt: skip
    responses = EnforcementResponse.objects.bulk_create(
        [EnforcementResponse(owner_agency=rng.choice(agencies), group=rng.choice(groups), decided_on=day(), created_by=lead)
         for _ in range(200)]
    )  # fmt: skip
    Lever.objects.bulk_create(
        [Lever(owner_agency=r.owner_agency, response=r, kind="police_operation", description="Fiktiv", starts_on=r.decided_on,
               created_by=lead) for r in responses for _ in range(2)]
    )  # fmt: skip


def measure(client, repeat: int) -> dict:
    from dashboards.services import compute_snapshots

    start = time.perf_counter()
    compute_snapshots()
    snapshot = time.perf_counter() - start
    today = date.today()
    # The pages as a lead and a partner first see them: the last twelve months, the latest year.
    urls = {
        "lead": "/instrumentpanel/myndighet/",
        "joint": "/instrumentpanel/",
        "lead, ten years": f"/instrumentpanel/myndighet/?start={today.year - 9}-01&end={today:%Y-%m}",
    }
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "snapshot_s": snapshot,
        **{name: timed(lambda url=url: client.get(url), repeat) for name, url in urls.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--notifications", type=int, default=20_000)
    parser.add_argument("--exit-cases", type=int, default=5_000)
    parser.add_argument("--persons", type=int, default=8_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database: its tables are rebuilt.")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    client, lead, agency = lead_client()
    empty = measure(client, args.repeat)
    start = time.perf_counter()
    fill(lead, agency, args)
    loaded_s = time.perf_counter() - start
    full = measure(client, args.repeat)
    print(f"loaded in {loaded_s:.1f} s")
    print(f"snapshot computation: empty {empty['snapshot_s']:.2f} s, ten years {full['snapshot_s']:.2f} s")
    for page in ("lead", "joint", "lead, ten years"):
        ratio = full[page] / empty[page]
        print(f"{page} dashboard: no data {empty[page] * 1000:.1f} ms, ten years of data {full[page] * 1000:.1f} ms, "
              f"ratio {ratio:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
