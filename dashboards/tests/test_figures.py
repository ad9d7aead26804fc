"""Every goal and work figure against values computed by hand from the fixed data set (conftest.py)."""

import math
from collections import Counter
from datetime import date

from scipy.optimize import brentq
from scipy.stats import norm

from dashboards.selectors import Period, lead_dashboard
from dashboards.selectors.common import goal_rate_ratio

from .conftest import AS_OF


def cells(table, label):
    return next(row.cells for row in table.rows if row.label == label)


def police_2025(police):
    return lead_dashboard(agency_id=police.pk, period=Period(date(2025, 1, 1), date(2025, 7, 1)))


def test_goal1_counts_by_month_kind_and_harm(computed, police):
    board = police_2025(police)
    incidents = board["goal1"][0]
    assert incidents.columns[:3] == ["Skjutning", "Sprängning", "Annat grovt våld"]
    assert cells(incidents, "2025-02") == ["2", "0", "0", "2"]
    assert cells(incidents, "2025-03") == ["0", "0", "0", "0"]  # the explosion in March is the kommun's
    assert incidents.total.cells == ["2", "0", "0", "2"]
    quarters = board["goal1"][1]
    assert cells(quarters, "2025 K1") == ["2", "0", "0", "2"]
    harm = board["goal1"][2]
    assert cells(harm, "2025-02") == ["2", "1", "1"]  # dead, injured, attributed to a group


def test_goal1_rate_ratio_and_interval_computed_independently(computed, police):
    ratio = goal_rate_ratio(until=AS_OF)
    # Both agencies: baseline 2024 holds 5 goal incidents (the threat is not one) in 366 days; after the
    # start 3 in 181 days (2025-01-01 to 2025-06-30).
    assert (ratio.after_count, ratio.after_days, ratio.baseline_count, ratio.baseline_days) == (3, 181, 5, 366)
    assert ratio.ratio is not None and ratio.low is not None and ratio.high is not None
    assert math.isclose(ratio.ratio, (3 / 181) / (5 / 366))
    # The score interval, solved here from its definition: conditional on the 8 events, the after-start count
    # is binomial; the bounds are the ratios R where the score statistic is +-z(0.975).
    c1, e1, c2, e2 = 3, 181, 5, 366

    def score(r):
        return (c1 * e2 - c2 * r * e1) / math.sqrt((c1 + c2) * r * e1 * e2)

    z = norm.ppf(0.975)
    low = brentq(lambda r: score(r) - z, 1e-6, ratio.ratio)
    high = brentq(lambda r: score(r) + z, ratio.ratio, 1000)
    assert math.isclose(ratio.low, low, rel_tol=1e-6)
    assert math.isclose(ratio.high, high, rel_tol=1e-6)
    assert "ingen säker förändring" in ratio.reading
    # The police's own: baseline 4 (2 shootings, explosion, serious violence), after 2.
    own = goal_rate_ratio(until=AS_OF, agency_id=police.pk)
    assert (own.after_count, own.baseline_count) == (2, 4)


def test_goal3_hours_recorded_or_the_default(computed, police):
    hours = police_2025(police)["goal3"]
    # Feb 2025: the 200 recorded hours, and one shooting without hours at the 150 h default.
    assert cells(hours, "2025-02") == ["200", "150", "350"]
    baseline = lead_dashboard(agency_id=police.pk, period=Period(date(2024, 6, 1), date(2024, 7, 1)))["goal3"]
    # June 2024: a shooting (150) and an explosion (80), neither with recorded hours.
    assert cells(baseline, "2024-06") == ["0", "230", "230"]


def test_goal4_cost_by_type_and_worst_outcome(computed, police, kommun):
    cost = police_2025(police)["goal4"]
    # Feb 2025: a shooting with no one hurt (100 000) and one with dead (10 000 000).
    assert cells(cost, "2025-02") == ["10\xa0100\xa0000"]
    kommun_cost = lead_dashboard(agency_id=kommun.pk, period=Period(date(2025, 1, 1), date(2025, 7, 1)))["goal4"]
    assert cells(kommun_cost, "2025-03") == ["500\xa0000"]  # an explosion: the "any outcome" default


def test_work_figures(computed, police):
    board = police_2025(police)
    work = {table.key: table for table in board["work"]}
    assert cells(work["call_ins_held"], "2025-03") == ["2"]
    assert cells(work["attendance"], "2025-03") == ["5", "3"]
    assert cells(work["notifications"], "2025-04") == ["2", "0", "1", "3"]  # yes, partly, no, total
    assert cells(work["notification_repeats"], "2025-04") == ["1"]
    assert cells(work["help_requests"], "2025-03") == ["1", "0", "1"]
    assert cells(work["help_requests"], "2025-04") == ["0", "1", "1"]
    assert cells(work["exit_opened"], "2025-03") == ["2"]
    assert cells(work["enforcement_responses"], "2025-02") == ["1"]
    assert cells(work["exit_closed"], "Genomfört") == ["1"]
    assert cells(work["exit_active"], "Aktivt stöd") == ["1"] and cells(work["exit_active"], "Bedömning") == ["1"]
    assert cells(work["levers"], "Polisinsats") == ["1"]
    assert board["median_days"] == 10 and board["median_cases"] == 3  # 4, 10, 20 days
    assert board["tasks_overdue"] == 1


def test_the_snapshot_is_idempotent(computed):
    from dashboards.models import DailyFigure, JointFigure
    from dashboards.services import compute_snapshots

    fields = ("day", "district_id", "agency_id", "metric", "key", "value")
    before = Counter(DailyFigure.objects.values_list(*fields))
    assert before
    joint = dict(JointFigure.objects.values_list("year", "data"))
    compute_snapshots(as_of=AS_OF)
    assert Counter(DailyFigure.objects.values_list(*fields)) == before
    assert dict(JointFigure.objects.values_list("year", "data")) == joint
