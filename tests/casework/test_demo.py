"""The demo's casework (issue 20, "Done when"): a plainly synthetic caseload whose counts match the seeds'
published ones and fill the casework indicators. The demo is loaded once per session (tests/conftest.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.casework import demo as casework_demo
from saferplan.casework import measures
from saferplan.casework import models as m
from saferplan.casework.services.feeds import SOURCE
from saferplan.core.models import Assumption
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period
from saferplan.plans.models import Indicator

SPAN = Period.span(2014, 9, 2015, 11)  # the published Safer Homes span, Sep 2014 – Nov 2015


@pytest.fixture
def partnership(demo):
    return demo.partnership


@pytest.mark.parametrize(
    ("measure", "published"),
    [("referrals", 2018), ("referrals_police", 834), ("referrals_fire", 1184), ("referrals_hoarding", 110)],
)
def test_safer_homes_counts_match_the_seed(partnership, measure, published):
    value, _, _ = measures.count(measure, partnership, start=date(2014, 9, 19), end=date(2015, 11, 30))
    assert value == published


@pytest.mark.parametrize(
    ("slug", "published"),
    [
        ("safer-homes-referrals", 2018),
        ("safer-homes-referrals-police", 834),
        ("safer-homes-referrals-fire", 1184),
        ("safer-homes-hoarders-identified", 110),
    ],
)
def test_casework_figure_sits_beside_the_published_one(partnership, slug, published):
    indicator = Indicator.objects.get(partnership=partnership, slug=slug)
    figures = {
        o.source: o
        for o in Observation.objects.filter(indicator=indicator, area__code="E06000047", period=SPAN.code)
    }
    casework = figures.pop(SOURCE)
    assert (casework.value, casework.synthetic, casework.origin) == (
        published,
        True,
        Observation.Origin.SYNTHETIC,
    )
    assert not casework.headline
    (real,) = figures.values()  # the published figure, still the headline
    assert (real.value, real.origin, real.headline) == (published, Observation.Origin.PUBLISHED, True)


def test_indicator_page_shows_both_figures(client, users, partnership):
    indicator = Indicator.objects.get(partnership=partnership, slug="safer-homes-referrals")
    county = Area.objects.get(code="E06000047")
    client.force_login(users["analyst"])
    page = client.get(
        reverse("indicator-performance", args=[indicator.pk]), {"area": county.pk}
    ).content.decode()
    every = page[page.index('id="every-source"') :]
    rows = [r for r in re.split(r"<tr ", every) if "Sep 2014 – Nov 2015" in r]
    sources = {("SaferPlan casework" in r, "Headline</strong>" in r) for r in rows}
    assert sources == {(True, False), (False, True)}  # casework beside; the published figure the headline
    assert all("2,018" in r for r in rows)


def test_community_trigger_figures_for_2015_16(partnership):
    year = Period.financial_year(2015)
    found = [
        measures.count(name, partnership, start=year.start, end=year.end)[0]
        for name in (
            "case_review_applications",
            "case_review_threshold_not_met",
            "case_reviews",
            "case_reviews_with_recommendations",
        )
    ]
    assert found == [5, 2, 3, 2]


def test_marac_repeat_rate_is_filled_per_quarter(partnership):
    indicator = Indicator.objects.get(partnership=partnership, slug="domestic-abuse-repeat-marac")
    figures = {
        o.period: o
        for o in Observation.objects.filter(indicator=indicator, source=SOURCE, area__code="E06000047")
    }
    quarters = [Period.quarter(year, q).code for year in (2014, 2015) for q in (1, 2, 3, 4)]
    assert set(quarters) <= set(figures)
    for code in quarters:
        o = figures[code]
        assert o.synthetic and o.denominator > 0
        assert o.value == pytest.approx(o.numerator / o.denominator * 100, abs=0.05)


def test_feeds_fill_the_casework_indicators(partnership):
    feeds = dict(
        m.CaseworkFeed.objects.filter(indicator__partnership=partnership).values_list(
            "indicator__slug", "measure"
        )
    )
    assert feeds == {slug: measure for slug, (measure, *_) in casework_demo.DEMO_FEEDS.items()}
    for slug in feeds:
        assert Observation.objects.filter(indicator__slug=slug, source=SOURCE).exists(), slug


def test_the_caseload_is_plainly_synthetic(partnership):
    for model in (m.Incident, m.Case, m.CaseReview, m.Referral):
        records = model.objects.filter(partnership=partnership)
        assert records.exists() and not records.filter(synthetic=False).exists(), model
    names = m.Person.objects.filter(partnership=partnership).values_list("name", flat=True)
    assert names and all(re.match(r"(Demo|Synthetic) ", name) for name in names)


def test_caseworkers_settings_and_assumed_rules(partnership):
    for username, _, _, org_slug in casework_demo.DEMO_CASEWORKERS:
        user = User.objects.get(username=username)
        assert (user.role, user.organisation.slug, user.has_usable_password()) == (
            "caseworker",
            org_slug,
            False,
        )
    assert m.CaseworkSettings.objects.get(partnership=partnership).trigger_complaints == 3
    rules = m.RetentionRule.objects.filter(partnership=partnership)
    assert {r.record_type: r.keep_months for r in rules} == casework_demo.RETENTION
    assumed = set(Assumption.objects.filter(field="keep_months").values_list("object_id", flat=True))
    assert {r.pk for r in rules} <= assumed
    routes = m.RoutingRule.objects.filter(partnership=partnership)
    assert routes.exists()
    assert {r.pk for r in routes} <= set(
        Assumption.objects.filter(field="organisation", content_type__model="routingrule").values_list(
            "object_id", flat=True
        )
    )


def test_loading_again_changes_nothing(demo):
    before = Observation.objects.filter(source=SOURCE).count(), m.Referral.objects.count()
    assert casework_demo.load(demo) is False
    assert (Observation.objects.filter(source=SOURCE).count(), m.Referral.objects.count()) == before
