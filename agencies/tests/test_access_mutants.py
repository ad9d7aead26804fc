"""Small, fast checks of the gate's rules, written to kill the mutants the behavioural tests let live.

Each test names the rule it pins; docs/testing.md ("Mutation testing") lists the mutants of the first run
that they answer.
"""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies import access
from agencies.models import Share
from agencies.tests.factories import legal_basis
from cases.models import Individual, IndividualGroupGrant
from cases.tests.factories import IndividualFactory

pytestmark = pytest.mark.django_db


def person(owner, user):
    return IndividualFactory(owner_agency=owner, created_by=user)


def test_agency_sees_its_own_and_what_its_group_was_granted_live(police, kommun, probation, police_caseworker):
    p = person(police, police_caseworker)
    assert access.agency_sees(police, p)
    assert not access.agency_sees(kommun, p)
    record = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert access.agency_sees(kommun, p) and not access.agency_sees(kommun, p, "change")
    assert not access.agency_sees(probation, p)  # another agency's group
    other = person(police, police_caseworker)
    assert not access.agency_sees(kommun, other)  # another record
    # The grant's end decides, before the register row is closed.
    IndividualGroupGrant.objects.filter(content_object=p).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Share.objects.get(pk=record.pk).revoked_at is None
    assert not access.agency_sees(kommun, p)


def test_a_change_share_lets_the_agency_change(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    access.share(
        p,
        to_agency=kommun,
        level="change",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert access.agency_sees(kommun, p, "change")


def test_expire_due_shares_closes_only_what_is_due_with_its_reason_and_time(
    police, kommun, probation, police_caseworker
):
    p = person(police, police_caseworker)
    due = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    not_due = access.share(
        p,
        to_agency=probation,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(days=3),
    )
    revoked_by_hand = access.share(
        person(police, police_caseworker),
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    access.revoke(revoked_by_hand, acting_user=police_caseworker, reason="Ändamålet upphört")
    later = timezone.now() + timedelta(hours=2)

    assert access.expire_due_shares(now=later) == [due.pk]

    due.refresh_from_db()
    assert due.revoked_at == later and due.revoked_by is None
    assert due.revoke_reason == "Utlämnandets slutdatum har passerats."
    assert Share.objects.get(pk=not_due.pk).revoked_at is None
    assert Share.objects.get(pk=revoked_by_hand.pk).revoke_reason == "Ändamålet upphört"


def test_an_unknown_action_is_refused(police_caseworker):
    with pytest.raises(ValueError, match="Unknown action"):
        access._codename(Individual, "delete")
    assert access._codename(Individual, "view") == "view_individual"


@pytest.mark.parametrize(
    "cursor",
    [
        "bm90IGpzb24",  # "not json"
        access._encode_cursor(datetime(2026, 1, 1, tzinfo=UTC), 1, "n")[:-2]
        + "!!",  # not base64 (a fixed time: pytest-xdist needs the same test ids in every worker)
        # a well-formed cursor with an unknown direction
        base64.urlsafe_b64encode(b'{"t": "2026-01-01T00:00:00+00:00", "id": 1, "d": "x"}').decode(),
        base64.urlsafe_b64encode(b'{"t": "inte ett datum", "id": 1, "d": "n"}').decode(),
    ],
)
def test_a_cursor_not_made_here_is_a_validation_error(cursor):
    with pytest.raises(ValidationError):
        access.decode_cursor(cursor)


def test_a_cursor_round_trips_without_padding():
    at = timezone.now().replace(microsecond=0)
    for pk in (1, 12, 123, 1234):  # lengths that need 0-3 padding characters
        cursor = access._encode_cursor(at, pk, "p")
        assert "=" not in cursor
        assert access.decode_cursor(cursor) == (at, pk, "p")


def test_the_permission_cache_holds_every_protected_model_after_a_reload():
    access.load_permission_ids()
    cached = dict(access._permission_ids)
    assert ("cases.individual", "view") in cached and ("cases.individual", "change") in cached
    assert ("outreach.callin", "view") in cached and ("cases.consent", "change") in cached
    from django.apps import apps

    from agencies.models import ProtectedModel

    protected = {m._meta.label_lower for m in apps.get_models() if issubclass(m, ProtectedModel)}
    assert {label for label, _action in cached} == protected


def test_the_nightly_consent_job_closes_only_shares_on_lapsed_consents(police, kommun, police_caseworker):
    from cases import services
    from cases.models import Consent
    from cases.tests.factories import consent

    lapsing_person, valid_person = person(police, police_caseworker), person(police, police_caseworker)
    last_day = timezone.localdate() + timedelta(days=1)
    lapsing = consent(police_caseworker, lapsing_person, [police, kommun], categories=["person"], valid_until=last_day)
    valid = consent(police_caseworker, valid_person, [police, kommun], categories=["person"])
    on_lapsing, on_valid = (
        access.share(
            p,
            to_agency=kommun,
            level="view",
            legal_basis=legal_basis("samtycke"),
            consent=c,
            acting_user=police_caseworker,
        )
        for p, c in ((lapsing_person, lapsing), (valid_person, valid))
    )

    assert services.expire_lapsed_consents(today=last_day) == []  # the last day is still valid
    assert services.expire_lapsed_consents(today=last_day + timedelta(days=1)) == [on_lapsing.pk]
    assert Share.objects.get(pk=on_valid.pk).revoked_at is None
    assert Consent.objects.get(pk=lapsing.pk).expiry_processed_at is not None
    assert Consent.objects.get(pk=valid.pk).expiry_processed_at is None
