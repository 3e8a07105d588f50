"""Planning pages (names are stable: templates, tests and the navigation use them)."""

from django.urls import URLPattern, path

from xungkich.rosters.plan import views

urlpatterns: list[URLPattern] = [
    path("plan/", views.period_list, name="period_list"),
    path("plan/new/", views.period_create, name="period_create"),
    path("plan/<int:pk>/", views.period_detail, name="period_detail"),
    path("plan/<int:pk>/solve/", views.period_solve, name="period_solve"),
    path("plan/<int:pk>/solve/cancel/", views.period_solve_cancel, name="period_solve_cancel"),
    path("plan/<int:pk>/progress/", views.period_progress, name="period_progress"),
    path("plan/<int:pk>/publish/", views.period_publish, name="period_publish"),
    path("plan/<int:pk>/refresh-shifts/", views.period_refresh, name="period_refresh"),
    path("plan/<int:pk>/instance.json", views.period_export, name="period_export"),
    path("plan/shifts/<int:pk>/add/", views.assignment_add, name="assignment_add"),
    path("plan/assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("points/", views.point_list, name="point_list"),
    path("points/new/", views.point_create, name="point_create"),
    path("points/<int:pk>/", views.point_detail, name="point_detail"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<int:pk>/patterns/new/", views.pattern_create, name="pattern_create"),
    path("patterns/<int:pk>/edit/", views.pattern_edit, name="pattern_edit"),
    path("patterns/<int:pk>/active/", views.pattern_set_active, name="pattern_set_active"),
    path("closed-days/", views.closed_days, name="closed_days"),
    path("closed-days/<int:pk>/remove/", views.closed_day_remove, name="closed_day_remove"),
]
