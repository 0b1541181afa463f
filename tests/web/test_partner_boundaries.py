"""What a partner's account cannot do (issue 15, defects 1, 2, 4, 5 and 6): each test fails on the code before
the fix."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from saferplan.accounts.models import Organisation
from saferplan.core.exports import csv_bytes
from saferplan.core.importing import DocumentError
from saferplan.delivery import services as delivery_services
from saferplan.delivery import spreadsheet
from saferplan.delivery.models import DetailedAction
from saferplan.indicators import data_returns, services
from saferplan.indicators.models import Commentary, Observation
from saferplan.indicators.periods import Period
from saferplan.plans.models import Group, Indicator, StrategicAction
from saferplan.reports import render
from saferplan.reports.selectors import build_document

HEADER = "indicator,area,period,value,commentary\n"


def send(demo, user, text, organisation="durham-constabulary"):
    return data_returns.import_data_return(
        "return.csv",
        text.encode(),
        organisation=Organisation.objects.get(slug=organisation),
        partnership=demo.partnership,
        user=user,
    )


# -------------------------------------------------------------------------- 1. figures a provider does not own


def test_a_provider_cannot_return_figures_of_an_indicator_without_a_source(demo, users):
    unsourced = Indicator.objects.filter(partnership=demo.partnership, source__isnull=True).first()
    assert unsourced is not None
    area = "E06000047"
    before = Observation.objects.filter(indicator=unsourced).count()
    text = HEADER + f"{unsourced.slug},{area},{_own_period(unsourced)},5,Overwritten\n"
    with pytest.raises(DocumentError) as refused:
        send(demo, users["data_provider"], text)
    assert "has no source organisation: only administrators and analysts may return its figures" in str(
        refused.value
    )
    assert Observation.objects.filter(indicator=unsourced).count() == before
    # an analyst may, for the same file
    assert send(demo, users["analyst"], text).rows_created == 1


def test_the_web_refuses_it_too_and_commentary_keeps_its_author(demo, users, client):
    unsourced = Indicator.objects.filter(partnership=demo.partnership, source__isnull=True).first()
    period = Period.from_code(_own_period(unsourced, code=True))
    county = demo.partnership.areas.get(code="E06000047")
    services.commentary_record(
        indicator=unsourced, area=county, period=period, text="The analyst's reading", user=users["analyst"]
    )
    client.force_login(users["data_provider"])
    url = reverse("data-return-detail", args=["durham-constabulary"])
    text = HEADER + f"{unsourced.slug},E06000047,{period.label},5,The provider's reading\n"
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", text.encode())})
    assert response.status_code == 400 and "has no source organisation" in response.content.decode()
    comment = Commentary.objects.get(indicator=unsourced, area=county, period=period.code)
    assert comment.text == "The analyst's reading" and comment.created_by == users["analyst"]


def _own_period(indicator, code=False):
    period = Period.financial_year(2016) if indicator.frequency == "annual" else Period.quarter(2016, 1)
    if indicator.frequency == "monthly":
        period = Period.month(2016, 5)
    if indicator.period_basis == "calendar" and indicator.frequency == "annual":
        period = Period.calendar_year(2016)
    if indicator.period_basis == "calendar" and indicator.frequency == "quarterly":
        period = Period.quarter(2016, 1, calendar=True)
    return period.code if code else period.label


# -------------------------------------------------------------------------- 2. formulas in exports

PAYLOAD = '=HYPERLINK("http://evil.example","Click")'


def test_user_text_is_never_a_formula_in_any_export_or_annex(demo, users, client):
    strategic = StrategicAction.objects.filter(outcome__objective__plan=demo).first()
    action = delivery_services.detailed_action_save(
        action=DetailedAction(strategic_action=strategic),
        user=users["administrator"],
        description=PAYLOAD,
        owner_group=strategic.owner_group or Group.objects.filter(partnership=demo.partnership).first(),
    )
    # the delivery export, downloaded by viewers
    book = load_workbook(io.BytesIO(spreadsheet.export_workbook(demo)))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == PAYLOAD]
    assert cells and all(c.data_type == "s" for c in cells)
    # every report's data annex (the delivery report lists the new, overdue-free action among the plan's)
    for kind, parameters in (
        ("delivery", {"as_of": "2019-03-31", "since": "2016-04-01"}),
        ("board", {"quarter": "2015-16-Q4", "threshold": 5.0, "benchmarks": "yes"}),
    ):
        document = build_document(demo, kind, parameters)
        annex = load_workbook(io.BytesIO(render.to_xlsx(document)))
        for sheet in annex.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (kind, sheet.title, cell.coordinate, cell.value)
    # the performance export, in both formats, with a figure's commentary-free source text as the payload
    county = demo.partnership.areas.get(code="E06000047")
    indicator = Indicator.objects.get(partnership=demo.partnership, slug="asb-incidents-police")
    Observation.objects.filter(indicator=indicator, area=county, period="2016-03", headline=True).update(
        source=PAYLOAD
    )
    client.force_login(users["viewer"])
    exported = client.get(reverse("performance-overview"), {"period": "2015-16-Q4", "format": "csv"}).content
    assert not any(
        cell.startswith("=") for row in csv.reader(io.StringIO(exported.decode("utf-8-sig"))) for cell in row
    )
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("performance-overview"), {"period": "2015-16-Q4", "format": "xlsx"}).content
        )
    )
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
    assert action.description == PAYLOAD  # stored as typed


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "\uff1d1"])
def test_every_formula_trigger_is_neutralised_in_csv(text):
    assert next(csv.reader(io.StringIO(csv_bytes([[text, 1.5, -2]]).decode("utf-8-sig")))) == [
        "'" + text if not text.startswith("\r") else "'" + text,
        "1.5",
        "-2",
    ]


def test_the_word_file_keeps_text_as_typed(demo):
    document = build_document(demo, "delivery", {"as_of": "2019-03-31", "since": "2016-04-01"})
    assert WordDocument(io.BytesIO(render.to_docx(document))).paragraphs  # renders; Word has no formulas


# -------------------------------------------------------------------------- 4. figures from the future


def test_figures_for_periods_not_ended_are_refused_unless_forecasts(demo, users, client):
    future = Period.month(date.today().year + 5, 3)
    text = HEADER + f"asb-incidents-police,E06000047,{future.label},1650,\n"
    with pytest.raises(DocumentError, match="has not ended yet"):
        send(demo, users["data_provider"], text)
    near = Period.month((date.today() + timedelta(days=40)).year, (date.today() + timedelta(days=40)).month)
    forecast = (
        "indicator,area,period,value,status\n"
        + f"asb-incidents-police,E06000047,{near.label},1650,forecast\n"
    )
    assert send(demo, users["data_provider"], forecast).rows_created == 1
    far = (
        "indicator,area,period,value,status\n"
        + f"asb-incidents-police,E06000047,{future.label},1650,forecast\n"
    )
    with pytest.raises(DocumentError, match="more than 12 months ahead"):
        send(demo, users["data_provider"], far)
    # the forecast does not move anyone's default period: the latest quarter with real figures stays
    client.force_login(users["viewer"])
    page = client.get(reverse("performance-overview"))
    assert page.context["selected"].label == "Q4 2015/16"


def test_a_figure_is_withdrawn_with_a_reason_kept_in_history(demo, users, client):
    text = HEADER + "asb-incidents-police,E06000047,Jan 2018,1650,\n"
    send(demo, users["data_provider"], text)
    observation = Observation.objects.get(
        indicator__slug="asb-incidents-police", area__code="E06000047", period="2018-01", origin="return"
    )
    url = reverse("observation-withdraw", args=[observation.pk])
    client.force_login(users["viewer"])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(users["data_provider"])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Sent for the wrong month"})
    assert response.status_code == 302
    assert not Observation.objects.filter(pk=observation.pk).exists()
    last = Observation.history.filter(id=observation.pk).latest("history_date")
    assert (last.history_type, last.history_change_reason, last.history_user) == (
        "-",
        "Sent for the wrong month",
        users["data_provider"],
    )
    # the synthetic figure for the month is the headline again
    assert Observation.objects.get(
        indicator__slug="asb-incidents-police", area__code="E06000047", period="2018-01", headline=True
    ).synthetic
    client.force_login(users["analyst"])
    page = client.get(reverse("performance-revisions"), {"since": date.today().isoformat()}).content.decode()
    assert "Withdrawn: Sent for the wrong month" in page


# -------------------------------------------------------------------------- 5. server errors


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_report_dates_far_away_are_a_message_not_a_server_error(demo, users, client, as_of):
    client.force_login(users["viewer"])
    response = client.get(reverse("report-delivery"), {"as_of": as_of})
    assert response.status_code in (200, 400)
    assert "outside the dates a report can cover" in response.content.decode()
    client.force_login(users["analyst"])
    response = client.post(
        reverse("report-draft"), {"kind": "delivery", "as_of": as_of, "since": "0001-01-01"}, follow=True
    )
    assert response.status_code == 200 and "outside the dates a report can cover" in response.content.decode()


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 100,  # a zip header and nothing else
        None,  # a workbook whose sheet XML is broken
    ],
)
def test_malformed_workbooks_are_a_message_not_a_server_error(demo, users, client, content):
    import zipfile

    if content is None:
        from openpyxl import Workbook

        out = io.BytesIO()
        Workbook().save(out)
        broken = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(out.getvalue())) as good, zipfile.ZipFile(broken, "w") as bad:
            for item in good.infolist():
                data = good.read(item)
                if item.filename.startswith("xl/worksheets/"):
                    data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>99</v></c></row><unclosed>"
                bad.writestr(item, data)
        content = broken.getvalue()
    client.force_login(users["data_provider"])
    response = client.post(
        reverse("data-return-detail", args=["durham-constabulary"]),
        {"file": SimpleUploadedFile("r.xlsx", content)},
    )
    assert response.status_code == 400 and "not a readable XLSX workbook" in response.content.decode()


# -------------------------------------------------------------------------- 6. detailed actions for another group


def test_a_decision_offers_and_accepts_only_the_groups_the_person_may_create_actions_for(demo, users, client):
    from saferplan.delivery.models import Escalation

    asb = Group.objects.get(slug="anti-social-behaviour-group")
    reoffending = Group.objects.get(slug="reducing-reoffending-group")
    escalation = delivery_services.escalation_raise(
        from_group=asb, user=users["group_lead"], about="resource", title="Need help", why="w", ask="a"
    )
    assert isinstance(escalation, Escalation)
    client.force_login(users["board_member"])
    page = client.get(escalation.get_absolute_url())
    offered = {g.pk for g in page.context["new_action"].fields["owner_group"].queryset}
    assert asb.pk in offered and reoffending.pk not in offered
    strategic = StrategicAction.objects.filter(outcome__objective__plan=demo).first()
    response = client.post(
        escalation.get_absolute_url(),
        {
            "decision": "Agreed",
            "new_action": "Someone else's job",
            "strategic_action": strategic.pk,
            "owner_group": reoffending.pk,
        },
    )
    assert response.status_code == 400
    assert not DetailedAction.objects.filter(description="Someone else's job").exists()
