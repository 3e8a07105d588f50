from django.urls import URLPattern, URLResolver, path

from xungkich.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/refresh/", views.refresh, name="refresh"),
    path("reports/exports/", views.export_start, name="export_start"),
    path("reports/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("reports/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
