from django.urls import URLPattern, URLResolver, path

from xungkich.search import views

app_name = "search"

urlpatterns: list[URLPattern | URLResolver] = [
    path("tim/", views.search_page, name="search"),
    path("search/offline.json", views.offline_index, name="offline_index"),
]
