"""The scorecard (the performance overview): each indicator's target status, direction of travel (arrow, colour
and words that agree with the figures and the indicator's polarity), sparkline and whether the change is real;
filters kept in the query string; the default period is the latest with real figures; a fixed number of queries.

On figures recorded here (a partnership of its own whose approved plan is the current one for the test), not the
demo's."""

import csv
import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.indicators import services
from saferplan.indicators.periods import parse
from saferplan.plans.models import Basket, BasketIndicator, Indicator, Partnership, Plan

NOW, YEAR_AGO = "Q1 2016/17", "Q1 2015/16"
# name: (polarity, figure a year ago, figure now); counts, so each has a 95% (Poisson) confidence interval:
# 100 is 81–122 and 200 is 173–230, apart; 100 and 104 overlap.
CASES = {
    "Victims supported": ("higher_is_better", 100, 200),  # up, good
    "Cases closed": ("higher_is_better", 200, 100),  # down, bad
    "Burglaries": ("lower_is_better", 200, 100),  # down, good
    "Assaults": ("lower_is_better", 100, 200),  # up, bad
    "Thefts": ("lower_is_better", 100, 104),  # up, within normal variation
}
# The 13 quarters Q1 2013/14 – Q1 2016/17 of "Victims supported", for its sparkline.
VICTIMS_SERIES = [90, 95, 92, 98, 96, 99, 97, 101, 100, 120, 150, 180, 200]


def record(indicator, area, period: str, value, synthetic=False):
    services.observation_record(
        indicator=indicator,
        area=area,
        period=parse(period),
        value=value,
        source="Synthetic demo data" if synthetic else "Test return",
        origin=None if synthetic else "return",
        synthetic=synthetic,
    )


def add_indicator(partnership, area, name, polarity, before, now, order):
    indicator = Indicator.objects.create(
        partnership=partnership,
        slug=re.sub(r"\W+", "-", name.lower()),
        name=name,
        unit="count",
        polarity=polarity,
        frequency="quarterly",
        order=order,
    )
    record(indicator, area, YEAR_AGO, before)
    record(indicator, area, NOW, now)
    return indicator


@pytest.fixture
def card(db):
    Plan.objects.filter(status=Plan.Status.APPROVED).update(status=Plan.Status.ARCHIVED)  # rolled back after
    partnership = Partnership.objects.create(slug="scorecard-test", name="Scorecard Test", area="Test")
    Plan.objects.create(
        partnership=partnership,
        slug="scorecard-test-2016-19",
        title="Scorecard Test Plan 2016-19",
        start_year=2016,
        end_year=2019,
        status=Plan.Status.APPROVED,
    )
    area = Area.objects.create(
        partnership=partnership, code="SC000001", name="Testshire", kind=Area.Kind.PARTNERSHIP
    )
    indicators = {
        name: add_indicator(partnership, area, name, polarity, before, now, order)
        for order, (name, (polarity, before, now)) in enumerate(CASES.items())
    }
    victims = indicators["Victims supported"]
    quarters = [f"Q{q} {y}/{(y + 1) % 100:02d}" for y in (2013, 2014, 2015) for q in (1, 2, 3, 4)] + [NOW]
    for period, value in zip(quarters, VICTIMS_SERIES, strict=True):
        if period not in (NOW, YEAR_AGO):
            record(victims, area, period, value)
    services.target_set(indicator=victims, area=area, value=180, period=parse(NOW))
    services.target_set(indicator=indicators["Cases closed"], area=area, value=150, period=parse(NOW))
    # A later synthetic figure must not move the default period.
    record(indicators["Thefts"], area, "Q3 2016/17", 90, synthetic=True)
    basket = Basket.objects.create(
        partnership=partnership, slug="board", name="Board basket", audience="Board"
    )
    BasketIndicator.objects.create(basket=basket, indicator=indicators["Burglaries"], order=1)
    viewer = User.objects.create_user(username="card-viewer", password="a-long-test-password", role="viewer")
    return {"partnership": partnership, "area": area, "indicators": indicators, "viewer": viewer}


def page(client, card, **query):
    client.force_login(card["viewer"])
    response = client.get(reverse("performance-overview"), query)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def rows(html: str) -> dict[str, str]:
    """{indicator name: the row's HTML} for the scorecard's body rows."""
    found = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S):
        name = re.search(r'<a class="govuk-link" href="/indicators/\d+/figures/[^"]*">([^<]+)</a>', row)
        if name:
            found[unescape(name[1])] = row
    return found


def direction_cell(row: str) -> tuple[str, str, str, str]:
    """(data-arrow, the arrow drawn, the colour class, the words) of a row's direction of travel."""
    cell = re.search(
        r'<td class="govuk-table__cell" data-arrow="(\w*)" data-tone="\w*">(.*?)</td>', row, re.S
    )
    assert cell, row
    drawn = re.search(r'class="app-travel__arrow" aria-hidden="true">(.)</span>', cell[2])
    colour = re.search(r'class="app-travel app-travel--(\w+)"', cell[2])
    words = re.search(r"</span> ([^<]+)</span>", cell[2])
    return cell[1], drawn[1], colour[1], words[1]


@pytest.mark.parametrize(
    "name, arrow, colour, words",
    [
        ("Victims supported", "↑", "good", "Better than a year ago"),
        ("Cases closed", "↓", "bad", "Worse than a year ago"),
        ("Burglaries", "↓", "good", "Better than a year ago"),
        ("Assaults", "↑", "bad", "Worse than a year ago"),
        ("Thefts", "↑", "neutral", "No real change"),
    ],
)
def test_arrow_colour_and_words_agree_with_the_figures_and_polarity(card, client, name, arrow, colour, words):
    row = rows(page(client, card))[name]
    polarity, before, now = CASES[name]
    data_arrow, drawn, shown_colour, shown_words = direction_cell(row)
    # The arrow follows the figure itself, whatever the polarity.
    assert data_arrow == ("up" if now > before else "down")
    assert drawn == arrow
    assert shown_colour == colour and shown_words == words
    assert f"{'Up' if now > before else 'Down'} from {before} in {YEAR_AGO}" in text(row)
    real = "Within normal variation" if name == "Thefts" else "A real change, not noise"
    assert f"{real} Judged by confidence intervals" in text(row)
    assert reverse("help-significance") in row


def test_target_status_states_the_target_and_its_period(card, client):
    found = rows(page(client, card))
    assert "Target met Target 180 for Q1 2016/17" in text(found["Victims supported"])
    assert "Target not met Target 150 for Q1 2016/17" in text(found["Cases closed"])
    assert 'data-target="no target"' in found["Burglaries"]
    assert text(found["Burglaries"]).count("No target") == 1


def test_sparkline_draws_the_last_13_figures_and_lists_them(card, client):
    row = rows(page(client, card))["Victims supported"]
    svg = re.search(r"<svg [^>]*role=\"img\"[^>]*>.*?</svg>", row, re.S)
    assert svg
    assert 'aria-label="Line chart of the last 13 figures, Q1 2013/14 to Q1 2016/17"' in svg[0]
    assert len(re.findall(r"<circle ", svg[0])) == 13
    listed = re.findall(r"<li>(Q\d \d{4}/\d\d): ([\d,]+)</li>", row)
    assert [int(v) for _, v in listed] == VICTIMS_SERIES
    assert listed[0][0] == "Q1 2013/14" and listed[-1][0] == NOW
    # Two figures draw a line too; only the last 13 are ever drawn.
    assert "Line chart of the last 2 figures" in rows(page(client, card))["Assaults"]


def test_default_period_is_the_latest_with_real_figures(card, client):
    html = page(client, card)
    assert '<h2 class="govuk-heading-l">Testshire, Q1 2016/17</h2>' in html
    assert re.search(r'<option value="2016-17-Q1" selected>', html)
    later = page(client, card, period="2016-17-Q3")
    assert "Testshire, Q3 2016/17" in later


def test_filters_narrow_the_rows_and_survive_in_links(card, client):
    everything = page(client, card)
    assert set(rows(everything)) == set(CASES)
    # The counts at a glance, each a link to the rows it counts.
    glance = text(everything)
    assert "5 indicators shown Target met: 1 ; target not met: 1 ; no target: 3" in glance
    assert "Better than a year ago: 2 ; worse than a year ago: 2" in glance
    assert 'href="?area=SC000001&amp;period=2016-17-Q1&amp;status=better"' in everything
    better = page(client, card, status="better")
    assert set(rows(better)) == {"Victims supported", "Burglaries"}
    assert set(rows(page(client, card, status="worse"))) == {"Cases closed", "Assaults"}
    assert set(rows(page(client, card, status="met"))) == {"Victims supported"}
    assert set(rows(page(client, card, status="not-met"))) == {"Cases closed"}
    assert set(rows(page(client, card, status="no-target"))) == {"Burglaries", "Assaults", "Thefts"}
    in_basket = page(client, card, basket="board", status="better")
    assert set(rows(in_basket)) == {"Burglaries"}
    assert "Showing only: Board basket and Better than a year ago." in text(in_basket)
    # The form shows the filters, and the download and share links carry them.
    assert re.search(r'<option value="board" selected>', in_basket)
    assert re.search(r'<option value="better" selected>', in_basket)
    query = "area=SC000001&amp;period=2016-17-Q1&amp;basket=board&amp;status=better"
    assert f'href="?{query}&amp;format=csv"' in in_basket
    assert f'href="?{query}"' in in_basket

    client.force_login(card["viewer"])
    export = client.get(
        reverse("performance-overview"), {"basket": "board", "status": "better", "format": "csv"}
    )
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    header, body = lines[1], lines[2:]
    assert [r[1] for r in body] == ["Burglaries"]
    cells = dict(zip(header, body[0], strict=True))
    assert cells["Value"] == "100" and cells["Same period last year"] == "200"
    assert cells["Direction of travel in words"] == "Better than a year ago"
    assert cells["Is the change real"] == "A real change, not noise"

    from openpyxl import load_workbook

    xlsx = client.get(reverse("performance-overview"), {"status": "met", "format": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    cells = dict(zip(sheet[1], sheet[2], strict=True))
    assert cells["Indicator"] == "Victims supported" and cells["Value"] == 200 and cells["Target"] == 180
    assert cells["Against target"] == "Target met" and cells["Target and its period"] == "180 for Q1 2016/17"


def test_the_explanation_page_says_what_a_real_change_is(card, client):
    client.force_login(card["viewer"])
    response = client.get(reverse("help-significance"))
    assert response.status_code == 200
    words = text(response.content.decode())
    assert "A real change, not noise" in words and "within normal variation" in words
    assert "If the two ranges do not overlap" in words


def test_the_scorecard_runs_a_fixed_number_of_queries(card, client):
    client.force_login(card["viewer"])

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("performance-overview")).status_code == 200
        return len(queries)

    before = count()
    for k in range(6):
        add_indicator(card["partnership"], card["area"], f"More {k}", "lower_is_better", 50, 60 + k, 10 + k)
    assert len(rows(page(client, card))) == len(CASES) + 6
    assert count() == before


def test_without_confidence_intervals_spc_decides_whether_the_change_is_real(card, client):
    """A percentage without counts has no confidence interval: the run of quarterly figures (SPC) decides."""
    satisfaction = Indicator.objects.create(
        partnership=card["partnership"],
        slug="satisfaction",
        name="Victims satisfied",
        unit="percentage",
        polarity="higher_is_better",
        frequency="quarterly",
        order=20,
    )
    steady = [50, 51, 49, 50, 52, 48, 50, 51, 49, 50, 51, 49]
    quarters = [f"Q{q} {y}/{(y + 1) % 100:02d}" for y in (2013, 2014, 2015) for q in (1, 2, 3, 4)]
    for period, value in zip(quarters, steady, strict=True):
        record(satisfaction, card["area"], period, value)
    record(satisfaction, card["area"], NOW, 80)
    row = rows(page(client, card))["Victims satisfied"]
    assert direction_cell(row)[1:] == ("↑", "good", "Better than a year ago")
    assert "A real change, not noise Judged by SPC" in text(row)
    assert "Up from 49.0% in Q1 2015/16" in text(row)


def test_an_indicator_with_no_better_direction_is_never_good_or_bad(card, client):
    add_indicator(card["partnership"], card["area"], "Calls received", "none", 100, 200, 30)
    row = rows(page(client, card))["Calls received"]
    assert direction_cell(row) == ("up", "↑", "neutral", "Higher than a year ago")
    assert 'data-tone="neutral"' in row
