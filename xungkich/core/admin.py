from django.contrib import admin
from django.http import HttpRequest

from xungkich.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by services, never edited."""

    list_display = ("at", "actor_label", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_label")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
