"""The strategic assessment in chromium: an analyst starts an assessment, adds a section with a live figure, an
issue on the long-list with its evidence and a priority that became an objective of the plan; the objective's
page then says where it came from. At desktop and phone width, with axe on every page and no sideways scroll."""

import re

import pytest
from playwright.sync_api import expect

from saferplan.assessment.models import StrategicAssessment
from saferplan.plans.models import Indicator, Objective

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


# Desktop width: every page the journey reaches is also checked at 375 px (axe, no sideways scroll) in
# test_phone_and_print.py::test_key_pages_fit_a_phone, which is quicker than running the journey twice.
@pytest.mark.parametrize("width", [1280])
def test_analyst_goes_from_evidence_to_objective(width, browse, users, demo):
    page = browse.page
    page.set_viewport_size({"width": width, "height": 900})
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    objective = Objective.objects.get(plan=demo, number=2)
    browse.sign_in("analyst-user")

    def main():
        return page.locator("main")

    def check_width():
        if width == 375:
            assert no_sideways_scroll(page), f"{page.url} scrolls sideways at 375 px"

    # the menu leads to the assessments; start one
    if width == 1280:
        browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Assessment"))
    else:  # the menu is folded away on a phone
        browse.visit("/assessments/")
    check_width()
    browse.click(main().get_by_role("link", name="Start a strategic assessment"))
    page.get_by_label("Title").fill("Journey Strategic Assessment 2016/17")
    page.get_by_label("Short name for the web address").fill("journey-sa")
    page.get_by_label("Year the assessment is for").fill("2016/17")
    page.get_by_label("Start of the period looked back over").fill("01/04/2015")
    page.get_by_label("End of the period looked back over").fill("31/03/2014")  # before the start
    page.get_by_label("The plan it informs (optional)").select_option(label=demo.title)
    browse.submit(main().get_by_role("button", name="Save"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end of the period must be the same as or after its start"
    )
    check_width()
    page.get_by_label("End of the period looked back over").fill("31/03/2016")
    browse.submit(main().get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Journey Strategic Assessment 2016/17")
    assessment = StrategicAssessment.objects.get(slug="journey-sa")

    # a section with a live figure of an indicator
    browse.click(main().get_by_role("link", name="Add a section"))
    page.get_by_label("What the section covers").select_option(label="Current picture")
    page.get_by_label("Heading").fill("Current picture")
    page.get_by_label("Text").fill("Anti-social behaviour fell.")
    browse.submit(main().get_by_role("button", name="Save"))
    browse.click(main().get_by_role("link", name="Add a live figure to Current picture"))
    page.get_by_label("What the figure shows").select_option("indicator_trend")
    page.get_by_label("Indicator (for an indicator's figures)").select_option(label=indicator.name)
    browse.submit(main().get_by_role("button", name="Save"))
    section = main().locator("section", has=page.get_by_role("heading", level=2, name="Current picture"))
    expect(section.locator("svg").first).to_be_visible()
    expect(section).to_contain_text("Source:")
    check_width()

    # an issue on the long-list with its evidence
    browse.click(main().get_by_role("link", name="See the long-list with its evidence"))
    browse.click(main().get_by_role("link", name="Add an issue"))
    page.get_by_label("Issue", exact=True).fill("Anti-social behaviour")
    page.get_by_role("checkbox", name=indicator.name, exact=True).check()
    page.get_by_role("checkbox", name="Anti-social behaviour", exact=True).check()
    page.get_by_label("Partners' views (optional)").fill("The police and the council see it as a priority")
    browse.submit(main().get_by_role("button", name="Save"))
    issue = main().locator(
        "section", has=page.get_by_role("heading", level=2, name="1. Anti-social behaviour")
    )
    expect(issue.get_by_role("link", name=indicator.name)).to_be_visible()
    expect(issue).to_contain_text("2015/16")
    expect(issue).to_contain_text("The police and the council see it as a priority")
    check_width()

    # a priority from it, which became an objective of the plan
    browse.click(main().get_by_role("link", name="See the priorities"))
    browse.click(main().get_by_role("link", name=re.compile(r"^Make it a priority\W+Anti-social behaviour$")))
    expect(page.get_by_label("From the long-list (optional)")).to_have_value(
        str(assessment.candidates.get().pk)
    )
    page.get_by_label("Priority", exact=True).fill("Reduce anti-social behaviour")
    page.get_by_role("checkbox", name=f"Objective 2: {objective.title}").check()
    browse.submit(main().get_by_role("button", name="Save"))
    expect(
        main().get_by_role("heading", level=2, name="Priority 1: Reduce anti-social behaviour")
    ).to_be_visible()
    check_width()

    # the objective's page says where it came from
    browse.click(main().get_by_role("link", name=f"Objective 2 of the {demo.period} plan: {objective.title}"))
    expect(main().locator(".govuk-inset-text")).to_contain_text(
        "From the strategic assessment 2016/17, priority 1: Reduce anti-social behaviour"
    )
    check_width()
    browse.click(main().get_by_role("link", name="priority 1: Reduce anti-social behaviour"))
    browse.click(main().get_by_role("link", name="Follow each from evidence to objective"))
    expect(main()).to_contain_text("The police and the council see it as a priority")
    check_width()
