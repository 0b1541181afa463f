"""Phones and print in chromium: at 375 px no key page scrolls sideways; printed pages carry no navigation."""

import pytest
from playwright.sync_api import expect

from saferplan.delivery.models import DetailedAction
from saferplan.indicators.models import Observation
from saferplan.plans.models import StrategicAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Widest elements, to say why a page scrolls sideways.
WIDEST = """() => {
  const limit = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest('.app-table-scroll'))
    .slice(-5)
    .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right));
}"""


def key_pages() -> list[str]:
    indicator = Observation.objects.filter(headline=True).values_list("indicator_id", flat=True).first()
    action = StrategicAction.objects.order_by("pk").first()
    delivery = DetailedAction.objects.order_by("pk").first()
    pages = [
        "/",
        "/plans/sdp-2016-19/",
        "/performance/",
        f"/indicators/{indicator}/figures/",
        "/delivery/",
        f"/actions/{action.pk}/",
        "/reports/",
        "/reports/board/",
        "/police/",
        "/data-returns/",
        "/escalations/",
        "/search/?q=anti-social",
    ]
    if delivery is not None:
        pages.append(f"/delivery/actions/{delivery.pk}/")
    return pages + assessment_pages()


def assessment_pages() -> list[str]:
    """The strategic assessment's pages and forms (issue 19): their journeys run at desktop width
    (test_*_journeys.py), and every page they reach is checked here at phone width, axe included."""
    from saferplan.assessment.models import (
        CandidateIssue,
        ConsultationExercise,
        DataFlow,
        ImprovementAction,
        ScoringScheme,
        SharingAgreement,
    )

    a = "/assessments/sa-2015-16/"
    candidate = CandidateIssue.objects.filter(assessment__slug="sa-2015-16").order_by("pk").first()
    exercise = ConsultationExercise.objects.order_by("pk").first()
    pages = [
        "/assessments/",
        a,
        a + "edit/",
        a + "sections/add/",
        a + "long-list/",
        a + "long-list/add/",
        a + "priorities/",
        a + "priorities/add/",
        a + "trail/",
        a + "told-us/",
        a + "scoring/",
        a + "scoring/agreement/",
        a + "scoring/results/",
        "/scoring/schemes/",
        f"/scoring/schemes/{ScoringScheme.objects.order_by('pk').first().pk}/",
        "/consultation/",
        "/consultation/new/",
        f"/consultation/{exercise.pk}/",
        f"/consultation/{exercise.pk}/results/import/",
        "/sharing/?as_of=2017-01-31",
        "/sharing/flows/new/",
        f"/sharing/flows/{DataFlow.objects.order_by('pk').first().pk}/",
        "/sharing/agreements/",
        f"/sharing/agreements/{SharingAgreement.objects.order_by('pk').first().pk}/",
        "/sharing/improvement/",
        f"/sharing/improvement/{ImprovementAction.objects.order_by('pk').first().pk}/",
    ]
    if candidate is not None:
        pages += [a + f"scoring/issues/{candidate.pk}/", a + f"scoring/issues/{candidate.pk}/moderate/"]
    return pages


def fits(page) -> tuple[bool, str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    return width <= inner, f"{page.url}: {width} px wide in a {inner} px window; {page.evaluate(WIDEST)}"


def test_key_pages_fit_a_phone(browse, users):
    page = browse.page
    browse.sign_in("analyst-user")
    page.set_viewport_size(PHONE)
    problems = []  # every page's problem, not only the first
    for url in key_pages():
        try:
            browse.visit(url)
        except AssertionError as error:
            problems.append(str(error))
        ok, why = fits(page)
        if not ok:
            problems.append(why)
    assert not problems, "\n".join(problems)


def test_menu_collapses_behind_a_button_on_a_phone(browse, users):
    page = browse.page
    page.set_viewport_size(PHONE)
    browse.sign_in("analyst-user")
    menu = page.get_by_role("navigation", name="Menu")
    toggle = menu.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Performance")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Performance")).to_be_visible()
    browse.click(menu.get_by_role("link", name="Performance"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")

    page.set_viewport_size(DESKTOP)
    browse.visit("/performance/")
    expect(page.get_by_role("navigation", name="Menu").get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Performance")
    ).to_be_visible()


def test_wide_tables_scroll_inside_a_focusable_region(browse, users):
    page = browse.page
    page.set_viewport_size(PHONE)
    browse.sign_in("analyst-user")
    indicator = Observation.objects.filter(headline=True).values_list("indicator_id", flat=True).first()
    browse.visit(f"/indicators/{indicator}/figures/")
    regions = page.locator("main .app-table-scroll")
    assert regions.count() >= 1
    for i in range(regions.count()):
        region = regions.nth(i)
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_attribute("role", "region")
        assert region.get_attribute("aria-label")
        expect(region.locator("table")).to_have_count(1)
    ok, why = fits(page)
    assert ok, why


@pytest.mark.parametrize("which", ["indicator", "scorecard", "report"])
def test_printed_pages_have_no_navigation(browse, users, which):
    page = browse.page
    browse.sign_in("analyst-user")
    indicator = Observation.objects.filter(headline=True).values_list("indicator_id", flat=True).first()
    url = {
        "indicator": f"/indicators/{indicator}/figures/",
        "scorecard": "/performance/",
        "report": "/reports/board/",
    }[which]
    browse.visit(url)
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
    page.emulate_media(media="print")
    for chrome in (
        "nav[aria-label='Menu']",
        ".govuk-header",
        ".govuk-footer",
        ".govuk-phase-banner",
        ".govuk-skip-link",
    ):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main table").first).to_be_visible()
    # Internal links print without their address; tables are not split mid-row; charts fit the page.
    internal = page.locator("main a[href^='/']").first
    after = internal.evaluate("a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal", '""'), after
    assert page.locator("main tr").first.evaluate("r => getComputedStyle(r).breakInside") == "avoid"
    for svg in page.locator("main svg").all():
        assert svg.evaluate("s => getComputedStyle(s).maxWidth") == "100%"
    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
