"""Write helpers every app's services use, so that each change records who made it and when; recording the
assumptions the demo makes where its sources are silent."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone

from saferplan.core.models import Assumption


def stamp(instance: models.Model, *, user=None) -> None:
    """Set created/modified by and at, and the history user, on an instance about to be saved."""
    now = timezone.now()
    user = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    if instance._state.adding:
        instance.created_at = now
        instance.created_by = user
    instance.modified_at = now
    instance.modified_by = user
    instance._history_user = user


def save_with_stamp(instance: models.Model, *, user=None) -> models.Model:
    instance.full_clean()
    stamp(instance, user=user)
    instance.save()
    return instance


def archive(instance: models.Model, *, user=None) -> models.Model:
    instance.archived_at = timezone.now()
    stamp(instance, user=user)
    instance.save()
    return instance


def _check_field(obj: models.Model, field: str) -> None:
    """The field must be one of the record's fields (or relations, or properties such as a plan's period)."""
    try:
        obj._meta.get_field(field)
    except FieldDoesNotExist:
        if not isinstance(getattr(type(obj), field, None), property):
            raise ValueError(f"{type(obj).__name__} has no field {field!r}") from None


@transaction.atomic
def assumption_record(*, obj: models.Model, field: str, note: str, user=None) -> Assumption:
    """Record that `field` of a saved record is an assumption of the demo, with a note of what and why."""
    if obj.pk is None:
        raise ValueError("save the record before recording an assumption about it")
    _check_field(obj, field)
    note = note.strip()
    if not note:
        raise ValueError("say what was assumed and why")
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    assumption = Assumption.objects.filter(
        content_type=content_type, object_id=obj.pk, field=field
    ).first() or Assumption(content_type=content_type, object_id=obj.pk, field=field)
    if assumption._state.adding or assumption.note != note:
        assumption.note = note
        save_with_stamp(assumption, user=user)
    return assumption


@transaction.atomic
def assumptions_sync(records: list[tuple[models.Model, dict[str, str]]], *, user=None) -> None:
    """Make each record's assumptions exactly its notes (field → note), in a few queries whatever the number of
    records: importing a file again keeps them in step with it, and writes nothing when nothing changed."""
    wanted: dict[tuple[int, int, str], str] = {}
    by_type: dict[int, set[int]] = {}
    for obj, notes in records:
        if obj.pk is None:
            raise ValueError("save the record before recording an assumption about it")
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        by_type.setdefault(ct.pk, set()).add(obj.pk)
        for field, note in notes.items():
            _check_field(obj, field)
            if not note.strip():
                raise ValueError("say what was assumed and why")
            wanted[(ct.pk, obj.pk, field)] = note.strip()
    if not by_type:
        return
    scope = models.Q()
    for ct_id, pks in by_type.items():
        scope |= models.Q(content_type_id=ct_id, object_id__in=sorted(pks))
    existing = {(a.content_type_id, a.object_id, a.field): a for a in Assumption.objects.filter(scope)}
    stale = [a.pk for key, a in existing.items() if key not in wanted]
    if stale:
        Assumption.objects.filter(pk__in=stale).delete()
    new = []
    for key, note in wanted.items():
        assumption = existing.get(key)
        if assumption is None:
            assumption = Assumption(content_type_id=key[0], object_id=key[1], field=key[2], note=note)
            stamp(assumption, user=user)
            new.append(assumption)
        elif assumption.note != note:
            assumption.note = note
            stamp(assumption, user=user)
            assumption.save()
    Assumption.objects.bulk_create(new)


def assumptions_set(*, obj: models.Model, notes: dict[str, str], user=None) -> None:
    """Make the record's assumptions exactly `notes` (field → note)."""
    assumptions_sync([(obj, notes)], user=user)


def field_values(obj: models.Model) -> dict[str, object]:
    """The record's stored values, taken before a form changes them, for assumptions_confirm."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def assumptions_confirm(*, obj: models.Model, before: dict[str, object]) -> None:
    """A person has saved the record: a value they changed is theirs, no longer an assumption of the demo.
    `before` holds the values as they were (field_values, taken before the form was bound)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    changed = []
    for assumption in Assumption.objects.filter(content_type=content_type, object_id=obj.pk):
        try:
            field = obj._meta.get_field(assumption.field)
        except FieldDoesNotExist:
            continue
        attname = getattr(field, "attname", None)
        if attname in before and before[attname] != getattr(obj, attname):
            changed.append(assumption.pk)
    if changed:
        Assumption.objects.filter(pk__in=changed).delete()
