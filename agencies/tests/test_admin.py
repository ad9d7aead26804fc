"""The admin has no case data, no access log, and no hand-editing of groups or permissions."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies import audit
from agencies.models import Action
from agencies.tests.factories import with_second_factor
from cases.models import Individual
from cases.tests.factories import IndividualFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(police):
    user = get_user_model().objects.create_superuser("brytglas", "brytglas@example.invalid", "x" * 20)
    with_second_factor(user)
    return user


def test_no_access_log_and_no_groups_in_the_admin(client, superuser, police, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    audit.record(user=police_caseworker, agency_id=police.pk, action=Action.VIEW, model=Individual, objects=[person])
    client.force_login(superuser)
    index = client.get("/admin/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "/admin/agencies/accesslogentry/" not in html
    assert "/admin/auth/group/" not in html
    assert "/admin/agencies/agency/" in html  # the admin itself still works
    for path in (
        "/admin/agencies/accesslogentry/",
        "/admin/agencies/accesslogtarget/",
        "/admin/auth/group/",
        "/admin/auth/group/add/",
        "/admin/auth/permission/",
        "/admin/agencies/deniedaccess/",
    ):
        assert client.get(path).status_code == 404, path


def test_the_user_admin_has_no_groups_or_permissions(client, superuser, police_caseworker):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[police_caseworker.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "groups" not in form.fields and "user_permissions" not in form.fields
    html = response.content.decode()
    assert 'name="groups"' not in html and 'name="user_permissions"' not in html

    # A posted group is ignored: the agency group stays exactly what the membership service made it.
    groups_before = set(police_caseworker.groups.values_list("pk", flat=True))
    from django.contrib.auth.models import Group

    other = Group.objects.create(name="handgjord")
    client.post(
        url,
        {
            "username": police_caseworker.username,
            "first_name": "Ny",
            "last_name": "Nysson",
            "email": "",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "12:00:00",
            "groups": [other.pk],
        },
    )
    police_caseworker.refresh_from_db()
    assert police_caseworker.first_name == "Ny"
    assert set(police_caseworker.groups.values_list("pk", flat=True)) == groups_before
