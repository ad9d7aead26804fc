"""The group pages as a permission matrix: anonymous, another agency, shared, owner.

Police owns the records here; kommun receives shares; outsider is an agency nothing is ever shared with.
A group's summary, each relation, each membership and each incident are separate records: a share of one
shows exactly that one, and a link (relation, membership) only where both its ends are visible too.
"""

import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, ProtectedModel, Share
from agencies.tests.factories import UserFactory, basis_for, legal_basis
from cases import services
from cases.models import CriminalGroup, District, GroupMembership, GroupRelation, IncidentGroup
from cases.tests.factories import IndividualFactory, group, incident, membership
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db


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


def relation(user, a, b, kind="conflict", **kw):
    return services.relation_create(acting_user=user, group_a=a, group_b=b, kind=kind, source="Gruppkartläggning", **kw)


def involve(user, inc, grp, side="perpetrator"):
    return services.incident_add_group(incident=inc, acting_user=user, group=grp, certainty="suspected", side=side)


def html(response) -> str:
    return response.content.decode()


def listed(response) -> list[int]:
    return [g.pk for g in response.context["page"].items]


def detail(client, grp):
    return client.get(reverse("group-detail", kwargs={"pk": grp.pk}))


@pytest.fixture
def hawks(police, police_caseworker):
    return group(police, police_caseworker, name="Hökarna", aliases=["H-gänget"], first_seen=date(2021, 3, 1))


@pytest.fixture
def wolves(police, police_caseworker):
    return group(police, police_caseworker, name="Vargarna")


@pytest.fixture
def member(police, police_caseworker, hawks):
    return membership(police_caseworker, person(police, police_caseworker, alias="Ormen"), hawks)


@pytest.fixture
def conflict(police_caseworker, hawks, wolves):
    return relation(police_caseworker, hawks, wolves, since=date(2023, 5, 1))


# --- the matrix: who gets what --------------------------------------------------------------------------

LIST_PAGES = ["group-list", "group-create", "group-landscape", "membership-review-queue"]
GROUP_PAGES = ["group-detail", "group-update", "group-share", "relation-create", "membership-create"]
RELATION_PAGES = ["relation-update", "relation-share"]
MEMBERSHIP_PAGES = ["membership-review", "membership-share"]
READ_ONLY = {"group-list", "group-landscape", "membership-review-queue", "group-detail"}


@pytest.fixture
def objects(hawks, conflict, member):
    return {"group": hawks, "relation": conflict, "membership": member}


def url_for(name, objects):
    if name in GROUP_PAGES:
        return reverse(name, kwargs={"pk": objects["group"].pk})
    if name in RELATION_PAGES:
        return reverse(name, kwargs={"pk": objects["relation"].pk})
    if name in MEMBERSHIP_PAGES:
        return reverse(name, kwargs={"pk": objects["membership"].pk})
    return reverse(name)


ALL_PAGES = LIST_PAGES + GROUP_PAGES + RELATION_PAGES + MEMBERSHIP_PAGES
OBJECT_PAGES = GROUP_PAGES + RELATION_PAGES + MEMBERSHIP_PAGES


def test_url_paths():
    assert reverse("group-list") == "/grupperingar/"
    assert reverse("group-create") == "/grupperingar/ny/"
    assert reverse("group-landscape") == "/grupperingar/karta/"
    assert reverse("membership-review-queue") == "/grupperingar/omprovning/"
    assert reverse("group-detail", kwargs={"pk": 7}) == "/grupperingar/7/"
    assert reverse("group-update", kwargs={"pk": 7}) == "/grupperingar/7/andra/"
    assert reverse("group-share", kwargs={"pk": 7}) == "/grupperingar/7/dela/"
    assert reverse("membership-review", kwargs={"pk": 7}) == "/grupperingar/medlemskap/7/omprova/"
    assert reverse("membership-share", kwargs={"pk": 7}) == "/grupperingar/medlemskap/7/dela/"
    assert reverse("relation-share", kwargs={"pk": 7}) == "/grupperingar/relationer/7/dela/"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_is_sent_to_login(client, objects, name):
    url = url_for(name, objects)
    for response in (client.get(url), client.post(url, {"name": "X"})):
        if name in READ_ONLY and response.status_code == 405:
            continue  # read-only pages refuse POST before anything else
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")) and "next=" in response.url
    assert CriminalGroup.objects.count() == 2 and Share.objects.count() == 0


@pytest.mark.parametrize("name", ALL_PAGES)
def test_user_without_agency_gets_403(client, objects, name):
    client.force_login(UserFactory(username="ingen.myndighet"))
    assert client.get(url_for(name, objects)).status_code == 403


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_other_agency_gets_404(client, objects, outsider, kommun, name):
    client.force_login(outsider)
    url = url_for(name, objects)
    assert client.get(url).status_code == 404
    if name not in READ_ONLY:
        data = {"name": "Kapad", "version": 1, "decision": "end", "end_reason": "x", "source": "x", "kind": "conflict"}
        assert (
            client.post(
                url,
                {
                    **data,
                    "to_agency": kommun.pk,
                    "legal_basis": legal_basis().pk,
                    "assessment": "Behövs för samverkan.",
                },
            ).status_code
            == 404
        )
    hawks = objects["group"]
    hawks.refresh_from_db()
    assert hawks.name == "Hökarna" and hawks.version == 1
    assert GroupMembership.objects.get().status == "active" and GroupRelation.objects.count() == 1
    assert Share.objects.count() == 0


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_missing_object_is_the_same_404(client, police_caseworker, name):
    client.force_login(police_caseworker)
    assert client.get(reverse(name, kwargs={"pk": 999999})).status_code == 404


def test_other_agency_finds_nothing_in_list_search_or_landscape(client, objects, outsider):
    client.force_login(outsider)
    assert listed(client.get(reverse("group-list"))) == []
    for term in ("Hökarna", "hök", "H-gänget"):
        response = client.get(reverse("group-list"), {"q": term})
        assert listed(response) == [] and f"/grupperingar/{objects['group'].pk}/" not in html(response)
    text = html(client.get(reverse("group-landscape")))
    assert "Hökarna" not in text and "Vargarna" not in text and "<svg" not in text
    assert "Ormen" not in html(client.get(reverse("membership-review-queue")))


def test_shared_group_shows_the_summary_only(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks, wolves, conflict, member
):
    inc = incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=3))
    involve(police_caseworker, inc, hawks)
    share(hawks, kommun, police_caseworker)
    client.force_login(kommun_caseworker)

    assert listed(client.get(reverse("group-list"))) == [hawks.pk]
    response = detail(client, hawks)
    assert response.status_code == 200
    text = html(response)
    assert "Hökarna" in text and "H-gänget" in text and police.name in text
    # No member, no relation, no incident: none of them was shared. And nothing hints that they exist.
    assert "Ormen" not in text and "Vargarna" not in text and "Skjutning" not in text
    assert "Inga medlemmar registrerade." in text and "Inga relationer registrerade." in text
    assert response.context["members"] == [] and response.context["relations"] == []
    assert response.context["incidents"] == []
    # Nor what only the owner (or a change share) gets.
    assert "Utlämnanden" not in text
    for name in ("group-update", "group-share"):
        assert reverse(name, kwargs={"pk": hawks.pk}) not in text
    assert reverse("membership-review", kwargs={"pk": member.pk}) not in text
    assert detail(client, wolves).status_code == 404


def test_group_shared_without_members_looks_like_a_group_without_members(
    client, police, kommun, police_caseworker, kommun_caseworker
):
    """The page of a group whose members are hidden and one with no members must not differ at all."""
    with_members = group(police, police_caseworker, name="Alfa")
    for _ in range(3):
        membership(police_caseworker, person(police, police_caseworker), with_members)
    without = group(police, police_caseworker, name="Alfa")
    share(with_members, kommun, police_caseworker)
    share(without, kommun, police_caseworker)
    client.force_login(kommun_caseworker)

    def page(grp):
        text = html(detail(client, grp)).replace(f"/grupperingar/{grp.pk}/", "")
        text = re.sub(r"<time[^>]*>[^<]*</time>", "", text)
        return re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(with_members) == page(without)


def test_member_shown_only_with_membership_and_person_shared(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks, member
):
    share(hawks, kommun, police_caseworker)
    share(member, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    assert "Ormen" not in html(detail(client, hawks))  # the person itself is not shared
    share(member.individual, kommun, police_caseworker)
    response = detail(client, hawks)
    assert response.context["members"] == [member]
    text = html(response)
    assert "Ormen" in text and reverse("individual-detail", kwargs={"pk": member.individual_id}) in text
    assert "Iakttagen tillsammans med gruppens ledare" in text
    # Review and sharing stay the owner's.
    assert reverse("membership-review", kwargs={"pk": member.pk}) not in text
    assert reverse("membership-share", kwargs={"pk": member.pk}) not in text


def test_person_shared_without_membership_shows_no_member(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks, member
):
    share(hawks, kommun, police_caseworker)
    share(member.individual, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    assert "Ormen" not in html(detail(client, hawks))


def test_relation_shown_only_when_it_and_both_groups_are_visible(
    client, kommun, police_caseworker, kommun_caseworker, hawks, wolves, conflict
):
    share(hawks, kommun, police_caseworker)
    share(conflict, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    assert "Vargarna" not in html(detail(client, hawks))  # the other group is not shared
    share(wolves, kommun, police_caseworker)
    response = detail(client, hawks)
    assert [row["relation"] for row in response.context["relations"]] == [conflict]
    text = html(response)
    assert reverse("group-detail", kwargs={"pk": wolves.pk}) in text and "Konflikt" in text
    assert reverse("relation-share", kwargs={"pk": conflict.pk}) not in text
    assert reverse("relation-update", kwargs={"pk": conflict.pk}) not in text
    # The other side's page shows the same relation, pointing back.
    other = detail(client, wolves)
    assert [row["other"] for row in other.context["relations"]] == [hawks]


def test_incidents_shown_only_where_visible(client, kommun, police_caseworker, kommun_caseworker, hawks):
    shown = incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=10), dead=1)
    hidden = incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=5), kind="explosion")
    for inc in (shown, hidden):
        involve(police_caseworker, inc, hawks)
    share(hawks, kommun, police_caseworker)
    share(shown, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    response = detail(client, hawks)
    assert response.context["incidents"] == [shown]
    text = html(response)
    assert "Skjutning" in text and "Sprängning" not in text and "Gärningssida" in text


def test_owner_sees_everything(client, police, kommun, police_caseworker, hawks, wolves, conflict, member):
    inc = incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=2))
    involve(police_caseworker, inc, hawks, side="victim")
    share(hawks, kommun, police_caseworker)
    client.force_login(police_caseworker)
    response = detail(client, hawks)
    text = html(response)
    assert response.context["members"] == [member]
    assert [row["relation"] for row in response.context["relations"]] == [conflict]
    assert response.context["incidents"] == [inc] and "Offersida" in text
    for url in (
        reverse("group-update", kwargs={"pk": hawks.pk}),
        reverse("group-share", kwargs={"pk": hawks.pk}),
        reverse("relation-create", kwargs={"pk": hawks.pk}),
        reverse("membership-create", kwargs={"pk": hawks.pk}),
        reverse("relation-update", kwargs={"pk": conflict.pk}),
        reverse("relation-share", kwargs={"pk": conflict.pk}),
        reverse("membership-review", kwargs={"pk": member.pk}),
        reverse("membership-share", kwargs={"pk": member.pk}),
    ):
        assert url in text, url
    # The disclosure register of the summary, with a revoke form for the active share.
    assert "Utlämnanden" in text and [row["record"].to_agency for row in response.context["shares"]] == [kommun]
    assert reverse("share-revoke", kwargs={"pk": response.context["shares"][0]["record"].pk}) in text


def test_timeline_is_newest_first(client, police, police_caseworker, hawks, wolves):
    relation(police_caseworker, hawks, wolves, kind="alliance", since=date(2022, 6, 1))
    membership(police_caseworker, person(police, police_caseworker, alias="Räven"), hawks, valid_from=date(2024, 1, 15))
    inc = incident(police_caseworker, occurred_at=timezone.make_aware(datetime(2025, 2, 3, 21, 0)))
    involve(police_caseworker, inc, hawks)
    client.force_login(police_caseworker)
    events = detail(client, hawks).context["timeline"]
    assert [e.day for e in events] == [date(2025, 2, 3), date(2024, 1, 15), date(2022, 6, 1), date(2021, 3, 1)]
    assert events[0].incident == inc and "Räven" in events[1].text and "Allians med Vargarna" in events[2].text


def test_change_share_allows_edit_view_share_does_not(
    client, kommun, probation, police_caseworker, kommun_caseworker, probation_caseworker, hawks
):
    share(hawks, kommun, police_caseworker, level="change")
    share(hawks, probation, police_caseworker)
    update = reverse("group-update", kwargs={"pk": hawks.pk})
    client.force_login(probation_caseworker)
    response = client.get(update)
    assert response.status_code == 403 and "får läsa uppgifterna om den här grupperingen" in html(response)
    assert client.post(update, {"name": "Ändrad", "status": "active", "version": 1}).status_code == 403
    client.force_login(kommun_caseworker)
    assert update in html(detail(client, hawks))
    response = client.post(update, {"name": "Hökarna Syd", "status": "active", "version": 1})
    assert response.status_code == 302
    hawks.refresh_from_db()
    assert hawks.name == "Hökarna Syd" and hawks.version == 2
    # Sharing stays the owner's: a change share does not make kommun the data controller.
    assert client.get(reverse("group-share", kwargs={"pk": hawks.pk})).status_code == 403


# --- the list page: filters, pages, htmx ----------------------------------------------------------------


def test_list_filters(client, police, police_caseworker, hawks, wolves, conflict):
    vivalla = District.objects.get(name="Vivalla")
    lone = group(police, police_caseworker, name="Ensamvargarna", status="dissolved", districts=[vivalla])
    client.force_login(police_caseworker)
    assert set(listed(client.get(reverse("group-list")))) == {hawks.pk, wolves.pk, lone.pk}
    assert listed(client.get(reverse("group-list"), {"status": "dissolved"})) == [lone.pk]
    assert listed(client.get(reverse("group-list"), {"district": vivalla.pk})) == [lone.pk]
    assert set(listed(client.get(reverse("group-list"), {"relation": "conflict"}))) == {hawks.pk, wolves.pk}
    assert listed(client.get(reverse("group-list"), {"relation": "alliance"})) == []
    # (An alias with å, ä or ö is not found on SQLite, where JSON text escapes them: reported, filters.py.)
    assert listed(client.get(reverse("group-list"), {"q": "h-g"})) == [hawks.pk]
    assert client.get(reverse("group-list"), {"status": "inte-en-status"}).status_code == 200


def test_relation_filter_counts_only_visible_relations(
    client, kommun, police_caseworker, kommun_caseworker, hawks, wolves, conflict
):
    share(hawks, kommun, police_caseworker)
    share(wolves, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    # The conflict is not shared: as far as kommun knows, neither group is in one.
    assert listed(client.get(reverse("group-list"), {"relation": "conflict"})) == []


def test_list_columns_links_and_empty_states(client, police, police_caseworker, kommun_caseworker, hawks):
    client.force_login(police_caseworker)
    text = html(client.get(reverse("group-list")))
    assert reverse("group-detail", kwargs={"pk": hawks.pk}) in text and "H-gänget" in text and police.name in text
    assert 'hx-get="/grupperingar/"' in text and 'hx-target="#group-results"' in text
    assert reverse("group-create") in text and "Ny gruppering" in text
    client.force_login(kommun_caseworker)
    text = html(client.get(reverse("group-list")))
    assert "Inga grupperingar hittades." in text and "Lägg till den första grupperingen" in text
    text = html(client.get(reverse("group-list"), {"q": "finns inte"}))
    assert "Prova ett annat namn" in text


def test_list_pages_with_cursor_and_bad_cursor(client, police, police_caseworker, monkeypatch):
    groups = [group(police, police_caseworker, name=f"Grupp {i}") for i in range(3)]
    client.force_login(police_caseworker)
    from cases.views import _listing

    monkeypatch.setattr(_listing, "PAGE_SIZE", 2)
    first = client.get(reverse("group-list"))
    assert listed(first) == [groups[2].pk, groups[1].pk]
    cursor = first.context["page"].next_cursor
    assert listed(client.get(reverse("group-list"), {"cursor": cursor})) == [groups[0].pk]
    monkeypatch.undo()
    response = client.get(reverse("group-list"), {"cursor": "trasig"})
    assert "Länken till sidan var ogiltig" in html(response) and len(listed(response)) == 3


def test_htmx_request_gets_only_the_results(client, police_caseworker, hawks):
    client.force_login(police_caseworker)
    response = client.get(reverse("group-list"), {"q": "hök"}, headers={"HX-Request": "true"})
    assert [t.name for t in response.templates][0] == "cases/_partials/group_results.html"
    text = html(response)
    assert "<html" not in text and "Hökarna" in text
    assert 'id="results-status" hx-swap-oob="innerHTML"' in text and "1 gruppering visas." in text
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        reverse("group-list"), {"q": "hök"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in html(restore)


def test_nav_link(client, police_caseworker):
    client.force_login(police_caseworker)
    text = html(client.get(reverse("group-list")))
    assert '<a href="/grupperingar/" aria-current="page">Grupperingar</a>' in text


# --- query counts --------------------------------------------------------------------------------------

# Every request: the session and the user with its agency membership (2, agencies.auth_backends), and saving
# the session (3 inside the test's transaction). See test_views_individuals.py.
REQUEST_QUERIES = 5
# An access-log entry and its targets: one statement on PostgreSQL, two on SQLite (agencies.audit.record).
LOG_WRITE = log_write()
# The list: the gate's page (one query: the rows with their agency, the branches' ids as a subquery), their
# districts (one prefetch), the log entry and its targets, the filter's district choices.
LIST_QUERIES = REQUEST_QUERIES + 1 + 1 + LOG_WRITE + 1


@pytest.fixture
def list_queries(db):
    return LIST_QUERIES


def test_list_query_count_is_the_same_at_1_and_50_rows(
    client, police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries, list_queries
):
    vivalla, centrum = District.objects.filter(name__in=["Vivalla", "Centrum"])
    client.force_login(police_caseworker)
    group(police, police_caseworker, districts=[vivalla])
    with django_assert_num_queries(list_queries):
        assert len(listed(client.get(reverse("group-list")))) == 1
    for _ in range(24):
        group(police, police_caseworker, districts=[vivalla, centrum])
    for _ in range(25):
        share(group(kommun, kommun_caseworker, districts=[centrum]), police, kommun_caseworker)
    with django_assert_num_queries(list_queries):
        assert len(listed(client.get(reverse("group-list")))) == 50


# The group page: the group in one query with its districts (1 prefetch) and its log entry and targets;
# relations, members and incidents (1 each, with the other group, person and agency joined) and each list's
# log entry and targets (LOG_WRITE each); the incidents' part of this group (1 prefetch); the owner's disclosure
# register (1; the owner's change checks need no query). Then the sections other apps register on the page
# (cases.extensions.group_page; outreach reads the group's call-ins, notifications and responses: 3, with
# nothing to show here).
SECTIONS_QUERIES = 3
PAGE_QUERIES = (2 + LOG_WRITE) + (1 + LOG_WRITE) + (1 + LOG_WRITE) + (2 + LOG_WRITE)
DETAIL_QUERIES_OWNER = REQUEST_QUERIES + PAGE_QUERIES + 1 + SECTIONS_QUERIES


def _populate(police, police_caseworker, hawks, count):
    for i in range(count):
        other = group(police, police_caseworker, name=f"Motpart {i}")
        relation(police_caseworker, hawks, other, kind="conflict" if i % 2 else "alliance")
        membership(police_caseworker, person(police, police_caseworker), hawks, valid_from=date(2024, 1, 1))
        inc = incident(police_caseworker, occurred_at=timezone.now() - timedelta(days=i + 1))
        involve(police_caseworker, inc, hawks)


def test_detail_query_count_owner_at_1_and_20(
    client, police, kommun, police_caseworker, hawks, django_assert_num_queries
):
    share(hawks, kommun, police_caseworker)
    client.force_login(police_caseworker)
    _populate(police, police_caseworker, hawks, 1)
    with django_assert_num_queries(DETAIL_QUERIES_OWNER):
        response = detail(client, hawks)
    assert len(response.context["members"]) == 1
    _populate(police, police_caseworker, hawks, 19)
    with django_assert_num_queries(DETAIL_QUERIES_OWNER):
        response = detail(client, hawks)
    assert [len(response.context[k]) for k in ("members", "relations", "incidents")] == [20, 20, 20]


# A shared user has no register (-1) but asks which relations it may change (1) and whether it may change
# the group: two EXISTS (group grant, then user grant) for a view share (2).
DETAIL_QUERIES_SHARED = (
    REQUEST_QUERIES + PAGE_QUERIES + 1 + 2 + SECTIONS_QUERIES + 1
)  # + provenance (agencies.selectors.provenance)


def test_detail_query_count_shared_at_1_and_20(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks, django_assert_num_queries
):
    share(hawks, kommun, police_caseworker)
    client.force_login(kommun_caseworker)

    def share_all():
        # Everything the page could show: the relations and the other groups, the memberships and their
        # persons, the incidents.
        records: list[ProtectedModel] = [
            *GroupRelation.objects.all(),
            *CriminalGroup.objects.all(),
            *GroupMembership.objects.all(),
            *(m.individual for m in GroupMembership.objects.select_related("individual")),
            *(row.incident for row in IncidentGroup.objects.select_related("incident")),
        ]
        for obj in records:
            if not access.can(kommun_caseworker, obj):
                share(obj, kommun, police_caseworker)

    _populate(police, police_caseworker, hawks, 1)
    share_all()
    with django_assert_num_queries(DETAIL_QUERIES_SHARED):
        response = detail(client, hawks)
    assert len(response.context["members"]) == 1
    _populate(police, police_caseworker, hawks, 19)
    share_all()
    with django_assert_num_queries(DETAIL_QUERIES_SHARED):
        response = detail(client, hawks)
    assert [len(response.context[k]) for k in ("members", "relations", "incidents")] == [20, 20, 20]


# --- the access log ------------------------------------------------------------------------------------


def test_list_logs_the_ids_it_returned(client, police, kommun, police_caseworker, kommun_caseworker, hawks):
    theirs = group(kommun, kommun_caseworker, name="Delad")
    share(theirs, police, kommun_caseworker)
    group(kommun, kommun_caseworker, name="Inte delad")
    client.force_login(police_caseworker)
    response = client.get(reverse("group-list"))
    entry = AccessLogEntry.objects.latest("id")
    assert entry.action == Action.LIST and entry.model == "cases.criminalgroup" and entry.via == "ui"
    assert sorted(entry.object_ids) == sorted(listed(response)) == sorted([hawks.pk, theirs.pk])


def test_detail_logs_the_group_and_every_list_shown(
    client, police, kommun, police_caseworker, kommun_caseworker, hawks, wolves, conflict, member
):
    inc = incident(police_caseworker)
    involve(police_caseworker, inc, hawks)
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    detail(client, hawks)
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model, e.object_ids) for e in entries] == [
        (Action.VIEW, "cases.criminalgroup", [hawks.pk]),
        (Action.LIST, "cases.grouprelation", [conflict.pk]),
        (Action.LIST, "cases.groupmembership", [member.pk]),
        (Action.LIST, "cases.incident", [inc.pk]),
    ]
    # The membership row names its person, so a lead can find every read about that person.
    assert list(entries[2].targets.values_list("person_id", flat=True)) == [member.individual_id]
    assert len({e.request_id for e in entries}) == 1

    # A shared user who sees only the summary: one read, of the summary.
    share(hawks, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    before = AccessLogEntry.objects.count()
    detail(client, hawks)
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model, e.object_ids) for e in entries] == [(Action.VIEW, "cases.criminalgroup", [hawks.pk])]


def test_refused_reads_are_not_logged(client, outsider, hawks):
    client.force_login(outsider)
    before = AccessLogEntry.objects.count()
    detail(client, hawks)
    assert AccessLogEntry.objects.count() == before
