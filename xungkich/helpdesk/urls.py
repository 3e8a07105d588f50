"""Help desk pages (names are stable: the tickets desk, templates and tests use them)."""

from django.urls import URLPattern, URLResolver, path

from xungkich.helpdesk import views, views_offline

app_name = "helpdesk"

urlpatterns: list[URLPattern | URLResolver] = [
    path("desk/session/new/", views.session_new, name="session_new"),
    path("desk/offline/", views_offline.offline_desk, name="offline_desk"),
    path("desk/offline/state.json", views_offline.offline_state, name="offline_state"),
    path("desk/procedures/", views.procedure_search, name="procedure_search"),
    path("desk/session/<int:pk>/", views.session_detail, name="session_detail"),
    path("desk/session/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("desk/session/<int:pk>/tracking/", views.session_tracking, name="session_tracking"),
    path("desk/sessions/", views.session_list, name="session_list"),
    path("desk/issues/", views.issue_list, name="issue_list"),
    path("desk/issues/<int:pk>/close/", views.issue_close, name="issue_close"),
    path("followups/", views.followup_list, name="followup_list"),
    path("followups/<int:pk>/answer/", views.followup_answer, name="followup_answer"),
    path("help/rate/<str:token>/", views.rate, name="rate"),
    path("help/my-data/", views.my_data, name="my_data"),
]
