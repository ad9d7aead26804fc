"""Two-factor login: leads and administrators cannot reach case data without it, and identity details are
shared only after a fresh code. Caseworkers may enrol; integration tokens are untouched.

The leads of conftest have a device with TEST_TOTP_KEY; `force_login` verifies their session as the code
would. These tests sign in through the login page where the code step itself is what is tested.
"""

import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from agencies import access, second_factor
from agencies.models import Role, Share
from agencies.tests.factories import UserFactory, legal_basis, with_second_factor
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hast-batteri-42"  # UserFactory's password
ENROL = "/konto/tvastegsverifiering/"
VERIFY = "/logga-in/verifiera/"
STEP_UP = "/konto/bekrafta/"


def code(device, steps_ahead: int = 0) -> str:
    # A code can be used once; a test that needs two takes the next one (the device accepts one step ahead).
    device.refresh_from_db()
    return second_factor.current_code(device, at=time.time() + 30 * steps_ahead)


def sign_in(client, user, **meta):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")


@pytest.fixture
def new_lead(police):
    """A lead who has not enrolled yet."""
    return UserFactory(username="ny.chef", agency=police, agency__role=Role.LEAD)


@pytest.fixture
def own_person(police, police_caseworker):
    return IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Egen")


def test_urls():
    assert reverse("second-factor") == ENROL
    assert reverse("second-factor-verify") == VERIFY
    assert reverse("second-factor-step-up") == STEP_UP


# --- a lead without a second factor reaches no case data ----------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/personer/", "/atkomstlogg/", "/arenden/", "/lasta-konton/"])
def test_a_lead_without_a_second_factor_is_sent_to_enrol(client, new_lead, own_person, path):
    client.force_login(new_lead)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next={path.replace('/', '%2F')}"


def test_not_even_a_record_page(client, new_lead, own_person):
    client.force_login(new_lead)
    response = client.get(f"/personer/{own_person.pk}/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert "Egen" not in response.content.decode()


def test_the_api_session_path_answers_403_saying_why(new_lead, own_person):
    api = APIClient()
    api.force_login(new_lead)
    for path in ("/api/v1/individuals/", f"/api/v1/individuals/{own_person.pk}/"):
        response = api.get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "second_factor_required"
        assert "Tvåstegsverifiering krävs" in response.json()["detail"]
        assert "Egen" not in response.content.decode()


def test_htmx_gets_a_whole_page_redirect(client, new_lead):
    client.force_login(new_lead)
    response = client.get("/personer/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(ENROL)


def test_superusers_and_admins_must_enrol_too(client, police):
    admin_user = UserFactory(username="adm", agency=police, agency__role=Role.ADMIN)
    superuser = get_user_model().objects.create_superuser("brytglas", "b@example.invalid", "x" * 20)
    for user, path in ((admin_user, "/"), (superuser, "/admin/")):
        client.force_login(user)
        assert client.get(path)["Location"].startswith(ENROL), user
        client.logout()


def test_logout_and_the_language_switch_stay_open(client, new_lead):
    client.force_login(new_lead)
    assert client.post("/i18n/setlang/", {"language": "sv", "next": ENROL}).status_code == 302
    assert client.post(reverse("logout"))["Location"] == reverse("login")


# --- enrolment ----------------------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(client, new_lead, own_person):
    client.force_login(new_lead)
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200 and "Aktivera tvåstegsverifiering" in html
    assert 'src="data:image/svg+xml;base64,' in html  # drawn here, no outside service sees the key
    device = TOTPDevice.objects.get(user=new_lead, confirmed=False)
    assert second_factor.secret_text(device) in html

    wrong = client.post(ENROL, {"code": "000000"})
    assert "Koden stämmer inte" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=new_lead, confirmed=True).exists()

    time.sleep(1.1)  # django-otp slows guessing: after a wrong code the device waits a second
    done = client.post(ENROL, {"code": code(device), "next": "/personer/"})
    html = done.content.decode()
    assert "Dina reservkoder" in html and "Koderna visas bara nu." in html
    codes = [token.token for token in StaticToken.objects.filter(device__user=new_lead)]
    assert len(codes) == 10 and all(c in html for c in codes)
    assert done["Cache-Control"].count("no-store") == 1
    # Verified now: case data opens.
    assert client.get(f"/personer/{own_person.pk}/").status_code == 200
    # The codes are not shown again.
    assert not any(c in client.get(ENROL).content.decode() for c in codes)


def test_with_a_device_but_unverified_no_new_device_can_be_enrolled(client, police_lead):
    # Only the password: the enrolment page is closed, or a thief of the password could add their own phone.
    sign_in(client, police_lead)
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=police_lead).count() == 1


def test_a_verified_user_renews_recovery_codes(client, police_lead):
    client.force_login(police_lead)
    assert "Du har 0 oanvända reservkoder kvar." in client.get(ENROL).content.decode()
    response = client.post(ENROL)
    codes = [token.token for token in StaticToken.objects.filter(device__user=police_lead)]
    assert len(codes) == 10 and all(c in response.content.decode() for c in codes)


# --- the code after the password ----------------------------------------------------------------------------


def test_a_lead_signs_in_with_password_then_code(client, police_lead, own_person):
    response = sign_in(client, police_lead)
    assert response.status_code == 302
    page = client.get(f"/personer/{own_person.pk}/")
    assert page.status_code == 302 and page["Location"] == f"{VERIFY}?next=%2Fpersoner%2F{own_person.pk}%2F"
    form = client.get(page["Location"])
    assert "Ange koden som autentiseringsappen" in form.content.decode()

    wrong = client.post(VERIFY, {"code": "000000", "next": f"/personer/{own_person.pk}/"})
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.get(f"/personer/{own_person.pk}/").status_code == 302

    time.sleep(1.1)  # django-otp slows guessing: after a wrong code the device waits a second
    device = TOTPDevice.objects.get(user=police_lead)
    right = client.post(VERIFY, {"code": code(device), "next": f"/personer/{own_person.pk}/"})
    assert right.status_code == 302 and right["Location"] == f"/personer/{own_person.pk}/"
    assert client.get(f"/personer/{own_person.pk}/").status_code == 200


def test_a_recovery_code_works_once(client, police_lead):
    codes = second_factor.recovery_codes_renew(police_lead)
    sign_in(client, police_lead)
    assert client.post(VERIFY, {"code": codes[0]})["Location"] == reverse("home")
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    sign_in(client, police_lead)
    assert "Koden stämmer inte" in client.post(VERIFY, {"code": codes[0]}).content.decode()
    assert StaticToken.objects.filter(device__user=police_lead).count() == 9


def test_verify_refuses_an_outside_next(client, police_lead):
    sign_in(client, police_lead)
    device = TOTPDevice.objects.get(user=police_lead)
    assert client.post(VERIFY, {"code": code(device), "next": "https://elsewhere.invalid/"})["Location"] == "/"


# --- caseworkers may; integration tokens are untouched ---------------------------------------------------------


def test_a_caseworker_without_a_device_signs_in_with_the_password_alone(client, police_caseworker, own_person):
    assert sign_in(client, police_caseworker).status_code == 302
    assert client.get(f"/personer/{own_person.pk}/").status_code == 200


def test_a_caseworker_who_enrolled_is_asked_for_the_code(client, police_caseworker):
    with_second_factor(police_caseworker)
    sign_in(client, police_caseworker)
    assert client.get("/personer/")["Location"].startswith(VERIFY)


def test_integration_tokens_are_untouched(integration_user, own_person):
    from agencies.tests.test_issue_token import bearer, issue

    response = bearer(issue(integration_user.username)).get("/api/v1/individuals/")
    assert response.status_code == 200


# --- the step-up before identity details leave the agency ------------------------------------------------------


@pytest.fixture
def identity(own_person):
    return IdentityDetailsFactory(individual=own_person, personnummer="198507099805", full_name="Kris Kråka")


def age_verification(client, minutes: int):
    session = client.session
    session[second_factor.SESSION_VERIFIED_AT] = time.time() - minutes * 60
    session.save()


def share_identity(client, person, to):
    data = {
        "what": "identity",
        "level": "view",
        "legal_basis": legal_basis().pk,
        "assessment": "Behövs för samverkan.",
        "to_agency": to.pk,
    }
    return client.post(f"/personer/{person.pk}/dela/", data)


def test_identity_is_shared_only_after_a_fresh_code(client, police_lead, own_person, identity, kommun, settings):
    client.force_login(police_lead)
    age_verification(client, settings.SECOND_FACTOR_STEP_UP_MINUTES + 1)
    dialog = client.get(f"/personer/{own_person.pk}/dela/")
    assert f'href="{STEP_UP}?next=/personer/{own_person.pk}/dela/"' in dialog.content.decode()

    refused = share_identity(client, own_person, kommun)
    assert refused.status_code == 200
    assert "bara efter att du nyss har bekräftat med en engångskod" in refused.content.decode()
    assert not Share.objects.exists()

    device = TOTPDevice.objects.get(user=police_lead)
    confirmed = client.post(STEP_UP, {"code": code(device), "next": f"/personer/{own_person.pk}/dela/"})
    assert confirmed["Location"] == f"/personer/{own_person.pk}/dela/"
    assert "Bekräfta med engångskod" not in client.get(confirmed["Location"]).content.decode()
    assert share_identity(client, own_person, kommun).status_code == 302
    assert Share.objects.get().content_object == identity


def test_sharing_the_person_alone_needs_no_step_up(client, police_lead, own_person, identity, kommun):
    client.force_login(police_lead)
    age_verification(client, 60)
    data = {
        "what": "individual",
        "level": "view",
        "legal_basis": legal_basis().pk,
        "assessment": "Behövs för samverkan.",
        "to_agency": kommun.pk,
    }
    assert client.post(f"/personer/{own_person.pk}/dela/", data).status_code == 302


def test_the_api_share_of_identity_needs_a_fresh_code(police_lead, own_person, identity, kommun):
    api = APIClient()
    api.force_login(police_lead)
    body = {
        "object_type": "identity",
        "object_id": own_person.pk,
        "to_agency": "orebro-kommun",
        "legal_basis": "osl-10-2",
        "assessment": "Behövs för samverkan.",
    }
    assert api.post("/api/v1/shares/", body, format="json").status_code == 201  # just signed in: fresh
    access.revoke(Share.objects.get(), acting_user=police_lead, reason="prov")

    age_verification(api, 60)
    stale = api.post("/api/v1/shares/", body, format="json")
    assert stale.status_code == 403
    assert "engångskod" in stale.json()["detail"]
    assert Share.objects.count() == 1


def test_the_step_up_page_needs_a_verified_session(client, new_lead):
    client.force_login(new_lead)
    assert client.get(STEP_UP)["Location"].startswith(ENROL)


# --- the demo -------------------------------------------------------------------------------------------------


def test_demo_otp_prints_the_current_code_only_in_debug_or_forced(police_lead, settings):
    device = TOTPDevice.objects.get(user=police_lead)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_otp", "polis.chef")
    out = StringIO()
    call_command("demo_otp", "polis.chef", "--force", stdout=out)
    # Computed after the command: at a 30-second boundary the command may have printed the one before.
    assert out.getvalue().strip() in {code(device, -1), code(device)}
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_otp", "polis.chef", stdout=out)
    assert len(out.getvalue().strip()) == 6


def test_demo_otp_says_when_there_is_nothing_to_print(police_caseworker, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="ingen tvåstegsverifiering"):
        call_command("demo_otp", "polis.handlaggare")
    with pytest.raises(CommandError, match="finns inte"):
        call_command("demo_otp", "ingen.alls")
