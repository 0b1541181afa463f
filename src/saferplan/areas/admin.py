from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from saferplan.areas import models


@admin.register(models.Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]


@admin.register(models.Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "population", "source"]
    list_filter = ["year"]
