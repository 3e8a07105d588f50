from django.urls import URLPattern, URLResolver, path

from xungkich.guides import catalogue_views

app_name = "guides"

urlpatterns: list[URLPattern | URLResolver] = [
    # catalogue
    path("thu-tuc/", catalogue_views.procedure_list, name="procedure_list"),
    path("thu-tuc/nhap/", catalogue_views.import_upload, name="procedure_import"),
    path("thu-tuc/nhap/<str:token>/", catalogue_views.import_preview, name="procedure_import_preview"),
    path(
        "thu-tuc/nhap/<str:token>/xac-nhan/", catalogue_views.import_confirm, name="procedure_import_confirm"
    ),
    path("thu-tuc/<str:code>/", catalogue_views.procedure_detail, name="procedure_detail"),
    path("tim/", catalogue_views.search_page, name="search"),
]
