"""Every report of the demo rendered once in every format, for the format and pagination checks."""

import logging
import os
import shutil
import subprocess

import pytest

from saferplan.reports import render
from saferplan.reports.selectors import build_document, clean_parameters

# Rendering the demo's papers (WeasyPrint, python-docx, LibreOffice) does not depend on the database the figures
# came from, and takes minutes: it is checked in the SQLite pass of `make test` only, to keep the two passes
# within CI's time. Reading and writing the figures is tested on both databases elsewhere.
RENDERING_ON_SQLITE_ONLY = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="rendering is database-independent: checked in the SQLite pass",
)

REPORTS = {
    "board": {"quarter": "2015-16-Q4"},
    "basket": {"quarter": "2015-16-Q4", "basket": "cabinet"},
    "delivery": {"as_of": "2017-09-30", "since": "2017-04-01"},
    "achievements": {"year": "2015/16"},
    "plan": {},
    "partnership_update": {"meeting_date": "2016-02-15"},
}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: `make test-packages` installs it (scripts/system-packages.sh --test)"
        )
    return path


def libreoffice_pdfs(paths, out, profile) -> None:
    """Each Word or Excel file converted to PDF by LibreOffice (as it lays the pages out) into `out`."""
    subprocess.run(
        [
            tool("soffice"),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every report in every format, rendered once from the demo."""
    from saferplan.plans.selectors import plan_get

    folder = tmp_path_factory.mktemp("reports")
    with django_db_blocker.unblock():
        plan = plan_get()
        documents = {
            kind: build_document(plan, kind, clean_parameters(plan, kind, parameters))
            if kind == "partnership_update"  # its Board meetings are worked out from the meeting's date
            else build_document(plan, kind, parameters)
            for kind, parameters in REPORTS.items()
        }
    files = {}
    warnings = Warnings()
    logging.getLogger("weasyprint").addHandler(warnings)
    try:
        for kind, document in documents.items():
            for fmt, content in render.render_all(document).items():
                path = folder / f"{kind}.{fmt}"
                path.write_bytes(content)
                files[kind, fmt] = path
    finally:
        logging.getLogger("weasyprint").removeHandler(warnings)
    files["warnings"] = warnings.messages
    return documents, files, folder


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())
