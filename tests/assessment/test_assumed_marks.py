"""What the demo assumed about the assessments is said where it is shown, and stops being said once a person
records the value themselves."""

import re

from django.urls import reverse

from saferplan.assessment.demo import load as assessment_demo
from saferplan.assessment.document import assessment_document
from saferplan.assessment.models import Score, StrategicAssessment
from saferplan.assessment.selectors.scoring import scores_assumed
from saferplan.core.models import Assumption


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _assessment(demo) -> StrategicAssessment:
    assessment_demo(demo)  # idempotent: the demo fixture has loaded it already
    return StrategicAssessment.objects.get(partnership=demo.partnership, slug="sa-2015-16")


def test_demo_scores_are_said_to_be_assumed_on_the_pages_and_in_the_document(demo, users, client):
    assessment = _assessment(demo)
    note = scores_assumed(assessment)
    assert note and Assumption.objects.filter(content_type__model="score", note=note).exists()
    client.force_login(users["board_member"])
    for name in ("scoring-results", "scoring-agreement"):
        page = _text(client.get(reverse(name, args=[assessment.slug])))
        assert f"Assumed for the demo {note}" in page, name
    words = " ".join(
        getattr(block, "text", "")
        for block in assessment_document(assessment).blocks
        if hasattr(block, "text")
    )
    assert f"Scores assumed for the demo: {note}" in words


def test_real_scores_are_not_said_to_be_assumed(demo):
    assessment = _assessment(demo)
    Assumption.objects.filter(content_type__model__in=["score", "moderatedscore"]).delete()
    assert Score.objects.filter(candidate__assessment=assessment).exists()
    assert scores_assumed(assessment) == ""


def test_the_date_sent_to_the_pcc_is_assumed_until_an_administrator_records_it(demo, users, client):
    _assessment(demo)
    demo.refresh_from_db()
    assert demo.sent_to_pcc_on is not None
    client.force_login(users["administrator"])
    page = _text(client.get(reverse("plan-overview", args=[demo.slug])))
    sent = page[page.index("Sent to the Police and Crime Commissioner on") :][:200]
    assert "Assumed for the demo" in sent
    response = client.post(reverse("plan-sent-to-pcc", args=[demo.slug]), {"sent_to_pcc_on": "01/06/2016"})
    assert response.status_code == 302
    page = _text(client.get(reverse("plan-overview", args=[demo.slug])))
    sent = page[page.index("Sent to the Police and Crime Commissioner on 1 June 2016") :][:120]
    assert "Assumed for the demo" not in sent


def test_the_assessment_period_is_marked_assumed(demo, users, client):
    assessment = _assessment(demo)
    client.force_login(users["analyst"])
    page = _text(client.get(reverse("assessment-detail", args=[assessment.slug])))
    period = page[page.index("Period looked back over") :][:400]
    assert "Assumed for the demo" in period
