from django.urls import URLPattern, URLResolver, path

from xungkich.catalogue import views

app_name = "catalogue"

urlpatterns: list[URLPattern | URLResolver] = [
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/nhap/", views.import_upload, name="procedure_import"),
    path("thu-tuc/nhap/<str:token>/", views.import_preview, name="procedure_import_preview"),
    path("thu-tuc/nhap/<str:token>/xac-nhan/", views.import_confirm, name="procedure_import_confirm"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
]
