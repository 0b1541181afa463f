from django.contrib import admin

from saferplan.core.admin import WordedHistoryAdmin as SimpleHistoryAdmin
from saferplan.funding import models


@admin.register(models.Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "provider_name"]


@admin.register(models.Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    list_display = ["priority_area", "fund", "financial_year", "amount", "illustrative"]
    list_filter = ["fund", "financial_year", "illustrative"]


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "fund", "financial_year", "amount", "spend_signed_off_on", "illustrative"]
    list_filter = ["fund", "financial_year", "illustrative"]
    filter_horizontal = ["objectives"]
    readonly_fields = ["spend_signed_off_on", "spend_signed_off_by"]
