"""Data returns: templates, whole-file validation by row and column, all-or-nothing import, fuzzing."""

import io
import socket
import subprocess
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.core.importing import DocumentError
from saferplan.indicators import data_returns
from saferplan.indicators.models import Commentary, DataReturn, DataReturnImport, Observation
from saferplan.plans.models import Indicator

HEADER = "indicator,area,period,value,numerator,denominator,status,commentary\n"


@pytest.fixture
def police(demo):
    return Organisation.objects.get(slug="durham-constabulary")


def submit(demo, police, text: str, name: str = "return.csv"):
    return data_returns.import_data_return(
        name, text.encode(), organisation=police, partnership=demo.partnership
    )


def test_good_return_lands_and_is_visible_at_once(demo, police, users, client):
    text = HEADER + "asb-incidents-police,E06000047,Jan 2019,1650,,,provisional,Quieter January\n"
    accepted = submit(demo, police, text)
    assert (accepted.rows_created, accepted.rows_revised) == (1, 0)
    obs = Observation.objects.get(
        indicator__slug="asb-incidents-police", area__code="E06000047", period="2019-01"
    )
    assert (obs.value, obs.status, obs.source, obs.synthetic) == (
        1650,
        "provisional",
        "Durham Constabulary",
        False,
    )
    assert Commentary.objects.get(indicator=obs.indicator, period="2019-01").text == "Quieter January"
    client.force_login(users["viewer"])
    page = client.get(reverse("indicator-performance", args=[obs.indicator_id])).content.decode()
    assert "1,650" in page and "Quieter January" in page
    # sending it again changes nothing; a new value is a revision that keeps the old one in the history
    assert submit(demo, police, text).rows_unchanged == 1
    revised = submit(demo, police, text.replace("1650", "1700"))
    assert revised.rows_revised == 1
    obs.refresh_from_db()
    assert obs.value == 1700 and [h.value for h in obs.history.order_by("history_date")] == [1650, 1700]


def test_every_problem_is_listed_and_nothing_changes(demo, police):
    rows = [
        "no-such-indicator,E06000047,Jan 2019,5,,,,",
        "asb-incidents-police,E06000047,Q1 2018/19,5,,,,",  # a quarter for a monthly indicator
        "asb-incidents-police,E06000047,Feb 2019,abc,,,,",
        "asb-incidents-police,E06000047,Mar 2019,-4,,,,",
        "asb-incidents-police,XX000000,Mar 2019,4,,,,",
        "domestic-abuse-repeat-marac,E06000047,Q4 2018/19,,120,100,,",
        "asb-incidents-police,E06000047,Jan 2019,7,,,,",
        "asb-incidents-police,E06000047,Jan 2019,8,,,,",
        "asb-incidents-council,E06000047,Jan 2019,8,,,,",  # supplied by the county council
        "asb-incidents-police,E06000047,Dec 2018,8,,,maybe,",
        "asb-incidents-police,E06000047,Smarch 2019,8,,,,",
    ]
    before = Observation.objects.count()
    with pytest.raises(DocumentError) as caught:
        submit(demo, police, HEADER + "\n".join(rows) + "\n")
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found >= {
        (2, "column indicator"),
        (3, "column period"),
        (4, "column value"),
        (5, "column value"),
        (6, "column area"),
        (7, "column numerator"),
        (9, "column period"),
        (10, "column indicator"),
        (11, "column status"),
        (12, "column period"),
    }, caught.value.report()
    report = caught.value.report()
    assert "return.csv, row 2, column indicator: unknown indicator 'no-such-indicator'" in report
    assert "row 4, column value: expected a number, got 'abc'" in report
    assert "row 7, column numerator: the numerator (120) is more than the denominator (100)" in report
    assert "(first on row 8)" in report
    assert "is supplied by Durham County Council, not Durham Constabulary" in report
    assert Observation.objects.count() == before and not DataReturn.objects.exists()


def test_percentage_from_numerator_and_rate_from_population(demo, police):
    text = HEADER + (
        "domestic-abuse-repeat-marac,E06000047,Q4 2018/19,,30,120,,\ncrime-rate,E06000047,Jan 2019,,2400,,,\n"
    )
    submit(demo, police, text)
    marac = Observation.objects.get(
        indicator__slug="domestic-abuse-repeat-marac", period="2018-19-Q4", source="Durham Constabulary"
    )
    assert marac.value == 25.0
    crime = Observation.objects.get(
        indicator__slug="crime-rate", period="2019-01", source="Durham Constabulary"
    )
    # 2018/19 uses the mid-2018 estimate; the ONS file ends at mid-2017, so the latest earlier one is used
    population = Area.objects.get(code="E06000047").populations.get(year=2017).population
    assert population == 523_662 and not Area.objects.get(code="E06000047").populations.filter(year=2018)
    assert crime.denominator == population and crime.value == pytest.approx(2400 / population * 1000)


def test_template_round_trip_in_xlsx(demo, police):
    area = Area.objects.get(code="E06000047")
    rows = data_returns.template_rows(organisation=police, plan=demo, area=area)
    assert rows[0][:5] == ["indicator", "indicator name", "area", "area name", "period"]
    due = rows[1:]
    assert due and all(r[2] == "E06000047" for r in due)
    workbook = load_workbook(io.BytesIO(data_returns.template_xlsx(rows, organisation=police)))
    sheet = workbook["Data return"]
    first = [c.value for c in sheet[2]]
    unit = Indicator.objects.get(slug=first[0]).unit
    sheet.cell(row=2, column=6, value=42 if unit != "percentage" else 42.5)
    out = io.BytesIO()
    workbook.save(out)
    accepted = data_returns.import_data_return(
        "filled.xlsx", out.getvalue(), organisation=police, partnership=demo.partnership
    )
    assert accepted.rows_created == 1
    assert len(data_returns.template_rows(organisation=police, plan=demo, area=area)) == len(rows) - 1


def test_unreadable_files(demo, police):
    for name, content, message in [
        ("x.pdf", b"%PDF", "expected a .csv or .xlsx file"),
        ("x.csv", b"\xff\xfe\x00bad", "not UTF-8 text"),
        ("x.xlsx", b"not a zip", "not a readable XLSX workbook"),
        ("x.csv", b"", "the file is empty"),
        ("x.csv", b"indicator,area,period\n", "the column 'value' is missing"),
        ("x.csv", b"indicator,area,period,value,colour\n", "unknown column 'colour'"),
        ("x.csv", HEADER.encode() + b",,,,,,,\n", "no figures found"),
    ]:
        with pytest.raises(DocumentError, match=message):
            data_returns.import_data_return(name, content, organisation=police, partnership=demo.partnership)


def test_xlsx_dates_and_numbers_in_cells(demo, police):
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "area", "period", "value"])
    sheet.append(["asb-incidents-police", "E06000047", dt.datetime(2019, 2, 1), 1500])
    out = io.BytesIO()
    workbook.save(out)
    data_returns.import_data_return(
        "d.xlsx", out.getvalue(), organisation=police, partnership=demo.partnership
    )
    assert (
        Observation.objects.get(
            indicator__slug="asb-incidents-police", period="2019-02", source="Durham Constabulary"
        ).value
        == 1500
    )


def test_command_line_import(demo, police, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "asb-incidents-police,E06000047,Mar 2019,1600,,,,\n")
    out = io.StringIO()
    call_command("data", "import", str(good), "--organisation", "durham-constabulary", stdout=out)
    assert "1 new figure," in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "asb-incidents-police,E06000047,Mar 2019,lots,,,,\n")
    with pytest.raises(
        CommandError, match=r"bad.csv: 1 problem; nothing was changed.\n.*row 2, column value"
    ):
        call_command("data", "import", str(bad), "--organisation", "durham-constabulary")
    template = tmp_path / "due.csv"
    call_command(
        "data",
        "template",
        "--organisation",
        "durham-constabulary",
        "--output",
        str(template),
        stdout=io.StringIO(),
    )
    assert template.read_text(encoding="utf-8-sig").startswith("indicator,indicator name,area")


def test_web_upload_lists_problems_and_accepts_good_files(demo, police, users, client):
    provider = users["data_provider"]
    provider.organisation = police
    provider.save()
    client.force_login(provider)
    url = reverse("data-return-detail", args=[police.slug])
    bad = io.BytesIO((HEADER + "asb-incidents-police,E06000047,Feb 2019,x,,,,\n").encode())
    bad.name = "bad.csv"
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "row 2, column value: expected a number" in response.content.decode()
    good = io.BytesIO((HEADER + "asb-incidents-police,E06000047,Feb 2019,1580,,,,\n").encode())
    good.name = "good.csv"
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert "Return accepted: 1 new figure" in client.get(url).content.decode()
    other = Organisation.objects.get(slug="durham-county-council")
    assert client.get(reverse("data-return-detail", args=[other.slug])).status_code == 403


CELLS = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 10**6).map(str),
    st.sampled_from(
        ["asb-incidents-police", "crime-rate", "E06000047", "Jan 2019", "Q4 2018/19", "2018/19", "final", ""]
    ),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=6))
def test_fuzz_returns_are_accepted_whole_or_rejected_whole(demo, police, rows):
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["indicator", "area", "period", "value", "numerator", "denominator", "status", "commentary"]
    )
    writer.writerows(rows)
    before = Observation.objects.count()
    try:
        accepted = submit(demo, police, out.getvalue())
    except DocumentError as exc:
        assert exc.problems
        assert Observation.objects.count() == before
    else:
        assert Observation.objects.count() == before + accepted.rows_created


def test_ready_made_rate_with_its_limits_and_method(demo, police):
    text = "indicator,area,period,value,lower,upper,method\n" + (
        "crime-rate,E06000047,Jan 2019,4.6,4.4,4.8,published by the Home Office\n"
    )
    submit(demo, police, text)
    obs = Observation.objects.get(
        indicator__slug="crime-rate", period="2019-01", source="Durham Constabulary"
    )
    assert (obs.lower, obs.upper, obs.method) == (4.4, 4.8, "published by the Home Office")
    with pytest.raises(DocumentError, match="must lie between the limits"):
        submit(demo, police, text.replace("4.6,4.4", "5.6,4.4"))
    with pytest.raises(DocumentError, match="give both confidence limits"):
        submit(demo, police, "indicator,area,period,value,lower\ncrime-rate,E06000047,Feb 2019,4.6,4.4\n")


def test_analyst_sets_targets_with_validation(demo, users, client):
    from saferplan.indicators.models import Target

    indicator = Indicator.objects.get(slug="asb-incidents-police")
    url = reverse("target-create", args=[indicator.pk]) + "?area=E06000047"
    client.force_login(users["analyst"])
    bad = client.post(url, {"value": "lots", "period": "Q9 2016/17"})
    assert bad.status_code == 400 and "The target must be a number" in bad.content.decode()
    wrong_kind = client.post(url, {"value": "1500", "period": "2016/17"})
    assert "is not one of this indicator" in wrong_kind.content.decode()
    assert client.post(url, {"value": "1500", "period": "Jan 2017"}).status_code == 302
    assert Target.objects.get(indicator=indicator, period="2017-01").value == 1500
    assert client.post(url, {"value": "18000", "start": "Apr 2016", "due": "Mar 2017"}).status_code == 302
    cumulative = Target.objects.get(indicator=indicator, cumulative=True, due_period="2017-03")
    assert cumulative.start_period == "2016-04" and cumulative.created_by == users["analyst"]
    page = client.get(reverse("performance-overview"), {"period": "2016-17-Q4"}).content.decode()
    assert "Target" in page


def test_two_sources_side_by_side_with_the_difference(demo, police, users, client):
    from saferplan.indicators.periods import Period
    from saferplan.indicators.services import observation_record

    indicator = Indicator.objects.get(slug="asb-incidents-police")
    area = Area.objects.get(code="E06000047")
    force, _ = observation_record(
        indicator=indicator, area=area, period=Period.month(2019, 3), value=1700, source="Durham Constabulary"
    )
    open_data, _ = observation_record(
        indicator=indicator, area=area, period=Period.month(2019, 3), value=1650, source="police open data"
    )
    assert force.headline and not open_data.headline
    client.force_login(users["analyst"])
    page = client.get(reverse("indicator-performance", args=[indicator.pk])).content.decode()
    assert "police open data" in page and "−50" in page
    assert client.post(reverse("observation-headline", args=[open_data.pk])).status_code == 302
    force.refresh_from_db()
    open_data.refresh_from_db()
    assert open_data.headline and not force.headline
    assert "+50" in client.get(reverse("indicator-performance", args=[indicator.pk])).content.decode()


def test_revisions_since_a_date(demo, police, users, client):
    submit(demo, police, HEADER + "asb-incidents-police,E06000047,Mar 2019,1600,,,,\n")
    submit(demo, police, HEADER + "asb-incidents-police,E06000047,Mar 2019,1620,,,,\n")
    client.force_login(users["board_member"])
    page = client.get(reverse("performance-revisions"), {"since": "2020-01-01"}).content.decode()
    assert "1,600" in page and "1,620" in page and "Mar 2019" in page
    bad = client.get(reverse("performance-revisions"), {"since": "yesterday"})
    assert bad.status_code == 400 and "Enter the date as YYYY-MM-DD" in bad.content.decode()


def test_revisions_page_has_a_fixed_number_of_queries(demo, police, users, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["board_member"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("performance-revisions"), {"since": "2020-01-01"}).status_code == 200
        return len(ctx.captured_queries)

    submit(demo, police, HEADER + "asb-incidents-police,E06000047,Mar 2019,1600,,,,\n")
    submit(demo, police, HEADER + "asb-incidents-police,E06000047,Mar 2019,1610,,,,\n")
    few = count()
    for value in range(1620, 1700, 10):
        submit(
            demo,
            police,
            HEADER
            + f"asb-incidents-police,E06000047,Mar 2019,{value},,,,\n"
            + f"asb-incidents-police,E06000047,Feb 2019,{value},,,,\n",
        )
    assert count() == few


# ------------------------------------------------------------------ large returns, imported by the task queue

AAP_AREAS = ["DUR-AAP-01", "DUR-AAP-02", "DUR-AAP-03", "DUR-AAP-04", "DUR-AAP-05", "DUR-AAP-06"]


def large_return(months: int, extra: str = "") -> bytes:
    """A police return of 12 × `months` monthly figures (two indicators, six Area Action Partnerships, from
    April 2005), with `extra` rows at its end."""
    lines = ["indicator,area,period,value"]
    for indicator in ("asb-incidents-police", "criminal-damage-arson"):
        for area in AAP_AREAS:
            for m in range(months):
                month = date(2005 + (m + 3) // 12, (m + 3) % 12 + 1, 1)
                lines.append(f"{indicator},{area},{month:%b %Y},{100 + m % 7}")
    return ("\n".join(lines) + "\n" + extra).encode()


def upload(content: bytes, name: str = "big.csv") -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


@pytest.fixture
def provider(police, users, client, settings):
    """The police's data provider, signed in; returns over 100 figures go to the queue."""
    settings.SAFERPLAN_QUEUE_RETURNS_OVER = 100
    client.force_login(users["data_provider"])
    return users["data_provider"]


def test_a_large_return_is_imported_by_the_worker_and_its_page_shows_progress(demo, police, provider, client):
    before = Observation.objects.count()
    response = client.post(
        reverse("data-return-detail", args=[police.slug]), {"file": upload(large_return(12))}
    )
    job = DataReturnImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "data-return-import", args=[police.slug, job.pk]
    )
    # TASKS_BACKEND=immediate: the worker's part has run already
    assert job.status == "done" and (job.rows_done, job.rows_total, job.percent) == (144, 144, 100)
    assert job.data_return.created_by == provider and job.data_return.rows_created == 144
    assert Observation.objects.count() == before + 144
    assert job.attempts == 1 and not (settings_dir() / job.upload).parent.exists()  # the upload is removed
    page = client.get(response.url).content.decode()
    assert "Imported" in page and 'value="100"' in page and "144 of 144 figures saved" in page
    assert "Return accepted: 144 new figures, 0 revised figures, 0 unchanged." in page
    assert "data-status-url" not in page  # finished: nothing to follow
    state = client.get(response.url, {"format": "json"}).json()
    assert state["finished"] and state["percent"] == 100 and not state["can_retry"]
    # sent again, the same return changes nothing, and says so
    client.post(reverse("data-return-detail", args=[police.slug]), {"file": upload(large_return(12))})
    assert DataReturnImport.objects.latest("pk").data_return.rows_unchanged == 144


def settings_dir():
    from django.conf import settings

    return settings.DATA_DIR


def test_a_small_return_is_still_imported_at_once(demo, police, provider, client):
    url = reverse("data-return-detail", args=[police.slug])
    response = client.post(url, {"file": upload(large_return(8))})  # 96 figures, under the 100
    assert response.status_code == 302 and response.url == url
    assert not DataReturnImport.objects.exists()
    assert DataReturn.objects.get(organisation=police, filename="big.csv").rows_created == 96


def test_a_large_return_with_problems_is_refused_on_the_page_and_nothing_is_queued(
    demo, police, provider, client
):
    before = Observation.objects.count()
    bad = large_return(12, extra="asb-incidents-police,DUR-AAP-07,Feb 2019,lots\n")
    response = client.post(reverse("data-return-detail", args=[police.slug]), {"file": upload(bad)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The return was not accepted: big.csv: 1 problem" in page
    assert "row 146, column value: expected a number, got &#x27;lots&#x27;" in page
    assert not DataReturnImport.objects.exists() and Observation.objects.count() == before
    assert not (settings_dir() / "returns" / "uploads").exists() or not any(
        (settings_dir() / "returns" / "uploads").iterdir()
    )


def test_problems_found_by_the_worker_change_nothing_and_are_listed(demo, police, provider, client):
    """A figure far outside its series is found only when the figures are recorded, in the worker: the job
    fails naming the row, and none of the 144 good figures is kept."""
    before = Observation.objects.count()
    unusual = large_return(12, extra="asb-incidents-police,DUR-AAP-01,Apr 2006,99999\n")
    client.post(reverse("data-return-detail", args=[police.slug]), {"file": upload(unusual)})
    job = DataReturnImport.objects.get()
    assert job.status == "failed" and job.finished_at and Observation.objects.count() == before
    assert not DataReturn.objects.filter(filename="big.csv").exists()
    assert "row 146, column value" in job.message and "confirming the unusual figures" in job.message
    assert not data_returns.can_retry(job)  # the file itself must change: it is not kept
    page = client.get(reverse("data-return-import", args=[police.slug, job.pk])).content.decode()
    assert "Not imported" in page and "row 146" in page
    detail = client.get(reverse("data-return-detail", args=[police.slug])).content.decode()
    assert "Large returns not yet imported" in detail and "Not imported" in detail
    # confirmed, the same file goes through
    client.post(
        reverse("data-return-detail", args=[police.slug]), {"file": upload(unusual), "confirm_unusual": "on"}
    )
    assert DataReturnImport.objects.latest("pk").status == "done"
    assert Observation.objects.count() == before + 145


def test_an_import_stopped_by_an_error_can_be_retried_from_its_page(
    demo, police, provider, client, monkeypatch
):
    from saferplan.indicators import services

    real = data_returns.observation_record
    calls = []

    def failing_once(**kwargs):
        calls.append(1)
        if len(calls) == 100:
            raise OSError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(data_returns, "observation_record", failing_once)
    before = Observation.objects.count()
    client.post(reverse("data-return-detail", args=[police.slug]), {"file": upload(large_return(12))})
    job = DataReturnImport.objects.get()
    assert job.status == "failed" and "unexpected error (OSError)" in job.message
    assert "disk full" not in job.message and Observation.objects.count() == before  # 99 written, rolled back
    assert data_returns.can_retry(job)
    url = reverse("data-return-import", args=[police.slug, job.pk])
    assert "Retry the import" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and Observation.objects.count() == before + 144
    assert services.observation_record is real


def test_progress_is_told_as_figures_are_written(demo, police):
    seen = []
    data_returns.import_data_return(
        "big.csv",
        large_return(12),
        organisation=police,
        partnership=demo.partnership,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 144), (50, 144), (100, 144), (144, 144)]


def test_a_queued_import_is_followed_on_its_page_and_a_dead_worker_is_reported(
    demo, police, provider, client, settings
):
    from saferplan.police import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.post(reverse("data-return-detail", args=[police.slug]), {"file": upload(large_return(12))})
    job = DataReturnImport.objects.get()
    url = reverse("data-return-import", args=[police.slug, job.pk])
    assert job.status == "queued" and job.task_id
    page = client.get(url).content.decode()
    assert "Waiting to start" in page and "data-status-url" in page and "0 of 144 figures saved" in page
    # a worker part-way: its count is in the progress file, since its transaction cannot be seen into
    dead = subprocess.Popen(["true"])
    dead.wait()
    DataReturnImport.objects.filter(pk=job.pk).update(
        status="running", worker=f"{socket.gethostname()}:{dead.pid}"
    )
    (settings.DATA_DIR / job.upload).with_name("progress").write_text("72")
    job.refresh_from_db()
    assert data_returns.with_progress(job).percent == 50
    state = client.get(url, {"format": "json"}).json()  # the page finds the worker gone
    assert (
        state["status"] == "failed" and state["can_retry"] and "worker running it stopped" in state["message"]
    )
    client.post(url)  # retry
    jobs.wait_for_imports()
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 144
