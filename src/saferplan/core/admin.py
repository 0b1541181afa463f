"""The admin's history pages in words: a related record by its name, a choice by its label, who or what was
added to or removed from a many-to-many field, never `[{'indicator': 3, 'objective': 8}]`."""

from types import SimpleNamespace

from simple_history.admin import SimpleHistoryAdmin

from saferplan.core.selectors import changes_between


def _quoted(names) -> str:
    return ", ".join(f"“{n}”" for n in names)


class WordedHistoryAdmin(SimpleHistoryAdmin):
    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)  # newest first
        for newer, older in zip(records, records[1:], strict=False):
            shown = []
            for change in changes_between(newer, older):
                if change.added or change.removed:
                    words = []
                    if change.added:
                        words.append("added " + _quoted(change.added))
                    if change.removed:
                        words.append("removed " + _quoted(change.removed))
                    shown.append(SimpleNamespace(field=change.field, old="", new="; ".join(words)))
                else:
                    shown.append(
                        SimpleNamespace(
                            field=change.field, old=change.old or "(blank)", new=change.new or "(blank)"
                        )
                    )
            newer.history_delta_changes = shown
