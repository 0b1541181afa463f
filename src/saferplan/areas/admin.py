from django.contrib import admin

from saferplan.areas import models
from saferplan.core.admin import WordedHistoryAdmin as SimpleHistoryAdmin


@admin.register(models.Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]


@admin.register(models.Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "population", "source"]
    list_filter = ["year"]
