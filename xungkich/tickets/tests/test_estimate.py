"""The wait estimate: plain data, no database."""

import datetime as dt

from xungkich.tickets.estimate import (
    DEFAULT_SERVICE_MINUTES,
    active_desks,
    estimate_wait,
    median_service_minutes,
)

M = dt.timedelta(minutes=1)
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_without_data_the_default_is_used_and_said():
    estimate = estimate_wait(ahead=3, durations=[], desks=0)
    assert estimate.measured is False
    assert estimate.service_minutes == DEFAULT_SERVICE_MINUTES
    assert estimate.desks == 1
    assert estimate.minutes == 24


def test_median_of_todays_times_shared_among_desks():
    estimate = estimate_wait(ahead=5, durations=[4 * M, 6 * M, 30 * M], desks=2)
    assert estimate.measured is True
    assert estimate.service_minutes == 6.0  # the median, one long case does not dominate
    assert estimate.minutes == 15  # ceil(5 * 6 / 2)
    assert estimate.samples == 3


def test_nobody_ahead_waits_nothing():
    assert estimate_wait(ahead=0, durations=[5 * M], desks=1).minutes == 0


def test_rounds_up_to_whole_minutes():
    assert estimate_wait(ahead=1, durations=[dt.timedelta(seconds=90)], desks=1).minutes == 2


def test_median_ignores_negative_durations_and_is_none_without_data():
    assert median_service_minutes([]) is None
    assert median_service_minutes([-M]) is None
    assert median_service_minutes([2 * M, 4 * M, -M]) == 3.0


def test_active_desks_are_distinct_and_recent():
    calls = [
        ("Bàn 1", NOW - 5 * M),
        ("Bàn 1", NOW - 10 * M),
        ("Bàn 2", NOW - 59 * M),
        ("Bàn 3", NOW - 61 * M),
        ("", NOW),
    ]
    assert active_desks(calls, now=NOW) == 2
