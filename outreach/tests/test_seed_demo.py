"""The outreach demo data (outreach.demo.seed), seeded once per module through `seed_demo`: the numbers the
issue asks for, every demo login sees a sensible part, and a second run writes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies import access
from cases.models import ExitCase
from outreach.models import (
    CallIn,
    CustomNotification,
    EnforcementResponse,
    Invitation,
    InvitationReason,
    LegalRiskSummary,
    Lever,
    ReviewAction,
    ReviewMeeting,
)

from .conftest import logged_in

pytestmark = pytest.mark.django_db
User = get_user_model()
MODELS = (CallIn, Invitation, CustomNotification, EnforcementResponse, Lever, ReviewMeeting, ReviewAction)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", force=True, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def user(name):
    return User.objects.get(username=name)


def test_the_numbers_the_issue_asks_for(seeded):
    call_ins = list(CallIn.objects.order_by("starts_at"))
    assert len(call_ins) == 3
    assert [c.status for c in call_ins] == ["held", "held", "planned"] and call_ins[2].starts_at > timezone.now()
    assert 35 <= Invitation.objects.count() <= 45
    held = Invitation.objects.filter(call_in__status="held")
    assert held.filter(status="attended").exists() and held.filter(status="absent").exists()
    asked = Invitation.objects.filter(help_requested=True)
    assert asked.exists() and all(i.exit_case_id for i in asked)
    assert ExitCase.objects.filter(pk__in=asked.values("exit_case")).count() == asked.count()
    assert InvitationReason.objects.count() == Invitation.objects.count()
    assert CustomNotification.objects.count() == 60
    people = list(CustomNotification.objects.values_list("individual", flat=True))
    assert len(set(people)) < len(people)  # some repeats
    assert LegalRiskSummary.objects.exists() and set(
        LegalRiskSummary.objects.values_list("owner_agency__slug", flat=True)
    ) == {"polisen"}
    assert EnforcementResponse.objects.count() == 4
    assert len(set(Lever.objects.values_list("owner_agency__slug", flat=True))) >= 3
    meetings = ReviewMeeting.objects.order_by("starts_at")
    first, last = meetings.first(), meetings.last()
    assert first is not None and last is not None
    assert meetings.count() == 52 and (last.starts_at - first.starts_at).days >= 350
    assert ReviewMeeting.incidents.through.objects.exists()
    assert "call-ins: 3" in seeded and "veckogenomgångar: 52" in seeded


def test_a_second_run_writes_nothing(seeded):
    before = [m.objects.count() for m in MODELS]
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    assert [m.objects.count() for m in MODELS] == before
    assert "inget nytt skapades" in out.getvalue()


@pytest.mark.parametrize(
    "username",
    ["polis.handlaggare", "kvv.handlaggare", "kommun.handlaggare", "tryggavagar.handlaggare", "nystart.handlaggare"],
)
def test_every_demo_login_sees_a_sensible_part(seeded, username):
    someone = user(username)
    call_ins = access.visible(someone, CallIn)
    assert call_ins.exists()
    if username.startswith(("polis", "kvv", "kommun")):
        assert access.visible(someone, ReviewMeeting).count() == 52
    if username.startswith(("polis", "kvv", "kommun")):
        assert access.visible(someone, EnforcementResponse).count() == 4
        assert access.visible(someone, Lever).count() >= 4
    client = logged_in(someone)
    for name in ("call-in-list", "notification-list", "response-list", "review-list"):
        assert client.get(reverse(name)).status_code == 200


def test_legal_risk_stays_with_the_police(seeded):
    kommun = user("kommun.handlaggare")
    assert access.visible(kommun, CustomNotification).exists()
    assert not access.visible(kommun, LegalRiskSummary).exists()
    assert (
        not access.visible(user("polis.handlaggare"), InvitationReason)
        .filter(owner_agency__slug="kriminalvarden")
        .exists()
    )
