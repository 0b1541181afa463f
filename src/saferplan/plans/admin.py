from django.contrib import admin

from saferplan.core.admin import WordedHistoryAdmin as SimpleHistoryAdmin
from saferplan.plans import models


@admin.register(models.Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area"]


@admin.register(models.Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "lead_organisation", "archived_at"]
    list_filter = ["kind"]
    filter_horizontal = ["members", "leads"]


@admin.register(models.Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "start_year", "end_year"]


@admin.register(models.Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan", "archived_at"]


@admin.register(models.Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "objective", "archived_at"]


@admin.register(models.StrategicAction)
class StrategicActionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "owner_group", "target_date", "archived_at"]


@admin.register(models.Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "polarity", "frequency", "source", "archived_at"]


admin.site.register([models.Strategy, models.Basket])


@admin.register(models.SearchSynonym)
class SearchSynonymAdmin(SimpleHistoryAdmin):
    list_display = ["term", "meaning"]
    search_fields = ["term", "meaning"]
