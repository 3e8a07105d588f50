from django.urls import URLPattern

# Filled by the plan pages.
urlpatterns: list[URLPattern] = []
