"""Every upload and import against the same hostile files (issue 15): empty, truncated, the wrong type under the
right name, a zip bomb, a YAML alias bomb, the wrong encoding, oversized, and a formula payload. Each is refused
with a message naming what is wrong, never a server error, and nothing is written."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Population
from saferplan.areas.populations import import_populations
from saferplan.core.importing import DocumentError
from saferplan.delivery import evidence, spreadsheet
from saferplan.delivery.models import DetailedAction
from saferplan.indicators import data_returns
from saferplan.indicators.models import DataReturn, Observation
from saferplan.plans.models import Indicator, Objective, Plan
from saferplan.police import ingest, store
from saferplan.police import services as police_services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def zip_bomb(member: str = "xl/worksheets/sheet1.xml", size: int = 60 * 1024 * 1024) -> bytes:
    """A zip whose one entry unpacks to `size` bytes of one repeated character (about 1,000 times smaller packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(member, b"a" * size)
    return out.getvalue()


ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
).encode()


def xlsx(rows, title: str = "Sheet") -> bytes:
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# What a good file of each kind starts with (for truncation and the formula payload).
RETURN_CSV = b"indicator,area,period,value\nasb-incidents-police,E06000047,Jan 2019,1650\n"
POPULATION_CSV = b"area code,area name,year,population\nE06000047,County Durham,2015,519347\n"


def payloads(kind: str) -> dict[str, bytes]:
    """The eight hostile files for an importer reading `kind` (csv, xlsx, yaml, zip or police csv)."""
    text = {"yaml": b"format: saferplan-plan/1\npartnership:\n  slug: x\n", "csv": RETURN_CSV}.get(
        kind, RETURN_CSV
    )
    truncated = {
        "csv": RETURN_CSV[:-12],  # the last row ends inside its period
        "population": POPULATION_CSV[:-13],  # the last row ends inside the area name
        "yaml": text[:-6] + b'"',  # an unclosed quote
        "xlsx": xlsx([["indicator", "area", "period", "value"]])[:700],
        "zip": zip_bomb(size=1000)[:300],
        "police": b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Cr",
    }[kind]
    formula = {
        "xlsx": xlsx([['=HYPERLINK("http://x","a")', "=1+1"], ["@SUM(A1)", "+1"]]),
        "yaml": b"=cmd|' /C calc'!A0\n",
    }.get(kind, b'=HYPERLINK("http://example.com","x"),=1+1,@SUM(A1),-2+3\r\n=1+1,=2,=3,=4\n')
    return {
        "empty": b"",
        "truncated": truncated,
        "wrong type": PNG,
        "zip bomb": zip_bomb(),
        "alias bomb": ALIAS_BOMB,
        "wrong encoding": "indicator,area,period,value\nasb-incidents-police,E06000047,Jan 2019,\u00a31650\n".encode(
            "utf-16"
        ),
        "formula": formula,
    }


KINDS = list(payloads("csv"))


def counts():
    return (
        Observation.objects.count(),
        DataReturn.objects.count(),
        Plan.objects.count(),
        Objective.objects.count(),
        Indicator.objects.count(),
        DetailedAction.objects.count(),
        Population.objects.count(),
        store.read_manifest()["version"],
    )


@pytest.mark.parametrize("name", ["return.csv", "return.xlsx"])
@pytest.mark.parametrize("case", KINDS)
def test_data_returns_refuse_hostile_files(demo, name, case):
    content = payloads(name.rsplit(".", 1)[1])[case]
    before = counts()
    with pytest.raises(DocumentError) as refused:
        data_returns.import_data_return(
            name,
            content,
            organisation=Organisation.objects.get(slug="durham-constabulary"),
            partnership=demo.partnership,
        )
    assert refused.value.problems and all(p.message for p in refused.value.problems)
    assert counts() == before


def test_data_returns_refuse_oversized_files(demo):
    rows = "".join(f"asb-incidents-police,E06000047,Jan 2019,{n}\n" for n in range(data_returns.MAX_ROWS + 1))
    with pytest.raises(DocumentError, match="more than 100,000 rows"):
        data_returns.import_data_return(
            "big.csv",
            ("indicator,area,period,value\n" + rows).encode(),
            organisation=Organisation.objects.get(slug="durham-constabulary"),
            partnership=demo.partnership,
        )
    wide = xlsx([["indicator", "area", "period", "value", *[None] * 60, "x"]])
    with pytest.raises(DocumentError, match="a value beyond column 50"):
        data_returns.import_data_return("wide.xlsx", wide, organisation=None, partnership=demo.partnership)
    long_cell = xlsx([["indicator", "area", "period", "value"], ["x" * 20_000]])
    with pytest.raises(DocumentError, match="a cell of 20,000 characters"):
        data_returns.import_data_return(
            "long.xlsx", long_cell, organisation=None, partnership=demo.partnership
        )


def test_the_shared_strings_bomb_is_refused_before_it_is_parsed(demo):
    """The probe's 88 KB workbook of repeated shared strings: refused from the archive's directory alone."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        good = zipfile.ZipFile(io.BytesIO(xlsx([["indicator"]])))
        for item in good.infolist():
            archive.writestr(item, good.read(item))
        strings = "<si><t>" + "A" * 64 + "</t></si>"
        archive.writestr("xl/sharedStrings.xml", "<sst>" + strings * 800_000 + "</sst>")
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(DocumentError, match="compression bomb|unpacks to"):
        data_returns.import_data_return(
            "bomb.xlsx", out.getvalue(), organisation=None, partnership=demo.partnership
        )


@pytest.mark.parametrize("case", KINDS)
def test_delivery_workbooks_refuse_hostile_files(demo, case):
    before = counts()
    with pytest.raises(DocumentError) as refused:
        spreadsheet.import_workbook("delivery.xlsx", payloads("xlsx")[case], plan=demo)
    assert refused.value.problems[0].message
    assert counts() == before


def test_delivery_workbooks_refuse_oversized_files(demo):
    rows = [spreadsheet.COLUMNS] + [["", "1.1.1", "x", "y"]] * (spreadsheet.MAX_ROWS + 1)
    with pytest.raises(DocumentError, match="more than 10,000 rows"):
        spreadsheet.import_workbook("big.xlsx", xlsx(rows, spreadsheet.SHEET), plan=demo)


@pytest.mark.parametrize("case", KINDS)
def test_plan_files_refuse_hostile_files(demo, tmp_path, case):
    path = tmp_path / "plan.yaml"
    path.write_bytes(payloads("yaml")[case])
    before = counts()
    with pytest.raises(CommandError) as refused:
        call_command("plan", "import", str(path))
    assert "problem" in str(refused.value) or "not UTF-8 text" in str(refused.value)
    assert counts() == before


def test_the_alias_bomb_is_named_and_refused_at_once(demo):
    from saferplan.plans.plan_yaml import import_plan_text

    with pytest.raises(DocumentError, match="anchors and aliases .* are not allowed"):
        import_plan_text(ALIAS_BOMB.decode(), filename="bomb.yaml")


def test_plan_files_refuse_oversized_files(demo):
    from saferplan.plans.plan_yaml import MAX_CHARACTERS, import_plan_text

    with pytest.raises(DocumentError, match="more than the limit of 5,000,000"):
        import_plan_text("# " + "x" * MAX_CHARACTERS, filename="big.yaml")


@pytest.mark.parametrize("case", KINDS)
def test_population_files_refuse_hostile_files(demo, case):
    content = {**payloads("csv"), "truncated": payloads("population")["truncated"]}[case]
    before = counts()
    with pytest.raises(DocumentError) as refused:
        import_populations("population.csv", content)
    assert refused.value.problems[0].message
    assert counts() == before


def test_population_files_refuse_oversized_files(demo):
    from saferplan.areas.populations import MAX_ROWS

    rows = "".join(f"E06000047,County Durham,{2000 + n % 20},5\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(DocumentError, match="more than 200,000 rows"):
        import_populations("big.csv", ("area code,area name,year,population\n" + rows).encode())


@pytest.mark.parametrize("case", KINDS)
@pytest.mark.parametrize("name", ["2016-03-durham-street.csv", "archive.zip"])
def test_police_files_refuse_hostile_files(demo, tmp_path, case, name):
    content = payloads("zip" if name.endswith(".zip") else "police")[case]
    if name.endswith(".zip") and case == "zip bomb":
        content = zip_bomb("2016-03/2016-03-durham-street.csv", size=200 * 1024 * 1024)
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    with pytest.raises(DocumentError) as refused:
        police_services.police_import(
            ingest.select(ingest.discover([str(path)])), partnership=demo.partnership
        )
    assert all(p.message for p in refused.value.problems)
    assert counts() == before


@pytest.mark.parametrize("case", [*KINDS, "oversized"])
@pytest.mark.parametrize("name", ["evidence.xlsx", "evidence.pdf", "evidence.csv"])
def test_evidence_files_refuse_hostile_files(case, name):
    content = b"x" * (evidence.MAX_BYTES + 1) if case == "oversized" else payloads("xlsx")[case]
    if case == "formula" or (name.endswith(".csv") and case in ("truncated", "alias bomb")):
        pytest.skip(
            "evidence is kept to be read by people, never parsed or exported: text and formulas are content"
        )
    with pytest.raises(evidence.EvidenceError) as refused:
        evidence.check(name, content)
    assert str(refused.value)


def test_web_uploads_never_fail_on_hostile_files(users, demo, client):
    """The same files through the data return page: a clear 400 page, never a 500, nothing written."""
    client.force_login(users["analyst"])
    organisation = Organisation.objects.get(slug="durham-constabulary")
    url = reverse("data-return-detail", args=[organisation.slug])
    before = counts()
    for name in ("return.csv", "return.xlsx"):
        for case, content in payloads(name.rsplit(".", 1)[1]).items():
            response = client.post(url, {"file": SimpleUploadedFile(name, content)})
            assert response.status_code == 400, (name, case)
            page = response.content.decode()
            assert "There is a problem" in page or "The return was not accepted" in page, (name, case)
    assert counts() == before


@pytest.mark.parametrize(
    "form_path, name, limit_text",
    [
        ("saferplan.police.forms.PoliceUploadForm", "2016-03-durham-street.csv", "smaller than 200 MB"),
        ("saferplan.indicators.forms.DataReturnUploadForm", "return.csv", "smaller than 10 MB"),
    ],
)
def test_oversized_uploads_are_refused_before_they_are_read(form_path, name, limit_text):
    """The upload forms refuse a file over their limit from its size alone (the request body limit, for
    anything larger, is in tests/web/test_security.py)."""
    from importlib import import_module

    module, cls = form_path.rsplit(".", 1)
    form_class = getattr(import_module(module), cls)

    class Unread(SimpleUploadedFile):
        def read(self, *args):
            pytest.fail("an oversized upload was read")

    upload = Unread(name, b"Crime ID\n")
    upload.size = 300 * 1024 * 1024
    form = form_class(data={}, files={"file": upload})
    assert not form.is_valid() and limit_text in str(form.errors["file"])
