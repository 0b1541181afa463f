"""Reporting periods: constructors, labels and codes, parsing, neighbours, indicators' periods, properties."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferplan.indicators.periods import Kind, Period, parse, periods_for, valid_for

P = Period
ERROR = (
    "cannot read {!r} as a period; expected for example Apr 2016, Q1 2016/17, 2015/16 or Apr 2015 – Mar 2016"
)


def span(period: Period) -> tuple[date, date]:
    return period.start, period.end


def basis_of(period: Period) -> str:
    return "calendar" if period.calendar else "financial"


def ambiguous_code(period: Period) -> bool:
    """Codes of the twelve months 2000-01 (Jan 2000) … 2011-12 (Dec 2011) look like financial years."""
    return period.kind is Kind.MONTH and period.start.month == (period.start.year + 1) % 100


# Constructors


@pytest.mark.parametrize(
    "period, start, end, kind, calendar",
    [
        (P.month(2016, 4), date(2016, 4, 1), date(2016, 4, 30), Kind.MONTH, False),
        (P.month(2016, 12), date(2016, 12, 1), date(2016, 12, 31), Kind.MONTH, False),
        (P.quarter(2016, 1), date(2016, 4, 1), date(2016, 6, 30), Kind.QUARTER, False),
        (P.quarter(2016, 2), date(2016, 7, 1), date(2016, 9, 30), Kind.QUARTER, False),
        (P.quarter(2016, 3), date(2016, 10, 1), date(2016, 12, 31), Kind.QUARTER, False),
        (P.quarter(2016, 4), date(2017, 1, 1), date(2017, 3, 31), Kind.QUARTER, False),
        (P.quarter(2016, 1, calendar=True), date(2016, 1, 1), date(2016, 3, 31), Kind.QUARTER, True),
        (P.quarter(2016, 4, calendar=True), date(2016, 10, 1), date(2016, 12, 31), Kind.QUARTER, True),
        (P.financial_year(2015), date(2015, 4, 1), date(2016, 3, 31), Kind.FINANCIAL_YEAR, False),
        (P.calendar_year(2015), date(2015, 1, 1), date(2015, 12, 31), Kind.CALENDAR_YEAR, False),
        (P.rolling_12(2016, 3), date(2015, 4, 1), date(2016, 3, 31), Kind.ROLLING_12, False),
        (P.rolling_12(2016, 9), date(2015, 10, 1), date(2016, 9, 30), Kind.ROLLING_12, False),
        (P.year_to_date(2016, 6), date(2016, 4, 1), date(2016, 6, 30), Kind.YEAR_TO_DATE, False),
        (P.year_to_date(2017, 2), date(2016, 4, 1), date(2017, 2, 28), Kind.YEAR_TO_DATE, False),
        (P.year_to_date(2016, 4), date(2016, 4, 1), date(2016, 4, 30), Kind.YEAR_TO_DATE, False),
        (P.year_to_date(2016, 3), date(2015, 4, 1), date(2016, 3, 31), Kind.YEAR_TO_DATE, False),
        (P.year_to_date(2016, 6, "calendar"), date(2016, 1, 1), date(2016, 6, 30), Kind.YEAR_TO_DATE, True),
        (
            P.year_to_date(2016, 1, basis="calendar"),
            date(2016, 1, 1),
            date(2016, 1, 31),
            Kind.YEAR_TO_DATE,
            True,
        ),
    ],
)
def test_constructors(period, start, end, kind, calendar):
    assert (period.start, period.end, period.kind, period.calendar) == (start, end, kind, calendar)


def test_q4_of_2015_16_is_january_to_march_2016():
    q4 = P.quarter(2015, 4)
    assert span(q4) == (date(2016, 1, 1), date(2016, 3, 31))
    assert q4.label == "Q4 2015/16"
    assert P.financial_year(2015).contains(q4)
    assert not P.financial_year(2016).contains(q4)


def test_financial_year_boundaries():
    assert parse("Mar 2016").financial_year_label == "2015/16"
    assert parse("Apr 2016").financial_year_label == "2016/17"
    assert P.financial_year(2015).contains(P.month(2016, 3))
    assert not P.financial_year(2015).contains(P.month(2016, 4))
    assert P.financial_year(2016).contains(P.month(2016, 4))
    assert P.financial_year(2015).months()[0] == P.month(2015, 4)
    assert P.financial_year(2015).months()[-1] == P.month(2016, 3)


@pytest.mark.parametrize(
    "period, label",
    [
        (P.month(2016, 1), "2015/16"),
        (P.quarter(2015, 4), "2015/16"),
        (P.quarter(2016, 1, calendar=True), "2015/16"),
        (P.quarter(2016, 2, calendar=True), "2016/17"),
        (P.calendar_year(2015), "2015/16"),
        (P.rolling_12(2016, 4), "2016/17"),
        (P.year_to_date(2017, 2), "2016/17"),
        (P.financial_year(1999), "1999/00"),
    ],
)
def test_financial_year_label_is_that_of_the_last_month(period, label):
    assert period.financial_year_label == label


@pytest.mark.parametrize(
    "period, end",
    [
        (P.month(2016, 2), date(2016, 2, 29)),
        (P.month(2015, 2), date(2015, 2, 28)),
        (P.month(2000, 2), date(2000, 2, 29)),
        (P.month(1900, 2), date(1900, 2, 28)),
        (P.rolling_12(2016, 2), date(2016, 2, 29)),
        (P.year_to_date(2016, 2), date(2016, 2, 29)),
        (P.year_to_date(2016, 2, "calendar"), date(2016, 2, 29)),
        (P.rolling_12(2017, 2), date(2017, 2, 28)),
    ],
)
def test_february_ends_on_the_29th_in_leap_years(period, end):
    assert period.end == end


def test_leap_february_last_year_and_next_year():
    assert P.month(2016, 2).same_period_last_year() == P(date(2015, 2, 1), date(2015, 2, 28), Kind.MONTH)
    assert P.month(2017, 2).same_period_last_year().end == date(2016, 2, 29)
    assert P.rolling_12(2016, 2).same_period_last_year().end == date(2015, 2, 28)
    assert P.month(2016, 3).previous().end == date(2016, 2, 29)


@pytest.mark.parametrize(
    "make, error",
    [
        (lambda: P.month(2016, 13), ValueError),
        (lambda: P.month(2016, 0), ValueError),
        (lambda: P.quarter(2016, 5), ValueError),
        (lambda: P.quarter(2016, 0, calendar=True), ValueError),
        (lambda: P.rolling_12(2016, 13), ValueError),
        (lambda: P.year_to_date(2016, 6, "weekly"), ValueError),
        (lambda: P.financial_year(9999), ValueError),  # would end in March 10000
        (lambda: P.month("2016", 4), TypeError),
        (lambda: P.month(2016, 4.0), TypeError),
        (lambda: P.quarter(2016, True), TypeError),
    ],
)
def test_constructors_reject_impossible_periods(make, error):
    with pytest.raises(error):
        make()


def test_direct_construction_is_checked():
    assert P(date(2016, 4, 1), date(2016, 6, 30), "quarter") == P.quarter(2016, 1)  # kind given as text
    assert P(date(2016, 4, 1), date(2016, 6, 30), Kind.QUARTER).kind is Kind.QUARTER
    bad = [
        (date(2016, 4, 2), date(2016, 4, 30), Kind.MONTH, False),  # not the first of the month
        (date(2016, 4, 1), date(2016, 4, 29), Kind.MONTH, False),  # not the last of the month
        (date(2016, 4, 1), date(2016, 5, 31), Kind.MONTH, False),  # two months
        (date(2016, 5, 1), date(2016, 7, 31), Kind.QUARTER, False),  # not a quarter
        (date(2016, 4, 1), date(2016, 3, 31), Kind.MONTH, False),  # ends before it starts
        (date(2016, 1, 1), date(2016, 12, 31), Kind.FINANCIAL_YEAR, False),
        (date(2016, 4, 1), date(2017, 3, 31), Kind.CALENDAR_YEAR, False),
        (date(2016, 4, 1), date(2017, 3, 31), Kind.FINANCIAL_YEAR, True),  # calendar flag on a year
        (date(2016, 4, 1), date(2017, 4, 30), Kind.ROLLING_12, False),
        (date(2016, 5, 1), date(2016, 6, 30), Kind.YEAR_TO_DATE, False),
        (date(2016, 4, 1), date(2016, 6, 30), Kind.YEAR_TO_DATE, True),  # calendar year to date from April
        (date(2016, 4, 1), date(2017, 4, 30), Kind.YEAR_TO_DATE, False),  # 13 months
        (date(2016, 4, 1), date(2016, 4, 30), "week", False),
    ]
    for fields in bad:
        with pytest.raises(ValueError):
            P(*fields)
    with pytest.raises(TypeError):
        P(datetime(2016, 4, 1), date(2016, 4, 30), Kind.MONTH)
    with pytest.raises(TypeError):
        P(date(2016, 4, 1), date(2016, 6, 30), Kind.QUARTER, 1)


def test_periods_are_frozen_hashable_and_sort_by_start_then_end():
    with pytest.raises(AttributeError):
        P.month(2016, 4).start = date(2016, 5, 1)
    assert len({P.month(2016, 4), P.month(2016, 4), P.year_to_date(2016, 4)}) == 2
    assert P.quarter(2016, 2, calendar=True) != P.quarter(2016, 1)  # same months, different labelling
    shuffled = [P.financial_year(2016), P.month(2016, 5), P.quarter(2016, 1), P.month(2016, 4)]
    assert sorted(shuffled) == [
        P.month(2016, 4),
        P.quarter(2016, 1),
        P.financial_year(2016),
        P.month(2016, 5),
    ]
    assert str(P.quarter(2016, 1)) == "Q1 2016/17"


# Labels and codes

SPELLINGS = [
    # period, label, range_label, code
    (P.month(2016, 4), "Apr 2016", "Apr 2016", "2016-04"),
    (P.month(2011, 12), "Dec 2011", "Dec 2011", "2011-12"),
    (P.quarter(2016, 1), "Q1 2016/17", "Apr 2016 – Jun 2016", "2016-17-Q1"),
    (P.quarter(2015, 4), "Q4 2015/16", "Jan 2016 – Mar 2016", "2015-16-Q4"),
    (P.quarter(1999, 4), "Q4 1999/00", "Jan 2000 – Mar 2000", "1999-00-Q4"),
    (P.quarter(2016, 1, calendar=True), "Q1 2016", "Jan 2016 – Mar 2016", "2016-Q1"),
    (P.quarter(2016, 3, calendar=True), "Q3 2016", "Jul 2016 – Sep 2016", "2016-Q3"),
    (P.financial_year(2015), "2015/16", "Apr 2015 – Mar 2016", "FY-2015-16"),
    (P.financial_year(2011), "2011/12", "Apr 2011 – Mar 2012", "FY-2011-12"),
    (P.financial_year(1999), "1999/00", "Apr 1999 – Mar 2000", "FY-1999-00"),
    (P.calendar_year(2015), "2015", "Jan 2015 – Dec 2015", "2015"),
    (P.rolling_12(2016, 3), "12 months to Mar 2016", "Apr 2015 – Mar 2016", "R12-2016-03"),
    (P.rolling_12(2016, 9), "12 months to Sep 2016", "Oct 2015 – Sep 2016", "R12-2016-09"),
    (P.year_to_date(2016, 6), "Apr – Jun 2016 (year to date)", "Apr 2016 – Jun 2016", "YTD-F-2016-06"),
    (P.year_to_date(2017, 2), "Apr 2016 – Feb 2017 (year to date)", "Apr 2016 – Feb 2017", "YTD-F-2017-02"),
    (P.year_to_date(2016, 4), "Apr 2016 (year to date)", "Apr 2016", "YTD-F-2016-04"),
    (P.year_to_date(2016, 3), "Apr 2015 – Mar 2016 (year to date)", "Apr 2015 – Mar 2016", "YTD-F-2016-03"),
    (
        P.year_to_date(2016, 6, "calendar"),
        "Jan – Jun 2016 (year to date)",
        "Jan 2016 – Jun 2016",
        "YTD-C-2016-06",
    ),
    (
        P.year_to_date(2016, 12, "calendar"),
        "Jan – Dec 2016 (year to date)",
        "Jan 2016 – Dec 2016",
        "YTD-C-2016-12",
    ),
]


@pytest.mark.parametrize("period, label, range_label, code", SPELLINGS)
def test_spellings(period, label, range_label, code):
    assert (period.label, period.range_label, period.code) == (label, range_label, code)


@pytest.mark.parametrize("period", [row[0] for row in SPELLINGS])
def test_spellings_round_trip(period):
    assert parse(period.label) == period
    assert parse(period.label, basis="calendar") == period  # a label needs no basis
    assert Period.from_code(period.code) == period
    if ambiguous_code(period):
        with pytest.raises(ValueError, match="could be"):
            parse(period.code)
    else:
        assert parse(period.code) == period
    assert parse(period.range_label, basis_of(period)).months() == period.months()


def test_ytd_label_is_not_read_as_the_quarter_year_or_month_with_the_same_months():
    assert parse("Apr 2016 – Jun 2016") == P.quarter(2016, 1)
    assert parse("Apr – Jun 2016 (year to date)") == P.year_to_date(2016, 6)
    assert parse("Apr 2015 – Mar 2016") == P.financial_year(2015)
    assert parse("Apr 2015 – Mar 2016 (year to date)") == P.year_to_date(2016, 3)
    assert parse("Apr 2016") == P.month(2016, 4)
    assert parse("Apr 2016 (year to date)") == P.year_to_date(2016, 4)


@pytest.mark.parametrize(
    "code",
    ["2016-4", "2016-13", "2016-00", "FY-2015-17", "2015-16", "2016-17-Q5", "2016-18-Q1", "2016-17-q1",
     "R12-2016-13", "YTD-X-2016-06", "YTD-F-2016-13", "ytd-f-2016-06", "Apr 2016", " 2016-04", "0000-01", "",
     201604],
)  # fmt: skip
def test_from_code_accepts_only_exact_codes(code):
    with pytest.raises(ValueError, match="is not a period code"):
        Period.from_code(code)


# Parsing

READINGS = [
    ("Apr 2016", P.month(2016, 4)),
    ("April 2016", P.month(2016, 4)),
    ("april 2016", P.month(2016, 4)),
    ("APRIL 2016", P.month(2016, 4)),
    ("  Apr   2016 ", P.month(2016, 4)),
    ("Apr\u00a02016", P.month(2016, 4)),
    ("Apr. 2016", P.month(2016, 4)),
    ("Sept 2016", P.month(2016, 9)),
    ("September 2016", P.month(2016, 9)),
    ("2016-04", P.month(2016, 4)),
    ("Apr-16", P.month(2016, 4)),
    ("Apr-2016", P.month(2016, 4)),
    ("Dec-99", P.month(1999, 12)),
    ("2015/16", P.financial_year(2015)),
    ("2015-16", P.financial_year(2015)),
    ("2015–16", P.financial_year(2015)),
    ("2015/2016", P.financial_year(2015)),
    ("2015 / 16", P.financial_year(2015)),
    ("2012-13", P.financial_year(2012)),
    ("1999/00", P.financial_year(1999)),
    ("1999/2000", P.financial_year(1999)),
    ("2011/12", P.financial_year(2011)),
    ("FY 2015/16", P.financial_year(2015)),
    ("Q1 2016/17", P.quarter(2016, 1)),
    ("2016/17 Q1", P.quarter(2016, 1)),
    ("Q1 2016-17", P.quarter(2016, 1)),
    ("q4 2015/16", P.quarter(2015, 4)),
    ("Q4 2015/2016", P.quarter(2015, 4)),
    ("Q1 2016", P.quarter(2016, 1, calendar=True)),
    ("2016 Q2", P.quarter(2016, 2, calendar=True)),
    ("2015", P.calendar_year(2015)),
    ("12 months to Mar 2016", P.rolling_12(2016, 3)),
    ("12 months ending March 2016", P.rolling_12(2016, 3)),
    ("12 Months Ending Mar-16", P.rolling_12(2016, 3)),
    ("rolling 12 months to end of June 2016", P.rolling_12(2016, 6)),
    ("Apr 2015 – Mar 2016", P.financial_year(2015)),
    ("Apr 2015 - Mar 2016", P.financial_year(2015)),
    ("Apr 2015—Mar 2016", P.financial_year(2015)),
    ("Apr 2015-Mar 2016", P.financial_year(2015)),
    ("April 2015 to March 2016", P.financial_year(2015)),
    ("APR-15 - MAR-16", P.financial_year(2015)),
    ("Jan 2015 – Dec 2015", P.calendar_year(2015)),
    ("Jan – Dec 2015", P.calendar_year(2015)),
    ("Apr 2016 – Jun 2016", P.quarter(2016, 1)),
    ("Apr – Jun 2016", P.quarter(2016, 1)),
    ("October 2016 to December 2016", P.quarter(2016, 3)),
    ("Jan 2016 – Mar 2016", P.quarter(2015, 4)),
    ("Jul 2015 – Jun 2016", P.rolling_12(2016, 6)),
    ("Oct 2015 to Sep 2016", P.rolling_12(2016, 9)),
    ("Apr – May 2016", P.year_to_date(2016, 5)),
    ("Apr 2016 – Feb 2017", P.year_to_date(2017, 2)),
    ("Apr 2016 – Apr 2016", P.month(2016, 4)),
    ("Apr – Jun 2016 (year to date)", P.year_to_date(2016, 6)),
    ("Apr – Jun 2016 (YTD)", P.year_to_date(2016, 6)),
    ("Apr – Jun 2016 YTD", P.year_to_date(2016, 6)),
    ("Year to date: Apr – Jun 2016", P.year_to_date(2016, 6)),
    ("Jan – Mar 2016 (year to date)", P.year_to_date(2016, 3, "calendar")),
    ("YTD-F-2016-06", P.year_to_date(2016, 6)),
    ("ytd-c-2016-06", P.year_to_date(2016, 6, "calendar")),
    ("R12-2016-03", P.rolling_12(2016, 3)),
    ("FY-2015-16", P.financial_year(2015)),
    ("2016-17-Q1", P.quarter(2016, 1)),
    ("2016-Q1", P.quarter(2016, 1, calendar=True)),
]


@pytest.mark.parametrize("text, period", READINGS)
def test_parse(text, period):
    assert parse(text) == period


@pytest.mark.parametrize(
    "text, financial, calendar",
    [
        # Explicit labels do not depend on the basis.
        ("2015", P.calendar_year(2015), P.calendar_year(2015)),
        ("2015/16", P.financial_year(2015), P.financial_year(2015)),
        ("Q1 2016/17", P.quarter(2016, 1), P.quarter(2016, 1)),
        ("Q1 2016", P.quarter(2016, 1, calendar=True), P.quarter(2016, 1, calendar=True)),
        # A whole year is that year on either basis.
        ("Jan 2016 – Dec 2016", P.calendar_year(2016), P.calendar_year(2016)),
        ("Apr 2016 – Mar 2017", P.financial_year(2016), P.financial_year(2016)),
        # A quarter's months are a financial or a calendar quarter.
        ("Jan 2016 – Mar 2016", P.quarter(2015, 4), P.quarter(2016, 1, calendar=True)),
        ("Apr 2016 – Jun 2016", P.quarter(2016, 1), P.quarter(2016, 2, calendar=True)),
        # Year to date runs from the start of the basis's year; other runs of months are spans.
        ("Jan – May 2016", P.span(2016, 1, 2016, 5), P.year_to_date(2016, 5, "calendar")),
        ("Apr – May 2016", P.year_to_date(2016, 5), P.span(2016, 4, 2016, 5)),
        (
            "Jan – May 2016 (year to date)",
            P.year_to_date(2016, 5, "calendar"),
            P.year_to_date(2016, 5, "calendar"),
        ),
    ],
)
def test_parse_ranges_by_basis(text, financial, calendar):
    for basis, expected in (("financial", financial), ("calendar", calendar)):
        if expected is None:
            with pytest.raises(ValueError, match="cannot read"):
                parse(text, basis)
        else:
            assert parse(text, basis) == expected


@pytest.mark.parametrize(
    "text",
    [
        "xyz",
        "",
        "   ",
        "2015/17",
        "2015/2017",
        "2015-17",
        "2016/04",
        "Q5 2016/17",
        "Q0 2016",
        "Q1 2015/17",
        "Foo 2016",
        "Apr 16",  # a day, not a year
        "Month 13",
        "2016-13",
        "2016-00",
        "13/2016",
        "R12-2016-13",
        "YTD-F-2016-00",
        "12 months to Smarch 2016",
        "Feb 2016 – Jan 2016",  # backwards
        "Nov – Feb 2016",
        "May – Jun 2016 (year to date)",
        "Apr 2015 – Apr 2016 (year to date)",
        "2016/17 (year to date)",
        "Apr 2016 to",
        "0000",
        "Apr 2016 " * 20,
    ],
)
def test_parse_errors(text):
    with pytest.raises(ValueError) as raised:
        parse(text)
    assert str(raised.value) == ERROR.format(text)


def test_parse_error_message_example():
    with pytest.raises(ValueError) as raised:
        parse("xyz")
    assert str(raised.value) == (
        "cannot read 'xyz' as a period; "
        "expected for example Apr 2016, Q1 2016/17, 2015/16 or Apr 2015 – Mar 2016"
    )


@pytest.mark.parametrize(
    "text, month, financial_year",
    [
        ("2008-09", "Sep 2008", "2008/09"),
        ("2011-12", "Dec 2011", "2011/12"),
        ("2000 - 01", "Jan 2000", "2000/01"),
    ],
)
def test_parse_refuses_a_month_that_could_be_a_financial_year(text, month, financial_year):
    with pytest.raises(ValueError) as raised:
        parse(text)
    assert str(raised.value) == (
        f"cannot read {text!r} as a period; it could be {month} or {financial_year}, so write one of those"
    )
    assert parse(month) == P.from_code(text.replace(" ", ""))
    assert parse(financial_year) == P.from_code(f"FY-{text.replace(' ', '')}")
    assert parse("2012-13") == P.financial_year(2012) and parse("2012-12") == P.month(2012, 12)
    assert parse("1999-12") == P.month(1999, 12) and parse("1999-00") == P.financial_year(1999)


def test_parse_rejects_bad_basis_and_non_text():
    with pytest.raises(ValueError, match="basis must be 'financial' or 'calendar'"):
        parse("Apr 2016", basis="fiscal")
    with pytest.raises(TypeError):
        parse(None)
    with pytest.raises(TypeError):
        parse(2015)


# Months and neighbours


@pytest.mark.parametrize(
    "period, count",
    [
        (P.month(2016, 4), 1),
        (P.quarter(2016, 1), 3),
        (P.financial_year(2015), 12),
        (P.calendar_year(2015), 12),
        (P.rolling_12(2016, 3), 12),
        (P.year_to_date(2016, 6), 3),
        (P.year_to_date(2017, 2), 11),
        (P.year_to_date(2016, 4), 1),
        (P.year_to_date(2016, 6, "calendar"), 6),
    ],
)
def test_month_count_and_months(period, count):
    months = period.months()
    assert period.month_count == count == len(months)
    assert months[0].start == period.start and months[-1].end == period.end
    assert all(m.kind is Kind.MONTH for m in months)
    assert all(a.end.toordinal() + 1 == b.start.toordinal() for a, b in zip(months, months[1:], strict=False))


def test_quarter_months():
    assert P.quarter(2015, 4).months() == [P.month(2016, 1), P.month(2016, 2), P.month(2016, 3)]


@pytest.mark.parametrize(
    "period, last_year",
    [
        (P.month(2016, 4), P.month(2015, 4)),
        (P.quarter(2016, 1), P.quarter(2015, 1)),
        (P.quarter(2016, 4), P.quarter(2015, 4)),
        (P.quarter(2016, 1, calendar=True), P.quarter(2015, 1, calendar=True)),
        (P.financial_year(2016), P.financial_year(2015)),
        (P.calendar_year(2016), P.calendar_year(2015)),
        (P.rolling_12(2016, 3), P.rolling_12(2015, 3)),
        (P.year_to_date(2016, 6), P.year_to_date(2015, 6)),
        (P.year_to_date(2017, 2), P.year_to_date(2016, 2)),
        (P.year_to_date(2016, 6, "calendar"), P.year_to_date(2015, 6, "calendar")),
    ],
)
def test_same_period_last_year(period, last_year):
    assert period.same_period_last_year() == last_year


@pytest.mark.parametrize(
    "period, previous",
    [
        (P.month(2016, 4), P.month(2016, 3)),
        (P.month(2016, 1), P.month(2015, 12)),
        (P.quarter(2016, 2), P.quarter(2016, 1)),
        (P.quarter(2016, 1), P.quarter(2015, 4)),
        (P.quarter(2016, 1, calendar=True), P.quarter(2015, 4, calendar=True)),
        (P.financial_year(2016), P.financial_year(2015)),
        (P.calendar_year(2016), P.calendar_year(2015)),
        (P.rolling_12(2016, 3), P.rolling_12(2016, 2)),
        (P.rolling_12(2016, 1), P.rolling_12(2015, 12)),
        (P.year_to_date(2016, 6), P.year_to_date(2016, 5)),
        (P.year_to_date(2016, 4), P.year_to_date(2016, 3)),  # the whole of 2015/16
        (P.year_to_date(2016, 6, "calendar"), P.year_to_date(2016, 5, "calendar")),
        (P.year_to_date(2016, 1, "calendar"), P.year_to_date(2015, 12, "calendar")),
    ],
)
def test_previous(period, previous):
    assert period.previous() == previous


def test_contains():
    fy = P.financial_year(2016)
    assert fy.contains(fy)
    assert fy.contains(P.quarter(2016, 4))
    assert fy.contains(P.year_to_date(2016, 9))
    assert not fy.contains(P.year_to_date(2016, 3))
    assert not fy.contains(P.rolling_12(2017, 2))
    assert not P.quarter(2016, 1).contains(fy)
    assert P.calendar_year(2016).contains(P.quarter(2016, 3))  # Oct–Dec 2016, kinds may differ
    assert not P.calendar_year(2016).contains(P.quarter(2016, 4))  # Jan–Mar 2017
    assert P.rolling_12(2016, 9).contains(P.month(2015, 10))
    assert not P.rolling_12(2016, 9).contains(P.month(2015, 9))


# Indicators' reporting periods


def test_periods_for_monthly():
    assert periods_for("monthly", "financial", date(2016, 4, 1), date(2016, 6, 30)) == [
        P.month(2016, 4),
        P.month(2016, 5),
        P.month(2016, 6),
    ]
    # A period counts if it ends within the dates: April (30th) and May do, March and June do not.
    assert periods_for("monthly", "calendar", date(2016, 3, 31), date(2016, 6, 29)) == [
        P.month(2016, 3),
        P.month(2016, 4),
        P.month(2016, 5),
    ]
    assert periods_for("monthly", "calendar", date(2016, 4, 1), date(2016, 6, 29)) == [
        P.month(2016, 4),
        P.month(2016, 5),
    ]


def test_periods_for_quarterly_financial():
    assert periods_for("quarterly", "financial", date(2016, 4, 1), date(2017, 3, 31)) == [
        P.quarter(2016, 1),
        P.quarter(2016, 2),
        P.quarter(2016, 3),
        P.quarter(2016, 4),
    ]
    assert periods_for("quarterly", "financial", date(2016, 6, 30), date(2016, 9, 29)) == [P.quarter(2016, 1)]
    assert periods_for("quarterly", "financial", date(2016, 7, 1), date(2016, 9, 30)) == [P.quarter(2016, 2)]


def test_periods_for_quarterly_calendar():
    quarters = periods_for("quarterly", "calendar", date(2016, 1, 1), date(2016, 12, 31))
    assert [q.label for q in quarters] == ["Q1 2016", "Q2 2016", "Q3 2016", "Q4 2016"]
    assert [q.code for q in quarters] == ["2016-Q1", "2016-Q2", "2016-Q3", "2016-Q4"]
    assert all(q.kind is Kind.QUARTER and q.calendar for q in quarters)
    assert span(quarters[0]) == (date(2016, 1, 1), date(2016, 3, 31))


def test_periods_for_annual():
    assert periods_for("annual", "financial", date(2014, 4, 1), date(2017, 3, 31)) == [
        P.financial_year(2014),
        P.financial_year(2015),
        P.financial_year(2016),
    ]
    assert periods_for("annual", "financial", date(2016, 1, 1), date(2016, 12, 31)) == [
        P.financial_year(2015)
    ]
    assert periods_for("annual", "calendar", date(2014, 4, 1), date(2017, 3, 31)) == [
        P.calendar_year(2014),
        P.calendar_year(2015),
        P.calendar_year(2016),
    ]


def test_periods_for_empty_and_errors():
    assert periods_for("monthly", "financial", date(2016, 6, 1), date(2016, 5, 1)) == []
    assert periods_for("annual", "financial", date(2016, 4, 1), date(2017, 3, 30)) == []
    with pytest.raises(ValueError, match="frequency"):
        periods_for("weekly", "financial", date(2016, 4, 1), date(2017, 3, 31))
    with pytest.raises(ValueError, match="basis"):
        periods_for("monthly", "fiscal", date(2016, 4, 1), date(2017, 3, 31))


@pytest.mark.parametrize(
    "period, frequency, basis, valid",
    [
        (P.month(2016, 4), "monthly", "financial", True),
        (P.month(2016, 4), "monthly", "calendar", True),
        (P.month(2016, 4), "quarterly", "financial", False),
        (P.quarter(2016, 1), "quarterly", "financial", True),
        (P.quarter(2016, 1), "quarterly", "calendar", False),
        (P.quarter(2016, 2, calendar=True), "quarterly", "calendar", True),
        (P.quarter(2016, 2, calendar=True), "quarterly", "financial", False),
        (P.quarter(2016, 1), "monthly", "financial", False),
        (P.quarter(2016, 1), "annual", "financial", False),
        (P.financial_year(2015), "annual", "financial", True),
        (P.financial_year(2015), "annual", "calendar", False),
        (P.calendar_year(2015), "annual", "calendar", True),
        (P.calendar_year(2015), "annual", "financial", False),
        (P.rolling_12(2016, 3), "annual", "financial", False),
        (P.rolling_12(2016, 3), "monthly", "financial", False),
        (P.year_to_date(2016, 3), "annual", "financial", False),
        (P.year_to_date(2016, 4), "monthly", "financial", False),
        (P.year_to_date(2016, 6), "quarterly", "financial", False),
    ],
)
def test_valid_for(period, frequency, basis, valid):
    assert valid_for(period, frequency, basis) is valid


def test_valid_for_parsed_labels_and_errors():
    assert valid_for(parse("Q1 2016"), "quarterly", "calendar")
    assert valid_for(parse("Jan 2016 – Mar 2016", "calendar"), "quarterly", "calendar")
    assert not valid_for(parse("Jan 2016 – Mar 2016"), "quarterly", "calendar")
    with pytest.raises(ValueError, match="frequency"):
        valid_for(P.month(2016, 4), "Monthly", "financial")
    with pytest.raises(ValueError, match="basis"):
        valid_for(P.month(2016, 4), "monthly", "")


# Properties

years = st.integers(min_value=1901, max_value=2199)
months = st.integers(min_value=1, max_value=12)
bases = st.sampled_from(["financial", "calendar"])
periods = st.one_of(
    st.builds(P.month, years, months),
    st.builds(P.quarter, years, st.integers(1, 4), calendar=st.booleans()),
    st.builds(P.financial_year, years),
    st.builds(P.calendar_year, years),
    st.builds(P.rolling_12, years, months),
    st.builds(P.year_to_date, years, months, bases),
)


def month_number(d: date) -> int:
    return d.year * 12 + d.month


@given(periods)
def test_label_and_code_round_trip(period):
    assert parse(period.label) == period
    assert Period.from_code(period.code) == period
    if not ambiguous_code(period):
        assert parse(period.code) == period


@given(periods)
def test_range_label_reads_as_the_same_months(period):
    assert parse(period.range_label, basis_of(period)).months() == period.months()


@given(periods, st.data())
def test_parse_ignores_case_spacing_and_dash(period, data):
    text = period.label
    text = text.upper() if data.draw(st.booleans()) else text.lower()
    text = text.replace(" ", data.draw(st.sampled_from([" ", "  ", "\t", "\u00a0"])))
    text = text.replace("–", data.draw(st.sampled_from(["–", "—", "-"])))
    assert parse(f"  {text} ") == period


@given(periods)
def test_months_count_and_cover(period):
    months_ = period.months()
    assert len(months_) == period.month_count
    assert months_[0].start == period.start and months_[-1].end == period.end
    assert all(period.contains(m) for m in months_)
    assert [month_number(m.start) for m in months_] == list(
        range(month_number(period.start), month_number(period.end) + 1)
    )


@given(periods)
def test_same_period_last_year_is_twelve_months_earlier(period):
    last = period.same_period_last_year()
    assert (last.kind, last.calendar, last.month_count) == (period.kind, period.calendar, period.month_count)
    assert month_number(period.start) - month_number(last.start) == 12
    assert month_number(period.end) - month_number(last.end) == 12


@given(periods)
def test_previous_is_adjacent(period):
    previous = period.previous()
    assert (previous.kind, previous.calendar) == (period.kind, period.calendar)
    assert month_number(period.end) - month_number(previous.end) == (
        1 if period.kind in (Kind.ROLLING_12, Kind.YEAR_TO_DATE) else period.month_count
    )
    if period.kind not in (Kind.ROLLING_12, Kind.YEAR_TO_DATE):
        assert previous.end.toordinal() + 1 == period.start.toordinal()


@given(st.sampled_from(["monthly", "quarterly", "annual"]), bases, years, months, st.integers(-40, 1500))
@settings(max_examples=50)
def test_periods_for_are_consecutive_valid_and_end_in_range(frequency, basis, year, month, days):
    start = date(year, month, 1) + timedelta(days=data_day(days))
    end = start + timedelta(days=days)
    found = periods_for(frequency, basis, start, end)
    expected = {"monthly": 1, "quarterly": 3, "annual": 12}[frequency]
    assert all(valid_for(p, frequency, basis) and start <= p.end <= end for p in found)
    assert all(p.month_count == expected for p in found)
    assert all(a.end + timedelta(days=1) == b.start for a, b in zip(found, found[1:], strict=False))
    # Nothing is left out: a wider window, cut to these dates, gives the same periods.
    wider = periods_for(frequency, basis, start - timedelta(days=400), end + timedelta(days=400))
    assert [p for p in wider if start <= p.end <= end] == found
    assert len(wider) >= len(found) + 2 * (12 // expected)


def data_day(days: int) -> int:
    """A day of the month to start on, varied with the length so both month starts and mid-months occur."""
    return abs(days) % 28


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("Apr 2015 – Apr 2016", (2015, 4), (2016, 4)),  # 13 months
        ("Jan 2015 – Dec 2016", (2015, 1), (2016, 12)),
        ("May – Jul 2016", (2016, 5), (2016, 7)),  # three months, not a quarter
        ("May – Jun 2016", (2016, 5), (2016, 6)),  # not from the start of the year
        ("Jan – May 2016", (2016, 1), (2016, 5)),  # year to date only on the calendar basis
    ],
)
def test_other_runs_of_months_are_spans(text, first, last):
    assert parse(text) == P.span(*first, *last)


def test_spans_are_any_other_run_of_months():
    """Figures published over a span that is not a standard period (000 section 8: "between January 2010 and
    March 2015") are read, labelled and stored as spans."""
    period = parse("Jan 2010 – Mar 2015")
    assert period.kind == Kind.SPAN
    assert period.month_count == 63
    assert (period.label, period.code) == ("Jan 2010 – Mar 2015", "S-2010-01-2015-03")
    assert Period.from_code("S-2010-01-2015-03") == period == parse("s-2010-01-2015-03")
    assert parse("September 2014 to November 2015") == P.span(2014, 9, 2015, 11)
    assert period.same_period_last_year() == P.span(2009, 1, 2014, 3)
    # A standard period is never read as a span.
    assert parse("Apr 2015 – Mar 2016").kind == Kind.FINANCIAL_YEAR
    with pytest.raises(ValueError, match="two months or more"):
        Period(date(2016, 1, 1), date(2016, 1, 31), Kind.SPAN)
    with pytest.raises(ValueError, match="not a period code"):
        Period.from_code("S-2010-13-2015-03")
