"""domain/goals: goals, KPIs, measurements and progress against plain objects and a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from mentorkit.domain import goals
from mentorkit.errors import UsageProblem
from tests.conftest import DAY, seeded


def _kpi(m, baseline=6, target=1, direction=None):
    goal, _ = goals.add_goal(
        m, "Liability analysis", why=None, strategies=[], by="mentee", today=DAY, rng=seeded()
    )
    kpi, _ = goals.add_kpi(
        m, goal.id, name="Major revisions per memo", baseline=baseline, target=target,
        unit="revisions", direction=direction, due=date(2026, 12, 31), by="mentee",
        rng=seeded(2),
    )  # fmt: skip
    return goal, kpi


def test_a_kpi_takes_its_direction_from_baseline_and_target(m):
    _, kpi = _kpi(m)
    assert kpi.direction == "lower"
    assert m.all_ids() >= {kpi.id, m.goals[0].id}


def test_a_target_that_moves_away_from_the_baseline_is_refused(m):
    with pytest.raises(UsageProblem, match="moves away from the baseline"):
        _kpi(m, baseline=6, target=1, direction="higher")
    with pytest.raises(UsageProblem, match="higher or lower"):
        _kpi(m, direction="sideways")


def test_progress_runs_from_baseline_to_target(m):
    _, kpi = _kpi(m)
    for day, value in ((date(2026, 4, 1), 6), (date(2026, 7, 1), 4), (date(2026, 10, 1), 2)):
        goals.record_measurement(m, kpi.id, value, when=day, note=None, by="mentee")
    progress = goals.kpi_progress(kpi, DAY)
    assert progress.latest == 2 and progress.latest_date == date(2026, 10, 1)
    assert progress.progress == pytest.approx(0.8)  # 6 -> 2 of 6 -> 1
    assert not progress.reached
    assert progress.slope_per_day is not None and progress.slope_per_day < 0
    goals.record_measurement(m, kpi.id, 1, when=DAY, note=None, by="mentee")
    assert goals.kpi_progress(kpi, DAY).reached


def test_a_value_far_outside_baseline_to_target_is_questioned(m):
    _, kpi = _kpi(m)
    assert goals.implausible(kpi, 3, DAY) == []
    assert goals.implausible(kpi, 60, DAY) != []
    assert goals.implausible(kpi, -1, DAY) != []


def test_a_measurement_recorded_by_mistake_is_fixed_or_removed(m):
    _, kpi = _kpi(m)
    goals.record_measurement(m, kpi.id, 4, when=date(2026, 11, 6), note=None, by="mentee")
    _, sentence = goals.fix_measurement(m, kpi.id, date(2026, 11, 6), 3, reason="typo", by="mentee")
    assert [x.value for x in kpi.measurements] == [3]
    assert "4 revisions → 3 revisions (because: typo)" in sentence
    goals.unrecord_measurement(m, kpi.id, date(2026, 11, 6), value=None, reason="wrong memo",
                               by="mentee")  # fmt: skip
    assert kpi.measurements == []
    with pytest.raises(UsageProblem):
        goals.unrecord_measurement(m, kpi.id, date(2026, 11, 6), value=None, reason="x", by=None)
