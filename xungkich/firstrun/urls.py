from django.urls import path

from xungkich.firstrun import views

app_name = "firstrun"
urlpatterns = [path("setup/", views.province_setup, name="setup")]
