"""Police open data: the real Durham month, archives, re-imports, killed imports, bad files, derived figures."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.areas.models import Area
from saferplan.core.importing import DocumentError
from saferplan.indicators.models import Observation
from saferplan.plans.management.commands.demo import POLICE_DEMO
from saferplan.police import ingest, layouts, services, store, summary
from saferplan.police.synthetic import street_frame, write_archive

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "police-uk" / "2016-03-durham-street.csv"


@pytest.fixture(autouse=True)
def police_store(settings, tmp_path):
    """A fresh police store for each test."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def real_counts(path: Path) -> tuple[Counter, Counter]:
    """Counts by crime type, and County Durham / Darlington / other by LSOA name, with the csv module."""
    by_type, by_authority = Counter(), Counter()
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_type[row["Crime type"]] += 1
            name = row["LSOA name"]
            by_authority[
                "County Durham"
                if name.startswith("County Durham ")
                else "Darlington"
                if name.startswith("Darlington ")
                else "other"
            ] += 1
    return by_type, by_authority


def import_paths(*paths, partnership=None):
    files = ingest.select(ingest.discover([str(p) for p in paths]))
    return services.police_import(files, partnership=partnership)


def test_the_real_durham_month_imports_and_counts_match(demo):
    path = REAL if REAL.exists() else POLICE_DEMO
    assert POLICE_DEMO.read_bytes() == path.read_bytes()  # the demo ships the file byte for byte
    by_type, by_authority = real_counts(path)
    assert sum(by_type.values()) == 5426
    result, _ = import_paths(path)
    assert (result.rows, result.files) == (5426, 1)
    counts = summary.counts_by_crime_type(("2016-03", "2016-03"))
    assert dict(c for c in counts["rows"] if c[1]) == dict(by_type)
    assert counts["crimes"] == 5426 - by_type["Anti-social behaviour"]
    county = Area.objects.get(code="E06000047")
    darlington = Area.objects.create(
        code="E06000005", name="Darlington", kind=Area.Kind.LOCALITY, lsoa_name_prefix="Darlington "
    )
    assert (
        summary.counts_by_crime_type(("2016-03", "2016-03"), county)["all"] == by_authority["County Durham"]
    )
    assert (
        summary.counts_by_crime_type(("2016-03", "2016-03"), darlington)["all"] == by_authority["Darlington"]
    )
    outside = [c for c in summary.coverage(county.partnership) if c["force"] == "durham"][0]
    assert outside["outside"] == 5426 - by_authority["County Durham"]


def test_derived_indicators_sit_beside_the_published_figures(demo):
    import_paths(
        POLICE_DEMO, partnership=demo.partnership
    )  # into this test's fresh store; the demo already did it
    asb = Observation.objects.get(
        indicator__slug="asb-incidents-police",
        area__code="E06000047",
        period="2016-03",
        source="police open data",
    )
    county_asb = summary.counts_by_crime_type(("2016-03", "2016-03"), Area.objects.get(code="E06000047"))[
        "asb"
    ]
    assert asb.value == county_asb and asb.headline  # the real police month is the demo's March 2016 headline
    assert asb.origin == "police" and county_asb == 1336
    crime = Observation.objects.get(
        indicator__slug="crime-rate", area__code="E06000047", period="2016-03", source="police open data"
    )
    population = Area.objects.get(code="E06000047").populations.get(year=2015).population
    assert crime.denominator == population and crime.value == pytest.approx(
        crime.numerator / population * 1000
    )
    theft = Observation.objects.get(
        indicator__slug="theft-offences-rate",
        area__code="E06000047",
        period="2016-03",
        source="police open data",
    )
    assert theft.numerator < crime.numerator
    assert Observation.objects.filter(source="police open data", period="2016-03").count() == 6


def test_second_import_changes_nothing_and_a_changed_month_is_replaced_exactly(demo, tmp_path):
    import_paths(POLICE_DEMO, partnership=demo.partnership)
    version = store.read_manifest()["version"]
    history = Observation.history.filter(source="police open data").count()
    result, derived = import_paths(POLICE_DEMO, partnership=demo.partnership)
    assert result.unchanged == 1 and store.read_manifest()["version"] == version
    assert derived["created"] == derived["revised"] == 0
    assert Observation.history.filter(source="police open data").count() == history
    # a corrected file for the same force and month replaces the old one: no duplicates
    lines = POLICE_DEMO.read_text(encoding="utf-8").splitlines(keepends=True)
    corrected = tmp_path / "2016-03-durham-street.csv"
    corrected.write_text(
        lines[0] + "".join(lines[101:]), encoding="utf-8"
    )  # 100 rows fewer, 38 of them County Durham ASB
    import_paths(corrected, partnership=demo.partnership)
    assert summary.counts_by_crime_type(("2016-03", "2016-03"))["all"] == len(lines) - 101
    assert len(list((store.root() / "street" / "durham").glob("*.parquet"))) == 1
    asb = Observation.objects.get(
        indicator__slug="asb-incidents-police",
        area__code="E06000047",
        period="2016-03",
        source="police open data",
    )
    assert asb.history.count() == 2  # the refresh shows in the history


def test_synthetic_archive_zip_with_filters(tmp_path, db):
    archive = tmp_path / "archive.zip"
    rows = write_archive(
        archive,
        ["2016-02", "2016-03", "2016-04"],
        rows_per_month=4300,
        forces=["durham", "cleveland", "northumbria"],
    )
    files = ingest.select(
        ingest.discover([archive]), forces=["durham", "cleveland"], start="2016-03", end="2016-04"
    )
    assert {(f.force, f.month) for f in files} == {
        (f, m) for f in ("durham", "cleveland") for m in ("2016-03", "2016-04")
    }
    result, _ = services.police_import(files)
    held = sum(p["rows"] for p in store.parts("street"))
    assert result.rows == held and 0 < held < rows
    unzipped = tmp_path / "unzipped"
    zipfile.ZipFile(archive).extractall(unzipped)
    again = ingest.select(
        ingest.discover([unzipped]), forces=["durham", "cleveland"], start="2016-03", end="2016-04"
    )
    assert (
        services.police_import(again)[0].unchanged == 4
    )  # the same files from the folder: nothing rewritten


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HEADER = ",".join(layouts.STREET)
GOOD = ",2016-03,Durham Constabulary,Durham Constabulary,-1.73,54.90,On or near Eden Avenue,E01020634,County Durham 001A,Anti-social behaviour,,"


def test_malformed_files_are_rejected_with_file_line_and_field(tmp_path, db):
    import_paths(POLICE_DEMO)
    before = store.read_manifest()
    bad = write_csv(
        tmp_path / "2016-04-durham-street.csv",
        [
            HEADER,
            GOOD.replace("2016-03", "2016-04"),
            GOOD.replace("2016-03", "2016-05"),  # month differs
            GOOD.replace("2016-03", "2016-04").replace("-1.73", "west"),  # longitude
            GOOD.replace("2016-03", "2016-04").replace("Anti-social behaviour", "Jaywalking"),
            GOOD.replace("2016-03", "2016-04") + ",extra",  # 13 fields
            ",".join(GOOD.replace("2016-03", "2016-04").split(",")[:10]),  # 10 fields
        ],
    )
    wrong_header = write_csv(
        tmp_path / "2016-04-cleveland-street.csv", ["Crime ID,Month,Crime type", "x,2016-04,Drugs"]
    )
    with pytest.raises(DocumentError) as caught:
        import_paths(tmp_path / "2016-04-durham-street.csv", wrong_header)
    report = caught.value.report()
    assert f"line 6, {bad}: 13 fields; the street layout has 12" in report
    assert f"line 7, {bad}: 10 fields; the street layout has 12" in report
    assert f"{wrong_header}, header: the columns are Crime ID, Month, Crime type" in report
    assert store.read_manifest() == before  # nothing changed
    bad = write_csv(
        tmp_path / "2016-04-durham-street.csv",
        [
            HEADER,
            GOOD.replace("2016-03", "2016-04"),
            GOOD.replace("2016-03", "2016-05"),
            GOOD.replace("2016-03", "2016-04").replace("-1.73", "west"),
            GOOD.replace("2016-03", "2016-04").replace("Anti-social behaviour", "Jaywalking"),
        ],
    )
    with pytest.raises(DocumentError) as caught:
        import_paths(bad)
    report = caught.value.report()
    assert f"line 3, {bad}, Month: '2016-05' differs from the file's month 2016-04" in report
    assert f"line 4, {bad}, Longitude: cannot read 'west' as a longitude" in report
    assert f"line 5, {bad}, Crime type: unknown crime type 'Jaywalking'" in report
    assert store.read_manifest() == before
    assert not list((store.root() / "street" / "durham").glob("2016-04*"))  # staged files removed


def test_names_and_missing_street_files(tmp_path, db):
    with pytest.raises(DocumentError, match="cannot tell the month, force and kind"):
        ingest.discover([write_csv(tmp_path / "crimes.csv", [HEADER])])
    outcomes = write_csv(tmp_path / "2016-03-durham-outcomes.csv", [",".join(layouts.OUTCOMES)])
    with pytest.raises(DocumentError, match="no street file for durham 2016-03"):
        ingest.select(ingest.discover([outcomes]))
    with pytest.raises(DocumentError, match="no such file or folder"):
        ingest.discover([tmp_path / "nope.zip"])


def test_old_crime_types_are_mapped(tmp_path, db):
    old = GOOD.replace("2016-03", "2012-05").replace("Anti-social behaviour", "Violent crime")
    weapons = old.replace("Violent crime", "Public disorder and weapons")
    import_paths(write_csv(tmp_path / "2012-05-durham-street.csv", [HEADER, old, weapons]))
    counts = dict(summary.counts_by_crime_type(("2012-05", "2012-05"))["rows"])
    assert counts["Violence and sexual offences"] == 1 and counts["Public order"] == 1


def test_outcomes_are_imported_when_present(tmp_path, db):
    street = write_csv(tmp_path / "2016-03-durham-street.csv", [HEADER, GOOD])
    outcome = "abc,2016-03,Durham Constabulary,Durham Constabulary,-1.73,54.90,On or near X,E01020634,County Durham 001A,Unable to prosecute suspect"
    outcomes = write_csv(tmp_path / "2016-03-durham-outcomes.csv", [",".join(layouts.OUTCOMES), outcome])
    import_paths(street, outcomes)
    assert store.parts("outcomes")[0]["rows"] == 1


def test_summary_and_top_commands(demo):
    import_paths(POLICE_DEMO)
    out = io.StringIO()
    call_command("police", "summary", "--month", "2016-03", "--area", "County Durham", stdout=out)
    text = out.getvalue()
    assert "Anti-social behaviour" in text and "Total crimes (excluding ASB)" in text
    out = io.StringIO()
    call_command("police", "summary", "--month", "2016-03", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert sum(data["counts"].values()) == data["all_rows"] == 5426
    out = io.StringIO()
    call_command("police", "summary", "--month", "2016-03", "--format", "csv", stdout=out)
    assert out.getvalue().startswith("crime type,count\n")
    out = io.StringIO()
    call_command(
        "police",
        "top",
        "--month",
        "2016-03",
        "--area",
        "E06000047",
        "--crime-type",
        "Anti-social behaviour",
        "--limit",
        "3",
        stdout=out,
    )
    assert "Top locations" in out.getvalue() and "County Durham" in out.getvalue()
    with pytest.raises(CommandError, match="not a month"):
        call_command("police", "summary", "--month", "March")
    with pytest.raises(CommandError, match="No area called"):
        call_command("police", "summary", "--month", "2016-03", "--area", "Atlantis")


def test_a_killed_import_leaves_the_store_as_it_was(tmp_path, police_store, db):
    """Start an import in another process, kill it after its first file, and check nothing changed."""
    archive = tmp_path / "big.zip"
    write_archive(archive, ["2016-01", "2016-02", "2016-03", "2016-04"], rows_per_month=120_000)
    first = tmp_path / "first.zip"
    write_archive(first, ["2015-12"], rows_per_month=2000, forces=["durham"])
    import_paths(first)
    before = store.read_manifest()
    env = {
        **os.environ,
        "SAFERPLAN_DATA_DIR": str(police_store),
        "SECRET_KEY": "test",
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "k.db"),
    }
    saferplan = Path(sys.executable).parent / "saferplan"
    subprocess.run([str(saferplan), "migrate", "-v0"], env=env, check=True, timeout=120)
    process = subprocess.Popen(
        [str(saferplan), "police", "import", str(archive)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    seen = b""
    deadline = time.monotonic() + 120
    while b"files 2/" not in seen and time.monotonic() < deadline:
        seen += process.stderr.read1(1024) if hasattr(process.stderr, "read1") else process.stderr.read(64)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert b"files 2/" in seen, "the import should have been killed part-way"
    assert store.read_manifest() == before
    import_paths(first)  # the next import cleans up what the killed one left
    files = {str(p.relative_to(store.root())) for p in store.root().rglob("*.parquet")}
    assert files == {e["file"] for e in before["parts"]["street"].values()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.lists(
            st.sampled_from(
                [
                    "",
                    "2016-03",
                    "x",
                    "-1.5",
                    "54.9",
                    "Drugs",
                    "E01020634",
                    "County Durham 001A",
                    "On or near A",
                    '"q,uoted"',
                ]
            ),
            min_size=0,
            max_size=14,
        ),
        max_size=6,
    )
)
def test_fuzz_street_files_are_accepted_or_rejected_never_crash(tmp_path_factory, db, lines):
    folder = tmp_path_factory.mktemp("fuzz")
    path = write_csv(folder / "2016-03-durham-street.csv", [HEADER] + [",".join(line) for line in lines])
    before = store.read_manifest()
    try:
        result, _ = import_paths(path)
    except DocumentError as exc:
        assert exc.problems and store.read_manifest() == before
    else:
        assert result.rows == sum(p["rows"] for p in store.parts("street", forces=["durham"]))


def test_synthetic_frame_has_the_published_layout():
    frame = street_frame("2016-03", "durham", 50)
    assert frame.columns == layouts.STREET and frame.height == 50
    assert set(frame["Crime type"].unique()) <= set(layouts.CRIME_TYPES)
    assert (
        pl.DataFrame(frame).filter(pl.col("Crime type") == layouts.ASB)["Crime ID"].null_count()
        == frame.filter(pl.col("Crime type") == layouts.ASB).height
    )


@pytest.mark.django_db(transaction=True)
def test_web_upload_runs_in_the_background_with_progress(demo, users, client):
    from django.urls import reverse

    from saferplan.police import jobs

    client.force_login(users["viewer"])
    assert client.post(reverse("police-overview")).status_code == 403
    client.force_login(users["analyst"])
    with open(POLICE_DEMO, "rb") as handle:
        response = client.post(reverse("police-overview"), {"file": handle})
    assert response.status_code == 302
    jobs.wait_for_imports()
    status = client.get(response.url, {"format": "json"}).json()
    assert status["status"] == "done" and status["rows"] == 5426 and status["files_done"] == 1
    page = client.get(reverse("police-overview")).content.decode()
    assert "2016-03" in page and "durham" in page
    bad = io.BytesIO(b"Crime ID,Month\nx,2016-03\n")
    bad.name = "2016-04-durham-street.csv"
    response = client.post(reverse("police-overview"), {"file": bad})
    jobs.wait_for_imports()
    failed = client.get(response.url, {"format": "json"}).json()
    assert failed["status"] == "failed" and "header: the columns are Crime ID, Month" in failed["message"]
    named = io.BytesIO(b"x")
    named.name = "crimes.csv"
    response = client.post(reverse("police-overview"), {"file": named})
    assert (
        response.status_code == 400 and "cannot tell the month, force and kind" in response.content.decode()
    )


def test_web_upload_is_queued_shows_progress_and_a_failure_can_be_retried(demo, users, client, settings):
    """On the database queue (as deployed): the upload waits for a worker; the page shows the state and an
    accessible progress bar; an unexpected failure keeps the upload and offers Retry, which queues it again."""
    from unittest import mock

    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from saferplan.police import jobs
    from saferplan.police.models import PoliceImport

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(users["analyst"])
    with open(POLICE_DEMO, "rb") as handle:
        response = client.post(reverse("police-overview"), {"file": handle})
    job = PoliceImport.objects.latest("created_at")
    assert job.status == "queued" and DBTaskResult.objects.get(id=job.task_id).status == "READY"
    page = client.get(response.url).content.decode()
    assert "Waiting to start" in page and '<progress id="import-progress" max="100" value="0"' in page
    assert '<label for="import-progress">Progress</label>' in page and "0 of 1 checked" in page
    assert "Retry the import" not in page or 'id="retry" hidden' in page

    def crash(files, **kwargs):
        raise OSError("disk full")

    with mock.patch("saferplan.police.services.police_import", crash):
        jobs.wait_for_imports()
    job.refresh_from_db()
    assert job.status == "failed" and "unexpected error (OSError)" in job.message and jobs.can_retry(job)
    status = client.get(response.url, {"format": "json"}).json()
    assert status["can_retry"] and status["finished"]
    client.force_login(users["viewer"])
    assert client.post(reverse("police-import", args=[job.pk])).status_code == 403
    client.force_login(users["analyst"])
    assert client.post(reverse("police-import", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == "queued"
    jobs.wait_for_imports()
    job.refresh_from_db()
    assert job.status == "done" and job.rows == 5426 and job.attempts == 2 and not jobs.can_retry(job)
    page = client.get(response.url).content.decode()
    assert 'value="100"' in page and "Imported" in page
    # a finished import cannot be retried
    client.post(reverse("police-import", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"
