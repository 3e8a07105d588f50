from django.urls import reverse


def menu(client, user):
    response = client(user).get(reverse("home"))
    return [url for url, _label in response.context["nav_items"]]


def test_each_role_gets_the_pages_it_may_open(
    client_for, coordinator, unit_leader, viewer, kiosk, volunteer_user
):
    assert menu(client_for, coordinator) == [
        reverse("home"),
        reverse("people:volunteer_list"),
        reverse("account_list"),
        reverse("signup_requests"),
        reverse("people:unit_list"),
        reverse("rosters:period_list"),
        reverse("reports:dashboard"),
        reverse("rosters:desk_index"),
        reverse("tickets:desk_index"),
        reverse("helpdesk:session_new"),
        reverse("helpdesk:offline_desk"),
        reverse("helpdesk:session_list"),
        reverse("helpdesk:followup_list"),
        reverse("helpdesk:my_data"),
        reverse("campaigns:campaign_list"),
        reverse("guides:manage_list"),
        reverse("core:audit_list"),
        reverse("search:search"),
        reverse("profile"),
    ]
    assert reverse("people:volunteer_list") in menu(client_for, unit_leader)
    assert reverse("signup_requests") in menu(client_for, unit_leader)
    assert reverse("account_list") in menu(client_for, unit_leader)
    assert reverse("core:audit_list") not in menu(client_for, unit_leader)
    assert reverse("rosters:period_list") in menu(client_for, unit_leader)
    assert reverse("campaigns:campaign_list") in menu(client_for, unit_leader)
    assert menu(client_for, viewer) == [
        reverse("home"),
        reverse("people:unit_list"),
        reverse("reports:dashboard"),
        reverse("campaigns:campaign_list"),
        reverse("search:search"),
        reverse("profile"),
    ]
    assert reverse("reports:dashboard") in menu(client_for, unit_leader)
    assert reverse("tickets:desk_index") in menu(client_for, unit_leader)
    assert menu(client_for, kiosk) == [
        reverse("home"),
        reverse("tickets:kiosk_index"),
        reverse("search:search"),
    ]
    assert menu(client_for, volunteer_user) == [
        reverse("home"),
        reverse("rosters:my_shifts"),
        reverse("rosters:my_hours"),
        reverse("tickets:desk_index"),
        reverse("helpdesk:session_new"),
        reverse("helpdesk:offline_desk"),
        reverse("helpdesk:session_list"),
        reverse("helpdesk:followup_list"),
        reverse("campaigns:campaign_list"),
        reverse("search:search"),
        reverse("profile"),
    ]
