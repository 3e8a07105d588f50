from django.urls import URLPattern

# Filled by the mine pages.
urlpatterns: list[URLPattern] = []
