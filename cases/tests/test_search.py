"""The cross-kind search selector: only visible records, counts equal to the gated lists' for the same q."""

import pytest

from agencies import access
from cases.filters.groups import GroupFilter
from cases.filters.individuals import IndividualFilter
from cases.models import CriminalGroup, Individual
from cases.selectors import group_base, individual_base
from cases.selectors.search import search_all
from cases.tests.factories import IndividualFactory, group
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db


def _by_kind(results):
    return {r.kind: r for r in results}


def test_only_visible_records_and_counts_equal_the_gated_lists(
    police, probation, police_caseworker, probation_caseworker
):
    mine = IndividualFactory(owner_agency=probation, created_by=probation_caseworker, alias="Zorro Testsson")
    IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Zorro Polissson")
    group(probation, probation_caseworker, name="Zorrogänget")
    group(police, police_caseworker, name="Zorro-nätverket")

    found = _by_kind(search_all(user=probation_caseworker, term="zorro"))

    assert [p.pk for p in found["person"].hits] == [mine.pk]
    assert [g.name for g in found["group"].hits] == ["Zorrogänget"]
    request = type("R", (), {"user": probation_caseworker})()
    people = access.visible(
        probation_caseworker,
        Individual,
        queryset=IndividualFilter({"q": "zorro"}, queryset=individual_base(), request=request).qs,
    )
    groups = access.visible(
        probation_caseworker,
        CriminalGroup,
        queryset=GroupFilter({"q": "zorro"}, queryset=group_base(), request=request).qs,
    )
    assert found["person"].count == people.count() == 1
    assert found["group"].count == groups.count() == 1


def test_too_short_term_finds_nothing(probation, probation_caseworker):
    IndividualFactory(owner_agency=probation, created_by=probation_caseworker, alias="Z")
    assert search_all(user=probation_caseworker, term="z") == []


PNR = "198507099805"  # fictional, valid check digit


def test_personnummer_finds_only_where_identity_is_visible(police, kommun, police_caseworker, kommun_caseworker):
    from agencies.tests.factories import basis_for
    from cases.tests.factories import IdentityDetailsFactory

    shared = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Ormen")
    IdentityDetailsFactory(individual=shared, personnummer=PNR)
    access.share(
        shared,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )

    assert [p.pk for p in _by_kind(search_all(user=police_caseworker, term=PNR))["person"].hits] == [shared.pk]
    # The person is shared, the identity is not: the personnummer finds nothing, the alias still does.
    assert _by_kind(search_all(user=kommun_caseworker, term=PNR))["person"].count == 0
    assert _by_kind(search_all(user=kommun_caseworker, term="orme"))["person"].count == 1


def test_query_count_is_constant_from_one_to_ten_hits(probation, probation_caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            search_all(user=probation_caseworker, term="kalle")
        return len(ctx.captured_queries)

    IndividualFactory(owner_agency=probation, created_by=probation_caseworker, alias="Kalle 0")
    queries()  # warms the per-process permission-id cache, as a running server has
    one = queries()
    # per kind (4): the first hits and the count; the persons shown logged (entry and targets: log_write())
    assert one == 8 + log_write()
    for i in range(1, 10):
        IndividualFactory(owner_agency=probation, created_by=probation_caseworker, alias=f"Kalle {i}")
    assert queries() == one
