"""The Django admin is for superusers' occasional repairs; day-to-day work goes through the app's pages
(and its services, which write the audit log). Structural fields are read-only here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from xungkich.people.models import AdminUnit, OrgUnit, Skill, User, Volunteer


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")
    list_select_related = ("unit",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Role and unit"), {"fields": ("full_name", "role", "unit")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and unit"), {"fields": ("full_name", "role", "unit")}),
    )


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "admin_unit", "is_active")
    search_fields = ("name",)
    readonly_fields = ("name", "kind", "parent", "path", "depth")
    list_select_related = ("parent", "admin_unit")


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    list_select_related = ("province",)


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("full_name", "unit", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("search_key", "phone")
    list_select_related = ("unit",)
    readonly_fields = ("search_key",)
    autocomplete_fields = ("user",)


admin.site.register(Skill)
