"""The case pages as a permission matrix: anonymous, outsider, each participant, the lead agency.

The joint case: Örebro kommun leads; Polisen, Kriminalvården and a community partner have joined; each
agency writes entries and shares some of them. Every user sees exactly its own entries plus what was shared
with it — on the case page and in the list search — and nothing at all about the rest.
"""

from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, Share
from agencies.tests.factories import UserFactory, basis_for, legal_basis
from cases import services
from cases.models import CaseEntry, ExitCase, Phase, PhaseChange, PlanGoal, Task
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, consent, exit_case, give_task
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

PNR = "198507099805"
TITLES = {"Behov: boende", "Hotbild", "Insats: arbete", "Mentorsamtal", "Till mentorn", "Kommunens egen"}


def html(response) -> str:
    return response.content.decode()


def listed(response) -> list[int]:
    return [case.pk for case in response.context["page"].items]


def shown_titles(response) -> set[str]:
    return {row["item"].entry.title for row in response.context["timeline"]}


@pytest.fixture
def person(police, probation, community, kommun, kommun_caseworker, kommun_lead):
    individual = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Vargen")
    for agency in (police, probation, community):
        access.share(
            individual,
            to_agency=agency,
            level="view",
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    identity = IdentityDetailsFactory(individual=individual, personnummer=PNR)
    # Only the police see the identity details.
    access.share(
        identity,
        to_agency=police,
        level="view",
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_lead,
    )
    return individual


@pytest.fixture
def joint(
    person,
    police,
    probation,
    kommun,
    community,
    police_caseworker,
    probation_caseworker,
    kommun_caseworker,
    community_user,
):
    case = exit_case(kommun_caseworker, person, summary="Vill lämna nätverket.")
    for agency in (police, probation, community):
        services.case_join(
            case=case,
            to_agency=agency,
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    add = services.entry_add
    entries = {
        "needs": add(case=case, acting_user=kommun_caseworker, kind="needs", title="Behov: boende",
                     needs={"housing": {"level": "high", "comment": "Behöver flytta"}}),
        "own": add(case=case, acting_user=kommun_caseworker, kind="note", title="Kommunens egen"),
        "to_mentor": add(case=case, acting_user=kommun_caseworker, kind="note", title="Till mentorn"),
        "threat": add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild", body="Hemligt innehåll"),
        "intervention": add(case=case, acting_user=probation_caseworker, kind="intervention", title="Insats: arbete",
                            intervention_category="work", intervention_status="ongoing"),
        "mentor": add(case=case, acting_user=community_user, kind="note", title="Mentorsamtal"),
    }  # fmt: skip
    share = services.entry_share
    share(
        entry=entries["needs"],
        to_agency=probation,
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    share(
        entry=entries["to_mentor"],
        to_agency=community,
        legal_basis=basis_for(community),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    share(
        entry=entries["threat"],
        to_agency=kommun,
        legal_basis=legal_basis("osl-10-27"),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    # A community partner is outside OSL: it discloses its own notes on the person's consent only.
    given = consent(kommun_caseworker, person, [kommun, community], categories=["note"])
    share(
        entry=entries["mentor"],
        to_agency=kommun,
        legal_basis=legal_basis("samtycke"),
        consent=given,
        acting_user=community_user,
    )
    return case, entries


EXPECTED = {
    "kommun_caseworker": {"Behov: boende", "Kommunens egen", "Till mentorn", "Hotbild", "Mentorsamtal"},
    "police_caseworker": {"Hotbild"},
    "probation_caseworker": {"Insats: arbete", "Behov: boende"},
    "community_user": {"Mentorsamtal", "Till mentorn"},
}


def detail(case):
    return reverse("exit-case-detail", kwargs={"pk": case.pk})


# --- urls -------------------------------------------------------------------------------------------------


def test_url_paths():
    assert reverse("exit-case-list") == "/arenden/"
    assert reverse("exit-case-create") == "/arenden/nytt/"
    assert reverse("exit-case-detail", kwargs={"pk": 7}) == "/arenden/7/"
    assert reverse("exit-case-invite", kwargs={"pk": 7}) == "/arenden/7/bjud-in/"
    assert reverse("case-entry-create", kwargs={"pk": 7}) == "/arenden/7/poster/ny/"
    assert reverse("case-entry-update", kwargs={"pk": 3}) == "/arenden/poster/3/andra/"
    assert reverse("case-entry-share", kwargs={"pk": 3}) == "/arenden/poster/3/dela/"


def case_urls(case, entry, goal):
    pk = case.pk
    return [
        reverse("exit-case-detail", kwargs={"pk": pk}),
        reverse("exit-case-update", kwargs={"pk": pk}),
        reverse("exit-case-phase", kwargs={"pk": pk}),
        reverse("exit-case-close", kwargs={"pk": pk}),
        reverse("exit-case-invite", kwargs={"pk": pk}),
        reverse("case-entry-create", kwargs={"pk": pk}),
        reverse("case-entry-update", kwargs={"pk": entry.pk}),
        reverse("case-entry-share", kwargs={"pk": entry.pk}),
        reverse("exit-case-goal-add", kwargs={"pk": pk}),
        reverse("exit-case-goal-status", kwargs={"pk": pk, "goal_pk": goal.pk}),
        reverse("exit-case-task-add", kwargs={"pk": pk}),
    ]


@pytest.fixture
def goal(joint, kommun_caseworker):
    case, _ = joint
    return services.goal_add(case=case, acting_user=kommun_caseworker, description="Eget boende")


# --- the matrix -------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, joint, goal):
    case, entries = joint
    for url in [reverse("exit-case-list"), reverse("exit-case-create"), *case_urls(case, entries["needs"], goal)]:
        for response in (client.get(url), client.post(url, {"title": "x"})):
            if response.status_code == 405:
                continue  # read-only pages refuse POST before anything else
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login")) and "next=" in response.url
    assert CaseEntry.objects.count() == len(entries)


def test_anonymous_htmx_search_loads_the_login_page(client, joint):
    response = client.get(reverse("exit-case-list"), {"q": "varg"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")


def test_user_without_agency_gets_403(client, joint):
    client.force_login(UserFactory(username="ingen.myndighet"))
    case, _ = joint
    assert client.get(reverse("exit-case-list")).status_code == 403
    assert client.get(detail(case)).status_code == 403


# The case URLs that answer 405 to a method they do not take, for anyone (before the gate is asked).
METHOD_NOT_ALLOWED = {("exit-case-detail", "POST"), ("exit-case-goal-status", "GET")}


def test_outsider_gets_404_on_every_case_url_and_changes_nothing(client, joint, goal, outsider):
    case, entries = joint
    client.force_login(outsider)
    before = (Share.objects.count(), CaseEntry.objects.count(), Task.objects.count(), PlanGoal.objects.count())
    secrets = [case.summary, case.individual.alias, *(entry.title for entry in entries.values())]
    answers: dict[tuple[str | None, str], int] = {}
    for entry in entries.values():
        for url in case_urls(case, entry, goal):
            name = resolve(url).url_name
            data = {"title": "Kapad", "kind": "note", "version": 1, "to_phase": "active", "reason": "x",
                    "outcome": "other", "to_agency": outsider.membership.agency_id, "level": "view",
                    "legal_basis": legal_basis().pk, "assessment": "Behövs för samverkan.", "description": "x", "status": "met"}  # fmt: skip
            for method, response in (("GET", client.get(url)), ("POST", client.post(url, data))):
                answers[(name, method)] = response.status_code
                text = response.content.decode()
                assert not [secret for secret in secrets if secret in text], (url, method)
    # Exactly 404 — or 405 where the URL does not take the method at all (that answer is the same for every
    # id and reveals nothing) — never a 500, a 403 or a page.
    assert answers == {key: 405 if key in METHOD_NOT_ALLOWED else 404 for key in answers}
    after = (Share.objects.count(), CaseEntry.objects.count(), Task.objects.count(), PlanGoal.objects.count())
    assert before == after
    case.refresh_from_db()
    assert case.version == 1 and goal.status == PlanGoal.Status.OPEN


def test_missing_case_is_the_same_404(client, kommun_caseworker):
    client.force_login(kommun_caseworker)
    assert client.get(reverse("exit-case-detail", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("case-entry-update", kwargs={"pk": 999999})).status_code == 404


def test_outsider_finds_no_case_in_list_or_search(client, joint, outsider):
    client.force_login(outsider)
    assert listed(client.get(reverse("exit-case-list"))) == []
    for term in ("Vargen", "varg", PNR, "850709-9805"):
        response = client.get(reverse("exit-case-list"), {"q": term})
        assert listed(response) == [], term
        assert "/arenden/" + str(joint[0].pk) not in html(response)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_user_sees_exactly_its_own_entries_plus_what_was_shared(client, joint, who, request):
    case, entries = joint
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(detail(case))
    assert response.status_code == 200
    assert shown_titles(response) == EXPECTED[who]
    text = html(response)
    for hidden in TITLES - EXPECTED[who]:
        assert hidden not in text, hidden
    if "Hotbild" not in EXPECTED[who]:
        assert "Hemligt innehåll" not in text
    # The case is in the list and in the search, by alias, for every participant.
    assert listed(client.get(reverse("exit-case-list"))) == [case.pk]
    assert listed(client.get(reverse("exit-case-list"), {"q": "varg"})) == [case.pk]


def test_shared_entries_are_marked_with_owner_and_legal_basis(client, joint, kommun_caseworker):
    case, entries = joint
    client.force_login(kommun_caseworker)
    response = client.get(detail(case))
    rows = {row["item"].entry.title: row for row in response.context["timeline"]}
    assert rows["Hotbild"]["item"].legal_basis == "OSL 10 kap. 27 § (generalklausulen)"
    assert rows["Hotbild"]["item"].own is False
    text = html(response)
    assert (
        "Delad med din myndighet av Polisen Region Bergslagen. Rättslig grund: OSL 10 kap. 27 § (generalklausulen)."
        in text
    )
    # Its own entries say whom they went to; the foreign ones have no edit or share link.
    assert "Delad med:" in text and "Kriminalvården Frivård Örebro" in text
    assert reverse("case-entry-update", kwargs={"pk": entries["threat"].pk}) not in text
    assert reverse("case-entry-share", kwargs={"pk": entries["threat"].pk}) not in text
    assert reverse("case-entry-share", kwargs={"pk": entries["own"].pk}) in text


def test_police_without_any_foreign_entry_see_no_trace_of_the_others(client, joint, police_caseworker):
    case, _ = joint
    client.force_login(police_caseworker)
    # The page's own content (the navigation names other areas, "Insatser" among them).
    text = html(client.get(detail(case))).split('<main id="main"', 1)[1]
    # No count, no gap: nothing says there is more.
    for word in ("dolda", "fler poster", "Behovsbedömning", "Insats"):
        assert word not in text, word


def test_personnummer_search_only_where_identity_is_visible(client, joint, police_caseworker, probation_caseworker):
    case, _ = joint
    client.force_login(police_caseworker)
    assert listed(client.get(reverse("exit-case-list"), {"q": "19850709-9805"})) == [case.pk]
    client.force_login(probation_caseworker)
    assert listed(client.get(reverse("exit-case-list"), {"q": "19850709-9805"})) == []


def test_alias_is_shown_only_where_the_person_is_visible(
    client, joint, kommun, kommun_caseworker, other_community, outsider
):
    case, _ = joint
    services.case_join(
        case=case,
        to_agency=other_community,
        legal_basis=basis_for(other_community),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    client.force_login(outsider)
    response = client.get(reverse("exit-case-list"))
    assert listed(response) == [case.pk]
    assert "Vargen" not in html(response) and "Inte delad med din myndighet" in html(response)
    text = html(client.get(detail(case)))
    assert "Vargen" not in text and "Personen är inte delad med din myndighet." in text
    assert listed(client.get(reverse("exit-case-list"), {"q": "varg"})) == []


# --- the list ---------------------------------------------------------------------------------------------


def test_list_shows_phase_lead_dates_and_overdue_count(client, joint, police, kommun_caseworker, police_caseworker):
    case, _ = joint
    today = timezone.localdate()
    for days in (1, 3):
        give_task(case=case, acting_user=kommun_caseworker, title=f"Sen {days}", assignee_agency=police,
                          due_on=today - timedelta(days=days))  # fmt: skip
    services.case_update(case=case, acting_user=kommun_caseworker, next_meeting=timezone.now() + timedelta(days=2))
    client.force_login(police_caseworker)
    response = client.get(reverse("exit-case-list"))
    item = response.context["page"].items[0]
    assert item.overdue_tasks == 2
    text = html(response)
    assert "2 försenade" in text and "case--overdue" in text
    assert "Förfrågan" in text and "Örebro kommun" in text and "Vargen" in text
    assert today.isoformat() in text


def test_list_filters(client, joint, police, kommun, kommun_caseworker, police_caseworker, person):
    case, _ = joint
    other = exit_case(police_caseworker, person)
    services.case_change_phase(case=other, acting_user=police_caseworker, to_phase="assessment", reason="Samtal")
    give_task(case=case, acting_user=kommun_caseworker, title="Sen", assignee_agency=police,
                      due_on=timezone.localdate() - timedelta(days=1))  # fmt: skip
    client.force_login(police_caseworker)
    url = reverse("exit-case-list")
    assert set(listed(client.get(url))) == {case.pk, other.pk}
    assert listed(client.get(url, {"phase": "assessment"})) == [other.pk]
    assert listed(client.get(url, {"lead_agency": kommun.pk})) == [case.pk]
    assert listed(client.get(url, {"overdue": "true"})) == [case.pk]
    assert listed(client.get(url, {"overdue": "false"})) == [other.pk]


def test_htmx_search_returns_only_the_results(client, joint, kommun_caseworker):
    client.force_login(kommun_caseworker)
    response = client.get(reverse("exit-case-list"), {"q": "varg"}, headers={"HX-Request": "true"})
    assert response.templates[0].name == "cases/_partials/exit_case_results.html"
    assert "<html" not in html(response) and 'hx-swap-oob="innerHTML"' in html(response)


def test_empty_list_and_invalid_cursor(client, kommun_caseworker):
    client.force_login(kommun_caseworker)
    assert "Din myndighet leder inte och deltar inte i något ärende ännu." in html(
        client.get(reverse("exit-case-list"))
    )
    response = client.get(reverse("exit-case-list"), {"cursor": "trams"})
    assert response.status_code == 200 and "Länken till sidan var ogiltig" in html(response)


def test_list_is_logged_with_the_ids_shown(client, joint, probation_caseworker):
    case, _ = joint
    client.force_login(probation_caseworker)
    client.get(reverse("exit-case-list"))
    log = AccessLogEntry.objects.filter(action=Action.LIST, model="cases.exitcase").latest("id")
    assert log.object_ids == [case.pk] and log.user == probation_caseworker


def test_every_case_page_read_is_logged(client, joint, probation_caseworker, probation):
    case, entries = joint
    client.force_login(probation_caseworker)
    client.get(detail(case))
    read = AccessLogEntry.objects.filter(action=Action.VIEW, model="cases.exitcase").latest("id")
    assert read.object_ids == [case.pk] and read.agency == probation
    shown = AccessLogEntry.objects.filter(action=Action.LIST, model="cases.caseentry").latest("id")
    assert sorted(shown.object_ids) == sorted([entries["needs"].pk, entries["intervention"].pk])
    assert set(shown.targets.values_list("person_id", flat=True)) == {case.individual_id}


def test_case_list_query_count_is_constant(
    client, django_assert_num_queries, person, kommun_caseworker, police, police_caseworker
):
    def make(n):
        for _ in range(n):
            case = exit_case(kommun_caseworker, person)
            services.case_join(
                case=case,
                to_agency=police,
                legal_basis=basis_for(police),
                assessment="Behövs för samverkan.",
                acting_user=kommun_caseworker,
            )
            give_task(case=case, acting_user=kommun_caseworker, title="Sen", assignee_agency=police,
                              due_on=timezone.localdate() - timedelta(days=1))  # fmt: skip

    client.force_login(police_caseworker)
    make(1)
    client.get(reverse("exit-case-list"))  # warm the session and content-type caches
    with django_assert_num_queries(list_queries()):
        assert len(listed(client.get(reverse("exit-case-list")))) == 1
    make(49)
    with django_assert_num_queries(list_queries()):
        assert len(listed(client.get(reverse("exit-case-list")))) == 50


# Session, user with its membership; the gate's page (the rows, the branches' ids as a subquery: one query);
# the list's log row and its targets (log_write(): one statement on PostgreSQL, two on SQLite);
# the agency filter's choices; the persons' visibility.
def list_queries() -> int:
    return 8 + log_write()


# --- the case page ----------------------------------------------------------------------------------------


def test_case_page_header_participants_and_phase_history(client, joint, kommun_caseworker, police_caseworker):
    case, _ = joint
    services.case_change_phase(
        case=case, acting_user=kommun_caseworker, to_phase="assessment", reason="Första samtalet bokat"
    )
    client.force_login(police_caseworker)
    response = client.get(detail(case))
    text = html(response)
    names = [agency.name for agency in response.context["participants"]]
    assert names[0] == "Örebro kommun" and set(names) == {
        "Örebro kommun", "Polisen Region Bergslagen", "Kriminalvården Frivård Örebro", "Föreningen Trygga Vägar"
    }  # fmt: skip
    assert "Första samtalet bokat" in text and "Vill lämna nätverket." in text
    assert f'href="/personer/{case.individual_id}/"' in text
    # Not the lead: no header actions.
    for name in ("exit-case-invite", "exit-case-update", "exit-case-phase", "exit-case-close"):
        assert reverse(name, kwargs={"pk": case.pk}) not in text


def test_lead_sees_header_actions_and_the_invite_register(client, joint, kommun_caseworker):
    case, _ = joint
    client.force_login(kommun_caseworker)
    text = html(client.get(detail(case)))
    for name in ("exit-case-invite", "exit-case-update", "exit-case-phase", "exit-case-close"):
        assert reverse(name, kwargs={"pk": case.pk}) in text
    assert "Inbjudna myndigheter" in text and "Ta bort Föreningen Trygga Vägar från ärendet" in text


def _mixed_entries(case, n, kommun_caseworker, police_caseworker, kommun):
    for i in range(n):
        if i % 2:
            services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title=f"Egen {i}")
        else:
            entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title=f"Delad {i}")
            services.entry_share(
                entry=entry,
                to_agency=kommun,
                legal_basis=basis_for(kommun),
                assessment="Behövs för samverkan.",
                acting_user=police_caseworker,
            )


def test_case_page_query_count_is_constant(
    client, django_assert_num_queries, person, police, kommun, kommun_caseworker, police_caseworker
):
    case = exit_case(kommun_caseworker, person)
    services.case_join(
        case=case,
        to_agency=police,
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    give_task(case=case, acting_user=kommun_caseworker, title="Uppgift", assignee_agency=police,
                      due_on=timezone.localdate())  # fmt: skip
    _mixed_entries(case, 1, kommun_caseworker, police_caseworker, kommun)  # one entry, shared by the police
    client.force_login(kommun_caseworker)
    client.get(detail(case))
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(detail(case))
    assert len(response.context["timeline"]) == 1
    _mixed_entries(case, 49, kommun_caseworker, police_caseworker, kommun)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(detail(case))
    assert len(response.context["timeline"]) == 50
    assert {row["item"].own for row in response.context["timeline"]} == {True, False}


# Session, user with its membership; the case (gated) and its log row and target; the timeline's entries and their
# shares; its log row and targets; changeable entries; own entries' shares; tasks (gated) and their log row
# (the goals' only when there are any); goals (gated); participants; the person's visibility; phase history; the
# header's register. Which goals and tasks may be changed and where received ones came from cost nothing here:
# all are the lead's own. The three log writes are one statement each on PostgreSQL, two on SQLite.
DETAIL_QUERIES = 16 + 3 * log_write()


# --- opening a case ---------------------------------------------------------------------------------------


def test_open_a_case_for_a_visible_person(client, person, police, police_caseworker):
    client.force_login(police_caseworker)
    response = client.get(reverse("exit-case-create"), {"q": "varg"})
    assert [p.pk for p in response.context["shown"]] == [person.pk]
    response = client.post(reverse("exit-case-create"), {"individual": person.pk, "summary": "Begärde hjälp"})
    case = ExitCase.objects.get()
    assert response.status_code == 302 and response.url == detail(case)
    assert (case.owner_agency, case.lead_agency, case.coordinator, case.summary) == (
        police, police, police_caseworker, "Begärde hjälp"
    )  # fmt: skip
    assert AccessLogEntry.objects.filter(action=Action.CREATE, model="cases.exitcase", object_ids=[case.pk]).exists()


def test_cannot_open_a_case_for_a_person_not_visible(client, person, outsider):
    client.force_login(outsider)
    response = client.get(reverse("exit-case-create"), {"q": "varg"})
    assert response.context["shown"] == [] and "Vargen" not in html(response)
    response = client.post(reverse("exit-case-create"), {"individual": person.pk})
    assert response.status_code == 200 and ExitCase.objects.count() == 0
    assert "Välj en person i listan." in html(response)
    assert "Vargen" not in html(client.get(reverse("exit-case-create"), {"person": person.pk}))


# --- header, phase, close ---------------------------------------------------------------------------------


def test_only_the_lead_agency_changes_the_header(client, joint, police_caseworker):
    case, _ = joint
    client.force_login(police_caseworker)
    for name in ("exit-case-update", "exit-case-phase", "exit-case-close"):
        url = reverse(name, kwargs={"pk": case.pk})
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"to_phase": "active", "reason": "x", "outcome": "other", "version": 1}).status_code == 403
        )
    case.refresh_from_db()
    assert (case.phase, case.version) == (Phase.REQUEST, 1)


def test_phase_change_with_reason(client, joint, kommun_caseworker):
    case, _ = joint
    client.force_login(kommun_caseworker)
    url = reverse("exit-case-phase", kwargs={"pk": case.pk})
    response = client.post(url, {"to_phase": "active", "reason": " ", "version": case.version})
    assert response.status_code == 200 and "Ange skälet till fasändringen." in html(response)
    response = client.post(url, {"to_phase": "active", "reason": "Planen är klar", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.ACTIVE
    assert PhaseChange.objects.get(case=case).reason == "Planen är klar"


def test_stale_phase_change_is_a_conflict_and_keeps_the_reason(client, joint, kommun_caseworker):
    case, _ = joint
    services.case_update(case=case, acting_user=kommun_caseworker, summary="Ny sammanfattning")
    client.force_login(kommun_caseworker)
    url = reverse("exit-case-phase", kwargs={"pk": case.pk})
    response = client.post(url, {"to_phase": "active", "reason": "Mitt skäl", "version": 1})
    text = html(response)
    assert "Ändringarna sparades inte" in text and "Mitt skäl" in text
    assert response.context["form"].initial["version"] == 2
    case.refresh_from_db()
    assert case.phase == Phase.REQUEST


def test_close_with_outcome(client, joint, kommun_caseworker):
    case, _ = joint
    client.force_login(kommun_caseworker)
    url = reverse("exit-case-close", kwargs={"pk": case.pk})
    assert "Välj ett utfall." in html(client.post(url, {"reason": "Klart", "version": 1}))
    assert client.post(url, {"outcome": "completed", "reason": "Målen nådda", "version": 1}).status_code == 302
    case.refresh_from_db()
    assert (case.phase, case.outcome, case.closed_on) == (Phase.CLOSED, "completed", timezone.localdate())
    text = html(client.get(detail(case)))
    assert "Genomfört" in text and reverse("case-entry-create", kwargs={"pk": case.pk}) not in text
    assert client.get(reverse("case-entry-create", kwargs={"pk": case.pk})).status_code == 403
    assert client.get(url).status_code == 302  # already closed: back to the case


def test_header_edit_conflict_shows_both_and_loses_nothing(client, joint, kommun_caseworker, kommun_lead):
    case, _ = joint
    url = reverse("exit-case-update", kwargs={"pk": case.pk})
    client.force_login(kommun_caseworker)
    form = client.get(url).context["form"]
    assert form.initial["version"] == 1
    services.case_update(case=case, acting_user=kommun_lead, expected_version=1, summary="Chefens text")
    response = client.post(url, {"summary": "Min text", "version": 1, "coordinator": kommun_caseworker.pk})
    text = html(response)
    assert "Ändringarna sparades inte" in text and "Min text" in text and "Chefens text" in text
    case.refresh_from_db()
    assert case.summary == "Chefens text" and case.version == 2
    response = client.post(url, {"summary": "Min text", "version": 2, "next_meeting": "2030-03-14T13:30"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Min text" and timezone.localtime(case.next_meeting).hour == 13


# --- invite (share of the header) -------------------------------------------------------------------------


def test_lead_invites_an_agency_on_a_legal_basis(client, joint, kommun_caseworker, other_community, outsider):
    case, _ = joint
    client.force_login(kommun_caseworker)
    url = reverse("exit-case-invite", kwargs={"pk": case.pk})
    form = client.get(url).context["form"]
    assert "expires_on" not in form.fields
    # No consent covers the header: consent is not offered as a basis.
    assert not form.fields["legal_basis"].queryset.filter(requires_consent=True).exists()
    response = client.post(
        url,
        {
            "to_agency": other_community.pk,
            "level": "view",
            "legal_basis": basis_for(other_community).pk,
            "assessment": "Behövs för samverkan.",
        },
    )
    assert response.status_code == 302 and response.url == detail(case)
    client.force_login(outsider)
    assert client.get(detail(case)).status_code == 200
    assert shown_titles(client.get(detail(case))) == set()


def test_participant_cannot_invite(client, joint, police_caseworker, other_community):
    case, _ = joint
    client.force_login(police_caseworker)
    url = reverse("exit-case-invite", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 403
    client.post(
        url,
        {
            "to_agency": other_community.pk,
            "level": "view",
            "legal_basis": legal_basis().pk,
            "assessment": "Behövs för samverkan.",
        },
    )
    assert not Share.objects.filter(to_agency=other_community).exists()


def test_invite_on_consent_only_where_a_consent_covers_the_header(
    client, person, kommun, other_community, kommun_caseworker
):
    case = exit_case(kommun_caseworker, person)
    given = consent(kommun_caseworker, person, [kommun, other_community], categories=["case"])
    client.force_login(kommun_caseworker)
    url = reverse("exit-case-invite", kwargs={"pk": case.pk})
    basis = legal_basis("samtycke")
    # The receiver is chosen: the dialog (htmx or the no-script button) offers the consent now.
    response = client.post(url, {"to_agency": other_community.pk, "refresh": "1"})
    form = response.context["form"]
    assert basis in form.fields["legal_basis"].queryset and list(form.fields["consent"].queryset) == [given]
    assert not access.shares_of(case).filter(to_agency=other_community).exists()
    response = client.post(
        url,
        {
            "to_agency": other_community.pk,
            "level": "view",
            "legal_basis": basis.pk,
            "assessment": "Behövs för samverkan.",
            "consent": given.pk,
        },
    )
    assert response.status_code == 302
    record = access.shares_of(case).get(to_agency=other_community)
    assert record.consent == given and record.legal_basis == basis


@pytest.mark.parametrize(
    "name", ["exit-case-detail", "exit-case-update", "exit-case-phase", "exit-case-close", "exit-case-invite",
             "case-entry-create", "exit-case-goal-add", "exit-case-task-add"],
)  # fmt: skip
def test_every_page_of_a_case_logs_the_read_of_its_header(client, joint, kommun_caseworker, name):
    case, _ = joint
    client.force_login(kommun_caseworker)
    before = AccessLogEntry.objects.filter(action=Action.VIEW, model="cases.exitcase").count()
    assert client.get(reverse(name, kwargs={"pk": case.pk})).status_code == 200
    read = AccessLogEntry.objects.filter(action=Action.VIEW, model="cases.exitcase").order_by("id")
    assert read.count() == before + 1 and read.latest("id").object_ids == [case.pk]


def test_entry_pages_log_the_read_of_the_entry(client, joint, kommun_caseworker):
    _case, entries = joint
    client.force_login(kommun_caseworker)
    for name in ("case-entry-update", "case-entry-share"):
        assert client.get(reverse(name, kwargs={"pk": entries["own"].pk})).status_code == 200
    reads = AccessLogEntry.objects.filter(action=Action.VIEW, model="cases.caseentry", object_ids=[entries["own"].pk])
    assert reads.count() == 2
