from django.contrib import admin

from saferplan.core.admin import WordedHistoryAdmin as SimpleHistoryAdmin
from saferplan.indicators import models


@admin.register(models.Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "area", "period", "value", "source", "headline", "synthetic", "status"]
    list_filter = ["headline", "synthetic", "status", "period_kind"]
    search_fields = ["indicator__name", "period", "source"]


@admin.register(models.Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "area", "value", "period", "cumulative", "start_period", "due_period"]


admin.site.register([models.Commentary, models.DataReturn])
