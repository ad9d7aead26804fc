"""A lead sees the lockouts of their own agency's users and lifts them; nobody else's, and it is logged."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from agencies.models import AccessLogEntry, Action

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hast-batteri-42"  # UserFactory's password
URL = "/lasta-konton/"


def lock_out(client, username, ip="10.20.30.40"):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": username, "password": "fel"}, REMOTE_ADDR=ip)


def locked(client, username, ip="10.20.30.40") -> bool:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)
    client.logout()
    return response.status_code == 429


def pair_id(username, ip="10.20.30.40") -> int:
    return AccessAttempt.objects.filter(username=username, ip_address=ip).order_by("pk").first().pk


@pytest.fixture
def lockouts(client, police_caseworker, kommun_caseworker):
    lock_out(client, "polis.handlaggare")
    lock_out(client, "polis.handlaggare", ip="10.20.30.41")
    lock_out(client, "kommun.handlaggare")
    lock_out(client, "finns.inte")
    assert locked(client, "polis.handlaggare") and locked(client, "kommun.handlaggare")


def test_urls():
    assert reverse("lockout-list") == URL
    assert reverse("lockout-lift", kwargs={"pk": 3}) == "/lasta-konton/3/las-upp/"


def test_lead_sees_only_own_agency_lockouts(client, lockouts, police_lead):
    client.force_login(police_lead)
    response = client.get(URL)
    assert response.status_code == 200
    lockouts = response.context["lockouts"]
    assert sorted((lockout.user.username, lockout.ip_address) for lockout in lockouts) == [
        ("polis.handlaggare", "10.20.30.40"),
        ("polis.handlaggare", "10.20.30.41"),
    ]
    assert all(lockout.failures >= 5 for lockout in lockouts)
    html = response.content.decode()
    assert "<h1>Låsta konton</h1>" in html
    assert "Lås upp polis.handlaggare" in html
    assert "kommun.handlaggare" not in html and "finns.inte" not in html


def test_lockout_list_query_count_does_not_grow(client, police, lockouts, police_lead, django_assert_num_queries):
    client.force_login(police_lead)
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        client.get(URL)


# session, user with its membership and agency, the lead's verified second-factor device, the pairs, their
# users, and the session's save (in a savepoint: 3)
QUERIES = 8


def test_lead_lifts_a_lockout_and_it_is_logged(client, lockouts, police_lead, police_caseworker):
    client.force_login(police_lead)
    response = client.post(reverse("lockout-lift", kwargs={"pk": pair_id("polis.handlaggare")}))
    assert response.status_code == 302 and response["Location"] == URL
    assert "Kontot polis.handlaggare är upplåst." in client.get(URL).content.decode()
    client.logout()

    assert not locked(client, "polis.handlaggare")
    # Only that address was lifted.
    assert locked(client, "polis.handlaggare", ip="10.20.30.41")
    entry = AccessLogEntry.objects.get(action=Action.UNLOCK)
    assert (entry.user, entry.agency_id, entry.model, entry.object_ids) == (
        police_lead,
        police_lead.membership.agency_id,
        "auth.user",
        [police_caseworker.pk],
    )
    assert entry.detail == {"username": "polis.handlaggare", "ip_address": "10.20.30.40"}


def test_another_agencys_lockout_is_a_404_and_stays(client, lockouts, police_lead):
    client.force_login(police_lead)
    for username in ("kommun.handlaggare", "finns.inte"):
        response = client.post(reverse("lockout-lift", kwargs={"pk": pair_id(username)}))
        assert response.status_code == 404
    assert client.post(reverse("lockout-lift", kwargs={"pk": 999999})).status_code == 404
    client.logout()
    assert locked(client, "kommun.handlaggare")
    assert not AccessLogEntry.objects.filter(action=Action.UNLOCK).exists()


def test_caseworker_gets_403_and_anonymous_the_login_page(client, lockouts, police_caseworker):
    attempt = pair_id("polis.handlaggare")
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    client.force_login(police_caseworker)
    assert client.get(URL).status_code == 403
    assert client.post(reverse("lockout-lift", kwargs={"pk": attempt})).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt).exists()


def test_lift_is_post_only(client, lockouts, police_lead):
    client.force_login(police_lead)
    assert client.get(reverse("lockout-lift", kwargs={"pk": pair_id("polis.handlaggare")})).status_code == 405


def test_empty_state(client, police_lead):
    client.force_login(police_lead)
    assert "Inga konton på din myndighet är låsta just nu." in client.get(URL).content.decode()
