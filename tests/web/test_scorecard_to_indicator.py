"""Following an indicator from a filtered scorecard: the indicator's figures page keeps the area and period (it
shows the figure for the scorecard's period beside the latest) and its "back to the scorecard" link returns to the
same filtered scorecard. Filters in the query string are checked: a value that is not one of the scorecard's
choices gives the default, never an error."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.areas.models import Area
from saferplan.indicators import selectors
from saferplan.plans.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(demo) -> Area:
    return Area.objects.get(code="E06000047")


@pytest.fixture
def earlier_quarter(demo, county):
    """A quarter before the scorecard's default one, with figures."""
    default = selectors.default_period(demo, county)
    quarters = [p for p in selectors.reporting_periods(demo, county) if p.kind == default.kind]
    return quarters[quarters.index(default) + 4]  # the same quarter a year earlier


def indicator_links(html: str) -> dict[str, str]:
    """The scorecard's links to indicators' figures pages: name → address."""
    return {
        unescape(name): unescape(href)
        for href, name in re.findall(
            r'<a class="govuk-link" href="(/indicators/\d+/figures/[^"]*)">([^<]+)</a>', html
        )
    }


def back_link(html: str) -> str:
    match = re.search(r'<a class="govuk-link" href="([^"]+)" id="back-to-scorecard">([^<]+)</a>', html)
    assert match, "no link back to the scorecard"
    return unescape(match.group(1))


def test_the_indicator_keeps_the_scorecards_area_and_period(client_for, users, demo, county, earlier_quarter):
    client = client_for(users["viewer"])
    basket = demo.partnership.baskets.first()
    filters = {"area": county.code, "period": earlier_quarter.code}
    scorecard = client.get(reverse("performance-overview"), filters)
    assert scorecard.status_code == 200
    links = indicator_links(scorecard.content.decode())
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    url = links[indicator.name]
    assert parse_qs(urlsplit(url).query) == {k: [v] for k, v in filters.items()}

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    row = next(
        r
        for s in selectors.scorecard(demo, area=county, selected=earlier_quarter)
        for r in s.rows
        if r.indicator == indicator
    )
    chosen = page.context["chosen"]
    assert chosen.period == row.period == earlier_quarter
    assert chosen.value == row.assessment.value is not None  # the same figure as on the scorecard's row
    assert f"{earlier_quarter.label} (the period chosen on the scorecard):" in unescape(
        re.sub(r"<[^>]+>", "", html)
    )
    assert page.context["latest"].period.end > earlier_quarter.end  # the latest figure is still shown
    back = back_link(html)
    assert urlsplit(back).path == reverse("performance-overview")
    assert parse_qs(urlsplit(back).query) == {k: [v] for k, v in filters.items()}
    returned = client.get(back)
    assert returned.context["selected"] == earlier_quarter and returned.context["area"] == county

    # Every filter of the scorecard carries through and back; changing the area keeps the others
    everything = {**filters, "basket": basket.slug, "status": "worse"}
    url = indicator_links(client.get(reverse("performance-overview"), everything).content.decode()).get(
        indicator.name
    )
    if url is None:  # the indicator is not in that narrowed view: open its page with the same filters
        url = (
            reverse("indicator-performance", args=[indicator.pk])
            + "?"
            + "&".join(f"{k}={v}" for k, v in everything.items())
        )
    html = client.get(url).content.decode()
    assert parse_qs(urlsplit(back_link(html)).query) == {k: [v] for k, v in everything.items()}
    for name in ("period", "basket", "status"):
        assert f'<input type="hidden" name="{name}" value="{everything[name]}">' in html


def test_without_a_period_the_page_shows_the_latest(client_for, users, demo, county):
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    page = client_for(users["viewer"]).get(
        reverse("indicator-performance", args=[indicator.pk]), {"area": county.code}
    )
    assert page.context["chosen"] is None and page.context["selected"] is None
    assert 'id="scorecard-period"' not in page.content.decode()
    assert back_link(page.content.decode()) == f"{reverse('performance-overview')}?area={county.code}"


@pytest.mark.parametrize(
    "query",
    [
        {"area": "nowhere", "period": "2016-17-Q9"},
        {
            "period": "not a period",
            "group": "99999999999999999999999",
            "basket": "<script>",
            "status": "best",
        },
        {"period": "2099-00-Q1", "group": "²", "basket": "", "status": "met\x00"},
        {"period": "1900-01-Q1"},  # a real quarter with no figures: not one of the scorecard's choices
    ],
)
def test_bad_filters_give_the_default_never_an_error(client_for, users, demo, county, query):
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    page = client_for(users["viewer"]).get(reverse("indicator-performance", args=[indicator.pk]), query)
    assert page.status_code == 200
    assert page.context["selected"] is None and page.context["chosen"] is None
    assert back_link(page.content.decode()) == f"{reverse('performance-overview')}?area={county.code}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(["area", "period", "group", "basket", "status", "format", "table"]),
        st.text(max_size=30),
        max_size=6,
    )
)
def test_any_query_string_is_answered(client_for, users, demo, query):
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    response = client_for(users["viewer"]).get(reverse("indicator-performance", args=[indicator.pk]), query)
    assert response.status_code == 200
