from django.urls import path

from xungkich.people import views
from xungkich.people.imports import views as import_views

app_name = "people"
urlpatterns = [
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:pk>/active/", views.volunteer_set_active, name="volunteer_set_active"),
    path("volunteers/import/", import_views.upload, name="import_upload"),
    path("volunteers/import/<str:token>/", import_views.preview, name="import_preview"),
    path("volunteers/import/<str:token>/confirm/", import_views.confirm, name="import_confirm"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
]
