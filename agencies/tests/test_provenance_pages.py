"""The receiver's pages say where a shared record came from; the owner's do not; a third agency gets 404."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.tests.factories import basis_for
from cases.tests.factories import IndividualFactory, group

pytestmark = pytest.mark.django_db


def _share(obj, to_agency, user, expires_at=None):
    basis = basis_for(to_agency)
    access.share(
        obj,
        to_agency=to_agency,
        level="view",
        legal_basis=basis,
        assessment="Behövs för samverkan.",
        acting_user=user,
        expires_at=expires_at,
    )
    return basis


@pytest.fixture
def hawks(police, police_caseworker):
    return group(police, police_caseworker, name="Hökarna", first_seen=date(2021, 3, 1))


def test_receiver_sees_from_basis_and_until_on_group_page(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks
):
    until = timezone.now() + timedelta(days=30)
    basis = _share(hawks, kommun, police_caseworker, expires_at=until)
    client.force_login(kommun_caseworker)
    page = client.get(reverse("group-detail", kwargs={"pk": hawks.pk})).content.decode()
    assert "Utlämnad till er" in page
    assert f"Från {police.name}" in page
    assert basis.name in page
    assert f"Gäller till och med {timezone.localtime(until):%Y-%m-%d}" in page


def test_an_end_date_is_told_as_the_last_day_that_still_grants(
    client, kommun, police_caseworker, kommun_caseworker, hawks
):
    # The dialog's "Gäller till och med D" ends the share at 00:00 on D + 1 (as a consent valid through D does);
    # the receiver is told D, not the day after.
    last = timezone.localdate() + timedelta(days=20)
    _share(
        hawks,
        kommun,
        police_caseworker,
        expires_at=timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
    )
    client.force_login(kommun_caseworker)
    page = client.get(reverse("group-detail", kwargs={"pk": hawks.pk})).content.decode()
    assert f"Gäller till och med {last:%Y-%m-%d}." in page
    assert f"{last + timedelta(days=1):%Y-%m-%d}" not in page


def test_receiver_sees_provenance_on_person_page(client, police, kommun, police_caseworker, kommun_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Ormen")
    basis = _share(person, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    page = client.get(reverse("individual-detail", kwargs={"pk": person.pk})).content.decode()
    assert f"Från {police.name}" in page and basis.name in page and "Gäller tills vidare." in page


def test_owner_sees_no_provenance_block(client, kommun, police_caseworker, hawks):
    _share(hawks, kommun, police_caseworker)
    client.force_login(police_caseworker)
    page = client.get(reverse("group-detail", kwargs={"pk": hawks.pk})).content.decode()
    assert "Hökarna" in page and "Utlämnad till er" not in page


def test_another_agency_gets_404(client, kommun, police_caseworker, hawks, probation_caseworker):
    _share(hawks, kommun, police_caseworker)
    client.force_login(probation_caseworker)
    assert client.get(reverse("group-detail", kwargs={"pk": hawks.pk})).status_code == 404
