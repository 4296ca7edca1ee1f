"""Catering forecast: ratio per weekday, error band, MAPE (no database; hand calculations in comments)."""

from datetime import date, timedelta

from communs.nomad.engine.forecast import DEFAULT_RATIO, Day, forecast, mape
from communs.nomad.engine.occupancy import Occupancy, suppressed

TUESDAY = date(2027, 3, 2)


def tuesdays(ratio, presents):
    return [
        Day(TUESDAY - timedelta(weeks=n + 1), present, round(ratio * present)) for n, present in enumerate(presents)
    ]


def test_hundred_agents_with_a_tuesday_uptake_of_0_6():
    # Eight past Tuesdays at exactly 0.6 (presents multiple of 5 so meals are exact): ratio 0.6.
    history = tuesdays(0.6, [100, 90, 80, 95, 85, 100, 70, 75])
    for present in (100, 73, 41, 0):
        result = forecast(TUESDAY, present, history)
        assert result.ratio == 0.6
        assert result.meals == round(0.6 * present)  # 60, 44 (43.8), 25 (24.6), 0
        # No spread in the daily ratios: the band is 0.6 × present rounded down and up (43 to 44 for 73).
        assert result.low == int(0.6 * present + 1e-9) and result.high - result.low <= 1


def test_other_weekdays_do_not_leak_into_tuesday_and_unknown_weekday_uses_the_default():
    history = tuesdays(0.6, [100, 100]) + [Day(TUESDAY - timedelta(days=6), 100, 20)]  # a Wednesday at 0.2
    assert forecast(TUESDAY, 50, history).meals == 30
    wednesday = forecast(TUESDAY + timedelta(days=1), 50, history)
    assert wednesday.ratio == 0.2 and wednesday.meals == 10
    thursday = forecast(TUESDAY + timedelta(days=2), 50, history)
    assert thursday.ratio == DEFAULT_RATIO and thursday.history_days == 0


def test_band_from_the_daily_ratios():
    # Daily ratios 0.5, 0.6, 0.7 (presents 100): ratio of sums 0.6; P10 = 0.52, P90 = 0.68.
    history = [Day(TUESDAY - timedelta(weeks=n), 100, meals) for n, meals in ((1, 50), (2, 60), (3, 70))]
    result = forecast(TUESDAY, 50, history)
    assert result.meals == 30
    assert (result.low, result.high) == (26, 34)  # floor(0.52 × 50) = 26, ceil(0.68 × 50) = 34


def test_mape_replays_the_last_weeks():
    # Tuesdays: 4 weeks ago 100 → 50 meals, 3 weeks ago 100 → 60, 2 weeks ago 100 → 60, last week 100 → 45.
    # Replay: 3 weeks ago forecast 50 (from 0.5) vs 60 → 1/6; 2 weeks ago ratio (50+60)/200 = 0.55 → 55 vs 60
    # → 1/12; last week ratio 170/300 → 57 vs 45 → 12/45. Mean = (0.1667 + 0.0833 + 0.2667) / 3 = 17.2 %.
    today = TUESDAY
    rows = [Day(today - timedelta(weeks=w), 100, m) for w, m in ((4, 50), (3, 60), (2, 60), (1, 45))]
    assert mape(rows, weeks=4, today=today) == 17.2
    assert mape([], weeks=4, today=today) is None


def test_groups_under_five_people_are_suppressed():
    rows = [Occupancy("A", 10, 4, 4, 0, 0, people=4), Occupancy("B", 10, 6, 5, 1, 2, people=5)]
    shown, hidden = suppressed(rows)
    assert [row.label for row in shown] == ["B"] and hidden == 1
