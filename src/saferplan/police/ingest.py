"""Import of data.police.uk files into the columnar store, with validation by file, line and field.

Input: the archive zip (folders YYYY-MM/ holding YYYY-MM-<force>-street.csv, -outcomes.csv,
-stop-and-search.csv), an unzipped folder of it, or single CSV files named as data.police.uk names them.
Each file is read and checked with Polars (vectorised, no per-row Python), written to a new Parquet file, and
only when every file is good does one atomic commit make them current (see store.py). A file with problems
rejects the import, naming the file, line and field of each problem (the first 20 of each kind per file).
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from saferplan.core.importing import DocumentError, Problem, archive_problem
from saferplan.police import layouts, store

NAME = re.compile(r"(?:^|/)(\d{4}-\d{2})-([a-z0-9-]+?)-(street|outcomes|stop-and-search)\.csv$")
MAX_PROBLEMS = 20
# A whole data.police.uk archive: every force's three files a month for a few years. CSV packs about 5 to 10
# times; far more is a decompression bomb.
ARCHIVE_MAX_ENTRIES = 50_000
ARCHIVE_MAX_BYTES = 64 * 1024**3
ARCHIVE_MAX_RATIO = 50
UNIT_SEPARATOR = "\x1f"  # never in the files: reading with it gives each line as one field


@dataclass(frozen=True)
class SourceFile:
    name: str  # as shown in messages
    month: str
    force: str
    kind: str
    read: Callable[[], bytes]


@dataclass
class ImportResult:
    files: int = 0
    unchanged: int = 0  # files identical to what the store holds, not rewritten
    rows: int = 0
    seconds: float = 0.0
    months: set[str] = field(default_factory=set)
    forces: set[str] = field(default_factory=set)
    parts: dict[str, dict[str, dict]] = field(default_factory=dict)


def discover(paths: list[str | Path]) -> list[SourceFile]:
    """Every data.police.uk CSV in the given zips, folders and files."""
    found: list[SourceFile] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(Problem(None, str(path), "no such file or folder"))
        elif path.is_dir():
            for file in sorted(path.rglob("*.csv")):
                _add(found, problems, str(file), lambda f=file: f.read_bytes())
        elif path.suffix.lower() == ".zip":
            try:
                archive = zipfile.ZipFile(path)
                entries = archive.infolist()
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
                problems.append(Problem(None, path.name, f"not a readable zip archive ({exc})"))
                continue
            too_much = archive_problem(
                entries,
                max_entries=ARCHIVE_MAX_ENTRIES,
                max_bytes=ARCHIVE_MAX_BYTES,
                max_ratio=ARCHIVE_MAX_RATIO,
            )
            if too_much:
                problems.append(Problem(None, path.name, too_much))
                continue
            for member in sorted(archive.namelist()):
                if member.lower().endswith(".csv"):
                    _add(found, problems, f"{path}:{member}", lambda a=archive, m=member: a.read(m))
        elif path.is_file():
            _add(found, problems, str(path), lambda f=path: f.read_bytes())
        else:
            problems.append(Problem(None, str(path), "no such file or folder"))
    if problems:
        raise DocumentError(problems)
    return found


def _add(found: list, problems: list, name: str, read: Callable[[], bytes]) -> None:
    match = NAME.search(name.replace("\\", "/"))
    if not match:
        problems.append(
            Problem(
                None,
                name,
                "cannot tell the month, force and kind from the file name; expected "
                "YYYY-MM-<force>-street.csv (or -outcomes.csv, -stop-and-search.csv)",
            )
        )
        return
    month, force, kind = match.groups()
    found.append(SourceFile(name, month, force, kind, read))


def select(
    files: list[SourceFile], *, forces=None, start: str | None = None, end: str | None = None
) -> list[SourceFile]:
    chosen = [
        f
        for f in files
        if (not forces or f.force in forces)
        and (not start or f.month >= start)
        and (not end or f.month <= end)
    ]
    months_with_street = {(f.force, f.month) for f in chosen if f.kind == "street"}
    problems = [
        Problem(None, f.name, f"no street file for {f.force} {f.month}: street files are required")
        for f in chosen
        if f.kind != "street" and (f.force, f.month) not in months_with_street
    ]
    if problems:
        raise DocumentError(problems)
    return chosen


def _problem(source: SourceFile, line: int | None, field_name: str, message: str) -> Problem:
    return Problem(line, f"{source.name}, {field_name}" if field_name else source.name, message)


def _sizes_add_up(frame: pl.DataFrame, data: bytes, header_bytes: int) -> bool:
    """Fast proof that every line had all its fields: the file's size is exactly the header, the parsed fields,
    one comma between fields and one newline a row. A short line (which Polars pads with empty fields) breaks
    the sum; so do quotes and CRLF line ends, which send the file to the line-by-line check instead. Polars
    itself refuses a line with too many fields."""
    fields = frame.select(pl.sum_horizontal(pl.all().str.len_bytes().fill_null(0)).sum()).item() or 0
    rows = frame.height
    expected = header_bytes + 1 + fields + rows * (frame.width - 1) + rows
    if not data.endswith(b"\n"):
        expected -= 1
    return expected == len(data)


def _lines_with_wrong_field_count(data: bytes, expected: int) -> list[tuple[int, int]]:
    """(line number, fields) of every line whose field count is not `expected` (quotes respected)."""
    lines = pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        separator=UNIT_SEPARATOR,
        quote_char=None,
        infer_schema=False,
        new_columns=["line"],
    )
    lines = lines.with_row_index("n").filter(pl.col("line").is_not_null())
    commas = lines.filter(pl.col("line").str.count_matches(",") != expected - 1)
    if commas.is_empty():
        return []
    fields = commas.with_columns(
        (pl.col("line").str.replace_all(r'"[^"]*"', "").str.count_matches(",") + 1).alias("fields")
    ).filter(pl.col("fields") != expected)
    return [(n + 1, f) for n, f in fields.select("n", "fields").iter_rows()]


def _read(source: SourceFile) -> bytes | None:
    try:
        return source.read()
    except (OSError, zipfile.BadZipFile, KeyError):
        return None


def _count(result: ImportResult, source: SourceFile, rows: int) -> None:
    result.files += 1
    if source.kind == "street":
        result.rows += rows
        result.months.add(source.month)
        result.forces.add(source.force)


def read_and_check(
    source: SourceFile, data: bytes | None = None
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Read one file and check it against its published layout. Returns the frame, or the problems."""
    data = data if data is not None else _read(source)
    if data is None:
        return None, [_problem(source, None, "", "cannot read the file")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    layout = layouts.LAYOUTS[source.kind]
    header_line = data.split(b"\n", 1)[0]
    header = header_line.decode("utf-8", "replace").strip().strip("\r")
    columns = [c.strip().strip('"') for c in header.split(",")]
    if columns != layout:
        return None, [
            _problem(
                source,
                1,
                "header",
                f"the columns are {', '.join(columns)!s}; the published "
                f"{source.kind} layout is {', '.join(layout)}",
            )
        ]
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    except pl.exceptions.PolarsError as exc:  # a line with too many fields, bad UTF-8, ...
        frame, reason = None, str(exc).splitlines()[0]
    if frame is None or not _sizes_add_up(frame, data, len(header_line)):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            return None, [_problem(source, line, "", "not UTF-8 text")]
        wrong = _lines_with_wrong_field_count(data, len(layout))
        if wrong:
            problems = [
                _problem(source, line, "", f"{count} fields; the {source.kind} layout has {len(layout)}")
                for line, count in wrong[:MAX_PROBLEMS]
            ]
            if len(wrong) > MAX_PROBLEMS:
                problems.append(
                    _problem(source, None, "", f"and {len(wrong) - MAX_PROBLEMS} more lines like these")
                )
            return None, problems
        if frame is None:
            return None, [_problem(source, None, "", f"cannot be read as CSV: {reason}")]
    problems = _check_values(source, frame)
    if problems:
        return None, problems
    if source.kind == "street":
        frame = frame.with_columns(
            pl.col("Crime type").replace(layouts.OLD_CRIME_TYPES).alias("category"),
            pl.col("Longitude").cast(pl.Float64, strict=False),
            pl.col("Latitude").cast(pl.Float64, strict=False),
        )
    return frame.with_columns(pl.lit(source.force).alias("force")), []


def _rows(frame: pl.DataFrame, condition: pl.Expr) -> list[int]:
    return frame.with_row_index("n").filter(condition)["n"].head(MAX_PROBLEMS + 1).to_list()


def _check_values(source: SourceFile, frame: pl.DataFrame) -> list[Problem]:
    """Every value check in one pass over the frame; the rows of a failed check are looked up only then."""
    checks: list[tuple[str, pl.Expr, Callable[[dict], str]]] = []
    if source.kind in ("street", "outcomes"):
        checks.append(
            (
                "Month",
                pl.col("Month") != source.month,
                lambda r: f"{r['Month']!r} differs from the file's month {source.month}",
            )
        )
        for column, limit in (("Longitude", 180), ("Latitude", 90)):
            number = pl.col(column).cast(pl.Float64, strict=False)
            given = pl.col(column).is_not_null() & (pl.col(column) != "")
            checks.append(
                (
                    column,
                    given & (number.is_null() | (number.abs() > limit)),
                    lambda r, c=column: f"cannot read {r[c]!r} as a {c.lower()}",
                )
            )
    if source.kind == "street":
        checks.append(
            (
                "Crime type",
                ~pl.col("Crime type").is_in(sorted(layouts.KNOWN_CRIME_TYPES))
                | pl.col("Crime type").is_null(),
                lambda r: f"unknown crime type {r['Crime type']!r}",
            )
        )
    if not checks:
        return []
    failed = frame.select(
        [cond.fill_null(False).sum().alias(str(i)) for i, (_, cond, _) in enumerate(checks)]
    ).row(0)
    problems: list[Problem] = []
    for (field_name, condition, message), total in zip(checks, failed, strict=True):
        if not total:
            continue
        for n in _rows(frame, condition.fill_null(False))[:MAX_PROBLEMS]:
            problems.append(_problem(source, n + 2, field_name, message(frame.row(n, named=True))))
        if total > MAX_PROBLEMS:
            problems.append(
                _problem(source, None, field_name, f"and {total - MAX_PROBLEMS} more rows like these")
            )
    return problems


def _stage(source: SourceFile, held: dict | None) -> tuple[dict | None, int, list[Problem], bool]:
    """Read, check and write one file to a new Parquet file: (entry, rows, problems, unchanged)."""
    data = _read(source)
    digest = hashlib.sha256(data).hexdigest() if data is not None else None  # releases the GIL
    if held and digest and held.get("sha256") == digest:
        return None, held["rows"], [], True
    frame, problems = read_and_check(source, data)
    del data
    if problems:
        return None, 0, problems, False
    path = store.new_part_path(source.kind, source.force, source.month)
    frame.write_parquet(path, compression="lz4", statistics=True)
    entry = {
        "file": str(path.relative_to(store.root())),
        "rows": frame.height,
        "source": Path(source.name).name,
        "sha256": digest,
    }
    return entry, frame.height, [], False


def import_files(
    files: list[SourceFile], *, progress: Callable[[ImportResult, int], None] | None = None, workers: int = 3
) -> ImportResult:
    """Check and stage every file (three at a time: Polars and hashlib release the GIL), then commit them
    together. Nothing changes unless every file is good. A file identical to the one the store holds for its
    force and month (same SHA-256) is not rewritten."""
    result = ImportResult()
    started = time.perf_counter()
    problems: list[Problem] = []
    with store.locked(), ThreadPoolExecutor(max_workers=workers) as pool:
        store.collect_garbage()  # leftovers of an import that was killed before its commit
        current = store.read_manifest()["parts"]
        staged = pool.map(
            lambda f: _stage(f, current.get(f.kind, {}).get(store.key(f.force, f.month))), files
        )
        for source, (entry, rows, found, unchanged) in zip(files, staged, strict=True):
            problems.extend(found)
            if found:
                continue
            if unchanged:
                result.unchanged += 1
            else:
                result.parts.setdefault(source.kind, {})[store.key(source.force, source.month)] = entry
            _count(result, source, rows)
            if progress:
                result.seconds = time.perf_counter() - started
                progress(result, len(files))
        if problems:
            store.collect_garbage()  # remove what was staged; the manifest is unchanged
            raise DocumentError(problems)
        if result.parts:
            store.commit(result.parts)
    result.seconds = time.perf_counter() - started
    return result


def iter_months(start: str, end: str) -> Iterator[str]:
    year, month = int(start[:4]), int(start[5:])
    while f"{year:04d}-{month:02d}" <= end:
        yield f"{year:04d}-{month:02d}"
        month += 1
        if month == 13:
            year, month = year + 1, 1
