"""Say exactly what leaves: the dialog's field list is the receiver's API response (cases/disclosure.py)."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from agencies import access
from agencies.tests.factories import legal_basis
from cases import disclosure, services

from .factories import IndividualFactory

pytestmark = pytest.mark.django_db

NOTE = "Socialtjänstens arbetsanteckning om familjen (fiktiv)."
ASSESSMENT = "Polisen behöver veta vem personen är för hotbedömningen; personens intresse väger inte tyngre."


@pytest.fixture
def person(kommun, kommun_caseworker):
    return IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Avhoppare N", notes=NOTE)


@pytest.fixture
def shared(person, police, kommun_caseworker):
    access.share(
        person,
        to_agency=police,
        level="change",
        legal_basis=legal_basis("osl-10-2"),
        assessment=ASSESSMENT,
        acting_user=kommun_caseworker,
    )
    return person


def dialog_fields(html: str) -> list[str]:
    return re.findall(r'<li data-field="([a-z_]+)">', html)


@pytest.mark.parametrize("kind", sorted(disclosure.DISCLOSED))
def test_the_dialog_lists_exactly_what_the_receiver_gets_from_the_api(
    client, kind, shared, kommun_caseworker, police_caseworker
):
    urls = {"individual": (f"/personer/{shared.pk}/dela/", f"/api/v1/individuals/{shared.pk}/")}
    dialog_url, api_url = urls[kind]
    client.force_login(kommun_caseworker)
    listed = dialog_fields(client.get(dialog_url).content.decode())
    assert listed == list(disclosure.receiver_fields(kind) or ())
    api = APIClient()
    api.force_login(police_caseworker)
    received = api.get(api_url).json()
    assert list(received) == listed


def test_the_notes_stay_with_the_owner(client, shared, kommun_caseworker, police_caseworker):
    api = APIClient()
    api.force_login(police_caseworker)
    assert "notes" not in api.get(f"/api/v1/individuals/{shared.pk}/").json()
    listed = api.get("/api/v1/individuals/").json()
    assert all("notes" not in row for row in listed["results"])
    client.force_login(police_caseworker)
    assert NOTE not in client.get(f"/personer/{shared.pk}/").content.decode()
    edit = client.get(f"/personer/{shared.pk}/andra/").content.decode()
    assert NOTE not in edit and 'name="notes"' not in edit
    # A change-share receiver's update leaves the notes as they are.
    services.individual_update(individual=shared, acting_user=police_caseworker, alias="Avhoppare M", notes="")
    shared.refresh_from_db()
    assert (shared.alias, shared.notes) == ("Avhoppare M", NOTE)
    # The owner keeps seeing them, everywhere.
    owner = APIClient()
    owner.force_login(kommun_caseworker)
    assert owner.get(f"/api/v1/individuals/{shared.pk}/").json()["notes"] == NOTE
    client.force_login(kommun_caseworker)
    assert NOTE in client.get(f"/personer/{shared.pk}/").content.decode()
    dialog = client.get(f"/personer/{shared.pk}/dela/").content.decode()
    assert "Stannar hos er: anteckningar." in dialog


def test_the_schema_does_not_require_what_a_receiver_is_not_sent():
    # A client validating responses against the schema must accept a receiver's answer without the withheld fields.
    from drf_spectacular.generators import SchemaGenerator

    from cases.api.schema_hooks import _subclasses
    from cases.disclosure import ReceiverFieldsMixin, receiver_fields

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    checked = 0
    for serializer in _subclasses(ReceiverFieldsMixin):
        allowed = receiver_fields(serializer.disclosed_kind)
        component = schemas.get(serializer.__name__.removesuffix("Serializer"))
        if allowed is None or component is None:
            continue
        assert set(component.get("required", [])) <= set(allowed), serializer.__name__
        checked += 1
    assert checked, "no serializer withholds a field: the check above checked nothing"
    assert "notes" not in schemas["IndividualOutput"]["required"]
    assert schemas["ShareOutput"]["properties"]["to_user"]["nullable"] is True
