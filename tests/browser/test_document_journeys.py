"""The strategic assessment as a report, in chromium: an analyst drafts the demo's 2015/16 assessment and its public
summary from the reports page and reads them; every page passes axe at a phone's width and at desktop width, and
nothing scrolls sideways on a phone."""

import pytest
from playwright.sync_api import expect

from saferplan.assessment.models import StrategicAssessment
from saferplan.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 720}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def check_at_both_widths(page, axe_check):
    page.set_viewport_size(PHONE)
    axe_check(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.url
    page.set_viewport_size(DESKTOP)
    axe_check(page)


@pytest.mark.parametrize(
    ("button", "kind", "heading"),
    [
        ("Draft the public summary", Report.Kind.ASSESSMENT_SUMMARY, "What people told us"),
        ("Draft the assessment", Report.Kind.ASSESSMENT, "1. Executive summary"),
    ],
)
def test_an_analyst_drafts_the_assessment_from_the_reports_page(
    browse, users, demo, axe_check, button, kind, heading
):
    assessment = StrategicAssessment.objects.filter(partnership=demo.partnership, slug="sa-2015-16").first()
    if assessment is None:
        pytest.skip("the demo has no 2015/16 assessment yet")
    page = browse.page
    page.set_viewport_size(DESKTOP)
    browse.sign_in("analyst-user")
    browse.visit("/reports/")
    check_at_both_widths(page, axe_check)
    expect(page.get_by_role("heading", name="Strategic assessments")).to_be_visible()
    form = page.locator(f'form:has(input[name="kind"][value="{kind}"]):has(input[value="sa-2015-16"])')
    draft = form.get_by_role("button")
    expect(draft).to_have_count(1)
    # Its name says which assessment (a visually hidden part, after the words shown)
    assert draft.inner_text().startswith(button) and assessment.title in draft.text_content()
    browse.submit(draft)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft started")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    check_at_both_widths(page, axe_check)
    report = Report.objects.get(kind=kind)
    assert report.parameters == {"assessment": "sa-2015-16"} and report.state == Report.State.DRAFT
