"""The PILOTE engine end to end on small hand-checkable cases (no database)."""

from datetime import date

import numpy as np
import pytest

from communs.pilote.engine.aggregation import MEAN, NONE, RATIO, SUM, aggregate
from communs.pilote.engine.compute import (
    GAP,
    METEO,
    NO_DEPT,
    NOT_COMPUTABLE,
    OUT_OF_DATE,
    TREND,
    IndicatorSpec,
    Observations,
    compute,
)
from communs.pilote.engine.series import decumulate, month_index
from communs.pilote.territories import axis_from_reference_file

# The engine owns no list of territories: the tests give it the reference's (read from the file).
AXIS = axis_from_reference_file()

AS_OF = date(2026, 6, 30)


def run(specs, rows, as_of=AS_OF, **kwargs):
    return compute(specs, Observations.from_rows(rows, specs, AXIS), as_of, axis=AXIS, **kwargs)


def baseline(indicator, territory, vi=0.0, vc=100.0):
    return [(indicator, territory, "2026-01-01", "vi", vi), (indicator, territory, "2027-12-31", "vc", vc)]


def ta(result, indicator, territory):
    i = [spec.id for spec in result.specs].index(indicator)
    value = result.ta[i, AXIS.index[territory]]
    return None if np.isnan(value) else float(value)


def chantier_ta(result, chantier, territory):
    value = result.chantier_ta[result.chantiers.index(chantier), AXIS.index[territory]]
    return None if np.isnan(value) else float(value)


def kinds(result, kind, **match):
    return [
        a for a in result.alerts if a.kind == kind and all(getattr(a, key) == value for key, value in match.items())
    ]


def test_chantier_is_the_weighted_mean_of_its_indicators():
    specs = [IndicatorSpec("a", "C", weight_dept=50), IndicatorSpec("b", "C", weight_dept=50)]
    rows = baseline("a", "DEPT-35") + baseline("b", "DEPT-35")
    rows += [("a", "DEPT-35", "2026-05-31", "va", 40), ("b", "DEPT-35", "2026-05-31", "va", 80)]
    result = run(specs, rows)
    # (50·40 + 50·80) / (50 + 50) = 6000 / 100 = 60
    assert chantier_ta(result, "C", "DEPT-35") == pytest.approx(60.0)
    assert not kinds(result, NOT_COMPUTABLE, territory="DEPT-35")


def test_unequal_weights():
    specs = [IndicatorSpec("a", "C", weight_nat=3), IndicatorSpec("b", "C", weight_nat=1)]
    rows = baseline("a", "NAT-FR") + baseline("b", "NAT-FR")
    rows += [("a", "NAT-FR", "2026-05-31", "va", 40), ("b", "NAT-FR", "2026-05-31", "va", 80)]
    # (3·40 + 1·80) / 4 = 200 / 4 = 50
    assert chantier_ta(run(specs, rows), "C", "NAT-FR") == pytest.approx(50.0)


def test_one_null_ta_makes_the_chantier_null_and_raises_not_computable():
    specs = [IndicatorSpec("a", "C", weight_dept=50), IndicatorSpec("b", "C", weight_dept=50)]
    rows = baseline("a", "DEPT-35") + [("b", "DEPT-35", "2027-12-31", "vc", 100)]  # b has no VI → TA null
    rows += [("a", "DEPT-35", "2026-05-31", "va", 40), ("b", "DEPT-35", "2026-05-31", "va", 80)]
    result = run(specs, rows)
    assert ta(result, "a", "DEPT-35") == pytest.approx(40.0)
    assert ta(result, "b", "DEPT-35") is None
    assert chantier_ta(result, "C", "DEPT-35") is None
    assert kinds(result, NOT_COMPUTABLE, indicator="b", territory="DEPT-35")
    assert kinds(result, NOT_COMPUTABLE, indicator=None, chantier="C", territory="DEPT-35")


def test_zero_weight_indicator_does_not_count():
    specs = [IndicatorSpec("a", "C", weight_dept=1), IndicatorSpec("b", "C", weight_dept=0)]
    rows = baseline("a", "DEPT-35") + [
        ("a", "DEPT-35", "2026-05-31", "va", 40),
        ("b", "DEPT-35", "2026-05-31", "va", 1),
    ]
    result = run(specs, rows)
    # b has no target but weight 0 at departmental level: the chantier is a's 40
    assert chantier_ta(result, "C", "DEPT-35") == pytest.approx(40.0)


@pytest.mark.parametrize(
    ("first", "alerted"),
    [
        # median of 45/50/60/70/80 = 60; 45 − 60 = −15 < −10 → alert
        (45, True),
        # median of 50/55/60/70/80 = 60; 55 − 60 = −5 ≥ −10 → no alert
        (55, False),
        # median 60; 50 − 60 = −10 is not below −10 → no alert
        (50, False),
    ],
)
def test_gap_to_the_median(first, alerted):
    specs = [IndicatorSpec("a", "C", weight_dept=1)]
    departements = ["DEPT-35", "DEPT-22", "DEPT-29", "DEPT-56", "DEPT-44"]
    others = [50, 60, 70, 80] if first != 50 else [55, 60, 70, 80]
    rows = []
    for territory, value in zip(departements, [first, *others], strict=True):
        rows += baseline("a", territory) + [("a", territory, "2026-05-31", "va", value)]
    result = run(specs, rows)
    median = result.medians[0, AXIS.index["DEPT-35"]]
    assert median == pytest.approx(60.0)
    assert bool(kinds(result, GAP, indicator="a", territory="DEPT-35")) is alerted
    assert not kinds(result, GAP, territory="DEPT-44")  # 80 is above the median


def test_downward_trend_follows_the_direction():
    specs = [IndicatorSpec("up", "C", "hausse", weight_dept=1), IndicatorSpec("down", "C", "baisse", weight_dept=1)]
    rows = baseline("up", "DEPT-35") + baseline("down", "DEPT-35", vi=100, vc=0)
    rows += [("up", "DEPT-35", "2026-04-30", "va", 30), ("up", "DEPT-35", "2026-05-31", "va", 25)]  # 25 < 30: worse
    rows += [
        ("down", "DEPT-35", "2026-04-30", "va", 70),
        ("down", "DEPT-35", "2026-05-31", "va", 60),
    ]  # 60 < 70: better
    result = run(specs, rows)
    assert kinds(result, TREND, indicator="up", territory="DEPT-35")
    assert not kinds(result, TREND, indicator="down")


def test_no_departmental_ta_at_all():
    specs = [IndicatorSpec("a", "C", weight_nat=1, weight_dept=1)]
    rows = baseline("a", "NAT-FR") + [("a", "NAT-FR", "2026-05-31", "va", 10)]
    result = run(specs, rows)
    assert kinds(result, NO_DEPT, chantier="C", territory="NAT-FR")
    rows += baseline("a", "DEPT-35") + [("a", "DEPT-35", "2026-05-31", "va", 10)]
    assert not kinds(run(specs, rows), NO_DEPT)


def test_meteo_missing_only_where_expected_and_when_meteo_is_known():
    specs = [IndicatorSpec("a", "C", weight_nat=1, weight_dept=1)]
    rows = baseline("a", "DEPT-35") + baseline("a", "NAT-FR") + [("a", "DEPT-35", "2026-05-31", "va", 10)]
    rows += [("a", "NAT-FR", "2026-05-31", "va", 10)]
    assert not kinds(run(specs, rows), METEO)  # meteo=None: not tracked (CLI without a météo file)
    result = run(specs, rows, meteo={("C", "NAT-FR")})
    assert [a.territory for a in kinds(result, METEO)] == ["DEPT-35"]


def test_out_of_date_when_the_next_update_date_has_passed():
    specs = [
        IndicatorSpec("late", "C", weight_nat=1, next_update=date(2026, 6, 1)),
        IndicatorSpec("fresh", "C", weight_nat=1, next_update=date(2026, 7, 1)),
    ]
    result = run(specs, baseline("late", "NAT-FR") + baseline("fresh", "NAT-FR"))
    assert [a.indicator for a in kinds(result, OUT_OF_DATE)] == ["late"]


def test_annual_and_final_targets():
    specs = [IndicatorSpec("a", "C", weight_nat=1)]
    rows = [
        ("a", "NAT-FR", "2025-01-01", "vi", 0),
        ("a", "NAT-FR", "2026-12-31", "vc", 50),  # annual target of 2026
        ("a", "NAT-FR", "2027-12-31", "vc", 200),  # final target
        ("a", "NAT-FR", "2026-05-31", "va", 40),
    ]
    result = run(specs, rows)
    # final: 100·(40−0)/(200−0) = 20 ; annual: 100·(40−0)/(50−0) = 80
    assert result.ta[0, AXIS.index["NAT-FR"]] == pytest.approx(20.0)
    assert result.ta_annual[0, AXIS.index["NAT-FR"]] == pytest.approx(80.0)


def test_since_start_cumulative_annual_target_uses_the_flow_of_the_year():
    specs = [IndicatorSpec("a", "C", weight_nat=1, cumulative="since_start")]
    rows = [
        ("a", "NAT-FR", "2025-01-01", "vi", 0),
        ("a", "NAT-FR", "2025-12-31", "va", 100),  # cumulated at the end of 2025
        ("a", "NAT-FR", "2026-05-31", "va", 130),
        ("a", "NAT-FR", "2026-12-31", "vc", 160),  # cumulated target at the end of 2026
        ("a", "NAT-FR", "2027-12-31", "vc", 300),
    ]
    result = run(specs, rows)
    t = AXIS.index["NAT-FR"]
    # final: 100·130/300 = 43.33 ; annual from the end of 2025: 100·(130−100)/(160−100) = 100·30/60 = 50
    assert result.ta[0, t] == pytest.approx(43.3333, abs=1e-3)
    assert result.ta_annual[0, t] == pytest.approx(50.0)


def test_yearly_cumulative_is_recumulated_for_the_final_target():
    specs = [IndicatorSpec("a", "C", weight_nat=1, cumulative="yearly")]
    rows = [
        ("a", "NAT-FR", "2025-01-01", "vi", 0),
        ("a", "NAT-FR", "2025-06-30", "va", 40),
        ("a", "NAT-FR", "2025-12-31", "va", 90),  # year-to-date total of 2025
        ("a", "NAT-FR", "2026-05-31", "va", 30),  # year-to-date total of 2026 (restarted in January)
        ("a", "NAT-FR", "2026-12-31", "vc", 100),  # annual target 2026 (year-to-date)
        ("a", "NAT-FR", "2027-12-31", "vc", 300),  # final target, cumulated
    ]
    result = run(specs, rows)
    t = AXIS.index["NAT-FR"]
    # annual: 100·30/100 = 30 ; final: VI 0 + 2025 total 90 + 2026 so far 30 = 120 → 100·120/300 = 40
    assert result.ta_annual[0, t] == pytest.approx(30.0)
    assert result.ta[0, t] == pytest.approx(40.0)


def test_decumulate():
    periods = [month_index(2025, 11), month_index(2025, 12), month_index(2026, 1), month_index(2026, 2)]
    # since start: 10, 25, 40, 42 → flows 10, 15, 15, 2
    assert decumulate([10, 25, 40, 42], periods, yearly=False).tolist() == [10, 15, 15, 2]
    # yearly (restart in January): 10, 25 | 5, 12 → flows 10, 15, 5, 7
    assert decumulate([10, 25, 5, 12], periods, yearly=True).tolist() == [10, 15, 5, 7]
    flows = decumulate([10, np.nan, 40, 42], periods, yearly=False)
    assert np.isnan(flows[1]) and np.isnan(flows[2]) and flows[3] == 2


def all_departements(indicator, value_of, rows=None):
    rows = rows if rows is not None else []
    for code in AXIS.codes[AXIS.dept_slice]:
        rows += baseline(indicator, code) + [(indicator, code, "2026-05-31", "va", value_of(code))]
    return rows


def test_sum_aggregation_to_region_and_nation():
    specs = [IndicatorSpec("a", "C", weight_nat=1, weight_reg=1, weight_dept=1, aggregation=SUM)]
    result = run(specs, all_departements("a", lambda code: 1.0))
    # Bretagne has 4 départements: VA 4·1 = 4, VC 4·100 = 400 → TA 1 ; the nation 101 → TA 1
    assert result.va_last[0, AXIS.index["REG-53"]] == pytest.approx(4.0)
    assert result.vc[0, AXIS.index["REG-53"]] == pytest.approx(400.0)
    assert result.va_last[0, AXIS.index["NAT-FR"]] == pytest.approx(101.0)
    assert ta(result, "a", "NAT-FR") == pytest.approx(1.0)
    assert result.computed[0, AXIS.index["REG-53"]]


def test_aggregate_is_null_when_a_departement_is_missing():
    specs = [IndicatorSpec("a", "C", weight_reg=1, aggregation=SUM)]
    rows = [r for r in all_departements("a", lambda code: 1.0) if r[1] != "DEPT-35"]
    result = run(specs, rows)
    assert np.isnan(result.va_last[0, AXIS.index["REG-53"]])
    assert result.va_last[0, AXIS.index["REG-52"]] == pytest.approx(5.0)  # Pays de la Loire: 5 départements
    assert kinds(result, NOT_COMPUTABLE, indicator="a", territory="REG-53")


def test_rule_none_never_aggregates():
    specs = [IndicatorSpec("a", "C", weight_reg=1, aggregation=NONE)]
    result = run(specs, all_departements("a", lambda code: 1.0))
    assert np.isnan(result.va_last[0, AXIS.index["REG-53"]])
    assert not result.expected[0, AXIS.index["REG-53"]]


def test_weighted_means():
    members = np.array([[1.0], [1.0]])
    values = np.array([[[10.0], [40.0]]])  # (1 indicator, 2 members, 1 period)
    # population weights 3 and 1: (3·10 + 1·40) / 4 = 70 / 4 = 17.5
    assert aggregate(values, members, MEAN, np.array([[3.0, 1.0]]))[0, 0, 0] == pytest.approx(17.5)
    # denominators 1 and 1: (10 + 40) / 2 = 25
    assert aggregate(values, members, RATIO, np.array([[1.0, 1.0]]))[0, 0, 0] == pytest.approx(25.0)
    # a missing denominator makes the group null
    assert np.isnan(aggregate(values, members, RATIO, np.array([[1.0, np.nan]]))[0, 0, 0])


def test_ratio_rule_in_the_engine_uses_entered_denominators():
    specs = [IndicatorSpec("a", "C", weight_reg=1, aggregation=RATIO)]
    rows = all_departements("a", lambda code: 50.0 if code == "DEPT-35" else 20.0)
    rows += [
        ("a", code, "2026-01-01", "den", 3.0 if code == "DEPT-35" else 1.0) for code in AXIS.codes[AXIS.dept_slice]
    ]
    result = run(specs, rows)
    # Bretagne: 35 → 50 (den 3), 22/29/56 → 20 (den 1): (3·50 + 3·20) / 6 = 210 / 6 = 35
    assert result.va_last[0, AXIS.index["REG-53"]] == pytest.approx(35.0)


def test_entered_regional_value_is_kept_and_checked_against_the_aggregate():
    specs = [IndicatorSpec("a", "C", weight_reg=1, aggregation=SUM)]
    rows = all_departements("a", lambda code: 1.0)
    rows += [("a", "REG-53", "2026-05-31", "va", 5.0), ("a", "REG-52", "2026-05-31", "va", 5.0)]
    result = run(specs, rows)
    # Bretagne entered 5, aggregate 4 → inconsistency; Pays de la Loire entered 5 = aggregate 5 → none
    assert result.va_last[0, AXIS.index["REG-53"]] == pytest.approx(5.0)
    found = [(x["territory"], x["metric"], x["entered"], x["computed"]) for x in result.inconsistencies]
    assert found == [("REG-53", "va", 5.0, 4.0)]


def test_latest_value_of_a_month_wins_and_future_values_are_ignored():
    specs = [IndicatorSpec("a", "C", weight_nat=1)]
    rows = baseline("a", "NAT-FR") + [
        ("a", "NAT-FR", "2026-05-02", "va", 10),
        ("a", "NAT-FR", "2026-05-30", "va", 30),
        ("a", "NAT-FR", "2026-08-01", "va", 90),  # after as_of
    ]
    result = run(specs, rows)
    assert ta(result, "a", "NAT-FR") == pytest.approx(30.0)  # 100·30/100
