"""Withdrawing a consent that many shares rest on: time and statements (issue 10's last row).

Builds, in the database named by DATABASE_URL (a scratch one: it adds agencies, users and records), one person
known to two agencies, a joint case, a consent, and N case entries the police share with the municipality on
that consent. Then it withdraws the consent inside a transaction that is rolled back, so each repeat starts
from the same state, and prints the median time and the number of statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gvi_scale .venv/bin/python -m benchmarks.withdrawal --shares 1000
"""

import argparse
import os
import statistics
import time
import uuid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one withdrawal")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvi_portal.settings.dev")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from agencies import access
    from agencies.models import Agency
    from agencies.tests.factories import AgencyFactory, UserFactory, legal_basis
    from cases import services
    from cases.tests.factories import IndividualFactory, consent, exit_case

    tag = uuid.uuid4().hex[:6]
    police = AgencyFactory(name=f"Polis {tag}", slug=f"polis-{tag}", kind=Agency.Kind.POLICE)
    kommun = AgencyFactory(name=f"Kommun {tag}", slug=f"kommun-{tag}", kind=Agency.Kind.MUNICIPALITY)
    officer = UserFactory(username=f"polis-{tag}", agency=police)
    social = UserFactory(username=f"kommun-{tag}", agency=kommun)
    person = IndividualFactory(owner_agency=kommun, created_by=social)
    access.share(
        person, to_agency=police, level="view", legal_basis=legal_basis(), assessment="Fiktivt.", acting_user=social
    )
    case = exit_case(social, person)
    services.case_join(
        case=case, to_agency=police, legal_basis=legal_basis(), assessment="Fiktivt.", acting_user=social
    )
    given = consent(social, person, [kommun, police])
    basis = legal_basis("samtycke")
    started = time.perf_counter()
    for i in range(args.shares):
        entry = services.entry_add(case=case, acting_user=officer, kind="note", title=f"Anteckning {i}")
        services.entry_share(entry=entry, to_agency=kommun, legal_basis=basis, assessment="Fiktivt.", consent=given,
                             acting_user=officer)  # fmt: skip
    print(f"built {args.shares} shares on one consent in {time.perf_counter() - started:.1f} s")

    class Rollback(Exception):
        pass

    def withdraw_once():
        connection.queries_log.clear()  # building logged more than the log keeps; start counting from empty
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    revoked = services.consent_withdraw(consent=given, acting_user=social, note="Fiktivt")
                    elapsed = time.perf_counter() - started
                    raise Rollback
            except Rollback:
                pass
        assert len(revoked) == args.shares, len(revoked)
        return elapsed, len(ctx)

    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(withdraw_once)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    times, counts = [], set()
    for _ in range(args.repeat):
        elapsed, statements = withdraw_once()
        times.append(elapsed)
        counts.add(statements)
    print(f"withdrawal of {args.shares} shares: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms, statements {sorted(counts)} (incl. savepoints)")  # fmt: skip


if __name__ == "__main__":
    main()
