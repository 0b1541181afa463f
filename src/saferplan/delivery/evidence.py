"""Evidence files for progress updates: limited in size and type, checked by content (not just by name),
stored under SAFERPLAN_DATA_DIR/evidence and served only through a view that checks permission."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

from django.conf import settings

from saferplan.core.importing import XLSX_MAX_ENTRIES, XLSX_MAX_RATIO, XLSX_MAX_UNCOMPRESSED, archive_problem

MAX_BYTES = 10 * 1024 * 1024

TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
}


class EvidenceError(ValueError):
    pass


def _office_part(content: bytes) -> str:
    """.docx or .xlsx when the zip holds that Office document's main part, "" otherwise; an archive that would
    unpack to a decompression bomb is refused (an evidence file is kept to be opened by people later)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return ""
    too_much = archive_problem(
        entries, max_entries=XLSX_MAX_ENTRIES, max_bytes=XLSX_MAX_UNCOMPRESSED, max_ratio=XLSX_MAX_RATIO
    )
    if too_much:
        raise EvidenceError(f"The evidence file was not accepted: {too_much}")
    names = {e.filename for e in entries}
    if "word/document.xml" in names:
        return ".docx"
    if "xl/workbook.xml" in names:
        return ".xlsx"
    return ""


def sniff(content: bytes) -> str | None:
    """The file type the content really is, as an extension, or None."""
    if content.startswith(b"%PDF-"):
        return ".pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if content.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if content.startswith(b"PK\x03\x04"):
        return _office_part(content) or None
    if b"\x00" not in content[:8192]:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return ".txt"
    return None


def check(name: str, content: bytes) -> tuple[str, str]:
    """(extension, content type) of an acceptable evidence file, or EvidenceError saying why not."""
    if len(content) > MAX_BYTES:
        raise EvidenceError("The evidence file must be smaller than 10 MB")
    if not content:
        raise EvidenceError("The evidence file is empty")
    extension = Path(name).suffix.lower()
    if extension not in TYPES:
        raise EvidenceError(
            "The evidence file must be a PDF, Word (DOCX), Excel (XLSX), PNG, JPEG, CSV or text file"
        )
    actual = sniff(content)
    expected = {".jpeg": ".jpg", ".csv": ".txt"}.get(extension, extension)
    if actual != expected:
        raise EvidenceError(
            f"The file is called {Path(name).name} but its content is not a {extension[1:].upper()} file"
        )
    return extension, TYPES[extension]


def save(content: bytes, extension: str) -> str:
    """Store the content under the data folder; return its path relative to SAFERPLAN_DATA_DIR."""
    relative = Path("evidence") / f"{uuid.uuid4().hex}{extension}"
    path = Path(settings.DATA_DIR) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return str(relative)


def open_file(relative: str) -> Path:
    path = (Path(settings.DATA_DIR) / relative).resolve()
    root = (Path(settings.DATA_DIR) / "evidence").resolve()
    if root not in path.parents:
        raise FileNotFoundError(relative)
    return path
