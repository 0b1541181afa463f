from django.contrib import admin

from saferplan.core.admin import WordedHistoryAdmin as SimpleHistoryAdmin
from saferplan.delivery import models


class AgendaItemInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 1


class MeetingActionInline(admin.TabularInline):
    model = models.MeetingAction
    extra = 1


@admin.register(models.Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title", "group"]
    inlines = [AgendaItemInline, MeetingActionInline]


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 1


@admin.register(models.DetailedAction)
class DetailedActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner_group", "target_date", "illustrative", "archived_at"]
    list_filter = ["owner_group", "illustrative"]
    inlines = [MilestoneInline]


@admin.register(models.Escalation)
class EscalationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "from_group", "to_group", "state", "raised_on"]
    list_filter = ["state"]


admin.site.register(
    [models.ProgressUpdate, models.GroupClosure, models.LocalityIssue, models.PartnershipUpdate]
)
