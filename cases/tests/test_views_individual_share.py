"""The share dialog: only the owner agency discloses, identity details only by a lead, always on a legal basis."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, LegalBasis, Share
from agencies.services import agency_create
from agencies.tests.factories import basis_for, legal_basis
from cases.models import IdentityDetailsGroupGrant, IndividualGroupGrant
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db


def share_url(p):
    return f"/personer/{p.pk}/dela/"


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def police_person(police, police_caseworker):
    return person(police, police_caseworker, alias="Kråkan")


@pytest.fixture
def identity(police_person):
    return IdentityDetailsFactory(individual=police_person, personnummer="198507099805", full_name="Kris Kråka")


def post(client, p, **data):
    defaults = {
        "what": "individual",
        "level": "view",
        "legal_basis": legal_basis().pk,
        "assessment": "Behövs för samverkan.",
    }
    return client.post(share_url(p), {**defaults, **data})


def test_form_lists_other_active_agencies_and_active_bases(
    client, police, kommun, probation, police_caseworker, police_person
):
    agency_create(name="Nedlagd förening", slug="nedlagd", kind="community", active=False)
    LegalBasis.objects.filter(code="osl-10-28").update(active=False)
    client.force_login(police_caseworker)
    response = client.get(share_url(police_person))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["to_agency"].queryset) == {kommun, probation}
    codes = set(form.fields["legal_basis"].queryset.values_list("code", flat=True))
    assert "osl-10-28" not in codes and "osl-10-2" in codes
    text = html(response)
    # Each basis is explained next to its choice, tied to the radio button for screen readers.
    basis = legal_basis()
    assert basis.description in text
    assert 'aria-describedby="id_legal_basis_' in text and "<legend>Rättslig grund" in text
    assert "Personen (alias, födelseår, stadsdel)" in text


def test_caseworker_shares_the_person(
    client, police, kommun, police_caseworker, kommun_caseworker, police_person, identity
):
    client.force_login(police_caseworker)
    text = html(client.get(share_url(police_person)))
    assert 'value="identity"' not in text  # only leads share identity details
    response = post(client, police_person, to_agency=kommun.pk)
    assert response.status_code == 302 and response.url == f"/personer/{police_person.pk}/"
    record = Share.objects.get()
    assert (record.content_object, record.to_agency, record.level, record.decided_by) == (
        police_person,
        kommun,
        "view",
        police_caseworker,
    )
    assert record.legal_basis == legal_basis() and record.expires_at is None
    assert IndividualGroupGrant.objects.filter(group=kommun.group, content_object=police_person).exists()
    assert AccessLogEntry.objects.filter(action=Action.SHARE, object_ids=[police_person.pk]).exists()
    assert access.can(kommun_caseworker, police_person)

    detail = client.get(f"/personer/{police_person.pk}/")
    assert "Personen har delats med Örebro kommun." in html(detail)


def test_caseworker_cannot_share_identity_even_by_posting(client, kommun, police_caseworker, police_person, identity):
    client.force_login(police_caseworker)
    response = post(client, police_person, what="identity", to_agency=kommun.pk)
    assert response.status_code == 200
    assert Share.objects.count() == 0


def test_lead_shares_identity_details(client, kommun, police_lead, kommun_caseworker, police_person, identity):
    access.share(
        police_person,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_lead,
    )
    client.force_login(police_lead)
    text = html(client.get(share_url(police_person)))
    assert 'value="identity"' in text and "Identitetsuppgifter" in text
    response = post(
        client,
        police_person,
        what="identity",
        to_agency=kommun.pk,
        legal_basis=legal_basis("osl-10-27").pk,
        assessment="Behövs för samverkan.",
    )
    assert response.status_code == 302
    record = Share.objects.latest("id")
    assert record.content_object == identity and record.legal_basis.code == "osl-10-27"
    assert IdentityDetailsGroupGrant.objects.filter(group=kommun.group).exists()

    client.force_login(kommun_caseworker)
    assert "Kris Kråka" in html(client.get(f"/personer/{police_person.pk}/"))


def test_lead_without_identity_details_gets_no_identity_choice(client, kommun, police_lead, police_person):
    client.force_login(police_lead)
    response = client.get(share_url(police_person))
    assert [value for value, _label in response.context["form"].fields["what"].choices] == ["individual"]
    assert post(client, police_person, what="identity", to_agency=kommun.pk).status_code == 200
    assert Share.objects.count() == 0


def test_basis_that_needs_consent_is_refused_with_the_gates_message(client, kommun, police_caseworker, police_person):
    client.force_login(police_caseworker)
    response = post(
        client,
        police_person,
        to_agency=kommun.pk,
        legal_basis=legal_basis("samtycke").pk,
        assessment="Behövs för samverkan.",
    )
    assert response.status_code == 200
    text = html(response)
    # Consent is not even offered while no valid consent covers the receiver (cases/views/share.py).
    assert "Välj en rättslig grund som används." in text
    assert "Samtycke: inget giltigt samtycke täcker mottagaren och uppgiften" in text
    assert 'id="id_legal_basis_error"' in text
    assert Share.objects.count() == 0 and IndividualGroupGrant.objects.count() == 0


def test_expiry_must_be_in_the_future(client, kommun, police_caseworker, police_person):
    client.force_login(police_caseworker)
    today = timezone.localdate()
    for day in (today, today - timedelta(days=3)):
        response = post(client, police_person, to_agency=kommun.pk, expires_on=day.isoformat())
        assert "Slutdatumet måste ligga i framtiden." in html(response)
    assert Share.objects.count() == 0


def test_expiry_is_valid_through_the_chosen_day(client, kommun, police_caseworker, police_person):
    client.force_login(police_caseworker)
    day = timezone.localdate() + timedelta(days=30)
    assert post(client, police_person, to_agency=kommun.pk, expires_on=day.isoformat()).status_code == 302
    expires_at = timezone.localtime(Share.objects.get().expires_at)
    assert expires_at.date() == day + timedelta(days=1) and (expires_at.hour, expires_at.minute) == (0, 0)


def test_missing_choices_are_form_errors(client, police_caseworker, police_person):
    client.force_login(police_caseworker)
    response = client.post(share_url(police_person), {"what": "individual", "level": "view"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"to_agency", "legal_basis"}
    assert Share.objects.count() == 0


def test_own_agency_cannot_be_chosen(client, police, police_caseworker, police_person):
    client.force_login(police_caseworker)
    response = post(client, police_person, to_agency=police.pk)
    assert response.status_code == 200 and "to_agency" in response.context["form"].errors
    assert Share.objects.count() == 0


def test_shared_user_gets_403_outsider_404(
    client, kommun, police_caseworker, kommun_lead, outsider, police_person, identity
):
    access.share(
        police_person,
        to_agency=kommun,
        level="change",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    client.force_login(kommun_lead)
    response = client.get(share_url(police_person))
    assert response.status_code == 403
    assert "Endast den myndighet som äger uppgifterna om personen kan dela dem." in html(response)
    assert post(client, police_person, to_agency=outsider.membership.agency.pk).status_code == 403
    client.force_login(outsider)
    assert client.get(share_url(police_person)).status_code == 404
    assert Share.objects.count() == 1
    assert reverse("individual-share", kwargs={"pk": police_person.pk}) == share_url(police_person)


def test_share_page_logs_the_person_read_and_the_share(client, kommun, police_lead, police_person, identity):
    client.force_login(police_lead)
    before = AccessLogEntry.objects.count()
    client.get(share_url(police_person))
    # The identity details are only offered as a choice, never shown here: no read of them is logged.
    entries = AccessLogEntry.objects.order_by("id")[before:]
    assert [(e.action, e.model) for e in entries] == [(Action.VIEW, "cases.individual")]
    post(client, police_person, what="identity", to_agency=kommun.pk)
    last = AccessLogEntry.objects.latest("id")
    assert (last.action, last.model, last.object_ids) == (Action.SHARE, "cases.identitydetails", [police_person.pk])
    assert last.detail["to_agency"] == kommun.slug and last.detail["legal_basis"] == "osl-10-2"
