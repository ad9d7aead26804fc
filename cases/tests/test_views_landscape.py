"""The landscape page: only visible groups and relations, in the picture and in the table alike."""

from datetime import date

import pytest
from django.urls import reverse

from agencies import access
from agencies.models import AccessLogEntry, Action
from agencies.tests.factories import basis_for
from cases import services
from cases.tests.factories import group
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

URL = "/grupperingar/karta/"


def share(obj, to_agency, user):
    return access.share(
        obj,
        to_agency=to_agency,
        level="view",
        legal_basis=basis_for(to_agency),
        assessment="Behövs för samverkan.",
        acting_user=user,
    )


def relation(user, a, b, kind="conflict", **kw):
    return services.relation_create(acting_user=user, group_a=a, group_b=b, kind=kind, source="Gruppkartläggning", **kw)


def html(response) -> str:
    return response.content.decode()


def svg_of(text: str) -> str:
    return text[text.index("<svg") : text.index("</svg>")]


def table_of(text: str) -> str:
    return text[text.index("<table") : text.index("</table>")]


@pytest.fixture
def three(police, police_caseworker):
    a = group(police, police_caseworker, name="Alfa")
    b = group(police, police_caseworker, name="Beta", status="inactive")
    c = group(police, police_caseworker, name="Gamma")
    ab = relation(police_caseworker, a, b, since=date(2023, 1, 1))
    bc = relation(police_caseworker, b, c, kind="alliance", status="dormant")
    return a, b, c, ab, bc


def test_anonymous_and_no_agency(client, three):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # The map is read-only: POST is refused for everyone before the login check, and says nothing.
    refused = client.post(URL)
    assert refused.status_code == 405 and refused["Allow"] == "GET"


def test_owner_sees_all_in_picture_and_table(client, police_caseworker, three):
    a, b, c, ab, bc = three
    client.force_login(police_caseworker)
    text = html(client.get(URL))
    picture, table = svg_of(text), table_of(text)
    for name in ("Alfa", "Beta", "Gamma"):
        assert name in picture and name in table
    assert f'data-relation="{ab.pk}"' in picture and f'data-relation="{bc.pk}"' in picture
    assert 'role="img"' in picture and "<title" in picture and "<desc" in picture
    assert "Konflikt" in table and "Allians" in table and "vilande" in table and "sedan 2023-01-01" in table
    assert reverse("group-detail", kwargs={"pk": a.pk}) in table


def test_shared_user_sees_only_what_was_shared(client, kommun, police_caseworker, kommun_caseworker, three):
    a, b, c, ab, bc = three
    for obj in (a, b, c, bc):  # every group, but only the alliance
        share(obj, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    response = client.get(URL)
    assert [r.pk for r in response.context["landscape"].relations] == [bc.pk]
    text = html(response)
    picture, table = svg_of(text), table_of(text)
    assert f'data-relation="{ab.pk}"' not in picture and f'data-relation="{bc.pk}"' in picture
    assert "Konflikt" not in table and "Konflikt:" not in picture.split("landscape-legend")[0]
    assert "3 grupperingar och 1 relation " in picture


def test_relation_to_an_invisible_group_is_left_out(client, kommun, police_caseworker, kommun_caseworker, three):
    a, b, c, ab, bc = three
    for obj in (a, b, ab, bc):  # bc is shared but Gamma is not
        share(obj, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    text = html(client.get(URL))
    assert "Gamma" not in text
    assert f'data-relation="{bc.pk}"' not in text and f'data-relation="{ab.pk}"' in text
    assert "Allians" not in table_of(text)


def test_outsider_sees_an_empty_landscape(client, outsider, three):
    client.force_login(outsider)
    text = html(client.get(URL))
    assert "<svg" not in text and "Det finns inga grupperingar att visa." in text
    for name in ("Alfa", "Beta", "Gamma"):
        assert name not in text


def test_landscape_logs_what_it_showed(client, police, kommun, police_caseworker, kommun_caseworker, three):
    a, b, c, ab, bc = three
    share(a, kommun, police_caseworker)
    client.force_login(kommun_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(URL)
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model, e.object_ids) for e in entries] == [(Action.LIST, "cases.criminalgroup", [a.pk])]

    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(URL)
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.model, sorted(e.object_ids)) for e in entries] == [
        ("cases.criminalgroup", sorted([a.pk, b.pk, c.pk])),
        ("cases.grouprelation", sorted([ab.pk, bc.pk])),
    ]


# Every request (5, see test_views_individuals.py); the groups and the relations with both their groups
# (1 each); a log entry and its targets per list (one statement each on PostgreSQL, two on SQLite).
LANDSCAPE_QUERIES = 5 + 2 + 2 * log_write()


def test_query_count_is_the_same_at_2_and_40_groups(
    client, police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries
):
    a = group(police, police_caseworker)
    b = group(kommun, kommun_caseworker)
    share(b, police, kommun_caseworker)
    relation(police_caseworker, a, b)
    client.force_login(police_caseworker)
    with django_assert_num_queries(LANDSCAPE_QUERIES):
        response = client.get(URL)
    assert (len(response.context["landscape"].groups), len(response.context["landscape"].relations)) == (2, 1)
    previous = a
    for i in range(19):
        mine, theirs = group(police, police_caseworker), group(kommun, kommun_caseworker)
        share(theirs, police, kommun_caseworker)
        relation(police_caseworker, previous, mine, kind="alliance" if i % 2 else "conflict")
        relation(police_caseworker, mine, theirs)
        previous = mine
    with django_assert_num_queries(LANDSCAPE_QUERIES):
        response = client.get(URL)
    assert (len(response.context["landscape"].groups), len(response.context["landscape"].relations)) == (40, 39)
