"""The strategic assessment document and its public summary (saferplan.assessment.document): its parts in order,
live figures, the summary leaving the internal parts out, every format rendering, and both report kinds drafted,
reviewed and published like the other reports."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as WordDocument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from saferplan.accounts.models import Organisation
from saferplan.assessment.document import assessment_document
from saferplan.assessment.models import (
    AssessmentSection,
    CandidateIssue,
    Concern,
    ConsultationExercise,
    DataFlow,
    ImprovementAction,
    ImprovementUpdate,
    PestleFactor,
    Priority,
    SectionFigure,
    StrategicAssessment,
)
from saferplan.indicators.models import Observation
from saferplan.plans.models import Indicator
from saferplan.reports import render
from saferplan.reports.document import Chart, Heading, Table
from saferplan.reports.models import Report
from saferplan.reports.selectors import ParameterError, build_document, clean_parameters
from tests.reports.conftest import RENDERING_ON_SQLITE_ONLY

SLUG = "test-sa-2015-16"
OVERALL_CRIME = "The overall crime rate per 1,000 population"
PERSONAL = "Mrs Example of 12 Sample Street"  # a name in an internal field: never in the public summary


def make_assessment(plan, *, user=None, slug: str = SLUG, scored: bool = True) -> StrategicAssessment:
    """A small assessment of the demo partnership for 2015/16, with every part the document shows: sections with
    live figures (an indicator's trend and localities, police crime by type and by area), a PESTELO scan, a
    consultation exercise with concerns and wants, a long-list with evidence, a scoring scheme with settled
    scores, priorities linked to the plan's objectives, a data improvement action and a data flow."""
    from saferplan.assessment.services.scoring import moderate, scheme_from_template, score_save

    partnership = plan.partnership
    indicator = Indicator.objects.filter(partnership=partnership, name=OVERALL_CRIME).first() or (
        Indicator.objects.filter(partnership=partnership, observations__isnull=False).distinct().first()
    )
    assessment = StrategicAssessment.objects.create(
        partnership=partnership,
        slug=slug,
        title="Safe Durham Partnership Strategic Assessment 2015/16 (test)",
        year="2015/16",
        period_start=date(2015, 4, 1),
        period_end=date(2016, 3, 31),
        summary="Crime rose in 2015/16, driven by violence and criminal damage.\n\nAnti-social behaviour fell.",
        informs=plan,
    )
    current = AssessmentSection.objects.create(
        assessment=assessment,
        kind=AssessmentSection.Kind.CURRENT_PICTURE,
        title="The current picture",
        text="Overall crime rose over the year.\n\n## Crime by type\n\nViolence makes up a quarter of crime.",
        order=1,
    )
    for order, (kind, extra) in enumerate(
        [
            (SectionFigure.Kind.INDICATOR_TREND, {"indicator": indicator}),
            (SectionFigure.Kind.INDICATOR_LOCALITIES, {"indicator": indicator}),
            (SectionFigure.Kind.POLICE_CRIME_TYPES, {}),
            (SectionFigure.Kind.POLICE_LOCALITIES, {}),
        ]
    ):
        SectionFigure.objects.create(section=current, kind=kind, order=order, **extra)
    AssessmentSection.objects.create(
        assessment=assessment,
        kind=AssessmentSection.Kind.FUTURE_TRENDS,
        title="Future and emerging trends",
        text="Welfare reform and reduced budgets will shape demand.",
        order=2,
    )
    AssessmentSection.objects.create(
        assessment=assessment,
        kind=AssessmentSection.Kind.COMMUNITY_VIEWS,
        title="What our communities told us",
        text="People told us what matters to them.",
        order=3,
    )
    PestleFactor.objects.create(
        assessment=assessment, category="political", text="Police and Crime Plan refresh"
    )
    PestleFactor.objects.create(assessment=assessment, category="economic", text="Welfare reform")
    PestleFactor.objects.create(assessment=assessment, category="technological", text="Online fraud", order=1)

    exercise = ConsultationExercise.objects.create(
        partnership=partnership,
        assessment=assessment,
        title="Police and Communities Together meetings 2015",
        kind=ConsultationExercise.Kind.PACT,
        held_from=date(2015, 6, 1),
        held_to=date(2015, 9, 30),
        reached="Residents at PACT meetings",
        people_reached=420,
        notes=f"Notes taken by {PERSONAL}",
    )
    asb = Concern.objects.create(
        exercise=exercise, group="communities", kind="concern", text="Anti-social behaviour", respondents=120
    )
    Concern.objects.create(exercise=exercise, group="communities", kind="want", text="More visible policing")
    Concern.objects.create(exercise=exercise, group="young_people", kind="concern", text="Alcohol misuse")

    issue = CandidateIssue.objects.create(
        assessment=assessment,
        title="Anti-social behaviour",
        description="Nuisance and rowdy behaviour",
        crime_types=["Anti-social behaviour"],
        partners_views=f"Raised by {PERSONAL} for the council",
        order=1,
    )
    issue.indicators.add(indicator)
    issue.concerns.add(asb)
    violence = CandidateIssue.objects.create(
        assessment=assessment, title="Violence", crime_types=["Violence and sexual offences"], order=2
    )
    CandidateIssue.objects.create(assessment=assessment, title="Cyber crime", order=3)

    if scored and user is not None:
        from django.contrib.auth import get_user_model

        other = get_user_model().objects.create_user(username=f"{slug}-scorer", password="x-long-password-1")
        scheme = scheme_from_template(
            partnership=partnership, key="impact_likelihood", user=user, name=f"{slug}"
        )
        assessment.scheme = scheme
        assessment.save()
        dimensions = list(scheme.dimensions.all())
        for candidate, values in ((issue, (4, 3)), (violence, (3, 4))):
            for dimension, value in zip(dimensions, values, strict=False):
                score_save(candidate=candidate, dimension=dimension, scorer=user, value=value, user=user)
                score_save(candidate=candidate, dimension=dimension, scorer=other, value=value, user=other)
        dimension = dimensions[0]
        score_save(candidate=violence, dimension=dimension, scorer=other, value=2, user=other)
        moderate(candidate=violence, dimension=dimension, value=3, reason="Agreed at the workshop", user=user)

    objectives = list(plan.objectives.order_by("number")[:2])
    first = Priority.objects.create(
        assessment=assessment,
        candidate=issue,
        number=1,
        title="Reduce anti-social behaviour",
        rationale="The public's first concern, and the data show it is high.",
    )
    first.objectives.add(*objectives[:1])
    Priority.objects.create(
        assessment=assessment,
        candidate=violence,
        number=2,
        title="Reduce violent crime",
        rationale="Violence rose and causes the most harm.",
    )

    police = Organisation.objects.get(slug="durham-constabulary")
    action = ImprovementAction.objects.create(
        partnership=partnership,
        assessment=assessment,
        description="Share ASB incident data by locality every quarter",
        owner=police,
        lead_name="Performance manager",
        target_date=date(2016, 9, 30),
    )
    ImprovementUpdate.objects.create(action=action, date=date(2016, 1, 10), status="on_track", text="Agreed")
    DataFlow.objects.create(
        partnership=partnership,
        provider=police,
        title="Recorded crime by locality",
        frequency=DataFlow.Frequency.QUARTERLY,
        prescribed=True,
        starts_on=date(2015, 4, 1),
    )
    return assessment


@pytest.fixture
def assessment(demo, users):
    return make_assessment(demo, user=users["analyst"])


def headings(document, level: int = 1) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading) and b.level == level]


def text_of(document) -> str:
    return str(document.to_json())


def test_full_document_has_its_parts_in_order(assessment):
    document = assessment_document(assessment)
    assert document.title == assessment.title
    assert headings(document) == [
        "Contents",
        "1. Executive summary",
        "2. Introduction and method",
        "3. The current picture",
        "4. Future and emerging trends",
        "5. What our communities told us",
        "6. The long-list of issues",
        "7. Scoring method and results",
        "8. Priorities and the objectives they became",
        "9. Data improvement plan",
        "Appendix: information-sharing schedule",
    ]
    contents = document.blocks[
        document.blocks.index(next(b for b in document.blocks if b.text == "Contents")) + 1
    ]
    assert contents.items == headings(document)[1:]
    text = text_of(document)
    assert "SI 2007/1830" in text and "regulations 5 to 7" in text
    assert "1 April 2015 to 31 March 2016" in text
    assert "Police and Communities Together meetings 2015" in text  # the consultation exercises
    assert "PESTELO scan" in headings(document, 2)
    assert "Welfare reform" in text and "Online fraud" in text
    assert "More visible policing" in text  # what communities told us
    assert "Share ASB incident data by locality every quarter" in text  # data improvement plan
    assert "Recorded crime by locality" in text  # the sharing schedule
    assert "Reduce anti-social behaviour" in text and "Reduce violent crime" in text


def test_pestelo_table_is_by_category_in_order(assessment):
    table = next(
        b for b in assessment_document(assessment).blocks if isinstance(b, Table) and "PESTELO" in b.caption
    )
    assert [r[0] for r in table.rows] == ["Political", "Economic", "Technological"]


def test_every_figure_has_a_period_a_source_and_charts_have_alternative_text(assessment):
    document = assessment_document(assessment)
    charts = [b for b in document.blocks if isinstance(b, Chart)]
    assert charts, "the live figures give charts"
    for chart in charts:
        assert chart.alt and chart.title and chart.table.rows
        assert "<title" in chart.svg
    notes = [b.text for b in document.blocks if getattr(b, "text", "").startswith("Period: ")]
    assert len(notes) == 4  # one under each live figure of the current picture
    assert all("Source: " in n for n in notes)


def test_synthetic_figures_are_flagged_in_the_document(assessment):
    document = assessment_document(assessment)
    # The demo's localities are synthetic series: the document says so at the top and at the figure.
    assert "synthetic demo data" in document.warning
    assert "(synthetic demo figure)" in text_of(document)


def test_scoring_method_and_ranking(assessment):
    document = assessment_document(assessment)
    text = text_of(document)
    assert "The partnership set its dimensions" in text
    ranking = next(b for b in document.blocks if isinstance(b, Table) and b.sheet == "Ranking")
    assert [r[1] for r in ranking.rows][:2] == ["Anti-social behaviour", "Violence"]
    assert ranking.rows[0][0] == 1
    assert ranking.rows[-1][0] == "–"  # Cyber crime: not scored, not ranked
    dimensions = next(b for b in document.blocks if isinstance(b, Table) and b.sheet == "Scoring dimensions")
    assert len(dimensions.rows) == assessment.scheme.dimensions.count()


def test_priorities_show_the_objectives_they_became(assessment, demo):
    table = next(
        b for b in assessment_document(assessment).blocks if isinstance(b, Table) and b.sheet == "Priorities"
    )
    objective = demo.objectives.order_by("number").first()
    assert objective.title in table.rows[0][4]
    assert table.rows[1][4] == "Not yet linked to an objective"


def test_public_summary_is_short_and_leaves_out_the_internal_parts(assessment):
    summary = assessment_document(assessment, summary=True)
    assert headings(summary) == [
        "What we looked at",
        "What people told us",
        "Our priorities and why",
        "What happens next",
    ]
    text = text_of(summary)
    assert "Reduce anti-social behaviour" in text and "The public's first concern" in text
    assert "More visible policing" in text
    for internal in (
        PERSONAL,  # names in notes and partners' views
        "Share ASB incident data",  # the data improvement plan
        "Recorded crime by locality",  # the sharing schedule
        "Rank",
        "Moderat",
        "Performance manager",
    ):
        assert internal not in text, internal
    assert not [b for b in summary.blocks if isinstance(b, (Table, Chart))]
    full = assessment_document(assessment)
    assert len(text) < len(text_of(full)) / 3


def test_an_empty_assessment_still_makes_a_document(demo):
    bare = StrategicAssessment.objects.create(
        partnership=demo.partnership,
        slug="bare",
        title="Bare",
        year="2008/09",
        period_start=date(2007, 4, 1),
        period_end=date(2008, 3, 31),
    )
    document = assessment_document(bare)
    text = text_of(document)
    assert "The summary has not been written yet" in text
    assert "The long-list has no issues yet" in text
    assert "No scoring scheme has been chosen" in text
    summary = assessment_document(bare, summary=True)
    assert "No priorities have been set yet" in text_of(summary)
    for fmt in ("html", "docx", "xlsx"):
        assert render.render(document, fmt)


def test_document_figures_follow_the_data(assessment):
    """Refreshing the data refreshes the document: a revised figure appears the next time it is built."""
    indicator = assessment.sections.get(order=1).figures.first().indicator
    observation = Observation.objects.filter(
        indicator=indicator, area__kind="partnership", headline=True, period="2016-02"
    ).first()
    assert observation is not None
    observation.value = 9876.5
    observation.save()
    assert "9,876.5" in text_of(assessment_document(assessment))


def test_parameters_name_an_assessment(assessment, demo):
    for kind in (Report.Kind.ASSESSMENT, Report.Kind.ASSESSMENT_SUMMARY):
        assert clean_parameters(demo, kind, {"assessment": SLUG}) == {"assessment": SLUG}
        for bad in ("", "no-such-assessment", "x" * 500, None):
            with pytest.raises(ParameterError, match="^assessment: "):
                clean_parameters(demo, kind, {"assessment": bad})
    document = build_document(demo, Report.Kind.ASSESSMENT_SUMMARY, {"assessment": SLUG})
    assert document.title == f"{assessment.title}: summary"


def test_every_format_renders(assessment):
    for summary in (False, True):
        document = assessment_document(assessment, summary=summary)
        files = render.render_all(document)
        assert files["pdf"].startswith(b"%PDF")
        word = WordDocument(io.BytesIO(files["docx"]))
        assert [p.text for p in word.paragraphs if p.style.name.startswith("Heading")] == [
            b.text for b in document.blocks if isinstance(b, Heading)
        ]
        charts = [b for b in document.blocks if isinstance(b, Chart)]
        assert [s._inline.docPr.get("descr") for s in word.inline_shapes] == [c.alt for c in charts]
        workbook = load_workbook(io.BytesIO(files["xlsx"]))
        assert len(workbook.sheetnames) >= len(document.annex_tables())
        html = files["html"].decode()
        assert document.title.replace("&", "&amp;") in html


@pytest.mark.parametrize("kind", [Report.Kind.ASSESSMENT, Report.Kind.ASSESSMENT_SUMMARY])
def test_drafted_reviewed_and_published_on_the_web(assessment, users, client_for, kind):
    analyst = client_for(users["analyst"])
    listing = analyst.get(reverse("report-list"))
    assert listing.status_code == 200
    assert f'value="{SLUG}"' in listing.content.decode()
    response = analyst.post(reverse("report-draft"), {"kind": kind, "assessment": SLUG})
    report = Report.objects.get(kind=kind)
    assert response.status_code == 302 and response.url == reverse("report-detail", args=[report.pk])
    assert report.parameters == {"assessment": SLUG} and report.state == Report.State.DRAFT
    page = analyst.get(response.url)
    assert page.status_code == 200 and "Reduce anti-social behaviour" in page.content.decode()
    assert analyst.post(reverse("report-action", args=[report.pk, "review"])).status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.IN_REVIEW
    admin = client_for(users["administrator"])
    assert admin.post(reverse("report-action", args=[report.pk, "publish"])).status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.PUBLISHED and report.content
    assert set(report.files.values_list("format", flat=True)) == {"html", "docx", "pdf", "xlsx"}
    # A published report stays as it was: later changes to the assessment do not reach it
    Priority.objects.filter(assessment=assessment, number=1).update(title="Changed after publishing")
    published = admin.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Reduce anti-social behaviour" in published and "Changed after publishing" not in published
    viewer = client_for(users["viewer"])
    assert viewer.get(reverse("report-file", args=[report.pk, "pdf"])).status_code == 200


def test_draft_with_an_unknown_assessment_says_which_field(users, client_for):
    analyst = client_for(users["analyst"])
    response = analyst.post(
        reverse("report-draft"), {"kind": "assessment", "assessment": "no-such"}, follow=True
    )
    assert response.status_code == 200
    assert "assessment: there is no strategic assessment" in response.content.decode()
    assert not Report.objects.filter(kind="assessment").exists()


def test_only_drafters_see_the_draft_buttons_and_may_draft(assessment, users, client_for):
    viewer = client_for(users["viewer"])
    assert f'value="{SLUG}"' not in viewer.get(reverse("report-list")).content.decode()
    assert viewer.post(reverse("report-draft"), {"kind": "assessment", "assessment": SLUG}).status_code == 403
    with pytest.raises(ValidationError):
        from saferplan.reports.services import draft_report

        draft_report(users["analyst"], assessment.informs, "assessment", {"assessment": ""})


@RENDERING_ON_SQLITE_ONLY
@pytest.mark.parametrize("slug", ["sa-2015-16", "csa-2008-09"])
def test_the_demos_assessments_paginate_in_pdf_and_word(demo, slug, tmp_path):
    """The demo's assessments, full and summary, as a reader gets them: in the PDF and in Word (laid out by
    LibreOffice) no table row is split, no heading or caption is stranded at a page's foot, and every page has
    the title and "Page n of N" in its footer."""
    from tests.reports.conftest import libreoffice_pdfs
    from tests.reports.pagination import document_tables, read_pdf, split_rows, squeeze, stranded

    found = StrategicAssessment.objects.filter(partnership=demo.partnership, slug=slug).first()
    if found is None:
        pytest.skip(f"the demo has no assessment {slug} yet")
    documents = {kind: assessment_document(found, summary=kind == "summary") for kind in ("full", "summary")}
    for kind, document in documents.items():
        (tmp_path / f"{kind}.pdf").write_bytes(render.render(document, "pdf"))
        (tmp_path / f"{kind}.docx").write_bytes(render.render(document, "docx"))
    out = tmp_path / "word"
    libreoffice_pdfs([tmp_path / f"{kind}.docx" for kind in documents], out, out / "profile")
    for kind, document in documents.items():
        for pdf in (tmp_path / f"{kind}.pdf", out / f"{kind}.pdf"):
            assert pdf.exists(), pdf
            pages = read_pdf(pdf)
            problems, whole = split_rows(document, pages)
            assert problems == [], (kind, pdf)
            assert whole == sum(len(t.rows) for t in document_tables(document)), (kind, pdf)
            assert stranded(document, pages) == [], (kind, pdf)
            for page in pages:
                assert page.footer.endswith(f"Page {page.number} of {len(pages)}"), (kind, pdf, page.number)
                assert squeeze(document.title) in squeeze(page.footer), (kind, pdf, page.number)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from([Report.Kind.ASSESSMENT, Report.Kind.ASSESSMENT_SUMMARY]),
    value=st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
    | st.sampled_from(["sa-2015-16 ", "SA-2015-16"]),
)
def test_drafting_with_any_assessment_parameter_never_fails(users, demo, client, kind, value):
    """Whatever the assessment parameter, drafting answers with the report or with the reason it was refused,
    never a server error, and a refused draft writes nothing."""
    client.force_login(users["analyst"])
    before = Report.objects.count()
    response = client.post(reverse("report-draft"), {"kind": kind, "assessment": value})
    assert response.status_code == 302
    if response.url == reverse("report-list"):
        assert Report.objects.count() == before
    else:
        assert Report.objects.get(pk=int(response.url.strip("/").split("/")[-1])).parameters["assessment"]


def test_a_draft_whose_assessment_was_deleted_says_so(assessment, users, client_for, demo):
    from saferplan.reports.services import draft_report

    report = draft_report(users["analyst"], demo, Report.Kind.ASSESSMENT, {"assessment": SLUG})
    assessment.delete()
    page = client_for(users["analyst"]).get(reverse("report-detail", args=[report.pk]))
    assert page.status_code == 200
    assert (
        "This report cannot be built: assessment: there is no strategic assessment" in page.content.decode()
    )
