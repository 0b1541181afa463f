"""The information-sharing pages: the schedule as of a date and its export, recording receipts (a data provider
for their own organisation's flows only, enforced on the server), the register of agreements with overdue
reviews flagged in words, the data improvement plan, and GOV.UK error messages for bad input."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.assessment.models import (
    DataFlow,
    DataFlowReceipt,
    ImprovementAction,
    ImprovementUpdate,
    SharingAgreement,
)
from saferplan.indicators import periods
from saferplan.indicators.models import DataReturn, Observation
from saferplan.plans.models import Indicator


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def text(response) -> str:
    return text_of(response.content.decode())


@pytest.fixture
def police():
    return Organisation.objects.get(slug="durham-constabulary")


@pytest.fixture
def flow(demo, police):
    """Durham Constabulary's quarterly ASB flow from April 2016: Q1 arrived on time by return, Q2 missing."""
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    flow = DataFlow.objects.create(
        partnership=demo.partnership,
        provider=police,
        title="Anti-social behaviour incidents",
        frequency="quarterly",
        due_days=30,
        prescribed=True,
        starts_on=date(2016, 4, 1),
    )
    flow.indicators.add(indicator)
    period = periods.parse("Q1 2016/17")
    data_return = DataReturn.objects.create(
        organisation=police,
        filename="asb-q1.csv",
        created_at=timezone.make_aware(datetime(2016, 7, 20, 10)),
    )
    Observation.objects.create(
        indicator=indicator,
        area=Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP),
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        period_kind=period.kind.value,
        value=100,
        source="Durham Constabulary (test)",
        headline=False,
        data_return=data_return,
    )
    return flow


@pytest.fixture
def other_flow(demo, police):
    other = Organisation.objects.exclude(pk=police.pk).order_by("name").first()
    return DataFlow.objects.create(
        partnership=demo.partnership, provider=other, title="Fire incidents", starts_on=date(2016, 4, 1)
    )


# ------------------------------------------------------------------------------------------------ schedule


@pytest.mark.django_db
def test_the_schedule_as_of_a_date_shows_arrived_late_and_missing(users, flow, client):
    client.force_login(users["analyst"])
    response = client.get(reverse("sharing-schedule"), {"as_of": "2016-12-01"})
    assert response.status_code == 200
    page = text(response)
    assert "As at 1 December 2016" in page
    assert "Anti-social behaviour incidents" in page and "Prescribed" in page
    assert "1 missing" in page
    response = client.get(reverse("sharing-flow", args=[flow.pk]), {"as_of": "2016-12-01"})
    # the link to the end of the flow's data: the day after Q1's due date (30 July 2016)
    assert "?as_of=2016-07-31" in response.content.decode()
    page = text(response)
    assert "Apr – Jun 2016 30 Jul 2016 Arrived 20 Jul 2016 Data return asb-q1.csv" in page
    assert "Jul – Sep 2016 30 Oct 2016 Missing" in page
    assert "The next period, Oct – Dec 2016, is due by 30 January 2017" in page


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["2016-13-01", "not a date", "31/02/2016", "9999-12-31"])
def test_a_bad_as_of_date_is_a_govuk_error_not_a_server_error(bad, users, flow, client):
    client.force_login(users["analyst"])
    for url in (reverse("sharing-schedule"), reverse("sharing-flow", args=[flow.pk])):
        response = client.get(url, {"as_of": bad})
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page and 'href="#id_as_of"' in page
        assert "Show the schedule as at" in page


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_schedule_exports_one_row_a_period(fmt, users, flow, client):
    flow.title = '=HYPERLINK("http://evil")'
    flow.save()
    client.force_login(users["board_member"])
    response = client.get(reverse("sharing-schedule"), {"as_of": "2016-12-01", "format": fmt})
    assert response.status_code == 200
    assert "information-sharing-schedule-2016-12-01" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]
        types = [row[1].data_type for row in sheet.iter_rows() if "HYPERLINK" in str(row[1].value)]
        assert types and set(types) == {"s"}  # stored as text, never a formula
    assert rows[0][:3] == ["Authority", "What is shared", "Frequency"]
    ours = [r for r in rows[1:] if "HYPERLINK" in str(r[1])]
    assert [r[4] for r in ours] == ["Apr – Jun 2016", "Jul – Sep 2016"]
    assert [r[10] for r in ours] == ["Arrived", "Missing"]
    if fmt == "csv":
        assert ours[0][1].startswith("'=")  # user text never becomes a formula


# ---------------------------------------------------------------------------------------------- receipts


@pytest.mark.django_db
def test_a_data_provider_records_a_receipt_for_their_own_organisations_flow(users, flow, client):
    client.force_login(users["data_provider"])
    url = reverse("sharing-receipt", args=[flow.pk])
    page = client.get(url).content.decode()
    assert 'value="2016-09-30"' in page  # Q2 2016/17, among the periods ended
    response = client.post(url, {"period_end": "2016-09-30", "received_on": "03/11/2016", "note": "By email"})
    assert response.status_code == 302
    receipt = DataFlowReceipt.objects.get(flow=flow)
    assert (receipt.period_end, receipt.received_on, receipt.created_by) == (
        date(2016, 9, 30),
        date(2016, 11, 3),
        users["data_provider"],
    )
    page = text(client.get(reverse("sharing-flow", args=[flow.pk]), {"as_of": "2016-12-01"}))
    assert "Jul – Sep 2016 30 Oct 2016 Arrived late 4 days late 3 Nov 2016 Recorded by hand: By email" in page


@pytest.mark.django_db
def test_a_data_provider_cannot_record_a_receipt_for_another_organisations_flow(users, other_flow, client):
    client.force_login(users["data_provider"])
    url = reverse("sharing-receipt", args=[other_flow.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"period_end": "2016-06-30", "received_on": "01/07/2016"})
    assert response.status_code == 403
    assert not DataFlowReceipt.objects.filter(flow=other_flow).exists()
    # and the flow's page offers them no such button
    page = client.get(reverse("sharing-flow", args=[other_flow.pk])).content.decode()
    assert reverse("sharing-receipt", args=[other_flow.pk]) not in page
    # a data provider with no organisation records none
    users["data_provider"].organisation = None
    users["data_provider"].save()
    assert client.get(reverse("sharing-receipt", args=[other_flow.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"period_end": "", "received_on": "01/08/2016"},
            "period_end",
            "Select the period whose data arrived",
        ),
        (
            {"period_end": "2099-06-30", "received_on": "01/08/2016"},
            "period_end",
            "Select a period from the list",
        ),
        ({"period_end": "2016-06-30", "received_on": ""}, "received_on", "Enter the date received"),
        (
            {"period_end": "2016-06-30", "received_on": "32/13/2016"},
            "received_on",
            "Date received must be a real date",
        ),
        (
            {"period_end": "2016-06-30", "received_on": "01/01/2099"},
            "received_on",
            "must be today or in the past",
        ),
        (
            {"period_end": "2016-06-30", "received_on": "01/01/2016"},
            "received_on",
            "on or after the period began",
        ),
        (
            {"period_end": "2016-06-30", "received_on": "01/08/2016", "note": "x" * 301},
            "note",
            "300 characters",
        ),
    ],
)
def test_receipt_form_errors_name_the_field(data, field, message, users, flow, client):
    client.force_login(users["analyst"])
    response = client.post(reverse("sharing-receipt", args=[flow.pk]), data)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page and f'href="#id_{field}"' in page and message in page
    assert not DataFlowReceipt.objects.filter(flow=flow).exists()


# ------------------------------------------------------------------------------------------------- flows


@pytest.mark.django_db
def test_an_analyst_adds_edits_and_archives_a_flow_with_history(users, demo, police, client):
    client.force_login(users["analyst"])
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    response = client.post(
        reverse("sharing-flow-create"),
        {
            "provider": police.pk,
            "title": "Crime by ward",
            "frequency": "quarterly",
            "due_days": "30",
            "depersonalised": "on",
            "prescribed": "on",
            "starts_on": "01/04/2014",
            "indicators": [indicator.pk],
        },
    )
    assert response.status_code == 302
    flow = DataFlow.objects.get(title="Crime by ward")
    assert (
        flow.prescribed and list(flow.indicators.all()) == [indicator] and flow.created_by == users["analyst"]
    )
    response = client.post(
        reverse("sharing-flow-edit", args=[flow.pk]),
        {
            "provider": police.pk,
            "title": "Crime by ward",
            "frequency": "quarterly",
            "due_days": "45",
            "depersonalised": "on",
            "starts_on": "01/04/2014",
        },
    )
    assert response.status_code == 302
    page = text(client.get(reverse("sharing-flow", args=[flow.pk])))
    assert "History" in page and "“30” → “45”" in page
    assert client.post(reverse("sharing-flow-archive", args=[flow.pk])).status_code == 302
    flow.refresh_from_db()
    assert flow.is_archived
    assert "Crime by ward" not in text(client.get(reverse("sharing-schedule")))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"title": ""}, "title", "Enter what is shared"),
        ({"provider": ""}, "provider", "Select the authority that shares it"),
        ({"provider": "999999"}, "provider", "Select an authority from the list"),
        ({"frequency": "weekly"}, "frequency", "Select how often it is shared"),
        ({"due_days": "-1"}, "due_days", "0 or more"),
        ({"due_days": "ten"}, "due_days", "whole number"),
        ({"due_days": "400"}, "due_days", "366 or fewer"),
        ({"starts_on": ""}, "starts_on", "Enter the start of the first period"),
        ({"starts_on": "31/02/2016"}, "starts_on", "must be a real date"),
        ({"starts_on": "01/01/1066"}, "starts_on", "between 1990 and 2100"),
        ({"frequency": "monthly"}, "prescribed", "SI 2007/1831"),
        ({"depersonalised": ""}, "prescribed", "SI 2007/1831"),
        ({"indicators": ["abc"]}, "indicators", "from the list"),
    ],
)
def test_flow_form_errors_name_the_field(change, field, message, users, police, client):
    client.force_login(users["analyst"])
    data = {
        "provider": police.pk,
        "title": "Crime by ward",
        "frequency": "quarterly",
        "due_days": "30",
        "depersonalised": "on",
        "prescribed": "on",
        "starts_on": "01/04/2014",
    }
    data.update(change)
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(reverse("sharing-flow-create"), data)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page and message in page
    assert f'id="id_{field}' in page
    assert not DataFlow.objects.filter(title="Crime by ward").exists()


# -------------------------------------------------------------------------------------------- agreements


TITLE = "Test community safety information-sharing protocol"


def _agreement_data(police, **change):
    data = {
        "title": TITLE,
        "purpose": "To reduce crime and disorder",
        "legal_basis": "Crime and Disorder Act 1998 s.115 and s.17A",
        "parties": [police.pk],
        "data_items": "Depersonalised incident data",
        "signatories": "Chief Constable",
        "signed_on": "01/03/2014",
        "review_due": "01/03/2017",
    }
    data.update(change)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.django_db
def test_an_overdue_review_is_flagged_in_words_and_a_review_clears_it(users, police, client):
    client.force_login(users["analyst"])
    assert client.post(reverse("sharing-agreement-create"), _agreement_data(police)).status_code == 302
    agreement = SharingAgreement.objects.get(title=TITLE)
    assert list(agreement.parties.all()) == [police]
    register = client.get(reverse("sharing-agreements"))
    assert "Review overdue since 1 March 2017" in text(register)
    assert 'govuk-tag govuk-tag--red">Review overdue' in register.content.decode()
    assert "Review overdue since 1 March 2017" in text(
        client.get(reverse("sharing-agreement", args=[agreement.pk]))
    )
    next_due = date.today() + timedelta(days=365)
    response = client.post(
        reverse("sharing-agreement-review", args=[agreement.pk]),
        {"reviewed_on": date.today().strftime("%d/%m/%Y"), "review_due": next_due.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    page = text(client.get(reverse("sharing-agreement", args=[agreement.pk])))
    assert "Review overdue" not in page
    assert f"Next review by {next_due.day} {next_due:%B %Y}" in page
    assert "History" in page and "Next review by" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"title": ""}, "title", "Enter the name of the agreement"),
        ({"purpose": ""}, "purpose", "Enter the purpose"),
        ({"legal_basis": ""}, "legal_basis", "Enter the legal basis"),
        ({"parties": ""}, "parties", "Select the parties"),
        ({"parties": ["999999"]}, "parties", "from the list"),
        ({"data_items": ""}, "data_items", "Enter the data items shared"),
        ({"signed_on": "yesterday"}, "signed_on", "Date signed must be a real date"),
        ({"review_due": "01/01/2014"}, "review_due", "on or after the date signed"),
    ],
)
def test_agreement_form_errors_name_the_field(change, field, message, users, police, client):
    client.force_login(users["analyst"])
    before = SharingAgreement.objects.count()
    response = client.post(reverse("sharing-agreement-create"), _agreement_data(police, **change))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page and message in page
    assert SharingAgreement.objects.count() == before


@pytest.mark.django_db
def test_review_form_errors_and_archive(users, police, client):
    client.force_login(users["analyst"])
    client.post(reverse("sharing-agreement-create"), _agreement_data(police))
    agreement = SharingAgreement.objects.get(title=TITLE)
    url = reverse("sharing-agreement-review", args=[agreement.pk])
    for data, message in [
        (
            {"reviewed_on": "01/01/2099", "review_due": "01/01/2100"},
            "The date reviewed must be today or in the past",
        ),
        (
            {"reviewed_on": "01/03/2017", "review_due": "01/03/2016"},
            "The next review must be after the date reviewed",
        ),
        ({"reviewed_on": "", "review_due": ""}, "Enter the date reviewed"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and message in html.unescape(response.content.decode())
    agreement.refresh_from_db()
    assert agreement.reviewed_on is None
    assert client.post(reverse("sharing-agreement-archive", args=[agreement.pk])).status_code == 302
    agreement.refresh_from_db()
    page = client.get(reverse("sharing-agreements")).content.decode()
    archived = page.split("Archived agreements")[1]
    assert TITLE in archived and TITLE not in page.split("Archived agreements")[0]
    assert "Review overdue" not in archived  # an archived agreement is not flagged
    assert not agreement.review_overdue(date(2030, 1, 1))
    assert client.get(reverse("sharing-agreement-edit", args=[agreement.pk])).status_code == 403


# --------------------------------------------------------------------------------- data improvement plan


@pytest.mark.django_db
def test_the_data_improvement_plan_tracks_actions_like_delivery_actions(users, police, client):
    client.force_login(users["analyst"])
    response = client.post(
        reverse("sharing-action-create"),
        {
            "description": "Get health data on alcohol-related admissions by ward",
            "owner": police.pk,
            "lead_name": "Head of Performance",
            "target_date": "31/03/2017",
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get(
        description="Get health data on alcohol-related admissions by ward"
    )
    plan = client.get(reverse("sharing-improvement-plan")).content.decode()
    row = re.search(
        rf'<tr class="govuk-table__row">(?:(?!</tr>).)*?/sharing/improvement/{action.pk}/.*?</tr>', plan, re.S
    )
    row = text_of(row.group(0))
    assert "Not started" in row and "Overdue" in row and "Head of Performance" in row
    update_url = reverse("sharing-action-update", args=[action.pk])
    # the update form starts from the current status
    assert re.search(r'<option value="not_started"[^>]*selected', client.get(update_url).content.decode())
    response = client.post(
        update_url, {"status": "at_risk", "date": "01/02/2017", "text": "Awaiting sign-off"}
    )
    assert response.status_code == 302
    assert re.search(r'<option value="at_risk"[^>]*selected', client.get(update_url).content.decode())
    page = text(client.get(reverse("sharing-action", args=[action.pk])))
    assert "At risk" in page and "1 February 2017: At risk" in page and "Awaiting sign-off" in page
    overdue = client.get(reverse("sharing-improvement-plan"), {"status": "overdue"}).content.decode()
    assert f"/sharing/improvement/{action.pk}/" in overdue
    client.post(update_url, {"status": "complete", "date": date.today().strftime("%d/%m/%Y"), "text": "Done"})
    overdue = client.get(reverse("sharing-improvement-plan"), {"status": "overdue"}).content.decode()
    assert f"/sharing/improvement/{action.pk}/" not in overdue
    complete = client.get(reverse("sharing-improvement-plan"), {"status": "complete"}).content.decode()
    assert f"/sharing/improvement/{action.pk}/" in complete


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"status": "", "date": "01/02/2017", "text": "x"}, "Select the status"),
        ({"status": "sideways", "date": "01/02/2017", "text": "x"}, "Select the status"),
        ({"status": "on_track", "date": "01/02/2099", "text": "x"}, "today or in the past"),
        ({"status": "on_track", "date": "2017-02-30", "text": "x"}, "must be a real date"),
        ({"status": "on_track", "date": "01/02/2017", "text": ""}, "Describe the progress"),
    ],
)
def test_improvement_update_errors_name_the_field(data, message, users, demo, client):
    action = ImprovementAction.objects.create(partnership=demo.partnership, description="Improve data")
    client.force_login(users["analyst"])
    response = client.post(reverse("sharing-action-update", args=[action.pk]), data)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not ImprovementUpdate.objects.filter(action=action).exists()


@pytest.mark.django_db
def test_improvement_action_form_errors(users, demo, client):
    client.force_login(users["analyst"])
    before = ImprovementAction.objects.count()
    response = client.post(
        reverse("sharing-action-create"), {"description": "", "owner": "999999", "target_date": "soon"}
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    for message in ("Enter the action", "Select an owner from the list", "Target date must be a real date"):
        assert message in page
    assert ImprovementAction.objects.count() == before


# ------------------------------------------------------------------------------------------- start page


@pytest.mark.django_db
def test_the_analysts_start_page_lists_missing_flows_and_overdue_reviews(users, flow, police, client):
    SharingAgreement.objects.create(
        partnership=flow.partnership,
        title="Protocol due for review",
        purpose="x",
        legal_basis="s.115",
        data_items="x",
        review_due=date(2017, 3, 1),
    )
    for role in ("analyst", "administrator"):
        client.force_login(users[role])
        page = html.unescape(client.get("/").content.decode())
        part = re.search(r'<section[^>]*id="missing-data-flows".*?</section>', page, re.S).group(0)
        assert reverse("sharing-flow", args=[flow.pk]) in part
        assert "Jul – Sep 2016" in part and "the first due 30 October 2016" in part
        part = re.search(r'<section[^>]*id="overdue-agreement-reviews".*?</section>', page, re.S).group(0)
        overdue = [a for a in SharingAgreement.objects.live() if a.review_overdue()]
        assert (
            f"{len(overdue)} information-sharing agreement{'s' if len(overdue) != 1 else ''} to review"
            in part
        )
        assert "Protocol due for review" in part
        assert "Review overdue since 1 March 2017" in part
    client.force_login(users["board_member"])
    assert 'id="missing-data-flows"' not in client.get("/").content.decode()
