from django.urls import URLPattern, URLResolver, path

from xungkich.guides import catalogue_views, views_guides

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

# guides (step-by-step guides, handouts, posters; docs/guides.md)
urlpatterns += [
    path("huong-dan/", views_guides.hub, name="hub"),
    path("huong-dan/pano.pdf", views_guides.hub_poster, name="hub_poster"),
    path("huong-dan/anh/<int:pk>.jpg", views_guides.image, name="image"),
    path("huong-dan/quan-ly/", views_guides.manage_list, name="manage_list"),
    path("huong-dan/quan-ly/moi/", views_guides.guide_create, name="guide_create"),
    path("huong-dan/quan-ly/ra-soat/", views_guides.review_list, name="review_list"),
    path("huong-dan/quan-ly/<int:pk>/", views_guides.manage_detail, name="manage_detail"),
    path("huong-dan/quan-ly/<int:pk>/sua/", views_guides.guide_edit, name="guide_edit"),
    path("huong-dan/quan-ly/<int:pk>/cong-bo/", views_guides.guide_publish, name="guide_publish"),
    path("huong-dan/quan-ly/<int:pk>/thoi-cong-bo/", views_guides.guide_unpublish, name="guide_unpublish"),
    path(
        "huong-dan/quan-ly/<int:pk>/da-ra-soat/", views_guides.guide_mark_reviewed, name="guide_mark_reviewed"
    ),
    path(
        "huong-dan/quan-ly/<int:pk>/phien-ban/<int:number>/",
        views_guides.version_detail,
        name="version_detail",
    ),
    path("huong-dan/quan-ly/diem/<int:pk>/pano.pdf", views_guides.point_poster, name="point_poster"),
    path("huong-dan/<slug:slug>/", views_guides.guide_detail, name="guide"),
    path("huong-dan/<slug:slug>/to-huong-dan-<str:size>.pdf", views_guides.handout, name="handout"),
]
