from django.urls import URLPattern, path

from xungkich.rosters.mine import views

# The volunteers' own pages, the calendar feed, signed reminder links, leaders' unconfirmed list.
urlpatterns: list[URLPattern] = [
    path("mine/", views.my_shifts, name="my_shifts"),
    path("mine/open/", views.open_shifts, name="open_shifts"),
    path("mine/shifts/<int:pk>/take/", views.shift_take, name="shift_take"),
    path("mine/assignments/<int:pk>/confirm/", views.assignment_confirm, name="assignment_confirm"),
    path("mine/assignments/<int:pk>/cant-come/", views.assignment_cant_come, name="assignment_cant_come"),
    path("mine/assignments/<int:pk>/offer/", views.assignment_offer, name="assignment_offer"),
    path("mine/calendar/new-link/", views.calendar_rotate, name="calendar_rotate"),
    path("mine/availability/", views.availability_page, name="availability"),
    path("mine/availability/one-off/", views.availability_add_one_off, name="availability_add_one_off"),
    path("mine/availability/weekly/", views.availability_add_weekly, name="availability_add_weekly"),
    path("mine/availability/timetable/", views.availability_add_timetable, name="availability_add_timetable"),
    path("mine/availability/preferences/", views.availability_preferences, name="availability_preferences"),
    path("mine/availability/<int:pk>/remove/", views.availability_remove, name="availability_remove"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("link/<str:token>/", views.signed_action, name="signed_action"),
    path("unconfirmed/", views.unconfirmed, name="unconfirmed"),
]
