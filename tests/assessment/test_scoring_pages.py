"""The scoring pages: schemes made from a template and edited, a scorer's own scores (GOV.UK errors naming the
dimension, nothing saved on error, no forged scorer), agreement, moderation and the ranked results."""

import os
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.accounts.models import User
from saferplan.assessment.forms.scoring import DimensionForm, ScoreForm
from saferplan.assessment.models import (
    ModeratedScore,
    Score,
    ScoringDimension,
    ScoringScheme,
    StrategicAssessment,
)
from saferplan.assessment.selectors import scoring as sel
from saferplan.assessment.services import scoring as services
from tests.assessment.test_scoring import cand, dims, make_assessment, score_all

DUMP = os.environ.get("SCORING_DUMP")  # a folder to write each page to, for reading by eye


def _page(response, name=None):
    html = response.content.decode()
    if DUMP and name:
        Path(DUMP).mkdir(parents=True, exist_ok=True)
        Path(DUMP, f"{name}.html").write_text(html)
    return html


@pytest.fixture
def assessment(demo, users):
    return make_assessment(demo, key="impact_likelihood")


def _form(assessment, values: dict, **extra):
    d = dims(assessment)
    data = {f"dim_{d[name].pk}": value for name, value in values.items()}
    data.update(extra)
    return data


def test_schemes_list_page_and_create_from_template(users, client, demo):
    client.force_login(users["analyst"])
    page = _page(client.get(reverse("scoring-scheme-create")), "scheme_create")
    assert "Impact and likelihood (4 × 4)" in page and "MoRiLE" in page
    bad = client.post(reverse("scoring-scheme-create"), {"template": "nonesuch"})
    assert bad.status_code == 400 and "Choose a template to start from" in bad.content.decode()
    assert 'href="#id_template_0"' in bad.content.decode() and 'id="id_template_0"' in bad.content.decode()
    before = ScoringScheme.objects.count()
    response = client.post(reverse("scoring-scheme-create"), {"template": "morile", "name": "Our MoRiLE"})
    assert ScoringScheme.objects.count() == before + 1
    scheme = ScoringScheme.objects.get(name="Our MoRiLE")
    assert response.status_code == 302 and response.url == reverse("scoring-scheme-detail", args=[scheme.pk])
    page = _page(client.get(response.url), "scheme")
    assert "The partnership sets the scales" in page and "No national scale" in page
    assert "2 × Harm + 1.5 × Likelihood + 1 × Organisational position + 0.5 × Confidence" in page
    assert "Almost certain" in page and 'id="history"' in page
    listing = _page(client.get(reverse("scoring-scheme-list")), "schemes")
    assert "Our MoRiLE" in listing
    again = client.post(reverse("scoring-scheme-create"), {"template": "morile", "name": "Our MoRiLE"})
    assert (
        again.status_code == 400 and "already has a scoring scheme with this name" in again.content.decode()
    )


def test_dimension_edit_changes_weight_and_labels_with_history(users, client, assessment):
    client.force_login(users["analyst"])
    impact = dims(assessment)["Impact"]
    url = reverse("scoring-dimension-edit", args=[impact.pk])
    _page(client.get(url), "dimension_edit")
    data = {
        "name": "Impact",
        "description": "x",
        "weight": "2.5",
        "scale_min": "1",
        "scale_max": "4",
        "label_1": "Slight",
        "label_2": "Medium",
        "label_3": "High",
        "label_4": "Very high",
    }
    assert client.post(url, {**data, "weight": "-1"}).status_code == 400
    bad = client.post(url, {**data, "scale_max": "0"})
    assert (
        bad.status_code == 400 and "The highest score must be above the lowest score" in bad.content.decode()
    )
    impact.refresh_from_db()
    assert str(impact.weight.normalize()) == "1"
    response = client.post(url, data)
    assert response.status_code == 302
    impact.refresh_from_db()
    assert str(impact.weight.normalize()) == "2.5" and impact.labels.get(value=1).label == "Slight"
    page = _page(client.get(reverse("scoring-scheme-detail", args=[impact.scheme_id])), "scheme_after_edit")
    assert "Weight" in page and "“Low” → “Slight”" in page


def test_scorer_scores_with_radios_and_gov_uk_errors(users, client, assessment):
    analyst = users["analyst"]
    client.force_login(analyst)
    home = _page(client.get(reverse("scoring-home", args=[assessment.slug])), "home")
    violent = cand(assessment, "Violent crime")
    url = reverse("scoring-score", args=[assessment.slug, violent.pk])
    assert url in home
    page = _page(client.get(url), "score")
    assert 'class="govuk-radios__input"' in page and "4: Very high" in page and "1: Unlikely" in page
    # missing and out of scale: GOV.UK errors naming the dimension, nothing saved
    response = client.post(url, _form(assessment, {"Impact": "5"}))
    html = _page(response, "score_errors")
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Choose a score for Impact from 1 to 4" in html
    assert "Choose a score for Likelihood from 1 to 4" in html
    assert f'href="#id_dim_{dims(assessment)["Impact"].pk}_0"' in html
    assert not Score.objects.filter(candidate=violent).exists()
    response = client.post(url, _form(assessment, {"Impact": "4", "Likelihood": "2"}))
    assert response.status_code == 302
    assert {(s.dimension.name, s.value, s.scorer) for s in Score.objects.filter(candidate=violent)} == {
        ("Impact", 4, analyst),
        ("Likelihood", 2, analyst),
    }
    # on to the next issue not yet scored
    assert response.url == reverse(
        "scoring-score", args=[assessment.slug, cand(assessment, "Shoplifting").pk]
    )


def test_a_forged_scorer_is_ignored(users, client, assessment):
    analyst, other = users["analyst"], users["administrator"]
    violent = cand(assessment, "Violent crime")
    client.force_login(analyst)
    url = reverse("scoring-score", args=[assessment.slug, violent.pk])
    data = _form(
        assessment, {"Impact": "1", "Likelihood": "1"}, scorer=str(other.pk), scorer_id=str(other.pk)
    )
    assert client.post(url, data).status_code == 302
    assert set(Score.objects.filter(candidate=violent).values_list("scorer", flat=True)) == {analyst.pk}
    # the other's existing scores are untouched by the analyst's post
    score_all(assessment, violent, other, {"Impact": 3, "Likelihood": 3})
    client.post(url, _form(assessment, {"Impact": "2", "Likelihood": "2"}, scorer=str(other.pk)))
    assert sorted(Score.objects.filter(candidate=violent, scorer=other).values_list("value", flat=True)) == [
        3,
        3,
    ]
    assert sorted(
        Score.objects.filter(candidate=violent, scorer=analyst).values_list("value", flat=True)
    ) == [2, 2]


def test_agreement_moderation_and_results(users, client, assessment):
    first, second = users["analyst"], users["administrator"]
    violent, shop = cand(assessment, "Violent crime"), cand(assessment, "Shoplifting")
    score_all(assessment, violent, first, {"Impact": 4, "Likelihood": 2})
    score_all(assessment, violent, second, {"Impact": 2, "Likelihood": 2})
    score_all(assessment, shop, first, {"Impact": 3, "Likelihood": 3})
    score_all(assessment, shop, second, {"Impact": 3, "Likelihood": 3})
    client.force_login(first)
    agreement = _page(client.get(reverse("scoring-agreement", args=[assessment.slug])), "agreement")
    assert "Scorers disagree on Impact:" in agreement and "Scores differ by 2" in agreement
    assert "Scorers disagree on 1 issue." in agreement
    results = _page(client.get(reverse("scoring-results", args=[assessment.slug])), "results_before")
    assert "Awaiting moderation" in results and "1 of 3 issues ranked" in results

    url = reverse("scoring-moderate", args=[assessment.slug, violent.pk])
    _page(client.get(url), "moderate")
    impact = dims(assessment)["Impact"]
    bad = client.post(url, {f"dim_{impact.pk}": "3"})
    assert (
        bad.status_code == 400
        and "Give the reason for the moderated score for Impact" in bad.content.decode()
    )
    bad = client.post(url, {f"dim_{impact.pk}": "9", f"reason_{impact.pk}": "x"})
    assert (
        bad.status_code == 400 and "Choose the moderated score for Impact from 1 to 4" in bad.content.decode()
    )
    assert not ModeratedScore.objects.filter(candidate=violent).exists()
    ok = client.post(url, {f"dim_{impact.pk}": "3", f"reason_{impact.pk}": "Met halfway on the evidence"})
    assert ok.status_code == 302
    results = _page(client.get(reverse("scoring-results", args=[assessment.slug])), "results_after")
    assert "2 of 3 issues ranked" in results and "<svg" in results and 'role="img"' in results
    table = results[results.index('id="ranked-long-list"') :]
    assert table.index("Shoplifting") < table.index("Violent crime") < table.index("ASB")
    assert ">9<" in table and ">6<" in table
    assert [r.total for r in sel.ranking(assessment)][:2] == [9.0, 6.0]


def test_weight_change_on_the_page_reranks(users, client, demo):
    a = make_assessment(demo, slug="weights")
    analyst = users["analyst"]
    score_all(
        a,
        cand(a, "Violent crime"),
        analyst,
        {"Harm": 4, "Likelihood": 3, "Organisational position": 2, "Confidence": 3},
    )
    score_all(
        a,
        cand(a, "Shoplifting"),
        analyst,
        {"Harm": 2, "Likelihood": 5, "Organisational position": 3, "Confidence": 2},
    )
    client.force_login(analyst)

    def order():
        html = client.get(reverse("scoring-results", args=[a.slug])).content.decode()
        table = html[html.index('id="ranked-long-list"') :]
        return table.index("Violent crime") < table.index("Shoplifting")

    assert order()
    likelihood = dims(a)["Likelihood"]
    labels = {f"label_{v}": lab.label for v, lab in ((x.value, x) for x in likelihood.labels.all())}
    client.post(
        reverse("scoring-dimension-edit", args=[likelihood.pk]),
        {"name": "Likelihood", "weight": "3", "scale_min": "1", "scale_max": "5", **labels},
    )
    assert not order()


def test_pages_without_a_scheme_say_so(users, client, demo):
    from datetime import date

    from saferplan.assessment.models import StrategicAssessment

    a = StrategicAssessment.objects.create(
        partnership=demo.partnership,
        slug="unscored",
        title="Unscored",
        year="2015/16",
        period_start=date(2014, 10, 1),
        period_end=date(2015, 9, 30),
    )
    client.force_login(users["analyst"])
    home = client.get(reverse("scoring-home", args=[a.slug])).content.decode()
    assert "No scoring scheme has been chosen" in home
    assert client.get(reverse("scoring-results", args=[a.slug])).status_code == 302
    scheme = (
        ScoringScheme.objects.filter(partnership=demo.partnership).first() or make_assessment(demo).scheme
    )
    response = client.post(reverse("scoring-scheme-choose", args=[a.slug]), {"scheme": str(scheme.pk)})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.scheme_id == scheme.pk
    assert client.post(reverse("scoring-scheme-choose", args=[a.slug]), {"scheme": "x"}).status_code == 400


@pytest.mark.parametrize(
    "name",
    ["scoring-score", "scoring-moderate", "scoring-dimension-edit"],
)
def test_hostile_input_never_a_server_error(users, client, assessment, name):
    client.force_login(users["analyst"])
    violent = cand(assessment, "Violent crime")
    d = dims(assessment)["Impact"]
    url = {
        "scoring-score": reverse("scoring-score", args=[assessment.slug, violent.pk]),
        "scoring-moderate": reverse("scoring-moderate", args=[assessment.slug, violent.pk]),
        "scoring-dimension-edit": reverse("scoring-dimension-edit", args=[d.pk]),
    }[name]
    for value in ["", "x", "1e9", "-0", "\x00", "9" * 50, "<script>", "1.5", "NaN", "Infinity"]:
        data = {
            k: value
            for k in [
                f"dim_{d.pk}",
                f"reason_{d.pk}",
                f"comment_{d.pk}",
                "weight",
                "scale_min",
                "scale_max",
                "name",
                "label_1",
            ]
        }
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400), (value, response.status_code)


def test_other_partnerships_schemes_and_unknown_records_are_not_found(users, client, assessment):
    client.force_login(users["analyst"])
    assert client.get(reverse("scoring-scheme-detail", args=[999999])).status_code == 404
    assert client.get(reverse("scoring-score", args=[assessment.slug, 999999])).status_code == 404
    assert client.get(reverse("scoring-home", args=["no-such"])).status_code == 404
    assert ScoringDimension.objects.filter(scheme=assessment.scheme).count() == 2
    assert User.objects.filter(username="analyst-user").exists()
    assert re.search(r"Scoring", client.get(reverse("scoring-home", args=[assessment.slug])).content.decode())


def _scored_assessment(demo):
    """An assessment with a scheme: the demo's, or one made here (once for all of hypothesis's examples)."""
    found = StrategicAssessment.objects.filter(partnership=demo.partnership).exclude(scheme=None).first()
    return found or make_assessment(demo)


_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "1", "4", "5", "-1", "1.5", "1e3", "NaN", "Infinity", "1000.0001", "٣"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(["name", "weight", "scale_min", "scale_max", "label_1", "label_4"]), _text
    )
)
def test_dimension_form_fuzzed_gives_errors_never_a_crash(demo, users, data):
    """Whatever is posted, the dimension form either saves through the service or says what is wrong."""
    dimension = _scored_assessment(demo).scheme.dimensions.first()
    form = DimensionForm(data, dimension=dimension)
    if form.is_valid():
        fields = {
            k: form.cleaned_data[k] for k in ("name", "description", "weight", "scale_min", "scale_max")
        }
        try:
            with transaction.atomic():
                services.dimension_change(
                    dimension=dimension, user=users["analyst"], labels=form.labels(), **fields
                )
                transaction.set_rollback(True)
        except ValidationError as exc:
            assert exc.messages
    else:
        assert all(message for errors in form.errors.values() for message in errors)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(impact=_text, likelihood=_text)
def test_score_form_fuzzed_saves_only_values_on_the_scale(demo, users, impact, likelihood):
    assessment = _scored_assessment(demo)
    dimensions = sel.scheme_dimensions(assessment.scheme)
    data = {f"dim_{d.pk}": value for d, value in zip(dimensions, [impact, likelihood] * 4, strict=False)}
    form = ScoreForm(data, dimensions=dimensions, mine={})
    if form.is_valid():
        for d, value, _ in form.values():
            assert d.scale_min <= value <= d.scale_max
    else:
        assert any("Choose a score for" in m for errors in form.errors.values() for m in errors)
