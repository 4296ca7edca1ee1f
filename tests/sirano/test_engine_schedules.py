"""Funding schedules: integer cents, half-up, the last tranche absorbs the remainder."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communs.sirano.engine.money import AmountError, format_cents, parse_amount, to_cents
from communs.sirano.engine.schedules import Schedule, ScheduleError, parse_percents, split_award


def test_500k_with_30_30_30_10():
    # 50 000 000 cents × 30 % = 15 000 000 → T2 = 150 000,00 €; last = 50 000 000 − 45 000 000
    amounts = split_award(to_cents(Decimal("500000.00")), parse_percents("30,30,30,10"))
    assert [format_cents(a) for a in amounts] == ["150000.00", "150000.00", "150000.00", "50000.00"]


def test_last_tranche_absorbs_the_remainder():
    # 100,01 € = 10 001 cents, rounded half-up on the cumulative share:
    # 33.3333 % → 3 333.67 → 3 334; 66.6666 % → 6 667.33 → 6 667, so T2 = 6 667 − 3 334 = 3 333;
    # the last takes 10 001 − 6 667 = 3 334.
    assert split_award(10_001, [Decimal("33.3333"), Decimal("33.3333"), Decimal("33.3334")]) == [3334, 3333, 3334]


def test_rounding_never_overshoots_the_award():
    # Eight tranches of 12.5 % of 4 cents: each is 0.5 cent. Rounded one by one they would all be 1 (8 > 4);
    # on the cumulative share: 0.5 → 1, 1 → 1, 1.5 → 2, 2 → 2, 2.5 → 3, 3 → 3, 3.5 → 4, then 4.
    assert split_award(4, [Decimal("12.5")] * 8) == [1, 0, 1, 0, 1, 0, 1, 0]


@pytest.mark.parametrize("text", ["30,30,30,9", "50,51", "100,0", "-10,110"])
def test_schedule_not_summing_to_100_or_with_a_non_positive_share_is_rejected(text):
    with pytest.raises(ScheduleError):
        split_award(50_000_000, parse_percents(text))


def test_non_positive_award_is_rejected():
    with pytest.raises(ScheduleError):
        split_award(0, [Decimal(100)])


def test_schedule_milestones_must_follow_each_other():
    with pytest.raises(ScheduleError):
        Schedule.from_rows([("fin_inclusions", "50"), ("notification", "50")])
    schedule = Schedule.from_rows([("notification", "40"), ("resultats_publies", "60")])
    assert [t.cents for t in schedule.amounts(1001)] == [400, 601]  # 1001 × 0,4 = 400,4 → 400; 601


percent_lists = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=8).map(
    lambda weights: _to_percents(weights)
)


def _to_percents(weights):
    """Positive percentages with up to 3 decimals summing to exactly 100."""
    total = sum(weights)
    percents = [(Decimal(100) * w / total).quantize(Decimal("0.001")) for w in weights[:-1]]
    percents = [p for p in percents if p > 0]
    rest = Decimal(100) - sum(percents, Decimal(0))
    if rest <= 0:
        return [Decimal(100)]
    return [*percents, rest]


@given(award=st.integers(min_value=1, max_value=10**13), percents=percent_lists)
def test_tranches_always_sum_to_the_award(award, percents):
    amounts = split_award(award, percents)
    assert sum(amounts) == award
    assert all(amount >= 0 for amount in amounts)
    assert len(amounts) == len(percents)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("500 000,00 €", 50_000_000), ("500000.00", 50_000_000), ("1.234.567,89", 123_456_789),
     ("1,234,567.89", 123_456_789), (500000, 50_000_000), (1234.565, 123_457), ("0,005", 1)],
)  # fmt: skip
def test_amounts_as_people_write_them(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["", "abc", float("nan"), float("inf"), "NaN", "1e400x"])
def test_unreadable_amounts_are_refused(text):
    with pytest.raises(AmountError):
        parse_amount(text)
