"""Which figure counts, and what a figure may be: precedence of origins, bounds, part-of relations, spans and
unusual figures (saferplan.indicators.rules and services; issue 14 parts 1 and 2)."""

from datetime import date

import pytest
from django.urls import reverse

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.core.importing import DocumentError
from saferplan.indicators import data_returns, rules, services
from saferplan.indicators.models import DataReturn, Observation
from saferplan.indicators.periods import Kind, Period, parse
from saferplan.plans.models import Indicator

# ------------------------------------------------------------------------------------------ pure rules

CRIME = rules.IndicatorRule(1, "All crime", "count", "monthly")
THEFT = rules.IndicatorRule(2, "Theft", "count", "monthly", part_of=1)
DEATHS = rules.IndicatorRule(3, "Deaths in dwelling fires", "count", "quarterly", maximum=5)
SHARE = rules.IndicatorRule(4, "Share", "percentage", "quarterly")
RATE = rules.IndicatorRule(5, "Crime rate", "rate_per_1000", "monthly")
CHANGE = rules.IndicatorRule(6, "IOM change", "percentage_change", "annual")
COUNTY = rules.AreaRule(10, "County Durham")
TOWN = rules.AreaRule(11, "Stanley", parent=10)
VILLAGE = rules.AreaRule(12, "Weardale", parent=10)
MAR = Period.month(2016, 3)
FEB = Period.month(2016, 2)
Q4 = Period.quarter(2015, 4)
YEAR = Period.financial_year(2015)


def checker(*figures):
    indicators = {r.pk: r for r in (CRIME, THEFT, DEATHS, SHARE, RATE, CHANGE)}
    areas = {a.pk: a for a in (COUNTY, TOWN, VILLAGE)}
    return rules.Checker(indicators, areas, list(figures))


def fig(indicator, area, period, value, synthetic=False, source="Durham Constabulary"):
    return rules.Figure(indicator.pk, area.pk, period, value, source, synthetic)


@pytest.mark.parametrize(
    "rule, period, value, expected",
    [
        (CRIME, MAR, -1, "a count cannot be negative"),
        (CRIME, MAR, 2.5, "a count must be a whole number"),
        (SHARE, Q4, 100.1, "a percentage must be between 0 and 100"),
        (SHARE, Q4, -0.1, "a percentage must be between 0 and 100"),
        (RATE, MAR, -0.01, "a rate cannot be negative"),
        (CHANGE, YEAR, -100.5, "a fall of more than 100% is impossible"),
        (DEATHS, Q4, 6, "more than the highest plausible figure the partnership set, 5 (5 a quarter)"),
        (DEATHS, YEAR, 21, "more than the highest plausible figure the partnership set, 20 for 12 months"),
    ],
)
def test_bounds_refuse_impossible_values(rule, period, value, expected):
    problems = rules.bound_problems(rule, period, value)
    assert len(problems) == 1 and problems[0].startswith(expected)


@pytest.mark.parametrize(
    "rule, period, value",
    [
        (CRIME, MAR, 0),
        (SHARE, Q4, 100),
        (RATE, MAR, 0),
        (CHANGE, YEAR, -55),
        (DEATHS, Q4, 5),
        (DEATHS, YEAR, 20),
    ],
)
def test_bounds_accept_plausible_values(rule, period, value):
    assert rules.bound_problems(rule, period, value) == []


def test_a_part_is_never_more_than_its_whole_and_the_message_names_both():
    crime, theft = fig(CRIME, COUNTY, MAR, 2652), fig(THEFT, COUNTY, MAR, 2700)
    problems = checker(crime, theft).problems(theft)
    assert problems == [
        "Theft, County Durham, Mar 2016: 2,700 (Durham Constabulary) is more than All crime, County Durham, "
        "Mar 2016: 2,652 (Durham Constabulary): Theft is part of All crime"
    ]
    # the same breach is found from the whole's side, and not at all when the part fits
    assert checker(crime, theft).problems(crime) == problems
    assert checker(crime, fig(THEFT, COUNTY, MAR, 900)).all_problems() == []
    # another period or area is not compared
    assert checker(crime, fig(THEFT, COUNTY, FEB, 2700)).all_problems() == []


def test_localities_fit_inside_the_county():
    county = fig(CRIME, COUNTY, MAR, 100)
    town, village = fig(CRIME, TOWN, MAR, 60), fig(CRIME, VILLAGE, MAR, 50)
    problems = [m for _, m in checker(county, town, village).all_problems()]
    assert problems == [
        "The areas of County Durham add up to 110 (All crime, Stanley, Mar 2016: 60 (Durham Constabulary), "
        "All crime, Weardale, Mar 2016: 50 (Durham Constabulary)), more than All crime, County Durham, "
        "Mar 2016: 100 (Durham Constabulary), which they are part of"
    ]
    assert (
        "Stanley is part of County Durham" in checker(county, fig(CRIME, TOWN, MAR, 101)).problems(county)[0]
    )
    assert checker(county, fig(CRIME, TOWN, MAR, 60), fig(CRIME, VILLAGE, MAR, 40)).all_problems() == []
    # rates of a locality may be higher than the county's: only counts add up
    assert checker(fig(RATE, COUNTY, MAR, 5.0), fig(RATE, TOWN, MAR, 9.0)).all_problems() == []


def test_months_fit_inside_their_year():
    year = fig(CRIME, COUNTY, YEAR, 28690)
    months = [fig(CRIME, COUNTY, m, 2400) for m in YEAR.months()]  # 28,800
    problems = [m for _, m in checker(year, *months).all_problems()]
    assert len(problems) == 1 and problems[0].startswith("The months add up to 28,800")
    assert "2015/16: 28,690" in problems[0]
    too_big = fig(CRIME, COUNTY, MAR, 30000)
    assert "Mar 2016 is part of 2015/16" in checker(year, too_big).problems(too_big)[0]
    assert checker(year, *[fig(CRIME, COUNTY, m, 2390) for m in YEAR.months()]).all_problems() == []


def test_real_figures_answer_to_real_ones_and_synthetic_figures_to_all():
    real_whole = fig(CRIME, COUNTY, MAR, 2652)
    synthetic_part = fig(THEFT, COUNTY, MAR, 3000, synthetic=True, source="Synthetic demo data")
    check = checker(real_whole, synthetic_part)
    assert check.problems(synthetic_part)  # a synthetic figure must fit the real one
    assert "(synthetic demo figure)" in check.problems(synthetic_part)[0]
    real_part = fig(THEFT, COUNTY, MAR, 3000)
    synthetic_whole = fig(CRIME, COUNTY, MAR, 2000, synthetic=True)
    assert checker(real_part, synthetic_whole).problems(real_part) == []  # never the other way round
    assert checker(real_part, synthetic_whole).problems(synthetic_whole)


def test_sources_that_count_differently_are_not_held_to_each_other():
    """A year of police.uk months may add up to more than the force's published year: shown side by side on
    the pages, not refused."""
    year = fig(CRIME, COUNTY, YEAR, 28690, source="Durham Constabulary")
    months = [fig(CRIME, COUNTY, m, 2652, source="police open data") for m in YEAR.months()]
    assert checker(year, *months).all_problems() == []
    # within one source the months must fit
    own = [fig(CRIME, COUNTY, m, 2652, source="Durham Constabulary") for m in YEAR.months()]
    assert checker(year, *own).all_problems()


def test_unusual_figures_are_far_outside_their_series():
    history = [fig(CRIME, COUNTY, Period.month(2015, m), 2400) for m in range(4, 13)]
    assert rules.unusual(CRIME, fig(CRIME, COUNTY, MAR, 2500), history) == ""
    reason = rules.unusual(CRIME, fig(CRIME, COUNTY, MAR, 24000), history)
    assert "far outside its series" in reason and "median of the previous 9 figures is 2,400" in reason
    assert rules.unusual(CRIME, fig(CRIME, COUNTY, MAR, 700), history)  # less than a third
    assert rules.unusual(CRIME, fig(CRIME, COUNTY, MAR, 24000), history[:5]) == ""  # too little history
    assert rules.unusual(CHANGE, fig(CHANGE, COUNTY, MAR, -99), history) == ""  # not screened


# ------------------------------------------------------------------------------------------ stored figures


@pytest.fixture
def setup(demo):
    """Two indicators of the demo partnership made for these tests (all crime and its part, theft), County
    Durham and one of its localities, and an organisation that supplies them."""
    partnership = demo.partnership
    org = Organisation.objects.get(slug="durham-constabulary")
    whole = Indicator.objects.create(
        partnership=partnership, slug="t-crimes", name="Test crimes", unit="count", polarity="lower_is_better",
        frequency="monthly", source=org,
    )  # fmt: skip
    part = Indicator.objects.create(
        partnership=partnership, slug="t-thefts", name="Test thefts", unit="count", polarity="lower_is_better",
        frequency="monthly", source=org, part_of=whole, maximum=5000,
    )  # fmt: skip
    county = Area.objects.get(code="E06000047")
    locality = county.children.order_by("order").first()
    return {
        "org": org,
        "whole": whole,
        "part": part,
        "county": county,
        "locality": locality,
        "p": partnership,
    }


def record(s, indicator, value, origin, period=MAR, source=None, area=None, **extra):
    source = source or {"synthetic": "Synthetic demo data", "police": "police open data"}.get(
        origin, "Durham"
    )
    return services.observation_record(
        indicator=s[indicator], area=area or s["county"], period=period, value=value, source=source,
        origin=origin, **extra,
    )[0]  # fmt: skip


def headline(s, indicator="whole", period=MAR):
    return Observation.objects.get(
        indicator=s[indicator], area=s["county"], period=period.code, headline=True
    )


def test_a_real_figure_outranks_a_synthetic_one_recorded_first(setup):
    record(setup, "whole", 2400, "synthetic")
    assert headline(setup).origin == "synthetic"
    record(setup, "whole", 2652, "police")
    assert (headline(setup).origin, headline(setup).value) == ("police", 2652)
    record(setup, "whole", 2600, "published", source="Durham Constabulary")
    assert headline(setup).origin == "published"  # a published figure before police open data
    assert Observation.objects.filter(indicator=setup["whole"], period=MAR.code).count() == 3


def test_the_partnership_changes_the_precedence_and_synthetic_stays_last(setup):
    record(setup, "whole", 2652, "police")
    record(setup, "whole", 2600, "published", source="Durham Constabulary")
    record(setup, "whole", 2500, "synthetic")
    order = services.partnership_set_precedence(partnership=setup["p"], order=["police", "published"])
    assert order == ["police", "published", "return", "casework", "derived", "synthetic"]
    assert headline(setup).origin == "police"
    assert setup["p"].history.first().figure_precedence == ["police", "published"]  # the change is in history
    with pytest.raises(ValueError, match="never come before a real one"):
        services.partnership_set_precedence(partnership=setup["p"], order=["synthetic", "police"])
    with pytest.raises(ValueError, match="unknown kind of figure 'guess'"):
        services.partnership_set_precedence(partnership=setup["p"], order=["guess"])
    services.partnership_set_precedence(partnership=setup["p"], order=[])
    assert headline(setup).origin == "published"


def test_an_analyst_chooses_among_real_figures_but_never_a_synthetic_one(setup):
    police = record(setup, "whole", 2652, "police")
    record(setup, "whole", 2600, "published", source="Durham Constabulary")
    services.observation_make_headline(observation=police)
    assert headline(setup).pk == police.pk
    synthetic = record(setup, "whole", 2500, "synthetic")
    with pytest.raises(ValueError, match="cannot be the headline while a real figure"):
        services.observation_make_headline(observation=synthetic)
    assert headline(setup).pk == police.pk


def test_recording_a_figure_that_breaks_a_rule_writes_nothing(setup):
    record(setup, "whole", 2652, "police")
    before = Observation.objects.count()
    with pytest.raises(rules.FigureRefused) as refused:
        record(setup, "part", 2700, "police")
    assert "Test thefts, County Durham, Mar 2016: 2,700" in str(refused.value)
    assert "Test crimes, County Durham, Mar 2016: 2,652" in str(refused.value)
    with pytest.raises(rules.FigureRefused, match="highest plausible figure the partnership set, 5,000"):
        record(setup, "part", 5001, "published")
    assert Observation.objects.count() == before


HEADER = "indicator,area,period,value\n"


def send(setup, text, **extra):
    return data_returns.import_data_return(
        "return.csv", text.encode(), organisation=setup["org"], partnership=setup["p"], **extra
    )


def test_a_data_return_that_breaks_a_relation_is_refused_whole(setup):
    record(setup, "whole", 2652, "return", source="Durham Constabulary")
    before = (Observation.objects.count(), DataReturn.objects.count())
    text = HEADER + "t-thefts,E06000047,Mar 2016,900\nt-thefts,E06000047,Feb 2016,-3\n"
    text += f"t-crimes,{setup['locality'].code},Mar 2016,2700\n"
    with pytest.raises(DocumentError) as caught:
        send(setup, text)
    messages = {p.line: p.message for p in caught.value.problems}
    assert messages[3] == "a count cannot be negative (-3)"
    assert "is more than Test crimes, County Durham, Mar 2016: 2,652 (Durham Constabulary)" in messages[4]
    assert f"{setup['locality'].name} is part of County Durham" in messages[4]
    assert (Observation.objects.count(), DataReturn.objects.count()) == before
    # the whole return is judged as it leaves the figures: a bigger whole in the same file makes the part fit
    text = HEADER + "t-thefts,E06000047,Mar 2016,3000\nt-crimes,E06000047,Mar 2016,3100\n"
    accepted = send(setup, text)
    assert (accepted.rows_created, accepted.rows_revised) == (1, 1)
    assert headline(setup).origin == "return" and headline(setup).value == 3100


def test_a_figure_far_outside_its_series_needs_the_providers_confirmation(setup):
    for month in range(4, 13):
        record(setup, "whole", 2400 + month, "return", period=Period.month(2015, month))
    text = HEADER + "t-crimes,E06000047,Jan 2016,24000\n"
    with pytest.raises(DocumentError, match="far outside its series") as caught:
        send(setup, text)
    assert caught.value.problems[0].line == 2
    assert not Observation.objects.filter(indicator=setup["whole"], period="2016-01").exists()
    assert send(setup, text, confirm_unusual=True).rows_created == 1
    assert Observation.objects.get(indicator=setup["whole"], period="2016-01").confirmed_unusual


def test_the_web_upload_names_the_rule_and_confirms_unusual_figures(setup, users, client):
    record(setup, "whole", 100, "return", source="Durham Constabulary")
    client.force_login(users["data_provider"])
    url = reverse("data-return-detail", args=[setup["org"].slug])

    def upload(text, **data):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(url, {"file": SimpleUploadedFile("r.csv", text.encode()), **data})

    response = upload(HEADER + "t-thefts,E06000047,Mar 2016,150\n")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Test thefts is part of Test crimes" in page and "nothing was changed" in page
    assert not Observation.objects.filter(indicator=setup["part"]).exists()
    for month in range(4, 13):
        record(setup, "part", 20, "return", period=Period.month(2015, month))
    response = upload(HEADER + "t-thefts,E06000047,Mar 2016,99\n")
    assert response.status_code == 400 and "far outside its series" in response.content.decode()
    response = upload(HEADER + "t-thefts,E06000047,Mar 2016,99\n", confirm_unusual="on")
    assert response.status_code == 302
    assert Observation.objects.get(indicator=setup["part"], period=MAR.code).confirmed_unusual


def test_spans_are_stored_over_their_months(setup):
    span = parse("Sep 2014 – Nov 2015")
    observation = record(setup, "whole", 2018, "published", period=span, source="Fire", note="start inferred")
    assert (observation.period, observation.period_kind, observation.note) == (
        "S-2014-09-2015-11",
        Kind.SPAN.value,
        "start inferred",
    )
    assert (observation.period_start, observation.period_end) == (date(2014, 9, 1), date(2015, 11, 30))
    with pytest.raises(rules.FigureRefused, match="Sep 2014 – Nov 2015: 2,018"):
        record(setup, "part", 2100, "published", period=span, source="Fire")


@pytest.mark.parametrize(
    "replace, expected",
    [
        ("part_of: secondary-fires", "part_of: no-such-indicator"),
        ("part_of: secondary-fires", "part_of: asb-perceptions"),
        ("part_of: secondary-fires", "part_of: deliberate-secondary-fires"),
        ("maximum: 5  #", "minimum: 9\n    maximum: 5  #"),
    ],
)
def test_the_plan_file_checks_bounds_and_part_of(demo, replace, expected):
    from saferplan.plans.management.commands.demo import DEMO_FILE
    from saferplan.plans.plan_yaml import import_plan_text

    text = DEMO_FILE.read_text(encoding="utf-8")
    assert replace in text
    with pytest.raises(DocumentError) as refused:
        import_plan_text(text.replace(replace, expected, 1), filename="plan.yaml")
    message = str(refused.value)
    assert {
        "no-such-indicator": "unknown indicator 'no-such-indicator'",
        "asb-perceptions": "only a count or rate can be part of another indicator with the same unit",
        "deliberate-secondary-fires": "an indicator cannot be part of itself",
        "minimum: 9": "the minimum (9) is more than the maximum (5)",
    }[
        next(
            k
            for k in ("no-such-indicator", "asb-perceptions", "deliberate-secondary-fires", "minimum: 9")
            if k in expected
        )
    ] in message
    assert Indicator.objects.get(slug="deliberate-secondary-fires").part_of.slug == "secondary-fires"
