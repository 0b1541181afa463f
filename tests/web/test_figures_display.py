"""Which figure is shown, and how: the headline with the other sources that differ beside it, each figure's origin
and note, figures over spans with their comparison, real and synthetic never compared silently, and the
partnership's precedence of sources on the web.

On small data made here (seed-like figures), not the demo: a partnership of its own whose approved plan is the
current one for the test."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.indicators import selectors, services
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period, parse
from saferplan.plans.models import Indicator, Partnership, Plan

PUBLISHED = "Safe Durham Partnership Plan 2016-19"
POLICE = "police open data"
FIRE = "County Durham and Darlington Fire and Rescue Service"
UPDATE = "Safer Homes scrutiny update (002)"
SPAN_NOTE = "Span inferred: the project began in September 2014 and the update counts to November 2015"


@pytest.fixture
def small(db):
    return make_small_data()


def make_small_data() -> dict:
    """ASB incidents: 2014/15 synthetic only; 2015/16 published 20,649, police open data 20,900 and a synthetic
    20,000. Hoarders identified: a monthly return Dec 2014 – Nov 2015 and two spans, Sep 2013 – Nov 2014 (6) and
    Sep 2014 – Nov 2015 (110)."""
    Plan.objects.filter(status=Plan.Status.APPROVED).update(status=Plan.Status.ARCHIVED)  # rolled back after
    partnership = Partnership.objects.create(
        slug="figures-test", name="Figures Test Partnership", area="Test"
    )
    plan = Plan.objects.create(
        partnership=partnership,
        slug="figures-test-2016-19",
        title="Figures Test Plan 2016-19",
        start_year=2016,
        end_year=2019,
        status=Plan.Status.APPROVED,
    )
    area = Area.objects.create(
        partnership=partnership, code="FT000001", name="Testshire", kind=Area.Kind.PARTNERSHIP
    )
    asb = Indicator.objects.create(
        partnership=partnership,
        slug="asb",
        name="ASB incidents",
        unit="count",
        polarity="lower_is_better",
        frequency="annual",
        key_crime=True,
        order=1,
    )
    hoarders = Indicator.objects.create(
        partnership=partnership,
        slug="hoarders",
        name="Hoarders identified",
        unit="count",
        polarity="none",
        frequency="monthly",
        order=2,
    )
    record = services.observation_record
    fy14, fy15 = parse("2014/15"), parse("2015/16")
    record(indicator=asb, area=area, period=fy14, value=23000, source="Synthetic demo data", synthetic=True)
    published, _ = record(
        indicator=asb,
        area=area,
        period=fy15,
        value=20649,
        source=PUBLISHED,
        origin="published",
        reference="20,649 incidents in 2015/16, a reduction of 11.2%",
        note="Published for the partnership area as a whole",
    )
    police, _ = record(indicator=asb, area=area, period=fy15, value=20900, source=POLICE, origin="police")
    synthetic, _ = record(
        indicator=asb, area=area, period=fy15, value=20000, source="Synthetic demo data", synthetic=True
    )
    for month in Period.span(2014, 12, 2015, 11).months():
        record(indicator=hoarders, area=area, period=month, value=8, source=FIRE, origin="return")
    record(
        indicator=hoarders,
        area=area,
        period=Period.span(2013, 9, 2014, 11),
        value=6,
        source=UPDATE,
        origin="published",
        reference="110 hoarders who have been identified compared to 6 during the same period last year",
        note="The same period a year earlier, as the update compares",
    )
    span, _ = record(
        indicator=hoarders,
        area=area,
        period=Period.span(2014, 9, 2015, 11),
        value=110,
        source=UPDATE,
        origin="published",
        reference="As of November 2015 ... 110 hoarders who have been identified",
        note=SPAN_NOTE,
    )
    users = {
        role: User.objects.create_user(username=f"figures-{role}", password="a-long-test-password", role=role)
        for role in User.Role.values
    }
    return {
        "partnership": partnership,
        "plan": plan,
        "area": area,
        "asb": asb,
        "hoarders": hoarders,
        "published": published,
        "police": police,
        "synthetic": synthetic,
        "span": span,
        "users": users,
    }


def text_of(response) -> str:
    """The page's text, tags removed and spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def table_after(html: str, heading: str) -> str:
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}</h2>.*?(<table.*?</table>)", html, re.S)
    assert match, heading
    return match[1]


def rows_of(table: str) -> list[str]:
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", r)).split())
        for r in re.findall(r"<tr.*?</tr>", table, re.S)
    ]


def figures_page(client, indicator, area):
    return client.get(reverse("indicator-performance", args=[indicator.pk]), {"area": area.code})


def test_the_page_shows_the_headline_with_the_other_sources_origin_and_note(small, client):
    client.force_login(small["users"]["viewer"])
    response = figures_page(client, small["asb"], small["area"])
    assert response.status_code == 200
    html = response.content.decode()
    # The headline is the published figure: the summary, the figures table and the every-source table say so.
    assert "2015/16: 20,649." in text_of(response)
    figures = rows_of(table_after(html, "Figures"))
    row = next(r for r in figures if r.startswith("2015/16 "))
    assert row.startswith("2015/16 20,649 ")
    assert f"Published figure, {PUBLISHED} Published for the partnership area as a whole" in row
    # The other sources that differ, beside it; the synthetic one labelled.
    assert "Police open data: 20,900" in row and "Synthetic demo data: 20,000" in row
    earlier = next(r for r in figures if r.startswith("2014/15 "))
    assert "Synthetic" in earlier and "Synthetic demo figure, Synthetic demo data" in earlier
    every = rows_of(table_after(html, "Every source"))
    police = next(r for r in every if POLICE in r)
    assert police.startswith(f"Apr 2015 – Mar 2016 {POLICE} 20,900 +251 ") and police.endswith(
        "Police open data"
    )
    headline = next(r for r in every if PUBLISHED in r)
    assert "Headline" in headline and headline.endswith(
        "Published figure Published for the partnership area as a whole"
    )
    # The partnership's order of sources is stated; only analysts and administrators get the link to change it.
    assert (
        "the headline is the first in the partnership's order: Published figure, Partner's return, Casework "
        "records, Derived from published figures, Police open data, then synthetic demo figures, always last"
        in text_of(response)
    )
    assert reverse("figure-precedence") not in html


def test_a_mixed_comparison_says_so_in_the_sentence_the_cells_and_the_export(small, client):
    client.force_login(small["users"]["board_member"])
    page = text_of(figures_page(client, small["asb"], small["area"]))
    sentence = "Lower than the same period last year (−10.2%; the earlier figure is synthetic demo data)"
    assert sentence in page
    by_year = rows_of(
        table_after(figures_page(client, small["asb"], small["area"]).content.decode(), "By year")
    )
    assert any(
        r.startswith("2015/16 20,649 −2,351 The earlier figure is synthetic demo data") for r in by_year
    ), by_year

    query = {"area": small["area"].code, "period": "FY-2015-16"}
    overview = client.get(reverse("performance-overview"), query)
    assert overview.status_code == 200
    rows = rows_of(overview.content.decode())
    asb = next(r for r in rows if r.startswith("ASB incidents "))
    # The headline with the other real source that differs under it (the synthetic alternative is only on the
    # indicator's page).
    assert asb.startswith("ASB incidents 2015/16 20,649 Police open data gives 20,900 for 2015/16 −2,351")
    assert "−2,351 (−10.2%) The earlier figure is synthetic demo data" in asb
    assert asb.endswith("Published figure")

    export = client.get(reverse("performance-overview"), {**query, "format": "csv"})
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    header = lines[1]
    row = dict(zip(header, next(r for r in lines[2:] if r[1] == "ASB incidents"), strict=True))
    assert row["Value"] == "20649" and row["Same period last year"] == "23000"
    assert row["Comparison"] == "the earlier figure is synthetic demo data"
    assert sentence in row["Summary"]
    assert row["Origin"] == "Published figure" and row["Synthetic demo data"] == "no"
    assert row["Other sources that differ"] == (
        f"Police open data gives 20,900 for 2015/16 (the headline is 20,649, from {PUBLISHED})"
    )

    from openpyxl import load_workbook

    xlsx = client.get(reverse("performance-overview"), {**query, "format": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    cells = dict(zip(sheet[1], next(r for r in sheet[2:] if r[1] == "ASB incidents"), strict=True))
    assert cells["Comparison"] == "the earlier figure is synthetic demo data" and cells["Value"] == 20649


def test_figures_over_spans_are_shown_with_the_same_span_a_year_earlier_and_kept_out_of_the_series(
    small, client
):
    client.force_login(small["users"]["viewer"])
    response = figures_page(client, small["hoarders"], small["area"])
    html = response.content.decode()
    spans = rows_of(table_after(html, "Figures over other spans"))
    assert spans[0].startswith("Span Figure Same span a year earlier Change Source Quote or reference Note")
    assert spans[1] == (
        f"Sep 2014 – Nov 2015 110 6 Sep 2013 – Nov 2014 +104 (+1733.3%) {UPDATE} Published figure "
        f"As of November 2015 ... 110 hoarders who have been identified {SPAN_NOTE}"
    )
    assert spans[2].startswith("Sep 2013 – Nov 2014 6 – No figure for the same span a year earlier")
    # Not in the monthly figures, the chart or the latest figure.
    figures = rows_of(table_after(html, "Figures"))
    assert len(figures) == 1 + 12 and all(" – " not in r.split(" 8 ")[0] for r in figures[1:])
    assert "Nov 2015: 8." in text_of(response)
    chart = re.search(r"<svg.*?</svg>", html, re.S)[0]
    assert (
        "Nov 2015" in chart
        and "Sep 2014 – Nov 2015" not in chart
        and "110" not in re.sub(r"<[^>]+>", "", chart)
    )
    # The selectors: no span in the headline series or the SPC series; the span with its comparison.
    key = (small["hoarders"].pk, small["area"].pk)
    series = selectors.headline_series([key[0]], [key[1]])[key]
    assert {p.period.kind.value for p in series} == {"month"}
    rows = selectors.assess_indicators([small["hoarders"]], small["area"], parse("Nov 2015"))
    assert [p.period.label for p in rows[key[0]].series][-1] == "Nov 2015" and len(rows[key[0]].series) == 12
    (latest, earlier) = selectors.span_figures([key[0]], [key[1]])[key]
    assert latest.observation == small["span"] and latest.earlier.value == 6
    assert latest.change.absolute == 104 and not latest.change.mixed
    assert earlier.earlier is None and earlier.change is None
    # The period filter of the overview ends with the last regular figure, not a later span's end.
    services.observation_record(
        indicator=small["hoarders"],
        area=small["area"],
        period=Period.span(2016, 1, 2016, 8),
        value=5,
        source=UPDATE,
        origin="published",
    )
    assert max(p.end for p in selectors.reporting_periods(small["plan"], small["area"])).isoformat() == (
        "2016-03-31"
    )


def test_other_sources_selector_in_one_query(small, django_assert_num_queries):
    asb, area = small["asb"], small["area"]
    with django_assert_num_queries(1):
        others = selectors.other_sources([asb.pk, small["hoarders"].pk], [area.pk])
    (police, synthetic) = sorted(others[(asb.pk, area.pk)], key=lambda o: o.value, reverse=True)
    assert police.sentence("count") == (
        f"Police open data gives 20,900 for 2015/16 (the headline is 20,649, from {PUBLISHED})"
    )
    assert synthetic.synthetic and synthetic.who == "Synthetic demo data"
    real_only = selectors.other_sources([asb.pk], [area.pk], synthetic=False)
    assert [o.source for o in real_only[(asb.pk, area.pk)]] == [POLICE]
    # Within a period: the figures of that period or inside it only.
    assert selectors.other_sources([asb.pk], [area.pk], within={asb.pk: parse("2014/15")}) == {}
    # A figure equal to the headline is not listed.
    services.observation_record(indicator=asb, area=area, period=parse("2015/16"), value=20649, source="Copy")
    assert "Copy" not in [o.source for o in selectors.other_sources([asb.pk], [area.pk])[(asb.pk, area.pk)]]


def test_the_precedence_page_changes_the_headline_and_keeps_the_change(small, client):
    asb, area, analyst = small["asb"], small["area"], small["users"]["analyst"]
    url = reverse("figure-precedence")
    client.force_login(analyst)
    page = client.get(url)
    assert page.status_code == 200
    assert "Synthetic demo figure: a synthetic figure is never the headline" in text_of(page)
    assert "The order has not been changed: it is the default." in text_of(page)
    # Choosing one kind twice is refused, nothing changes.
    twice = {"position_1": "police", "position_2": "police", "position_3": "return", "position_4": "derived"}
    refused = client.post(url, twice)
    assert refused.status_code == 400 and "Error: " in refused.content.decode()
    assert "Police open data is already first: choose each kind of figure once" in text_of(refused)
    small["partnership"].refresh_from_db()
    assert small["partnership"].figure_precedence == []
    # Police open data first: its figure becomes the headline for 2015/16.
    order = {
        "position_1": "police",
        "position_2": "published",
        "position_3": "return",
        "position_4": "casework",
        "position_5": "derived",
    }
    response = client.post(url, order)
    assert response.status_code == 302 and response.url == url
    headline = Observation.objects.get(indicator=asb, area=area, period="FY-2015-16", headline=True)
    assert headline.source == POLICE and headline.value == 20900
    small["partnership"].refresh_from_db()
    assert small["partnership"].figure_precedence == ["police", "published", "return", "casework", "derived"]
    latest = small["partnership"].history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == analyst and latest.figure_precedence[0] == "police"
    after = text_of(client.get(url))
    assert (
        f"{analyst}: Police open data, Published figure, Partner's return, Casework records, Derived from "
        "published figures, Synthetic demo figure" in after
    )
    # The figures page now shows the police figure as the headline, the published one beside it.
    figures = rows_of(table_after(figures_page(client, asb, area).content.decode(), "Figures"))
    row = next(r for r in figures if r.startswith("2015/16 "))
    assert row.startswith("2015/16 20,900 ") and f"{PUBLISHED} (published figure): 20,649" in row
    assert reverse("figure-precedence") in figures_page(client, asb, area).content.decode()


@pytest.mark.parametrize("role", ["data_provider", "viewer", "board_member", "group_lead"])
def test_the_precedence_page_is_refused_to_everyone_but_analysts_and_administrators(small, client, role):
    client.force_login(small["users"][role])
    url = reverse("figure-precedence")
    assert client.get(url).status_code == 403
    order = {
        "position_1": "police",
        "position_2": "published",
        "position_3": "return",
        "position_4": "derived",
    }
    assert client.post(url, order).status_code == 403
    small["partnership"].refresh_from_db()
    assert small["partnership"].figure_precedence == []
    assert (
        Observation.objects.get(indicator=small["asb"], period="FY-2015-16", headline=True).source
        == PUBLISHED
    )
    client.force_login(small["users"]["administrator"])
    assert client.get(url).status_code == 200


def test_a_synthetic_figure_cannot_be_made_headline_over_a_real_one(small, client):
    client.force_login(small["users"]["analyst"])
    synthetic, police = small["synthetic"], small["police"]
    page = figures_page(client, small["asb"], small["area"]).content.decode()
    # No button for it; a button for the real police figure.
    assert reverse("observation-headline", args=[synthetic.pk]) not in page
    assert reverse("observation-headline", args=[police.pk]) in page
    assert "Synthetic: cannot be the headline while a real figure is recorded" in unescape(page)
    # Posted anyway: a clear error on the page, not a server error, and nothing changes.
    response = client.post(reverse("observation-headline", args=[synthetic.pk]))
    assert response.status_code == 400
    text = text_of(response)
    assert "There is a problem" in text
    assert (
        "The figure from Synthetic demo data for 2015/16 is synthetic demo data, so it cannot be the headline "
        "while a real figure for the same period is recorded" in text
    )
    synthetic.refresh_from_db()
    assert not synthetic.headline and not synthetic.headline_chosen
    assert (
        Observation.objects.get(indicator=small["asb"], period="FY-2015-16", headline=True).source
        == PUBLISHED
    )
    # A real one can be chosen.
    response = client.post(reverse("observation-headline", args=[police.pk]))
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.headline and police.headline_chosen


@pytest.mark.parametrize(
    "posted",
    [
        {},
        {
            "position_1": "synthetic",
            "position_2": "published",
            "position_3": "return",
            "position_4": "derived",
        },
        {"position_1": "police", "position_2": "published", "position_3": "return"},
        {"position_1": "x" * 5000, "position_2": "", "position_3": "\x00", "position_4": "derived"},
        {"position_1": ["police", "published"], "position_2": "return", "position_3": "derived"},
    ],
)
def test_a_bad_order_is_refused_with_its_reason_and_changes_nothing(small, client, posted):
    client.force_login(small["users"]["administrator"])
    response = client.post(reverse("figure-precedence"), posted)
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    small["partnership"].refresh_from_db()
    assert small["partnership"].figure_precedence == []
    assert small["partnership"].history.count() == 1  # created, never changed
    headline = Observation.objects.get(indicator=small["asb"], period="FY-2015-16", headline=True)
    assert headline.source == PUBLISHED
