"""`manage.py issue_token` and the hashed, expiring API tokens it issues."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import AccessLogEntry, ApiToken, Via
from agencies.models.token import hash_token
from agencies.tests.factories import UserFactory
from cases.tests.factories import IndividualFactory

pytestmark = pytest.mark.django_db


def issue(username: str, days: int = 30) -> str:
    out, err = StringIO(), StringIO()
    call_command("issue_token", username, "--days", str(days), stdout=out, stderr=err)
    assert "bara nu" in err.getvalue()
    return out.getvalue().strip()


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_api_token_is_printed_once_and_only_its_hash_is_stored(integration_user):
    raw = issue(integration_user.username, days=30)
    assert raw.startswith("gvi_") and len(raw) > 40
    token = ApiToken.objects.get()
    assert token.user == integration_user
    assert token.key_hash == hash_token(raw) and len(token.key_hash) == 64
    assert raw.startswith(token.hint) and len(token.hint) < 12
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    # Nowhere in the database: not in the token table, nor anywhere a dump of every table reaches.
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert raw not in dump.getvalue()
    assert raw[len(token.hint) :] not in dump.getvalue()


def test_api_token_each_call_issues_a_new_token(integration_user):
    assert issue(integration_user.username) != issue(integration_user.username)
    assert ApiToken.objects.count() == 2


@pytest.mark.parametrize("days", [0, -1, 366, 1000])
def test_api_token_days_must_be_between_1_and_365(integration_user, days):
    with pytest.raises(CommandError, match="mellan 1 och 365"):
        call_command("issue_token", integration_user.username, "--days", str(days), stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_api_token_days_1_and_365_are_accepted(integration_user):
    issue(integration_user.username, days=1)
    issue(integration_user.username, days=365)
    assert ApiToken.objects.count() == 2


def test_api_token_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("issue_token", "ingen-sadan", "--days", "10", stdout=StringIO())


@pytest.mark.parametrize("fixture", ["police_caseworker", "police_lead"])
def test_api_token_only_integration_accounts_get_tokens(request, fixture):
    user = request.getfixturevalue(fixture)
    with pytest.raises(CommandError, match="inget integrationskonto"):
        call_command("issue_token", user.username, "--days", "10", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_api_token_user_without_agency_and_inactive_user_are_refused(integration_user):
    with pytest.raises(CommandError, match="inget integrationskonto"):
        call_command("issue_token", UserFactory(username="fri").username, "--days", "10", stdout=StringIO())
    integration_user.is_active = False
    integration_user.save()
    with pytest.raises(CommandError, match="inaktiverad"):
        call_command("issue_token", integration_user.username, "--days", "10", stdout=StringIO())


# --- using the token ---------------------------------------------------------------------------------------


def test_api_token_printed_authenticates_and_reads_are_logged_as_api(
    police, police_caseworker, integration_user, outsider
):
    mine = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    hidden = IndividualFactory(owner_agency=outsider.membership.agency, created_by=outsider)
    client = bearer(issue(integration_user.username))

    response = client.get(reverse("api:individual-list"))
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [mine.pk]
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.user_id, entry.agency_id, entry.via) == (
        "list",
        integration_user.pk,
        police.pk,
        Via.API,
    )
    assert entry.object_ids == [mine.pk]

    assert client.get(reverse("api:individual-detail", args=[mine.pk])).status_code == 200
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.user_id, entry.via) == ("view", integration_user.pk, Via.API)
    assert client.get(reverse("api:individual-detail", args=[hidden.pk])).status_code == 404

    created = client.post(reverse("api:individual-list"), {"alias": "Från systemet"}, format="json")
    assert created.status_code == 201  # no CSRF for token clients
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.user_id, entry.via) == ("create", integration_user.pk, Via.API)
    assert ApiToken.objects.get().last_used_at is not None


def test_api_token_expired_gets_401(integration_user):
    raw = issue(integration_user.username, days=1)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(raw).get(reverse("api:individual-list"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_api_token_revoked_gets_401(integration_user):
    raw = issue(integration_user.username)
    assert bearer(raw).get(reverse("api:individual-list")).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert bearer(raw).get(reverse("api:individual-list")).status_code == 401


def test_api_token_wrong_or_malformed_gets_401(integration_user):
    raw = issue(integration_user.username)
    assert bearer(raw + "x").get(reverse("api:individual-list")).status_code == 401
    assert bearer("gvi_inte-en-riktig-nyckel").get(reverse("api:individual-list")).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw} extra")
    assert client.get(reverse("api:individual-list")).status_code == 401


def test_api_token_of_deactivated_user_gets_401(integration_user):
    raw = issue(integration_user.username)
    integration_user.is_active = False
    integration_user.save()
    assert bearer(raw).get(reverse("api:individual-list")).status_code == 401


def test_api_token_stops_working_when_the_user_leaves_the_integration_role(integration_user):
    from agencies.models import Role

    raw = issue(integration_user.username)
    client = bearer(raw)
    assert client.get(reverse("api:agency-list")).status_code == 200
    integration_user.membership.role = Role.CASEWORKER
    integration_user.membership.save()
    assert client.get(reverse("api:agency-list")).status_code == 401
