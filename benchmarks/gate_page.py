"""Benchmark of the gate's query shapes on PostgreSQL, reported as ratios (never asserted in tests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gvi_bench .venv/bin/python -m benchmarks.gate_page --records 200000

It (re)creates the named database's tables, fills them with synthetic rows by SQL (no personal data at all,
aliases are "P<n>"), then times, for a 50-row page newest first:

- baseline: the same page with no access filter at all;
- gate: agencies.access.visible_page (owner branch + grant-index branches, UNION ALL, then rows by pk);
- or_in: agencies.access.visible(...) ordered and sliced (owner OR id IN grants);
- guardian: guardian.shortcuts.get_objects_for_user(...) ordered and sliced (the shape docs/performance.md warns about);
and a single-object check: access.find vs guardian's ObjectPermissionChecker.has_perm.
Each for a caseworker whose agency sees ~0.8 % of the records and for one who sees 5.
"""

import argparse
import os
import random
import statistics
import sys
import time


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


def fill(records: int, agencies: int, grants_per_record: float) -> dict:
    from django.contrib.auth.models import Permission
    from django.db import connection

    from agencies import services
    from agencies.models import Agency
    from agencies.tests.factories import UserFactory
    from cases.models import Individual

    rng = random.Random(7)
    existing = Agency.objects.count()
    for i in range(existing, agencies):
        services.agency_create(name=f"Bench agency {i}", slug=f"bench-{i}", kind="municipality")
    agency_rows = list(Agency.objects.order_by("pk").values_list("pk", "group_id"))
    main_agency, main_group = agency_rows[0]
    tiny_agency, tiny_group = agency_rows[1]
    main_user = UserFactory(agency=Agency.objects.get(pk=main_agency))
    tiny_user = UserFactory(agency=Agency.objects.get(pk=tiny_agency))
    creator = main_user.pk
    perm = Permission.objects.get(codename="view_individual").pk
    with connection.cursor() as cur:
        print(f"inserting {records} records …", file=sys.stderr)
        # Owners spread over all agencies except the two measured ones, which own 0.4 % and nothing.
        cur.execute(
            """
            INSERT INTO cases_individual (owner_agency_id, created_at, updated_at, version, alias, notes, created_by_id)
            SELECT CASE WHEN g %% 250 = 0 THEN %s ELSE %s + (g %% (%s - 2)) END,
                   now() - (g || ' seconds')::interval, now(), 1, 'P' || g, '', %s
            FROM generate_series(1, %s) AS g
            """,
            [main_agency, agency_rows[2][0], agencies, creator, records],
        )
        lo, hi = (
            Individual.objects.order_by("pk").values_list("pk", flat=True)[0],
            Individual.objects.order_by("-pk").values_list("pk", flat=True)[0],
        )
        print("inserting grants …", file=sys.stderr)
        group_ids = [g for _a, g in agency_rows[2:]]
        rows = int(records * grants_per_record)
        # Random grants to other agencies' groups; 0.4 % of records granted to the measured agency (plus
        # the 0.4 % it owns ≈ 0.8 % visible); exactly 5 to the tiny agency.
        cur.execute("CREATE TEMP TABLE g (obj bigint, grp int)")
        batch = []
        for _ in range(rows):
            batch.append((rng.randint(lo, hi), rng.choice(group_ids)))
        for obj in rng.sample(range(lo, hi + 1), records // 250):
            batch.append((obj, main_group))
        for obj in rng.sample(range(lo, hi + 1), 5):
            batch.append((obj, tiny_group))
        cur.executemany("INSERT INTO g VALUES (%s, %s)", batch)
        cur.execute(
            """
            INSERT INTO cases_individualgroupgrant (permission_id, group_id, content_object_id, created_at, expires_at)
            SELECT DISTINCT ON (g.grp, g.obj) %s, g.grp, g.obj, i.created_at, NULL
            FROM g JOIN cases_individual i ON i.id = g.obj
            """,
            [perm],
        )
        # The baseline deserves its own index, or it would be a full sort and flatter every other shape.
        cur.execute(
            "CREATE INDEX IF NOT EXISTS bench_individual_created ON cases_individual (created_at DESC, id DESC)"
        )
        cur.execute("ANALYZE")
    return {"main": main_user, "tiny": tiny_user}


def measure(users: dict, repeat: int) -> None:
    from guardian.core import ObjectPermissionChecker
    from guardian.shortcuts import get_objects_for_user

    from agencies import access
    from cases.models import Individual

    def page(qs):
        return lambda: list(qs.order_by("-created_at", "-id")[:50].values_list("pk", flat=True))

    baseline = timed(page(Individual.objects.all()), repeat)
    print(f"baseline unfiltered page: {baseline * 1000:.2f} ms")
    for label, user in users.items():
        user = type(user).objects.get(pk=user.pk)
        access.actor_for(user)
        shapes = {
            "gate (visible_page)": lambda: access.visible_page(user, Individual, log=False),
            "owner OR id IN grants": page(access.visible(user, Individual)),
            "guardian get_objects_for_user": page(
                get_objects_for_user(user, "cases.view_individual", klass=Individual, accept_global_perms=False)
            ),
        }
        print(f"\n{label} caseworker ({access.visible(user, Individual).count()} visible records)")
        for name, fn in shapes.items():
            t = timed(fn, repeat)
            print(f"  {name:34s} {t * 1000:8.2f} ms  {t / baseline:6.1f}× baseline")
        target = access.visible(user, Individual).order_by("?").first()
        if target is None:
            continue
        find = timed(lambda: access.find(user, Individual, target.pk, log=False), repeat)
        plain = timed(lambda: Individual.objects.filter(pk=target.pk).first(), repeat)

        def guardian_check():
            ObjectPermissionChecker(user).has_perm("view_individual", target)

        check = timed(guardian_check, repeat)
        print(f"  {'detail: access.find':34s} {find * 1000:8.2f} ms  {find / plain:6.1f}× a plain pk fetch")
        print(f"  {'detail: guardian has_perm':34s} {check * 1000:8.2f} ms  {check / plain:6.1f}× a plain pk fetch")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--agencies", type=int, default=300)
    parser.add_argument("--grants-per-record", type=float, default=3.5)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database: its tables are rebuilt.")
    setup_django()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    users = fill(args.records, args.agencies, args.grants_per_record)
    measure(users, args.repeat)


if __name__ == "__main__":
    main()
