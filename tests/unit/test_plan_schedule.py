"""The timing of a plan: offsets from its anchor and back to dates, without a database."""

from datetime import date

import pytest

from workflow.plans.schedule import Timing, anchor_of, dates_at, timings

# Mexico IV's activities (seed 000 and the demo portfolio): remote planning, two trainings, a workshop.
MEXICO_IV = [(date(2021, 7, 5), date(2021, 10, 29)), (date(2022, 3, 14), date(2022, 3, 18)),
             (date(2022, 6, 20), date(2022, 6, 24)), (date(2023, 2, 13), date(2023, 2, 15))]


def test_the_anchor_is_the_earliest_start_whatever_the_order():
    assert anchor_of(reversed(MEXICO_IV)) == date(2021, 7, 5)
    assert anchor_of([]) is None


def test_timings_count_days_from_the_anchor_and_both_ends_of_each_activity():
    assert timings(MEXICO_IV) == [Timing(0, 117), Timing(252, 5), Timing(350, 5), Timing(588, 3)]
    assert timings([(date(2026, 5, 4), date(2026, 5, 4))]) == [Timing(0, 1)]  # a one-day activity lasts a day
    assert timings([]) == []


def test_dates_from_a_new_anchor_keep_every_gap_and_length():
    anchor = date(2027, 3, 1)
    moved = [dates_at(anchor, t) for t in timings(MEXICO_IV)]
    assert moved[0] == (date(2027, 3, 1), date(2027, 6, 25))
    assert [(s - moved[0][0], e - s) for s, e in moved] == [(s - MEXICO_IV[0][0], e - s) for s, e in MEXICO_IV]


def test_leap_days_are_counted_as_days():
    (timing,) = timings([(date(2024, 2, 28), date(2024, 3, 1))])
    assert timing == Timing(0, 3)
    assert dates_at(date(2025, 2, 28), timing) == (date(2025, 2, 28), date(2025, 3, 2))


def test_dates_past_the_calendar_raise_overflow():
    with pytest.raises(OverflowError):
        dates_at(date(9999, 12, 1), Timing(40, 1))
