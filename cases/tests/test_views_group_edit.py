"""Recording in the browser: groups (with version conflicts), relations, memberships with evidence, and the
one share dialog for a group, a relation and a membership."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, Share
from agencies.tests.factories import basis_for, legal_basis
from cases import services
from cases.models import (
    CriminalGroup,
    CriminalGroupGroupGrant,
    District,
    GroupMembership,
    GroupMembershipGroupGrant,
    GroupRelation,
    GroupRelationGroupGrant,
)
from cases.tests.factories import IndividualFactory, group, membership

pytestmark = pytest.mark.django_db

CREATE = "/grupperingar/ny/"
EVIDENCE_REQUIRED = "Ett medlemskap kräver underlag: beskriv vad uppgiften bygger på och ange källtyp."


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


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


def update_url(grp):
    return reverse("group-update", kwargs={"pk": grp.pk})


@pytest.fixture
def hawks(police, police_caseworker):
    return group(police, police_caseworker, name="Hökarna")


@pytest.fixture
def wolves(police, police_caseworker):
    return group(police, police_caseworker, name="Vargarna")


# --- create and change a group ---------------------------------------------------------------------------


def test_create_form_has_district_checkboxes_in_a_fieldset(client, police_caseworker):
    client.force_login(police_caseworker)
    text = html(client.get(CREATE))
    assert "<legend>Stadsdelar" in text and 'type="checkbox" name="districts"' in text
    assert "<legend>Status" in text and 'name="aliases"' in text and 'name="version"' not in text


def test_create_group(client, police, police_caseworker):
    client.force_login(police_caseworker)
    vivalla, varberga = District.objects.get(name="Vivalla"), District.objects.get(name="Varberga")
    response = client.post(
        CREATE,
        {
            "name": "  Nordligan ",
            "aliases": "NL, Norra\nNordarna\n\nnl",
            "districts": [vivalla.pk, varberga.pk],
            "status": "active",
            "description": "Fiktiv gruppering.",
            "first_seen": "2022-04-01",
        },
        follow=True,
    )
    created = CriminalGroup.objects.get()
    assert response.redirect_chain == [(f"/grupperingar/{created.pk}/", 302)]
    assert "Grupperingen Nordligan har lagts till." in html(response)
    assert (created.name, created.aliases, created.owner_agency) == ("Nordligan", ["NL", "Norra", "Nordarna"], police)
    assert set(created.districts.all()) == {vivalla, varberga} and created.first_seen == date(2022, 4, 1)
    assert AccessLogEntry.objects.filter(action=Action.CREATE, model="cases.criminalgroup").count() == 1


def test_create_refuses_in_swedish(client, police_caseworker):
    client.force_login(police_caseworker)
    response = client.post(
        CREATE, {"name": "  ", "status": "active", "first_seen": "2024-05-01", "last_seen": "2024-01-01"}
    )
    assert response.status_code == 200
    text = html(response)
    assert "Ange grupperingens namn." in text and "Senast noterad kan inte ligga före först noterad." in text
    assert "Formuläret kunde inte sparas" in text and 'href="#id_name"' in text
    response = client.post(CREATE, {"name": "X"})
    assert 'href="#id_status_0"' in html(response)  # a radio group's error links to its first choice
    assert CriminalGroup.objects.count() == 0


def test_update_group(client, police_caseworker, hawks):
    client.force_login(police_caseworker)
    form = client.get(update_url(hawks)).context["form"]
    assert form.initial["version"] == 1 and form.initial["name"] == "Hökarna"
    centrum = District.objects.get(name="Centrum")
    response = client.post(
        update_url(hawks),
        {"name": "Hökarna", "aliases": "Hök", "status": "inactive", "districts": [centrum.pk], "version": 1},
    )
    assert response.status_code == 302
    hawks.refresh_from_db()
    assert (hawks.status, hawks.aliases, list(hawks.districts.all()), hawks.version) == (
        "inactive",
        ["Hök"],
        [centrum],
        2,
    )
    response = client.post(
        update_url(hawks),
        {"name": "Hökarna", "aliases": "Hök", "status": "inactive", "districts": [centrum.pk], "version": 2},
        follow=True,
    )
    assert "Inga ändringar att spara." in html(response)
    hawks.refresh_from_db()
    assert hawks.version == 2


def test_update_with_a_stale_version_is_a_conflict(police_caseworker, police_lead, hawks):
    first, second = logged_in(police_caseworker), logged_in(police_lead)
    first.get(update_url(hawks))
    second.get(update_url(hawks))
    assert second.post(update_url(hawks), {"name": "Hökarna Nord", "status": "active", "version": 1}).status_code == 302
    response = first.post(update_url(hawks), {"name": "Hökarna Syd", "status": "dissolved", "version": 1})
    assert response.status_code == 200
    text = html(response)
    assert "Ändringarna sparades inte" in text and "Någon annan har ändrat uppgifterna" in text
    assert ("Namn", "Hökarna Syd") in response.context["unsaved"]
    assert response.context["form"].initial["name"] == "Hökarna Nord"
    assert response.context["form"].initial["version"] == 2
    hawks.refresh_from_db()
    assert (hawks.name, hawks.status) == ("Hökarna Nord", "active")


def test_a_stale_district_change_alone_is_a_conflict_too(police_caseworker, police_lead, hawks):
    centrum = District.objects.get(name="Centrum")
    logged_in(police_lead).post(update_url(hawks), {"name": "Hökarna", "status": "inactive", "version": 1})
    response = logged_in(police_caseworker).post(
        update_url(hawks), {"name": "Hökarna", "status": "inactive", "districts": [centrum.pk], "version": 1}
    )
    assert "Ändringarna sparades inte" in html(response)
    assert list(hawks.districts.all()) == []


# --- relations -------------------------------------------------------------------------------------------


def test_relation_choices_are_visible_groups_only(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks, wolves
):
    theirs = group(kommun, kommun_caseworker, name="Kommunens")
    client.force_login(police_caseworker)
    url = reverse("relation-create", kwargs={"pk": hawks.pk})
    assert list(client.get(url).context["form"].fields["other"].queryset) == [wolves]
    response = client.post(url, {"other": theirs.pk, "kind": "conflict", "status": "active", "source": "X"})
    assert "Välj en annan gruppering i listan." in html(response)
    assert GroupRelation.objects.count() == 0


def test_record_a_relation(client, police, police_caseworker, hawks, wolves):
    client.force_login(police_caseworker)
    url = reverse("relation-create", kwargs={"pk": hawks.pk})
    response = client.post(url, {"other": wolves.pk, "kind": "conflict", "status": "active", "source": " "})
    assert "Ange källan till uppgiften om relationen." in html(response)
    response = client.post(
        url,
        {
            "other": wolves.pk,
            "kind": "alliance",
            "status": "dormant",
            "since": "2023-02-01",
            "source": "Gruppkartläggning",
        },
        follow=True,
    )
    rel = GroupRelation.objects.get()
    assert (rel.group_a, rel.group_b, rel.kind, rel.status, rel.since) == (
        hawks,
        wolves,
        "alliance",
        "dormant",
        date(2023, 2, 1),
    )
    assert rel.owner_agency == police
    assert "Relationen mellan Hökarna och Vargarna har registrerats." in html(response)


def test_shared_user_records_its_own_relation(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks, wolves
):
    share(hawks, kommun, police_caseworker)
    share(wolves, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    url = reverse("relation-create", kwargs={"pk": hawks.pk})
    assert (
        client.post(
            url, {"other": wolves.pk, "kind": "conflict", "status": "active", "source": "Fritidsgården"}
        ).status_code
        == 302
    )
    rel = GroupRelation.objects.get()
    assert rel.owner_agency == kommun
    # Police sees the groups but not kommun's relation until kommun shares it.
    assert "Fritidsgården" not in html(
        logged_in(police_caseworker).get(reverse("group-detail", kwargs={"pk": hawks.pk}))
    )


def test_no_other_group_to_choose(client, police_caseworker, hawks):
    client.force_login(police_caseworker)
    text = html(client.get(reverse("relation-create", kwargs={"pk": hawks.pk})))
    assert "Det finns ingen annan gruppering att välja." in text and '<form method="post"' not in text


def test_update_a_relation_with_conflict_handling(police_caseworker, police_lead, hawks, wolves):
    rel = services.relation_create(
        acting_user=police_caseworker, group_a=hawks, group_b=wolves, kind="conflict", source="Utredning"
    )
    url = reverse("relation-update", kwargs={"pk": rel.pk})
    data = {"kind": "conflict", "status": "dormant", "source": "Utredning", "version": 1}
    assert logged_in(police_lead).post(url, data).status_code == 302
    rel.refresh_from_db()
    assert (rel.status, rel.version) == ("dormant", 2)
    response = logged_in(police_caseworker).post(url, {**data, "status": "ended"})
    assert "Ändringarna sparades inte" in html(response)
    rel.refresh_from_db()
    assert rel.status == "dormant"


def test_relation_update_needs_a_change_share(client, kommun, police_caseworker, kommun_caseworker, hawks, wolves):
    rel = services.relation_create(
        acting_user=police_caseworker, group_a=hawks, group_b=wolves, kind="conflict", source="Utredning"
    )
    for obj in (hawks, wolves, rel):
        share(obj, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    url = reverse("relation-update", kwargs={"pk": rel.pk})
    assert client.get(url).status_code == 403
    share(rel, kommun, police_caseworker, level="change")
    assert client.get(url).status_code == 200


# --- memberships -----------------------------------------------------------------------------------------


def membership_data(individual, **kw):
    data = {
        "individual": individual.pk,
        "role": "core",
        "source_type": "group_audit",
        "evidence": "Pekades ut vid gruppkartläggningen i mars (fiktivt).",
        "confidence": "probable",
    }
    return {**data, **kw}


def test_membership_without_evidence_is_refused_in_swedish(client, police, police_caseworker, hawks):
    ormen = person(police, police_caseworker, alias="Ormen")
    client.force_login(police_caseworker)
    url = reverse("membership-create", kwargs={"pk": hawks.pk})
    for data in (membership_data(ormen, evidence="   "), membership_data(ormen, source_type="")):
        response = client.post(url, data)
        assert response.status_code == 200
        text = html(response)
        assert EVIDENCE_REQUIRED in text and "Formuläret kunde inte sparas" in text
    assert GroupMembership.objects.count() == 0


def test_record_a_membership(client, police, police_caseworker, hawks):
    ormen = person(police, police_caseworker, alias="Ormen", birth_year=2001)
    client.force_login(police_caseworker)
    url = reverse("membership-create", kwargs={"pk": hawks.pk})
    assert "Ormen (2001)" not in html(client.get(url))  # no list of every person: a search finds them
    assert "Ormen (2001)" in html(client.post(url, {"individual_sok": "orm", "individual_sok_knapp": "1"}))
    response = client.post(url, membership_data(ormen, valid_from="2024-03-01"), follow=True)
    m = GroupMembership.objects.get()
    assert response.redirect_chain == [(f"/grupperingar/{hawks.pk}/", 302)]
    assert "Ormen har registrerats som medlem i Hökarna." in html(response)
    assert (m.individual, m.group, m.role, m.confidence, m.owner_agency) == (ormen, hawks, "core", "probable", police)
    assert m.review_due == timezone.localdate() + timedelta(days=365) and m.valid_from == date(2024, 3, 1)
    assert m.recorded_by == police_caseworker


def test_membership_person_choices_are_visible_persons_only(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks
):
    hidden = person(kommun, kommun_caseworker, alias="Hemlig")
    mine = person(police, police_caseworker, alias="Min")
    client.force_login(police_caseworker)
    url = reverse("membership-create", kwargs={"pk": hawks.pk})
    assert list(client.get(url).context["form"].fields["individual"].queryset) == [mine]
    found = html(client.post(url, {"individual_sok": "i", "individual_sok_knapp": "1"}))
    assert "Min" in found and "Hemlig" not in found
    response = client.post(url, membership_data(hidden))
    assert "Välj en person bland sökträffarna." in html(response)
    assert GroupMembership.objects.count() == 0


def test_membership_dates_and_review_date(client, police, police_caseworker, hawks):
    ormen = person(police, police_caseworker)
    client.force_login(police_caseworker)
    url = reverse("membership-create", kwargs={"pk": hawks.pk})
    response = client.post(url, membership_data(ormen, valid_from="2024-05-01", valid_to="2024-01-01"))
    assert "Slutdatum kan inte ligga före startdatum." in html(response)
    response = client.post(url, membership_data(ormen, review_due=timezone.localdate().isoformat()))
    assert "Omprövningsdatumet måste ligga i framtiden." in html(response)
    due = timezone.localdate() + timedelta(days=90)
    assert client.post(url, membership_data(ormen, review_due=due.isoformat())).status_code == 302
    assert GroupMembership.objects.get().review_due == due


def test_no_person_to_choose(client, police_caseworker, hawks):
    client.force_login(police_caseworker)
    text = html(client.get(reverse("membership-create", kwargs={"pk": hawks.pk})))
    assert "Det finns ingen person att välja." in text


# --- the one share dialog, for groups, relations and memberships ------------------------------------------


def share_data(to_agency, **kw):
    return {
        "level": "view",
        "legal_basis": legal_basis().pk,
        "assessment": "Behövs för samverkan.",
        "to_agency": to_agency.pk,
        **kw,
    }


def test_share_a_group(client, police, kommun, police_caseworker, kommun_caseworker, hawks):
    client.force_login(police_caseworker)
    url = reverse("group-share", kwargs={"pk": hawks.pk})
    response = client.get(url)
    text = html(response)
    assert "Dela Hökarna med en annan myndighet" in text and "Medlemmar och relationer följer inte med" in text
    assert 'name="what"' not in text  # one record, nothing to choose
    response = client.post(url, share_data(kommun), follow=True)
    assert response.redirect_chain == [(f"/grupperingar/{hawks.pk}/", 302)]
    assert "Grupperingen har delats med Örebro kommun." in html(response)
    record = Share.objects.get()
    assert (record.content_object, record.to_agency, record.decided_by) == (hawks, kommun, police_caseworker)
    assert CriminalGroupGroupGrant.objects.filter(group=kommun.group, content_object=hawks).exists()
    assert access.can(kommun_caseworker, hawks)
    # The dialog now shows the register, with a revoke form.
    text = html(client.get(url))
    assert "Tidigare utlämnanden" in text and reverse("share-revoke", kwargs={"pk": record.pk}) in text


def test_share_a_relation_and_a_membership_returning_to_next(client, police, kommun, police_caseworker, hawks, wolves):
    rel = services.relation_create(
        acting_user=police_caseworker, group_a=hawks, group_b=wolves, kind="conflict", source="Utredning"
    )
    m = membership(police_caseworker, person(police, police_caseworker, alias="Ormen"), hawks)
    client.force_login(police_caseworker)
    back = f"/grupperingar/{wolves.pk}/"
    url = reverse("relation-share", kwargs={"pk": rel.pk}) + f"?next={back}"
    assert "Hökarna – Vargarna (konflikt)" in html(client.get(url))
    response = client.post(url, share_data(kommun, next=back))
    assert response.status_code == 302 and response.url == back
    assert GroupRelationGroupGrant.objects.filter(group=kommun.group, content_object=rel).exists()

    url = reverse("membership-share", kwargs={"pk": m.pk})
    text = html(client.get(url))
    assert "Ormen i Hökarna" in text and "rättsligt stöd" in text
    response = client.post(url, share_data(kommun, next="https://example.com/"))
    assert response.url == f"/grupperingar/{hawks.pk}/"  # never off-site
    assert GroupMembershipGroupGrant.objects.filter(group=kommun.group, content_object=m).exists()
    assert AccessLogEntry.objects.filter(action=Action.SHARE, model="cases.groupmembership").count() == 1


def test_share_dialog_refusals(client, police, kommun, police_caseworker, hawks):
    client.force_login(police_caseworker)
    url = reverse("group-share", kwargs={"pk": hawks.pk})
    response = client.post(
        url, share_data(kommun, legal_basis=legal_basis("samtycke").pk, assessment="Behövs för samverkan.")
    )
    # Consent is a basis for records about a person: not offered for a group, so not a valid choice.
    assert "Välj en rättslig grund som används." in html(response)
    response = client.post(url, share_data(police))
    assert "to_agency" in response.context["form"].errors
    assert Share.objects.count() == 0


def test_share_dialog_is_the_owners(client, kommun, police_caseworker, kommun_caseworker, outsider, hawks, wolves):
    rel = services.relation_create(
        acting_user=police_caseworker, group_a=hawks, group_b=wolves, kind="conflict", source="Utredning"
    )
    m = membership(
        police_caseworker, IndividualFactory(owner_agency=hawks.owner_agency, created_by=police_caseworker), hawks
    )
    for obj in (hawks, wolves, rel, m, m.individual):
        share(obj, kommun, police_caseworker, level="change")
    urls = [
        reverse("group-share", kwargs={"pk": hawks.pk}),
        reverse("relation-share", kwargs={"pk": rel.pk}),
        reverse("membership-share", kwargs={"pk": m.pk}),
    ]
    client.force_login(kommun_caseworker)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and "Endast den myndighet som" in html(response)
        assert client.post(url, share_data(outsider.membership.agency)).status_code == 403
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    assert Share.objects.count() == 5


def test_membership_dialog_needs_both_ends_visible(client, police, kommun, police_caseworker, kommun_lead, hawks):
    """A membership shared to an agency that cannot see the person is not found there at all."""
    m = membership(police_caseworker, person(police, police_caseworker), hawks)
    share(m, kommun, police_caseworker)
    share(hawks, kommun, police_caseworker)
    client.force_login(kommun_lead)
    assert client.get(reverse("membership-share", kwargs={"pk": m.pk})).status_code == 404
    share(m.individual, kommun, police_caseworker)
    assert client.get(reverse("membership-share", kwargs={"pk": m.pk})).status_code == 403
