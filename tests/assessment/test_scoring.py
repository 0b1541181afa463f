"""Scoring the long-list: the templates, the combine rules (computed by hand), agreement and moderation, the
ranking (recomputed live when a weight changes, with the change in the history), refusals that save nothing,
and the risk matrix."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from saferplan.assessment.models import (
    CandidateIssue,
    ModeratedScore,
    Score,
    StrategicAssessment,
)
from saferplan.assessment.scheme_templates import TEMPLATES
from saferplan.assessment.selectors import scoring as sel
from saferplan.assessment.services import scoring as svc


def make_assessment(demo, key="morile", slug="scoring-test", titles=("Violent crime", "Shoplifting", "ASB")):
    scheme = svc.scheme_from_template(partnership=demo.partnership, key=key, name=f"Test {key} {slug}")
    assessment = StrategicAssessment.objects.create(
        partnership=demo.partnership,
        slug=slug,
        title="Test assessment",
        year="2015/16",
        period_start=date(2014, 10, 1),
        period_end=date(2015, 9, 30),
        scheme=scheme,
    )
    for i, title in enumerate(titles):
        CandidateIssue.objects.create(assessment=assessment, title=title, order=i)
    return assessment


def dims(assessment):
    return {d.name: d for d in assessment.scheme.dimensions.all()}


def cand(assessment, title):
    return assessment.candidates.get(title=title)


def score_all(assessment, candidate, scorer, values: dict):
    for name, value in values.items():
        svc.score_save(
            candidate=candidate, dimension=dims(assessment)[name], scorer=scorer, value=value, user=scorer
        )


def test_templates_are_complete_and_labelled():
    assert set(TEMPLATES) == {"morile", "impact_likelihood"}
    morile = TEMPLATES["morile"]
    assert [d["name"] for d in morile["dimensions"]] == [
        "Harm",
        "Likelihood",
        "Organisational position",
        "Confidence",
    ]
    assert "MoRiLE" in morile["description"] and "partnership sets the scales" in morile["description"]
    assert "no national scale" in morile["description"]
    for template in TEMPLATES.values():
        for d in template["dimensions"]:
            assert [v for v, _, _ in d["labels"]] == list(range(d["scale_min"], d["scale_max"] + 1))
    il = TEMPLATES["impact_likelihood"]
    assert il["method"] == "product" and (il["matrix_y"], il["matrix_x"]) == ("Impact", "Likelihood")
    assert all((d["scale_min"], d["scale_max"]) == (1, 4) for d in il["dimensions"])


def test_scheme_from_template_is_an_editable_copy(demo, users):
    a = svc.scheme_from_template(partnership=demo.partnership, key="morile", user=users["analyst"])
    b = svc.scheme_from_template(partnership=demo.partnership, key="morile", user=users["analyst"])
    assert a.name == TEMPLATES["morile"]["name"] and b.name == a.name + " (2)"
    assert a.template == "morile" and a.method == "weighted_sum"
    assert (a.matrix_x.name, a.matrix_y.name) == ("Likelihood", "Harm")
    harm = a.dimensions.get(name="Harm")
    assert harm.weight == Decimal("2") and [lab.label for lab in harm.labels.all()][0] == "Minimal"
    svc.dimension_change(dimension=harm, user=users["analyst"], weight="3", labels={1: "Negligible"})
    assert b.dimensions.get(name="Harm").weight == Decimal("2")  # the other copy is untouched
    assert TEMPLATES["morile"]["dimensions"][0]["weight"] == "2"  # and so is the template
    assert b.dimensions.get(name="Harm").labels.get(value=1).label == "Minimal"
    assert a.created_by == users["analyst"]
    with pytest.raises(ValidationError):
        svc.scheme_from_template(partnership=demo.partnership, key="morile", name=a.name)
    with pytest.raises(ValidationError):
        svc.scheme_from_template(partnership=demo.partnership, key="nonesuch")


def test_weighted_sum_by_hand(demo, users):
    """MoRiLE template weights: harm 2, likelihood 1.5, organisational position 1, confidence 0.5."""
    a = make_assessment(demo)
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
    ranked = sel.ranking(a)
    # Violent crime: 2×4 + 1.5×3 + 1×2 + 0.5×3 = 8 + 4.5 + 2 + 1.5 = 16
    # Shoplifting:   2×2 + 1.5×5 + 1×3 + 0.5×2 = 4 + 7.5 + 3 + 1 = 15.5
    assert [(r.candidate.title, r.rank, r.total, r.status) for r in ranked] == [
        ("Violent crime", 1, 16.0, "agreed"),
        ("Shoplifting", 2, 15.5, "agreed"),
        ("ASB", None, None, "not scored"),
    ]
    assert ranked[0].values == {
        dims(a)["Harm"].pk: 4,
        dims(a)["Likelihood"].pk: 3,
        dims(a)["Organisational position"].pk: 2,
        dims(a)["Confidence"].pk: 3,
    }


def test_product_by_hand_and_ties_share_a_rank(demo, users):
    a = make_assessment(demo, key="impact_likelihood")
    analyst = users["analyst"]
    score_all(a, cand(a, "Violent crime"), analyst, {"Impact": 4, "Likelihood": 2})  # 8
    score_all(a, cand(a, "Shoplifting"), analyst, {"Impact": 3, "Likelihood": 3})  # 9
    score_all(a, cand(a, "ASB"), analyst, {"Impact": 2, "Likelihood": 4})  # 8
    ranked = sel.ranking(a)
    assert [(r.candidate.title, r.rank, r.total) for r in ranked] == [
        ("Shoplifting", 1, 9.0),
        ("Violent crime", 2, 8.0),
        ("ASB", 2, 8.0),
    ]


def test_disagreement_awaits_moderation_then_moderation_settles_it(demo, users):
    a = make_assessment(demo, key="impact_likelihood")
    first, second = users["analyst"], users["administrator"]
    violent = cand(a, "Violent crime")
    score_all(a, violent, first, {"Impact": 4, "Likelihood": 2})
    score_all(a, violent, second, {"Impact": 2, "Likelihood": 2})
    ranked = sel.ranking(a)
    assert (ranked[0].candidate, ranked[0].rank, ranked[0].total, ranked[0].status) == (
        violent,
        None,
        None,
        "awaiting moderation",
    )
    assert ranked[0].values == {dims(a)["Impact"].pk: None, dims(a)["Likelihood"].pk: 2}
    item = sel.candidate_agreement(a, violent)
    impact, likelihood = item.dimensions
    assert (impact.values, impact.spread, impact.agreed, impact.state) == (
        [2, 4],
        2,
        False,
        "scorers disagree",
    )
    assert (likelihood.spread, likelihood.agreed, likelihood.settled) == (0, True, 2)
    assert [d.dimension.name for d in item.disagreements] == ["Impact"]

    with pytest.raises(ValidationError):
        svc.moderate(candidate=violent, dimension=dims(a)["Impact"], value=3, reason="  ", user=first)
    with pytest.raises(ValidationError):
        svc.moderate(candidate=violent, dimension=dims(a)["Impact"], value=5, reason="x", user=first)
    assert not ModeratedScore.objects.filter(candidate=violent).exists()
    svc.moderate(candidate=violent, dimension=dims(a)["Impact"], value=3, reason="Met halfway", user=first)
    top = sel.ranking(a)[0]
    assert (top.rank, top.total, top.status) == (1, 6.0, "moderated")
    assert top.values[dims(a)["Impact"].pk] == 3


def test_moderation_needs_two_scorers(demo, users):
    a = make_assessment(demo, key="impact_likelihood")
    violent = cand(a, "Violent crime")
    score_all(a, violent, users["analyst"], {"Impact": 4})
    with pytest.raises(ValidationError, match="at least two people"):
        svc.moderate(
            candidate=violent, dimension=dims(a)["Impact"], value=4, reason="Confirmed", user=users["analyst"]
        )


def test_weight_change_reranks_and_is_in_the_history(demo, users):
    a = make_assessment(demo)
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
    assert [r.candidate.title for r in sel.ranking(a)][:2] == ["Violent crime", "Shoplifting"]
    svc.dimension_change(dimension=dims(a)["Likelihood"], user=analyst, weight="3")
    ranked = sel.ranking(a)
    # Violent crime: 8 + 3×3 + 2 + 1.5 = 20.5; Shoplifting: 4 + 3×5 + 3 + 1 = 23
    assert [(r.candidate.title, r.total) for r in ranked][:2] == [
        ("Shoplifting", 23.0),
        ("Violent crime", 20.5),
    ]
    history = sel.scheme_history(a.scheme)
    words = [(e.who, c.field, c.old, c.new) for e in history for c in e.changes]
    assert any(
        "Likelihood" in field and "Weight" in field and old.startswith("1.5") and new.startswith("3")
        for _, field, old, new in words
    ), words
    svc.dimension_change(dimension=dims(a)["Harm"], user=analyst, labels={5: "Catastrophic"})
    changes = [c for e in sel.scheme_history(a.scheme) for c in e.changes]
    assert any("Harm 5" in c.field and c.old == "Severe" and c.new == "Catastrophic" for c in changes), (
        changes
    )


def test_scale_change_refused_when_a_score_would_fall_outside(demo, users):
    a = make_assessment(demo)
    harm = dims(a)["Harm"]
    score_all(a, cand(a, "ASB"), users["analyst"], {"Harm": 5})
    with pytest.raises(ValidationError):
        svc.dimension_change(dimension=harm, user=users["analyst"], scale_max=4)
    harm.refresh_from_db()
    assert harm.scale_max == 5 and harm.labels.count() == 5
    svc.dimension_change(dimension=dims(a)["Likelihood"], user=users["analyst"], scale_max=3)
    assert list(dims(a)["Likelihood"].labels.values_list("value", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("value", [0, 6, -1, "x", None, True, 3.5])
def test_out_of_scale_values_refused_by_the_service_and_nothing_saved(demo, users, value):
    a = make_assessment(demo)
    with pytest.raises(ValidationError) as caught:
        svc.score_save(
            candidate=cand(a, "ASB"),
            dimension=dims(a)["Harm"],
            scorer=users["analyst"],
            value=value,
            user=users["analyst"],
        )
    assert "Harm" in str(caught.value)
    assert not Score.objects.filter(candidate__assessment=a).exists()


def test_a_dimension_of_another_scheme_is_refused(demo, users):
    a = make_assessment(demo)
    b = make_assessment(demo, key="impact_likelihood", slug="other")
    with pytest.raises(ValidationError):
        svc.score_save(
            candidate=cand(a, "ASB"),
            dimension=dims(b)["Impact"],
            scorer=users["analyst"],
            value=2,
            user=users["analyst"],
        )
    assert not Score.objects.filter(candidate__assessment=a).exists()


def test_scheme_cannot_change_once_scored(demo, users):
    a = make_assessment(demo)
    other = svc.scheme_from_template(partnership=demo.partnership, key="impact_likelihood")
    score_all(a, cand(a, "ASB"), users["analyst"], {"Harm": 2})
    with pytest.raises(ValidationError):
        svc.assessment_scheme_set(assessment=a, scheme=other, user=users["analyst"])
    a.refresh_from_db()
    assert a.scheme.template == "morile"


def _cells(svg):
    cells = {
        (int(m["x"]), int(m["y"])): tuple(float(m[k]) for k in ("left", "top", "w", "h"))
        for m in re.finditer(
            r'class="app-matrix-cell" data-x="(?P<x>\d+)" data-y="(?P<y>\d+)" x="(?P<left>[\d.]+)" '
            r'y="(?P<top>[\d.]+)" width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)"',
            svg,
        )
    }
    markers = {
        m["title"]: (int(m["x"]), int(m["y"]), float(m["cx"]), float(m["cy"]))
        for m in re.finditer(
            r'class="app-matrix-issue" data-x="(?P<x>\d+)" data-y="(?P<y>\d+)" data-key="\d+">'
            r"<title>\d+: (?P<title>[^<]+)</title><circle cx=\"(?P<cx>[\d.]+)\" cy=\"(?P<cy>[\d.]+)\"",
            svg,
        )
    }
    return cells, markers


def test_risk_matrix_places_each_candidate_in_its_cell(demo, users):
    a = make_assessment(
        demo, key="impact_likelihood", titles=("Violent crime", "Shoplifting", "ASB", "Arson")
    )
    analyst = users["analyst"]
    score_all(a, cand(a, "Violent crime"), analyst, {"Impact": 4, "Likelihood": 2})
    score_all(a, cand(a, "Shoplifting"), analyst, {"Impact": 1, "Likelihood": 4})
    score_all(a, cand(a, "ASB"), analyst, {"Impact": 1, "Likelihood": 4})
    svg = sel.risk_matrix_svg(a)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    cells, markers = _cells(svg)
    assert len(cells) == 16
    assert set(markers) == {"Violent crime", "Shoplifting", "ASB"}  # Arson is not scored: not on it
    expected = {"Violent crime": (2, 4), "Shoplifting": (4, 1), "ASB": (4, 1)}
    for title, (x, y, cx, cy) in markers.items():
        assert (x, y) == expected[title], title
        left, top, w, h = cells[(x, y)]
        assert left < cx < left + w and top < cy < top + h, title
    # impact 4 is the top row, likelihood 4 the right-hand column
    assert cells[(1, 4)][1] < cells[(1, 1)][1] and cells[(4, 1)][0] > cells[(1, 1)][0]
    assert "Violent crime, Impact 4, Likelihood 2" in svg


def test_risk_matrix_empty_without_a_scheme(demo):
    a = StrategicAssessment.objects.create(
        partnership=demo.partnership,
        slug="no-scheme",
        title="No scheme",
        year="2015/16",
        period_start=date(2014, 10, 1),
        period_end=date(2015, 9, 30),
    )
    assert sel.risk_matrix_svg(a) == ""
    assert sel.ranking(a) == []
