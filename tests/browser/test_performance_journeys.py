"""Journeys through the performance pages and data returns in chromium; every page reached passes axe."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from saferplan.accounts.models import Organisation
from saferplan.indicators import periods
from saferplan.indicators.models import DataReturn, Observation
from saferplan.plans.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASB_INCIDENTS = "Number of police reported incidents of anti-social behaviour"
CSV_TYPE = "text/csv"


def menu(page):
    return page.get_by_role("navigation", name="Menu")


def table_after(page, heading: str):
    """The table that follows a level-2 heading."""
    return page.locator(
        f"main h2:text-is('{heading}') + table, main h2:text-is('{heading}') + .app-table-scroll > table"
    )


def csv_upload(name: str, rows: list[list[object]]) -> dict:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return {"name": name, "mimeType": CSV_TYPE, "buffer": out.getvalue().encode("utf-8")}


def test_board_member_reads_performance(browse, users):
    page = browse.page
    browse.sign_in("board_member-user")
    main = page.locator("main")

    browse.click(menu(page).get_by_role("link", name="Performance"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")
    captions = main.locator("table caption")
    expect(captions.filter(has_text=re.compile(r"^Objective \d+: "))).to_have_count(7)
    expect(captions.first).to_have_text("Objective 1: Reduce anti-social behaviour")
    expect(main.locator(".govuk-tag", has_text="Synthetic").first).to_be_visible()
    expect(main.locator(".govuk-warning-text")).to_contain_text(
        "Figures marked “Synthetic” are made-up demo data, not real figures."
    )

    page.get_by_label("Period").select_option(label="2015/16")
    browse.submit(main.get_by_role("button", name="Show"))
    assert "period=" in page.url, page.url
    expect(main.get_by_role("heading", level=2).first).to_have_text("County Durham, 2015/16")
    link = page.get_by_role("link", name=ASB_INCIDENTS, exact=True)
    row = main.locator("tbody tr", has=link)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(1)).to_have_text("2015/16")
    expect(cells.nth(2)).to_have_text("20,649")
    expect(cells.nth(3)).to_have_text("−2,608 (−11.2%)")
    csv_url = main.get_by_role("link", name="CSV", exact=True).evaluate("a => a.href")

    browse.click(link)
    assert re.search(r"/indicators/\d+/figures/\?area=", page.url), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(ASB_INCIDENTS)
    # the figure for the period chosen on the scorecard (which it came from), and the latest figure
    expect(main.locator("#scorecard-period")).to_contain_text("(the period chosen on the scorecard): 20,649.")
    inset = main.locator(".govuk-inset-text:not(#scorecard-period)")
    expect(inset).to_have_text(re.compile(r"^\S.*: [\d,]+\. \S.+"))
    chart = main.locator("svg[role='img']")
    expect(chart).to_have_count(1)
    expect(chart.locator(":scope > title")).to_have_count(1)
    expect(chart.locator(":scope > title")).to_contain_text(ASB_INCIDENTS)
    by_year = table_after(page, "By year")
    expect(by_year.locator("tbody tr", has=page.locator("td:text-is('2015/16')"))).to_have_count(1)
    every_source = table_after(page, "Every source")
    expect(every_source.locator("tbody tr").first).to_be_visible()
    expect(every_source.locator("thead")).to_contain_text("Source")

    # The CSV download of the overview, with the signed-in session.
    response = page.request.get(csv_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith(CSV_TYPE)
    assert "attachment" in response.headers["content-disposition"]
    text = response.text()
    assert "20649" in text
    assert "Synthetic demo data" in text


def test_analyst_changes_which_figure_is_the_headline(browse, users):
    page = browse.page
    browse.sign_in("analyst-user")
    main = page.locator("main")
    asb = Indicator.objects.get(slug="asb-incidents-police")

    browse.visit(f"/indicators/{asb.pk}/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ASB_INCIDENTS)
    expect(main).to_contain_text("the headline is the first in the partnership's order: Published figure")
    browse.click(main.get_by_role("link", name="Change which figure is the headline"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Which figure is the headline")
    expect(main).to_contain_text("Synthetic demo figure: a synthetic figure is never the headline")

    # One kind chosen twice: refused, with the problem in the error summary.
    page.get_by_label("First", exact=True).select_option(label="Police open data")
    page.get_by_label("Second", exact=True).select_option(label="Police open data")
    browse.submit(main.get_by_role("button", name="Save the order"), status=400)
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Police open data is already first: choose each kind of figure once"
    )

    # Police open data first: saved, listed among the changes, and stated on the indicator's page.
    for position, label in zip(
        ("First", "Second", "Third", "Fourth", "Fifth"),
        (
            "Police open data",
            "Published figure",
            "Partner's return",
            "Casework records",
            "Derived from published figures",
        ),
        strict=True,
    ):
        page.get_by_label(position, exact=True).select_option(label=label)
    browse.submit(main.get_by_role("button", name="Save the order"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Order of sources saved")
    expect(main.locator("h2:text-is('Changes') + ul")).to_contain_text(
        "analyst-user: Police open data, Published figure, Partner's return"
    )
    browse.visit(f"/indicators/{asb.pk}/figures/")
    expect(main).to_contain_text("the headline is the first in the partnership's order: Police open data")


def test_data_provider_sends_a_return(browse, users):
    page = browse.page
    provider = users["data_provider"]
    provider.organisation = Organisation.objects.get(slug="durham-constabulary")
    provider.save()
    browse.sign_in("data_provider-user")
    main = page.locator("main")

    browse.click(menu(page).get_by_role("link", name="Data returns"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Data returns")
    browse.click(main.get_by_role("link", name="Durham Constabulary", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Data return: Durham Constabulary")
    outstanding = main.locator("table").filter(
        has=page.locator("caption", has_text="Figures due and overdue")
    )
    expect(outstanding.locator(".govuk-tag", has_text="Overdue").first).to_be_visible()

    # The CSV template lists every figure due.
    template_url = main.get_by_role("link", name="CSV", exact=True).evaluate("a => a.href")
    response = page.request.get(template_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith(CSV_TYPE)
    template = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert ",".join(template[0]).startswith("indicator,indicator name,area")
    header, first = template[0], dict(zip(template[0], template[1], strict=True))
    assert len(template) > 2

    # A return with problems: each is listed by row and column, and nothing is saved.
    upload = page.get_by_label("Upload the completed return")
    count = Indicator.objects.filter(source=provider.organisation, unit="count").order_by("order").first()

    def line(**cells):  # a row in the template's own column order
        return [cells.get(column, "") for column in header]

    area = first["area"]
    bad = [
        header,
        line(indicator=count.slug, area=area, period="Jan 2019", value="abc", status="final"),
        line(indicator="no-such-indicator", area=area, period="Jan 2019", value="5", status="final"),
        line(indicator=count.slug, area=area, period="Feb 2019", value="-5", status="final"),
    ]
    upload.set_input_files(csv_upload("bad-return.csv", bad))
    browse.submit(main.get_by_role("button", name="Upload and check"), status=400)
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The return was not accepted: bad-return.csv: 3 problems")
    problems = summary.locator(".govuk-error-summary__list li")
    expect(problems).to_have_text(
        [
            "row 2, column value: expected a number, got 'abc'",
            "row 3, column indicator: unknown indicator 'no-such-indicator'",
            "row 4, column value: a count cannot be negative (-5)",
        ]
    )
    expect(main.locator(".govuk-notification-banner--success")).to_have_count(0)
    assert not DataReturn.objects.filter(organisation=provider.organisation).exists()

    # A good return: the first figure due, filled in.
    indicator = Indicator.objects.get(slug=first["indicator"])
    value = {"percentage": "62.5", "count": "250"}.get(indicator.unit, "12.34")
    good = [header, [value if column == "value" else first[column] for column in header]]
    page.get_by_label("Upload the completed return").set_input_files(csv_upload("return.csv", good))
    browse.submit(main.get_by_role("button", name="Upload and check"))
    assert page.url.endswith("/data-returns/durham-constabulary/"), page.url
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Return accepted: 1 new figure"
    )
    expect(main.locator("h2:text-is('Returns received') + ul")).to_contain_text("return.csv")

    # The new figure is on the indicator's figures page, with its source.
    assert Observation.objects.filter(
        indicator=indicator, source="Durham Constabulary", value=float(value)
    ).exists()
    browse.visit(f"/indicators/{indicator.pk}/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text(indicator.name)
    period = periods.parse(first["period"], basis=indicator.period_basis)
    months = period.start.strftime("%b %Y")
    if (period.start.year, period.start.month) != (period.end.year, period.end.month):
        months += " – " + period.end.strftime("%b %Y")
    shown = {"percentage": "62.5%", "count": "250"}.get(indicator.unit, "12.34")
    new_row = table_after(page, "Every source").locator(
        "tbody tr", has=page.locator(f"td:text-is('{months}')")
    )
    new_row = new_row.filter(has=page.locator("td", has_text="Durham Constabulary"))
    expect(new_row).to_have_count(1)
    expect(new_row.locator("td").nth(2)).to_have_text(shown)
    expect(new_row).to_contain_text("Data return return.csv, row 2")


def test_viewer_cannot_use_data_returns(browse, users):
    page = browse.page
    browse.sign_in("viewer-user")
    expect(menu(page).get_by_role("link", name="Data returns")).to_have_count(0)

    browse.visit("/data-returns/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see or do this")
    assert page.title() == "You do not have permission – SaferPlan"
    expect(menu(page)).to_be_visible()


PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 720}
RECORD_PROGRESS = """id => {
  const bar = document.getElementById(id);
  window.progressSeen = [bar.value];
  new MutationObserver(() => window.progressSeen.push(bar.value)).observe(bar, {attributes: true});
}"""


def test_data_provider_follows_a_large_return_until_it_is_imported(browse, users, settings, axe_check):
    """A return over SAFERPLAN_QUEUE_RETURNS_OVER figures: checked at once (a bad one is refused on the page),
    then saved by the worker while its page shows the progress."""
    from saferplan.indicators.models import DataReturnImport
    from saferplan.police import jobs
    from tests.indicators.test_data_returns import large_return

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SAFERPLAN_QUEUE_RETURNS_OVER = 100
    page = browse.page
    page.set_viewport_size(DESKTOP)
    provider = users["data_provider"]
    browse.sign_in("data_provider-user")
    browse.visit("/data-returns/durham-constabulary/")
    main = page.locator("main")
    expect(main).to_contain_text("A return of more than 100 figures is then saved in the background")

    bad = large_return(60, extra="asb-incidents-police,DUR-AAP-07,Feb 2019,lots\n")
    upload = {"name": "big-return.csv", "mimeType": CSV_TYPE}
    page.get_by_label("Upload the completed return").set_input_files({**upload, "buffer": bad})
    browse.submit(main.get_by_role("button", name="Upload and check"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "row 722, column value: expected a number, got 'lots'"
    )
    assert not DataReturnImport.objects.exists()

    before = Observation.objects.count()
    page.get_by_label("Upload the completed return").set_input_files({**upload, "buffer": large_return(60)})
    browse.submit(main.get_by_role("button", name="Upload and check"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of big-return.csv")
    expect(page.locator("#status")).to_have_text("Waiting to start")
    expect(page.locator("#rows")).to_have_text("0 of 720 figures saved")
    check_at_both_widths(page, axe_check)
    page.evaluate(RECORD_PROGRESS, "import-progress")

    jobs.wait_for_imports()  # the worker's part, in this process; the page follows it by itself
    expect(page.locator("#status")).to_have_text("Imported", timeout=15_000)
    expect(page.locator("#rows")).to_have_text("720 of 720 figures saved")
    expect(page.get_by_label("Progress")).to_have_attribute("value", "100")
    expect(page.locator("#message")).to_have_text(
        "Return accepted: 720 new figures, 0 revised figures, 0 unchanged."
    )
    seen = page.evaluate("window.progressSeen")
    # the bar moved forward only, stopping on the way (the worker's progress), to 100
    assert seen == sorted(seen) and seen[-1] == 100 and any(0 < v < 100 for v in seen), seen
    check_at_both_widths(page, axe_check)
    assert Observation.objects.count() == before + 720
    assert DataReturn.objects.get(filename="big-return.csv").created_by == provider

    browse.click(page.get_by_role("link", name="Back to the data return for Durham Constabulary"))
    expect(main.locator("h2:text-is('Returns received') + ul")).to_contain_text("big-return.csv")


def check_at_both_widths(page, axe_check):
    page.set_viewport_size(PHONE)
    axe_check(page)
    page.set_viewport_size(DESKTOP)
    axe_check(page)


NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_viewer_reads_the_scorecard_at_desktop_and_phone_width(browse, users, axe_check):
    page = browse.page
    page.set_viewport_size(PHONE)
    browse.sign_in("viewer-user")
    browse.visit("/performance/")
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")
    # Every indicator with figures has its direction, sparkline, significance and target status.
    rows = main.locator("tbody tr", has=page.locator("td[data-arrow]"))
    assert rows.count() > 0
    first = rows.filter(has=page.locator("svg[role='img']")).first
    expect(first.locator("svg[role='img']")).to_have_attribute(
        "aria-label", re.compile(r"^Line chart of the last")
    )
    expect(first.locator("td[data-significance]")).to_have_text(
        re.compile(r"A real change, not noise|Within normal variation|Too few figures to tell")
    )
    expect(first.locator("td[data-target]")).to_have_text(re.compile(r"Target met|Target not met|No target"))
    # The page never scrolls sideways at 375 px: the wide tables scroll inside their own box.
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    box = main.locator(".app-table-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    page.set_viewport_size(DESKTOP)
    axe_check(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    # A filter keeps its choice in the address, so the view can be shared; the explanation is one click away.
    page.get_by_label("Status").select_option(label="Better than a year ago")
    browse.submit(main.get_by_role("button", name="Show"))
    assert "status=better" in page.url, page.url
    expect(main.locator("td[data-arrow]").first).to_be_visible()
    expect(main.locator("td[data-tone]:not([data-tone='good'])")).to_have_count(0)
    browse.click(main.get_by_role("link", name="a real change, not noise", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("A real change, not noise")
    page.set_viewport_size(PHONE)
    axe_check(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
