"""Creating and changing a person in the browser: validation in Swedish, identity details, optimistic locking."""

from typing import cast

import pytest
from django.test import Client
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import basis_for
from cases.models import District, IdentityDetails, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db

CREATE = "/personer/ny/"


def update_url(p):
    return f"/personer/{p.pk}/andra/"


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def identity_of(p, **kw) -> IdentityDetails:
    return cast(IdentityDetails, IdentityDetailsFactory(individual=p, personnummer="198507099805", **kw))


def share(obj, to_agency, user, level="view"):
    return access.share(
        obj,
        to_agency=to_agency,
        level=level,
        legal_basis=basis_for(to_agency),
        assessment="Behövs för samverkan.",
        acting_user=user,
    )


def html(response) -> str:
    return response.content.decode()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- create --------------------------------------------------------------------------------------------


def test_create_form_offers_identity_details(client, police_caseworker):
    client.force_login(police_caseworker)
    text = html(client.get(CREATE))
    assert "<legend>Identitetsuppgifter</legend>" in text
    for name in ("alias", "birth_year", "district", "notes", "personnummer", "full_name", "address", "phone"):
        assert f'name="{name}"' in text
    assert 'name="identity_version"' not in text and 'name="version"' not in text
    # The identity fields are about someone else: the browser must not fill in the caseworker's own.
    assert 'autocomplete="off"' in text


def test_create_with_identity_details(client, police, police_caseworker):
    client.force_login(police_caseworker)
    vivalla = District.objects.get(name="Vivalla")
    response = client.post(
        CREATE,
        {
            "alias": "  Falken ",
            "birth_year": "2004",
            "district": vivalla.pk,
            "notes": "Kontakt via fritidsgården.",
            "personnummer": "850709-9805",
            "full_name": "Karl Falk",
            "address": "Vivallagatan 1",
            "phone": "070-123 45 67",
        },
        follow=True,
    )
    created = Individual.objects.get()
    assert response.redirect_chain == [(f"/personer/{created.pk}/", 302)]
    assert "Personen Falken har lagts till." in html(response)
    assert (created.alias, created.birth_year, created.district, created.owner_agency) == (
        "Falken",
        2004,
        vivalla,
        police,
    )
    identity = IdentityDetails.objects.get()
    assert identity.individual == created and identity.owner_agency == police
    assert identity.personnummer == "198507099805"  # stored as 12 digits
    assert "19850709-9805" in html(response)
    actions = list(AccessLogEntry.objects.order_by("id").values_list("action", "model"))
    assert actions[:2] == [(Action.CREATE, "cases.individual"), (Action.CREATE, "cases.identitydetails")]


@pytest.mark.parametrize("number", ["8507099805", "198507099805", "19850709-9805", "701063-2391"])
def test_create_accepts_10_and_12_digits_and_samordningsnummer(client, police_caseworker, number):
    client.force_login(police_caseworker)
    response = client.post(CREATE, {"alias": "Gäddan", "personnummer": number})
    assert response.status_code == 302
    stored = IdentityDetails.objects.get().personnummer
    assert len(stored) == 12 and stored.isdigit()


def test_create_without_identity_details_creates_none(client, police_caseworker):
    client.force_login(police_caseworker)
    assert client.post(CREATE, {"alias": "Ugglan"}).status_code == 302
    assert Individual.objects.count() == 1 and IdentityDetails.objects.count() == 0


@pytest.mark.parametrize(
    "number, message",
    [
        ("850709-9806", "Numret är inte ett giltigt personnummer eller samordningsnummer"),
        ("12345", "Ange personnummer eller samordningsnummer med 10 eller 12 siffror"),
        ("abcdefghij", "Ange personnummer eller samordningsnummer med 10 eller 12 siffror"),
    ],
)
def test_invalid_personnummer_is_refused_in_swedish_and_nothing_is_created(client, police_caseworker, number, message):
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    response = client.post(CREATE, {"alias": "Lodjuret", "personnummer": number, "full_name": "Lo Djur"})
    assert response.status_code == 200
    text = html(response)
    assert message in text
    assert 'id="id_personnummer_error"' in text and 'aria-invalid="true"' in text
    assert "Formuläret kunde inte sparas" in text  # the error summary, linked to the field
    assert 'href="#id_personnummer"' in text
    # What was typed is kept, so it can be corrected.
    assert 'value="Lodjuret"' in text and 'value="Lo Djur"' in text
    assert Individual.objects.count() == 0 and IdentityDetails.objects.count() == 0
    assert AccessLogEntry.objects.count() == before


def test_alias_is_required_and_birth_year_is_checked(client, police_caseworker):
    client.force_login(police_caseworker)
    response = client.post(CREATE, {"alias": "   ", "birth_year": "1850"})
    text = html(response)
    assert response.status_code == 200
    assert "Ange ett alias." in text
    assert f"Födelseåret måste vara mellan 1900 och {timezone.localdate().year}." in text
    response = client.post(CREATE, {"alias": "Björnen", "birth_year": str(timezone.localdate().year + 1)})
    assert "Födelseåret måste vara mellan" in html(response)
    assert Individual.objects.count() == 0


# --- update --------------------------------------------------------------------------------------------


def test_owner_updates_with_the_version_in_a_hidden_field(client, police, police_caseworker):
    p = person(police, police_caseworker, alias="Vargen", birth_year=2001)
    client.force_login(police_caseworker)
    response = client.get(update_url(p))
    text = html(response)
    assert '<input type="hidden" name="version" value="1"' in text
    assert 'value="Vargen"' in text
    response = client.post(update_url(p), {"alias": "Vargen 2", "birth_year": "2002", "version": "1"}, follow=True)
    assert "Ändringarna har sparats." in html(response)
    p.refresh_from_db()
    assert (p.alias, p.birth_year, p.version) == ("Vargen 2", 2002, 2)
    change = AccessLogEntry.objects.filter(action=Action.CHANGE).get()
    assert change.object_ids == [p.pk] and change.user == police_caseworker


def test_saving_without_changes_writes_nothing(client, police, police_caseworker):
    p = person(police, police_caseworker, alias="Vargen", birth_year=2001, district=None, notes="")
    client.force_login(police_caseworker)
    response = client.post(update_url(p), {"alias": "Vargen", "birth_year": "2001", "version": "1"}, follow=True)
    assert "Inga ändringar att spara." in html(response)
    p.refresh_from_db()
    assert p.version == 1
    assert not AccessLogEntry.objects.filter(action=Action.CHANGE).exists()


def test_concurrent_edit_keeps_the_first_change_and_tells_the_second_editor(police, police_caseworker, police_lead):
    p = person(police, police_caseworker, alias="Haren", birth_year=1999)
    first, second = logged_in(police_caseworker), logged_in(police_lead)
    # Both open the form at version 1.
    assert 'name="version" value="1"' in html(first.get(update_url(p)))
    assert 'name="version" value="1"' in html(second.get(update_url(p)))

    assert (
        first.post(update_url(p), {"alias": "Haren (först)", "birth_year": "1999", "version": "1"}).status_code == 302
    )
    response = second.post(update_url(p), {"alias": "Haren (sist)", "birth_year": "2000", "version": "1"})

    assert response.status_code == 200
    text = html(response)
    assert "Någon annan har ändrat uppgifterna sedan du öppnade dem" in text
    assert "Formuläret visar nu de senast sparade uppgifterna." in text
    # The form now holds the stored values and the current version, and the rejected input is shown apart.
    assert 'value="Haren (först)"' in text and 'name="version" value="2"' in text
    assert response.context["unsaved"] == [("Alias", "Haren (sist)"), ("Födelseår", "2000")]
    p.refresh_from_db()
    assert (p.alias, p.birth_year, p.version) == ("Haren (först)", 1999, 2)

    # Saving again from the refreshed form works.
    assert (
        second.post(update_url(p), {"alias": "Haren (sist)", "birth_year": "2000", "version": "2"}).status_code == 302
    )
    p.refresh_from_db()
    assert (p.alias, p.version) == ("Haren (sist)", 3)


def test_owner_adds_identity_details_when_editing(client, police, police_caseworker):
    p = person(police, police_caseworker, alias="Älgen", birth_year=None, district=None)
    client.force_login(police_caseworker)
    assert "<legend>Identitetsuppgifter</legend>" in html(client.get(update_url(p)))
    response = client.post(
        update_url(p), {"alias": "Älgen", "version": "1", "personnummer": "811218-9876", "full_name": "Ärla Älg"}
    )
    assert response.status_code == 302
    identity = IdentityDetails.objects.get(pk=p.pk)
    assert identity.personnummer == "198112189876" and identity.owner_agency == police
    p.refresh_from_db()
    assert p.version == 1  # the person itself did not change


def test_owner_changes_identity_details_with_their_own_version(client, police, police_caseworker):
    p = person(police, police_caseworker, alias="Lon")
    identity = identity_of(p, full_name="Lo Lon")
    client.force_login(police_caseworker)
    text = html(client.get(update_url(p)))
    assert 'name="identity_version" value="1"' in text and 'value="19850709-9805"' in text
    data = {
        "alias": "Lon",
        "version": "1",
        "personnummer": "19850709-9805",
        "full_name": "Lo Lonsson",
        "identity_version": "1",
    }
    assert client.post(update_url(p), data).status_code == 302
    identity.refresh_from_db()
    assert (identity.full_name, identity.version) == ("Lo Lonsson", 2)
    # A second save from the same (now stale) page is refused and changes nothing.
    data["full_name"] = "Lo Gammal"
    response = client.post(update_url(p), data)
    assert response.status_code == 200 and "Någon annan har ändrat uppgifterna" in html(response)
    identity.refresh_from_db()
    assert identity.full_name == "Lo Lonsson"


def test_identity_added_by_someone_else_meanwhile_is_a_conflict(police, police_caseworker, police_lead):
    p = person(police, police_caseworker, alias="Mården")
    editor = logged_in(police_caseworker)
    text = html(editor.get(update_url(p)))
    assert '<input type="hidden" name="identity_version" id="id_identity_version">' in text  # loaded without details
    # Meanwhile a colleague records identity details.
    logged_in(police_lead).post(update_url(p), {"alias": "Mården", "version": "1", "full_name": "Mårten Mård"})
    response = editor.post(
        update_url(p), {"alias": "Mården", "version": "1", "full_name": "Fel Namn", "identity_version": ""}
    )
    assert response.status_code == 200
    assert "Någon annan har lagt till identitetsuppgifter" in html(response)
    assert 'value="Mårten Mård"' in html(response)
    assert IdentityDetails.objects.get(pk=p.pk).full_name == "Mårten Mård"


def test_conflict_on_identity_leaves_the_person_unchanged_too(client, police, police_caseworker):
    p = person(police, police_caseworker, alias="Igelkotten")
    identity = identity_of(p, full_name="Ig El")
    IdentityDetails.objects.filter(pk=p.pk).update(version=2)  # someone changed them after the form was loaded
    client.force_login(police_caseworker)
    response = client.post(
        update_url(p),
        {
            "alias": "Ny igelkott",
            "version": "1",
            "full_name": "Nytt namn",
            "personnummer": "198507099805",
            "identity_version": "1",
        },
    )
    assert response.status_code == 200 and "Någon annan har ändrat uppgifterna" in html(response)
    p.refresh_from_db()
    identity.refresh_from_db()
    assert (p.alias, p.version) == ("Igelkotten", 1)  # all or nothing
    assert identity.full_name == "Ig El"


def test_change_share_without_identity_access_edits_only_the_person(
    client, police, kommun, police_caseworker, kommun_caseworker
):
    p = person(police, police_caseworker, alias="Bävern")
    identity_of(p, full_name="Bo Bäver")
    share(p, kommun, police_caseworker, level="change")
    client.force_login(kommun_caseworker)
    text = html(client.get(update_url(p)))
    assert "Identitetsuppgifter" not in text and "personnummer" not in text and "Bo Bäver" not in text
    # Even posted identity fields are ignored: the user may not change (or add) them.
    response = client.post(update_url(p), {"alias": "Bävern", "version": "1", "full_name": "Kapat", "notes": "Ny"})
    assert response.status_code == 302
    assert IdentityDetails.objects.get(pk=p.pk).full_name == "Bo Bäver"
    # The notes stay with the owner (cases/disclosure.py): a receiver's posted notes are ignored too.
    assert Individual.objects.get(pk=p.pk).notes == ""


def test_change_share_of_the_person_does_not_allow_adding_identity(
    client, police, kommun, police_caseworker, kommun_caseworker
):
    p = person(police, police_caseworker, alias="Sälen")
    share(p, kommun, police_caseworker, level="change")
    client.force_login(kommun_caseworker)
    assert "Identitetsuppgifter" not in html(client.get(update_url(p)))
    client.post(update_url(p), {"alias": "Sälen", "version": "1", "full_name": "Sigge Säl"})
    assert not IdentityDetails.objects.filter(pk=p.pk).exists()


def test_identity_change_share_lets_the_receiver_edit_them(
    client, police, kommun, police_caseworker, police_lead, kommun_caseworker
):
    p = person(police, police_caseworker, alias="Uttern")
    identity = identity_of(p, full_name="Ut Ter")
    share(p, kommun, police_caseworker, level="change")
    share(identity, kommun, police_lead, level="change")
    client.force_login(kommun_caseworker)
    assert "<legend>Identitetsuppgifter</legend>" in html(client.get(update_url(p)))
    data = {
        "alias": "Uttern",
        "version": "1",
        "personnummer": "198507099805",
        "full_name": "Ut Tersson",
        "identity_version": "1",
    }
    assert client.post(update_url(p), data).status_code == 302
    identity.refresh_from_db()
    assert identity.full_name == "Ut Tersson"


def test_identity_view_share_is_not_editable(client, police, kommun, police_caseworker, police_lead, kommun_caseworker):
    p = person(police, police_caseworker, alias="Grävlingen")
    identity = identity_of(p, full_name="Grä Vling")
    share(p, kommun, police_caseworker, level="change")
    share(identity, kommun, police_lead, level="view")
    client.force_login(kommun_caseworker)
    assert "Identitetsuppgifter" not in html(client.get(update_url(p)))


def test_edit_page_logs_what_it_shows(client, police, police_caseworker):
    p = person(police, police_caseworker, alias="Järven")
    identity_of(p, full_name="Jä Rv")
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(update_url(p))
    entries = AccessLogEntry.objects.order_by("id")[before:]
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        (Action.VIEW, "cases.individual", [p.pk]),
        (Action.VIEW, "cases.identitydetails", [p.pk]),
    ]
