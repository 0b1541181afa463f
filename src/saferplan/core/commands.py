"""Helpers shared by the `saferplan` management commands."""

from pathlib import Path

from django.core.management.base import CommandError


def read_input(name: str) -> tuple[Path, bytes]:
    """The path and bytes of an input file, or a CommandError naming the file and why it cannot be read."""
    path = Path(name)
    try:
        return path, path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from None
