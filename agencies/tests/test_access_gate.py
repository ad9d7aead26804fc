from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import basis_for, legal_basis
from cases.models import IndividualGroupGrant
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def test_owner_sees_other_agency_does_not(police, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    assert list(access.visible(police_caseworker, type(p))) == [p]
    assert list(access.visible(kommun_caseworker, type(p))) == []
    assert access.get_or_404(police_caseworker, type(p), p.pk) == p
    with pytest.raises(Http404):
        access.get_or_404(kommun_caseworker, type(p), p.pk)


def test_share_then_revoke(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert access.get_or_404(kommun_caseworker, type(p), p.pk) == p
    assert not access.can(kommun_caseworker, p, "change")
    page = access.visible_page(kommun_caseworker, type(p))
    assert page.items == [p]
    access.revoke(record, acting_user=police_caseworker, reason="Ändamålet upphört")
    with pytest.raises(Http404):
        access.get_or_404(kommun_caseworker, type(p), p.pk)
    assert IndividualGroupGrant.objects.count() == 0
    actions = list(AccessLogEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["share", "view", "list", "revoke"]


def test_share_without_legal_basis_is_refused(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    with pytest.raises(ApplicationError, match="rättslig grund"):
        access.share(p, to_agency=kommun, level="view", legal_basis=None, acting_user=police_caseworker)
    assert Share.objects.count() == 0
    assert IndividualGroupGrant.objects.count() == 0


def test_expired_share_stops_granting_before_task_runs(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    soon = timezone.now() + timedelta(minutes=1)
    access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=soon,
    )
    IndividualGroupGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Http404):
        access.get_or_404(kommun_caseworker, type(p), p.pk)


def test_pages_walk_forward_and_back(police, kommun, police_caseworker, kommun_caseworker):
    base = timezone.now() - timedelta(days=1)
    owned = [person(police, police_caseworker, created_at=base + timedelta(minutes=i)) for i in range(5)]
    theirs = [person(kommun, kommun_caseworker, created_at=base + timedelta(minutes=i, seconds=30)) for i in range(5)]
    for p in theirs:
        access.share(
            p,
            to_agency=police,
            level="view",
            legal_basis=basis_for(police),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    expected = sorted(owned + theirs, key=lambda p: p.created_at, reverse=True)
    page1 = access.visible_page(police_caseworker, type(owned[0]), size=4)
    assert page1.items == expected[:4] and page1.previous_cursor is None
    page2 = access.visible_page(police_caseworker, type(owned[0]), size=4, cursor=page1.next_cursor)
    assert page2.items == expected[4:8]
    page3 = access.visible_page(police_caseworker, type(owned[0]), size=4, cursor=page2.next_cursor)
    assert page3.items == expected[8:] and page3.next_cursor is None
    back = access.visible_page(police_caseworker, type(owned[0]), size=4, cursor=page2.previous_cursor)
    assert back.items == expected[:4]


def test_identity_share_needs_lead(police, kommun, police_caseworker, police_lead, kommun_caseworker):
    identity = IdentityDetailsFactory(individual=person(police, police_caseworker))
    with pytest.raises(ApplicationError):
        access.share(
            identity,
            to_agency=kommun,
            level="view",
            legal_basis=legal_basis(),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    access.share(
        identity,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_lead,
    )
    assert access.can(kommun_caseworker, identity)


def _mixed_visible(n, police, kommun, police_caseworker, kommun_caseworker):
    """n persons visible to the police: half owned, half shared by the kommun."""
    for i in range(n):
        if i % 2:
            p = person(kommun, kommun_caseworker)
            access.share(
                p,
                to_agency=police,
                level="view",
                legal_basis=basis_for(police),
                assessment="Behövs för samverkan.",
                acting_user=kommun_caseworker,
            )
        else:
            person(police, police_caseworker)


@pytest.mark.parametrize("rows", [1, 50])
def test_page_query_count_does_not_grow_with_rows(
    rows, police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries
):
    from cases.models import Individual

    _mixed_visible(rows, police, kommun, police_caseworker, kommun_caseworker)
    access.actor_for(police_caseworker)
    # The page's rows with the branches' ids as a subquery (one query on both databases), the log entry and
    # its targets (one statement on PostgreSQL, two on SQLite).
    with django_assert_num_queries(1 + log_write()):
        page = access.visible_page(police_caseworker, Individual)
    assert len(page.items) == rows


def test_detail_is_one_query_plus_the_log(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries
):
    from cases.models import Individual

    p = person(kommun, kommun_caseworker)
    access.share(
        p,
        to_agency=police,
        level="view",
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    access.actor_for(police_caseworker)
    with django_assert_num_queries(1 + log_write()):
        access.get_or_404(police_caseworker, Individual, p.pk)
    with django_assert_num_queries(1):
        access.get_or_404(police_caseworker, Individual, p.pk, log=False)


def test_filtered_page_applies_filter_to_every_branch(police, kommun, police_caseworker, kommun_caseworker):
    from cases.models import Individual

    mine = person(police, police_caseworker, alias="Kalle Anka")
    person(police, police_caseworker, alias="Musse Pigg")
    shared = person(kommun, kommun_caseworker, alias="Kalle Blomkvist")
    other = person(kommun, kommun_caseworker, alias="Kalle Hemlig")  # not shared: never found
    access.share(
        shared,
        to_agency=police,
        level="view",
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    page = access.visible_page(
        police_caseworker, Individual, within=Individual.objects.filter(alias__startswith="Kalle")
    )
    assert set(page.items) == {mine, shared}
    assert other not in page.items


def test_bad_cursor_is_a_validation_error(police_caseworker):
    from django.core.exceptions import ValidationError

    from cases.models import Individual

    with pytest.raises(ValidationError):
        access.visible_page(police_caseworker, Individual, cursor="inte-en-markör")


def test_user_without_agency_sees_nothing(police, police_caseworker, django_user_model):
    from cases.models import Individual

    person(police, police_caseworker)
    stranger = django_user_model.objects.create_user("ingen", password="x")
    assert access.visible_page(stranger, Individual).items == []
    assert not access.visible(stranger, Individual).exists()


def test_change_share_grants_change_and_revoking_one_of_two_shares_keeps_the_other(
    police, kommun, police_caseworker, kommun_caseworker
):
    p = person(police, police_caseworker)
    view = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    change = access.share(
        p,
        to_agency=kommun,
        level="change",
        legal_basis=legal_basis("osl-10-27"),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert access.can(kommun_caseworker, p, "change")
    access.revoke(change, acting_user=police_caseworker, reason="Behovet av ändring upphört")
    assert access.can(kommun_caseworker, p, "view") and not access.can(kommun_caseworker, p, "change")
    access.revoke(view, acting_user=police_caseworker, reason="Klart")
    assert not access.can(kommun_caseworker, p, "view")


def test_only_the_disclosing_agency_revokes(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    with pytest.raises(ApplicationError):
        access.revoke(record, acting_user=kommun_caseworker, reason="Vill inte")
    with pytest.raises(ApplicationError):
        access.share(
            p,
            to_agency=police,
            level="view",
            legal_basis=basis_for(police),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )


def test_expire_due_shares_is_idempotent(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    later = timezone.now() + timedelta(hours=2)
    assert access.expire_due_shares(now=later) == [record.pk]
    assert access.expire_due_shares(now=later) == []
    assert IndividualGroupGrant.objects.count() == 0
    assert AccessLogEntry.objects.filter(action="revoke").count() == 1


# --- the questions views ask instead of comparing agency ids ----------------------------------------


def test_owns_and_owned_ids_name_only_the_data_controller(police, kommun, police_caseworker, kommun_caseworker):
    mine, theirs = person(police, police_caseworker), person(kommun, kommun_caseworker)
    access.share(
        mine,
        to_agency=kommun,
        level="change",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert access.owns(police_caseworker, mine) and not access.owns(police_caseworker, theirs)
    # A change share lets the receiver change the record, never own it (it may not disclose it further).
    assert access.can(kommun_caseworker, mine, "change") and not access.owns(kommun_caseworker, mine)
    assert access.owned_ids(kommun_caseworker, [mine, theirs]) == {theirs.pk}
    assert not access.owns(None, mine) and access.owned_ids(None, [mine]) == set()


def test_can_each_asks_the_grants_in_one_query(
    police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries
):
    shared_view, shared_change, unshared = (person(police, police_caseworker) for _ in range(3))
    own = person(kommun, kommun_caseworker)
    basis = legal_basis()
    access.share(
        shared_view,
        to_agency=kommun,
        level="view",
        legal_basis=basis,
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    access.share(
        shared_change,
        to_agency=kommun,
        level="change",
        legal_basis=basis,
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    access.actor_for(kommun_caseworker)  # resolved once per request, before the page asks
    objs = [shared_view, shared_change, unshared, own]
    with django_assert_num_queries(1):
        assert access.can_each(kommun_caseworker, objs, "change") == {shared_change.pk, own.pk}
    with django_assert_num_queries(1):
        assert access.can_each(kommun_caseworker, objs, "view") == {shared_view.pk, shared_change.pk, own.pk}
    with django_assert_num_queries(0):
        assert access.can_each(kommun_caseworker, [own], "change") == {own.pk}


def test_acts_for_and_may_revoke(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert access.acts_for(police_caseworker, police.pk) and not access.acts_for(police_caseworker, kommun.pk)
    assert not access.acts_for(police_caseworker, None)
    assert access.may_revoke(police_caseworker, record)
    # The receiver sees the register row but may not withdraw it.
    assert not access.may_revoke(kommun_caseworker, record)
