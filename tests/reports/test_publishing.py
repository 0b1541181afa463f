"""Drafting, reviewing and publishing reports: who may do what, and that publishing freezes a report."""

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document as WordDocument

from saferplan.areas.models import Area
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period
from saferplan.indicators.services import observation_record
from saferplan.reports import services
from saferplan.reports.models import Report
from saferplan.reports.selectors import build_document, clean_parameters, document_of
from tests.conftest import ROLES

CABINET = {"quarter": "Q4 2015/16", "basket": "cabinet"}


def _in_review(demo, users, kind="basket", raw=CABINET) -> Report:
    report = services.draft_report(users["analyst"], demo, kind, raw)
    return services.send_for_review(users["analyst"], report)


def _revise_asb(demo, users) -> tuple[float, float]:
    """Revise the headline March 2016 police ASB figure (a synthetic demo figure); return (old, new)."""
    area = Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)
    observation = Observation.objects.filter(
        indicator__slug="asb-incidents-police", area=area, period="2016-03", headline=True
    ).first()
    assert observation is not None, "the demo has the March 2016 figure"
    new = observation.value + 123
    _, outcome = observation_record(
        indicator=observation.indicator,
        area=area,
        period=Period.from_code("2016-03"),
        value=new,
        source=observation.source,
        synthetic=observation.synthetic,
        user=users["analyst"],
    )
    assert outcome == "revised"
    return observation.value, new


def test_only_analysts_and_administrators_draft(demo, users):
    for role in ROLES:
        if role in ("administrator", "analyst"):
            assert (
                services.draft_report(users[role], demo, "achievements", {"year": "2015/16"}).state == "draft"
            )
        else:
            with pytest.raises(PermissionDenied):
                services.draft_report(users[role], demo, "achievements", {"year": "2015/16"})


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("board", {"quarter": "soon"}, "quarter: 'soon' is not a quarter"),
        ("board", {"quarter": "2015/16"}, "quarter: '2015/16' is not a quarter"),
        ("basket", {"quarter": "Q4 2015/16", "basket": "nope"}, "basket: there is no basket 'nope'"),
        ("delivery", {"as_of": "30/09/2017"}, "as_of: '30/09/2017' is not a date"),
        ("delivery", {"as_of": "2017-09-30", "since": "2017-10-01"}, "since: the start of the report"),
        ("achievements", {"year": "Q1 2015/16"}, "year: 'Q1 2015/16' is not a financial year"),
        ("minutes", {}, "kind: 'minutes' is not one of"),
        ("board", {"quarter": "Q4 2015/16", "threshold": "lots"}, "threshold: 'lots' is not a percentage"),
        ("board", {"quarter": "Q4 2015/16", "threshold": "-1"}, "threshold: '-1' is not a percentage"),
        (
            "basket",
            {"quarter": "Q4 2015/16", "basket": "cabinet", "benchmarks": "maybe"},
            "benchmarks: 'maybe'",
        ),
    ],
)
def test_bad_parameters_are_named_and_nothing_is_written(demo, users, kind, raw, message):
    before = Report.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.draft_report(users["analyst"], demo, kind, raw)
    assert Report.objects.count() == before


def test_review_is_by_someone_else_and_returning_needs_a_note(demo, users):
    report = _in_review(demo, users, "achievements", {"year": "2015/16"})
    assert report.state == "in_review" and report.submitted_by == users["analyst"]
    with pytest.raises(PermissionDenied):  # never the person who sent it
        services.publish(users["analyst"], report)
    for role in ("group_lead", "data_provider", "viewer"):
        with pytest.raises(PermissionDenied):
            services.publish(users[role], report)
    with pytest.raises(ValidationError, match="Say what needs to change"):
        services.return_to_draft(users["board_member"], report, "  ")
    report = services.return_to_draft(users["board_member"], report, "Add the 2015/16 commentary")
    assert report.state == "draft" and report.review_note == "Add the 2015/16 commentary"
    with pytest.raises(PermissionDenied):  # a draft cannot be published
        services.publish(users["board_member"], report)


def test_publishing_freezes_the_report_against_later_revisions(demo, users):
    report = _in_review(demo, users)
    report = services.publish(users["board_member"], report)
    assert report.state == "published" and report.published_by == users["board_member"]
    files = {f.format: bytes(f.content) for f in report.files.all()}
    assert set(files) == {"html", "docx", "pdf", "xlsx"}
    for f in report.files.all():
        assert f.size == len(files[f.format]) and f.sha256 == hashlib.sha256(files[f.format]).hexdigest()
    frozen = document_of(report).to_json()
    assert frozen == report.content and "Published" in frozen["subtitle"]

    old, new = _revise_asb(demo, users)

    report.refresh_from_db()
    assert document_of(report).to_json() == frozen  # the published report is as it was
    assert {f.format: bytes(f.content) for f in report.files.all()} == files
    live = build_document(demo, "basket", report.parameters)
    assert live.to_json()["blocks"] != frozen["blocks"]  # today's figures differ
    # ... and the next report lists what was revised since the last one was published
    revised = next(b for b in live.blocks if b.kind == "table" and b.caption == "Figures revised")
    assert [
        r[4:6] for r in revised.rows if r[0] == "Number of police reported incidents of anti-social behaviour"
    ] == [[f"{old:,.0f}", f"{new:,.0f}"]]
    headings = [b.text for b in live.blocks if b.kind == "heading"]
    assert any(  # in an appendix of its own
        h.startswith("Appendix") and "Figures revised since the last published report (Cabinet basket" in h
        for h in headings
    )


def test_publishing_on_the_web_and_downloads(demo, users, client):
    client.force_login(users["analyst"])
    response = client.post(reverse("report-draft"), {"kind": "delivery", "as_of": "2017-09-30"})
    report = Report.objects.latest("created_at")
    assert response.status_code == 302 and response.url == reverse("report-detail", args=[report.pk])
    assert report.parameters == {"as_of": "2017-09-30", "since": "2017-04-01"}
    page = client.get(response.url).content.decode()
    assert "Send for review" in page and "Draft" in page
    bad = client.post(reverse("report-draft"), {"kind": "board", "quarter": "soon"}, follow=True)
    assert "quarter: &#x27;soon&#x27; is not a quarter" in bad.content.decode()
    client.post(reverse("report-action", args=[report.pk, "review"]))
    assert client.post(reverse("report-action", args=[report.pk, "publish"])).status_code == 403

    client.force_login(users["viewer"])
    assert client.get(reverse("report-detail", args=[report.pk])).status_code == 403
    assert report.title not in client.get(reverse("report-list")).content.decode()

    client.force_login(users["board_member"])
    assert "Publish this report" in client.get(reverse("report-detail", args=[report.pk])).content.decode()
    client.post(reverse("report-action", args=[report.pk, "publish"]))
    report.refresh_from_db()
    assert report.state == "published"

    client.force_login(users["viewer"])  # published reports are for everyone
    listing = client.get(reverse("report-list")).content.decode()
    assert report.title in listing and reverse("report-file", args=[report.pk, "pdf"]) in listing
    word = client.get(reverse("report-file", args=[report.pk, "docx"]))
    assert word.content == bytes(report.files.get(format="docx").content)
    assert WordDocument(io.BytesIO(word.content)).core_properties.title == report.title
    assert client.get(reverse("report-file", args=[report.pk, "odt"])).status_code == 404
    assert client.post(reverse("report-action", args=[report.pk, "publish"])).status_code == 403


def _highlights(document) -> int:
    return sum(len(b.rows) for b in document.blocks if b.kind == "table" and b.caption.endswith("highlights"))


def test_the_judgement_rules_are_the_reports_parameters(demo, users, client):
    default = clean_parameters(demo, "board", {"quarter": "Q4 2015/16"})
    assert default == {"quarter": "2015-16-Q4", "threshold": 5.0, "benchmarks": True}
    strict = clean_parameters(
        demo, "board", {"quarter": "Q4 2015/16", "threshold": "100", "benchmarks": "no"}
    )
    loose, tight = build_document(demo, "board", default), build_document(demo, "board", strict)
    assert _highlights(tight) < _highlights(loose)
    background = next(b.text for b in tight.blocks if b.kind == "paragraph" and "never both" in b.text)
    assert "by at least 100%" in background and "benchmark" not in background
    assert "by at least 5%" in next(
        b.text for b in loose.blocks if b.kind == "paragraph" and "never both" in b.text
    )

    client.force_login(users["analyst"])
    page = client.get(reverse("report-board"), {"period": "2015-16-Q4", "threshold": "lots"})
    assert page.status_code == 200
    assert "threshold: &#x27;lots&#x27; is not a percentage from 0 to 100" in page.content.decode()
    page = client.get(
        reverse("report-board"), {"period": "2015-16-Q4", "threshold": "100", "benchmarks": "no"}
    )
    assert 'name="threshold" value="100.0"' in page.content.decode()  # the draft keeps the rules
    client.post(
        reverse("report-draft"),
        {"kind": "board", "quarter": "2015-16-Q4", "threshold": "100.0", "benchmarks": "False"},
    )
    assert Report.objects.latest("created_at").parameters == strict

    out = io.StringIO()
    call_command(
        "report",
        "board",
        "--quarter",
        "Q4 2015/16",
        "--threshold",
        "100",
        "--no-benchmarks",
        "--format",
        "html",
        stdout=out,
    )
    assert "improved by at least 100%" in out.getvalue()
    with pytest.raises(CommandError, match="threshold: 'x' is not a percentage"):
        call_command("report", "board", "--quarter", "Q4 2015/16", "--threshold", "x", "--format", "html")


def test_a_delivery_report_runs_from_the_last_published_one(demo, users):
    assert clean_parameters(demo, "delivery", {"as_of": "2017-09-30"})["since"] == "2017-04-01"  # six months
    report = _in_review(demo, users, "delivery", {"as_of": "2017-03-31"})
    services.publish(users["board_member"], report)
    assert clean_parameters(demo, "delivery", {"as_of": "2017-09-30"})["since"] == "2017-03-31"


def test_a_bad_date_on_the_delivery_report_is_named(demo, users, client):
    client.force_login(users["viewer"])
    page = client.get(reverse("report-delivery"), {"as_of": "30/09/2017"})
    assert page.status_code == 200
    assert "as_of: &#x27;30/09/2017&#x27; is not a date, write it as 2017-09-30" in page.content.decode()


def test_the_achievements_link_is_for_the_latest_year_with_real_figures(demo, users, client):
    from saferplan.indicators.models import Observation
    from saferplan.reports.selectors import latest_real_year

    real = Observation.objects.filter(indicator__partnership=demo.partnership, synthetic=False)
    assert latest_real_year(demo) == "2015/16" and real.filter(period_end="2016-03-31").exists()
    client.force_login(users["viewer"])
    assert "Progress and achievements, 2015/16</a>" in client.get(reverse("report-list")).content.decode()
    real.delete()
    assert latest_real_year(demo) is None
    assert "There are no real figures yet" in client.get(reverse("report-list")).content.decode()
    assert client.get(reverse("report-achievements")).status_code == 400  # no year to show: asked for one


def test_publishing_is_queued_and_rendered_by_a_worker(demo, users, client, settings):
    """On the database queue (as deployed): publishing waits for a worker, the page shows its progress, and
    a publication that fails publishes nothing and can be published again."""
    from unittest import mock

    from saferplan.police.jobs import wait_for_imports as run_queued_tasks
    from saferplan.reports.models import Publication

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    report = _in_review(demo, users)
    client.force_login(users["board_member"])
    client.post(reverse("report-action", args=[report.pk, "publish"]))
    publication = Publication.objects.get(report=report)
    report.refresh_from_db()
    assert publication.status == "queued" and report.state == "in_review"
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Waiting to start" in page and '<progress id="publication-progress" max="100" value="0"' in page
    assert "Publish this report" not in page  # not twice
    client.post(reverse("report-action", args=[report.pk, "publish"]))  # a second click queues nothing more
    assert Publication.objects.filter(report=report).count() == 1

    with mock.patch("saferplan.reports.render.html_to_pdf", side_effect=RuntimeError("no fonts")):
        run_queued_tasks()
    publication.refresh_from_db()
    report.refresh_from_db()
    assert publication.status == "failed" and "unexpected error (RuntimeError)" in publication.message
    assert publication.steps_done == 3  # it got as far as the PDF
    assert report.state == "in_review" and not report.files.exists() and report.content is None
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Not published" in page and "Retry publishing" in page

    client.post(reverse("report-action", args=[report.pk, "publish"]))
    status = client.get(reverse("report-detail", args=[report.pk]), {"format": "json"}).json()
    assert status["status"] == "queued" and not status["finished"]
    run_queued_tasks()
    report.refresh_from_db()
    assert report.state == "published" and report.files.count() == 4
    assert report.published_by == users["board_member"] and "Published" in report.content["subtitle"]
    for f in report.files.all():
        assert f.sha256 == hashlib.sha256(bytes(f.content)).hexdigest()
    status = client.get(reverse("report-detail", args=[report.pk]), {"format": "json"}).json()
    assert status["status"] == "done" and status["percent"] == 100 and status["finished"]
