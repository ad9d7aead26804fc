"""Entries, their share dialog, and the plan, through the pages: writing, changing with version conflicts,
sharing only with the case's participants and on consent only where a consent covers it, goals and tasks."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, Share
from agencies.tests.factories import basis_for, legal_basis
from cases import services
from cases.models import CaseEntry, PlanGoal, Task
from cases.tests.factories import IndividualFactory, consent, exit_case, give_task, share_plan

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(police, probation, kommun, kommun_caseworker):
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Lodjuret")
    for agency in (police, probation):
        access.share(
            person,
            to_agency=agency,
            level="view",
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    case = exit_case(kommun_caseworker, person)
    for agency in (police, probation):
        services.case_join(
            case=case,
            to_agency=agency,
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    return case


def create_url(case, kind=None):
    url = reverse("case-entry-create", kwargs={"pk": case.pk})
    return f"{url}?typ={kind}" if kind else url


def update_url(entry):
    return reverse("case-entry-update", kwargs={"pk": entry.pk})


def share_url(entry):
    return reverse("case-entry-share", kwargs={"pk": entry.pk})


# --- writing an entry -------------------------------------------------------------------------------------


def test_kind_choice_offers_threat_assessment_to_police_only(case, kommun_caseworker, police_caseworker):
    kommun_kinds = dict(logged_in(kommun_caseworker).get(create_url(case)).context["kind_form"].fields["typ"].choices)
    police_kinds = dict(logged_in(police_caseworker).get(create_url(case)).context["kind_form"].fields["typ"].choices)
    assert "threat" not in kommun_kinds and "threat" in police_kinds
    assert {"note", "needs", "intervention", "minutes"} <= set(kommun_kinds)
    # Asking for the form anyway gets the choice again, and posting one writes nothing.
    client = logged_in(kommun_caseworker)
    assert client.get(create_url(case, "threat")).templates[0].name == "cases/case_entry_kind.html"
    client.post(create_url(case), {"kind": "threat", "title": "Hot", "occurred_on": "2026-01-01"})
    assert CaseEntry.objects.count() == 0


def test_write_a_needs_assessment(case, kommun, kommun_caseworker):
    client = logged_in(kommun_caseworker)
    form = client.get(create_url(case, "needs")).context["form"]
    assert len(form.need_groups()) == 11 and "intervention_category" not in form.fields
    data = {
        "kind": "needs",
        "title": "Behovsbedömning januari",
        "occurred_on": "2026-01-15",
        "need_housing_level": "high",
        "need_housing_comment": "Måste flytta från området",
        "need_debt_comment": "Kronofogden",  # a comment without a level
    }
    response = client.post(create_url(case), data)
    assert response.status_code == 200 and "Ange en nivå när du skriver en kommentar." in html(response)
    data["need_debt_level"] = "medium"
    response = client.post(create_url(case), data)
    entry = CaseEntry.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    assert entry.owner_agency == kommun and entry.kind == "needs"
    assert entry.needs == {
        "housing": {"level": "high", "comment": "Måste flytta från området"},
        "debt": {"level": "medium", "comment": "Kronofogden"},
    }
    text = html(client.get(reverse("exit-case-detail", kwargs={"pk": case.pk})))
    assert "Stort behov" in text and "Måste flytta från området" in text and "Skulder" in text


def test_write_an_intervention(case, probation_caseworker):
    client = logged_in(probation_caseworker)
    data = {"kind": "intervention", "title": "Arbetsträning", "occurred_on": "2026-02-01", "intervention_category": "work",
            "provider": "Arbetsmarknadsenheten", "starts_on": "2026-02-01", "ends_on": "2026-01-01",
            "intervention_status": "ongoing"}  # fmt: skip
    response = client.post(create_url(case), data)
    assert "Slutdatum kan inte ligga före startdatum." in html(response)
    data["ends_on"] = "2026-06-30"
    assert client.post(create_url(case), data).status_code == 302
    entry = CaseEntry.objects.get()
    assert (entry.intervention_category, entry.provider, entry.intervention_status) == (
        "work", "Arbetsmarknadsenheten", "ongoing"
    )  # fmt: skip


def test_police_write_a_threat_assessment_seen_by_no_one_else(case, police_caseworker, kommun_caseworker):
    client = logged_in(police_caseworker)
    data = {"kind": "threat", "title": "Hotbild mot personen", "occurred_on": "2026-03-01", "body": "Uppgifter"}
    assert client.post(create_url(case), data).status_code == 302
    text = html(logged_in(kommun_caseworker).get(reverse("exit-case-detail", kwargs={"pk": case.pk})))
    assert "Hotbild mot personen" not in text and "Hotbedömning" not in text


def test_title_is_required(case, kommun_caseworker):
    response = logged_in(kommun_caseworker).post(
        create_url(case), {"kind": "note", "title": "  ", "occurred_on": "2026-01-01"}
    )
    assert response.status_code == 200 and "Ange en rubrik." in html(response)
    assert CaseEntry.objects.count() == 0


# --- changing an entry ------------------------------------------------------------------------------------


@pytest.fixture
def police_note(case, police_caseworker):
    return services.entry_add(
        case=case, acting_user=police_caseworker, kind="note", title="Samtal", body="Första versionen"
    )


def test_shared_for_reading_is_403_for_changing(case, kommun, police_note, police_caseworker, kommun_caseworker):
    services.entry_share(
        entry=police_note,
        to_agency=kommun,
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    client = logged_in(kommun_caseworker)
    assert client.get(update_url(police_note)).status_code == 403
    assert (
        client.post(update_url(police_note), {"title": "Kapad", "occurred_on": "2026-01-01", "version": 1}).status_code
        == 403
    )
    police_note.refresh_from_db()
    assert police_note.title == "Samtal"


def test_not_shared_is_404(case, police_note, kommun_caseworker, probation_caseworker):
    for user in (kommun_caseworker, probation_caseworker):
        client = logged_in(user)
        assert client.get(update_url(police_note)).status_code == 404
        assert client.get(share_url(police_note)).status_code == 404


def test_shared_for_changing_may_be_changed(case, kommun, police_note, police_caseworker, kommun_caseworker):
    services.entry_share(
        entry=police_note,
        to_agency=kommun,
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        level="change",
    )
    client = logged_in(kommun_caseworker)
    detail = html(client.get(reverse("exit-case-detail", kwargs={"pk": case.pk})))
    assert update_url(police_note) in detail and share_url(police_note) not in detail
    response = client.post(
        update_url(police_note), {"title": "Samtal", "occurred_on": "2026-01-01", "body": "Kompletterat", "version": 1}
    )
    assert response.status_code == 302
    police_note.refresh_from_db()
    assert (police_note.body, police_note.version) == ("Kompletterat", 2)


def test_concurrent_edit_second_gets_conflict_and_nothing_is_lost(case, police_note, police_caseworker, police_lead):
    first, second = logged_in(police_caseworker), logged_in(police_lead)
    # Both open the form on version 1.
    assert first.get(update_url(police_note)).context["form"].initial["version"] == 1
    assert second.get(update_url(police_note)).context["form"].initial["version"] == 1
    common = {"title": "Samtal", "occurred_on": police_note.occurred_on.isoformat(), "version": 1}
    assert first.post(update_url(police_note), {**common, "body": "Den förstas text"}).status_code == 302

    response = second.post(update_url(police_note), {**common, "body": "Den andras text"})
    assert response.status_code == 200
    text = html(response)
    assert "Ändringarna sparades inte" in text
    assert "Någon annan har ändrat uppgifterna sedan du öppnade dem." in text
    assert "Den andras text" in text  # their own input, shown beside …
    form = response.context["form"]
    assert form.initial["body"] == "Den förstas text" and form.initial["version"] == 2  # … the stored values
    police_note.refresh_from_db()
    assert (police_note.body, police_note.version) == ("Den förstas text", 2)
    # Building on the stored version, the second editor saves.
    assert second.post(update_url(police_note), {**common, "version": 2, "body": "Den andras text"}).status_code == 302
    police_note.refresh_from_db()
    assert (police_note.body, police_note.version) == ("Den andras text", 3)


def test_entry_update_is_logged(case, police_note, police_caseworker):
    client = logged_in(police_caseworker)
    client.get(update_url(police_note))
    assert AccessLogEntry.objects.filter(
        action=Action.VIEW, model="cases.caseentry", object_ids=[police_note.pk]
    ).exists()
    client.post(update_url(police_note), {"title": "Nytt", "occurred_on": "2026-01-01", "version": 1})
    assert AccessLogEntry.objects.filter(
        action=Action.CHANGE, model="cases.caseentry", object_ids=[police_note.pk]
    ).exists()


def test_entry_of_a_case_no_longer_visible_is_404(
    case, kommun, police, police_note, police_caseworker, kommun_caseworker
):
    # Police left the case (the header share was revoked); their own entry is not reachable without it.
    record = access.shares_of(case).get(to_agency=police)
    access.revoke(record, acting_user=kommun_caseworker, reason="Avslutat samarbete")
    client = logged_in(police_caseworker)
    assert client.get(reverse("exit-case-detail", kwargs={"pk": case.pk})).status_code == 404
    assert client.get(update_url(police_note)).status_code == 404


# --- sharing an entry -------------------------------------------------------------------------------------


def test_entry_goes_only_to_the_cases_participants(
    case, kommun, probation, police_note, police_caseworker, other_community
):
    client = logged_in(police_caseworker)
    response = client.get(share_url(police_note))
    assert response.status_code == 200
    assert set(response.context["form"].fields["to_agency"].queryset) == {kommun, probation}
    response = client.post(
        share_url(police_note),
        {
            "to_agency": other_community.pk,
            "level": "view",
            "legal_basis": legal_basis().pk,
            "assessment": "Behövs för samverkan.",
        },
    )
    assert response.status_code == 200 and "Välj en av myndigheterna som deltar i ärendet." in html(response)
    response = client.post(
        share_url(police_note),
        {
            "to_agency": kommun.pk,
            "level": "view",
            "legal_basis": legal_basis("osl-10-27").pk,
            "assessment": "Behövs för samverkan.",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{police_note.pk}")
    record = access.shares_of(police_note).get()
    assert (record.to_agency, record.legal_basis.code, record.decided_by) == (kommun, "osl-10-27", police_caseworker)
    assert AccessLogEntry.objects.filter(
        action=Action.SHARE, model="cases.caseentry", object_ids=[police_note.pk]
    ).exists()


def test_only_the_owner_shares_an_entry(case, kommun, police_note, police_caseworker, kommun_caseworker):
    services.entry_share(
        entry=police_note,
        to_agency=kommun,
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert logged_in(kommun_caseworker).get(share_url(police_note)).status_code == 403


def test_consent_is_offered_only_where_it_covers_entry_and_receiver(
    case, kommun, probation, police, police_caseworker, kommun_caseworker
):
    threat = services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild")
    basis = legal_basis("samtycke")
    client = logged_in(police_caseworker)

    def offered(to_agency):
        form = client.post(share_url(threat), {"to_agency": to_agency.pk, "refresh": "1"}).context["form"]
        return basis in form.fields["legal_basis"].queryset, form

    # No receiver chosen yet, and no consent at all: consent is not a basis on offer.
    form = client.get(share_url(threat)).context["form"]
    assert basis not in form.fields["legal_basis"].queryset and "consent" not in form.fields
    assert offered(kommun)[0] is False
    consent(kommun_caseworker, case.individual, [kommun, police], categories=["note"])  # not threat assessments
    assert offered(kommun)[0] is False
    wide = consent(kommun_caseworker, case.individual, [kommun, police], categories=["threat"])
    is_offered, form = offered(kommun)
    assert is_offered and list(form.fields["consent"].queryset) == [wide] and form["consent"].initial == wide.pk
    assert offered(probation)[0] is False  # the consent does not name Kriminalvården
    assert (
        Share.objects.filter(object_id=threat.pk, content_type__model="caseentry").count() == 0
    )  # refresh saves nothing

    # A consent basis needs the consent chosen too.
    response = client.post(
        share_url(threat),
        {"to_agency": kommun.pk, "level": "view", "legal_basis": basis.pk, "assessment": "Behövs för samverkan."},
    )
    assert response.status_code == 200 and "Välj vilket samtycke utlämnandet vilar på." in html(response)
    # Consent is not a valid choice for a receiver it does not cover.
    response = client.post(
        share_url(threat),
        {"to_agency": probation.pk, "level": "view", "legal_basis": basis.pk, "assessment": "Behövs för samverkan."},
    )
    assert response.status_code == 200 and not access.shares_of(threat).exists()
    response = client.post(
        share_url(threat),
        {
            "to_agency": kommun.pk,
            "level": "view",
            "legal_basis": basis.pk,
            "assessment": "Behövs för samverkan.",
            "consent": wide.pk,
        },
    )
    assert response.status_code == 302
    record = access.shares_of(threat).get()
    assert record.consent == wide and record.to_agency == kommun
    # Withdrawal ends it at once: the kommun no longer sees the entry.
    services.consent_withdraw(consent=wide, acting_user=kommun_caseworker)
    text = html(logged_in(kommun_caseworker).get(reverse("exit-case-detail", kwargs={"pk": case.pk})))
    assert "Hotbild" not in text


def test_receiver_field_refreshes_the_bases_with_htmx(case, police_note, police_caseworker):
    text = html(logged_in(police_caseworker).get(share_url(police_note)))
    assert 'id="share-form"' in text and 'hx-post="' + share_url(police_note) in text
    assert 'hx-select="#share-form"' in text and "<noscript>" in text


# --- the plan ---------------------------------------------------------------------------------------------


def test_add_goal_and_task_and_mark_it_done(case, police, kommun_caseworker, police_caseworker, probation_caseworker):
    detail = reverse("exit-case-detail", kwargs={"pk": case.pk})
    client = logged_in(kommun_caseworker)
    goal_url = reverse("exit-case-goal-add", kwargs={"pk": case.pk})
    assert "Beskriv målet." in html(client.post(goal_url, {"description": ""}))
    assert client.post(goal_url, {"description": "Eget boende", "target_date": "2026-06-30"}).status_code == 302
    goal = PlanGoal.objects.get()

    task_url = reverse("exit-case-task-add", kwargs={"pk": case.pk})
    form = client.get(task_url).context["form"]
    assert {a.name for a in form.fields["assignee_agency"].queryset} == {
        "Örebro kommun", "Polisen Region Bergslagen", "Kriminalvården Frivård Örebro"
    }  # fmt: skip
    due = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = {
        "title": "Ordna boendemöte",
        "assignee_agency": police.pk,
        "assignee_user": probation_caseworker.pk,
        "due_on": due,
        "goal": goal.pk,
        "legal_basis": basis_for(police).pk,
        "assessment": "Polisen ordnar mötet (fiktivt).",
    }
    response = client.post(task_url, data)
    assert "Handläggaren arbetar inte på den valda myndigheten." in html(response)
    data["assignee_user"] = police_caseworker.pk
    assert client.post(task_url, data).status_code == 302
    task = Task.objects.get()
    assert (task.assignee_agency, task.assignee_user, task.goal) == (police, police_caseworker, goal)

    # The plan is kommun's: probation sees none of it until shared; the assignee sees the task, not the goal.
    text = html(logged_in(probation_caseworker).get(detail))
    assert "Ordna boendemöte" not in text and "Eget boende" not in text
    police = logged_in(police_caseworker)
    text = html(police.get(detail))
    assert "Ordna boendemöte" in text and "Eget boende" not in text and "task--overdue" in text
    # The assignee agency (given the task on the change level) marks it done.
    assert reverse("task-status", kwargs={"pk": task.pk}) in text
    response = police.post(
        reverse("task-status", kwargs={"pk": task.pk}), {"status": "done", "next": detail + "#plan-heading"}
    )
    assert response.status_code == 302 and response["Location"] == detail + "#plan-heading"
    task.refresh_from_db()
    assert task.status == Task.Status.DONE

    response = client.post(
        reverse("exit-case-goal-status", kwargs={"pk": case.pk, "goal_pk": goal.pk}), {"status": "met"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == PlanGoal.Status.MET


def test_task_links_its_entry_only_for_those_who_see_it(
    case, kommun, police, kommun_caseworker, police_caseworker, probation_caseworker
):
    note = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Polisens underlag")
    services.entry_share(
        entry=note,
        to_agency=kommun,
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    give_task(case=case, acting_user=kommun_caseworker, title="Följ upp underlaget", assignee_agency=police,
                      due_on=timezone.localdate(), entry=note)  # fmt: skip
    detail = reverse("exit-case-detail", kwargs={"pk": case.pk})
    assert f'href="#entry-{note.pk}"' in html(logged_in(kommun_caseworker).get(detail))
    task = Task.objects.get(title="Följ upp underlaget")
    share_plan(task, probation_caseworker.membership.agency, kommun_caseworker)
    text = html(logged_in(probation_caseworker).get(detail))
    assert "Följ upp underlaget" in text
    assert "Polisens underlag" not in text and f"entry-{note.pk}" not in text


def test_task_entry_choices_are_only_visible_entries(case, police, kommun_caseworker, police_caseworker):
    hidden = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Dold")
    own = services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title="Egen")
    client = logged_in(kommun_caseworker)
    task_url = reverse("exit-case-task-add", kwargs={"pk": case.pk})
    assert list(client.get(task_url).context["form"].fields["entry"].queryset) == [own]
    data = {"title": "X", "assignee_agency": police.pk, "due_on": "2030-01-01", "entry": hidden.pk}
    assert client.post(task_url, data).status_code == 200 and Task.objects.count() == 0
