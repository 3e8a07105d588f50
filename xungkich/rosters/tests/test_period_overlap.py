"""Two roster periods must not plan the same service points on the same days (they would both be
solved and published, and the points staffed twice): refused at creation and at publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xungkich.core.errors import DomainError
from xungkich.rosters import services
from xungkich.rosters.models import RosterPeriod
from xungkich.rosters.tests.mine_data import make_point, make_roster

MONDAY = dt.date(2030, 1, 7)  # far ahead: nothing has started


@pytest.fixture
def week(units):
    """Hội An's published week 07/01–13/01/2030 at its centre."""
    return make_roster(units["hoian"], start=MONDAY, days=7, demand=3, publish=True)


def create(unit, start, days=7, name="Lịch trực trùng"):
    return services.create_period(by=None, unit=unit, name=name, start=start, days=days)


def test_a_period_over_the_same_days_of_the_same_unit_is_refused(week, units):
    with pytest.raises(DomainError) as caught:
        create(units["hoian"], MONDAY + dt.timedelta(days=3))
    assert caught.value.code == "period_overlap"
    message = str(caught.value)
    assert week.period.name in message
    assert "07/01/2030" in message and "13/01/2030" in message
    assert "trùng" in message  # Vietnamese by default
    assert not RosterPeriod.objects.filter(name="Lịch trực trùng").exists()
    assert RosterPeriod.objects.count() == 1


@pytest.mark.parametrize("start", [MONDAY - dt.timedelta(days=6), MONDAY + dt.timedelta(days=6)])
def test_one_shared_day_is_enough(week, units, start):
    with pytest.raises(DomainError) as caught:
        create(units["hoian"], start)
    assert caught.value.code == "period_overlap"


@pytest.mark.parametrize("start", [MONDAY - dt.timedelta(days=7), MONDAY + dt.timedelta(days=7)])
def test_the_days_before_and_after_are_free(week, units, start):
    period = create(units["hoian"], start)
    assert period.shifts.count() == 7


def test_a_unit_below_with_its_own_point_clashes_with_the_wards_period(week, units):
    """The ward's period plans every point below it, the branch's point too."""
    make_point(units["branch"], name="Điểm hỗ trợ Minh An", address="")
    with pytest.raises(DomainError) as caught:
        create(units["branch"], MONDAY)
    assert caught.value.code == "period_overlap"


def test_units_that_share_no_point_do_not_clash(week, units):
    make_point(units["other"], name="Điểm hỗ trợ Hải Châu", address="")
    period = create(units["other"], MONDAY)
    assert period.unit == units["other"]


def test_publishing_over_an_already_published_period_is_refused(week, units):
    # An overlap made before the rule (or behind its back) still may not be published twice.
    twin = RosterPeriod.objects.create(unit=units["hoian"], name="Tuần trùng", start=MONDAY, days=3)
    services.generate_shifts(period=twin)
    with pytest.raises(DomainError) as caught:
        services.publish_period(by=None, period=twin)
    assert caught.value.code == "period_overlap"
    assert week.period.name in str(caught.value) and "07/01/2030–13/01/2030" in str(caught.value)
    twin.refresh_from_db()
    assert twin.status == RosterPeriod.Status.DRAFT and twin.published_at is None


def test_publishing_again_the_same_period_is_not_an_overlap(week):
    period = services.publish_period(by=None, period=week.period)
    assert period.status == RosterPeriod.Status.PUBLISHED


# --- the pages ---


@pytest.fixture
def coord(client_for, coordinator):
    return client_for(coordinator)


def test_the_new_period_form_names_the_other_period(coord, week, units):
    response = coord.post(
        reverse("rosters:period_create"),
        {
            "name": "Tuần trùng",
            "unit": units["hoian"].pk,
            "start": "10/01/2030",
            "days": "7",
            "max_shifts_per_day": "1",
            "min_rest_hours": "10",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and week.period.name in errors[0] and "07/01/2030–13/01/2030" in errors[0]
    assert week.period.name in response.content.decode()
    assert not RosterPeriod.objects.filter(name="Tuần trùng").exists()


def test_the_publish_page_shows_the_refusal(coord, week, units):
    twin = RosterPeriod.objects.create(unit=units["hoian"], name="Tuần trùng", start=MONDAY, days=3)
    services.generate_shifts(period=twin)
    response = coord.post(reverse("rosters:period_publish", args=[twin.pk]), follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any(week.period.name in m and "07/01/2030–13/01/2030" in m for m in shown), shown
    twin.refresh_from_db()
    assert twin.status == RosterPeriod.Status.DRAFT


# --- at once ---


@pytest.mark.django_db(transaction=True)
def test_of_periods_created_at_once_over_the_same_days_one_is_made(units):
    """Coordinators of the ward and of its branch both plan the same week at the same moment."""
    import threading

    from django.db import connections

    make_point(units["hoian"])
    make_point(units["branch"], name="Điểm hỗ trợ Minh An", address="")
    unit_for = [units["hoian"], units["branch"]] * 3
    barrier = threading.Barrier(len(unit_for))
    results: list[object] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcome: object = create(unit_for[n], MONDAY, name=f"Tuần {n}")
        except DomainError as exc:
            outcome = exc.code
        except Exception as exc:  # a database error would be a failure of the locking
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(unit_for))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    made = [r for r in results if isinstance(r, RosterPeriod)]
    assert len(made) == 1, results
    assert sorted(r for r in results if isinstance(r, str)) == ["period_overlap"] * (len(unit_for) - 1)
    assert RosterPeriod.objects.count() == 1
