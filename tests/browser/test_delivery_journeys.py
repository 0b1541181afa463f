"""Delivery and governance in chromium: a group lead updates an action and escalates to the Board, a Board
member decides, and anyone compares plan versions; every page reached passes axe."""

import pytest
from playwright.sync_api import expect

from saferplan.delivery.models import DetailedAction, Escalation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_group_lead_updates_and_escalates_and_the_board_decides(browse, users, demo):
    page = browse.page
    browse.sign_in("group_lead-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Delivery"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plan")
    action = DetailedAction.objects.filter(owner_group__slug="anti-social-behaviour-group").first()
    browse.click(page.get_by_role("link", name=action.description, exact=True).first)
    page.get_by_label("Status").select_option(label="At risk")
    page.get_by_label("Progress").fill("Two partners have withdrawn staff")
    page.get_by_label("Evidence file (optional)").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    browse.submit(page.get_by_role("button", name="Add update"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Progress update added")
    expect(page.get_by_role("link", name="minutes.pdf")).to_be_visible()
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Escalations"))
    browse.click(page.get_by_role("link", name="Raise an escalation"))
    browse.submit(page.get_by_role("button", name="Escalate"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what is being escalated")
    page.get_by_label("Raised by").select_option(label="Anti-Social Behaviour Group")
    page.get_by_label("About", exact=True).select_option(label="A resource")
    page.get_by_label("What", exact=True).fill("Staff for the summer campaign")
    page.get_by_label("Why", exact=True).fill("Two partners have withdrawn staff")
    page.get_by_label("What is asked for").fill("A contribution from the Community Safety Fund")
    browse.submit(page.get_by_role("button", name="Escalate"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff for the summer campaign")
    browse.click(page.get_by_role("button", name="Sign out"))
    browse.sign_in("board_member-user")
    escalation = Escalation.objects.get(title="Staff for the summer campaign")
    browse.visit(escalation.get_absolute_url())
    page.get_by_label("Decision").fill("Agreed: £5,000 from the fund")
    browse.submit(page.get_by_role("button", name="Record decision"))
    expect(page.locator("main")).to_contain_text("Agreed: £5,000 from the fund")
    browse.visit("/escalations/?state=closed")
    expect(page.get_by_role("link", name="Staff for the summer campaign")).to_be_visible()


def test_compare_plan_versions(browse, users, demo):
    page = browse.page
    browse.sign_in("viewer-user")
    browse.visit(f"/plans/{demo.slug}/")
    browse.click(page.get_by_role("link", name="Compare with the previous version"))
    expect(page.locator("main")).to_contain_text("Road casualty reduction")
    expect(page.locator("main")).to_contain_text("Implement measures to promote a safe environment")


def test_meetings_paper_and_reminders_pages(browse, users, demo):
    page = browse.page
    browse.sign_in("administrator-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings"))
    browse.click(page.get_by_role("link", name="Board meeting, November 2015"))
    expect(page.locator("main")).to_contain_text("Desistance Model")
    browse.visit("/meetings/")
    browse.click(page.get_by_role("link", name="Draft a partnership update"))
    page.get_by_label("Date of the committee meeting").fill("15/02/2016")
    browse.submit(page.get_by_role("button", name="Show the paper"))
    expect(page.locator("main")).to_contain_text("Desistance Model")
    browse.submit(page.get_by_role("button", name="Start a draft of this paper for review"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft started")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reminders"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    group = demo.partnership.groups.get(kind="task_and_finish")
    browse.visit(group.get_absolute_url())
    locality = demo.partnership.groups.filter(kind="locality").first()
    browse.visit(locality.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Issues the group is tasked with")


def test_funding_and_task_and_finish_pages(browse, users, demo):
    page = browse.page
    browse.sign_in("administrator-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Funding"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding")
    expect(page.locator("main")).to_contain_text("Safer Homes")
    browse.click(page.locator("main a[href^='/funding/projects/']").filter(has_text="Safer Homes").first)
    expect(page.locator("main")).to_contain_text("500,000")
    browse.visit("/funding/projects/new/")
    browse.submit(page.get_by_role("button").filter(has_text="Save").first, status=400)
    browse.visit("/groups/")
    browse.click(page.get_by_role("link", name="Set up a task and finish group"))
    browse.submit(page.get_by_role("button", name="Save"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the remit")


def test_reports_pages(browse, users, demo):
    page = browse.page
    browse.sign_in("board_member-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports"))
    page.get_by_label("Quarter").select_option(label="Q4 2015/16")
    browse.submit(page.get_by_role("button", name="Show the report"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance escalation report, Q4 2015/16")
    charts = page.locator("figure.app-chart img")  # each area for improvement's SPC chart, with its alt text
    assert charts.count() > 0
    for alt in charts.evaluate_all("images => images.map(i => i.alt)"):
        assert alt.startswith("SPC chart of ")
    browse.visit("/reports/")
    browse.click(page.get_by_role("link", name="Cabinet basket"))
    browse.visit("/reports/")
    browse.click(page.get_by_role("link", name=demo.title))  # the plan document
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.title)
    expect(
        page.get_by_role("heading", name="8. Delivering Altogether Safer Objectives and Outcomes")
    ).to_be_visible()
    browse.visit("/reports/")
    browse.click(page.get_by_role("link", name="Progress and achievements, 2015/16"))
    expect(page.locator("main")).to_contain_text("20,649 ASB incidents reported to the police")
    browse.visit("/reports/")
    browse.click(page.get_by_role("link", name="Six-monthly delivery plan report"))
    expect(page.locator("main")).to_contain_text("Progress on the delivery plan as at")
