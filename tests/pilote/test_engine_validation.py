"""Plausibility rules of an entered value (table-driven)."""

from datetime import date

import pytest

from communs.pilote.engine.validation import check_value

TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("unit", "aggregation", "metric", "when", "value", "fields"),
    [
        ("%", "mean", "va", date(2026, 5, 31), 45.0, []),  # a plausible percentage
        ("%", "mean", "va", date(2026, 5, 31), 4500.0, ["value"]),  # typed without the decimal point
        ("%", "mean", "va", date(2026, 5, 31), -1.0, ["value"]),
        ("logements", "sum", "va", date(2026, 5, 31), -3.0, ["value"]),  # a count cannot be negative
        ("logements", "none", "va", date(2026, 5, 31), -3.0, []),  # a balance may be
        ("logements", "sum", "va", date(2026, 7, 1), 3.0, ["date"]),  # current value in the future
        ("logements", "sum", "vc", date(2027, 12, 31), 3.0, []),  # a target is dated in the future
        ("élèves", "ratio", "den", date(2026, 5, 31), 0.0, ["value"]),
        ("%", "mean", "va", date(2026, 5, 31), None, []),  # null is allowed (unknown)
    ],
)
def test_check_value(unit, aggregation, metric, when, value, fields):
    problems = check_value(unit=unit, aggregation=aggregation, metric=metric, when=when, value=value, today=TODAY)
    assert [field for field, _ in problems] == fields
