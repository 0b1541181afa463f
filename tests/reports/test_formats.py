"""Every report renders in every format from the demo: Word and Excel files open in LibreOffice without
repair (it converts them to PDF), PDFs are tagged A4 documents with a title and language, and every PDF page
turned into an image (pdftoppm) has visible content."""

import io
import re
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from saferplan.plans.models import Indicator
from saferplan.reports import render
from saferplan.reports.document import Chart, Document, Paragraph, Table
from tests.reports.conftest import RENDERING_ON_SQLITE_ONLY, REPORTS
from tests.reports.conftest import tool as _tool

# django_db: so that pytest-django sets up the test database for the module fixture
pytestmark = [pytest.mark.django_db, RENDERING_ON_SQLITE_ONLY]


def _pdfinfo(path) -> dict[str, str]:
    out = subprocess.run([_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^([^:]+):\s+(.*)$", out, re.M))


def test_every_character_has_a_glyph(rendered):
    """The plan's contact details name languages in their own scripts (Chinese, Punjabi, Bengali, Hindi,
    Arabic, Urdu): the set-up script installs fonts for them, so no character prints as an empty box."""
    _, files, _ = rendered
    assert "中文" in files["plan", "html"].read_text()
    assert not [m for m in files["warnings"] if "notdef" in m]


def test_word_files_have_the_documents_structure(rendered):
    documents, files, _ = rendered
    for kind, document in documents.items():
        word = WordDocument(str(files[kind, "docx"]))
        assert word.core_properties.title == document.title and word.core_properties.language == "en-GB"
        front = [document.front.meeting, document.front.date] if document.front else []
        assert [p.text for p in word.paragraphs[: len(front)]] == front, kind
        title = word.paragraphs[len(front)]
        assert title.style.name == "Title" and title.text == document.title, kind
        headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
        assert headings == [b.text for b in document.blocks if b.kind == "heading"], kind
        charts = [b for b in document.blocks if isinstance(b, Chart)]
        assert [s._inline.docPr.get("descr") for s in word.inline_shapes] == [c.alt for c in charts], kind
        tables = [b for b in document.blocks if isinstance(b, Table)] + [c.table for c in charts]
        assert len(word.tables) == len(tables), kind
        for table in word.tables:
            assert table.rows[0]._tr.trPr.xpath("./w:tblHeader"), kind
        numbered = [b for b in document.blocks if isinstance(b, Paragraph) and b.numbered]
        assert len([p for p in word.paragraphs if p.style.name == "List Number"]) == len(numbered), kind


def test_data_annex_has_a_sheet_for_each_table(rendered):
    documents, files, _ = rendered
    for kind, document in documents.items():
        workbook = load_workbook(files[kind, "xlsx"])
        tables = document.annex_tables()
        assert len(workbook.sheetnames) == max(len(tables), 1), kind
        for sheet, table in zip(workbook.worksheets, tables, strict=bool(tables)):
            rows = list(sheet.iter_rows(values_only=True))
            assert rows[0][0] == table.caption and list(rows[1]) == table.columns
            assert len(rows) == len(table.rows) + 2


def test_board_annex_keeps_figures_as_numbers(rendered):
    _, files, _ = rendered
    sheet = load_workbook(files["board", "xlsx"])["Data annex"]
    header = [c.value for c in sheet[2]]
    values = [row[header.index("Value")] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert values and all(isinstance(v, int | float) for v in values)


def test_annex_figures_are_typed_numbers_with_number_formats(rendered):
    """Figures are numbers shown with thousands separators or a fixed number of decimal places (not raw
    floats), figures written as text in a figures column ("56.3%", "3.98") are numbers too, and units are
    spelt out as the plan writes them ("Rate per 1,000", not "rate_per_1000")."""
    documents, files, _ = rendered
    codes = set(Indicator.Unit.values)
    labels = set(Indicator.Unit.labels)
    for kind in REPORTS:
        workbook = load_workbook(files[kind, "xlsx"])
        for sheet in workbook.worksheets:
            header = [c.value for c in sheet[2]]
            for row in sheet.iter_rows(min_row=3):
                for cell in row:
                    if isinstance(cell.value, int | float):
                        assert cell.number_format != "General", (kind, sheet.title, cell.coordinate)
                        assert re.fullmatch(r"#,##0(\.0+)?|0(\.0+)?%", cell.number_format), cell.number_format
                        assert cell.value == round(cell.value, 6), (kind, sheet.title, cell.coordinate)
                    assert cell.value not in codes, (kind, sheet.title, cell.coordinate)
            if "Unit" in header:
                units = {r[header.index("Unit")] for r in sheet.iter_rows(min_row=3, values_only=True)}
                written = {u.split(" (")[0] for u in units if u}  # "Percentage (assumed for the demo)"
                assert written and written <= labels, (kind, sheet.title, units)
    board = load_workbook(files["board", "xlsx"])
    charted = [s for s in board.worksheets if [c.value for c in s[2]] == ["Period", "Value", "Variation"]]
    assert charted
    for sheet in charted:
        values = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert values and all(isinstance(v, int | float) for v in values), sheet.title


def test_annex_dates_are_dates_and_formula_like_text_stays_text():
    table = Table(
        "Actions",
        ["Action", "Target date", "Agreed", "Change", "Rate"],
        [
            ['=HYPERLINK("http://example.com")', "31 March 2017", "2016-04-01", "-5 points", 0.1 + 0.2],
            ["+44 191 383 3000", "31 Mar 2017 (assumed for the demo)", "no date", "−2.5", 2.345678901],
        ],
        numeric=[3, 4],
    )
    sheet = load_workbook(io.BytesIO(render.to_xlsx(Document("Typed cells", blocks=[table]))))["Actions"]
    first, second = list(sheet.iter_rows(min_row=3))
    assert first[0].data_type == "s" and first[0].value.startswith("=HYPERLINK")  # text, never a formula
    assert second[0].data_type == "s" and second[0].value == "+44 191 383 3000"
    assert first[1].value == datetime(2017, 3, 31) and first[1].is_date and "yy" in first[1].number_format
    assert first[2].value == datetime(2016, 4, 1) and first[2].is_date
    assert second[1].value == "31 Mar 2017 (assumed for the demo)" and second[2].value == "no date"
    assert first[3].value == "-5 points" and first[3].data_type == "s"
    assert second[3].value == -2.5 and second[3].number_format == "#,##0.0"
    assert (
        first[4].value == 0.3 and first[4].number_format == "#,##0.00"
    )  # rates: two places, as plans write them
    assert second[4].value == 2.345679 and second[4].number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width > len("+44 191 383 3000")
    assert sheet.column_dimensions["B"].width > len("31 Mar 2017 (assumed for the demo)")


def test_annex_properties_are_the_reports(rendered):
    documents, files, _ = rendered
    for kind, document in documents.items():
        properties = load_workbook(files[kind, "xlsx"]).properties
        assert properties.creator == (document.author or "SaferPlan") != "openpyxl", kind
        assert properties.title == document.title and properties.language == "en-GB", kind
        assert (
            timedelta(0) <= datetime.now(UTC).replace(tzinfo=None) - properties.created < timedelta(days=1)
        ), kind


def test_pdfs_are_tagged_a4_with_title_and_language_and_every_page_has_content(rendered, tmp_path):
    documents, files, _ = rendered
    for kind, document in documents.items():
        path = files[kind, "pdf"]
        info = _pdfinfo(path)
        assert info["Tagged"] == "yes" and info["Title"] == document.title, kind
        assert info["Page size"].endswith("(A4)"), kind
        assert b"/Lang (en-GB)" in path.read_bytes() or _lang_in_streams(path.read_bytes()), kind
        pages = int(info["Pages"])
        subprocess.run(
            [_tool("pdftoppm"), "-png", "-r", "20", str(path), str(tmp_path / kind)], check=True, timeout=120
        )
        images = sorted(tmp_path.glob(f"{kind}-*.png"))
        assert len(images) == pages, kind
        for image in images:
            assert not _blank(image), (kind, image.name)


def test_libreoffice_opens_every_word_and_excel_file_without_repair(rendered, tmp_path):
    """LibreOffice converts a file only if it can load it; a file needing repair converts to nothing."""
    _, files, folder = rendered
    broken = folder / "broken.docx"
    broken.write_bytes(files["board", "docx"].read_bytes()[:5000])  # a cut-off file: the check must catch it
    inputs = [files[k, fmt] for k in REPORTS for fmt in ("docx", "xlsx")]
    for path in inputs:
        (folder / f"{path.stem}-{path.suffix[1:]}{path.suffix}").write_bytes(path.read_bytes())
    renamed = [folder / f"{p.stem}-{p.suffix[1:]}{p.suffix}" for p in inputs]
    out = tmp_path / "out"
    subprocess.run(
        [
            _tool("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, renamed),
            str(broken),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )
    for path in renamed:
        converted = out / f"{path.stem}.pdf"
        assert converted.exists(), f"LibreOffice could not open {path.name}"
        assert int(_pdfinfo(converted)["Pages"]) >= 1
    assert not (out / "broken.pdf").exists()


def test_html_is_one_page_with_the_title_and_language(rendered):
    documents, files, _ = rendered
    for kind, document in documents.items():
        html = files[kind, "html"].read_text()
        assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
        assert f"<title>{document.title}</title>" in html.replace("&#x27;", "'")
        for chart in (b for b in document.blocks if isinstance(b, Chart)):
            assert f'alt="{chart.alt}"' in html.replace("&#x27;", "'")


def test_document_json_round_trips(rendered):
    documents, _, _ = rendered
    for document in documents.values():
        assert Document.from_json(document.to_json()).to_json() == document.to_json()


def _lang_in_streams(pdf: bytes) -> bool:
    import zlib

    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            if b"/Lang (en-GB)" in zlib.decompress(match.group(1)):
                return True
        except zlib.error:
            continue
    return False


def _blank(path) -> bool:
    """True if a page image is all one shade (Pillow comes with WeasyPrint)."""
    from PIL import Image

    with Image.open(path) as image:
        low, high = image.convert("L").getextrema()
    return low == high
