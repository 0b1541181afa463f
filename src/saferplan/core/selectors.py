"""Reads shared by every app: the change history of a record; the assumptions the demo made about records."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from saferplan.core.models import Assumption

ASSUMED = "assumed for the demo"

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


def _assumption_rows(objects: Iterable[Model]) -> dict[tuple[int, int, str], str]:
    """{(content type id, object pk, field): note} for the saved records among `objects`, in one query."""
    ids: dict[int, set[int]] = {}
    for obj in objects:
        if obj is not None and obj.pk is not None:
            ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
            ids.setdefault(ct.pk, set()).add(obj.pk)
    if not ids:
        return {}
    query = Q()
    for ct_id, pks in ids.items():
        query |= Q(content_type_id=ct_id, object_id__in=sorted(pks))
    rows = Assumption.objects.filter(query).values_list("content_type_id", "object_id", "field", "note")
    return {(ct_id, pk, field): note for ct_id, pk, field, note in rows}


def assumptions_for(objects: Iterable[Model]) -> dict[tuple[int, str], str]:
    """For records of one model: {(object pk, field): note} of what the demo assumed about them, in one query."""
    objects = list(objects)
    models = {type(o) for o in objects if o is not None}
    if len(models) > 1:
        raise ValueError(
            f"assumptions_for takes records of one model; got {sorted(m.__name__ for m in models)}"
        )
    return {(pk, field): note for (_, pk, field), note in _assumption_rows(objects).items()}


def assumptions_attach(*objects: Model | None) -> None:
    """Give each record (of any models) its assumptions as `assumption_notes` (field → note), in one query:
    the `assumed` template tag and the papers read them from there. Records given twice (as the same row
    reached by two paths) each get theirs."""
    objects_ = [o for o in objects if o is not None]
    by_record: dict[tuple[int, int], dict[str, str]] = {}
    for (ct_id, pk, field), note in _assumption_rows(objects_).items():
        by_record.setdefault((ct_id, pk), {})[field] = note
    for obj in objects_:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        obj.assumption_notes = by_record.get((ct.pk, obj.pk), {})


def assumption_note(obj: Model | None, field: str) -> str:
    """The note of what the demo assumed about the field, or "" (records given to assumptions_attach)."""
    return getattr(obj, "assumption_notes", {}).get(field, "") if obj is not None else ""


def marked(text: str, obj: Model | None, field: str) -> str:
    """A value as a paper prints it: "Durham County Council (assumed for the demo)" when it is assumed."""
    return f"{text} ({ASSUMED})" if assumption_note(obj, field) else text
