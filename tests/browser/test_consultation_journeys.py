"""Consultation in chromium, at desktop and phone width, with axe on every page: an analyst records an
exercise (after a form with errors), imports its results from a bad file and then a good one, and sees them on
"what our communities told us" beside the data."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from saferplan.assessment.models import CandidateIssue, Concern, ConsultationExercise, StrategicAssessment
from saferplan.plans.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Desktop width: every page these journeys reach is also checked at 375 px (axe, no sideways scroll) in
# test_phone_and_print.py::test_key_pages_fit_a_phone, which is quicker than running each journey twice.
WIDTHS = [1280]
SHOTS = Path("/tmp/consultation-shots")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def shot(page, name: str, width: int) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_record_an_exercise_import_its_results_and_see_them_beside_the_data(
    width, browse, users, demo, tmp_path
):
    page = browse.page
    page.set_viewport_size({"width": width, "height": 900})
    assessment = StrategicAssessment.objects.create(
        partnership=demo.partnership,
        slug="journey-assessment",
        title="Journey Strategic Assessment",
        year="2015/16",
        period_start=date(2013, 4, 1),
        period_end=date(2016, 3, 31),
    )
    browse.sign_in("analyst-user")
    browse.visit("/consultation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultation and engagement")
    assert no_sideways_scroll(page), "the consultation list scrolls sideways"
    shot(page, "list", width)

    browse.click(page.get_by_role("link", name="Record a consultation exercise"))
    browse.submit(page.get_by_role("button", name="Save"), status=400)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the name of the exercise")
    expect(summary).to_contain_text("Enter the date the exercise was held")
    page.get_by_label("Name of the exercise").fill("Big Tent workshop")
    page.get_by_label("Kind of exercise").select_option(label="Workshop or event")
    page.get_by_label("The strategic assessment it informed (optional)").select_option(label=assessment.title)
    page.locator("#id_held_from_0").fill("4")
    page.locator("#id_held_from_1").fill("11")
    page.locator("#id_held_from_2").fill("2015")
    page.locator("#id_held_to_0").fill("3")  # before the start, and no month: two errors on one date
    page.locator("#id_held_to_2").fill("2015")
    page.get_by_label("Durham Constabulary").check()
    browse.submit(page.get_by_role("button", name="Save"), status=400)
    expect(summary).to_contain_text("The date the exercise ended must include a month")
    assert no_sideways_scroll(page), "the exercise form scrolls sideways"
    shot(page, "form-errors", width)
    page.locator("#id_held_to_0").fill("")
    page.locator("#id_held_to_2").fill("")
    browse.submit(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Big Tent workshop")
    exercise = ConsultationExercise.objects.get(title="Big Tent workshop")
    assert exercise.held_from == date(2015, 11, 4) and exercise.assessment == assessment
    assert [o.slug for o in exercise.senior_attendance.all()] == ["durham-constabulary"]

    browse.click(page.get_by_role("link", name="Import results from a CSV file"))
    bad = tmp_path / "results.csv"
    bad.write_bytes(b"group,kind,text,respondents\nnobody,concern,Dog fouling,3\ncommunities,want,,many\n")
    page.get_by_label("Upload the results file").set_input_files(str(bad))
    browse.submit(page.get_by_role("button", name="Import the results"), status=400)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("results.csv: 3 problems; nothing was changed.")
    expect(summary).to_contain_text("results.csv, row 2, group: 'nobody' is not a group")
    expect(summary).to_contain_text("results.csv, row 3, text: enter what the group said")
    expect(summary).to_contain_text("results.csv, row 3, respondents: 'many' is not a whole number")
    assert not exercise.concerns.exists()
    shot(page, "import-errors", width)

    good = tmp_path / "results-fixed.csv"
    good.write_bytes(
        b"group,kind,text,respondents\n"
        b"Our communities,Concerned about,Anti-social behaviour,40\n"
        b"young people,want,Somewhere to go in the evenings,\n"
        b"communities,concern,=1+1,2\n"
    )
    page.get_by_label("Upload the results file").set_input_files(str(good))
    browse.submit(page.get_by_role("button", name="Import the results"))
    expect(page.locator(".govuk-notification-banner, .govuk-panel, main").first).to_contain_text(
        "3 results imported from results-fixed.csv"
    )
    main = page.locator("main")
    expect(main).to_contain_text("Somewhere to go in the evenings")
    expect(main).to_contain_text("=1+1")  # stored and shown as typed, never a formula
    assert no_sideways_scroll(page), "the exercise page scrolls sideways"
    shot(page, "exercise", width)

    # the analyst links the concern to an issue on the long-list (the long-list pages are engineer P's)
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    candidate = CandidateIssue.objects.create(
        assessment=assessment, title="Anti-social behaviour and criminal damage"
    )
    candidate.indicators.add(indicator)
    candidate.concerns.add(Concern.objects.get(exercise=exercise, text="Anti-social behaviour"))

    browse.visit(f"/assessments/{assessment.slug}/told-us/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What our communities told us")
    row = page.locator("main .govuk-grid-row").filter(has_text="Anti-social behaviour and criminal damage")
    expect(row).to_contain_text("Anti-social behaviour")
    expect(row).to_contain_text(indicator.name)
    expect(row).to_contain_text(" in ")  # its latest figure, in a period
    expect(page.get_by_role("heading", level=2, name="Children and young people")).to_be_visible()
    expect(main).to_contain_text("Not linked to an issue on the long-list")
    assert no_sideways_scroll(page), "the told-us page scrolls sideways"
    shot(page, "told-us", width)
