"""Every outreach page as a permission matrix: anonymous → login, another agency → 404 (the same as missing),
a shared agency → the shared part only (403 where it may see but not act), the owner → everything."""

import pytest
from django.urls import reverse

from agencies.models import AccessLogEntry, Action

from . import factories as f
from .conftest import logged_in

pytestmark = pytest.mark.django_db

LISTS = ["call-in-list", "notification-list", "response-list", "review-list"]
CREATES = ["call-in-create", "notification-create", "response-create", "review-create", "calendar-settings"]
# (url name, the World attribute its pk comes from)
OBJECT_PAGES = [
    ("call-in-detail", "call_in"),
    ("call-in-update", "call_in"),
    ("call-in-attendance", "call_in"),
    ("call-in-follow-up", "call_in"),
    ("invitation-create", "call_in"),
    ("call-in-share", "call_in"),
    ("invitation-detail", "invitation"),
    ("invitation-follow-up", "invitation"),
    ("invitation-reason", "invitation"),
    ("invitation-share", "invitation"),
    ("invitation-reason-share", "invitation"),
    ("notification-detail", "notification"),
    ("notification-update", "notification"),
    ("legal-risk", "notification"),
    ("notification-share", "notification"),
    ("legal-risk-share", "notification"),
    ("response-detail", "response"),
    ("response-update", "response"),
    ("lever-create", "response"),
    ("response-share", "response"),
    ("lever-update", "lever"),
    ("lever-share", "lever"),
    ("review-detail", "meeting"),
    ("review-update", "meeting"),
    ("review-minutes", "meeting"),
    ("review-share", "meeting"),
]


def url(name, world=None, attr=None):
    return reverse(name, kwargs={"pk": getattr(world, attr).pk}) if attr else reverse(name)


@pytest.mark.parametrize("name", LISTS + CREATES)
def test_anonymous_is_sent_to_login_from_every_page(client, name):
    response = client.get(url(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name,attr", OBJECT_PAGES)
def test_anonymous_is_sent_to_login_from_every_record(client, world, name, attr):
    response = client.get(url(name, world, attr))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name,attr", OBJECT_PAGES)
def test_other_agency_gets_404_like_a_missing_record(world, outsider, name, attr):
    client = logged_in(outsider)
    assert client.get(url(name, world, attr)).status_code == 404
    assert client.get(reverse(name, kwargs={"pk": 999999})).status_code == 404


@pytest.mark.parametrize("name,attr", OBJECT_PAGES)
def test_other_agency_cannot_post_either(world, outsider, name, attr):
    if name in ("call-in-detail", "invitation-detail", "notification-detail", "response-detail", "review-detail",
                "review-minutes", "call-in-attendance", "call-in-follow-up"):  # fmt: skip
        return  # read-only pages refuse POST (405) before anything else
    before = AccessLogEntry.objects.exclude(action__in=[Action.VIEW, Action.LIST]).count()
    assert logged_in(outsider).post(url(name, world, attr), {"title": "X"}).status_code == 404
    assert AccessLogEntry.objects.exclude(action__in=[Action.VIEW, Action.LIST]).count() == before


@pytest.mark.parametrize("name,attr", OBJECT_PAGES)
def test_owner_opens_every_page(world, police_caseworker, name, attr):
    assert logged_in(police_caseworker).get(url(name, world, attr)).status_code == 200


@pytest.mark.parametrize("name", LISTS + CREATES)
def test_community_partner_sees_empty_lists_and_may_create(world, community_user, name):
    response = logged_in(community_user).get(url(name))
    assert response.status_code == 200
    if name in LISTS:
        assert response.context["page"].items == []
        assert "upcoming" not in response.context or response.context["upcoming"] == []


def test_host_agency_sees_the_call_in_and_nothing_it_was_not_given(world, kommun_caseworker):
    client = logged_in(kommun_caseworker)
    detail = client.get(url("call-in-detail", world, "call_in"))
    assert detail.status_code == 200 and "Call-in Vivalla (fiktiv)" in detail.content.decode()
    # The invitation was not shared with the host: not on the page, and its own page is a 404.
    assert detail.context["invitations"] == [] and "Kalle K" not in detail.content.decode()
    assert client.get(url("invitation-detail", world, "invitation")).status_code == 404
    # A view share: reading yes, changing or sharing no (403 with a reason, never a 404: it is visible).
    assert client.get(url("call-in-update", world, "call_in")).status_code == 403
    assert client.get(url("call-in-share", world, "call_in")).status_code == 403
    assert [c.pk for c in client.get(url("call-in-list")).context["upcoming"]] == [world.call_in.pk]


def test_community_partner_sees_what_is_shared_with_it_only(world, police_caseworker, community, community_user):
    client = logged_in(community_user)
    assert client.get(url("call-in-detail", world, "call_in")).status_code == 404
    f.share(world.call_in, community, police_caseworker)
    assert client.get(url("call-in-detail", world, "call_in")).status_code == 200
    assert [c.pk for c in client.get(url("call-in-list")).context["page"].items] == [world.call_in.pk]
    # The invitation shared, but not the person: a link is shown only where both ends are visible.
    f.share(world.invitation, community, police_caseworker)
    assert client.get(url("invitation-detail", world, "invitation")).status_code == 404
    f.share(world.person, community, police_caseworker)
    page = client.get(url("invitation-detail", world, "invitation"))
    assert page.status_code == 200 and "Kalle K" in page.content.decode()


def test_nav_links_every_outreach_list(world, police_caseworker):
    text = logged_in(police_caseworker).get(reverse("call-in-list")).content.decode()
    for name in LISTS + ["calendar-settings"]:
        assert f'href="{reverse(name)}"' in text
    assert 'aria-current="page">Call-ins<' in text


# The endpoints that only take a POST: anonymous → login, another agency → 404, nothing written.
POST_ONLY = [
    ("call-in-status", "call_in", {"status": "cancelled"}),
    ("invitation-mark", "invitation", {"status": "confirmed"}),
    ("review-action-create", "meeting", {"title": "X", "due_on": "2099-01-01"}),
]


@pytest.mark.parametrize("name,attr,body", POST_ONLY)
def test_post_only_endpoints_matrix(client, world, outsider, police_caseworker, name, attr, body):
    target = url(name, world, attr)
    anonymous = client.post(target, body)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert logged_in(outsider).post(target, body).status_code == 404
    world.call_in.refresh_from_db()
    world.invitation.refresh_from_db()
    assert world.call_in.status == "planned" and world.invitation.status == "invited"
    assert world.meeting.actions.count() == 0
    assert logged_in(police_caseworker).get(target).status_code == 405


def test_host_with_a_view_share_cannot_change_the_status(world, kommun_caseworker):
    response = logged_in(kommun_caseworker).post(url("call-in-status", world, "call_in"), {"status": "cancelled"})
    assert response.status_code == 403
    world.call_in.refresh_from_db()
    assert world.call_in.status == "planned"


def test_owner_shares_a_call_in_through_the_one_dialog(world, police_caseworker, community):
    from agencies.models import LegalBasis, Share

    basis = LegalBasis.objects.get(code="ej-sekretess")
    response = logged_in(police_caseworker).post(
        url("call-in-share", world, "call_in"),
        {"to_agency": community.pk, "level": "view", "legal_basis": basis.pk, "assessment": "Behövs för samverkan."},
    )
    assert response.status_code == 302
    share = Share.objects.get(to_agency=community)
    assert share.content_object == world.call_in and share.legal_basis == basis
