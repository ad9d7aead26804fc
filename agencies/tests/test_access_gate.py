from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import legal_basis
from cases.models import IndividualGroupGrant
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

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
    record = access.share(p, to_agency=kommun, level="view", legal_basis=legal_basis(), acting_user=police_caseworker)
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
    access.share(p, to_agency=kommun, level="view", legal_basis=legal_basis(), acting_user=police_caseworker, expires_at=soon)
    IndividualGroupGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Http404):
        access.get_or_404(kommun_caseworker, type(p), p.pk)


def test_pages_walk_forward_and_back(police, kommun, police_caseworker, kommun_caseworker):
    base = timezone.now() - timedelta(days=1)
    owned = [person(police, police_caseworker, created_at=base + timedelta(minutes=i)) for i in range(5)]
    theirs = [person(kommun, kommun_caseworker, created_at=base + timedelta(minutes=i, seconds=30)) for i in range(5)]
    for p in theirs:
        access.share(p, to_agency=police, level="view", legal_basis=legal_basis(), acting_user=kommun_caseworker)
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
        access.share(identity, to_agency=kommun, level="view", legal_basis=legal_basis(), acting_user=police_caseworker)
    access.share(identity, to_agency=kommun, level="view", legal_basis=legal_basis(), acting_user=police_lead)
    assert access.can(kommun_caseworker, identity)
