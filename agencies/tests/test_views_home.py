"""The home page per role, and revoking a share from it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access, audit
from agencies.models import AccessLogEntry, Action, Share
from agencies.tests.factories import basis_for, legal_basis
from cases.models import IdentityDetails, Individual, IndividualGroupGrant
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory

pytestmark = pytest.mark.django_db


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def viewed(user, p):
    """What a person's detail page does: read it through the gate, which logs the read."""
    return access.get_or_404(user, Individual, p.pk)


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


# --- Mina senaste personer -----------------------------------------------------------------------------


def test_recent_persons_are_mine_newest_first(client, police, police_caseworker, police_lead):
    first = person(police, police_caseworker, alias="Första")
    second = person(police, police_caseworker, alias="Andra")
    colleagues = person(police, police_lead, alias="Kollegans")
    viewed(police_caseworker, first)
    viewed(police_caseworker, second)
    viewed(police_lead, colleagues)  # the colleague's read is not mine
    viewed(police_caseworker, first)  # read again: first is newest now, and listed once

    response = home(client, police_caseworker)
    assert [p.alias for p in response.context["page"].recent_persons] == ["Första", "Andra"]
    html = response.content.decode()
    assert "Kollegans" not in html
    assert f'href="{reverse("individual-detail", kwargs={"pk": first.pk})}"' in html


def test_a_created_person_counts_as_recent(client, police, police_caseworker):
    from cases import services

    created = services.individual_create(acting_user=police_caseworker, alias="Nyregistrerad")
    assert home(client, police_caseworker).context["page"].recent_persons == [created]


def test_recent_persons_are_at_most_ten(client, police, police_caseworker):
    for i in range(12):
        viewed(police_caseworker, person(police, police_caseworker, alias=f"P{i}"))
    recent = home(client, police_caseworker).context["page"].recent_persons
    assert [p.alias for p in recent] == [f"P{i}" for i in range(11, 1, -1)]


def test_listing_a_person_does_not_make_it_recent(client, police, police_caseworker):
    p = person(police, police_caseworker)
    audit.record_list(user=police_caseworker, agency_id=police.pk, model=Individual, objects=[p])
    assert home(client, police_caseworker).context["page"].recent_persons == []


def test_revoked_share_disappears_from_recent_persons(client, police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker, alias="Delad Person")
    record = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    viewed(kommun_caseworker, p)
    assert home(client, kommun_caseworker).context["page"].recent_persons == [p]

    access.revoke(record, acting_user=police_caseworker, reason="Ändamålet upphört")
    response = home(client, kommun_caseworker)
    assert response.context["page"].recent_persons == []
    assert "Delad Person" not in response.content.decode()


def test_empty_home_says_so(client, police_caseworker):
    html = home(client, police_caseworker).content.decode()
    assert "Du har inte registrerat eller läst några personer ännu." in html
    assert "Inga andra myndigheter har delat uppgifter med er just nu." in html
    assert AccessLogEntry.objects.count() == 0  # nothing shown, nothing to log


def test_persons_shown_are_logged_as_a_list(client, police, kommun, police_caseworker, kommun_caseworker):
    mine = person(kommun, kommun_caseworker)
    viewed(kommun_caseworker, mine)
    theirs = person(police, police_caseworker)
    access.share(
        theirs,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    home(client, kommun_caseworker)
    entry = AccessLogEntry.objects.filter(action=Action.LIST).get()
    assert entry.user == kommun_caseworker
    assert entry.agency == kommun
    assert entry.model == "cases.individual"
    assert sorted(entry.object_ids) == sorted([mine.pk, theirs.pk])
    assert entry.via == "ui"


# --- Delat med oss -----------------------------------------------------------------------------------


def test_shared_with_us_shows_kind_agency_basis_and_link(
    client, police, kommun, police_caseworker, police_lead, kommun_caseworker
):
    p = person(police, police_caseworker, alias="Kalle K")
    access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis("osl-10-2"),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    identity = IdentityDetailsFactory(individual=p)
    access.share(
        identity,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis("osl-10-2"),
        assessment="Behövs för samverkan.",
        acting_user=police_lead,
    )

    response = home(client, kommun_caseworker)
    rows = response.context["page"].received
    assert [row.kind for row in rows] == ["Identitetsuppgifter", "Person"]
    assert [row.title for row in rows] == ["identitetsuppgifterna för Kalle K", "Kalle K"]
    assert [row.record.pk for row in rows] == [p.pk, p.pk]
    html = response.content.decode()
    assert "Polisen Region Bergslagen" in html
    assert legal_basis("osl-10-2").name in html
    for row in rows:  # each linked through the share's "open" address, which marks it read
        assert f'href="{reverse("share-open", kwargs={"pk": row.share.pk})}"' in html
    assert identity.personnummer not in html and identity.full_name not in html  # never the details themselves


def test_shared_with_us_leaves_out_revoked_and_others_shares(
    client, police, kommun, probation, police_caseworker, kommun_caseworker
):
    revoked = person(police, police_caseworker, alias="Återkallad")
    record = access.share(
        revoked,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    access.revoke(record, acting_user=police_caseworker, reason="Klart")
    to_other = person(police, police_caseworker, alias="Till Kriminalvården")
    access.share(
        to_other,
        to_agency=probation,
        level="view",
        legal_basis=basis_for(probation),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )

    response = home(client, kommun_caseworker)
    assert response.context["page"].received == []
    html = response.content.decode()
    assert "Återkallad" not in html and "Till Kriminalvården" not in html


def test_shared_with_us_is_the_newest_ten(client, police, kommun, police_caseworker, kommun_caseworker):
    for i in range(12):
        access.share(
            person(police, police_caseworker, alias=f"D{i}"),
            to_agency=kommun,
            level="view",
            legal_basis=basis_for(kommun),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    rows = home(client, kommun_caseworker).context["page"].received
    assert [row.record.alias for row in rows] == [f"D{i}" for i in range(11, 1, -1)]


# --- per role -------------------------------------------------------------------------------------------


def test_caseworker_sees_no_lead_parts(client, police, kommun, police_caseworker):
    access.share(
        person(police, police_caseworker),
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    response = home(client, police_caseworker)
    assert response.context["page"].made is None
    html = response.content.decode()
    assert "Våra senaste utlämnanden" not in html
    assert reverse("access-log") not in html


def test_lead_sees_access_log_link_and_our_shares_with_status(
    client, police, kommun, probation, police_caseworker, police_lead
):
    active = person(police, police_caseworker, alias="Aktiv")
    access.share(
        active,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    ended = person(police, police_caseworker, alias="Avslutad")
    record = access.share(
        ended,
        to_agency=probation,
        level="view",
        legal_basis=basis_for(probation),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    access.revoke(record, acting_user=police_lead, reason="Klart")

    response = home(client, police_lead)
    made = response.context["page"].made
    assert [(row.title, row.status) for row in made] == [("Avslutad", "revoked"), ("Aktiv", "active")]
    html = response.content.decode()
    assert f'href="{reverse("access-log")}"' in html
    assert "Våra senaste utlämnanden" in html
    assert "Återkallad " in html
    # A revoke form only for the active share, its field labelled with an id unique on the page.
    assert html.count('action="/utlamnanden/') == 1
    assert f'<label for="revoke-{made[1].share.pk}-reason">' in html


def test_lead_with_no_shares_sees_empty_state(client, police_lead):
    assert "Din myndighet har inte lämnat ut några uppgifter ännu." in home(client, police_lead).content.decode()


# The query counts per role are pinned in agencies/tests/test_home_per_role.py.


# --- revoking a share -------------------------------------------------------------------------------------


@pytest.fixture
def shared(police, kommun, police_caseworker):
    p = person(police, police_caseworker, alias="Delad")
    return access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )


def revoke_url(share):
    # A literal path: it is the UI's address that is under test (and url names must not be shadowed).
    return f"/utlamnanden/{share.pk}/aterkalla/"


def post_revoke(client, share, **data):
    """POST the revoke form and follow the redirect: where it went, and the messages shown there."""
    response = client.post(revoke_url(share), data, follow=True)
    ((location, status),) = response.redirect_chain
    assert status == 302
    return location, [str(m) for m in response.context["messages"]]


def test_disclosing_agency_revokes_and_access_ends(client, shared, police_lead, kommun_caseworker):
    client.force_login(police_lead)
    target = reverse("access-log")
    location, messages = post_revoke(client, shared, reason="Ändamålet har upphört", next=target)
    assert location == target
    assert messages == ["Utlämnandet till Örebro kommun har återkallats. Myndigheten har inte längre åtkomst."]
    shared.refresh_from_db()
    assert shared.revoked_at is not None
    assert shared.revoked_by == police_lead
    assert shared.revoke_reason == "Ändamålet har upphört"
    assert not IndividualGroupGrant.objects.exists()
    assert AccessLogEntry.objects.filter(action=Action.REVOKE, user=police_lead).count() == 1


def test_unsafe_next_goes_home(client, shared, police_caseworker):
    client.force_login(police_caseworker)
    location, _messages = post_revoke(client, shared, reason="Klart", next="https://evil.example/")
    assert location == reverse("home")


def test_agency_not_party_to_the_share_gets_404(client, shared, probation_caseworker, outsider):
    for user in (probation_caseworker, outsider):
        client.force_login(user)
        assert client.post(revoke_url(shared), {"reason": "Försök"}).status_code == 404
    shared.refresh_from_db()
    assert shared.revoked_at is None


def test_missing_share_is_the_same_404(client, police_caseworker):
    client.force_login(police_caseworker)
    assert client.post("/utlamnanden/999999/aterkalla/", {"reason": "x"}).status_code == 404


def test_receiving_agency_may_not_revoke(client, shared, kommun_caseworker, kommun_lead):
    for user in (kommun_caseworker, kommun_lead):
        client.force_login(user)
        location, messages = post_revoke(client, shared, reason="Vill inte ha den")
        assert location == reverse("home")
        assert messages == ["Endast myndigheten som delade kan återkalla."]
    shared.refresh_from_db()
    assert shared.revoked_at is None
    assert IndividualGroupGrant.objects.exists()


def test_revoke_needs_a_reason(client, shared, police_caseworker):
    client.force_login(police_caseworker)
    _location, messages = post_revoke(client, shared, reason="   ")
    assert messages == ["Ange ett skäl för återkallelsen."]
    shared.refresh_from_db()
    assert shared.revoked_at is None


def test_revoking_twice_is_an_error_message_not_a_500(client, shared, police_caseworker):
    client.force_login(police_caseworker)
    post_revoke(client, shared, reason="Klart")
    _location, messages = post_revoke(client, shared, reason="Igen")
    assert messages == ["Utlämnandet är redan återkallat."]
    assert Share.objects.get(pk=shared.pk).revoke_reason == "Klart"


def test_revoke_is_post_only(client, shared, police_caseworker):
    client.force_login(police_caseworker)
    assert client.get(revoke_url(shared)).status_code == 405


def test_revoking_identity_details_share(client, police, kommun, police_caseworker, police_lead, kommun_caseworker):
    identity = IdentityDetailsFactory(individual=person(police, police_caseworker))
    record = access.share(
        identity,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_lead,
    )
    client.force_login(police_lead)
    client.post(revoke_url(record), {"reason": "Klart"})
    assert access.find(kommun_caseworker, IdentityDetails, identity.pk) is None


def test_lead_sees_an_expired_share_as_expired(client, police, kommun, police_caseworker, police_lead):
    p = person(police, police_caseworker, alias="Tidsbegränsad")
    record = access.share(
        p,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(days=1),
    )
    Share.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(minutes=1))  # time passes
    assert home(client, police_lead).context["page"].made[0].status == "expired"  # before the task ran
    access.expire_due_shares()  # the task closes the register row, as the discloser
    (row,) = home(client, police_lead).context["page"].made
    assert row.status == "expired"
    assert row.revoke_form is None
