"""The 10/10 demo campaign: loaded by load_demo, once (the command itself: test_history)."""

from __future__ import annotations

import pytest

from xungkich.campaigns.models import Activity, Campaign, Event
from xungkich.demo.area import load_demo
from xungkich.demo.campaigns import CAMPAIGN_NAME, load_demo_campaigns


@pytest.mark.django_db
def test_load_demo_adds_the_campaign_once():
    load_demo()
    load_demo_campaigns()
    load_demo_campaigns()
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    assert Campaign.objects.count() == 1
    assert campaign.start_date.month == 10 and campaign.end_date.day == 31
    event = Event.objects.get()
    assert event.starts_at.day in (9, 10) and event.capacity == 80
    assert sorted(Activity.objects.values_list("kind", flat=True)) == ["banners", "door_to_door"]
    assert campaign.units.count() == 3
    assert load_demo_campaigns() == campaign


@pytest.mark.django_db
def test_without_the_demo_units_nothing_is_loaded():
    assert load_demo_campaigns() is None
    assert not Campaign.objects.exists()
