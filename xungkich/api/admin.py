from django.contrib import admin

from xungkich.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")
