"""Validation of documents read from YAML, with the line of every problem.

A document is read with `read_yaml`, which keeps the line of every node, then checked against a schema of
`Field`s with `validate`. Errors name the line and the dotted path of the field, for example
`line 42, plan.objectives[2].outcomes[0].title: this field is required`.
The schema for plan files is in `plan_yaml.py`; the format is documented in docs/plan-format.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from saferplan.core.importing import DocumentError, Problem

__all__ = ["DocumentError", "Problem", "Document", "Field", "Validator", "read_yaml"]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Document:
    data: Any
    lines: dict[str, int]

    def line(self, path: str) -> int | None:
        """The line of the node at `path`, or of its nearest enclosing node."""
        while path:
            if path in self.lines:
                return self.lines[path]
            parent = re.sub(r"(\.?[^.\[]+|\[\d+\])$", "", path)
            if parent == path:
                break
            path = parent
        return self.lines.get("")


def read_yaml(text: str) -> Document:
    """Parse YAML text, keeping the line number (1-based) of every mapping value and list item.

    Anchors and aliases (&name, *name) are refused: a plan file has no use for them, and nested aliases expand
    exponentially (a "billion laughs"). They are found in one pass over the parser's events, before anything
    is built."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DocumentError(
                    [
                        Problem(
                            event.start_mark.line + 1,
                            "",
                            "YAML anchors and aliases (&name, *name) are not allowed in a plan file: "
                            "write each value out",
                        )
                    ]
                )
    except yaml.YAMLError:
        pass  # reported with its line below
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise DocumentError(
            [Problem(line, "", f"not valid YAML: character #x{exc.character:04x} is not allowed")]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise DocumentError(
            [Problem(mark.line + 1 if mark else None, "", f"not valid YAML: {problem}")]
        ) from None
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    if root is None:
        raise DocumentError([Problem(1, "", "the file is empty")])
    constructor = yaml.SafeLoader("")

    def walk(node: yaml.Node, path: str) -> Any:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = walk(key_node, path + ".__key__")
                if not isinstance(key, str):
                    problems.append(Problem(key_node.start_mark.line + 1, path, f"key {key!r} is not text"))
                    continue
                child = f"{path}.{key}" if path else key
                if key in result:
                    problems.append(Problem(key_node.start_mark.line + 1, child, "this key appears twice"))
                    continue
                result[key] = walk(value_node, child)
            lines.pop(path + ".__key__", None)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        try:
            return constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(Problem(node.start_mark.line + 1, path, f"cannot read this value: {exc}"))
            return None

    data = walk(root, "")
    if problems:
        raise DocumentError(problems)
    return Document(data, lines)


@dataclass
class Field:
    kind: str  # text, slug, int, number, bool, enum, date, month_date, period, list, object, mapping
    required: bool = False
    choices: tuple[str, ...] = ()
    item: Field | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    max_length: int | None = None
    minimum: int | None = None
    default: Any = None


def clean_text(value: str) -> str:
    """Normalise text: no trailing spaces on any line, no blank lines at either end."""
    return "\n".join(line.rstrip() for line in value.strip().splitlines())


class Validator:
    def __init__(self, document: Document):
        self.document = document
        self.problems: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.document.line(path), path, message))

    def check(self, value: Any, spec: Field, path: str) -> Any:
        """Return the cleaned value, recording problems. Optional empty values come back as the default."""
        if value is None or value == "" or value == [] or value == {}:
            if spec.required:
                self.error(path, "this field is required")
            return spec.default
        handler = getattr(self, f"_check_{spec.kind}")
        return handler(value, spec, path)

    def _check_text(self, value, spec, path):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(path, "expected text")
            return None
        text = clean_text(str(value))
        if spec.max_length and len(text) > spec.max_length:
            self.error(path, f"is {len(text)} characters long; the limit is {spec.max_length}")
        if spec.required and not text:
            self.error(path, "this field is required")
        return text

    def _check_slug(self, value, spec, path):
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 100:
            self.error(
                path, f"expected a slug (lower-case letters, digits and single hyphens), got {value!r}"
            )
            return None
        return value

    def _check_int(self, value, spec, path):
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a whole number, got {value!r}")
            return None
        if spec.minimum is not None and value < spec.minimum:
            self.error(path, f"must be at least {spec.minimum}, got {value}")
            return None
        return value

    def _check_number(self, value, spec, path):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            self.error(path, f"expected a number, got {value!r}")
            return None
        if spec.minimum is not None and value < spec.minimum:
            self.error(path, f"must be at least {spec.minimum}, got {value}")
            return None
        return float(value)

    def _check_bool(self, value, spec, path):
        if not isinstance(value, bool):
            self.error(path, f"expected true or false, got {value!r}")
            return None
        return value

    def _check_enum(self, value, spec, path):
        if value not in spec.choices:
            self.error(path, f"expected one of {', '.join(spec.choices)}; got {value!r}")
            return None
        return value

    def _check_date(self, value, spec, path):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(path, f"expected a date as YYYY-MM-DD, got {value!r}")
        return None

    def _check_month_date(self, value, spec, path):
        """A date (YYYY-MM-DD) or a month (YYYY-MM); returns (date, precision)."""
        if isinstance(value, str) and (m := MONTH_RE.match(value)) and 1 <= int(m.group(2)) <= 12:
            return (dt.date(int(m.group(1)), int(m.group(2)), 1), "month")
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return (value, "day")
        if isinstance(value, str):
            try:
                return (dt.date.fromisoformat(value), "day")
            except ValueError:
                pass
        self.error(path, f"expected a date as YYYY-MM-DD or a month as YYYY-MM, got {value!r}")
        return None

    def _check_period(self, value, spec, path):
        """A period of years as partnerships write it: 2016-19 → (2016, 2019)."""
        m = PERIOD_RE.match(value) if isinstance(value, str) else None
        if m:
            start = int(m.group(1))
            end = start - start % 100 + int(m.group(2))
            if end < start:
                end += 100
            if end - start <= 20:
                return (start, end)
        self.error(path, f"expected a period of years such as 2016-19, got {value!r}")
        return None

    def _check_list(self, value, spec, path):
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return None
        cleaned = [self.check(item, spec.item, f"{path}[{i}]") for i, item in enumerate(value)]
        return [c for c in cleaned if c is not None]

    def _check_object(self, value, spec, path):
        if not isinstance(value, dict):
            self.error(path, "expected a mapping of fields")
            return None
        for key in value:
            if key not in spec.fields:
                self.error(
                    f"{path}.{key}" if path else key,
                    f"unknown field; expected one of {', '.join(spec.fields)}",
                )
        result = {}
        for name, child in spec.fields.items():
            result[name] = self.check(value.get(name), child, f"{path}.{name}" if path else name)
        return result

    def _check_mapping(self, value, spec, path):
        """A mapping whose keys are names from `spec.choices` and whose values are checked against `spec.item`:
        for example `assumed:`, field name → a note of what the demo assumed and why."""
        if not isinstance(value, dict):
            self.error(path, "expected a mapping of field names to notes")
            return None
        result = {}
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if key not in spec.choices:
                self.error(
                    child, f"{key!r} is not a field of this record; expected one of {', '.join(spec.choices)}"
                )
                continue
            cleaned = self.check(item, spec.item, child)
            if cleaned is not None:
                result[key] = cleaned
        return result
