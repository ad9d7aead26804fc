"""The gate's core functions held to the details the behavioural tests left loose.

Written from the survivors of the mutation run over `visible`, `visible_page`, `find`, `can`, `sync_grants`
and their helpers (docs/testing.md, "Mutation testing"): each test names the rule a surviving mutant broke.
Real database, real gate; the clock is moved with time-machine where time matters.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry
from agencies.tests.factories import basis_for, legal_basis
from cases import services
from cases.models import Individual, IndividualGroupGrant
from cases.tests.factories import IndividualFactory, consent

pytestmark = pytest.mark.django_db

NOON = datetime.combine(datetime.now().date() + timedelta(days=3), time(12, 0))


def moment(hours: float = 0) -> datetime:
    return timezone.make_aware(NOON) + timedelta(hours=hours)


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def share(obj, *, to, by, level="view", **kw):
    return access.share(
        obj,
        to_agency=to,
        level=level,
        legal_basis=basis_for(to),
        assessment="Behövs för samverkan.",
        acting_user=by,
        **kw,
    )


# --- a narrower queryset is kept ----------------------------------------------------------------------


def test_visible_find_and_get_or_404_keep_the_callers_queryset(police, kommun, police_caseworker, kommun_caseworker):
    mine = person(police, police_caseworker, alias="Kalle")
    person(police, police_caseworker, alias="Musse")
    theirs = person(kommun, kommun_caseworker, alias="Kalle")
    share(theirs, to=police, by=kommun_caseworker)
    kalle = Individual.objects.filter(alias="Kalle")

    assert set(access.visible(police_caseworker, Individual, queryset=kalle)) == {mine, theirs}
    musse = Individual.objects.exclude(alias="Kalle")
    assert access.find(police_caseworker, Individual, theirs.pk, queryset=musse, log=False) is None
    with pytest.raises(Http404):
        access.get_or_404(police_caseworker, Individual, mine.pk, queryset=musse, log=False)
    assert access.get_or_404(police_caseworker, Individual, theirs.pk, queryset=kalle, log=False) == theirs


# --- what is logged ---------------------------------------------------------------------------------


def test_find_logs_the_read_by_default(police, police_caseworker):
    p = person(police, police_caseworker)
    assert access.find(police_caseworker, Individual, p.pk) == p
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.user, entry.agency, entry.model, entry.object_ids) == (
        "view",
        police_caseworker,
        police,
        "cases.individual",
        [p.pk],
    )


def test_a_page_logs_who_listed_what(police, kommun, police_caseworker, kommun_caseworker):
    mine = person(police, police_caseworker, created_at=moment(-2))
    theirs = person(kommun, kommun_caseworker, created_at=moment(-1))
    share(theirs, to=police, by=kommun_caseworker)
    page = access.visible_page(police_caseworker, Individual)
    assert page.items == [theirs, mine]
    entry = AccessLogEntry.objects.get(action="list")
    assert (entry.user, entry.agency, entry.model, entry.object_ids) == (
        police_caseworker,
        police,
        "cases.individual",
        [theirs.pk, mine.pk],
    )


# --- the page and its cursors ----------------------------------------------------------------------


def test_a_page_of_exactly_its_size_has_no_next_page_and_the_default_size_is_fifty(police, police_caseworker):
    people = [person(police, police_caseworker, created_at=moment(-i)) for i in range(51)]
    page = access.visible_page(police_caseworker, Individual, log=False)
    assert page.size == 50 and page.items == people[:50] and page.next_cursor is not None
    exact = access.visible_page(police_caseworker, Individual, size=51, log=False)
    assert exact.items == people and exact.next_cursor is None and exact.previous_cursor is None
    assert exact.size == 51  # the page says the size it was asked for


def test_a_page_reached_backwards_still_leads_forward(police, kommun, police_caseworker, kommun_caseworker):
    owned = [person(police, police_caseworker, created_at=moment(-i)) for i in range(3)]
    theirs = [person(kommun, kommun_caseworker, created_at=moment(-i - 0.5)) for i in range(3)]
    for p in theirs:
        share(p, to=police, by=kommun_caseworker)
    newest_first = sorted(owned + theirs, key=lambda p: p.created_at, reverse=True)

    first = access.visible_page(police_caseworker, Individual, size=2, log=False)
    second = access.visible_page(police_caseworker, Individual, size=2, cursor=first.next_cursor, log=False)
    back = access.visible_page(police_caseworker, Individual, size=2, cursor=second.previous_cursor, log=False)
    assert back.items == newest_first[:2]
    assert back.previous_cursor is None  # nothing newer than the first page
    again = access.visible_page(police_caseworker, Individual, size=2, cursor=back.next_cursor, log=False)
    assert again.items == newest_first[2:4]
    # Back from the last page: a full page, with a way on.
    third = access.visible_page(police_caseworker, Individual, size=2, cursor=second.next_cursor, log=False)
    assert third.items == newest_first[4:] and third.next_cursor is None
    back_from_last = access.visible_page(police_caseworker, Individual, size=2, cursor=third.previous_cursor, log=False)
    assert back_from_last.items == newest_first[2:4]
    assert back_from_last.next_cursor is not None and back_from_last.previous_cursor is not None


def test_records_made_at_the_same_moment_are_ordered_by_id_across_branches(
    police, kommun, police_caseworker, kommun_caseworker
):
    at = moment(-1)
    first_owned = person(police, police_caseworker, created_at=at)
    shared = person(kommun, kommun_caseworker, created_at=at)
    last_owned = person(police, police_caseworker, created_at=at)
    share(shared, to=police, by=kommun_caseworker)
    newest_first = [last_owned, shared, first_owned]  # same time: the higher id first

    assert access.visible_page(police_caseworker, Individual, log=False).items == newest_first
    one = access.visible_page(police_caseworker, Individual, size=1, log=False)
    two = access.visible_page(police_caseworker, Individual, size=1, cursor=one.next_cursor, log=False)
    three = access.visible_page(police_caseworker, Individual, size=1, cursor=two.next_cursor, log=False)
    assert [one.items, two.items, three.items] == [[p] for p in newest_first]
    assert three.next_cursor is None
    back = access.visible_page(police_caseworker, Individual, size=1, cursor=three.previous_cursor, log=False)
    assert back.items == [shared]


def test_a_filtered_page_is_filled_from_every_branch(police, kommun, police_caseworker, kommun_caseworker):
    # A newer shared record outside the filter must not take the page's only place.
    wanted = person(kommun, kommun_caseworker, alias="Kalle", created_at=moment(-2))
    unwanted = person(kommun, kommun_caseworker, alias="Musse", created_at=moment(-1))
    for p in (wanted, unwanted):
        share(p, to=police, by=kommun_caseworker)
    page = access.visible_page(
        police_caseworker, Individual, within=Individual.objects.filter(alias="Kalle"), size=1, log=False
    )
    assert page.items == [wanted] and page.next_cursor is None


def test_a_user_without_an_agency_gets_an_empty_page_of_the_asked_size(police, police_caseworker, django_user_model):
    person(police, police_caseworker)
    stranger = django_user_model.objects.create_user("ingen", password="x")
    page = access.visible_page(stranger, Individual, size=7)
    assert page.items == [] and page.size == 7 and page.next_cursor is None
    assert not AccessLogEntry.objects.filter(action="list").exists()


# --- grants: the longest share wins, and a share without an end outlives one with an end ------------


def test_a_share_without_an_end_outlives_one_with_an_end(police, kommun, police_caseworker, kommun_caseworker):
    with time_machine.travel(moment(), tick=False):
        p = person(police, police_caseworker)
        share(p, to=kommun, by=police_caseworker, expires_at=moment(1))
        share(p, to=kommun, by=police_caseworker)
        share(p, to=kommun, by=police_caseworker, expires_at=moment(2))
    with time_machine.travel(moment(3), tick=False):
        assert access.can(kommun_caseworker, p)


# --- who is asking ----------------------------------------------------------------------------------


def test_a_user_without_an_agency_may_do_nothing(police, police_caseworker, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    p = person(police, police_caseworker)
    stranger = django_user_model.objects.create_user("ingen", password="x")
    for nobody in (stranger, AnonymousUser(), None):
        assert not access.can(nobody, p) and not access.can(nobody, p, "change")
        assert access.find(nobody, Individual, p.pk, log=False) is None
        assert access.can_each(nobody, [p]) == set()
        assert not access.visible(nobody, Individual).exists()
    assert access.can(police_caseworker, p, "change")  # the same record, to someone who may


def test_visible_ids_and_can_each_ask_about_viewing_by_default(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    share(p, to=kommun, by=police_caseworker)  # view only
    actor = access.require_actor(kommun_caseworker)
    assert list(Individual.objects.filter(pk__in=access.visible_ids(actor, Individual))) == [p]
    assert not Individual.objects.filter(pk__in=access.visible_ids(actor, Individual, "change")).exists()
    assert access.can_each(kommun_caseworker, [p]) == {p.pk}
    assert access.can_each(kommun_caseworker, [p], "change") == set()


# --- closing shares in bulk (consent withdrawn): the change grant goes with its share ---------------


def _on_consent(p, given, *, to, by, level):
    return access.share(
        p,
        to_agency=to,
        level=level,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=by,
    )


def test_withdrawing_a_consent_ends_a_change_share_completely(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    given = consent(police_caseworker, p, [police, kommun], categories=["person"])
    _on_consent(p, given, to=kommun, by=police_caseworker, level="change")
    assert access.can(kommun_caseworker, p, "change")

    services.consent_withdraw(consent=given, acting_user=police_caseworker)

    assert not access.can(kommun_caseworker, p, "change") and not access.can(kommun_caseworker, p)
    assert not IndividualGroupGrant.objects.filter(content_object=p).exists()


def test_withdrawing_a_consent_keeps_what_another_share_justifies(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    given = consent(police_caseworker, p, [police, kommun], categories=["person"])
    _on_consent(p, given, to=kommun, by=police_caseworker, level="change")
    share(p, to=kommun, by=police_caseworker, level="view")  # on another basis, not on the consent

    services.consent_withdraw(consent=given, acting_user=police_caseworker)

    assert access.can(kommun_caseworker, p) and not access.can(kommun_caseworker, p, "change")
    assert IndividualGroupGrant.objects.filter(content_object=p).count() == 1


def test_withdrawing_one_consent_keeps_a_change_share_on_another(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    first = consent(police_caseworker, p, [police, kommun], categories=["person"])
    second = consent(police_caseworker, p, [police, kommun], categories=["person"])
    _on_consent(p, first, to=kommun, by=police_caseworker, level="change")
    _on_consent(p, second, to=kommun, by=police_caseworker, level="change")

    services.consent_withdraw(consent=first, acting_user=police_caseworker)

    assert access.can(kommun_caseworker, p, "change")
    assert IndividualGroupGrant.objects.filter(content_object=p).count() == 2


def test_withdrawing_a_consent_keeps_a_named_users_other_share(kommun, community, kommun_caseworker, community_user):
    from cases.models import IndividualUserGrant

    p = person(kommun, kommun_caseworker)
    given = consent(kommun_caseworker, p, [kommun, community], categories=["person"])
    for basis, on in ((legal_basis("samtycke"), given), (basis_for(community), None)):
        access.share(
            p,
            to_agency=community,
            to_user=community_user,
            level="view",
            legal_basis=basis,
            assessment="Mentorn behöver veta vem personen är (fiktivt).",
            consent=on,
            acting_user=kommun_caseworker,
        )

    services.consent_withdraw(consent=given, acting_user=kommun_caseworker)

    assert access.can(community_user, p) and not access.can(community_user, p, "change")
    assert list(IndividualUserGrant.objects.filter(content_object=p).values_list("user_id", flat=True)) == [
        community_user.pk
    ]


def test_each_agencys_grants_follow_its_own_shares_only(
    police, kommun, probation, police_caseworker, kommun_caseworker, probation_caseworker
):
    p = person(police, police_caseworker)
    to_kommun = share(p, to=kommun, by=police_caseworker, level="view")
    share(p, to=probation, by=police_caseworker, level="change")
    assert access.can(kommun_caseworker, p) and not access.can(kommun_caseworker, p, "change")
    assert access.can(probation_caseworker, p, "change")

    access.revoke(to_kommun, acting_user=police_caseworker, reason="Ändamålet upphört")

    assert not access.can(kommun_caseworker, p)
    assert access.can(probation_caseworker, p, "change")


def test_the_register_names_who_revoked(police, kommun, police_caseworker):
    from agencies.models import Share

    record = share(person(police, police_caseworker), to=kommun, by=police_caseworker)
    access.revoke(record, acting_user=police_caseworker, reason="Ändamålet upphört")
    closed = Share.objects.get(pk=record.pk)
    assert (closed.revoked_by, closed.revoke_reason) == (police_caseworker, "Ändamålet upphört")
    assert closed.revoked_at is not None


@pytest.mark.parametrize("branch", ["owned", "group grant", "user grant"])
def test_each_branch_pages_from_its_own_end_when_it_holds_more_than_a_page(
    branch, police, kommun, police_caseworker, kommun_caseworker
):
    """A branch reads at most size + 1 ids: from its newest end going forward, from the cursor's side going back.
    With more rows than that in one branch, reading from the wrong end (or without the cursor's bound) shows
    another page than the one asked for."""
    if branch == "owned":
        people = [person(police, police_caseworker, created_at=moment(-i)) for i in range(9)]
    else:
        people = [person(kommun, kommun_caseworker, created_at=moment(-i)) for i in range(9)]
        for p in people:
            share(
                p, to=police, by=kommun_caseworker, **({"to_user": police_caseworker} if branch == "user grant" else {})
            )

    def page(cursor=None):
        return access.visible_page(police_caseworker, Individual, size=2, cursor=cursor, log=False)

    pages = [page()]
    while pages[-1].next_cursor:
        pages.append(page(pages[-1].next_cursor))
    assert [p.items for p in pages] == [people[0:2], people[2:4], people[4:6], people[6:8], people[8:9]]
    # Back from the fourth page: the third, not the first (the branch reads the ids just above the cursor).
    assert page(pages[3].previous_cursor).items == people[4:6]
    assert page(pages[2].previous_cursor).items == people[2:4]


@pytest.mark.parametrize("branch", ["group grant", "user grant"])
def test_a_filter_reaches_into_each_grant_branch_before_its_page_is_cut(
    branch, police, kommun, police_caseworker, kommun_caseworker
):
    """A filtered list must filter each grant branch itself: cut to size + 1 first, the newest non-matching rows
    would crowd out an older match, and the page would come back empty though the match is visible."""
    newer = [person(kommun, kommun_caseworker, created_at=moment(-i), alias=f"Annan {i}") for i in range(6)]
    match = person(kommun, kommun_caseworker, created_at=moment(-10), alias="Den sökta")
    extra = {"to_user": police_caseworker} if branch == "user grant" else {}
    for p in [*newer, match]:
        share(p, to=police, by=kommun_caseworker, **extra)
    within = Individual.objects.filter(alias="Den sökta")
    page = access.visible_page(police_caseworker, Individual, within=within, size=2, log=False)
    assert page.items == [match]


def test_a_deactivated_user_acts_for_no_agency(police, police_caseworker):
    """A user switched off (is_active False) is still authenticated as an object: the gate asks both."""
    own = person(police, police_caseworker)
    police_caseworker.is_active = False
    police_caseworker.save(update_fields=["is_active"])
    user = type(police_caseworker).objects.get(pk=police_caseworker.pk)  # no actor cached from before
    assert user.is_authenticated and access.actor_for(user) is None
    assert not access.can(user, own) and not access.visible(user, Individual).exists()
    assert access.visible_page(user, Individual, log=False).items == []


def test_a_permission_id_not_yet_cached_is_read_from_its_own_row(monkeypatch):
    """The cache is filled after migrate (load_permission_ids); a model or action missing from it is looked up
    by its own content type and codename — the view and the change permission are different rows."""
    from django.contrib.auth.models import Permission

    monkeypatch.setattr(access, "_permission_ids", {})
    for action in ("view", "change"):
        expected = Permission.objects.get(content_type__model="individual", codename=f"{action}_individual").pk
        assert access._permission_id(Individual, action) == expected
    assert access._permission_id(Individual, "view") != access._permission_id(Individual, "change")
    assert set(access._permission_ids) == {("cases.individual", "view"), ("cases.individual", "change")}
