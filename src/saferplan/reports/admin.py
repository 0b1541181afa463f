from django.contrib import admin

from saferplan.core.admin import WordedHistoryAdmin as SimpleHistoryAdmin
from saferplan.reports import models


@admin.register(models.PaperDefaults)
class PaperDefaultsAdmin(SimpleHistoryAdmin):
    """The partnership's committee-paper defaults for each kind of report: meeting, "Report of", contacts,
    background papers and implications (a report's own, set on its page, override them)."""

    list_display = ["partnership", "kind", "meeting", "lag_days"]
    list_filter = ["kind"]
