"""The task lists and the "Klar" action as a permission matrix.

A kommun-led case that police and Kriminalvården take part in. Tasks go to police (some to a named police
caseworker, some to the agency) and to the kommun. The outsider takes part in nothing.
"""

from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import UserFactory, basis_for, legal_basis
from cases import selectors, services
from cases.models import Task
from cases.tests.factories import IndividualFactory, exit_case, give_task, share_plan
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def case(kommun, police, probation, kommun_caseworker):
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Räven")
    c = exit_case(kommun_caseworker, person)
    for agency in (police, probation):
        services.case_join(
            case=c,
            to_agency=agency,
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    return c


def task(case, user, title, agency, days=7, assignee=None, **kw):
    return give_task(
        case=case, acting_user=user, title=title, assignee_agency=agency, assignee_user=assignee,
        due_on=TODAY() + timedelta(days=days), **kw,
    )  # fmt: skip


@pytest.fixture
def tasks(case, kommun, police, kommun_caseworker, police_caseworker, police_lead):
    return {
        "agency": task(case, kommun_caseworker, "Kalla till möte", police, days=5),
        "mine": task(case, kommun_caseworker, "Skicka underlag", police, days=3, assignee=police_caseworker),
        "late": task(case, kommun_caseworker, "Ring frivården", police, days=-2, assignee=police_caseworker),
        "lead": task(case, kommun_caseworker, "Godkänn utlämnande", police, days=1, assignee=police_lead),
        "kommun": task(case, kommun_caseworker, "Boka bostadsmöte", kommun, days=4),
    }


def titles(response) -> list[str]:
    return [row.task.title for row in response.context["rows"]]


def status_url(t):
    return reverse("task-status", kwargs={"pk": t.pk})


# --- the matrix ---------------------------------------------------------------------------------------


def test_url_paths():
    assert reverse("my-tasks") == "/uppgifter/"
    assert reverse("agency-tasks") == "/uppgifter/myndigheten/"
    assert reverse("task-status", kwargs={"pk": 4}) == "/uppgifter/4/status/"


def test_anonymous_is_sent_to_login(client, tasks):
    for url in (reverse("my-tasks"), reverse("agency-tasks")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(status_url(tasks["mine"]), {"status": "done"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Task.objects.filter(status="done").count() == 0


def test_user_without_agency_gets_403(client, tasks):
    client.force_login(UserFactory(username="ingen.myndighet"))
    assert client.get(reverse("my-tasks")).status_code == 403
    assert client.get(reverse("agency-tasks")).status_code == 403
    assert client.post(status_url(tasks["mine"])).status_code == 403


def test_outsider_sees_no_task_and_gets_404_on_the_action(client, tasks, outsider):
    client.force_login(outsider)
    response = client.get(reverse("my-tasks"))
    assert response.status_code == 200 and titles(response) == []
    text = html(response)
    assert "Du har inga öppna uppgifter." in text and "Räven" not in text
    for t in tasks.values():
        assert client.post(status_url(t), {"status": "done"}).status_code == 404
    assert Task.objects.filter(status="done").count() == 0


def test_missing_task_is_the_same_404(client, police_caseworker):
    client.force_login(police_caseworker)
    assert client.post(reverse("task-status", kwargs={"pk": 999999})).status_code == 404


def test_the_action_is_post_only(client, tasks, police_caseworker):
    client.force_login(police_caseworker)
    assert client.get(status_url(tasks["mine"])).status_code == 405


# --- Mina uppgifter -----------------------------------------------------------------------------------


def test_my_tasks_are_mine_and_my_agencys_unassigned_overdue_first(client, case, tasks, police_caseworker):
    client.force_login(police_caseworker)
    response = client.get(reverse("my-tasks"))
    assert response.status_code == 200
    # Not the lead's named task, not the kommun's.
    assert titles(response) == ["Ring frivården", "Skicka underlag", "Kalla till möte"]
    text = html(response)
    assert text.count('badge--warn">Försenad<') == 1 and text.count('class="task--overdue"') == 1
    # The person is not shared with the police, only the case: the alias stays the kommun's.
    assert "Räven" not in text and "Inte delad med din myndighet" in text
    assert str(case) in text and "Polisen Region Bergslagen" in text
    assert police_caseworker.get_full_name() in text
    assert (TODAY() - timedelta(days=2)).isoformat() in text
    try:
        assert f'href="{reverse("exit-case-detail", kwargs={"pk": case.pk})}"' in text
    except NoReverseMatch:  # the case page is not mounted in this tree yet
        pass
    assert 'Klar<span class="visually-hidden">: Ring frivården</span>' in text


def test_done_and_cancelled_tasks_are_not_listed(client, tasks, police_caseworker):
    services.task_set_status(task=tasks["agency"], acting_user=police_caseworker, status="cancelled")
    client.force_login(police_caseworker)
    assert titles(client.get(reverse("my-tasks"))) == ["Ring frivården", "Skicka underlag"]


def test_kommun_caseworker_sees_the_kommun_task(client, tasks, kommun_caseworker):
    client.force_login(kommun_caseworker)
    assert titles(client.get(reverse("my-tasks"))) == ["Boka bostadsmöte"]


def test_list_logs_the_tasks_shown_once(client, kommun, case, tasks, police, police_caseworker, kommun_caseworker):
    other_person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    other = exit_case(kommun_caseworker, other_person)
    services.case_join(
        case=other,
        to_agency=police,
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    task(other, kommun_caseworker, "Annat ärende", police)
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(reverse("my-tasks"))
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model) for e in entries] == [(Action.LIST, "cases.task")]
    shown = [t.pk for t in selectors.my_tasks(police_caseworker)]
    assert sorted(entries[0].object_ids) == sorted(shown)
    assert set(entries[0].targets.values_list("person_id", flat=True)) == {case.individual_id, other_person.pk}


def test_a_tasks_entry_is_named_only_to_those_who_see_it(client, case, kommun, police_caseworker, kommun_caseworker):
    entry = services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hot mot familjen")
    task(case, police_caseworker, "Planera skydd", kommun, entry=entry)
    client.force_login(kommun_caseworker)
    response = client.get(reverse("my-tasks"))
    assert titles(response) == ["Planera skydd"]
    text = html(response)
    assert "Hot mot familjen" not in text and "Hör till" not in text

    services.entry_share(
        entry=entry,
        to_agency=kommun,
        legal_basis=legal_basis("osl-10-27"),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    before = AccessLogEntry.objects.count()
    text = html(client.get(reverse("my-tasks")))
    assert "Hör till: Hotbedömning ”Hot mot familjen”" in text
    logged = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model, e.object_ids) for e in logged] == [
        (Action.LIST, "cases.task", [Task.objects.get(title="Planera skydd").pk]),
        (Action.LIST, "cases.caseentry", [entry.pk]),
    ]


def test_empty_state(client, police_caseworker):
    client.force_login(police_caseworker)
    assert "Du har inga öppna uppgifter." in html(client.get(reverse("my-tasks")))


def test_pages_of_25(client, case, police, kommun_caseworker, police_caseworker):
    for i in range(30):
        task(case, kommun_caseworker, f"Uppgift {i:02}", police, days=i + 1)
    client.force_login(police_caseworker)
    first = client.get(reverse("my-tasks"))
    assert len(titles(first)) == 25 and titles(first)[0] == "Uppgift 00"
    assert 'href="?page=2"' in html(first) and "sida 1 av 2" in html(first)
    second = client.get(reverse("my-tasks"), {"page": 2})
    assert titles(second) == [f"Uppgift {i}" for i in range(25, 30)]
    assert len(titles(client.get(reverse("my-tasks"), {"page": "nonsens"}))) == 25


# --- Våra uppgifter -----------------------------------------------------------------------------------


def test_agency_tasks_are_for_leads_only(client, tasks, police_caseworker):
    client.force_login(police_caseworker)
    response = client.get(reverse("agency-tasks"))
    assert response.status_code == 403
    text = html(response)
    assert "bara för chefer och samordnare" in text and f'href="{reverse("my-tasks")}"' in text
    assert "Ring frivården" not in text


def test_lead_sees_every_open_task_of_the_agency(client, tasks, police_lead):
    client.force_login(police_lead)
    response = client.get(reverse("agency-tasks"))
    assert response.status_code == 200
    assert titles(response) == ["Ring frivården", "Godkänn utlämnande", "Skicka underlag", "Kalla till möte"]
    assert "Boka bostadsmöte" not in html(response)
    # The lead's own list holds only the lead's task and the agency's unassigned one.
    assert titles(client.get(reverse("my-tasks"))) == ["Godkänn utlämnande", "Kalla till möte"]


def test_agency_tasks_empty_state(client, kommun_lead):
    client.force_login(kommun_lead)
    assert "Myndigheten har inga öppna uppgifter." in html(client.get(reverse("agency-tasks")))


# --- Klar ---------------------------------------------------------------------------------------------


def test_assignee_marks_the_task_done(client, tasks, police_caseworker):
    client.force_login(police_caseworker)
    response = client.post(status_url(tasks["late"]), {"status": "done", "next": reverse("my-tasks")})
    assert response.status_code == 302 and response.url == reverse("my-tasks")
    t = Task.objects.get(pk=tasks["late"].pk)
    assert t.status == "done" and t.completed_at is not None
    assert AccessLogEntry.objects.filter(action=Action.CHANGE, model="cases.task", object_ids=[t.pk]).exists()
    page = client.get(response.url)
    assert "Uppgiften ”Ring frivården” är klar." in html(page)
    assert "Ring frivården" not in titles(page)


def test_the_agency_that_wrote_the_task_may_mark_it_done(client, tasks, kommun_caseworker):
    client.force_login(kommun_caseworker)
    assert client.post(status_url(tasks["agency"])).status_code == 302
    assert Task.objects.get(pk=tasks["agency"].pk).status == "done"


def test_a_participant_that_is_neither_assignee_nor_writer_gets_404_then_403(
    client, tasks, probation, kommun_caseworker, probation_caseworker
):
    client.force_login(probation_caseworker)
    # Not shared with probation: as missing as a task that does not exist.
    assert client.post(status_url(tasks["agency"]), {"status": "done"}).status_code == 404
    share_plan(tasks["agency"], probation, kommun_caseworker)
    response = client.post(status_url(tasks["agency"]), {"status": "done"})
    assert response.status_code == 403
    assert "Endast ansvarig myndighet kan ändra uppgiften." in html(response)
    assert Task.objects.get(pk=tasks["agency"].pk).status == "open"


def test_a_foreign_next_url_is_ignored_and_a_bad_status_is_refused(client, tasks, police_caseworker):
    client.force_login(police_caseworker)
    response = client.post(status_url(tasks["mine"]), {"status": "klart", "next": "https://example.com/"})
    assert response.status_code == 302 and response.url == reverse("my-tasks")
    assert "Okänd status." in html(client.get(response.url))
    assert Task.objects.get(pk=tasks["mine"].pk).status == "open"


# --- links from the home page and the menu ------------------------------------------------------------


def test_home_and_menu_link_to_the_tasks(client, police_caseworker, police_lead):
    client.force_login(police_caseworker)
    text = html(client.get(reverse("home")))
    assert f'href="{reverse("my-tasks")}"' in text and ">Uppgifter<" in text and "Mina uppgifter" in text
    assert f'href="{reverse("agency-tasks")}"' not in text
    client.force_login(police_lead)
    assert f'href="{reverse("agency-tasks")}"' in html(client.get(reverse("home")))
    assert 'aria-current="page">Uppgifter<' in html(client.get(reverse("my-tasks")))


# --- query counts -------------------------------------------------------------------------------------

# Every request: session and user with its agency membership (2, agencies.auth_backends), saving the session (3 in the test's
# transaction). See cases/tests/test_views_individuals.py.
REQUEST_QUERIES = 5
# An access-log entry and its targets: one statement on PostgreSQL, two on SQLite (agencies.audit.record).
LOG_WRITE = log_write()
# The paginator's count (1), the page of tasks with case, person, assignees and entry (1), which of the
# cases' persons the user may see (1), the log entry of the cases shown and its targets (LOG_WRITE). A page
# whose tasks point at visible entries adds the gated check of those entries (1) and their log entry + targets.
# Then the task sources other apps register (cases.extensions.my_tasks/agency_tasks; outreach reads the
# open actions from the weekly review: 1, with nothing to show here).
SOURCES_QUERIES = 1
LIST_QUERIES = REQUEST_QUERIES + 1 + 1 + 1 + LOG_WRITE + SOURCES_QUERIES
LIST_QUERIES_WITH_ENTRIES = LIST_QUERIES + 1 + LOG_WRITE
# Which of the shown tasks the user may change: one gated query, none when every task is the agency's own.
RECEIVED_TASKS = 1


def test_my_tasks_query_count_is_the_same_at_1_and_30_tasks(
    client, case, police, kommun_caseworker, police_caseworker, django_assert_num_queries
):
    task(case, kommun_caseworker, "Första", police)
    client.force_login(police_caseworker)
    with django_assert_num_queries(LIST_QUERIES + RECEIVED_TASKS):
        assert len(titles(client.get(reverse("my-tasks")))) == 1
    for i in range(29):
        task(case, kommun_caseworker, f"Uppgift {i}", police, assignee=police_caseworker if i % 2 else None)
    with django_assert_num_queries(LIST_QUERIES + RECEIVED_TASKS):
        assert len(titles(client.get(reverse("my-tasks")))) == 25


def test_agency_tasks_query_count_is_the_same_at_1_and_30_tasks(
    client, kommun, case, police, police_caseworker, police_lead, kommun_caseworker, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title=f"Notering {i}")
            task(case, police_caseworker, f"Uppgift {i}", police, entry=entry)

    add(1)
    client.force_login(police_lead)
    # A lead's session also loads its verified second-factor device (django-otp's middleware): one more.
    with django_assert_num_queries(LIST_QUERIES_WITH_ENTRIES + 1):
        assert len(titles(client.get(reverse("agency-tasks")))) == 1
    add(29)
    with django_assert_num_queries(LIST_QUERIES_WITH_ENTRIES + 1):
        assert len(titles(client.get(reverse("agency-tasks")))) == 25


def test_task_list_shows_the_person_only_where_the_person_is_shared(
    client, case, police, kommun_caseworker, police_caseworker
):
    from agencies import access

    task(case, kommun_caseworker, "Ring upp", police)
    client.force_login(police_caseworker)
    listed = client.get(reverse("my-tasks"))
    # The task is listed (so the page is the real one, not an error), and the person's alias is not on it.
    assert listed.status_code == 200 and "Ring upp" in listed.content.decode()
    assert "Räven" not in listed.content.decode()  # the case is shared, the person not
    access.share(
        case.individual,
        to_agency=police,
        level="view",
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    assert "Räven" in client.get(reverse("my-tasks")).content.decode()
