"""Named users of each agency, shared by every test (Zulip/healthchecks style).

police_caseworker and police_lead work at Polisen; probation_caseworker at Kriminalvården; kommun_caseworker
and kommun_lead at Örebro kommun; community_user at a community partner; outsider at a second community
partner that nothing is ever shared with.

The leads have a second factor (an authenticator app with agencies.tests.factories.TEST_TOTP_KEY), as every
lead must. `client.force_login(user)` stands for a whole sign-in — password and, for a user with a second
factor, the code (see _force_login_includes_the_code). A test of the code step itself signs in through the
login page, or uses a user without a device.
"""

import time

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import second_factor
from agencies.models import Agency, Role
from agencies.tests.factories import AgencyFactory, UserFactory, with_second_factor


@pytest.fixture(autouse=True)
def _default_language():
    # Django's LocaleMiddleware leaves the last request's language active in the thread; code called outside
    # a request (an SVG drawing, a service message) must not depend on which test ran before.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _content_types_cached(request):
    """Every database test starts with Django's ContentType cache full, as a running server has it.

    The cache lives in the process and fills on first use, so without this a pinned query count would include
    a content-type lookup or not depending on which tests ran before in the same process — and pytest-xdist
    changes that order from run to run.
    """
    if not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture(autouse=True)
def _force_login_includes_the_code(monkeypatch):
    """force_login of a user with a second factor also verifies the session, as entering the code would."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[second_factor.SESSION_VERIFIED_AT] = time.time()
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def police(db):
    return AgencyFactory(name="Polisen Region Bergslagen", slug="polisen", kind=Agency.Kind.POLICE)


@pytest.fixture
def probation(db):
    return AgencyFactory(name="Kriminalvården Frivård Örebro", slug="kriminalvarden", kind=Agency.Kind.PROBATION)


@pytest.fixture
def kommun(db):
    return AgencyFactory(name="Örebro kommun", slug="orebro-kommun", kind=Agency.Kind.MUNICIPALITY)


@pytest.fixture
def community(db):
    return AgencyFactory(name="Föreningen Trygga Vägar", slug="trygga-vagar", kind=Agency.Kind.COMMUNITY)


@pytest.fixture
def other_community(db):
    return AgencyFactory(name="Nätverket Ny Start", slug="ny-start", kind=Agency.Kind.COMMUNITY)


@pytest.fixture
def police_caseworker(police):
    return UserFactory(username="polis.handlaggare", agency=police)


@pytest.fixture
def police_lead(police):
    lead = UserFactory(username="polis.chef", agency=police, agency__role=Role.LEAD)
    with_second_factor(lead)
    return lead


@pytest.fixture
def probation_caseworker(probation):
    return UserFactory(username="kvv.handlaggare", agency=probation)


@pytest.fixture
def kommun_caseworker(kommun):
    return UserFactory(username="kommun.handlaggare", agency=kommun)


@pytest.fixture
def kommun_lead(kommun):
    lead = UserFactory(username="kommun.chef", agency=kommun, agency__role=Role.LEAD)
    with_second_factor(lead)
    return lead


@pytest.fixture
def community_user(community):
    return UserFactory(username="forening.handlaggare", agency=community)


@pytest.fixture
def outsider(other_community):
    return UserFactory(username="utomstaende", agency=other_community)


@pytest.fixture
def integration_user(police):
    return UserFactory(username="polis.integration", agency=police, agency__role=Role.INTEGRATION)
