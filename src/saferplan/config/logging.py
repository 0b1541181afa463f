"""Structured logs: one JSON object a line, for LOG_FORMAT=json (settings.LOGGING and config/gunicorn.py).

Every record has time (UTC, ISO 8601), level, logger and message; an exception adds `exception` (the
traceback); extra fields passed with `logger.info(..., extra={...})` are kept. gunicorn's access records carry
their fields as a dict of atoms, written out as remote, method, path, query, status, bytes, duration_ms,
referer and user_agent.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has: anything else on a record came from `extra=` and is written out.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_ACCESS_FIELDS = {
    "h": "remote",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "f": "referer",
    "a": "user_agent",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(_access(record.args))
        entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        return json.dumps(entry, ensure_ascii=False)


def _access(atoms: dict) -> dict[str, object]:
    fields: dict[str, object] = {}
    for atom, name in _ACCESS_FIELDS.items():
        value = atoms.get(atom)
        if value in (None, "-", ""):
            continue
        fields[name] = int(value) if atom in {"s", "B"} and str(value).isdigit() else value
    if str(atoms.get("D", "")).isdigit():
        fields["duration_ms"] = round(int(atoms["D"]) / 1000, 1)
    return fields
