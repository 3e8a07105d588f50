from django.contrib import admin

from xungkich.places.models import ServicePoint


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "is_active")
    list_select_related = ("unit",)
