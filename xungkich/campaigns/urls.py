"""Campaign pages under /campaigns/ and /events/; public event pages under /e/. Names are stable."""

from django.urls import URLPattern, URLResolver, path

from xungkich.campaigns import views, views_public

app_name = "campaigns"

urlpatterns: list[URLPattern | URLResolver] = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("campaigns/<int:pk>/events/new/", views.event_create, name="event_create"),
    path("campaigns/activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("campaigns/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("campaigns/activities/<int:pk>/photos/", views.activity_photo_add, name="activity_photo_add"),
    path("campaigns/photos/<int:pk>/", views.activity_photo, name="activity_photo"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/checkin/", views.event_checkin, name="event_checkin"),
    path("events/<int:pk>/attendance.xlsx", views.event_export, name="event_export"),
    path("events/registrations/<int:pk>/checkin/", views.registration_checkin, name="registration_checkin"),
    path("events/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("e/<str:code>/", views_public.signup, name="signup"),
    path("e/<str:code>/lost/", views_public.ticket_lost, name="ticket_lost"),
    path("e/t/<str:token>/", views_public.ticket, name="ticket"),
    path("e/t/<str:token>/cancel/", views_public.ticket_cancel, name="ticket_cancel"),
]
