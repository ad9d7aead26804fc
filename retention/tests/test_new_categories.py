"""The categories added after the first rules: register extracts (the files, then the order row), persons with
nothing left about them (with their identity details), and holds on single incident involvements. On a fixed
data set with the clock moved forward: exactly the named records go, a held one stays, the dry run page lists
exactly what the run does, and a second run does nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry, Role
from agencies.tests.factories import UserFactory, with_second_factor
from cases import services as cases
from cases.models import GroupMembership, IdentityDetails, Incident, IncidentPerson, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, group, incident, membership
from extracts.models import RegisterExtract
from extracts.services import extract_download
from retention.models import Hold
from retention.services import apply_rules, plan, summary

from .kinds import share

pytestmark = pytest.mark.django_db

NOTHING = {"anonymise": {}, "delete": {}, "held": {}, "blocked": {}}
NEW_CATEGORIES = {"register-extract-files", "register-extracts", "persons", "incidents"}


def months_later(months: int):
    return time_machine.travel(timezone.now() + timedelta(days=31 * months), tick=False)


def hold(obj, by, *, days=3650) -> Hold:
    return Hold.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        owner_agency_id=obj.owner_agency_id,
        reason="Pågående rättsprocess (fiktiv).",
        ends_on=timezone.localdate() + timedelta(days=days),
        placed_by=by,
    )


@pytest.fixture
def admin_user(police):
    user = UserFactory(username="polis.admin.gallring", agency=police, agency__role=Role.ADMIN)
    with_second_factor(user)
    return user


def dry_run_rows(client, user) -> set[tuple[str, str, int, str]]:
    """(category, kind, id, outcome) of every row the dry run page lists for the new categories. Logged in at the
    moved clock: a session from before would have expired."""
    client.force_login(user)
    response = client.get(reverse("retention-dry-run"))
    assert response.status_code == 200
    return {
        (g.category.code, row.label, row.pk, row.outcome)
        for g in response.context["groups"]
        if g.category.code in NEW_CATEGORIES
        for row in g.rows
    }


def done_rows(done: dict, category_of: dict[str, str]) -> set[tuple[str, str, int, str]]:
    return {
        (category_of[(outcome, label)], label, pk, outcome)
        for outcome, kinds in done.items()
        for label, ids in kinds.items()
        for pk in ids
        if (outcome, label) in category_of
    }


# --- Register extracts -------------------------------------------------------------------------------------


def an_extract(owner, orderer, **kw) -> RegisterExtract:
    person = IndividualFactory(owner_agency=owner, created_by=orderer)
    fields = dict(status=RegisterExtract.Status.DONE, produced_at=timezone.now(), pdf=b"%PDF-fiktiv", json=b"{}")
    return RegisterExtract.objects.create(owner_agency=owner, individual=person, ordered_by=orderer, **{**fields, **kw})


@pytest.fixture
def extracts(police, kommun, police_caseworker, kommun_caseworker, police_lead) -> dict[str, Any]:
    held = an_extract(police, police_caseworker)
    hold(held, police_lead)
    return {
        "police": an_extract(police, police_caseworker),
        "kommun": an_extract(kommun, kommun_caseworker),
        "failed": an_extract(
            police, police_caseworker, status=RegisterExtract.Status.FAILED, produced_at=None, pdf=b"", json=b""
        ),  # fmt: skip
        "held": held,
    }


def test_an_extracts_files_go_a_month_after_it_was_produced_and_the_row_stays(extracts, client, admin_user):
    with time_machine.travel(timezone.now() + timedelta(days=20), tick=False):
        assert summary(plan()) == NOTHING  # not yet a month
    with months_later(2):
        listed = dry_run_rows(client, admin_user)
        done = apply_rules()
        again = apply_rules()
    files = "register-extract-files"
    assert done["anonymise"] == {"extracts.registerextract": sorted([extracts["police"].pk, extracts["kommun"].pk])}
    assert done["held"] == {"extracts.registerextract": [extracts["held"].pk]}
    assert done["delete"] == {}
    assert listed == done_rows(done, {("anonymise", "extracts.registerextract"): files,
                                      ("held", "extracts.registerextract"): files})  # fmt: skip
    assert again["anonymise"] == {} and again["delete"] == {}  # an emptied extract is not due again
    emptied = RegisterExtract.objects.get(pk=extracts["police"].pk)
    assert (bytes(emptied.pdf), bytes(emptied.json), emptied.status) == (b"", b"", "done")
    assert emptied.files_removed_at is not None
    assert bytes(RegisterExtract.objects.get(pk=extracts["held"].pk).pdf) == b"%PDF-fiktiv"
    assert RegisterExtract.objects.filter(pk=extracts["failed"].pk).exists()
    change = AccessLogEntry.objects.get(action="change", model="extracts.registerextract",
                                        object_ids=[extracts["police"].pk])  # fmt: skip
    assert change.detail["files_removed"] is True and change.user is None


def test_an_emptied_extract_cannot_be_downloaded_and_says_why(extracts, client, police_caseworker):
    with months_later(2):
        apply_rules()
    extract = RegisterExtract.objects.get(pk=extracts["police"].pk)
    with pytest.raises(ApplicationError, match="gallrade"):
        extract_download(acting_user=police_caseworker, extract=extract, fmt="pdf")
    client.force_login(police_caseworker)
    assert client.get(reverse("extract-file", kwargs={"pk": extract.pk, "fmt": "pdf"})).status_code == 404
    page = client.get(reverse("extract-detail", kwargs={"pk": extract.pk}))
    assert page.status_code == 200 and "Filerna gallrades" in page.content.decode()
    assert "Hämta utdraget som PDF" not in page.content.decode()


def test_the_order_row_goes_with_the_log_rule_after_five_years(extracts, client, admin_user):
    with months_later(2):
        apply_rules()
    with months_later(61):
        listed = dry_run_rows(client, admin_user)
        done = apply_rules()
    orders = {extracts[k].pk for k in ("police", "kommun", "failed")}
    assert set(done["delete"]["extracts.registerextract"]) == orders
    # Held under both categories: its files and its row stay.
    assert set(done["held"]["extracts.registerextract"]) == {extracts["held"].pk}
    assert bytes(RegisterExtract.objects.get(pk=extracts["held"].pk).pdf) == b"%PDF-fiktiv"
    assert {row for row in listed if row[0] == "register-extracts"} == {
        ("register-extracts", "extracts.registerextract", pk, "delete") for pk in orders
    } | {("register-extracts", "extracts.registerextract", extracts["held"].pk, "held")}
    assert set(RegisterExtract.objects.values_list("pk", flat=True)) == {extracts["held"].pk}


# --- Persons -----------------------------------------------------------------------------------------------


@pytest.fixture
def persons(police, kommun, police_caseworker, police_lead) -> dict[str, Any]:
    """Police: a bare person with identity details, one in an active membership, one disclosed to kommun, a held
    bare person, and one whose only membership ended (the membership rule frees them after a year)."""
    grp = group(police, police_caseworker)
    p: dict[str, Any] = {}
    p["bare"] = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    p["identity"] = IdentityDetailsFactory(individual=p["bare"])
    p["member"] = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    membership(police_caseworker, p["member"], grp)
    p["disclosed"] = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    share(p["disclosed"], kommun, police_caseworker)
    p["held"] = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    hold(p["held"], police_lead)
    p["freed"] = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    ended = membership(police_caseworker, p["freed"], grp)
    GroupMembership.objects.filter(pk=ended.pk).update(status="ended", ended_at=timezone.now())
    # The nightly run notes who has nothing left about them; the person rule's year runs from there.
    assert apply_rules() == NOTHING
    return p


def test_a_person_with_nothing_left_goes_with_their_identity_details_after_a_year(persons, client, admin_user):
    with months_later(13):
        listed = dry_run_rows(client, admin_user)
        done = apply_rules()
        again = apply_rules()
    assert done["delete"]["cases.individual"] == [persons["bare"].pk]
    assert done["held"] == {"cases.individual": [persons["held"].pk]}
    assert {row for row in listed if row[0] == "persons"} == {
        ("persons", "cases.individual", persons["bare"].pk, "delete"),
        ("persons", "cases.individual", persons["held"].pk, "held"),
    }
    assert not Individual.objects.filter(pk=persons["bare"].pk).exists()
    assert not IdentityDetails.objects.filter(pk=persons["identity"].pk).exists()
    for kept in ("member", "disclosed", "held", "freed"):
        assert Individual.objects.filter(pk=persons[kept].pk).exists(), kept
    # The run freed a person (their ended membership went): their year starts now, so the next run keeps them.
    assert done["delete"]["cases.groupmembership"]
    assert again == {**NOTHING, "held": {"cases.individual": [persons["held"].pk]}}
    assert Individual.objects.get(pk=persons["freed"].pk).unreferenced_since is not None
    with months_later(26):
        later = apply_rules()
    assert later["delete"] == {"cases.individual": [persons["freed"].pk]}


def test_a_person_who_gets_a_record_again_is_no_longer_counting_down(persons, police_caseworker, police):
    bare = persons["bare"]
    assert Individual.objects.get(pk=bare.pk).unreferenced_since is not None
    membership(police_caseworker, bare, group(police, police_caseworker))
    apply_rules()
    assert Individual.objects.get(pk=bare.pk).unreferenced_since is None
    with months_later(13):
        assert bare.pk not in apply_rules()["delete"].get("cases.individual", [])
    assert Individual.objects.filter(pk=bare.pk).exists()


def test_a_recently_changed_identity_keeps_the_person(persons):
    with months_later(12):
        identity = IdentityDetails.objects.get(pk=persons["identity"].pk)
        identity.save()  # updated_at now, eleven months after the clock started
    with months_later(13):
        assert "cases.individual" not in apply_rules()["delete"]
    assert Individual.objects.filter(pk=persons["bare"].pk).exists()


# --- A hold on one incident involvement --------------------------------------------------------------------


def test_a_held_involvement_keeps_the_incidents_link_to_that_person(police, police_caseworker, police_lead, client,
                                                                     admin_user):  # fmt: skip
    happened = incident(police_caseworker, summary="Fiktiv sammanfattning", place="Fiktiv gata")
    victim = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    suspect = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    kept = cases.incident_add_person(incident=happened, acting_user=police_caseworker, individual=victim, role="victim")
    gone = cases.incident_add_person(incident=happened, acting_user=police_caseworker, individual=suspect,
                                     role="suspect")  # fmt: skip
    # Placed on the hold page (a few months before the incident is due): an involvement is holdable though no
    # rule removes it by itself.
    with months_later(58):
        client.force_login(police_lead)
        ends = (timezone.localdate() + timedelta(days=365)).isoformat()
        data = {"kind": "cases.incidentperson", "object_id": kept.pk, "reason": "Rättsprocess (fiktiv).",
                "ends_on": ends}  # fmt: skip
        assert client.post(reverse("retention-hold-create"), data).status_code == 302
    assert Hold.objects.get().object_id == kept.pk
    with months_later(61):
        listed = dry_run_rows(client, admin_user)
        done = apply_rules()
        again = apply_rules()
    assert done["anonymise"] == {"cases.incident": [happened.pk]}
    assert ("incidents", "cases.incident", happened.pk, "anonymise") in listed
    assert set(IncidentPerson.objects.filter(incident=happened).values_list("pk", flat=True)) == {kept.pk}
    assert not IncidentPerson.objects.filter(pk=gone.pk).exists()
    anonymised = Incident.objects.get(pk=happened.pk)
    assert (anonymised.summary, anonymised.place) == ("", "")
    # Not due again: what is left is held, and the run does not find the same thing to do every night.
    assert "cases.incident" not in again["anonymise"]


def test_another_agencys_lead_cannot_hold_an_involvement(police, police_caseworker, kommun_lead, client):
    happened = incident(police_caseworker)
    victim = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    involved = cases.incident_add_person(incident=happened, acting_user=police_caseworker, individual=victim,
                                         role="victim")  # fmt: skip
    client.force_login(kommun_lead)
    url = reverse("retention-hold-create")
    assert client.get(url, {"kind": "cases.incidentperson", "id": involved.pk}).status_code == 404
    ends = (timezone.localdate() + timedelta(days=90)).isoformat()
    data = {"kind": "cases.incidentperson", "object_id": involved.pk, "reason": "x", "ends_on": ends}
    assert client.post(url, data).status_code == 404
    assert not Hold.objects.exists()
