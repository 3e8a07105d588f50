"""Check-in, the desk, hours and certificates (names below are stable: templates and tests use them)."""

from django.urls import URLPattern, path

from xungkich.rosters.attendance import views

urlpatterns: list[URLPattern] = [
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("points/<int:pk>/poster/", views.point_poster, name="point_poster"),
    path("points/<int:pk>/poster.pdf", views.point_poster_pdf, name="point_poster_pdf"),
    path("points/<int:pk>/poster/new-code/", views.point_poster_rotate, name="point_poster_rotate"),
    path("desk/", views.desk_index, name="desk_index"),
    path("points/<int:pk>/desk/", views.desk, name="desk"),
    path("desk/assignments/<int:pk>/", views.desk_action, name="desk_action"),
    path("my-hours/", views.my_hours, name="my_hours"),
    path("my-hours/certificate.pdf", views.my_certificate, name="my_certificate"),
    path("volunteers/<int:pk>/certificate.pdf", views.volunteer_certificate, name="volunteer_certificate"),
    path("units/<int:pk>/hours/", views.unit_hours, name="unit_hours"),
    path("units/<int:pk>/hours.csv", views.unit_hours_csv, name="unit_hours_csv"),
]
