"""Login, lockout, logout and the language switch; every agencies page sends the anonymous to the login page."""

import pytest
from django.urls import reverse

from agencies.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hast-batteri-42"  # UserFactory's password
IP = {"REMOTE_ADDR": "10.20.30.40"}


def test_login_page_is_swedish_and_labelled(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Logga in</h1>" in html
    assert '<label for="id_username">Användarnamn' in html
    assert '<label for="id_password">Lösenord' in html


def test_login_with_the_right_password_goes_home(client, police_caseworker):
    response = client.post(reverse("login"), {"username": "polis.handlaggare", "password": PASSWORD}, **IP)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(police_caseworker.pk)


def test_login_follows_a_local_next(client, police_caseworker):
    target = reverse("access-log")
    response = client.post(
        reverse("login"), {"username": "polis.handlaggare", "password": PASSWORD, "next": target}, **IP
    )
    assert response["Location"] == target


def test_wrong_password_says_so_in_swedish(client, police_caseworker):
    response = client.post(reverse("login"), {"username": "polis.handlaggare", "password": "fel"}, **IP)
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(client, police_caseworker):
    for _attempt in range(4):
        response = client.post(reverse("login"), {"username": "polis.handlaggare", "password": "fel"}, **IP)
        assert response.status_code == 200
    client.post(reverse("login"), {"username": "polis.handlaggare", "password": "fel"}, **IP)

    response = client.post(reverse("login"), {"username": "polis.handlaggare", "password": PASSWORD}, **IP)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Kontot är tillfälligt låst" in html
    assert "För många misslyckade inloggningsförsök" in html
    assert "Kontakta din myndighets administratör" in html
    assert "_auth_user_id" not in client.session


def fail(client, username, times=5, **meta):
    for _attempt in range(times):
        client.post(reverse("login"), {"username": username, "password": "fel"}, **(meta or IP))


def log_in(client, username, **meta):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, **(meta or IP))


def test_failures_with_made_up_usernames_do_not_lock_a_real_user_out(client, police_caseworker):
    for n in range(5):
        fail(client, f"finns.inte.{n}", times=1)
    fail(client, "finns.inte", times=5)
    response = log_in(client, "polis.handlaggare")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(police_caseworker.pk)


def test_a_users_failures_lock_only_that_user_from_that_address(client, police_caseworker, kommun_caseworker):
    fail(client, "polis.handlaggare")
    assert log_in(client, "polis.handlaggare").status_code == 429
    # Another user from the same address gets in,
    assert log_in(client, "kommun.handlaggare").status_code == 302
    client.logout()
    # and the locked user gets in from another address.
    assert log_in(client, "polis.handlaggare", REMOTE_ADDR="10.20.30.99").status_code == 302


def test_behind_no_declared_proxy_the_forwarded_header_is_ignored(client, police_caseworker, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    fail(client, "polis.handlaggare", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    # A different forged header changes nothing: the lockout is on the connection's address.
    response = log_in(client, "polis.handlaggare", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert response.status_code == 429


def test_behind_a_declared_proxy_each_client_has_its_own_lockout(client, police_caseworker, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    fail(client, "polis.handlaggare", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert log_in(client, "polis.handlaggare", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # The same user from another client behind the same proxy is not locked out,
    assert log_in(client, "polis.handlaggare", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302
    client.logout()
    # and the locked client cannot escape by writing its own entry in front of the proxy's.
    forged = "198.51.100.1, 203.0.113.5"
    assert log_in(client, "polis.handlaggare", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forged).status_code == 429


def test_logged_in_user_is_sent_on_from_the_login_page(client, police_caseworker):
    client.force_login(police_caseworker)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_post_only(client, police_caseworker):
    client.force_login(police_caseworker)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Du är nu utloggad." in page.content.decode()


def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
    client.post("/i18n/setlang/", {"language": "sv", "next": reverse("login")})
    assert '<html lang="sv">' in client.get(reverse("login")).content.decode()


def test_url_names_point_at_the_swedish_paths():
    assert reverse("login") == "/logga-in/"
    assert reverse("logout") == "/logga-ut/"
    assert reverse("home") == "/"
    assert reverse("access-log") == "/atkomstlogg/"
    assert reverse("share-revoke", kwargs={"pk": 7}) == "/utlamnanden/7/aterkalla/"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/"),
        ("get", "/atkomstlogg/"),
        ("post", "/utlamnanden/1/aterkalla/"),
        ("get", "/utlamnanden/1/aterkalla/"),
    ],
)
def test_anonymous_is_sent_to_login(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["home", "access-log"])
def test_user_without_agency_gets_a_clear_403(client, name):
    client.force_login(UserFactory(username="ingen.myndighet"))
    response = client.get(reverse(name))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ditt konto tillhör ingen myndighet" in html
    assert "Kontakta din myndighets administratör" in html


def test_user_of_an_inactive_agency_gets_the_same_403(client, police, police_caseworker):
    police.active = False
    police.save()
    client.force_login(police_caseworker)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "Ditt konto tillhör ingen myndighet" in response.content.decode()
