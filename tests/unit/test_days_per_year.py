"""The yearly day cap counts each day in its own calendar year: the split, and the engine, pool and optimiser."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from workflow.matching import CandidatePool, Period, rank, staff, violations
from workflow.matching.years import calendar_days_per_year, days_per_year

from .test_matching import make_candidate, make_slot

# --- the split ---------------------------------------------------------------------------------------


def test_dec_28_to_jan_3_counts_four_days_in_december_and_three_in_january():
    assert calendar_days_per_year(date(2026, 12, 28), date(2027, 1, 3)) == {2026: 4, 2027: 3}
    assert days_per_year(date(2026, 12, 28), date(2027, 1, 3), 7) == {2026: 4, 2027: 3}


def test_fewer_working_days_than_calendar_days_are_shared_in_proportion_with_the_total_kept():
    # 5 x 4/7 = 2.86 and 5 x 3/7 = 2.14: 2 + 2, and the day left goes to the larger remainder (December)
    assert days_per_year(date(2026, 12, 28), date(2027, 1, 3), 5) == {2026: 3, 2027: 2}
    # 3 x 4/7 = 1.71 and 3 x 3/7 = 1.29: 1 + 1, the day left to December
    assert days_per_year(date(2026, 12, 28), date(2027, 1, 3), 3) == {2026: 2, 2027: 1}


def test_equal_remainders_give_the_day_left_to_the_earlier_year():
    # 31 Dec - 1 Jan, one working day: half a day each; December takes it
    assert days_per_year(date(2026, 12, 31), date(2027, 1, 1), 1) == {2026: 1}
    assert days_per_year(date(2026, 12, 31), date(2027, 1, 1), 3) == {2026: 2, 2027: 1}


def test_a_single_day_and_an_activity_within_one_year_keep_all_their_days_in_that_year():
    assert days_per_year(date(2027, 1, 1), date(2027, 1, 1), 1) == {2027: 1}
    assert days_per_year(date(2026, 12, 31), date(2026, 12, 31), 1) == {2026: 1}
    assert days_per_year(date(2027, 3, 1), date(2027, 9, 30), 10) == {2027: 10}  # long remote work


def test_leap_years_count_the_29th_of_february():
    assert calendar_days_per_year(date(2027, 7, 1), date(2028, 6, 30)) == {2027: 184, 2028: 182}
    assert calendar_days_per_year(date(2026, 7, 1), date(2027, 6, 30)) == {2026: 184, 2027: 181}
    # 10 x 184/366 = 5.03 and 10 x 182/366 = 4.97: 5 + 4, the day left to 2028's larger remainder
    assert days_per_year(date(2027, 7, 1), date(2028, 6, 30), 10) == {2027: 5, 2028: 5}
    assert days_per_year(date(2028, 2, 28), date(2029, 1, 2), 310) == {2028: 308, 2029: 2}


def test_a_period_over_three_years_counts_every_year():
    assert calendar_days_per_year(date(2026, 12, 31), date(2028, 1, 1)) == {2026: 1, 2027: 365, 2028: 1}
    assert days_per_year(date(2026, 12, 31), date(2028, 1, 1), 367) == {2026: 1, 2027: 365, 2028: 1}
    assert days_per_year(date(2026, 12, 31), date(2028, 1, 1), 10) == {2027: 10}  # the edges round to nothing


@pytest.mark.parametrize("seed", range(40))
def test_the_working_days_total_is_kept_exactly_and_equal_days_give_each_year_its_own(seed):
    rng = random.Random(seed)
    start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1500))
    end = start + timedelta(days=rng.randint(0, 800))
    calendar = calendar_days_per_year(start, end)
    span = sum(calendar.values())
    assert span == (end - start).days + 1
    working = rng.randint(1, 366)
    split = days_per_year(start, end, working)
    assert sum(split.values()) == working
    assert set(split) <= set(calendar)
    for year, days in split.items():  # never more than one day away from the exact proportion
        assert abs(days - working * calendar[year] / span) < 1
    assert days_per_year(start, end, span) == calendar


def test_no_working_days_and_backwards_periods():
    assert days_per_year(date(2026, 12, 28), date(2027, 1, 3), 0) == {}
    with pytest.raises(ValueError):
        days_per_year(date(2027, 1, 3), date(2026, 12, 28), 7)
    with pytest.raises(ValueError):
        days_per_year(date(2027, 1, 3), date(2027, 1, 2), 1)
    with pytest.raises(ValueError):
        days_per_year(date(2027, 1, 1), date(2027, 1, 2), -1)


# --- the engine's cap rule, the pool and the optimiser -----------------------------------------------

NEW_YEAR = Period(date(2026, 12, 28), date(2027, 1, 3))


def new_year_slot(**changes):
    return make_slot(**{"period": NEW_YEAR, "working_days": 7, **changes})


def test_the_january_days_of_a_new_year_activity_count_in_the_next_year():
    # 20 days booked in January 2027, cap 22: the 3 January days take 2027 to 23
    candidate = make_candidate(day_cap=22, days_booked={2027: 20})
    found = violations(candidate, new_year_slot())
    assert [v.rule for v in found] == ["day_cap"]
    assert found[0].message == ("Above the yearly day cap: cap of 22 days in 2027: 20 booked + 3 of this slot's "
                                "7 days that fall in 2027 = 23.")
    assert found[0].data == {"cap": 22, "year": 2027, "booked": 20, "days": 3, "total": 23, "slot_days": 7}


def test_the_december_days_count_in_the_year_the_activity_starts():
    assert violations(make_candidate(day_cap=22, days_booked={2026: 18, 2027: 19}), new_year_slot()) == []
    found = violations(make_candidate(day_cap=22, days_booked={2026: 19, 2027: 20}), new_year_slot())
    assert [(v.rule, v.data["year"], v.data["total"]) for v in found] == [("day_cap", 2026, 23), ("day_cap", 2027, 23)]


def test_a_slot_within_one_year_keeps_its_message():
    found = violations(make_candidate(day_cap=60, days_booked={2027: 57}), make_slot())
    assert found[0].message == "Above the yearly day cap: cap of 60 days in 2027: 57 booked + 4 for this slot = 61."
    assert "slot_days" not in found[0].data


def test_ranking_and_the_pool_leave_out_an_expert_over_the_next_years_cap():
    over = make_candidate(1, day_cap=22, days_booked={2027: 20})
    fits = make_candidate(2, day_cap=22, days_booked={2026: 18, 2027: 19})
    slot = new_year_slot()
    assert [r.candidate.expert_id for r in rank(slot, [over, fits])] == [2]
    assert [r.candidate.expert_id for r in rank(slot, [over, fits], limit=None)] == [2]
    assert [r.candidate.expert_id for r in CandidatePool([over, fits]).rank(slot)] == [2]


def test_the_optimiser_counts_a_new_year_slot_in_both_years():
    # Room for 3 more days in 2027: the January slot (3 days) fits, but not together with the new-year slot's 3
    expert = make_candidate(1, day_cap=23, days_booked={2027: 20})
    january = make_slot(slot_id=2, activity_id=11, period=Period(date(2027, 1, 20), date(2027, 1, 22)),
                        working_days=3)
    plan = staff([new_year_slot(slot_id=1, working_days=7), january], [expert])
    assert len(plan.assignments) == 1
    assert sum(plan.unfilled.values()) == 1
    roomy = make_candidate(1, day_cap=26, days_booked={2027: 20})
    plan = staff([new_year_slot(slot_id=1, working_days=7), january], [roomy])
    assert sorted((a.slot_id, a.expert_id) for a in plan.assignments) == [(1, 1), (2, 1)]
