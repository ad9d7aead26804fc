"""The consent pages as a permission matrix, and withdrawal through the page.

The person is the kommun's, shared with police, Kriminalvården and a community partner, who all take part
in the kommun's case. The consent names kommun, police and Kriminalvården — not the community partner, who
sees the person but not the consent. The outsider sees nothing.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Action, Share
from agencies.services import agency_create
from agencies.tests.factories import UserFactory, basis_for, legal_basis
from cases import selectors, services
from cases.models import CaseEntryGroupGrant, Consent
from cases.tests.factories import IndividualFactory, consent, exit_case
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

ALIAS = "Falken"


def html(response) -> str:
    return response.content.decode()


def share(obj, to_agency, user, code="osl-10-2", **kw):
    return access.share(
        obj,
        to_agency=to_agency,
        level="view",
        legal_basis=basis_for(to_agency, code),
        assessment="Behövs för samverkan.",
        acting_user=user,
        **kw,
    )


@pytest.fixture
def person(kommun, police, probation, community, kommun_caseworker):
    p = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias=ALIAS)
    for agency in (police, probation, community):
        share(p, agency, kommun_caseworker)
    return p


@pytest.fixture
def case(person, police, probation, community, kommun_caseworker):
    c = exit_case(kommun_caseworker, person)
    for agency in (police, probation, community):
        services.case_join(
            case=c,
            to_agency=agency,
            legal_basis=basis_for(agency),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    return c


@pytest.fixture
def given(person, kommun, police, probation, kommun_caseworker):
    return consent(
        kommun_caseworker,
        person,
        [kommun, police, probation],
        purpose="Stöd att lämna gänget",
        document_reference="Pärm 7, flik 3",
    )


def consents_url(p):
    return reverse("person-consents", kwargs={"individual_pk": p.pk})


def create_url(p):
    return reverse("consent-create", kwargs={"individual_pk": p.pk})


def withdraw_url(c):
    return reverse("consent-withdraw", kwargs={"pk": c.pk})


def listed(response) -> list[int]:
    return [row.consent.pk for row in response.context["rows"]]


# --- the matrix ---------------------------------------------------------------------------------------


def test_url_paths():
    assert reverse("person-consents", kwargs={"individual_pk": 7}) == "/samtycken/person/7/"
    assert reverse("consent-create", kwargs={"individual_pk": 7}) == "/samtycken/person/7/ny/"
    assert reverse("consent-withdraw", kwargs={"pk": 9}) == "/samtycken/9/aterkalla/"


def _urls(person, given):
    return [consents_url(person), create_url(person), withdraw_url(given)]


def test_anonymous_is_sent_to_login(client, person, given):
    for url in _urls(person, given):
        for response in (client.get(url), client.post(url, {"note": "x"})):
            if response.status_code == 405:
                continue  # the list is read-only and refuses POST first
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login")) and "next=" in response.url
    assert Consent.objects.get().withdrawn_at is None


def test_user_without_agency_gets_403(client, person, given):
    client.force_login(UserFactory(username="ingen.myndighet"))
    for url in _urls(person, given):
        assert client.get(url).status_code == 403


def test_outsider_gets_404_everywhere_and_changes_nothing(client, person, given, kommun, outsider):
    client.force_login(outsider)
    before = AccessLogEntry.objects.count()
    for url in _urls(person, given):
        assert client.get(url).status_code == 404, url
    assert client.post(create_url(person), {"agencies": [kommun.pk], "categories": ["note"]}).status_code == 404
    assert client.post(withdraw_url(given), {"note": "Kapat"}).status_code == 404
    assert Consent.objects.count() == 1 and Consent.objects.get().withdrawn_at is None
    assert AccessLogEntry.objects.count() == before  # refused reads are not logged as reads


def test_missing_is_the_same_404(client, kommun_caseworker, person):
    client.force_login(kommun_caseworker)
    assert client.get(reverse("person-consents", kwargs={"individual_pk": 999999})).status_code == 404
    assert client.get(reverse("consent-create", kwargs={"individual_pk": 999999})).status_code == 404
    assert client.get(reverse("consent-withdraw", kwargs={"pk": 999999})).status_code == 404


def test_the_named_agencies_see_the_consent_others_do_not(
    client, person, given, kommun_caseworker, police_caseworker, probation_caseworker, community_user
):
    for user in (kommun_caseworker, police_caseworker, probation_caseworker):
        client.force_login(user)
        response = client.get(consents_url(person))
        assert response.status_code == 200
        assert listed(response) == [given.pk], user
        assert "Pärm 7, flik 3" in html(response)
        assert client.get(withdraw_url(given)).status_code == 200

    # The community partner sees the person, but the consent does not name it: not listed, and a 404.
    client.force_login(community_user)
    response = client.get(consents_url(person))
    assert response.status_code == 200 and listed(response) == []
    text = html(response)
    assert "Pärm 7, flik 3" not in text and "Det finns inga samtycken" in text
    assert client.get(withdraw_url(given)).status_code == 404
    assert client.post(withdraw_url(given)).status_code == 404
    assert Consent.objects.get().withdrawn_at is None


def test_a_named_agency_that_cannot_see_the_person_gets_404(
    client, kommun, other_community, kommun_caseworker, outsider
):
    # The consent names the outsider's agency, but the person was never shared with it.
    p = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    c = consent(kommun_caseworker, p, [kommun, other_community])
    assert access.can(outsider, c)
    client.force_login(outsider)
    assert client.get(consents_url(p)).status_code == 404
    assert client.get(withdraw_url(c)).status_code == 404


def test_person_page_links_to_the_consents(client, person, community_user):
    client.force_login(community_user)
    text = html(client.get(reverse("individual-detail", kwargs={"pk": person.pk})))
    assert f'href="{consents_url(person)}"' in text and ">Samtycken<" in text


# --- the list -----------------------------------------------------------------------------------------


def test_list_shows_every_fact_and_status(client, person, kommun, police, kommun_caseworker, police_caseworker, given):
    today = timezone.localdate()
    expired = consent(
        kommun_caseworker, person, [kommun], categories=["note"], given_on=today - timedelta(days=400),
        valid_until=today - timedelta(days=35),
    )  # fmt: skip
    withdrawn = consent(police_caseworker, person, [police, kommun], categories=["threat"])
    services.consent_withdraw(consent=withdrawn, acting_user=police_caseworker, note="Sade det vid hembesök")

    client.force_login(kommun_caseworker)
    response = client.get(consents_url(person))
    # The heading names the person (the alias was once lost inside blocktranslate).
    assert f"<h1>Samtycken för {person.alias}</h1>" in response.content.decode()
    rows = {row.consent.pk: row for row in response.context["rows"]}
    # The police's consent named kommun: withdrawn, it stays in view so the kommun knows not to rely on it.
    assert set(rows) == {given.pk, expired.pk, withdrawn.pk}
    assert rows[given.pk].status == "valid" and rows[expired.pk].status == "expired"
    assert rows[withdrawn.pk].status == "withdrawn"
    text = html(response)
    for fact in (
        "Kriminalvården Frivård Örebro", "Polisen Region Bergslagen", "Örebro kommun",  # agencies covered
        "Hotbedömningar", "Anteckningar", "Stöd att lämna gänget", "Pärm 7, flik 3",
        given.valid_until.isoformat(), today.isoformat(), kommun_caseworker.get_full_name(), "Gäller", "Har upphört",
    ):  # fmt: skip
        assert fact in text, fact
    assert f'href="{withdraw_url(given)}"' in text
    assert f'href="{withdraw_url(expired)}"' not in text  # nothing to withdraw on a lapsed consent

    client.force_login(police_caseworker)
    response = client.get(consents_url(person))
    assert listed(response) == [withdrawn.pk, given.pk]  # newest first
    text = html(response)
    assert "Återkallat" in text and "Sade det vid hembesök" in text and police_caseworker.get_full_name() in text
    assert f'href="{withdraw_url(withdrawn)}"' not in text


def test_list_logs_the_person_and_the_consents_once(client, person, kommun, police, police_caseworker, given):
    other = consent(police_caseworker, person, [police], categories=["threat"])
    client.force_login(police_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(consents_url(person))
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model) for e in entries] == [(Action.VIEW, "cases.individual"), (Action.LIST, "cases.consent")]
    assert entries[0].object_ids == [person.pk]
    assert sorted(entries[1].object_ids) == sorted([given.pk, other.pk])
    assert set(entries[1].targets.values_list("person_id", flat=True)) == {person.pk}
    assert len({e.request_id for e in entries}) == 1 and entries[1].via == "ui"


def test_empty_state_with_a_link_to_record(client, person, kommun_caseworker):
    client.force_login(kommun_caseworker)
    text = html(client.get(consents_url(person)))
    assert "Det finns inga samtycken" in text and f'href="{create_url(person)}"' in text


# --- recording ----------------------------------------------------------------------------------------


def form_data(*agencies, **kw):
    data = {
        "agencies": [a.pk for a in agencies],
        "categories": ["threat", "needs"],
        "purpose": "Samordnat stöd",
        "given_on": timezone.localdate().isoformat(),
        "valid_until": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "document_reference": "Dnr 2025/123",
    }
    return {**data, **kw}


def test_form_offers_the_active_agencies_and_every_category(
    client, person, kommun, police, probation, community, kommun_caseworker
):
    agency_create(name="Nedlagd förening", slug="nedlagd", kind="community", active=False)
    client.force_login(kommun_caseworker)
    response = client.get(create_url(person))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["agencies"].queryset) == {kommun, police, probation, community}
    assert not form.fields["agencies"].queryset.filter(slug="nedlagd").exists()
    text = html(response)
    assert 'type="checkbox" name="agencies"' in text and 'type="checkbox" name="categories"' in text
    assert "Hotbedömningar" in text and "<legend>Myndigheter som får utbyta uppgifterna" in text
    # The user's own agency is ticked to begin with; the others are not.
    checked = re.findall(r'<input type="checkbox" name="agencies" value="(\d+)"[^>]*checked', text)
    assert checked == [str(kommun.pk)]


def test_recording_a_consent_shares_it_with_the_agencies_it_names(
    client, person, kommun, police, kommun_caseworker, police_caseworker, probation_caseworker
):
    client.force_login(kommun_caseworker)
    response = client.post(create_url(person), form_data(kommun, police))
    assert response.status_code == 302 and response.url == consents_url(person)
    recorded = Consent.objects.get()
    assert set(recorded.agencies.all()) == {kommun, police}
    assert sorted(recorded.categories) == ["needs", "threat"] and recorded.recorded_by == kommun_caseworker
    assert recorded.document_reference == "Dnr 2025/123" and recorded.owner_agency == kommun
    assert access.can(police_caseworker, recorded) and not access.can(probation_caseworker, recorded)
    assert "Samtycket har registrerats." in html(client.get(response.url))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"agencies": []}, "agencies", "Välj minst en myndighet."),
        ({"categories": []}, "categories", "Välj vilka uppgifter samtycket gäller."),
        ({"valid_until": ""}, "valid_until", "Ange hur länge samtycket gäller."),
        ({"purpose": ""}, "purpose", "Ange ändamålet med samtycket."),
        ({"document_reference": ""}, "document_reference", "Ange var det undertecknade samtycket finns."),
        ({"purpose": "   "}, "purpose", "Ange ändamålet med samtycket."),
    ],
)
def test_refusals_are_swedish_and_next_to_their_field(
    client, person, kommun, kommun_caseworker, change, field, message
):
    client.force_login(kommun_caseworker)
    response = client.post(create_url(person), form_data(kommun, **change))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    text = html(response)
    assert f'id="id_{field}_error"' in text and "Formuläret kunde inte sparas" in text
    assert Consent.objects.count() == 0


def test_the_services_refusal_lands_on_its_field(client, person, kommun, kommun_caseworker):
    # The form takes the dates as given; the rule that a consent cannot end before it begins is the service's.
    client.force_login(kommun_caseworker)
    today = timezone.localdate()
    data = form_data(kommun, given_on=today.isoformat(), valid_until=(today - timedelta(days=1)).isoformat())
    response = client.post(create_url(person), data)
    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"] == ["Samtycket kan inte upphöra innan det lämnats."]
    assert Consent.objects.count() == 0


def test_a_participant_who_sees_the_person_may_record(client, person, kommun, community, community_user):
    client.force_login(community_user)
    assert client.post(create_url(person), form_data(community, kommun)).status_code == 302
    assert Consent.objects.get().owner_agency == community


# --- withdrawal ---------------------------------------------------------------------------------------


@pytest.fixture
def resting(case, given, kommun, probation, police_caseworker, probation_caseworker, kommun_caseworker):
    """Entries shared on the consent, and one shared on another basis that a withdrawal must not touch."""
    threat = services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild Syd")
    hidden = services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild Norr")
    intervention = services.entry_add(
        case=case, acting_user=probation_caseworker, kind="intervention", title="Insats: arbete"
    )
    on_law = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Polisens notering")
    basis = legal_basis("samtycke")
    shares = {
        "threat": services.entry_share(entry=threat, to_agency=kommun, legal_basis=basis, assessment="Behövs för samverkan.", consent=given, acting_user=police_caseworker),
        # Police to Kriminalvården: the kommun cannot see this entry, so its page may only count it.
        "hidden": services.entry_share(entry=hidden, to_agency=probation, legal_basis=basis, assessment="Behövs för samverkan.", consent=given, acting_user=police_caseworker),
        "intervention": services.entry_share(entry=intervention, to_agency=kommun, legal_basis=basis, assessment="Behövs för samverkan.", consent=given, acting_user=probation_caseworker),
        "on_law": services.entry_share(entry=on_law, to_agency=kommun, legal_basis=legal_basis("osl-10-27"), assessment="Behövs för samverkan.", acting_user=police_caseworker),
    }  # fmt: skip
    return shares


def test_confirmation_names_what_will_be_revoked_as_far_as_the_user_may_see(
    client, given, resting, kommun_caseworker, police_caseworker
):
    client.force_login(kommun_caseworker)
    response = client.get(withdraw_url(given))
    assert response.status_code == 200
    page = response.context["resting"]
    # The consent itself (to police and Kriminalvården), the threat assessment and the intervention.
    assert {item.share.pk for item in page.seen} == {
        resting["threat"].pk, resting["intervention"].pk,
    }  # fmt: skip
    assert [(g.from_agency.slug, g.to_agency.slug, g.count) for g in page.unseen] == [("polisen", "kriminalvarden", 1)]
    assert page.total == 3
    text = html(response)
    for shown in ("Hotbild Syd", "Hotbedömning", "Insats: arbete", "Insats", "Samtycke",
                  "Polisen Region Bergslagen", "Kriminalvården Frivård Örebro", "Örebro kommun",
                  "1 utlämnande från Polisen Region Bergslagen till Kriminalvården Frivård Örebro",
                  "Det här återkallas: 3 utlämnanden"):  # fmt: skip
        assert shown in text, shown
    assert "Hotbild Norr" not in text  # the kommun cannot see it: counted, never named
    assert "Polisens notering" not in text  # rests on the law, not on the consent

    # The police see their own entry shared with Kriminalvården, and only count the intervention.
    client.force_login(police_caseworker)
    text = html(client.get(withdraw_url(given)))
    assert "Hotbild Norr" in text and "Hotbild Syd" in text and "Insats: arbete" not in text
    assert "1 utlämnande från Kriminalvården Frivård Örebro till Örebro kommun" in text


def test_confirmation_logs_each_read_once(client, kommun, given, resting, kommun_caseworker):
    client.force_login(kommun_caseworker)
    before = AccessLogEntry.objects.count()
    client.get(withdraw_url(given))
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.action, e.model) for e in entries] == [
        (Action.VIEW, "cases.consent"),
        (Action.VIEW, "cases.individual"),
        (Action.LIST, "cases.caseentry"),  # the entry titles named on the page
    ]
    assert sorted(entries[2].object_ids) == sorted([resting["threat"].object_id, resting["intervention"].object_id])
    assert len({e.request_id for e in entries}) == 1


def test_withdrawal_through_the_page_revokes_exactly_the_shares_resting_on_it(
    client, case, given, resting, kommun, police, probation, kommun_caseworker, police_caseworker, probation_caseworker
):
    titles = lambda user: {item.entry.title for item in selectors.case_timeline(user, case)}  # noqa: E731
    assert {"Hotbild Syd", "Insats: arbete", "Polisens notering"} <= titles(kommun_caseworker)
    on_consent = set(services.shares_resting_on(given).values_list("pk", flat=True))
    assert len(on_consent) == 3  # not the consent's own shares with the agencies it names

    client.force_login(kommun_caseworker)
    response = client.post(withdraw_url(given), {"note": "Ringde och återkallade"})
    assert response.status_code == 302 and response.url == consents_url(case.individual)

    given.refresh_from_db()
    assert given.withdrawn_at is not None and given.withdrawn_by == kommun_caseworker
    assert given.withdrawal_note == "Ringde och återkallade"
    revoked = set(Share.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True))
    assert revoked == on_consent
    assert Share.objects.get(pk=resting["on_law"].pk).is_active
    # At once: the grants went in the same transaction.
    assert titles(kommun_caseworker) == {"Polisens notering"}
    assert "Hotbild Norr" not in titles(probation_caseworker)
    assert not CaseEntryGroupGrant.objects.filter(
        content_object_id=resting["threat"].object_id, group=kommun.group
    ).exists()
    assert access.can(police_caseworker, given)  # the named agencies still see that it was withdrawn
    assert AccessLogEntry.objects.filter(action=Action.REVOKE, detail__share=resting["threat"].pk).exists()
    assert (
        AccessLogEntry.objects.filter(action=Action.CHANGE, model="cases.consent", detail__withdrawn=True).count() == 1
    )

    text = html(client.get(response.url))
    assert "Samtycket har återkallats. 3 utlämnanden som vilade på samtycket har återkallats." in text
    assert "Återkallat" in text and "Ringde och återkallade" in text


def test_withdrawal_without_shares_and_a_second_time(client, person, kommun, kommun_caseworker):
    lonely = consent(kommun_caseworker, person, [kommun])
    client.force_login(kommun_caseworker)
    text = html(client.get(withdraw_url(lonely)))
    assert "Inga utlämnanden vilar på samtycket" in text and "Det här återkallas: 0 utlämnanden" in text
    response = client.post(withdraw_url(lonely), {})
    assert response.status_code == 302
    assert "0 utlämnanden som vilade" in html(client.get(response.url))

    again = client.post(withdraw_url(lonely), {"note": "igen"})
    assert again.status_code == 302
    assert "Samtycket är redan återkallat." in html(client.get(again.url))
    lonely.refresh_from_db()
    assert lonely.withdrawal_note == ""
    text = html(client.get(withdraw_url(lonely)))
    assert "Samtycket är redan återkallat" in text and 'name="note"' not in text


def test_a_named_agency_may_record_the_withdrawal(client, person, given, police_caseworker):
    client.force_login(police_caseworker)
    assert client.post(withdraw_url(given), {"note": "Sade det till polisen"}).status_code == 302
    given.refresh_from_db()
    assert given.withdrawn_by == police_caseworker


# --- query counts -------------------------------------------------------------------------------------

# Every request: session and user with its agency membership (2, agencies.auth_backends), saving the session (3 in the test's
# transaction). See cases/tests/test_views_individuals.py.
REQUEST_QUERIES = 5
# An access-log entry and its targets: one statement on PostgreSQL, two on SQLite (agencies.audit.record).
LOG_WRITE = log_write()
# The person through the gate (1) and its log entry + target; the consents (1) and their agencies (1,
# prefetched); the list's log entry + its targets.
LIST_QUERIES = REQUEST_QUERIES + 1 + LOG_WRITE + 2 + LOG_WRITE


def test_list_query_count_is_the_same_at_1_and_20_consents(
    client, person, kommun, police, kommun_caseworker, police_caseworker, django_assert_num_queries
):
    consent(kommun_caseworker, person, [kommun, police])
    client.force_login(police_caseworker)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(listed(client.get(consents_url(person)))) == 1
    for i in range(19):
        consent(kommun_caseworker if i % 2 else police_caseworker, person, [kommun, police])
    with django_assert_num_queries(LIST_QUERIES):
        assert len(listed(client.get(consents_url(person)))) == 20


# The consent (1) and the person (1) through the gate, each with its log entry + target; the consent's
# agencies (1); the shares resting on it (1); for the entries shared, the gated records (1) and their log
# entry + targets.
WITHDRAW_PAGE_QUERIES = REQUEST_QUERIES + 2 + 2 * LOG_WRITE + 1 + 1 + (1 + LOG_WRITE)


def test_confirmation_query_count_does_not_grow_with_the_shares(
    client, case, given, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries
):
    basis = legal_basis("samtycke")

    def add_shared(n):
        for i in range(n):
            entry = services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title=f"Hot {i}")
            services.entry_share(
                entry=entry,
                to_agency=kommun,
                legal_basis=basis,
                assessment="Behövs för samverkan.",
                consent=given,
                acting_user=police_caseworker,
            )

    add_shared(1)
    client.force_login(kommun_caseworker)
    with django_assert_num_queries(WITHDRAW_PAGE_QUERIES):
        assert client.get(withdraw_url(given)).context["resting"].total == 1
    add_shared(20)
    with django_assert_num_queries(WITHDRAW_PAGE_QUERIES):
        assert client.get(withdraw_url(given)).context["resting"].total == 21
