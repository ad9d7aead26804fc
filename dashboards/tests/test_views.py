"""The pages: who sees what, suppression on the joint dashboard and its exports, drill-down through the gate,
constant query counts, the survey import and a lead's recomputation."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.models import SnapshotRun, SurveyResult

JOINT = reverse("dashboards:joint")
LEAD = reverse("dashboards:lead")


def small_numbers(text: str) -> list[str]:
    """Table cells holding 1 or 2 as a figure."""
    return re.findall(r'<td class="num">\s*([12])\s*</td>', text)


def test_anonymous_goes_to_login(client):
    for url in (JOINT, LEAD):
        assert client.get(url).status_code == 302


def test_community_partner_sees_the_joint_dashboard_only(client, computed, community_user):
    client.force_login(community_user)
    page = client.get(JOINT + "?year=2025").content.decode()
    assert "Gemensam instrumentpanel" in page
    assert client.get(LEAD).status_code == 403
    assert client.get(reverse("dashboards:drill", args=["incidents"]) + "?month=2025-02").status_code == 403


def test_joint_dashboard_suppresses_small_counts(client, computed, community_user):
    client.force_login(community_user)
    page = client.get(JOINT + "?year=2025").content.decode()
    # Every count in 2025 is small: two shootings in February, a call-in or two, one explosion.
    assert small_numbers(page) == []
    assert '<td class="num">&lt;3</td>' in page or '<td class="num">..</td>' in page
    assert "Testnätverket" not in page  # no group, no name


def test_joint_exports_carry_the_same_suppression(client, computed, kommun_caseworker):
    client.force_login(kommun_caseworker)
    text = client.get(reverse("dashboards:joint-export", args=["csv"]) + "?year=2025").content.decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    figures = [cell for row in rows for cell in row[1:]]
    assert {"<3", ".."} & set(figures)
    assert not {"1", "2"} & set(figures)
    book = load_workbook(
        io.BytesIO(client.get(reverse("dashboards:joint-export", args=["xlsx"]) + "?year=2025").content)
    )
    values = [str(c.value) for row in book.active.iter_rows() for c in row[1:] if c.value is not None]
    assert {"<3", ".."} & set(values) and not {"1", "2"} & set(values)


def test_lead_sees_own_agency_figures_unsuppressed(client, computed, police_lead, kommun_lead):
    client.force_login(police_lead)
    page = client.get(LEAD + "?start=2025-01&end=2025-06").content.decode()
    assert '<td class="num">2</td>' in page  # two shootings in February, shown as such to their owner
    client.force_login(kommun_lead)
    kommun_page = client.get(LEAD + "?start=2025-02&end=2025-02").content.decode()
    assert "Örebro kommun" in kommun_page
    assert '<td class="num">2</td>' not in kommun_page  # the police's shootings are not the kommun's figures


def test_drill_down_opens_own_records_through_the_gate(client, computed, police_lead, kommun_lead):
    url = reverse("dashboards:drill", args=["incidents"]) + "?month=2025-02"
    client.force_login(police_lead)
    page = client.get(url).content.decode()
    links = re.findall(r'href="(/handelser/\d+/)"', page)
    assert len(links) == 2
    client.force_login(kommun_lead)
    assert re.findall(r'href="(/handelser/\d+/)"', client.get(url).content.decode()) == []
    for link in links:  # another agency opening the records behind the police's figure
        assert client.get(link).status_code == 404
    for figure in ("call_ins", "notifications", "exit_cases", "responses"):
        assert client.get(reverse("dashboards:drill", args=[figure]) + "?month=2025-03").status_code == 200
    assert client.get(reverse("dashboards:drill", args=["nonsense"]) + "?month=2025-03").status_code == 404
    assert client.get(reverse("dashboards:drill", args=["incidents"]) + "?month=bad").status_code == 404


@pytest.mark.parametrize("query", ["?start=2025-01&end=2025-01", "?start=2016-01&end=2025-12"])
def test_lead_page_query_count_is_the_same_for_any_period(client, computed, police_lead, query,
                                                          django_assert_num_queries):  # fmt: skip
    client.force_login(police_lead)
    client.get(LEAD)  # warm the session and the actor
    with django_assert_num_queries(13):
        assert client.get(LEAD + query).status_code == 200


@pytest.mark.parametrize("query", ["?year=2024", "?year=2025"])
def test_joint_page_query_count_is_the_same_for_any_year(client, computed, community_user, query,
                                                         django_assert_num_queries):  # fmt: skip
    client.force_login(community_user)
    client.get(JOINT)
    with django_assert_num_queries(14):
        assert client.get(JOINT + query).status_code == 200


def test_bad_filters_are_swedish_errors_not_500(client, computed, police_lead):
    client.force_login(police_lead)
    page = client.get(LEAD + "?start=2025-06&end=2025-01").content.decode()
    assert "Periodens början ligger efter dess slut" in page
    assert client.get(JOINT + "?year=abc&district=x").status_code == 200


def test_lead_asks_for_a_recomputation_and_follows_it(client, dataset, police_lead, community_user, eager,
                                                      django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(community_user)
    assert client.post(reverse("dashboards:run-request")).status_code == 403
    client.force_login(police_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboards:run-request"))
    run = SnapshotRun.objects.get()
    assert response.url == reverse("dashboards:run", args=[run.pk])
    assert run.status == "done" and run.progress == 100 and run.rows > 0  # eager in the tests
    fragment = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="100"' in fragment and "hx-trigger" not in fragment  # done: no more polling
    SnapshotRun.objects.filter(pk=run.pk).update(status="running", progress=40)
    fragment = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="40"' in fragment


@pytest.fixture
def eager(monkeypatch):
    """Run queued tasks in the test process even when a broker is configured (the real worker has its own
    test, test_worker.py)."""
    from gvi_portal import celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


GOOD = "district,year,question,value,respondents\nVivalla,2025,Trygg på kvällen,61.5,120\nCentrum,2025,Trygg på kvällen,70,98\n"
BAD = (
    "district,year,question,value,respondents\nVivalla,2025,Trygg på kvällen,61.5,120\n"
    "Atlantis,2025,Trygg,5,10\nCentrum,tjugo,Trygg,abc,-1\n"
)


def upload(client, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("dashboards:survey-upload"), {"file": SimpleUploadedFile("s.csv", text.encode())},
                       follow=True)  # fmt: skip


def test_survey_import_rejects_a_bad_file_by_line_and_imports_nothing(client, db, police_lead):
    client.force_login(police_lead)
    page = upload(client, BAD).content.decode()
    assert "Rad 3: okänd stadsdel ”Atlantis”." in page
    assert "Rad 4:" in page and "året ”tjugo”" in page and "värdet ”abc”" in page and "svarande ”-1”" in page
    assert "Ingenting importerades" in page
    assert SurveyResult.objects.count() == 0


def test_survey_import_imports_a_good_file_completely(client, db, police_lead, community_user):
    client.force_login(police_lead)
    page = upload(client, GOOD).content.decode()
    assert "2 rader importerade" in page
    assert sorted(SurveyResult.objects.values_list("district__name", "value")) == [
        ("Centrum", 70), ("Vivalla", 61.5)
    ]  # fmt: skip
    client.force_login(community_user)
    assert upload(client, GOOD).status_code == 403


def test_a_large_survey_file_goes_to_a_worker_with_progress(client, db, police_lead, settings, eager,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    from dashboards.models import SurveyImport

    settings.SURVEY_IMPORT_INLINE_ROWS = 1
    client.force_login(police_lead)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = upload(client, GOOD).content.decode()
    upload_row = SurveyImport.objects.get()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page  # queued: the page polls
    for callback in callbacks:
        callback()  # the worker's task (eager here)
    fragment = client.get(reverse("dashboards:survey-import", args=[upload_row.pk]), HTTP_HX_REQUEST="true")
    assert "2 rader importerade" in fragment.content.decode()
    assert SurveyResult.objects.count() == 2


def test_report_prints_the_joint_figures(client, computed, community_user):
    client.force_login(community_user)
    page = client.get(reverse("dashboards:report") + "?year=2025&quarter=1").content.decode()
    assert "kvartal 1" in page and "data-print" in page and small_numbers(page) == []


def test_joint_dashboard_without_snapshots_says_so(client, db, community_user):
    client.force_login(community_user)
    assert "Inga siffror är beräknade" in client.get(JOINT).content.decode()


def test_hours_and_cost_hidden_on_the_joint_dashboard_below_ten_incidents(client, computed, community_user):
    from dashboards.selectors import joint_dashboard

    board = joint_dashboard(year=2025, district_id=None)
    assert [row.cells for row in board["goal3"].rows] == [[".."], ["0"], ["0"], ["0"]]
    assert board["rate_ratio"] is not None and board["rate_ratio"].after_count == 3
    assert date(2025, 6, 30) == board["as_of"]


def test_statistics_api_is_suppressed_and_in_the_schema(client, computed, community_user):
    url = reverse("api:statistics")
    assert client.get(url).status_code in (401, 403)
    client.force_login(community_user)
    body = client.get(url, {"year": 2025}).json()
    assert body["year"] == 2025
    cells = [
        c for f in body["figures"] for row in f["rows"] + ([f["total"]] if f["total"] else []) for c in row["cells"]
    ]
    assert {"<3", ".."} & set(cells) and not {"1", "2"} & set(cells)
    assert body["rate_ratio"]["after_count"] == 3
    assert client.get(url, {"year": "abc"}).status_code == 400
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/statistics/" in schema


def test_lead_exports_csv_and_excel(client, computed, police_lead):
    client.force_login(police_lead)
    text = client.get(reverse("dashboards:lead-export", args=["csv"]) + "?start=2025-01&end=2025-06").content.decode()
    assert "2025-02;2;0;0;2" in text  # the police's two shootings in February, unsuppressed for their lead
    response = client.get(reverse("dashboards:lead-export", args=["xlsx"]) + "?start=2025-01&end=2025-06")
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert ["2025-02", "2", "0", "0", "2"] in rows
    assert client.get(reverse("dashboards:lead-export", args=["pdf"])).status_code == 404
