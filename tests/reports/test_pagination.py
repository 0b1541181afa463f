"""Pages as a reader expects them, in PDF and Word: table rows never split across pages and header rows on every
page; no page ends with a heading, a caption or a chart title; the title and "Page 3 of 12" in every footer; a
committee paper's front above the title and its appendices on new pages; and document properties that are the
report's own. PDFs are read back with pdfplumber; Word files are laid out by LibreOffice (their fields filled
in) and read back the same way."""

import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from saferplan.reports import render
from saferplan.reports.committee import Paper, committee_document
from saferplan.reports.document import Heading, Paragraph, Table
from tests.reports.conftest import RENDERING_ON_SQLITE_ONLY, REPORTS, libreoffice_pdfs
from tests.reports.pagination import document_tables, read_pdf, split_rows, squeeze, stranded

pytestmark = [pytest.mark.django_db, RENDERING_ON_SQLITE_ONLY]


@pytest.fixture(scope="module")
def word_pdfs(rendered, tmp_path_factory):
    """Every report's Word file as LibreOffice lays it out."""
    _, files, _ = rendered
    out = tmp_path_factory.mktemp("word-pdf")
    libreoffice_pdfs([files[kind, "docx"] for kind in REPORTS], out, out / "profile")
    return {kind: out / f"{kind}.pdf" for kind in REPORTS}


def _recent(moment: datetime) -> bool:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return timedelta(0) <= datetime.now(UTC) - moment < timedelta(days=1)


def _check_pages(document, pages, kind: str) -> None:
    problems, whole = split_rows(document, pages)
    assert problems == [], kind
    assert whole == sum(len(t.rows) for t in document_tables(document)), kind  # every row found whole
    assert stranded(document, pages) == [], kind
    for page in pages:
        assert page.footer.endswith(f"Page {page.number} of {len(pages)}"), (kind, page.number, page.footer)
        assert squeeze(document.title) in squeeze(page.footer), (kind, page.number)


def test_pdf_pages_keep_rows_whole_headings_with_their_text_and_number_every_page(rendered):
    documents, files, _ = rendered
    for kind, document in documents.items():
        _check_pages(document, read_pdf(files[kind, "pdf"]), kind)


def test_word_pages_as_libreoffice_lays_them_out_keep_rows_whole_and_number_every_page(rendered, word_pdfs):
    documents, _, _ = rendered
    for kind, document in documents.items():
        assert word_pdfs[kind].exists(), f"LibreOffice could not open {kind}.docx"
        _check_pages(document, read_pdf(word_pdfs[kind]), kind)


def test_the_page_checks_find_split_rows_lost_headers_and_stranded_headings(rendered, tmp_path):
    """The same report printed without the pagination rules: the checks above must catch it."""
    documents, _, _ = rendered
    document = documents["plan"]

    def pages(rules: str):
        path = tmp_path / "loose.pdf"
        path.write_bytes(render.html_to_pdf(render.to_html(document).replace("</style>", rules + "</style>")))
        return read_pdf(path)

    problems, _ = split_rows(document, pages("tr { break-inside: auto !important }"))
    assert any("cut by the page break" in p for p in problems)
    loose = pages(
        "thead { display: table-row-group !important }"
        " h1, h2, h3, h4, h5, caption, figure { break-after: auto !important }"
    )
    assert any("without its header row" in p for p in split_rows(document, loose)[0])
    assert stranded(document, loose)


def test_word_footers_number_the_pages(rendered):
    documents, files, _ = rendered
    for kind, document in documents.items():
        word = WordDocument(str(files[kind, "docx"]))
        for section in word.sections:
            footer = section.footer._element
            codes = [" ".join(t.text.split()) for t in footer.iter(qn("w:instrText"))]
            assert codes == ["PAGE", "NUMPAGES"], kind
            assert document.title in "".join(t.text or "" for t in footer.iter(qn("w:t"))), kind


def test_word_tables_repeat_their_header_row_and_never_split_a_row(rendered):
    documents, files, _ = rendered
    for kind, document in documents.items():
        word = WordDocument(str(files[kind, "docx"]))
        assert len(word.tables) == len(document_tables(document)), kind
        for table in word.tables:
            rows = table.rows
            assert rows[0]._tr.trPr.xpath("./w:tblHeader"), kind
            assert all(row._tr.trPr is not None and row._tr.trPr.xpath("./w:cantSplit") for row in rows), kind
            assert not any(row._tr.trPr.xpath("./w:tblHeader") for row in rows[1:]), kind
            caption = table._tbl.getprevious()
            assert caption.xpath("./w:pPr/w:keepNext") and caption.xpath("./w:pPr/w:pStyle/@w:val") == [
                "Caption"
            ]
        headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
        assert headings and all(p.paragraph_format.keep_with_next for p in headings), kind


def test_word_and_excel_properties_are_the_reports(rendered):
    """Not python-docx's template's (author "python-docx", created 2013-12-23) nor openpyxl's."""
    documents, files, _ = rendered
    for kind, document in documents.items():
        properties = WordDocument(str(files[kind, "docx"])).core_properties
        assert properties.author == (document.author or "SaferPlan") != "python-docx", kind
        assert properties.last_modified_by == properties.author, kind
        assert _recent(properties.created) and _recent(properties.modified), (kind, properties.created)
        assert properties.title == document.title and properties.language == "en-GB", kind
        front = document.front.meeting if document.front else ""
        assert properties.subject == (document.subtitle or front), kind
        assert "SaferPlan" in properties.comments, kind
        with zipfile.ZipFile(files[kind, "docx"]) as package:
            assert b"Microsoft Macintosh Word" not in package.read("docProps/app.xml"), kind
            assert not [n for n in package.namelist() if "thumbnail" in n], kind


def test_pdf_properties_are_the_reports(rendered):
    import pdfplumber

    documents, files, _ = rendered
    for kind, document in documents.items():
        with pdfplumber.open(str(files[kind, "pdf"])) as pdf:
            info = pdf.metadata
        assert info["Title"] == document.title and info["Author"] == (document.author or "SaferPlan"), kind
        created = datetime.strptime(info["CreationDate"][2:16], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        assert _recent(created), (kind, info["CreationDate"])


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    """A committee paper with an appendix of a long table, in PDF, Word and Word laid out by LibreOffice."""
    rows = [[f"Action {n}", "Anti-Social Behaviour Group " * (1 + n % 4), f"{n}"] for n in range(1, 60)]
    document = committee_document(
        Paper(
            "Safer and Stronger Communities Overview and Scrutiny Committee",
            date(2017, 10, 19),
            report_of=[
                "Lorraine O'Donnell, Director of Transformation and Partnerships",
                "Councillor Joy Allen, Cabinet Portfolio Holder for Safer Communities",
            ],
            author="Safe Durham Partnership",
        ),
        title="Safe Durham Partnership Update",
        purpose="To update the committee on the partnership's work.",
        background=[Paragraph("The partnership meets quarterly.", numbered=True)],
        body=[Heading("Progress", 1), Paragraph("Work is on track.", numbered=True)],
        recommendations=["note the update."],
        appendices=[
            ("Detailed actions", [Table("Detailed actions", ["Action", "Owner", "Updates"], rows, [2])])
        ],
    )
    folder = tmp_path_factory.mktemp("paper")
    (folder / "paper.pdf").write_bytes(render.to_pdf(document))
    (folder / "paper.docx").write_bytes(render.to_docx(document))
    libreoffice_pdfs([folder / "paper.docx"], folder / "word", folder / "profile")
    return document, folder


def test_a_committee_papers_front_is_above_its_title_and_appendices_start_new_pages(paper):
    document, folder = paper
    opening = [
        "Safer and Stronger Communities Overview and Scrutiny Committee",
        "19 October 2017",
        "Safe Durham Partnership Update",
        "Report of Lorraine O'Donnell, Director of Transformation and Partnerships",
        "Councillor Joy Allen, Cabinet Portfolio Holder for Safer Communities",
    ]
    appendices = [b.text for b in document.blocks if isinstance(b, Heading) and b.page_break]
    assert len(appendices) == 2
    for path in (folder / "paper.pdf", folder / "word" / "paper.pdf"):
        pages = read_pdf(path)
        first = squeeze(" ".join(line.text for line in pages[0].lines))
        assert first.startswith(squeeze(" ".join(opening))), (path, first[:200])
        starts = [squeeze(page.lines[0].text) for page in pages if page.lines]
        assert all(squeeze(a) in starts for a in appendices), (path, appendices)
        _check_pages(document, pages, str(path))
    word = WordDocument(str(folder / "paper.docx"))
    assert [p.text for p in word.paragraphs[:5]] == opening
    assert word.paragraphs[2].style.name == "Title"
    breaks = [p.text for p in word.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == appendices
    assert word.core_properties.author == "Safe Durham Partnership"
