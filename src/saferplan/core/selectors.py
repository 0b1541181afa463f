"""Reads shared by every app: the change history of a record."""

from dataclasses import dataclass
from datetime import datetime

CHANGE_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
HIDDEN_FIELDS = {"modified_at", "modified_by", "created_at", "created_by"}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[Change]


def history_entries(instance, limit: int = 50) -> list[HistoryEntry]:
    """Who changed the record, when, and what changed (field, old value, new value), newest first."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field = instance._meta.get_field(change.field)
                changes.append(Change(str(field.verbose_name).capitalize(), change.old, change.new))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "System (import)",
                action=CHANGE_TYPES.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries
