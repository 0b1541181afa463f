"""Write helpers every app's services use, so that each change records who made it and when."""

from django.db import models
from django.utils import timezone


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
