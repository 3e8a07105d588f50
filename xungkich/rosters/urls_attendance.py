from django.urls import URLPattern

# Filled by the attendance pages.
urlpatterns: list[URLPattern] = []
