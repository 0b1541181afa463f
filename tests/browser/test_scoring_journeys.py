"""Scoring the long-list in chromium, at desktop and phone width, with axe on every page: an analyst scores,
a second analyst scores one dimension differently, the agreement page shows the disagreement in words,
moderation settles it, and the results show the ranked list and the risk matrix."""

import pytest
from playwright.sync_api import expect

from saferplan.accounts.models import User
from tests.assessment.test_scoring import cand, make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Desktop width: every page these journeys reach is also checked at 375 px (axe, no sideways scroll) in
# test_phone_and_print.py::test_key_pages_fit_a_phone, which is quicker than running each journey twice.
WIDTHS = [1280]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def score(browse, assessment, title, impact, likelihood):
    page = browse.page
    browse.visit(f"/assessments/{assessment.slug}/scoring/")
    browse.click(page.get_by_role("link", name=f"Score for {title}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("group", name="Impact").get_by_label(impact, exact=True).check()
    page.get_by_role("group", name="Likelihood").get_by_label(likelihood, exact=True).check()
    browse.submit(page.get_by_role("button", name="Save your scores"))


@pytest.mark.parametrize("width", WIDTHS)
def test_two_analysts_score_disagree_moderate_and_see_the_ranking(width, browse, users, demo):
    page = browse.page
    page.set_viewport_size({"width": width, "height": 900})
    assessment = make_assessment(demo, key="impact_likelihood", slug="journey")
    User.objects.create_user(
        username="second-analyst",
        password="a-long-test-password",
        role="analyst",
        first_name="Ana",
        last_name="Second",
    )

    # The first analyst scores two issues; saving one opens the next
    browse.sign_in("analyst-user")
    browse.visit(f"/assessments/{assessment.slug}/scoring/")
    expect(page.get_by_role("heading", level=2, name="Your scores")).to_be_visible()
    if width == 375:
        assert no_sideways_scroll(page), "the scoring page scrolls sideways at 375 px"
    score(browse, assessment, "Violent crime", "4: Very high", "2: Possible")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shoplifting")
    page.get_by_role("group", name="Impact").get_by_label("3: High", exact=True).check()
    # a missing score is refused with an error naming the dimension
    browse.submit(page.get_by_role("button", name="Save your scores"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a score for Likelihood from 1 to 4")
    if width == 375:
        assert no_sideways_scroll(page), "the score form scrolls sideways at 375 px"
    page.get_by_role("group", name="Impact").get_by_label("3: High", exact=True).check()
    page.get_by_role("group", name="Likelihood").get_by_label("3: Likely", exact=True).check()
    browse.submit(page.get_by_role("button", name="Save your scores"))

    # The second analyst scores impact differently on one issue
    page.context.clear_cookies()
    browse.sign_in("second-analyst")
    score(browse, assessment, "Violent crime", "2: Medium", "2: Possible")
    score(browse, assessment, "Shoplifting", "3: High", "3: Likely")

    # The agreement page shows the disagreement in words
    browse.visit(f"/assessments/{assessment.slug}/scoring/agreement/")
    main = page.locator("main")
    expect(main).to_contain_text("Scorers disagree on Impact:")
    expect(main).to_contain_text("Scores differ by 2")
    expect(main.get_by_role("columnheader", name="Ana Second").first).to_be_attached()
    if width == 375:
        assert no_sideways_scroll(page), "the agreement page scrolls sideways at 375 px"

    # Moderation settles it
    browse.click(page.get_by_role("link", name="Moderate the scores of Violent crime"))
    page.get_by_role("group", name="Moderated score for Impact").get_by_label("3: High", exact=True).check()
    page.get_by_label("Reason for the moderated score for Impact").fill("Agreed at the moderation meeting")
    browse.submit(page.get_by_role("button", name="Save the moderated scores"))
    expect(main).to_contain_text("Moderated to 3: Agreed at the moderation meeting")

    # The results: the ranked list and the risk matrix
    browse.click(page.get_by_role("link", name="See the ranked long-list"))
    rows = page.locator("#ranked-long-list tbody tr")
    expect(rows.nth(0)).to_contain_text("Shoplifting")
    expect(rows.nth(0).locator("td").first).to_have_text("1")
    expect(rows.nth(1)).to_contain_text("Violent crime")
    expect(rows.nth(1)).to_contain_text("Moderated")
    expect(rows.nth(2)).to_contain_text("Not ranked")
    matrix = page.get_by_role("img", name="Risk matrix: Impact against Likelihood")
    expect(matrix).to_be_visible()
    assert page.locator("svg .app-matrix-issue").count() == 2
    if width == 375:
        assert no_sideways_scroll(page), "the results page scrolls sideways at 375 px"
    assert cand(assessment, "Violent crime").moderated_scores.get().value == 3
