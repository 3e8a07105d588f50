"""Queue pages (names are stable: templates, tests and the help desk rely on them)."""

from django.urls import URLPattern, URLResolver, path

from xungkich.tickets import views

app_name = "tickets"

urlpatterns: list[URLPattern | URLResolver] = [
    # Citizens, no account
    path("q/<int:point_id>/", views.take, name="take"),
    path("q/t/<str:token>/", views.ticket, name="ticket"),
    path("q/t/<str:token>/cancel/", views.ticket_cancel, name="ticket_cancel"),
    path("q/<int:point_id>/poster/", views.poster, name="poster"),
    path("q/<int:point_id>/poster.pdf", views.poster_pdf, name="poster_pdf"),
    # The kiosk tablet
    path("kiosk/", views.kiosk_index, name="kiosk_index"),
    path("kiosk/<int:point_id>/", views.kiosk, name="kiosk"),
    path("kiosk/<int:point_id>/t/<str:token>/", views.kiosk_issued, name="kiosk_issued"),
    # The TV board (public, no personal data)
    path("board/<int:point_id>/", views.board, name="board"),
    # The volunteer's desk
    path("desk/queue/", views.desk_index, name="desk_index"),
    path("desk/queue/<int:point_id>/", views.desk, name="desk"),
    path("desk/queue/<int:point_id>/call/", views.desk_call_next, name="desk_call_next"),
    path("desk/queue/tickets/<int:pk>/", views.desk_ticket_action, name="desk_ticket_action"),
]
