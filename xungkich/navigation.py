"""Navigation entries shown to each role (the pages they may open).

A template context processor at project level, beside ``urls.py``: the menu names the pages of every
app, so it sits at the edge with the URL configuration rather than in ``core``, which knows no domain.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xungkich.helpdesk import access as helpdesk_access
from xungkich.people.models import Role
from xungkich.people.scope import can_manage_people


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items: list[tuple[str, str]] = []
    if user.is_authenticated:
        items.append((reverse("home"), _("Home")))
        if hasattr(user, "volunteer"):
            items.append((reverse("rosters:my_shifts"), _("My shifts")))
            items.append((reverse("rosters:my_hours"), _("My hours")))
        if can_manage_people(user):
            items.append((reverse("people:volunteer_list"), _("Volunteers")))
            items.append((reverse("account_list"), _("Accounts")))
            items.append((reverse("signup_requests"), _("Sign-up requests")))
        if user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER, Role.VIEWER):
            items.append((reverse("people:unit_list"), _("Units")))
        if can_manage_people(user):  # roster plans name volunteers: not for the figures-only viewer
            items.append((reverse("rosters:period_list"), _("Rosters")))
        if user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER, Role.VIEWER):
            items.append((reverse("reports:dashboard"), _("Reports")))
        if can_manage_people(user):
            items.append((reverse("rosters:desk_index"), _("Duty desk")))
        if user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER, Role.VOLUNTEER):
            items.append((reverse("tickets:desk_index"), _("Queue")))
        if user.role == Role.KIOSK:
            items.append((reverse("tickets:kiosk_index"), _("Kiosk")))
        if helpdesk_access.can_record(user):
            items.append((reverse("helpdesk:session_new"), _("Help desk")))
            items.append((reverse("helpdesk:offline_desk"), _("Offline desk")))
        if helpdesk_access.can_record(user):  # viewers read figures only, not session records
            items.append((reverse("helpdesk:session_list"), _("Help sessions")))
        if helpdesk_access.can_record(user):
            items.append((reverse("helpdesk:followup_list"), _("Follow-up calls")))
        if user.is_superuser or user.role == Role.COORDINATOR:
            items.append((reverse("helpdesk:my_data"), _("Data requests")))
        if user.is_superuser or (user.unit_id and user.role != Role.KIOSK):
            items.append((reverse("campaigns:campaign_list"), _("Campaigns")))
        if user.is_superuser or user.role == Role.COORDINATOR:
            items.append((reverse("guides:manage_list"), _("Guides")))
            items.append((reverse("core:audit_list"), _("Audit log")))
        items.append((reverse("search:search"), _("Search procedures")))
        if user.role != Role.KIOSK or user.is_superuser:
            items.append((reverse("profile"), _("My profile")))
    # A kiosk stands in front of citizens: its pages show no staff menu and no "Sign out".
    kiosk_mode = bool(user.is_authenticated and user.role == Role.KIOSK)
    return {"nav_items": items, "kiosk_mode": kiosk_mode}
