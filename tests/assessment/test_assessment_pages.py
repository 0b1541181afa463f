"""The strategic assessment pages: who may read and change them, the forms' GOV.UK errors, the sections with
their live figures and PESTELO scan, and the long-list's evidence as the indicator engine and the police store
give it."""

import html
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.areas.models import Area
from saferplan.assessment.figures import figure_content
from saferplan.assessment.models import (
    AssessmentSection,
    CandidateIssue,
    Concern,
    ConsultationExercise,
    PestleFactor,
    SectionFigure,
    StrategicAssessment,
)
from saferplan.assessment.selectors import document as selectors
from saferplan.assessment.services import document as services
from saferplan.core.formatting import figure
from saferplan.indicators.selectors import assess_indicators
from saferplan.plans.models import Indicator
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

READERS = set(ROLES) - {"viewer"}
WRITERS = {"administrator", "analyst"}


@pytest.fixture
def assessment(demo, users):
    """A 2015/16 assessment with a section of each kind, a live figure, a PESTELO scan, an issue with evidence
    and what a consultation found."""
    user = users["analyst"]
    a = services.assessment_save(
        assessment=StrategicAssessment(partnership=demo.partnership),
        user=user,
        slug="test-sa",
        title="Test Strategic Assessment 2015/16",
        year="2015/16",
        period_start=date(2014, 10, 1),
        period_end=date(2015, 9, 30),
        informs=demo,
    )
    picture = services.section_save(
        section=AssessmentSection(assessment=a),
        user=user,
        kind="current_picture",
        title="Current picture",
        text="Crime fell.\n\nAnti-social behaviour fell too.",
    )
    services.section_save(
        section=AssessmentSection(assessment=a), user=user, kind="future_trends", title="Future trends"
    )
    services.section_save(
        section=AssessmentSection(assessment=a), user=user, kind="community_views", title="What you told us"
    )
    services.figure_save(
        figure=SectionFigure(section=picture),
        user=user,
        kind="indicator_trend",
        indicator=Indicator.objects.get(slug="asb-incidents-police"),
    )
    services.pestle_save(
        factor=PestleFactor(assessment=a), user=user, category="legal", text="New ASB powers"
    )
    services.pestle_save(factor=PestleFactor(assessment=a), user=user, category="economic", text="Austerity")
    exercise = ConsultationExercise.objects.create(
        partnership=demo.partnership,
        title="Test survey",
        kind="survey",
        held_from=date(2015, 6, 1),
        assessment=a,
    )
    concern = Concern.objects.create(exercise=exercise, group="communities", text="Speeding traffic")
    services.candidate_save(
        candidate=CandidateIssue(assessment=a),
        user=user,
        title="Anti-social behaviour",
        indicators=[Indicator.objects.get(slug="asb-incidents-police")],
        concerns=[concern],
        crime_types=["Anti-social behaviour"],
        partners_views="The police see it as a priority",
    )
    return a


def test_pages_for_each_role(assessment, users, client):
    urls = [
        reverse("assessment-list"),
        assessment.get_absolute_url(),
        reverse("assessment-long-list", args=[assessment.slug]),
        reverse("assessment-priorities", args=[assessment.slug]),
        reverse("assessment-trail", args=[assessment.slug]),
    ]
    for role in ROLES:
        client.force_login(users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == (200 if role in READERS else 403), (role, url)
        # the menu entry is for those who may read the assessment
        home = client.get(reverse("plan-list")).content.decode()
        assert (f'href="{reverse("assessment-list")}"' in home) == (role in READERS), role
        page = client.get(assessment.get_absolute_url()).content.decode()
        assert ("Edit the assessment" in page) == (role in WRITERS), role


def test_menu_entry_is_active_for_the_parts_of_the_assessment(assessment, users, client):
    client.force_login(users["analyst"])
    response = client.get(assessment.get_absolute_url())
    items = {i["label"]: i["active"] for i in response.context["nav_items"]}
    assert items["Assessment"] is True and items["Plan"] is False


def test_assessment_page_reads_in_order(assessment, users, client):
    client.force_login(users["board_member"])
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert page.index("Current picture") < page.index("Future trends") < page.index("What you told us")
    assert "Anti-social behaviour fell too." in page
    # the PESTELO scan sits in the future trends section, in PESTELO order
    trends = page[page.index('id="pestelo"') :]
    assert trends.index("Economic") < trends.index("Legal") and "New ASB powers" in trends
    # the live figure is drawn from the data now, with its period and source
    content = figure_content(SectionFigure.objects.get(section__assessment=assessment))
    assert content.title in page and f"Source: {content.source}" in page
    if content.synthetic:
        assert "Includes synthetic figures" in page
    # what the consultation found, and the plan it informs
    assert "Speeding traffic" in page and "Safe Durham Partnership Plan" in page
    assert "1 October 2014 to 30 September 2015" in page


def test_history_in_words(assessment, users, client):
    client.force_login(users["administrator"])
    client.post(
        reverse("assessment-edit", args=[assessment.slug]),
        _assessment_data(assessment.slug, state="agreed", title="Agreed Strategic Assessment"),
    )
    assessment.refresh_from_db()
    assert assessment.state == "agreed" and assessment.agreed_on == date.today()
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Agreed Strategic Assessment" in page and 'id="history"' in page
    history = page[page.index('id="history"') :]
    assert "Test Strategic Assessment 2015/16" in history and "Agreed" in history
    assert "Long-list issue" in history  # the changes of its parts too
    client.force_login(users["viewer"])
    assert client.get(assessment.get_absolute_url()).status_code == 403


def _assessment_data(slug="sa-new", **overrides):
    data = {
        "title": "A new assessment",
        "slug": slug,
        "year": "2016/17",
        "period_start": "01/10/2015",
        "period_end": "30/09/2016",
        "summary": "",
        "scheme": "",
        "informs": "",
        "state": "draft",
    }
    data.update(overrides)
    return data


def test_create_assessment(demo, users, client):
    client.force_login(users["analyst"])
    response = client.post(reverse("assessment-create"), _assessment_data(informs=demo.pk))
    assert response.status_code == 302
    created = StrategicAssessment.objects.get(slug="sa-new")
    assert response.url == created.get_absolute_url()
    assert (created.period_start, created.period_end, created.informs) == (
        date(2015, 10, 1),
        date(2016, 9, 30),
        demo,
    )
    assert created.history.first().history_user == users["analyst"]
    assert "A new assessment" in client.get(reverse("assessment-list")).content.decode()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"period_end": "30/09/2014"},
            "period_end",
            "The end of the period must be the same as or after its start",
        ),
        ({"slug": "test-sa"}, "slug", "That short name is already used by another assessment"),
        (
            {"slug": "Not A Slug!"},
            "slug",
            "Short name must only include lower-case letters, numbers and hyphens",
        ),
        ({"slug": "new"}, "slug", "That short name is used by SaferPlan itself"),
        ({"year": "2016/18"}, "year", "Enter the year the assessment is for, like 2015/16"),
        ({"period_start": "31/02/2015"}, "period_start", "must be a real date"),
        ({"period_start": ""}, "period_start", "Enter the start of the period looked back over"),
        ({"period_start": "01/01/0001"}, "period_start", "must be between 1998 and 2100"),
        ({"informs": "99999"}, "informs", "Choose one of the partnership's plans"),
        ({"state": "published"}, "state", "Choose draft or agreed"),
        ({"title": ""}, "title", "Enter the title"),
    ],
)
def test_assessment_form_errors(assessment, users, client, overrides, field, message):
    client.force_login(users["analyst"])
    before = StrategicAssessment.objects.count()
    response = client.post(reverse("assessment-create"), _assessment_data(**overrides))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page and message in page
    assert f'href="#id_{field}"' in page  # the summary links to the field
    assert StrategicAssessment.objects.count() == before


def test_figure_kind_needs_an_indicator(assessment, users, client):
    section = assessment.sections.get(kind="future_trends")
    client.force_login(users["analyst"])
    url = reverse("assessment-figure-create", args=[assessment.slug, section.pk])
    response = client.post(
        url, {"kind": "indicator_localities", "indicator": "", "crime_type": "", "caption": ""}
    )
    assert response.status_code == 400
    assert "Choose the indicator the figure shows" in response.content.decode()
    assert not section.figures.exists()
    bad = client.post(url, {"kind": "police_crime_types", "crime_type": "Not a crime type"})
    assert bad.status_code == 400 and "Choose a crime type from the list" in bad.content.decode()
    good = client.post(url, {"kind": "police_crime_types", "crime_type": "Burglary", "caption": "Burglary"})
    assert good.status_code == 302 and good.url.endswith(f"#section-{section.pk}")
    assert section.figures.get().crime_type == "Burglary"


def test_add_a_live_figure_and_remove_it(assessment, users, client):
    section = assessment.sections.get(kind="current_picture")
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    client.force_login(users["analyst"])
    response = client.post(
        reverse("assessment-figure-create", args=[assessment.slug, section.pk]),
        {"kind": "indicator_localities", "indicator": indicator.pk, "caption": "ASB by locality"},
    )
    assert response.status_code == 302
    added = section.figures.get(kind="indicator_localities")
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert figure_content(added).title in page
    remove = reverse("assessment-figure-delete", args=[assessment.slug, added.pk])
    assert client.get(remove).status_code == 405
    for role in ROLES:
        if role not in WRITERS:
            client.force_login(users[role])
            assert client.post(remove).status_code == 403 and client.get(remove).status_code == 403
    assert section.figures.filter(pk=added.pk).exists()
    client.force_login(users["analyst"])
    assert client.post(remove).status_code == 302
    assert not section.figures.filter(pk=added.pk).exists()


def test_move_a_section(assessment, users, client):
    trends = assessment.sections.get(kind="future_trends")
    url = reverse("assessment-section-move", args=[assessment.slug, trends.pk])
    client.force_login(users["board_member"])
    assert client.post(url, {"direction": "up"}).status_code == 403
    client.force_login(users["analyst"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"direction": "sideways"}).status_code == 302  # refused with a message, no change
    assert [s.kind for s in assessment.sections.all()][:2] == ["current_picture", "future_trends"]
    client.post(url, {"direction": "up"})
    assert [s.kind for s in assessment.sections.all()] == [
        "future_trends",
        "current_picture",
        "community_views",
    ]
    assert [s.order for s in assessment.sections.all()] == [1, 2, 3]


def test_add_a_section_and_pestelo_entry(assessment, users, client):
    client.force_login(users["analyst"])
    response = client.post(
        reverse("assessment-section-create", args=[assessment.slug]),
        {"kind": "areas_for_development", "title": "Areas for development", "text": "Better data sharing."},
    )
    assert response.status_code == 302
    assert assessment.sections.order_by("order").last().title == "Areas for development"
    bad = client.post(
        reverse("assessment-section-create", args=[assessment.slug]), {"kind": "x", "title": ""}
    )
    assert bad.status_code == 400 and "Enter the heading" in bad.content.decode()
    response = client.post(
        reverse("assessment-pestle-create", args=[assessment.slug]),
        {"category": "organisational", "text": "A new Police and Crime Commissioner"},
    )
    assert response.status_code == 302
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Organisational" in page and "A new Police and Crime Commissioner" in page


def test_long_list_evidence_matches_the_indicator_engine(assessment, users, client):
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    area = Area.objects.get(partnership=assessment.partnership, kind=Area.Kind.PARTNERSHIP)
    row = assess_indicators([indicator], area, selectors.assessment_period(assessment))[indicator.pk]
    assert row.assessment.value is not None, "the demo holds ASB figures for the assessment's period"
    client.force_login(users["data_provider"])
    page = client.get(reverse("assessment-long-list", args=[assessment.slug])).content.decode()
    assert figure(row.assessment.value, indicator.unit) in page
    assert row.period.label in page
    evidence = selectors.long_list(assessment)[0].indicators[0]
    assert evidence.value == figure(row.assessment.value, indicator.unit)
    assert evidence.travel in page
    # the consultation result and partners' views beside it
    assert "Speeding traffic" in page and "The police see it as a priority" in page
    # the police store holds none of the period's months in the tests: no figure, never 0
    assert "The police store holds none of the period" in page
    assert selectors.long_list(assessment)[0].crimes[0].count is None


def test_candidate_form(assessment, users, client):
    client.force_login(users["analyst"])
    url = reverse("assessment-candidate-create", args=[assessment.slug])
    page = html.unescape(client.get(url).content.decode())
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    assert "Speeding traffic" in page and "Burglary" in page and indicator.name in page
    response = client.post(
        url,
        {
            "title": "Burglary",
            "indicators": [indicator.pk],
            "crime_types": ["Burglary"],
            "concerns": [Concern.objects.get(text="Speeding traffic", exercise__title="Test survey").pk],
        },
    )
    assert response.status_code == 302
    candidate = assessment.candidates.get(title="Burglary")
    assert candidate.crime_types == ["Burglary"] and list(candidate.indicators.all()) == [indicator]
    for data, message in (
        ({"title": "burglary"}, "The long-list already has an issue with that name"),
        ({"title": "X", "indicators": ["999999"]}, "Choose indicators from the list"),
        ({"title": "X", "indicators": ["abc"]}, "Choose indicators from the list"),
        ({"title": "X", "crime_types": ["Piracy"]}, "Choose crime types from the list"),
        ({"title": "X", "concerns": ["999999"]}, "Choose consultation results from the list"),
        ({"title": ""}, "Enter the issue"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400 and message in html.unescape(response.content.decode()), data
    edit = reverse("assessment-candidate-edit", args=[assessment.slug, candidate.pk])
    assert client.post(edit, {"title": "Burglary", "crime_types": []}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.crime_types == [] and not candidate.indicators.exists()


def test_another_partnerships_records_are_not_found(assessment, users, client):
    client.force_login(users["analyst"])
    assert client.get(reverse("assessment-detail", args=["no-such"])).status_code == 404
    assert client.get(reverse("assessment-section-edit", args=[assessment.slug, 999999])).status_code == 404
    assert client.get(reverse("assessment-candidate-edit", args=[assessment.slug, 999999])).status_code == 404


FUZZ_FIELDS = [
    "title",
    "slug",
    "year",
    "period_start",
    "period_end",
    "scheme",
    "informs",
    "state",
    "kind",
    "indicator",
    "crime_type",
    "caption",
    "indicators",
    "crime_types",
    "concerns",
    "candidate",
    "number",
    "objectives",
    "category",
    "text",
    "sent_to_pcc_on",
]
FUZZ_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "31/02/2015", "2015/16", "=1+1", "\x00", "new"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(FUZZ_FIELDS), FUZZ_TEXT, max_size=8))
def test_no_input_makes_a_server_error(assessment, users, client, data):
    """Whatever is typed or posted, each form answers with a page (saved, or GOV.UK errors), never a 500."""
    client.force_login(users["administrator"])
    section = assessment.sections.first()
    candidate = assessment.candidates.first()
    for url in (
        reverse("assessment-create"),
        reverse("assessment-edit", args=[assessment.slug]),
        reverse("assessment-figure-create", args=[assessment.slug, section.pk]),
        reverse("assessment-candidate-edit", args=[assessment.slug, candidate.pk]),
        reverse("assessment-priority-create", args=[assessment.slug]),
        reverse("assessment-pestle-create", args=[assessment.slug]),
        reverse("assessment-section-create", args=[assessment.slug]),
        reverse("plan-sent-to-pcc", args=[assessment.informs.slug]),
    ):
        response = client.post(url, {k: v.replace("\x00", "") for k, v in data.items()})
        assert response.status_code in (200, 302, 400), (url, data, response.status_code)
