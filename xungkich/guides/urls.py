from django.urls import URLPattern, URLResolver, path

from xungkich.guides import views

app_name = "guides"

# Step-by-step guides, handouts, posters (docs/guides.md).
urlpatterns: list[URLPattern | URLResolver] = [
    path("huong-dan/", views.hub, name="hub"),
    path("huong-dan/pano.pdf", views.hub_poster, name="hub_poster"),
    path("huong-dan/anh/<int:pk>.jpg", views.image, name="image"),
    path("huong-dan/quan-ly/", views.manage_list, name="manage_list"),
    path("huong-dan/quan-ly/moi/", views.guide_create, name="guide_create"),
    path("huong-dan/quan-ly/ra-soat/", views.review_list, name="review_list"),
    path("huong-dan/quan-ly/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("huong-dan/quan-ly/<int:pk>/sua/", views.guide_edit, name="guide_edit"),
    path("huong-dan/quan-ly/<int:pk>/cong-bo/", views.guide_publish, name="guide_publish"),
    path("huong-dan/quan-ly/<int:pk>/thoi-cong-bo/", views.guide_unpublish, name="guide_unpublish"),
    path("huong-dan/quan-ly/<int:pk>/da-ra-soat/", views.guide_mark_reviewed, name="guide_mark_reviewed"),
    path(
        "huong-dan/quan-ly/<int:pk>/phien-ban/<int:number>/",
        views.version_detail,
        name="version_detail",
    ),
    path("huong-dan/quan-ly/diem/<int:pk>/pano.pdf", views.point_poster, name="point_poster"),
    path("huong-dan/<slug:slug>/", views.guide_detail, name="guide"),
    path("huong-dan/<slug:slug>/to-huong-dan-<str:size>.pdf", views.handout, name="handout"),
]
