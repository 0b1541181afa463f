"""Reads shared by every app: the change history of a record; the assumptions the demo made about records."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignKey, Model, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from saferplan.core.models import Assumption

ASSUMED = "assumed for the demo"

CHANGE_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
HIDDEN_FIELDS = {"modified_at", "modified_by", "created_at", "created_by"}
HIDDEN_PART_FIELDS = HIDDEN_FIELDS | {"order"}  # a part's place in a list is not a change anyone traces
SYSTEM = "System (import)"


@dataclass
class Change:
    """One field's change in words: "old" → "new", or for a many-to-many field who or what was added and
    removed (by name)."""

    field: str
    old: object = ""
    new: object = ""
    added: list[str] = dataclass_field(default_factory=list)
    removed: list[str] = dataclass_field(default_factory=list)


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[Change]


@dataclass(frozen=True)
class Part:
    """Records that belong to a record and are shown on its page (the groups that lead or support an
    objective, a meeting's agenda items): each change of one is an entry in the record's history, under
    `label`, the part named by `describe`."""

    label: str
    model: type[Model]
    link: str  # the part's foreign key to the record
    describe: Callable[[Model], str] = str


class _Names:
    """The records that history values point to, looked up once for all entries: one query a model."""

    def __init__(self):
        self.wanted: dict[type[Model], set] = defaultdict(set)
        self.found: dict[tuple[type[Model], object], Model] = {}

    def want(self, model: type[Model], pk) -> None:
        if pk is not None and (model, pk) not in self.found:
            self.wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            for obj in model._base_manager.filter(pk__in=pks):
                self.found[(model, obj.pk)] = obj
        self.wanted.clear()

    def get(self, model: type[Model], pk) -> Model | None:
        return self.found.get((model, pk))

    def name(self, model: type[Model], pk) -> str:
        obj = self.get(model, pk)
        return str(obj) if obj is not None else f"a {model._meta.verbose_name} no longer recorded"


def _shown(field, value, names: _Names) -> str:
    """A field's value as people read it: the name of a related record, the label of a choice, a date."""
    if value is None or value == "":
        return ""
    if isinstance(field, ForeignKey):
        return names.name(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _records(model: type[Model], pks, link: str | None = None):
    """History records of the model's records `pks` (or of those whose `link` is one of them), newest first."""
    lookup = model._meta.get_field(link).attname if link else model._meta.pk.attname
    return (
        model.history.model.objects.filter(**{f"{lookup}__in": list(pks)})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def _m2m_ids(model: type[Model], records: list) -> dict[str, tuple[type[Model], dict[int, set]]]:
    """For each many-to-many field the model's history keeps: (the model it points to, {history id: ids})."""
    result = {}
    history_ids = [r.history_id for r in records]
    for m2m in model.history.model._history_m2m_fields:
        rows = getattr(model.history.model, m2m.name).model  # the history of its rows
        target = rows._meta.get_field(m2m.m2m_reverse_field_name()).attname
        ids: dict[int, set] = {i: set() for i in history_ids}
        if history_ids:
            for history_id, pk in rows.objects.filter(history_id__in=history_ids).values_list(
                "history_id", target
            ):
                ids[history_id].add(pk)
        result[m2m.name] = (m2m.related_model, ids)
    return result


def _raw_changes(model, record, previous, m2m, names: _Names, hidden: set[str]) -> list[tuple]:
    """What changed from `previous` to `record`, raw: ("field", field, old, new) and ("m2m", field, added ids,
    removed ids); the related records they name are wanted from `names`."""
    changes: list[tuple] = []
    for field in record.tracked_fields:  # every field kept, archived_at too (not only those a form edits)
        if field.name in hidden or field.primary_key:
            continue
        old, new = getattr(previous, field.attname), getattr(record, field.attname)
        if old != new:
            if isinstance(field, ForeignKey):
                names.want(field.related_model, old)
                names.want(field.related_model, new)
            changes.append(("field", field, old, new))
    for name, (target, ids) in m2m.items():
        new, old = ids.get(record.history_id, set()), ids.get(previous.history_id, set())
        if new != old:
            for pk in new ^ old:
                names.want(target, pk)
            changes.append(("m2m", model._meta.get_field(name), new - old, old - new))
    return changes


def _worded(raw: list[tuple], names: _Names, prefix: str = "") -> list[Change]:
    worded = []
    for kind, field, a, b in raw:
        label = prefix + capfirst(str(field.verbose_name))
        if kind == "field":
            worded.append(Change(label, _shown(field, a, names), _shown(field, b, names)))
        else:
            target = field.related_model
            worded.append(
                Change(
                    label,
                    added=sorted(names.name(target, pk) for pk in a),
                    removed=sorted(names.name(target, pk) for pk in b),
                )
            )
    return worded


def _who(record) -> str:
    return str(record.history_user) if record.history_user_id else SYSTEM


def _action(record) -> str:
    action = CHANGE_TYPES.get(record.history_type, record.history_type)
    reason = getattr(record, "history_change_reason", None)
    return f"{action} ({reason})" if reason else action


def _own_entries(model, records: list, limit: int, names: _Names) -> dict[object, list]:
    """{record pk: [(history record, raw changes)]} for the newest `limit` history records of each."""
    by_object: dict[object, list] = defaultdict(list)
    for record in records:
        by_object[getattr(record, model._meta.pk.attname)].append(record)
    m2m = _m2m_ids(model, records)
    result: dict[object, list] = {}
    for pk, versions in by_object.items():
        result[pk] = []
        for i, record in enumerate(versions[:limit]):
            previous = versions[i + 1] if i + 1 < len(versions) else None
            raw = []
            if previous is not None and record.history_type == "~":
                raw = _raw_changes(model, record, previous, m2m, names, HIDDEN_FIELDS)
            result[pk].append((record, raw))
    return result


def _part_entries(part: Part, owner: Model, names: _Names) -> list:
    """[(history record, describe → [Change])] of the parts of `owner`."""
    model = part.model
    records = list(_records(model, [owner.pk], link=part.link))
    link = model._meta.get_field(part.link)
    relations = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, ForeignKey) and f is not link and f.name not in HIDDEN_FIELDS
    ]
    for record in records:
        for f in relations:
            names.want(f.related_model, getattr(record, f.attname))
    versions: dict[object, list] = defaultdict(list)
    for record in records:
        versions[getattr(record, model._meta.pk.attname)].append(record)
    m2m = _m2m_ids(model, records)

    def described(record) -> str:
        instance = record.instance
        link.set_cached_value(instance, owner)
        for f in relations:
            related = names.get(f.related_model, getattr(record, f.attname))
            if related is not None:
                f.set_cached_value(instance, related)
        return part.describe(instance)

    raws = []
    for history in versions.values():
        for i, record in enumerate(history):
            previous = history[i + 1] if i + 1 < len(history) else None
            raw = None
            if record.history_type == "~" and previous is not None:
                raw = _raw_changes(model, record, previous, m2m, names, HIDDEN_PART_FIELDS | {part.link})
            raws.append((record, raw))

    def words(record, raw) -> list[Change]:
        if raw is not None:
            return _worded(raw, names, prefix=f"{part.label}, “{described(record)}”: ")
        text = described(record)  # added (or first recorded) or removed: the part as it was
        return (
            [Change(part.label, text, "")] if record.history_type == "-" else [Change(part.label, "", text)]
        )

    return [(record, partial(words, record, raw)) for record, raw in raws]


def _entry(record, changes: list[Change]) -> HistoryEntry | None:
    """An entry, or None for a record that changed nothing anyone reads (a save that changed nothing)."""
    if record.history_type == "~" and not changes and not getattr(record, "history_change_reason", None):
        return None
    return HistoryEntry(when=record.history_date, who=_who(record), action=_action(record), changes=changes)


def history_entries(instance, limit: int = 50, *, parts: Iterable[Part] = ()) -> list[HistoryEntry]:
    """Who changed the record, when, and what changed (field, old value, new value), newest first, in words: a
    related record by its name, a choice by its label, a many-to-many field as who was added and removed.
    With `parts`, the changes of the records that belong to it too. A fixed number of queries."""
    model = type(instance)
    names = _Names()
    records = list(_records(model, [instance.pk])[: limit + 1])
    own = _own_entries(model, records, limit, names).get(instance.pk, [])
    pieces = [(p, words) for part in parts for p, words in _part_entries(part, instance, names)]
    names.load()
    entries = [_entry(record, _worded(raw, names)) for record, raw in own]
    entries += [_entry(record, words()) for record, words in pieces]
    entries = [e for e in entries if e is not None]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def histories(instances: Iterable[Model], limit: int = 50) -> dict[object, list[HistoryEntry]]:
    """history_entries of many records of one model ({pk: entries}), in a fixed number of queries however
    many records there are (each commentary of an indicator's figures page, say)."""
    instances = [i for i in instances if i is not None and i.pk is not None]
    if not instances:
        return {}
    model = type(instances[0])
    names = _Names()
    records = list(_records(model, {i.pk for i in instances}))
    own = _own_entries(model, records, limit, names)
    names.load()
    result = {}
    for instance in instances:
        entries = [_entry(record, _worded(raw, names)) for record, raw in own.get(instance.pk, [])]
        result[instance.pk] = [e for e in entries if e is not None]
    return result


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


def changes_between(newer, older) -> list[Change]:
    """What changed from one history record of a record to the next, in words (as history_entries words it):
    for the admin's history page, which would otherwise print many-to-many fields as raw ids."""
    model = newer.instance_type
    names = _Names()
    raw = _raw_changes(model, newer, older, _m2m_ids(model, [newer, older]), names, HIDDEN_FIELDS)
    names.load()
    return _worded(raw, names)
