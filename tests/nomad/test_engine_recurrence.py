"""RRULE + EXDATE expansion over a bounded horizon, and the weekly telework cap (no database)."""

from datetime import date

import pytest

from communs.nomad.engine.recurrence import (
    HORIZON_DAYS,
    RecurrenceError,
    expand,
    parse_exdates,
    weeks_over_cap,
)


def test_weekly_tuesdays_with_an_exdate_on_the_third():
    # 5 Jan 2027 is a Tuesday: 5, 12, (19 excluded), 26.
    days = expand("FREQ=WEEKLY;BYDAY=TU;COUNT=4", date(2027, 1, 5), [date(2027, 1, 19)])
    assert days == [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 26)]


def test_no_rule_is_the_start_day_only_and_rrule_prefix_is_accepted():
    assert expand("", date(2027, 1, 6)) == [date(2027, 1, 6)]
    assert expand("RRULE:FREQ=DAILY;COUNT=2", date(2027, 1, 6)) == [date(2027, 1, 6), date(2027, 1, 7)]


def test_an_endless_rule_stops_at_the_horizon():
    days = expand("FREQ=DAILY", date(2027, 1, 1))
    assert days[0] == date(2027, 1, 1)
    assert len(days) == HORIZON_DAYS + 1  # both ends included
    assert len(expand("FREQ=WEEKLY", date(2027, 1, 1), horizon_days=14)) == 3  # 1, 8, 15 January


def test_bad_rules_and_exdates_name_the_field():
    with pytest.raises(RecurrenceError, match="rrule"):
        expand("FREQ=SOMETIMES", date(2027, 1, 1))
    with pytest.raises(RecurrenceError, match="DTSTART"):
        expand("DTSTART:20270101\nFREQ=DAILY", date(2027, 1, 1))
    with pytest.raises(RecurrenceError, match="exdate n° 2 « 2027-13-01 »"):
        parse_exdates("2027-01-19, 2027-13-01")


def test_weeks_over_cap_counts_existing_and_new_days_of_the_same_iso_week():
    existing = [date(2027, 1, 4), date(2027, 1, 5)]  # Monday, Tuesday of ISO week 1
    assert weeks_over_cap(existing, [date(2027, 1, 6)], 3) == {}  # 3 days: at the cap
    assert weeks_over_cap(existing, [date(2027, 1, 6), date(2027, 1, 7)], 3) == {(2027, 1): 4}
    # A full week elsewhere does not count against a new day in another week.
    assert weeks_over_cap([date(2027, 1, d) for d in (11, 12, 13, 14)], [date(2027, 1, 6)], 3) == {}
