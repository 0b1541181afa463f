"""The `saferplan` command: Django's management commands with SaferPlan's defaults.

`saferplan demo`, `saferplan plan import FILE`, `saferplan plan export`, `saferplan run`, and every
`manage.py` command (`saferplan migrate`, `saferplan createsuperuser`, ...).
"""

import os
import secrets
import sys
from pathlib import Path


def ensure_secret_key() -> None:
    """Development convenience: without SECRET_KEY, use one generated once under SAFERPLAN_DATA_DIR."""
    if os.environ.get("SECRET_KEY"):
        return
    data_dir = Path(os.environ.get("SAFERPLAN_DATA_DIR") or "var")
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ["SECRET_KEY"] = key_file.read_text().strip()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferplan.config.settings")
    ensure_secret_key()
    Path(os.environ.get("SAFERPLAN_DATA_DIR") or "var").mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    argv[0] = "saferplan"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
