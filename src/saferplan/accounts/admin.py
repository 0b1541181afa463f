from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from saferplan.accounts.models import Organisation, User
from saferplan.core.admin import WordedHistoryAdmin as SimpleHistoryAdmin


def superusers_only(request) -> bool:
    """Django admin is for superusers only; everyone else uses the service's own pages."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only


@admin.register(User)
class SaferPlanUserAdmin(SimpleHistoryAdmin, UserAdmin):
    """People and their roles. "History" on a person's page lists every change of their role, organisation and
    access (active, staff, superuser), with the administrator who made it and when."""

    fieldsets = [*UserAdmin.fieldsets, ("SaferPlan", {"fields": ["role", "organisation"]})]
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    history_list_display = ["role", "organisation", "is_active", "is_staff", "is_superuser"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "sector"]
