"""Priorities: set from the long-list (in ranked order once scored), linked to the objectives of the plan the
assessment informs, shown on the objective's page; the trail from evidence to objective; and the date the plan
was sent to the Police and Crime Commissioner."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse

from saferplan.assessment.models import CandidateIssue, Priority, StrategicAssessment
from saferplan.assessment.services import document as services
from saferplan.assessment.services.scoring import scheme_from_template, score_save
from saferplan.plans.models import Indicator, Objective, Plan
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def assessment(demo, users):
    a = services.assessment_save(
        assessment=StrategicAssessment(partnership=demo.partnership),
        user=users["analyst"],
        slug="test-sa",
        title="Test Strategic Assessment 2015/16",
        year="2015/16",
        period_start=date(2014, 10, 1),
        period_end=date(2015, 9, 30),
        informs=demo,
    )
    for title in ("Shoplifting", "Anti-social behaviour", "Domestic abuse"):
        services.candidate_save(candidate=CandidateIssue(assessment=a), user=users["analyst"], title=title)
    return a


def _score(assessment, users, values: dict[str, tuple[int, int]]):
    """Score each issue (title → (impact, likelihood)) the same by two scorers, so the scores are agreed."""
    scheme = scheme_from_template(partnership=assessment.partnership, key="impact_likelihood")
    services.assessment_save(assessment=assessment, user=users["analyst"], scheme=scheme)
    dimensions = list(scheme.dimensions.order_by("order"))
    for title, pair in values.items():
        candidate = assessment.candidates.get(title=title)
        for dimension, value in zip(dimensions, pair, strict=True):
            for scorer in (users["analyst"], users["administrator"]):
                score_save(candidate=candidate, dimension=dimension, scorer=scorer, value=value, user=scorer)
    return dimensions


def test_set_a_priority_linked_to_an_objective(assessment, users, demo, client):
    objective = Objective.objects.get(plan=demo, number=2)
    candidate = assessment.candidates.get(title="Anti-social behaviour")
    client.force_login(users["analyst"])
    form = _text(
        client.get(reverse("assessment-priority-create", args=[assessment.slug]) + f"?issue={candidate.pk}")
    )
    assert f"Objective 2: {objective.title}" in form and 'value="Anti-social behaviour"' in form
    response = client.post(
        reverse("assessment-priority-create", args=[assessment.slug]),
        {
            "candidate": candidate.pk,
            "number": "",
            "title": "Tackle anti-social behaviour",
            "rationale": "High volume, high harm",
            "objectives": [objective.pk],
        },
    )
    assert response.status_code == 302
    priority = Priority.objects.get(assessment=assessment)
    assert (priority.number, priority.candidate, list(priority.objectives.all())) == (
        1,
        candidate,
        [objective],
    )
    # the objective's page says where it came from, with a link to the priority
    page = _text(client.get(objective.get_absolute_url()))
    assert "From the strategic assessment 2015/16, " in page
    link = reverse("assessment-priorities", args=[assessment.slug]) + "#priority-1"
    assert f'href="{link}">priority 1: Tackle anti-social behaviour</a>' in page
    # a viewer, who may not read the assessment, sees where it came from without the link
    client.force_login(users["viewer"])
    page = _text(client.get(objective.get_absolute_url()))
    assert "priority 1: Tackle anti-social behaviour" in page and link not in page
    # the priorities page, the assessment page and the trail show the objective it became
    client.force_login(users["board_member"])
    for url in (
        reverse("assessment-priorities", args=[assessment.slug]),
        assessment.get_absolute_url(),
        reverse("assessment-trail", args=[assessment.slug]),
    ):
        assert objective.title in _text(client.get(url)), url
    # the priority's history records the objectives it became
    assert priority.history.count() >= 2


def test_priority_form_errors(assessment, users, demo, client):
    services.priority_save(priority=Priority(assessment=assessment), user=users["analyst"], title="First")
    other_plan = Plan.objects.exclude(pk=demo.pk).filter(objectives__isnull=False).first()
    client.force_login(users["analyst"])
    url = reverse("assessment-priority-create", args=[assessment.slug])
    other_assessment = services.assessment_save(
        assessment=StrategicAssessment(partnership=demo.partnership),
        user=users["analyst"],
        slug="other",
        title="Other",
        year="2014/15",
        period_start=date(2013, 10, 1),
        period_end=date(2014, 9, 30),
    )
    elsewhere = services.candidate_save(
        candidate=CandidateIssue(assessment=other_assessment), user=users["analyst"], title="Elsewhere"
    )
    cases = [
        ({"title": "X", "number": "1"}, "There is already a priority 1"),
        ({"title": "X", "number": "two"}, "Priority number must be a whole number"),
        ({"title": "X", "number": "0"}, "Priority number must be 1 or more"),
        ({"title": ""}, "Enter the priority"),
        ({"title": "X", "candidate": elsewhere.pk}, "Choose an issue from the long-list"),
        ({"title": "X", "objectives": ["abc"]}, "Choose objectives from the list"),
    ]
    if other_plan is not None:
        cases.append(
            (
                {"title": "X", "objectives": [other_plan.objectives.first().pk]},
                "Choose objectives from the list",
            )
        )
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400 and message in _text(response), data
    assert Priority.objects.filter(assessment=assessment).count() == 1


def test_priorities_offered_in_ranked_order(assessment, users, client):
    client.force_login(users["analyst"])
    url = reverse("assessment-priority-create", args=[assessment.slug])
    form = _text(client.get(url))
    # unscored: as listed
    assert form.index("Shoplifting") < form.index("Anti-social behaviour") < form.index("Domestic abuse")
    _score(
        assessment, users, {"Shoplifting": (1, 2), "Anti-social behaviour": (3, 4), "Domestic abuse": (4, 4)}
    )
    form = _text(client.get(url))
    assert form.index("Domestic abuse") < form.index("Anti-social behaviour") < form.index("Shoplifting")
    page = _text(client.get(reverse("assessment-priorities", args=[assessment.slug])))
    assert "The rest of the long-list, in ranked order" in page
    assert page.index("Domestic abuse") < page.index("Anti-social behaviour") < page.index("Shoplifting")


def test_trail_from_evidence_to_objective(assessment, users, demo, client):
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    candidate = assessment.candidates.get(title="Anti-social behaviour")
    services.candidate_save(
        candidate=candidate,
        user=users["analyst"],
        indicators=[indicator],
        partners_views="Police: a priority",
    )
    dimensions = _score(assessment, users, {"Anti-social behaviour": (3, 4)})
    objective = Objective.objects.get(plan=demo, number=1)
    services.priority_save(
        priority=Priority(assessment=assessment),
        user=users["analyst"],
        candidate=candidate,
        title="Reduce ASB",
        objectives=[objective],
    )
    client.force_login(users["group_lead"])
    page = _text(client.get(reverse("assessment-trail", args=[assessment.slug])))
    trail = page[page.index("Priority 1: Reduce ASB") :]
    steps = [
        "Anti-social behaviour",
        indicator.name,
        "Police: a priority",
        "Ranked 1, total 12",
        objective.title,
    ]
    positions = [trail.index(s) for s in steps]
    assert positions == sorted(positions)
    assert f"{dimensions[0].name}: 3" in trail


def test_record_the_date_sent_to_the_pcc(demo, users, client):
    url = reverse("plan-sent-to-pcc", args=[demo.slug])
    before = demo.sent_to_pcc_on
    for role in ROLES:
        if role != "administrator":
            client.force_login(users[role])
            assert client.get(url).status_code == 403
            assert client.post(url, {"sent_to_pcc_on": "01/06/2016"}).status_code == 403
    demo.refresh_from_db()
    assert demo.sent_to_pcc_on == before
    client.force_login(users["administrator"])
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    for value, message in (
        (tomorrow, "The date sent must be today or in the past"),
        ("31/06/2016", "must be a real date"),
        ("01/06/1066", "must be between 1998 and 2100"),
    ):
        response = client.post(url, {"sent_to_pcc_on": value})
        assert response.status_code == 400 and message in _text(response), value
    response = client.post(url, {"sent_to_pcc_on": "01/06/2016"})
    assert response.status_code == 302 and response.url == reverse("plan-overview", args=[demo.slug])
    demo.refresh_from_db()
    assert demo.sent_to_pcc_on == date(2016, 6, 1)
    page = _text(client.get(reverse("plan-overview", args=[demo.slug])))
    assert "Sent to the Police and Crime Commissioner on 1 June 2016" in page
    assert "Regulation 13A of SI 2007/1830, as amended by SI 2011/1230" in page
    history = page[page.index('id="history"') :]
    assert "Sent to the Police and Crime Commissioner" in history and "2016" in history
    assert demo.history.first().history_user == users["administrator"]
    # clearing it
    assert client.post(url, {"sent_to_pcc_on": ""}).status_code == 302
    demo.refresh_from_db()
    assert demo.sent_to_pcc_on is None
    assert "Not recorded as sent to the Police and Crime Commissioner" in _text(
        client.get(reverse("plan-overview", args=[demo.slug]))
    )


def test_plan_shows_the_assessments_that_informed_it(assessment, users, demo, client):
    client.force_login(users["viewer"])
    page = _text(client.get(reverse("plan-overview", args=[demo.slug])))
    assert "Informed by" in page and assessment.title in page
    assert f'href="{assessment.get_absolute_url()}"' not in page  # viewers do not read the assessment
    client.force_login(users["analyst"])
    page = _text(client.get(reverse("plan-overview", args=[demo.slug])))
    assert f'href="{assessment.get_absolute_url()}"' in page
    assert "Record the date sent" not in page  # administrators only
