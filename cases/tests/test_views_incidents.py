"""The incident register pages as a permission matrix: anonymous, another agency, shared, owner.

Police owns the records here (an incident is police's by design); kommun and the community partner receive
shares; outsider is an agency nothing is ever shared with. An incident, a group, a person and each
person's involvement are separate protected records: seeing one never implies seeing another.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, Share
from agencies.tests.factories import UserFactory, legal_basis
from cases.models import District, GroupMembership, Incident, IncidentGroup, IncidentPerson
from cases.tests.factories import IndividualFactory, group, incident, membership
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

LIST = "/handelser/"
CREATE = "/handelser/ny/"


def share(obj, to_agency, user, level="view"):
    return access.share(
        obj,
        to_agency=to_agency,
        level=level,
        legal_basis=legal_basis("ej-sekretess" if to_agency.kind == "community" else "osl-10-2"),
        assessment="Behövs för samverkan.",
        acting_user=user,
    )


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def html(response) -> str:
    return response.content.decode()


def listed(response) -> list[int]:
    return [obj.pk for obj in response.context["page"].items]


def month_counts(response) -> dict[str, int]:
    return {row["month"].strftime("%Y-%m"): row["count"] for row in response.context["months"]}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(year, month, day=15, hour=21) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, 30))


def detail_url(obj) -> str:
    return reverse("incident-detail", kwargs={"pk": obj.pk})


@pytest.fixture
def shooting(police_caseworker):
    return incident(
        police_caseworker,
        occurred_at=at(2025, 3, 2),
        place="Vivalla torg",
        dead=1,
        injured=2,
        summary="Skott avlossade mot en bil (fiktivt).",
    )


@pytest.fixture
def gang(police, police_caseworker):
    return group(police, police_caseworker, name="Norrnätverket")


@pytest.fixture
def victim(police, police_caseworker):
    return person(police, police_caseworker, alias="Offret", birth_year=2004)


@pytest.fixture
def suspect(police, police_caseworker):
    return person(police, police_caseworker, alias="Skytten", birth_year=2001)


@pytest.fixture
def involved(shooting, gang, victim, suspect, police_caseworker):
    """The incident with a group on the perpetrator side, a victim and a suspect."""
    from cases import services

    services.incident_add_group(
        incident=shooting, acting_user=police_caseworker, group=gang, certainty="suspected", side="perpetrator"
    )
    victim_row = services.incident_add_person(
        incident=shooting, acting_user=police_caseworker, individual=victim, role="victim"
    )
    suspect_row = services.incident_add_person(
        incident=shooting, acting_user=police_caseworker, individual=suspect, role="suspect", notes="Sågs fly."
    )
    return victim_row, suspect_row


# --- the matrix: who gets what --------------------------------------------------------------------------

PAGES = [
    "incident-list",
    "incident-create",
    "incident-detail",
    "incident-update",
    "incident-group-add",
    "incident-person-add",
]
OBJECT_PAGES = ["incident-detail", "incident-update", "incident-group-add", "incident-person-add"]
ACTIONS = ["incident-update", "incident-group-add", "incident-person-add"]


def url_for(name, obj):
    return reverse(name, kwargs={"pk": obj.pk}) if name in OBJECT_PAGES else reverse(name)


def test_url_paths():
    assert reverse("incident-list") == "/handelser/"
    assert reverse("incident-create") == "/handelser/ny/"
    assert reverse("incident-detail", kwargs={"pk": 7}) == "/handelser/7/"
    assert reverse("incident-update", kwargs={"pk": 7}) == "/handelser/7/andra/"
    assert reverse("incident-group-add", kwargs={"pk": 7}) == "/handelser/7/grupperingar/ny/"
    assert reverse("incident-person-add", kwargs={"pk": 7}) == "/handelser/7/personer/ny/"


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, shooting, name):
    url = url_for(name, shooting)
    for response in (client.get(url), client.post(url, {"kind": "shooting"})):
        if name in ("incident-list", "incident-detail") and response.status_code == 405:
            continue  # read-only pages refuse POST before anything else
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")) and "next=" in response.url
    assert Incident.objects.count() == 1


def test_anonymous_htmx_filter_loads_the_login_page_as_a_whole_page(client, shooting):
    response = client.get(LIST, {"kind": "shooting"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", PAGES)
def test_user_without_agency_gets_403(client, shooting, name):
    client.force_login(UserFactory(username="ingen.myndighet"))
    assert client.get(url_for(name, shooting)).status_code == 403


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_other_agency_gets_404_and_changes_nothing(client, involved, shooting, gang, victim, outsider, name):
    client.force_login(outsider)
    url = url_for(name, shooting)
    assert client.get(url).status_code == 404
    if name != "incident-detail":
        posted = {
            "kind": "threat",
            "occurred_at": "2025-03-02T21:30",
            "dead": 0,
            "injured": 0,
            "status": "open",
            "investigation_hours": "0",
            "version": 1,
            "group": gang.pk,
            "side": "victim",
            "certainty": "confirmed",
            "individual": victim.pk,
            "role": "witness",
        }
        assert client.post(url, posted).status_code == 404
    shooting.refresh_from_db()
    assert (shooting.kind, shooting.version) == ("shooting", 1)
    assert IncidentGroup.objects.count() == 1 and IncidentPerson.objects.count() == 2


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_missing_incident_is_the_same_404(client, police_caseworker, name):
    client.force_login(police_caseworker)
    assert client.get(reverse(name, kwargs={"pk": 999999})).status_code == 404


def test_other_agency_finds_nothing_in_the_list_or_the_month_counts(client, involved, shooting, gang, outsider):
    client.force_login(outsider)
    response = client.get(LIST)
    assert listed(response) == [] and response.context["months"] == []
    text = html(response)
    assert detail_url(shooting) not in text and "Vivalla torg" not in text
    assert "Inga händelser att räkna." in text
    # Filtering by a group the user cannot see is an invalid choice, not a way to learn about it.
    response = client.get(LIST, {"group": gang.pk})
    assert listed(response) == [] and response.context["months"] == []
    assert "Norrnätverket" not in html(response)


def test_refused_reads_are_not_logged_as_reads(client, involved, shooting, outsider):
    client.force_login(outsider)
    before = AccessLogEntry.objects.count()
    client.get(detail_url(shooting))
    assert AccessLogEntry.objects.count() == before


def test_shared_incident_shows_only_the_incident(
    client, community, police_caseworker, community_user, involved, shooting, gang, victim, suspect
):
    """The incident is shared; its group, its persons and their involvement are not: none of them shows."""
    share(shooting, community, police_caseworker)
    client.force_login(community_user)

    response = client.get(LIST)
    assert listed(response) == [shooting.pk]
    assert month_counts(response) == {"2025-03": 1}

    response = client.get(detail_url(shooting))
    assert response.status_code == 200
    text = html(response)
    assert "Skjutning" in text and "Vivalla torg" in text and "Skott avlossade" in text
    assert response.context["groups"] == [] and response.context["persons"] == []
    for secret in ("Norrnätverket", "Offret", "Skytten", "Sågs fly", "Inblandade grupperingar", "Inblandade personer"):
        assert secret not in text, secret
    for name in ACTIONS:
        assert url_for(name, shooting) not in text
    # Visible, so not a 404; but neither changing nor recording involvement is theirs to do.
    for name in ACTIONS:
        assert client.get(url_for(name, shooting)).status_code == 403
    assert (
        client.post(url_for("incident-person-add", shooting), {"individual": victim.pk, "role": "witness"}).status_code
        == 403
    )
    assert IncidentPerson.objects.count() == 2


def test_shared_group_and_involvement_show_where_both_ends_are_visible(
    client, community, police_caseworker, community_user, involved, shooting, gang, victim, suspect
):
    victim_row, suspect_row = involved
    share(shooting, community, police_caseworker)
    share(gang, community, police_caseworker)
    # The suspect's involvement is shared, but not the suspect: still nothing.
    share(suspect_row, community, police_caseworker)
    client.force_login(community_user)
    response = client.get(detail_url(shooting))
    assert [row.group for row in response.context["groups"]] == [gang]
    assert response.context["persons"] == []
    text = html(response)
    assert "Norrnätverket" in text and "Gärningssida" in text and "Misstänkt" in text
    assert "Skytten" not in text and "Inblandade personer" not in text

    # With the person shared too, the link shows; the victim (not shared) still does not.
    share(suspect, community, police_caseworker)
    response = client.get(detail_url(shooting))
    assert response.context["persons"] == [suspect_row]
    text = html(response)
    assert "Skytten" in text and reverse("individual-detail", kwargs={"pk": suspect.pk}) in text
    assert "Offret" not in text and "Sågs fly" in text


def test_person_and_incident_shared_without_the_involvement_show_no_link(
    client, community, police_caseworker, community_user, involved, shooting, victim
):
    share(shooting, community, police_caseworker)
    share(victim, community, police_caseworker)
    client.force_login(community_user)
    assert "Offret" not in html(client.get(detail_url(shooting)))
    text = html(client.get(reverse("individual-detail", kwargs={"pk": victim.pk})))
    assert "Inblandning i händelser" not in text and detail_url(shooting) not in text


def test_change_share_allows_edit_but_not_recording_involvement(
    client, kommun, police_caseworker, kommun_caseworker, shooting, gang
):
    share(shooting, kommun, police_caseworker, level="change")
    share(gang, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    text = html(client.get(detail_url(shooting)))
    assert url_for("incident-update", shooting) in text
    assert url_for("incident-group-add", shooting) not in text
    assert client.get(url_for("incident-update", shooting)).status_code == 200
    response = client.post(url_for("incident-update", shooting), _incident_data(shooting, injured=3, version=1))
    assert response.status_code == 302
    shooting.refresh_from_db()
    assert (shooting.injured, shooting.version) == (3, 2)
    response = client.post(
        url_for("incident-group-add", shooting), {"group": gang.pk, "side": "victim", "certainty": "suspected"}
    )
    assert response.status_code == 403
    assert IncidentGroup.objects.count() == 0


def test_owner_sees_everything(client, police, police_caseworker, involved, shooting, gang, victim, suspect):
    client.force_login(police_caseworker)
    response = client.get(detail_url(shooting))
    text = html(response)
    for shown in ("Norrnätverket", "Offret", "Skytten", "Målsägande/offer", "Misstänkt", "Sågs fly", police.name):
        assert shown in text, shown
    for name in ACTIONS:
        assert url_for(name, shooting) in text
    assert len(response.context["persons"]) == 2
    assert client.get(url_for("incident-group-add", shooting)).status_code == 200
    assert client.get(url_for("incident-person-add", shooting)).status_code == 200


def test_group_link_only_where_the_group_page_exists(client, police_caseworker, involved, shooting, gang):
    client.force_login(police_caseworker)
    text = html(client.get(detail_url(shooting)))
    try:
        group_url = reverse("group-detail", kwargs={"pk": gang.pk})
    except Exception:  # the group pages are not mounted (yet): the name is shown without a link
        assert ">Norrnätverket</th>" in text
    else:
        assert f'href="{group_url}"' in text


# --- sharing through the one share dialog (cases.views.share) ----------------------------------------------


def _share_form(agency):
    return {
        "to_agency": agency.pk,
        "level": "view",
        # A community partner is outside OSL: it receives only what no secrecy covers (or on consent).
        "legal_basis": legal_basis("ej-sekretess" if agency.kind == "community" else "osl-10-2").pk,
        "assessment": "Behövs för samverkan.",
    }


def test_owner_shares_the_incident_and_an_involvement_each_on_its_own(
    client, community, police_caseworker, community_user, involved, shooting, suspect
):
    victim_row, suspect_row = involved
    client.force_login(police_caseworker)
    text = html(client.get(detail_url(shooting)))
    incident_share = reverse("incident-share", kwargs={"pk": shooting.pk})
    involvement_share = reverse("incident-person-share", kwargs={"pk": suspect_row.pk})
    assert incident_share == f"/handelser/{shooting.pk}/dela/"
    assert involvement_share == f"/handelser/inblandning/{suspect_row.pk}/dela/"
    assert incident_share in text and involvement_share in text
    assert "Händelsen har inte lämnats ut till någon annan myndighet." in text

    response = client.post(incident_share, _share_form(community), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(shooting)
    assert "Händelsen har delats med" in html(response)
    # The register on the incident page lists it, with a way to revoke.
    assert response.context["shares"][0]["record"].to_agency == community
    response = client.post(involvement_share + f"?next={detail_url(shooting)}", _share_form(community))
    assert response.status_code == 302
    assert Share.objects.filter(to_agency=community, revoked_at__isnull=True).count() == 2

    client.force_login(community_user)
    response = client.get(detail_url(shooting))
    assert response.status_code == 200
    # The involvement is shared, the suspect is not: the link still does not show.
    assert response.context["persons"] == [] and "Skytten" not in html(response)
    # Only the owner discloses: visible is 403, invisible is 404.
    assert client.get(incident_share).status_code == 403
    assert client.get(reverse("incident-person-share", kwargs={"pk": victim_row.pk})).status_code == 404


def test_other_agency_gets_404_from_the_share_dialogs(client, outsider, involved, shooting):
    client.force_login(outsider)
    assert client.get(reverse("incident-share", kwargs={"pk": shooting.pk})).status_code == 404
    assert client.get(reverse("incident-person-share", kwargs={"pk": involved[0].pk})).status_code == 404


# --- recording involvement through the pages --------------------------------------------------------------


def test_owner_adds_a_group(client, police_caseworker, shooting, gang):
    client.force_login(police_caseworker)
    url = url_for("incident-group-add", shooting)
    assert "Norrnätverket" not in html(client.get(url))  # no list of every group: a search finds it
    assert "Norrnätverket" in html(client.post(url, {"group_sok": "norr", "group_sok_knapp": "1"}))
    response = client.post(url, {"group": gang.pk, "side": "perpetrator", "certainty": "confirmed"}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(shooting) + "#groups-heading"
    assert "Norrnätverket har lagts till i händelsen." in html(response)
    row = IncidentGroup.objects.get()
    assert (row.incident, row.group, row.side, row.certainty) == (shooting, gang, "perpetrator", "confirmed")
    # The same group on the same side again is refused in Swedish, next to the field.
    response = client.post(url, {"group": gang.pk, "side": "perpetrator", "certainty": "suspected"})
    assert response.status_code == 200
    text = html(response)
    assert "Grupperingen finns redan registrerad på den sidan i händelsen." in text
    assert 'id="id_group_error"' in text and "Formuläret kunde inte sparas" in text
    assert IncidentGroup.objects.count() == 1


def test_group_choices_are_only_visible_groups(client, kommun, police_caseworker, kommun_caseworker, shooting):
    hidden = group(kommun, kommun_caseworker, name="Dolda gänget")
    client.force_login(police_caseworker)
    url = url_for("incident-group-add", shooting)
    assert "Dolda gänget" not in html(client.get(url))
    response = client.post(url, {"group": hidden.pk, "side": "victim", "certainty": "suspected"})
    assert response.status_code == 200
    assert "Välj en gruppering i listan." in html(response) and "Dolda gänget" not in html(response)
    assert IncidentGroup.objects.count() == 0


def test_missing_choices_are_refused_in_swedish(client, police_caseworker, shooting):
    client.force_login(police_caseworker)
    text = html(client.post(url_for("incident-group-add", shooting), {}))
    for message in ("Välj en gruppering.", "Välj om grupperingen var på gärnings- eller offersidan."):
        assert message in text
    text = html(client.post(url_for("incident-person-add", shooting), {"q": "x"}))
    assert "Välj en person bland sökträffarna." in text or "Ingen person som du har tillgång till" in text


def test_person_search_offers_only_visible_persons_and_logs_them(
    client, police, kommun, police_caseworker, kommun_caseworker, shooting, victim
):
    hidden = person(kommun, kommun_caseworker, alias="Offret i kommunen")
    client.force_login(police_caseworker)
    url = url_for("incident-person-add", shooting)
    before = AccessLogEntry.objects.count()
    response = client.get(url, {"q": "offret"})
    text = html(response)
    assert response.context["candidates"] == [victim]
    assert "Offret" in text and "Offret i kommunen" not in text
    assert f'value="{victim.pk}"' in text and f'value="{hidden.pk}"' not in text
    [entry] = [e for e in AccessLogEntry.objects.order_by("id")[before:] if e.action == Action.LIST]
    assert entry.model == "cases.individual" and entry.object_ids == [victim.pk]
    # Posting the hidden person's id anyway is an invalid choice, like a missing one.
    response = client.post(url, {"q": "offret", "individual": hidden.pk, "role": "victim"})
    assert response.status_code == 200 and "Välj en person bland sökträffarna." in html(response)
    assert "Offret i kommunen" not in html(response)
    assert IncidentPerson.objects.count() == 0
    # No match says so, with the way to add the person first.
    text = html(client.get(url, {"q": "finns inte"}))
    assert "Ingen person som du har tillgång till matchar sökningen." in text
    assert reverse("individual-create") in text


def test_victim_added_through_the_page_never_becomes_a_member(
    client, police_caseworker, involved, shooting, gang, suspect
):
    GroupMembership.objects.all().delete()
    membership(police_caseworker, suspect, gang)
    client.force_login(police_caseworker)
    other = person(shooting.owner_agency, police_caseworker, alias="Andra offret", birth_year=2006)
    url = url_for("incident-person-add", shooting)
    response = client.post(url, {"q": "andra", "individual": other.pk, "role": "victim", "notes": " Skadad i benet. "})
    assert response.status_code == 302
    assert response["Location"] == detail_url(shooting) + "#persons-heading"
    row = IncidentPerson.objects.get(individual=other)
    assert (row.role, row.notes, row.owner_agency_id) == ("victim", "Skadad i benet.", shooting.owner_agency_id)
    # The victim is in no group, even though the incident involves a group with members.
    assert not GroupMembership.objects.filter(individual=other).exists()
    assert GroupMembership.objects.count() == 1
    # Twice with the same role is refused in Swedish.
    response = client.post(url, {"q": "andra", "individual": other.pk, "role": "victim"})
    assert "Personen finns redan registrerad med den rollen i händelsen." in html(response)
    assert IncidentPerson.objects.filter(individual=other).count() == 1


# --- create and edit -------------------------------------------------------------------------------------


def _incident_data(obj=None, **kw):
    data = {
        "kind": "shooting",
        "occurred_at": "2025-03-02T21:30",
        "district": "",
        "place": "Vivalla torg",
        "dead": "1",
        "injured": "2",
        "status": "open",
        "investigation_hours": "0",
        "summary": "Skott avlossade mot en bil (fiktivt).",
    }
    if obj is not None:
        data.update(
            kind=obj.kind,
            occurred_at=timezone.localtime(obj.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            district=obj.district_id or "",
            place=obj.place,
            dead=str(obj.dead),
            injured=str(obj.injured),
            status=obj.status,
            investigation_hours=str(obj.investigation_hours),
            summary=obj.summary,
        )
    data.update({k: str(v) for k, v in kw.items()})
    return data


def test_create_an_incident(client, police, police_caseworker):
    client.force_login(police_caseworker)
    text = html(client.get(CREATE))
    assert 'type="datetime-local"' in text and 'name="investigation_hours"' in text
    vivalla = District.objects.get(name="Vivalla")
    response = client.post(
        CREATE, _incident_data(district=vivalla.pk, investigation_hours="12,5", place="  Vivalla torg "), follow=True
    )
    created = Incident.objects.get()
    assert response.redirect_chain == [(detail_url(created), 302)]
    assert "Händelsen har registrerats." in html(response)
    assert (created.kind, created.district, created.place, created.dead, created.injured) == (
        "shooting",
        vivalla,
        "Vivalla torg",
        1,
        2,
    )
    assert created.investigation_hours == Decimal("12.5") and created.owner_agency == police
    assert timezone.localtime(created.occurred_at).strftime("%Y-%m-%d %H:%M") == "2025-03-02 21:30"
    assert AccessLogEntry.objects.filter(action=Action.CREATE, model="cases.incident").count() == 1


def test_create_refuses_bad_input_in_swedish(client, police_caseworker):
    client.force_login(police_caseworker)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(CREATE, _incident_data(kind="", occurred_at=future, dead="-1", investigation_hours="mycket"))
    assert response.status_code == 200
    text = html(response)
    for message in (
        "Välj typ av händelse.",
        "Tidpunkten kan inte ligga i framtiden.",
        "Antalet kan inte vara negativt.",
        "Ange ett antal timmar, till exempel 12,5.",
        "Formuläret kunde inte sparas",
    ):
        assert message in text, message
    assert 'href="#id_occurred_at"' in text and 'aria-invalid="true"' in text
    assert Incident.objects.count() == 0


def test_owner_edits_with_the_version_in_a_hidden_field(client, police_caseworker, shooting):
    client.force_login(police_caseworker)
    url = url_for("incident-update", shooting)
    text = html(client.get(url))
    assert '<input type="hidden" name="version" value="1"' in text and 'value="Vivalla torg"' in text
    assert 'value="2025-03-02T21:30"' in text
    response = client.post(url, _incident_data(shooting, status="solved", version=1), follow=True)
    assert "Ändringarna har sparats." in html(response)
    shooting.refresh_from_db()
    assert (shooting.status, shooting.version) == ("solved", 2)
    change = AccessLogEntry.objects.filter(action=Action.CHANGE, model="cases.incident").get()
    assert change.detail == {"fields": ["status"]}


def test_saving_without_changes_writes_nothing(client, police_caseworker):
    # Stored with seconds; the form shows minutes. An untouched time is not a change.
    obj = incident(police_caseworker, occurred_at=at(2025, 3, 2).replace(second=41, microsecond=5))
    client.force_login(police_caseworker)
    response = client.post(url_for("incident-update", obj), _incident_data(obj, version=1), follow=True)
    assert "Inga ändringar att spara." in html(response)
    obj.refresh_from_db()
    assert obj.version == 1 and obj.occurred_at.second == 41
    assert not AccessLogEntry.objects.filter(action=Action.CHANGE).exists()


def test_concurrent_edit_keeps_the_first_change_and_tells_the_second_editor(police_caseworker, police_lead, shooting):
    url = url_for("incident-update", shooting)
    first, second = logged_in(police_caseworker), logged_in(police_lead)
    assert 'name="version" value="1"' in html(first.get(url))
    assert 'name="version" value="1"' in html(second.get(url))
    assert first.post(url, _incident_data(shooting, injured=5, version=1)).status_code == 302
    response = second.post(url, _incident_data(shooting, kind="explosion", injured=4, version=1))
    assert response.status_code == 200
    text = html(response)
    assert "Någon annan har ändrat uppgifterna sedan du öppnade dem" in text
    assert 'name="version" value="2"' in text
    unsaved = dict(response.context["unsaved"])
    assert unsaved["Typ av händelse"] == "Sprängning" and unsaved["Skadade"] == "4"
    assert unsaved["Inträffade"] == "2025-03-02 21:30"
    shooting.refresh_from_db()
    assert (shooting.kind, shooting.injured, shooting.version) == ("shooting", 5, 2)
    assert second.post(url, _incident_data(shooting, kind="explosion", version=2)).status_code == 302
    shooting.refresh_from_db()
    assert (shooting.kind, shooting.version) == ("explosion", 3)


def test_view_share_cannot_edit(client, kommun, police_caseworker, kommun_caseworker, shooting):
    share(shooting, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    url = url_for("incident-update", shooting)
    response = client.get(url)
    assert response.status_code == 403
    assert "får läsa uppgifterna om den här händelsen men inte ändra dem" in html(response)
    assert client.post(url, _incident_data(shooting, injured=9, version=1)).status_code == 403
    shooting.refresh_from_db()
    assert shooting.injured == 2


# --- the list: filters, month counts, pages, htmx ------------------------------------------------------------


def test_list_filters_by_date_kind_district_and_group(client, police, police_caseworker, gang):
    from cases import services

    vivalla = District.objects.get(name="Vivalla")
    a = incident(police_caseworker, occurred_at=at(2024, 1, 10), district=vivalla)
    b = incident(police_caseworker, occurred_at=at(2024, 2, 10), kind="explosion")
    c = incident(police_caseworker, occurred_at=at(2024, 3, 10), district=vivalla, kind="explosion")
    services.incident_add_group(
        incident=b, acting_user=police_caseworker, group=gang, certainty="suspected", side="victim"
    )
    client.force_login(police_caseworker)
    assert set(listed(client.get(LIST))) == {a.pk, b.pk, c.pk}
    assert set(listed(client.get(LIST, {"occurred_from": "2024-02-01"}))) == {b.pk, c.pk}
    assert set(listed(client.get(LIST, {"occurred_to": "2024-02-10"}))) == {a.pk, b.pk}
    assert set(listed(client.get(LIST, {"kind": "explosion"}))) == {b.pk, c.pk}
    assert set(listed(client.get(LIST, {"district": vivalla.pk}))) == {a.pk, c.pk}
    response = client.get(LIST, {"group": gang.pk})
    assert listed(response) == [b.pk]
    assert month_counts(response) == {"2024-02": 1}
    response = client.get(LIST, {"kind": "explosion", "district": vivalla.pk})
    assert listed(response) == [c.pk] and month_counts(response) == {"2024-03": 1}
    assert client.get(LIST, {"occurred_from": "inte ett datum"}).status_code == 200


def test_month_counts_include_only_visible_incidents(
    client, police, kommun, community, police_caseworker, kommun_caseworker, community_user
):
    mine = [incident(police_caseworker, occurred_at=at(2025, 1, d)) for d in (3, 9, 20)]
    incident(police_caseworker, occurred_at=at(2025, 3, 5), dead=1)
    shared_in = incident(kommun_caseworker, occurred_at=at(2025, 3, 6), dead=2)
    incident(kommun_caseworker, occurred_at=at(2025, 3, 7))  # kommun's own, not shared
    share(shared_in, police, kommun_caseworker)
    share(mine[0], community, police_caseworker)

    client.force_login(police_caseworker)
    response = client.get(LIST)
    assert month_counts(response) == {"2025-01": 3, "2025-03": 2}
    chart = response.context["chart"]
    counts = [bar.count for bar in chart.bars]
    assert counts[:3] == [3, 0, 2]  # the empty month is drawn as zero, not skipped
    # The chart runs to this month: the quiet months since the last incident are drawn as zero too.
    assert chart.last_month.strftime("%Y-%m") == timezone.localdate().strftime("%Y-%m") and set(counts[3:]) == {0}
    # …or to the filter's end date, when that is earlier.
    chart = client.get(LIST, {"occurred_to": "2025-05-10"}).context["chart"]
    assert [bar.count for bar in chart.bars] == [3, 0, 2, 0, 0]
    assert (chart.total, chart.dead_total) == (5, 2)
    text = html(response)
    assert "<svg" in text and 'role="img"' in text and "Stapeldiagram: antal händelser per månad" in text
    assert "<caption>Antal händelser per månad</caption>" in text and "Februari 2025" in text

    client.force_login(community_user)
    response = client.get(LIST)
    assert month_counts(response) == {"2025-01": 1}
    assert response.context["chart"].total == 1


def test_list_shows_the_columns_and_links(client, police, police_caseworker, shooting):
    client.force_login(police_caseworker)
    text = html(client.get(LIST))
    assert detail_url(shooting) in text and "Skjutning, Vivalla torg" in text and police.name in text
    assert 'hx-get="/handelser/"' in text and 'hx-target="#incident-results"' in text
    assert 'type="date"' in text and "Alla grupperingar" in text and "Alla typer" in text and "-----" not in text


def test_empty_states(client, police_caseworker):
    client.force_login(police_caseworker)
    text = html(client.get(LIST))
    assert "Inga händelser hittades." in text and "Registrera den första händelsen" in text
    incident(police_caseworker, occurred_at=at(2025, 1, 1))
    text = html(client.get(LIST, {"kind": "threat"}))
    assert "Inga händelser hittades." in text and "Registrera den första händelsen" not in text


def test_pages_keep_the_filters(client, police_caseworker):
    base = timezone.now() - timedelta(days=1)
    made = [incident(police_caseworker, occurred_at=at(2025, 1, 1), kind="threat") for _ in range(51)]
    for i, obj in enumerate(made):
        Incident.objects.filter(pk=obj.pk).update(created_at=base + timedelta(minutes=i))
    incident(police_caseworker, occurred_at=at(2025, 1, 1))
    client.force_login(police_caseworker)
    first = client.get(LIST, {"kind": "threat"})
    assert len(listed(first)) == 50
    page = first.context["page"]
    assert first.context["query"] == "kind=threat"
    assert f"?kind=threat&amp;cursor={page.next_cursor}" in html(first)
    # The month count covers every filtered incident, not only the page.
    assert month_counts(first) == {"2025-01": 51}
    second = client.get(LIST, {"kind": "threat", "cursor": page.next_cursor})
    assert listed(second) == [made[0].pk]


def test_bad_cursor_shows_a_message_and_the_first_page(client, police_caseworker, shooting):
    client.force_login(police_caseworker)
    response = client.get(LIST, {"cursor": "inte-en-markör"})
    assert response.status_code == 200
    assert "Länken till sidan var ogiltig" in html(response) and listed(response) == [shooting.pk]


def test_htmx_request_gets_only_the_results(client, police_caseworker, shooting):
    client.force_login(police_caseworker)
    response = client.get(LIST, {"kind": "shooting"}, headers={"HX-Request": "true"})
    assert [t.name for t in response.templates][0] == "cases/_partials/incident_results.html"
    text = html(response)
    assert "<html" not in text and "<form" not in text and "Vivalla torg" in text and "<svg" in text
    assert 'id="results-status" hx-swap-oob="innerHTML"' in text and "1 händelse visas." in text
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        LIST, {"kind": "shooting"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in html(restore)


def test_nav_marks_the_incident_pages(client, police_caseworker, shooting):
    client.force_login(police_caseworker)
    text = html(client.get(detail_url(shooting)))
    assert f'<a href="{LIST}" aria-current="page">Händelser</a>' in text


# --- the access log --------------------------------------------------------------------------------------


def test_list_logs_the_ids_it_returned(client, police, kommun, police_caseworker, kommun_caseworker, shooting):
    theirs = incident(kommun_caseworker)
    share(theirs, police, kommun_caseworker)
    incident(kommun_caseworker)  # not shared
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    response = client.get(LIST)
    entry = AccessLogEntry.objects.order_by("id")[before:].get()
    assert entry.action == Action.LIST and entry.model == "cases.incident" and entry.via == "ui"
    assert sorted(entry.object_ids) == sorted(listed(response)) == sorted([shooting.pk, theirs.pk])


def test_detail_logs_the_incident_and_the_involvement_shown(
    client, community, police_caseworker, community_user, involved, shooting, gang, suspect
):
    victim_row, suspect_row = involved
    for obj in (shooting, gang, suspect, suspect_row):
        share(obj, community, police_caseworker)
    client.force_login(community_user)
    before = AccessLogEntry.objects.count()
    client.get(detail_url(shooting))
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        (Action.VIEW, "cases.incident", [shooting.pk]),
        (Action.LIST, "cases.criminalgroup", [gang.pk]),
        (Action.LIST, "cases.incidentperson", [suspect_row.pk]),
    ]
    # The involvement rows name the person, so a lead can find every read about them.
    assert list(entries[2].targets.values_list("person_id", flat=True)) == [suspect.pk]


# --- query counts --------------------------------------------------------------------------------------

# Every request: the session and the user with its agency membership (2, agencies.auth_backends), and saving
# the session, which SESSION_SAVE_EVERY_REQUEST does (3 inside the test's transaction).
REQUEST_QUERIES = 5
# An access-log entry and its targets: one statement on PostgreSQL, two on SQLite (agencies.audit.record).
LOG_WRITE = log_write()
# The list: the gate's page (one query: the rows with district and agency, the three index-ordered branches'
# ids as a subquery), the log entry and its targets, the
# month counts (one grouped query), and the filter form's district choices (the group is chosen by search,
# agencies.forms.gated: no query until one is chosen).
LIST_QUERIES = REQUEST_QUERIES + 1 + LOG_WRITE + 1 + 1


@pytest.fixture
def list_queries():
    return LIST_QUERIES


def test_list_query_count_is_the_same_at_1_and_50_rows(
    client, police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, list_queries
):
    client.force_login(police_caseworker)
    incident(police_caseworker, occurred_at=at(2024, 1, 1))
    with django_assert_num_queries(list_queries):
        assert len(listed(client.get(LIST))) == 1
    for i in range(24):
        incident(police_caseworker, occurred_at=at(2024, 1 + i % 12, 1))
    for i in range(25):
        share(incident(kommun_caseworker, occurred_at=at(2025, 1 + i % 12, 1)), police, kommun_caseworker)
    with django_assert_num_queries(list_queries):
        response = client.get(LIST)
    assert len(listed(response)) == 50 and response.context["chart"].total == 50


def test_filtered_list_query_count_is_the_same_at_1_and_50_rows(
    client, police, kommun, police_caseworker, kommun_caseworker, gang, django_assert_num_queries, list_queries
):
    from cases import services

    def involved_incident(user, certainty="suspected"):
        obj = incident(user, occurred_at=at(2024, 6, 1))
        services.incident_add_group(incident=obj, acting_user=user, group=gang, certainty=certainty, side="victim")
        return obj

    # A group filter adds two queries, whatever the rows: the chosen group is looked up (through the gate) to
    # validate the choice, and again to show it as the filter's one option.
    list_queries += 2
    client.force_login(police_caseworker)
    involved_incident(police_caseworker)
    with django_assert_num_queries(list_queries):
        assert len(listed(client.get(LIST, {"group": gang.pk, "kind": "shooting"}))) == 1
    for _ in range(24):
        involved_incident(police_caseworker)
    share(gang, kommun, police_caseworker)
    for _ in range(25):
        share(involved_incident(kommun_caseworker, "confirmed"), police, kommun_caseworker)
    with django_assert_num_queries(list_queries):
        assert len(listed(client.get(LIST, {"group": gang.pk, "kind": "shooting"}))) == 50


# The incident page: the incident in one query and its log entry + target; the visible groups (1) and
# their log entry + targets; the visible involvements with their persons (1) and their log entry +
# targets (LOG_WRITE each). The owner needs no query for the edit check but reads the incident's disclosure register
# (1); a shared user instead adds two EXISTS (group grant, then user grant) when the share is view-only.
DETAIL_QUERIES = REQUEST_QUERIES + 1 + LOG_WRITE + 1 + LOG_WRITE + 1 + LOG_WRITE
DETAIL_QUERIES_OWNER = DETAIL_QUERIES + 1
DETAIL_QUERIES_SHARED = DETAIL_QUERIES + 2 + 1  # + provenance (agencies.selectors.provenance)


def _involve(owner_user, obj, n, *, share_with=None):
    from cases import services

    agency = access.require_actor(owner_user)
    for i in range(n):
        grp = group(None, owner_user, name=f"Gruppering {obj.pk}-{i}")
        services.incident_add_group(
            incident=obj, acting_user=owner_user, group=grp, certainty="suspected", side="victim"
        )
        someone = IndividualFactory(owner_agency_id=agency.agency_id, created_by=owner_user, alias=f"Person {i}")
        row = services.incident_add_person(incident=obj, acting_user=owner_user, individual=someone, role="witness")
        if share_with is not None:
            for shared in (grp, someone, row):
                share(shared, share_with, owner_user)


@pytest.mark.parametrize("rows", [1, 10])
def test_detail_query_count_owner(client, police_caseworker, shooting, django_assert_num_queries, rows):
    _involve(police_caseworker, shooting, rows)
    client.force_login(police_caseworker)
    with django_assert_num_queries(DETAIL_QUERIES_OWNER):
        response = client.get(detail_url(shooting))
    assert len(response.context["groups"]) == rows and len(response.context["persons"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_detail_query_count_shared(
    client, community, police_caseworker, community_user, shooting, django_assert_num_queries, rows
):
    _involve(police_caseworker, shooting, rows, share_with=community)
    share(shooting, community, police_caseworker)
    client.force_login(community_user)
    with django_assert_num_queries(DETAIL_QUERIES_SHARED):
        response = client.get(detail_url(shooting))
    assert len(response.context["groups"]) == rows and len(response.context["persons"]) == rows


# --- the person page: group memberships and incident involvement -------------------------------------------


def person_url(obj) -> str:
    return reverse("individual-detail", kwargs={"pk": obj.pk})


def test_owner_sees_memberships_and_involvement_on_the_person_page(
    client, police_caseworker, involved, shooting, gang, suspect
):
    from datetime import date

    membership(
        police_caseworker,
        suspect,
        gang,
        role=GroupMembership.Role.LEADER,
        confidence=GroupMembership.Confidence.CONFIRMED,
        valid_from=date(2023, 5, 1),
        review_due=timezone.localdate() - timedelta(days=3),
    )
    client.force_login(police_caseworker)
    response = client.get(person_url(suspect))
    text = html(response)
    assert "Grupptillhörighet" in text and "Inblandning i händelser" in text
    for shown in ("Norrnätverket", "Ledare", "Bekräftad", "2023-05-01", "Aktuell", "Försenad"):
        assert shown in text, shown
    assert detail_url(shooting) in text and "Skjutning, Vivalla torg" in text and "Misstänkt" in text


def test_person_page_shows_no_trace_of_hidden_memberships_or_involvement(
    client, community, police_caseworker, community_user, involved, shooting, gang, suspect
):
    membership_row = membership(police_caseworker, suspect, gang)
    victim_row, suspect_row = involved
    share(suspect, community, police_caseworker)
    client.force_login(community_user)

    def text():
        return html(client.get(person_url(suspect)))

    # The person alone: no sections at all, not even empty ones.
    for secret in ("Grupptillhörighet", "Inblandning i händelser", "Norrnätverket", "Skjutning"):
        assert secret not in text(), secret
    # The membership without its group, the involvement without its incident: still nothing.
    share(membership_row, community, police_caseworker)
    share(suspect_row, community, police_caseworker)
    assert "Grupptillhörighet" not in text() and "Inblandning i händelser" not in text()
    # With the other end shared too, each shows.
    share(gang, community, police_caseworker)
    assert "Grupptillhörighet" in text() and "Norrnätverket" in text()
    assert "Inblandning i händelser" not in text()
    share(shooting, community, police_caseworker)
    assert "Inblandning i händelser" in text() and detail_url(shooting) in text()


def test_person_page_logs_the_rows_it_shows(client, police_caseworker, involved, gang, suspect):
    victim_row, suspect_row = involved
    row = membership(police_caseworker, suspect, gang)
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(person_url(suspect))
    entries = [e for e in AccessLogEntry.objects.order_by("id")[before:] if e.action == Action.LIST]
    assert [(e.model, e.object_ids) for e in entries] == [
        ("cases.groupmembership", [row.pk]),
        ("cases.incidentperson", [suspect_row.pk]),
    ]
    for entry in entries:
        assert list(entry.targets.values_list("person_id", flat=True)) == [suspect.pk]


def _registry_rows(owner_user, someone, n, *, share_with=None):
    from cases import services

    for i in range(n):
        grp = group(None, owner_user, name=f"Grupp {someone.pk}-{i}")
        row = membership(owner_user, someone, grp)
        obj = incident(owner_user, occurred_at=at(2024, 1 + i % 12, 1))
        involvement = services.incident_add_person(
            incident=obj, acting_user=owner_user, individual=someone, role="witness"
        )
        if share_with is not None:
            for shared in (grp, row, obj, involvement):
                share(shared, share_with, owner_user)


# The person page (no identity details here): the person and its log entry + target (1 + LOG_WRITE), the
# identity lookup (1), for the owner the share register (1) or for a shared user the two change EXISTS (2);
# then the visible memberships (1) and involvement (1), each with its log entry + targets (LOG_WRITE
# each), and the exit
# cases about the person (1, none here; pinned with rows in test_views_person_paths.py).
# The sections other apps register on the page (cases.extensions.person_page; outreach: 2, with nothing to show).
SECTIONS_QUERIES = 2
PERSON_QUERIES_OWNER = REQUEST_QUERIES + 1 + LOG_WRITE + 1 + 1 + 1 + LOG_WRITE + 1 + LOG_WRITE + 1 + SECTIONS_QUERIES
PERSON_QUERIES_SHARED = (
    REQUEST_QUERIES + 1 + LOG_WRITE + 1 + 2 + 1 + LOG_WRITE + 1 + LOG_WRITE + 1 + SECTIONS_QUERIES + 1
)  # + provenance


@pytest.mark.parametrize("rows", [1, 10])
def test_person_page_query_count_owner(client, police, police_caseworker, django_assert_num_queries, rows):
    someone = person(police, police_caseworker, alias="Räknad")
    _registry_rows(police_caseworker, someone, rows)
    client.force_login(police_caseworker)
    with django_assert_num_queries(PERSON_QUERIES_OWNER):
        response = client.get(person_url(someone))
    assert len(response.context["memberships"]) == rows and len(response.context["involvements"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_person_page_query_count_shared(
    client, police, community, police_caseworker, community_user, django_assert_num_queries, rows
):
    someone = person(police, police_caseworker, alias="Räknad")
    share(someone, community, police_caseworker)
    _registry_rows(police_caseworker, someone, rows, share_with=community)
    client.force_login(community_user)
    with django_assert_num_queries(PERSON_QUERIES_SHARED):
        response = client.get(person_url(someone))
    assert len(response.context["memberships"]) == rows and len(response.context["involvements"]) == rows
