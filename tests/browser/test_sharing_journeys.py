"""Information sharing in chromium, at desktop and phone width, with axe on every page: an analyst views the
schedule as at the end of its data, finds the missing period, records that it arrived, then records the review
of an agreement flagged overdue and an update to a data improvement action; a data provider records a receipt
for their own organisation's flow."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.assessment.models import DataFlow, DataFlowReceipt, ImprovementAction, SharingAgreement
from saferplan.indicators import periods
from saferplan.indicators.models import DataReturn, Observation
from saferplan.plans.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Desktop width: every page these journeys reach is also checked at 375 px (axe, no sideways scroll) in
# test_phone_and_print.py::test_key_pages_fit_a_phone, which is quicker than running each journey twice.
WIDTHS = [1280]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def sharing_data(demo):
    police = Organisation.objects.get(slug="durham-constabulary")
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    agreement = SharingAgreement.objects.create(
        partnership=demo.partnership,
        title="County Durham information-sharing protocol",
        purpose="To reduce crime and disorder in County Durham",
        legal_basis="Crime and Disorder Act 1998 s.115 and s.17A",
        data_items="Depersonalised incident data",
        signed_on=date(2014, 3, 1),
        review_due=date(2017, 3, 1),
    )
    agreement.parties.add(police)
    flow = DataFlow.objects.create(
        partnership=demo.partnership,
        provider=police,
        title="Police ASB incidents by ward (journey)",
        frequency="quarterly",
        due_days=30,
        prescribed=True,
        starts_on=date(2016, 4, 1),
        agreement=agreement,
    )
    flow.indicators.add(indicator)
    for label, arrived in (("Q1 2016/17", date(2016, 7, 20)), ("Q3 2016/17", date(2017, 1, 25))):
        period = periods.parse(label)
        Observation.objects.create(
            indicator=indicator,
            area=Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP),
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            period_kind=period.kind.value,
            value=100,
            source="Durham Constabulary (journey)",
            headline=False,
            data_return=DataReturn.objects.create(
                organisation=police,
                filename=f"asb-{period.code}.csv",
                created_at=timezone.make_aware(datetime(arrived.year, arrived.month, arrived.day, 9)),
            ),
        )
    action = ImprovementAction.objects.create(
        partnership=demo.partnership,
        description="Agree a ward-level extract of alcohol-related hospital admissions",
        owner=police,
        lead_name="Head of Performance",
        target_date=date(2017, 3, 31),
    )
    return flow, agreement, action


@pytest.mark.parametrize("width", WIDTHS)
def test_analyst_finds_a_missing_period_records_it_reviews_an_agreement_and_updates_an_action(
    width, browse, users, demo
):
    flow, agreement, action = sharing_data(demo)
    page = browse.page
    page.set_viewport_size({"width": width, "height": 900})
    browse.sign_in("analyst-user")
    main = page.locator("main")
    # the start page lists the flow with data missing and the overdue review
    expect(
        main.locator("#missing-data-flows").get_by_role("link", name=flow.title, exact=True)
    ).to_be_visible()
    expect(main.locator("#overdue-agreement-reviews")).to_contain_text("Review overdue since 1 March 2017")
    browse.visit("/sharing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule of data flows")
    # as at the end of the data (for this flow, the day after Q3's due date, 30 January 2017; later when the
    # demo's own flows run further)
    browse.click(main.get_by_role("link", name=re.compile(r"^See the schedule as at \d+ \w+ \d{4}")))
    expect(main.get_by_role("heading", name=re.compile(r"^As at \d+ \w+ \d{4}$"))).to_be_visible()
    if width == 375:
        assert no_sideways_scroll(page), "the schedule scrolls sideways at 375 px"
    browse.click(main.get_by_role("link", name=flow.title, exact=True))
    periods_table = main.get_by_role("region", name="Periods of the data flow")
    expect(periods_table.get_by_role("row").filter(has_text="Jul – Sep 2016")).to_contain_text("Missing")
    expect(periods_table.get_by_role("row").filter(has_text="Oct – Dec 2016")).to_contain_text("Arrived")
    browse.click(main.get_by_role("link", name="Record that data arrived"))
    page.get_by_label("Period").select_option("2016-09-30")
    page.get_by_label("Date received").fill("04/11/2016")
    page.get_by_label("Note (optional)").fill("Sent by email")
    browse.submit(page.get_by_role("button", name="Record receipt"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Receipt recorded")
    row = (
        main.get_by_role("region", name="Periods of the data flow")
        .get_by_role("row")
        .filter(has_text="Jul – Sep 2016")
    )
    expect(row).to_contain_text("Arrived late")
    expect(row).to_contain_text("Recorded by hand: Sent by email")
    assert DataFlowReceipt.objects.filter(flow=flow, period_end=date(2016, 9, 30)).exists()
    if width == 375:
        assert no_sideways_scroll(page), "the flow's page scrolls sideways at 375 px"

    # the agreement flagged overdue, reviewed
    browse.click(main.get_by_role("link", name=agreement.title, exact=True))
    expect(main).to_contain_text("Review overdue since 1 March 2017")
    browse.click(main.get_by_role("link", name="Record a review"))
    browse.submit(page.get_by_role("button", name="Record review"), status=400)  # empty: errors, not a crash
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date reviewed")
    page.get_by_label("Date reviewed").fill(date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Next review by").fill(date(date.today().year + 1, 12, 31).strftime("%d/%m/%Y"))
    browse.submit(page.get_by_role("button", name="Record review"))
    expect(main).not_to_contain_text("Review overdue")
    browse.click(
        page.locator(".govuk-breadcrumbs").get_by_role("link", name="Information-sharing agreements")
    )
    row = main.get_by_role("row").filter(has_text=agreement.title)
    expect(row).to_contain_text("Next review by")
    expect(row).not_to_contain_text("Review overdue")
    if width == 375:
        assert no_sideways_scroll(page), "the register scrolls sideways at 375 px"

    # the data improvement plan: an update that starts from the current status
    browse.visit("/sharing/improvement/")
    row = main.get_by_role("row").filter(has_text=action.description)
    expect(row).to_contain_text("Not started")
    expect(row).to_contain_text("Overdue")
    browse.click(main.get_by_role("link", name=action.description, exact=True))
    browse.click(main.get_by_role("link", name="Add a progress update"))
    expect(page.get_by_label("Status")).to_have_value("not_started")
    page.get_by_label("Status").select_option("complete")
    page.get_by_label("Progress").fill("The extract arrives each quarter")
    browse.submit(page.get_by_role("button", name="Add update"))
    expect(main).to_contain_text("The extract arrives each quarter")
    browse.click(page.locator(".govuk-breadcrumbs").get_by_role("link", name="Data improvement plan"))
    row = main.get_by_role("row").filter(has_text=action.description)
    expect(row).to_contain_text("Complete")
    expect(row).not_to_contain_text("Overdue")
    if width == 375:
        assert no_sideways_scroll(page), "the data improvement plan scrolls sideways at 375 px"


@pytest.mark.parametrize("width", WIDTHS)
def test_data_provider_records_a_receipt_for_their_own_flow_only(width, browse, users, demo):
    flow, _agreement, _action = sharing_data(demo)
    other = DataFlow.objects.create(
        partnership=demo.partnership,
        provider=Organisation.objects.exclude(slug="durham-constabulary").order_by("name").first(),
        title="Fire service incidents",
        starts_on=date(2016, 4, 1),
    )
    page = browse.page
    page.set_viewport_size({"width": width, "height": 900})
    browse.sign_in("data_provider-user")
    main = page.locator("main")
    browse.visit(f"/sharing/flows/{other.pk}/")
    expect(main.get_by_role("link", name="Record that data arrived")).to_have_count(0)
    browse.visit(f"/sharing/flows/{other.pk}/receipt/", status=403)
    browse.visit(f"/sharing/flows/{flow.pk}/")
    browse.click(main.get_by_role("link", name="Record that data arrived"))
    page.get_by_label("Period").select_option("2016-09-30")
    page.get_by_label("Date received").fill("28/10/2016")
    browse.submit(page.get_by_role("button", name="Record receipt"))
    row = (
        main.get_by_role("region", name="Periods of the data flow")
        .get_by_role("row")
        .filter(has_text="Jul – Sep 2016")
    )
    expect(row).to_contain_text("Arrived")
    expect(row).not_to_contain_text("late")
    if width == 375:
        assert no_sideways_scroll(page), "the flow's page scrolls sideways at 375 px"
