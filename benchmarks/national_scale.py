"""National scale (issue 10): every row of the goal table, measured against its baseline, as ratios.

    createdb -h 127.0.0.1 -U postgres gvi_bench_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gvi_bench_national \\
        .venv/bin/python -m benchmarks.national_scale --persons 500000 --agencies 300 --repeat 15

(or `make benchmark-national`, which uses BENCH_DATABASE_URL). It flushes the named database, fills it by
SQL alone (generate_series; no ORM row by row, no personal data: aliases are "P<n>"), then runs each
measured path and its baseline interleaved (A, B, A, B, …) and prints median, p90, the ratio of the
medians, the goal and the query count. Never point it at real data.

The data: 500,000 persons over 300 agencies with a realistic skew — the first three "police" agencies own
most records; the broad agency owns 10 % and is granted another 10 % (≈100,000 visible); a small
association is granted exactly 5; the rest of ~1.75 million grants spread over the other agencies' groups,
a tenth of them with an expiry date.

What is measured here is the ORM and the Django test client in one process (no gunicorn, no network): the
HTTP rows compare the same request path with and without the gate, so the fixed cost of a request is in both.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvi_portal.settings.dev")
    import django

    django.setup()


# --- the data ---------------------------------------------------------------------------------------------


def fill(persons: int, agencies: int, grants: int) -> dict:
    from django.contrib.auth.models import Permission
    from django.db import connection

    from agencies import services
    from agencies.models import Agency
    from agencies.tests.factories import UserFactory
    from cases.models import District

    started = time.perf_counter()
    for i in range(Agency.objects.count(), agencies):
        services.agency_create(name=f"Bench agency {i}", slug=f"bench-{i}", kind="municipality")
    rows = list(Agency.objects.order_by("pk").values_list("pk", "group_id"))
    broad_agency, broad_group = rows[0]
    small_agency, small_group = rows[1]
    broad = UserFactory(agency=Agency.objects.get(pk=broad_agency))
    small = UserFactory(agency=Agency.objects.get(pk=small_agency))
    police = [pk for pk, _g in rows[2:5]]
    others = [pk for pk, _g in rows[5:]]
    other_groups = [g for _pk, g in rows[2:]]
    districts = list(District.objects.values_list("pk", flat=True))
    view = Permission.objects.get(codename="view_individual").pk
    with connection.cursor() as cur:
        print(f"persons: {persons} …", file=sys.stderr)
        # 10 % owned by the broad agency, 60 % by three police agencies, the rest spread over the others.
        cur.execute(
            """
            INSERT INTO cases_individual
                (owner_agency_id, created_at, updated_at, version, alias, notes, created_by_id, birth_year,
                 district_id)
            SELECT CASE WHEN g %% 10 = 0 THEN %s
                        WHEN g %% 10 < 7 THEN (%s::int[])[1 + g %% 3]
                        ELSE (%s::int[])[1 + g %% %s] END,
                   now() - (g || ' seconds')::interval, now(), 1, 'P' || g, '', %s, 1980 + g %% 30,
                   (%s::int[])[1 + g %% %s]
            FROM generate_series(1, %s) AS g
            """,
            [broad_agency, police, others, len(others), broad.pk, districts, len(districts), persons],
        )
        cur.execute("SELECT min(id), max(id) FROM cases_individual")
        lo, hi = cur.fetchone()
        print(f"grants: ~{grants} …", file=sys.stderr)
        # The broad agency is granted every 10th record offset by 5 (≈ 10 %); the small one exactly 5.
        cur.execute(
            """
            INSERT INTO cases_individualgroupgrant (permission_id, group_id, content_object_id, created_at, expires_at)
            SELECT %s, %s, i.id, i.created_at, NULL::timestamptz FROM cases_individual i WHERE i.id %% 10 = 5
            UNION ALL
            SELECT %s, %s, i.id, i.created_at, NULL::timestamptz FROM cases_individual i WHERE i.id IN (%s, %s, %s, %s, %s)
            """,
            [view, broad_group, view, small_group, lo + 11, lo + 1001, lo + 50001, hi - 1001, hi - 11],
        )
        cur.execute(
            """
            INSERT INTO cases_individualgroupgrant (permission_id, group_id, content_object_id, created_at, expires_at)
            SELECT DISTINCT ON (r.grp, r.obj) %s, r.grp, r.obj, i.created_at,
                   CASE WHEN r.obj %% 10 = 3 THEN now() + interval '90 days' END
            FROM (SELECT (%s::int[])[1 + floor(random() * %s)::int] AS grp,
                         %s + floor(random() * (%s - %s))::bigint AS obj
                  FROM generate_series(1, %s)) r
            JOIN cases_individual i ON i.id = r.obj
            """,
            [view, other_groups, len(other_groups), lo, hi, lo, grants - persons // 10 - 5],
        )
        # The baselines' own index (an unfiltered newest-first page), or each baseline would sort the table.
        cur.execute(
            "CREATE INDEX IF NOT EXISTS bench_individual_created ON cases_individual (created_at DESC, id DESC)"
        )
        # A database in use is vacuumed: the visibility map lets the index-only scans skip the heap.
        cur.execute("VACUUM ANALYZE")
        cur.execute("SELECT count(*) FROM cases_individualgroupgrant")
        total_grants = cur.fetchone()[0]
    print(f"filled in {time.perf_counter() - started:.0f} s: {total_grants} grants", file=sys.stderr)
    return {"broad": broad, "small": small, "district": districts[0], "total_grants": total_grants}


# --- timing -----------------------------------------------------------------------------------------------


def interleaved(a: Callable, b: Callable, repeat: int) -> tuple[list[float], list[float]]:
    a(), b()  # warm caches and plans
    times_a: list[float] = []
    times_b: list[float] = []
    for _ in range(repeat):
        for fn, out in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return times_a, times_b


def p90(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.9) - 1)]


def queries(fn: Callable) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


ROWS: list[tuple[object, ...]] = []


def report(name: str, gated: Callable, baseline: Callable | None, goal: str, repeat: int) -> None:
    row: tuple[object, ...]
    try:
        n_queries = queries(gated)
        if baseline is None:
            times, _ = interleaved(gated, lambda: None, repeat)
            med = statistics.median(times)
            row = (name, f"{med * 1000:.1f} ms", f"{p90(times) * 1000:.1f} ms", "—", goal, n_queries)
        else:
            times, base = interleaved(gated, baseline, repeat)
            med, base_med = statistics.median(times), statistics.median(base)
            ratio = med / base_med if base_med else float("inf")
            row = (
                name,
                f"{med * 1000:.1f} ms",
                f"{p90(times) * 1000:.1f} ms",
                f"{ratio:.2f}× ({base_med * 1000:.1f} ms)",
                goal,
                n_queries,
            )
    except Exception as exc:  # one broken row must not hide the others
        row = (name, "error", "", repr(exc)[:80], goal, "")
    ROWS.append(row)
    print(" | ".join(str(c) for c in row), flush=True)


def measure(data: dict, repeat: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from agencies import access
    from cases import services
    from cases.models import Individual

    broad, small = data["broad"], data["small"]
    broad = type(broad).objects.get(pk=broad.pk)
    small = type(small).objects.get(pk=small.pk)

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    broad_client, small_client = client_for(broad), client_for(small)
    broad_group = services.group_create(acting_user=broad, name="Bench-nätverket")
    small_group = services.group_create(acting_user=small, name="Liten-nätverket")
    bare = Client()

    def get(client, url):
        return lambda: client.get(url)

    form_broad = reverse("membership-create", kwargs={"pk": broad_group.pk})
    form_small = reverse("membership-create", kwargs={"pk": small_group.pk})
    options = broad_client.get(form_broad).content.decode().count("<option")
    print(f"membership form (broad): {options} <option>s", flush=True)
    report("new membership form, broad agency", get(broad_client, form_broad), None, "< 150 ms", repeat)
    report("new membership form, agency that sees 5", get(small_client, form_small), None, "< 50 ms", repeat)
    del bare

    report(
        "count visible, agency that sees 5 (vs count all)",
        lambda: access.visible(small, Individual).count(),
        lambda: Individual.objects.count(),
        "never a whole-table scan (≪ 1×)",
        repeat,
    )
    report(
        "count visible, broad agency (vs count all)",
        lambda: access.visible(broad, Individual).count(),
        lambda: Individual.objects.count(),
        "—",
        repeat,
    )

    def page(qs):
        return lambda: list(qs.order_by("-created_at", "-id")[:50])

    term = "P1234"
    search = Individual.objects.filter(alias__icontains=term)
    report(
        f"alias search q={term} through the gate, broad (vs unfiltered search)",
        lambda: access.visible_page(broad, Individual, within=search, log=False),
        page(search),
        "≤ 1.5×",
        repeat,
    )
    district = Individual.objects.filter(district_id=data["district"])
    report(
        "district filter, agency that sees 5 (vs unfiltered district page)",
        lambda: access.visible_page(small, Individual, within=district, log=False),
        page(district),
        "≤ 2×",
        repeat,
    )
    report(
        "district filter, broad agency (vs unfiltered district page)",
        lambda: access.visible_page(broad, Individual, within=district, log=False),
        page(district),
        "≤ 2×",
        repeat,
    )
    # The 50,000th visible row of the broad agency: its cursor, then the page after it.
    depth = min(50_000, access.visible(broad, Individual).count() - 100)
    row = access.visible(broad, Individual).order_by("-created_at", "-id").values_list("created_at", "pk")[depth]
    deep = access._encode_cursor(row[0], row[1], "n")
    report(
        "deep page (50,000th visible row) vs first page, broad",
        lambda: access.visible_page(broad, Individual, cursor=deep, log=False),
        lambda: access.visible_page(broad, Individual, log=False),
        "constant with depth (≈ 1×)",
        repeat,
    )
    report(
        "first page with its log row, ORM level, broad (vs unfiltered page)",
        lambda: access.visible_page(broad, Individual),
        page(Individual.objects.select_related("district", "owner_agency")),
        "≤ 2×",
        repeat,
    )
    report(
        "first page without the log row, ORM level, broad (vs unfiltered page)",
        lambda: access.visible_page(broad, Individual, log=False),
        page(Individual.objects.select_related("district", "owner_agency")),
        "—",
        repeat,
    )
    report(
        "GET /api/v1/individuals/ (test client), broad",
        get(broad_client, "/api/v1/individuals/"),
        None,
        "≤ 1.3× a bare DRF list; ≤ 4 queries",
        repeat,
    )
    report(
        "/personer/ HTML (test client), broad",
        get(broad_client, reverse("individual-list")),
        None,
        "≤ 1.2× a bare page",
        repeat,
    )
    target = access.visible(broad, Individual).order_by("-created_at").values_list("pk", flat=True)[1000]
    report(
        "detail read with its log row (access.find) vs a plain pk fetch",
        lambda: access.find(broad, Individual, target),
        lambda: Individual.objects.filter(pk=target).first(),
        "≤ 2×",
        repeat,
    )
    measure_shares(broad, repeat)


def measure_shares(broad, repeat: int) -> None:
    """Creating a share (queries), and withdrawing a consent that 1,000 shares rest on (time, queries)."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from agencies import access
    from agencies.models import Agency, LegalBasis, Share
    from cases import services
    from cases.models import Consent, Individual

    basis = LegalBasis.objects.filter(active=True, requires_consent=False).first()
    assert basis is not None
    receiver = Agency.objects.exclude(pk=access.require_actor(broad).agency_id).order_by("pk")[3]
    mine = list(Individual.objects.filter(owner_agency_id=access.require_actor(broad).agency_id).order_by("pk")[:20])
    n = queries(lambda: access.share(mine[0], to_agency=receiver, level="view", legal_basis=basis, acting_user=broad))
    ROWS.append(("creating a share (queries)", "", "", "", "≤ 6 queries", n))
    print(f"creating a share: {n} queries", flush=True)

    consent_basis = LegalBasis.objects.filter(active=True, requires_consent=True).first()
    person = mine[1]
    consent = Consent.objects.create(
        owner_agency_id=access.require_actor(broad).agency_id,
        individual=person,
        purpose="Bench",
        valid_until=timezone.localdate() + timedelta(days=365),
        document_reference="BENCH-1",
        recorded_by=broad,
    )
    consent.agencies.add(receiver)
    ct = ContentType.objects.get_for_model(Individual)
    consent_ct = ContentType.objects.get_for_model(Consent)
    with connection.cursor() as cur:
        # 1,000 shares resting on the consent (of 1,000 records the broad agency owns), with their grants.
        cur.execute(
            """
            INSERT INTO agencies_share (content_type_id, object_id, from_agency_id, to_agency_id, level,
                legal_basis_id, consent_type_id, consent_id, decided_by_id, decided_at, revoke_reason)
            SELECT %s, i.id, i.owner_agency_id, %s, 'view', %s, %s, %s, %s, now(), ''
            FROM cases_individual i WHERE i.owner_agency_id = %s ORDER BY i.id LIMIT 1000
            """,
            [
                ct.pk,
                receiver.pk,
                (consent_basis or basis).pk,
                consent_ct.pk,
                consent.pk,
                broad.pk,
                access.require_actor(broad).agency_id,
            ],
        )
        cur.execute(
            """
            INSERT INTO cases_individualgroupgrant (permission_id, group_id, content_object_id, created_at, expires_at)
            SELECT %s, %s, s.object_id, i.created_at, NULL FROM agencies_share s
            JOIN cases_individual i ON i.id = s.object_id WHERE s.consent_id = %s
            ON CONFLICT DO NOTHING
            """,
            [access._permission_id(Individual, "view"), receiver.group_id, consent.pk],
        )
    started = time.perf_counter()
    n = queries(lambda: services.consent_withdraw(consent=consent, acting_user=broad, note="Bench"))
    took = time.perf_counter() - started
    still = Share.objects.filter(consent_id=consent.pk, revoked_at__isnull=True).count()
    row = (
        "withdrawing a consent that 1,000 shares rest on",
        f"{took * 1000:.0f} ms",
        "",
        f"{still} left active",
        "< 0.5 s; queries independent of shares",
        n,
    )
    ROWS.append(row)
    print(" | ".join(str(c) for c in row), flush=True)
    del repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--agencies", type=int, default=300)
    parser.add_argument("--grants", type=int, default=1_750_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="measure the data of an earlier run (no flush)")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database: its tables are rebuilt.")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    if not args.reuse:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        data = fill(args.persons, args.agencies, args.grants)
    else:
        data = reuse()
    print(f"PostgreSQL {getattr(connection, 'pg_version', '?')}, {os.cpu_count()} cores", flush=True)
    print("path | median | p90 | ratio (baseline median) | goal | queries", flush=True)
    measure(data, args.repeat)
    print("\n| path | median | p90 | ratio to baseline | goal | queries |\n|---|---|---|---|---|---|")
    for row in ROWS:
        print("| " + " | ".join(str(c) for c in row) + " |")


def reuse() -> dict:
    from agencies.models import Agency
    from cases.models import District

    agencies = list(Agency.objects.order_by("pk")[:2])
    users = [a.memberships.select_related("user").order_by("pk")[0].user for a in agencies]
    return {"broad": users[0], "small": users[1], "district": District.objects.order_by("pk")[0].pk}


if __name__ == "__main__":
    main()
