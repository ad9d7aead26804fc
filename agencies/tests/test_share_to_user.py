"""A share to one named user: a mentor at a community partner sees one person, their colleagues do not.

The register names the receiving agency and the user (`Share.to_user`); the grant goes to the user's own
grant table, so every entry of the gate reads the user branch: `visible`, `visible_page` (plain and
filtered), `find`, `get_or_404`, `can`, `can_each`, the API and the page. Each test checks the mentor and a
colleague at the same agency, so a gate that ignored the user branch — or read it for the whole agency —
fails here.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import UserFactory, basis_for, legal_basis
from agencies.tests.gate_probe import Http, all_, gate_answers, http_answers
from cases import services
from cases.models import IndividualGroupGrant, IndividualUserGrant
from cases.tests.factories import IndividualFactory, consent

pytestmark = pytest.mark.django_db

NOON = datetime.combine(datetime.now().date() + timedelta(days=3), time(12, 0))


@pytest.fixture
def colleague(community):
    return UserFactory(username="forening.kollega", agency=community)


@pytest.fixture
def person(kommun, kommun_caseworker):
    return IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)


def every_entry(user, person, action="view"):
    answers = gate_answers(user, person, action)
    if action == "view":
        answers |= http_answers(user, person, Http("individual", "individual-detail", person.alias))
    return answers


def to_mentor(person, *, by, mentor, **kw):
    # A community partner is outside OSL: what no secrecy covers here (consent is tested in cases/tests).
    kw.setdefault("legal_basis", basis_for(mentor.membership.agency))
    kw.setdefault("assessment", "Mentorn behöver veta vem personen är för att kunna stödja (fiktivt).")
    kw.setdefault("level", "view")
    return access.share(person, to_agency=mentor.membership.agency, acting_user=by, to_user=mentor, **kw)


def test_only_the_named_user_sees_the_record(person, kommun_caseworker, community_user, colleague):
    record = to_mentor(person, by=kommun_caseworker, mentor=community_user)

    assert record.to_user == community_user and record.to_agency.slug == "trygga-vagar"
    assert all_(every_entry(community_user, person), True) == {}
    assert all_(every_entry(colleague, person), False) == {}
    assert all_(gate_answers(community_user, person, "change"), False) == {}
    assert IndividualGroupGrant.objects.count() == 0
    assert list(IndividualUserGrant.objects.values_list("user_id", flat=True)) == [community_user.pk]
    logged = AccessLogEntry.objects.get(action="share")
    assert logged.detail["to_user"] == community_user.pk


def test_a_change_share_to_a_user_lets_only_that_user_change(person, kommun_caseworker, community_user, colleague):
    to_mentor(person, by=kommun_caseworker, mentor=community_user, level="change")
    assert all_(gate_answers(community_user, person, "change"), True) == {}
    assert all_(gate_answers(colleague, person, "change"), False) == {}


def test_revoking_ends_the_users_access_at_once(person, kommun_caseworker, community_user):
    record = to_mentor(person, by=kommun_caseworker, mentor=community_user)
    access.revoke(record, acting_user=kommun_caseworker, reason="Mentorskapet avslutat")
    assert all_(every_entry(community_user, person), False) == {}
    assert IndividualUserGrant.objects.count() == 0


def test_a_users_grant_ends_at_its_end_date(person, kommun_caseworker, community_user):
    end = timezone.make_aware(NOON) + timedelta(hours=2)
    with time_machine.travel(timezone.make_aware(NOON), tick=False):
        to_mentor(person, by=kommun_caseworker, mentor=community_user, expires_at=end)
    with time_machine.travel(end - timedelta(seconds=1), tick=False):
        assert all_(every_entry(community_user, person), True) == {}
    with time_machine.travel(end + timedelta(seconds=1), tick=False):
        assert all_(every_entry(community_user, person), False) == {}
        assert access.expire_due_shares() and IndividualUserGrant.objects.count() == 0


def test_withdrawing_the_consent_ends_a_users_share(person, kommun, community, kommun_caseworker, community_user):
    given = consent(kommun_caseworker, person, [kommun, community], categories=["person"])
    record = to_mentor(
        person,
        by=kommun_caseworker,
        mentor=community_user,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
    )
    assert all_(every_entry(community_user, person), True) == {}
    assert services.consent_withdraw(consent=given, acting_user=kommun_caseworker) == [record.pk]
    assert all_(every_entry(community_user, person), False) == {}


def test_the_agencys_share_and_the_users_are_separate(person, community, kommun_caseworker, community_user, colleague):
    for_user = to_mentor(person, by=kommun_caseworker, mentor=community_user)
    for_agency = access.share(
        person,
        to_agency=community,
        level="view",
        legal_basis=basis_for(community),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    # Granted twice (the group and the user): listed once.
    assert [p.pk for p in access.visible_page(community_user, type(person), log=False).items] == [person.pk]
    assert access.visible(community_user, type(person)).count() == 1

    access.revoke(for_agency, acting_user=kommun_caseworker, reason="Bara mentorn")
    assert all_(every_entry(community_user, person), True) == {}
    assert all_(every_entry(colleague, person), False) == {}
    access.revoke(for_user, acting_user=kommun_caseworker, reason="Klart")
    assert all_(every_entry(community_user, person), False) == {}


def test_a_user_of_another_agency_is_refused(person, community, kommun_caseworker, police_caseworker):
    with pytest.raises(ApplicationError) as refused:
        access.share(
            person,
            to_agency=community,
            level="view",
            legal_basis=basis_for(community),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
            to_user=police_caseworker,
        )
    assert refused.value.code == "user_not_in_agency"
    assert Share.objects.count() == 0 and IndividualUserGrant.objects.count() == 0


def api_body(person, **extra):
    return {
        "object_type": "individual",
        "object_id": person.pk,
        "to_agency": "trygga-vagar",
        "level": "view",
        "legal_basis": "ej-sekretess",  # a community partner is outside OSL
        "assessment": "Behövs för samverkan.",
        **extra,
    }


def test_the_api_shares_with_a_named_user(person, kommun_caseworker, community_user, colleague, police_caseworker):
    client = APIClient()
    client.force_login(kommun_caseworker)

    refused = client.post("/api/v1/shares/", api_body(person, to_user=police_caseworker.pk), format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "user_not_in_agency", refused.json()
    assert Share.objects.count() == 0

    created = client.post("/api/v1/shares/", api_body(person, to_user=community_user.pk), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["to_user"] == community_user.pk and created.json()["to_agency"] == "trygga-vagar"
    assert all_(every_entry(community_user, person), True) == {}
    assert all_(every_entry(colleague, person), False) == {}

    shared = Share.objects.get()
    revoked = client.post(f"/api/v1/shares/{shared.pk}/revoke/", {"reason": "Klart"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert all_(every_entry(community_user, person), False) == {}


def test_the_owners_register_names_the_user(client, person, kommun_caseworker, community_user):
    from django.urls import reverse

    to_mentor(person, by=kommun_caseworker, mentor=community_user)
    client.force_login(kommun_caseworker)
    page = client.get(reverse("individual-share", args=[person.pk]))
    assert page.status_code == 200
    name = community_user.get_full_name() or community_user.username
    assert f"Föreningen Trygga Vägar ({name})" in page.content.decode()
