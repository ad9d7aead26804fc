"""The leads' log review pages: only the agency's leads (anyone else 404), items in human terms, verdicts,
progress per month, pinned query counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agencies import access
from agencies.models import AccessLogEntry, LogReview, LogReviewVerdict
from agencies.services.log_review import log_review_create, verdict_record
from agencies.tests.factories import basis_for
from cases.tests.factories import IndividualFactory
from gvi_portal.testing import log_write

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 1)
LIST_URL = "/atkomstlogg/granskning/"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=ZoneInfo("Europe/Stockholm"))


def read(user, obj, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        access.get_or_404(user, type(obj), obj.pk)


def review_of(agency, reads: list[tuple]) -> LogReview:
    for user, obj, when in reads:
        read(user, obj, when)
    review = log_review_create(agency=agency, month=OCTOBER)
    assert review is not None
    return review


def detail_url(review) -> str:
    return reverse("log-review-detail", kwargs={"pk": review.pk})


def verdict_url(review, item) -> str:
    return reverse("log-review-verdict", kwargs={"pk": review.pk, "item_pk": item.pk})


@pytest.fixture
def police_review(police, police_caseworker):
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Fiktiv Falk")
    return review_of(police, [(police_caseworker, p, at(13, 10)), (police_caseworker, p, at(13, 22))])


def test_url_names():
    assert reverse("log-review-list") == LIST_URL
    assert reverse("log-review-detail", kwargs={"pk": 3}) == "/atkomstlogg/granskning/3/"
    assert reverse("log-review-verdict", kwargs={"pk": 3, "item_pk": 4}) == "/atkomstlogg/granskning/3/poster/4/"


def test_anonymous_goes_to_the_login_page(client, police_review):
    for url in (LIST_URL, detail_url(police_review)):
        response = client.get(url)
        assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_the_lead_sees_the_items_in_human_terms(client, police_review, police_lead, police_caseworker):
    client.force_login(police_lead)
    response = client.get(detail_url(police_review))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Granskning av åtkomstloggen, oktober 2026" in html
    assert "0 av 2 poster granskade." in html
    assert "Fiktiv Falk" in html  # the record as the lead sees it, linked to its page
    person_id = AccessLogEntry.objects.get(pk=police_review.items.first().entry_id).object_ids[0]
    assert f'href="/personer/{person_id}/"' in html
    assert police_caseworker.username in html
    assert "Läste" in html
    assert "Utanför arbetstid" in html  # the 22:00 read
    assert "Slumpvis stickprov" in html
    assert "tis 2026-10-13 22:00" in html


def test_a_record_the_lead_can_no_longer_see_shows_only_its_kind(
    client, police, kommun, kommun_caseworker, police_caseworker, police_lead
):
    kommun_person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker, alias="Hemlig Hare")
    share = access.share(
        kommun_person,
        to_agency=police,
        level="view",
        legal_basis=basis_for(police),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    review = review_of(police, [(police_caseworker, kommun_person, at(13, 10))])
    access.revoke(share, acting_user=kommun_caseworker, reason="Behövs inte längre.")
    client.force_login(police_lead)
    html = client.get(detail_url(review)).content.decode()
    assert "Person (ej synlig för dig)" in html
    assert "Hemlig Hare" not in html


def test_a_caseworker_gets_404(client, police_review, police_caseworker):
    client.force_login(police_caseworker)
    item = police_review.items.first()
    assert client.get(LIST_URL).status_code == 404
    assert client.get(detail_url(police_review)).status_code == 404
    assert client.post(verdict_url(police_review, item), {f"item-{item.pk}-verdict": "confirmed"}).status_code == 404
    assert not LogReviewVerdict.objects.exists()


def test_another_agencys_lead_gets_404(client, police_review, police_lead, kommun_lead):
    item = police_review.items.first()
    client.force_login(police_lead)
    assert client.get(detail_url(police_review)).status_code == 200  # the page is real for its own lead

    client.force_login(kommun_lead)
    assert client.get(detail_url(police_review)).status_code == 404
    assert client.post(verdict_url(police_review, item), {f"item-{item.pk}-verdict": "confirmed"}).status_code == 404
    assert police_review.pk not in [review.pk for review in client.get(LIST_URL).context["page_obj"]]
    assert not LogReviewVerdict.objects.exists()


def test_an_item_of_another_review_is_404(client, police, kommun, police_review, kommun_caseworker, police_lead):
    p = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    kommun_review = review_of(kommun, [(kommun_caseworker, p, at(13, 10))])
    client.force_login(police_lead)
    foreign = kommun_review.items.get()
    response = client.post(verdict_url(police_review, foreign), {f"item-{foreign.pk}-verdict": "confirmed"})
    assert response.status_code == 404


def test_the_lead_records_a_verdict(client, police_review, police_lead):
    item = police_review.items.first()
    assert item is not None
    client.force_login(police_lead)
    response = client.post(
        verdict_url(police_review, item),
        {f"item-{item.pk}-verdict": "flagged", f"item-{item.pk}-comment": "Varför kvällstid?"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(police_review)}#post-{item.pk}"
    verdict = LogReviewVerdict.objects.get()
    assert (verdict.item, verdict.verdict, verdict.comment, verdict.decided_by) == (
        item,
        "flagged",
        "Varför kvällstid?",
        police_lead,
    )
    html = client.get(detail_url(police_review)).content.decode()
    assert "1 av 2 poster granskade." in html
    assert "Varför kvällstid?" in html
    assert "Spara ny bedömning" in html
    # "Ej granskade" leaves out the item with a verdict.
    unreviewed = client.get(detail_url(police_review), {"visa": "ogranskade"})
    assert [row.item.pk for row in unreviewed.context["rows"]] == [
        other.pk for other in police_review.items.exclude(pk=item.pk)
    ]


def test_a_verdict_without_a_choice_is_a_swedish_form_error(client, police_review, police_lead):
    item = police_review.items.first()
    client.force_login(police_lead)
    response = client.post(verdict_url(police_review, item), {f"item-{item.pk}-comment": "x" * 3000})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Välj godkänd eller flaggad." in html
    assert "som mest 2000 tecken" in html
    assert not LogReviewVerdict.objects.exists()
    bad = client.post(verdict_url(police_review, item), {f"item-{item.pk}-verdict": "kanske"})
    assert bad.status_code == 400 and "Välj godkänd eller flaggad." in bad.content.decode()


def test_the_list_shows_progress_per_month(client, police, police_review, police_lead):
    verdict_record(acting_user=police_lead, item=police_review.items.first(), verdict="confirmed")
    empty = log_review_create(agency=police, month=date(2026, 9, 1))
    assert empty is not None
    client.force_login(police_lead)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert [(r.month, r.reviewed, r.total) for r in response.context["page_obj"]] == [
        (OCTOBER, 1, 2),
        (date(2026, 9, 1), 0, 0),
    ]
    html = response.content.decode()
    assert "1 av 2" in html and "Oktober 2026" in html and "Pågår" in html


def test_the_list_before_any_review(client, police_lead):
    client.force_login(police_lead)
    assert "Ingen granskning ännu." in client.get(LIST_URL).content.decode()


# Session, user with its membership and agency, the lead's second-factor device; then the page's own queries; the session saved
# (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST).
@pytest.mark.parametrize("reviews", [1, 30])
def test_list_query_count_does_not_grow(reviews, client, police, police_lead, django_assert_num_queries):
    for month in range(reviews):
        LogReview.objects.create(agency=police, month=date(2024 + month // 12, month % 12 + 1, 1))
    client.force_login(police_lead)
    # + the count and the page with its progress (the same on SQLite and PostgreSQL)
    with django_assert_num_queries(8):
        response = client.get(LIST_URL)
    assert len(response.context["page_obj"]) == min(reviews, 24)


@pytest.mark.parametrize("persons", [1, 25])
def test_detail_query_count_does_not_grow(
    persons, client, police, police_caseworker, police_lead, django_assert_num_queries
):
    reads = [
        (police_caseworker, IndividualFactory(owner_agency=police, created_by=police_caseworker), at(13, 10, i))
        for i in range(persons)
    ]
    review = review_of(police, reads)
    for item in review.items.all()[:3]:
        verdict_record(acting_user=police_lead, item=item, verdict="confirmed")
    client.force_login(police_lead)
    # + the review with its progress, the item count, the page of items with their readers, the persons through
    # the gate, the lead's listing logged (one statement on PostgreSQL, two on SQLite), the verdicts with who
    # gave them: 13 on SQLite, 12 on PostgreSQL.
    expected = 11 + log_write()
    with django_assert_num_queries(expected):
        response = client.get(detail_url(review))
    assert len(response.context["rows"]) == persons


def test_out_of_range_ids_and_a_bad_page_never_break_the_pages(client, police_review, police_lead):
    client.force_login(police_lead)
    huge = 2**70
    assert client.get(f"/atkomstlogg/granskning/{huge}/").status_code == 404
    item = police_review.items.first()
    assert item is not None
    assert client.post(f"/atkomstlogg/granskning/{police_review.pk}/poster/{huge}/").status_code == 404
    assert client.post(f"/atkomstlogg/granskning/{huge}/poster/{item.pk}/").status_code == 404
    assert client.get(detail_url(police_review), {"page": "x", "visa": "<script>"}).status_code == 200
    assert client.get(LIST_URL, {"page": "99999999999999999999"}).status_code == 200
