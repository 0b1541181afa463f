"""Reporting periods: months, quarters, years, rolling 12 months and year to date.

Community Safety Partnerships report on the financial year, April to March ("2015/16"), whose quarters run
from Q1 = April–June to Q4 = January–March; some indicators use the calendar year ("2015") and calendar
quarters ("Q1 2016" = January–March 2016). Figures are also given for the 12 months ending in a month and for
the year to date.

A `Period` is a run of whole months with a kind. It has three spellings:

* `label`, for people: "Apr 2016", "Q1 2016/17", "Q1 2016", "2015/16", "2015", "12 months to Mar 2016",
  "Apr – Jun 2016 (year to date)";
* `range_label`, the months it covers: "Apr 2015 – Mar 2016";
* `code`, a stable key for storage: "2016-04", "2016-17-Q1", "2016-Q1", "FY-2015-16", "2015", "R12-2016-03",
  "S-2010-01-2015-03" (a span: any other run of months a figure is published for),
  "YTD-F-2016-06", "YTD-C-2016-06".

`parse` reads labels, codes and the usual ways people write periods; `Period.from_code` reads only codes.
`periods_for` and `valid_for` give the reporting periods of an indicator from its frequency ("monthly",
"quarterly", "annual") and basis ("financial", "calendar").

Pure Python, no Django.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property

__all__ = ["BASES", "FREQUENCIES", "Kind", "Period", "parse", "periods_for", "valid_for"]

FREQUENCIES = ("monthly", "quarterly", "annual")
BASES = ("financial", "calendar")

_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_NUMBERS = {name: number for number, name in enumerate(_FULL_NAMES, 1)}
_MONTH_NUMBERS.update({abbr.lower(): number for number, abbr in enumerate(_ABBREVIATIONS, 1)})
_MONTH_NUMBERS["sept"] = 9

FINANCIAL_YEAR_START = 4  # April
CALENDAR_YEAR_START = 1  # January
_DASH = "–"  # en dash, with a space either side in labels


class Kind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial_year"
    CALENDAR_YEAR = "calendar_year"
    ROLLING_12 = "rolling_12"
    YEAR_TO_DATE = "year_to_date"
    SPAN = "span"  # any other run of months a figure is published for, e.g. Jan 2010 – Mar 2015


# A month is handled as one integer, year * 12 + month - 1, so that month arithmetic is integer arithmetic.


def _index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _year_month(index: int) -> tuple[int, int]:
    year, month0 = divmod(index, 12)
    return year, month0 + 1


def _first_day(index: int) -> date:
    year, month = _year_month(index)
    return date(year, month, 1)


def _last_day(index: int) -> date:
    year, month = _year_month(index)
    date(year, month, 1)  # the same "year is out of range" error as _first_day, before monthrange fails
    return date(year, month, monthrange(year, month)[1])


def _month_year(index: int) -> str:
    year, month = _year_month(index)
    return f"{_ABBREVIATIONS[month - 1]} {year:04d}"


def _fy_label(start_year: int, separator: str = "/") -> str:
    return f"{start_year:04d}{separator}{(start_year + 1) % 100:02d}"


def _fy_start_year(year: int, month: int) -> int:
    """The year in which the financial year containing this month began."""
    return year if month >= FINANCIAL_YEAR_START else year - 1


def _check_whole(value, name: str, low: int | None = None, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be from {low} to {high}, not {value}")
    return value


def _check_basis(basis) -> str:
    if basis not in BASES:
        raise ValueError(f"basis must be 'financial' or 'calendar', not {basis!r}")
    return basis


def _check_frequency(frequency) -> str:
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be 'monthly', 'quarterly' or 'annual', not {frequency!r}")
    return frequency


@dataclass(frozen=True, order=True)
class Period:
    """A run of whole months of a given kind, from `start` (first day of its first month) to `end`.

    `calendar` marks calendar quarters (January–March is Q1) and calendar year-to-date periods (from January);
    it is False for every other kind. Periods sort by start, then end. Build them with the classmethods, or
    directly: the fields are checked, so every Period has a valid shape.
    """

    start: date
    end: date
    kind: Kind
    calendar: bool = False

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", Kind(self.kind))
        except ValueError:
            raise ValueError(f"unknown period kind {self.kind!r}") from None
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise TypeError(f"{name} must be a date, not {value!r}")
        if not isinstance(self.calendar, bool):
            raise TypeError(f"calendar must be True or False, not {self.calendar!r}")
        if self.start.day != 1:
            raise ValueError(f"a period starts on the first day of a month, not {self.start}")
        if self.end != _last_day(self._last):
            raise ValueError(f"a period ends on the last day of a month, not {self.end}")
        count = self.month_count
        if count < 1:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")
        problem = self._shape_problem(count)
        if problem:
            raise ValueError(
                f"{self.start} to {self.end} is not a {self.kind.value.replace('_', ' ')}: {problem}"
            )

    def _shape_problem(self, count: int) -> str:
        kind, first_month = self.kind, self.start.month
        if self.calendar and kind not in (Kind.QUARTER, Kind.YEAR_TO_DATE):
            return "only quarters and year-to-date periods can be on the calendar basis"
        if kind == Kind.MONTH and count != 1:
            return "a month is one month"
        if kind == Kind.QUARTER and (count != 3 or first_month not in (1, 4, 7, 10)):
            return "a quarter is three months from January, April, July or October"
        if kind == Kind.FINANCIAL_YEAR and (count != 12 or first_month != FINANCIAL_YEAR_START):
            return "a financial year is April to March"
        if kind == Kind.CALENDAR_YEAR and (count != 12 or first_month != CALENDAR_YEAR_START):
            return "a calendar year is January to December"
        if kind == Kind.ROLLING_12 and count != 12:
            return "a rolling year is 12 months"
        if kind == Kind.YEAR_TO_DATE:
            year_start = CALENDAR_YEAR_START if self.calendar else FINANCIAL_YEAR_START
            if first_month != year_start or count > 12:
                return (
                    "year to date runs from the start of the year (April, or January on the calendar basis)"
                )
        if kind == Kind.SPAN and count < 2:
            return "a span is two months or more"
        return ""

    # Constructors

    @classmethod
    def _span(cls, first: int, last: int, kind: Kind, calendar: bool = False) -> Period:
        return cls(_first_day(first), _last_day(last), kind, calendar)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        index = _index(_check_whole(year, "year"), _check_whole(month, "month", 1, 12))
        return cls._span(index, index, Kind.MONTH)

    @classmethod
    def quarter(cls, fy_start_year: int, q: int, *, calendar: bool = False) -> Period:
        """Quarter `q` (1–4) of the financial year beginning April `fy_start_year`: Q1 is April–June, Q4 is
        January–March of the next year. With calendar=True, quarter `q` of calendar year `fy_start_year`."""
        year, q = _check_whole(fy_start_year, "year"), _check_whole(q, "quarter", 1, 4)
        year_start = CALENDAR_YEAR_START if calendar else FINANCIAL_YEAR_START
        first = _index(year, year_start) + 3 * (q - 1)
        return cls._span(first, first + 2, Kind.QUARTER, bool(calendar))

    @classmethod
    def financial_year(cls, start_year: int) -> Period:
        first = _index(_check_whole(start_year, "year"), FINANCIAL_YEAR_START)
        return cls._span(first, first + 11, Kind.FINANCIAL_YEAR)

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        first = _index(_check_whole(year, "year"), CALENDAR_YEAR_START)
        return cls._span(first, first + 11, Kind.CALENDAR_YEAR)

    @classmethod
    def rolling_12(cls, end_year: int, end_month: int) -> Period:
        last = _index(_check_whole(end_year, "year"), _check_whole(end_month, "month", 1, 12))
        return cls._span(last - 11, last, Kind.ROLLING_12)

    @classmethod
    def year_to_date(cls, end_year: int, end_month: int, basis: str = "financial") -> Period:
        """From the start of the year (April, or January with basis="calendar") to the end of the month."""
        year, month = _check_whole(end_year, "year"), _check_whole(end_month, "month", 1, 12)
        if _check_basis(basis) == "calendar":
            first = _index(year, CALENDAR_YEAR_START)
        else:
            first = _index(_fy_start_year(year, month), FINANCIAL_YEAR_START)
        return cls._span(first, _index(year, month), Kind.YEAR_TO_DATE, basis == "calendar")

    @classmethod
    def span(cls, start_year: int, start_month: int, end_year: int, end_month: int) -> Period:
        """Any run of two months or more, from the first month to the last (a figure published over a span
        that is not a standard period)."""
        first = _index(_check_whole(start_year, "year"), _check_whole(start_month, "month", 1, 12))
        last = _index(_check_whole(end_year, "year"), _check_whole(end_month, "month", 1, 12))
        return cls._span(first, last, Kind.SPAN)

    @classmethod
    def from_code(cls, code: str) -> Period:
        """The period whose `code` this is. Only exact codes are accepted; `parse` is the lenient reader."""
        try:
            period = _from_code(code) if isinstance(code, str) else None
        except ValueError:
            period = None
        if period is None or period.code != code:
            raise ValueError(
                f"{code!r} is not a period code; codes look like 2016-04, 2016-17-Q1, 2016-Q1, FY-2015-16, "
                "2015, R12-2016-03, YTD-F-2016-06 or S-2010-01-2015-03"
            )
        return period

    # Months

    @property
    def _first(self) -> int:
        return _index(self.start.year, self.start.month)

    @property
    def _last(self) -> int:
        return _index(self.end.year, self.end.month)

    @property
    def month_count(self) -> int:
        return self._last - self._first + 1

    def months(self) -> list[Period]:
        """The months of the period, in order."""
        return [self._span(index, index, Kind.MONTH) for index in range(self._first, self._last + 1)]

    def contains(self, other: Period) -> bool:
        """Whether every month of `other` is in this period."""
        return self.start <= other.start and other.end <= self.end

    # Spellings

    @property
    def _q(self) -> int:
        year_start = CALENDAR_YEAR_START if self.calendar else FINANCIAL_YEAR_START
        return (self.start.month - year_start) % 12 // 3 + 1

    @property
    def label(self) -> str:
        """For people: Apr 2016, Q1 2016/17, Q1 2016, 2015/16, 2015, 12 months to Mar 2016,
        Apr – Jun 2016 (year to date)."""
        kind, first, last = self.kind, self._first, self._last
        if kind == Kind.MONTH:
            return _month_year(first)
        if kind == Kind.QUARTER:
            if self.calendar:
                return f"Q{self._q} {self.start.year:04d}"
            return f"Q{self._q} {_fy_label(_fy_start_year(self.start.year, self.start.month))}"
        if kind == Kind.FINANCIAL_YEAR:
            return _fy_label(self.start.year)
        if kind == Kind.CALENDAR_YEAR:
            return f"{self.start.year:04d}"
        if kind == Kind.ROLLING_12:
            return f"12 months to {_month_year(last)}"
        if kind == Kind.SPAN:
            return self.range_label
        # Year to date: the suffix tells it apart from the quarter, financial year or month with the same
        # months, so that parse(label) gives this period back.
        if first == last:
            span = _month_year(first)
        elif self.start.year == self.end.year:
            span = f"{_ABBREVIATIONS[self.start.month - 1]} {_DASH} {_month_year(last)}"
        else:
            span = f"{_month_year(first)} {_DASH} {_month_year(last)}"
        return f"{span} (year to date)"

    @property
    def range_label(self) -> str:
        """The months covered, e.g. Apr 2015 – Mar 2016, or Apr 2016 for a single month."""
        if self._first == self._last:
            return _month_year(self._first)
        return f"{_month_year(self._first)} {_DASH} {_month_year(self._last)}"

    @cached_property
    def code(self) -> str:
        """A stable key: 2016-04, 2016-17-Q1, 2016-Q1, FY-2015-16, 2015, R12-2016-03, YTD-F-2016-06.

        Financial years have the FY- prefix because 2011-12 is also the code of December 2011."""
        kind, (end_year, end_month) = self.kind, _year_month(self._last)
        if kind == Kind.MONTH:
            return f"{end_year:04d}-{end_month:02d}"
        if kind == Kind.QUARTER:
            if self.calendar:
                return f"{self.start.year:04d}-Q{self._q}"
            return f"{_fy_label(_fy_start_year(self.start.year, self.start.month), '-')}-Q{self._q}"
        if kind == Kind.FINANCIAL_YEAR:
            return f"FY-{_fy_label(self.start.year, '-')}"
        if kind == Kind.CALENDAR_YEAR:
            return f"{self.start.year:04d}"
        if kind == Kind.ROLLING_12:
            return f"R12-{end_year:04d}-{end_month:02d}"
        if kind == Kind.SPAN:
            return f"S-{self.start.year:04d}-{self.start.month:02d}-{end_year:04d}-{end_month:02d}"
        return f"YTD-{'C' if self.calendar else 'F'}-{end_year:04d}-{end_month:02d}"

    @property
    def financial_year_label(self) -> str:
        """The financial year of the period's last month, e.g. 2015/16 for anything ending in March 2016."""
        return _fy_label(_fy_start_year(self.end.year, self.end.month))

    def __str__(self) -> str:
        return self.label

    # Neighbours

    def _shifted(self, months: int) -> Period:
        return self._span(self._first + months, self._last + months, self.kind, self.calendar)

    def same_period_last_year(self) -> Period:
        """The same kind of period, 12 months earlier: Q1 2015/16 for Q1 2016/17."""
        return self._shifted(-12)

    def previous(self) -> Period:
        """The period of the same kind just before this one: the previous month, quarter or year; for rolling
        12 months and year to date, the one ending a month earlier (year to date April 2016 comes after
        year to date March 2016, which covers the whole of 2015/16)."""
        if self.kind == Kind.YEAR_TO_DATE:
            year, month = _year_month(self._last - 1)
            return self.year_to_date(year, month, "calendar" if self.calendar else "financial")
        if self.kind == Kind.ROLLING_12:
            return self._shifted(-1)
        return self._shifted(-self.month_count)


# Codes


def _from_code(code: str) -> Period | None:
    if m := re.fullmatch(r"(\d{4})-(\d{2})", code):
        return Period.month(int(m[1]), int(m[2])) if 1 <= int(m[2]) <= 12 else None
    if m := re.fullmatch(r"(\d{4})", code):
        return Period.calendar_year(int(m[1]))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        return Period.quarter(int(m[1]), int(m[2]), calendar=True)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-Q([1-4])", code):
        return Period.quarter(int(m[1]), int(m[3]))
    if m := re.fullmatch(r"FY-(\d{4})-(\d{2})", code):
        return Period.financial_year(int(m[1]))
    if m := re.fullmatch(r"R12-(\d{4})-(\d{2})", code):
        return Period.rolling_12(int(m[1]), int(m[2])) if 1 <= int(m[2]) <= 12 else None
    if m := re.fullmatch(r"S-(\d{4})-(\d{2})-(\d{4})-(\d{2})", code):
        if not (1 <= int(m[2]) <= 12 and 1 <= int(m[4]) <= 12):
            return None
        return Period.span(int(m[1]), int(m[2]), int(m[3]), int(m[4]))
    if m := re.fullmatch(r"YTD-([FC])-(\d{4})-(\d{2})", code):
        if not 1 <= int(m[3]) <= 12:
            return None
        return Period.year_to_date(int(m[2]), int(m[3]), "calendar" if m[1] == "C" else "financial")
    return None


# Parsing

_EXAMPLES = "expected for example Apr 2016, Q1 2016/17, 2015/16 or Apr 2015 – Mar 2016"
_LONGEST = 60  # no way of writing a period is longer; longer text is not read, however it looks
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def _month_year_pattern(prefix: str, year_optional: bool = False) -> str:
    """A month name with a four-digit year ("apr 2016", "april2016", "apr-2016") or, after a hyphen, a
    two-digit one ("apr-16"). Named groups: {prefix}m, {prefix}y4, {prefix}y2."""
    year = rf"(?: ?- ?(?P<{prefix}y2>\d{{2}})|(?: ?-)? ?(?P<{prefix}y4>\d{{4}}))"
    return rf"(?P<{prefix}m>[a-z]+)\.?{year}{'?' if year_optional else ''}"


_FY = r"(?P<fy1>\d{4}) ?[/-] ?(?P<fy2>\d{4}|\d{2})"
_MONTH_RE = re.compile(_month_year_pattern("a"))
_RANGE_RE = re.compile(
    rf"{_month_year_pattern('a', year_optional=True)}(?: ?- ?| to ){_month_year_pattern('b')}"
)
_ISO_MONTH_RE = re.compile(r"(\d{4}) ?- ?(\d{2})")
_YEAR_RE = re.compile(r"\d{4}")
_FY_RE = re.compile(rf"(?:fy ?-? ?)?{_FY}")
_QUARTER_RES = [
    re.compile(rf"q(?P<q>\d) ?(?:fy ?)?{_FY}"),
    re.compile(rf"(?:fy ?-? ?)?{_FY} ?-? ?q(?P<q>\d)"),
]
_CALENDAR_QUARTER_RES = [re.compile(r"q(?P<q>\d) ?(?P<y>\d{4})"), re.compile(r"(?P<y>\d{4}) ?-? ?q(?P<q>\d)")]
_ROLLING_RE = re.compile(
    r"(?:rolling )?(?:12|twelve) ?months? (?:to|ending|ended)(?: (?:the )?end of)? "
    + _month_year_pattern("a")
)
_R12_CODE_RE = re.compile(r"r12 ?- ?(\d{4})-(\d{2})")
_YTD_CODE_RE = re.compile(r"ytd ?- ?([fc]) ?- ?(\d{4})-(\d{2})")
_SPAN_CODE_RE = re.compile(r"s-(\d{4})-(\d{2})-(\d{4})-(\d{2})")
_YTD_WORDS = r"(?:year to date|ytd)"
_YTD_RES = [
    re.compile(rf"(?P<body>.+?) ?\( ?{_YTD_WORDS} ?\)"),
    re.compile(rf"(?P<body>.+?),? {_YTD_WORDS}"),
    re.compile(rf"{_YTD_WORDS} ?:? ?\(?(?P<body>.+?)\)?"),
]


class _Unreadable(Exception):
    pass


class _Ambiguous(_Unreadable):
    def __init__(self, *readings: Period):
        super().__init__()
        self.readings = readings


def _month_number(name: str) -> int:
    if name not in _MONTH_NUMBERS:
        raise _Unreadable
    return _MONTH_NUMBERS[name]


def _two_digit_year(text: str) -> int:
    """As strptime's %y: 69–99 are 1969–1999, 00–68 are 2000–2068."""
    value = int(text)
    return value + (1900 if value >= 69 else 2000)


def _matched_month(match: re.Match, prefix: str) -> tuple[int, int | None]:
    """(month number, year or None) from a match of _month_year_pattern."""
    month = _month_number(match[f"{prefix}m"])
    if match[f"{prefix}y4"]:
        return month, int(match[f"{prefix}y4"])
    if match[f"{prefix}y2"]:
        return month, _two_digit_year(match[f"{prefix}y2"])
    return month, None


def _fy_start(match: re.Match) -> int:
    """The start year of a financial year written 2015/16, 2015-16 or 2015/2016; 2015/17 is unreadable."""
    start, end = int(match["fy1"]), match["fy2"]
    expected = start + 1 if len(end) == 4 else (start + 1) % 100
    if int(end) != expected:
        raise _Unreadable
    return start


def _quarter_number(text: str) -> int:
    if not 1 <= int(text) <= 4:
        raise _Unreadable
    return int(text)


def _months(text: str) -> tuple[int, int] | None:
    """(first, last) month indexes of a single month or a range of months, or None if it is neither."""
    if m := _MONTH_RE.fullmatch(text):
        month, year = _matched_month(m, "a")
        return _index(year, month), _index(year, month)
    if m := _RANGE_RE.fullmatch(text):
        end_month, end_year = _matched_month(m, "b")
        start_month, start_year = _matched_month(m, "a")
        first, last = _index(start_year or end_year, start_month), _index(end_year, end_month)
        if last < first:
            raise _Unreadable
        return first, last
    return None


def _from_months(first: int, last: int, basis: str) -> Period:
    """The period a run of months stands for; see `parse`."""
    count, start_month = last - first + 1, _year_month(first)[1]
    if count == 1:
        return Period._span(first, last, Kind.MONTH)
    if count == 12 and start_month == FINANCIAL_YEAR_START:
        return Period._span(first, last, Kind.FINANCIAL_YEAR)
    if count == 12 and start_month == CALENDAR_YEAR_START:
        return Period._span(first, last, Kind.CALENDAR_YEAR)
    if count == 3 and start_month in (1, 4, 7, 10):
        return Period._span(first, last, Kind.QUARTER, basis == "calendar")
    if count == 12:
        return Period._span(first, last, Kind.ROLLING_12)
    year_start = CALENDAR_YEAR_START if basis == "calendar" else FINANCIAL_YEAR_START
    if count < 12 and start_month == year_start:
        return Period._span(first, last, Kind.YEAR_TO_DATE, basis == "calendar")
    return Period._span(first, last, Kind.SPAN)


def _parse(text: str, basis: str) -> Period:
    if m := _YTD_CODE_RE.fullmatch(text):
        month = int(m[3])
        if not 1 <= month <= 12:
            raise _Unreadable
        return Period.year_to_date(int(m[2]), month, "calendar" if m[1] == "c" else "financial")
    if m := _SPAN_CODE_RE.fullmatch(text):
        return Period.span(int(m[1]), int(m[2]), int(m[3]), int(m[4]))  # a bad month: unreadable
    if m := _R12_CODE_RE.fullmatch(text):
        return Period.rolling_12(int(m[1]), int(m[2]))  # a bad month is a ValueError, reported as unreadable
    if _YEAR_RE.fullmatch(text):
        return Period.calendar_year(int(text))
    if m := _ISO_MONTH_RE.fullmatch(text):
        # 2016-04 is April 2016 and 2015-16 is 2015/16, but 2008-09 could be either: CSP documents write
        # financial years so, ISO dates write months so. Refuse rather than guess. (Codes do not collide:
        # those of financial years start FY-.)
        year, number = int(m[1]), int(m[2])
        if 1 <= number <= 12:
            if number == (year + 1) % 100:
                raise _Ambiguous(Period.month(year, number), Period.financial_year(year))
            return Period.month(year, number)
    if m := _FY_RE.fullmatch(text):
        return Period.financial_year(_fy_start(m))
    for pattern in _QUARTER_RES:
        if m := pattern.fullmatch(text):
            return Period.quarter(_fy_start(m), _quarter_number(m["q"]))
    for pattern in _CALENDAR_QUARTER_RES:
        if m := pattern.fullmatch(text):
            return Period.quarter(int(m["y"]), _quarter_number(m["q"]), calendar=True)
    if m := _ROLLING_RE.fullmatch(text):
        month, year = _matched_month(m, "a")
        return Period.rolling_12(year, month)
    for pattern in _YTD_RES:
        if (m := pattern.fullmatch(text)) and (months := _months(m["body"])):
            first, last = months
            start_month = _year_month(first)[1]
            if start_month not in (FINANCIAL_YEAR_START, CALENDAR_YEAR_START) or last - first >= 12:
                raise _Unreadable
            return Period._span(first, last, Kind.YEAR_TO_DATE, start_month == CALENDAR_YEAR_START)
    if months := _months(text):
        return _from_months(*months, basis)
    raise _Unreadable


def parse(label: str, basis: str = "financial") -> Period:
    """Read a period as people and spreadsheets write it; raise ValueError if it cannot be read.

    Accepts every `label` and `range_label` of a Period, its `code` (but see below), and: "April 2016",
    "Apr-16", "2016-04"; "2015/16", "2015-16", "2015/2016"; "Q1 2016/17", "2016/17 Q1", "Q1 2016-17";
    "Q1 2016" (calendar quarter); "2015" (calendar year); "12 months to Mar 2016", "12 months ending March
    2016"; a range of months, written "Apr 2015 – Mar 2016", "Apr 2015 - Mar 2016", "April 2015 to March 2016"
    or "Apr – Jun 2016". Case, spacing and the kind of dash do not matter.

    A range is read as: one month → that month; April–March → financial year; January–December → calendar
    year; three months from January, April, July or October → a quarter (a calendar quarter if basis is
    "calendar"); any other 12 months → rolling 12 months; fewer than 12 months from the start of the year
    (April, or January if basis is "calendar") → year to date; any other run of months → a span ("Jan 2010 –
    Mar 2015"), kept out of regular series. A range or month followed by "(year to date)"
    or "YTD" is year to date whatever its length (up to 12 months) and basis (from its first month).

    "2000-01" to "2011-12" could be a month or a financial year ("2008-09": Sep 2008 or 2008/09), so they
    raise ValueError naming both readings; of all codes, only those of these twelve months are not read.
    """
    _check_basis(basis)
    if not isinstance(label, str):
        raise TypeError(f"a period label must be text, not {label!r}")
    text = " ".join(label.translate(_DASHES).lower().split())
    try:
        if len(text) > _LONGEST:
            raise _Unreadable
        return _parse(text, basis)
    except _Ambiguous as ambiguous:
        first, second = (reading.label for reading in ambiguous.readings)
        raise ValueError(
            f"cannot read {label!r} as a period; it could be {first} or {second}, so write one of those"
        ) from None
    except (_Unreadable, ValueError):
        raise ValueError(f"cannot read {label!r} as a period; {_EXAMPLES}") from None


# Indicators' reporting periods


def _period_ending(frequency: str, basis: str, last: int) -> Period | None:
    """The reporting period of a frequency and basis that ends in month `last`, if there is one."""
    year, month = _year_month(last)
    if frequency == "monthly":
        return Period.month(year, month)
    if frequency == "quarterly":
        if month % 3:
            return None
        if basis == "calendar":
            return Period.quarter(year, month // 3, calendar=True)
        return Period.quarter(_fy_start_year(year, month), (month - FINANCIAL_YEAR_START) % 12 // 3 + 1)
    if basis == "calendar":
        return Period.calendar_year(year) if month == 12 else None
    return Period.financial_year(year - 1) if month == FINANCIAL_YEAR_START - 1 else None


def periods_for(frequency: str, basis: str, start: date, end: date) -> list[Period]:
    """The reporting periods of an indicator that end between `start` and `end` inclusive, in order.

    Monthly indicators report months; quarterly ones financial quarters (Q1 = April–June), or calendar
    quarters (Q1 = January–March) on the calendar basis; annual ones financial or calendar years.
    """
    _check_frequency(frequency)
    _check_basis(basis)
    result = []
    for last in range(_index(start.year, start.month), _index(end.year, end.month) + 1):
        period = _period_ending(frequency, basis, last)
        if period is not None and start <= period.end <= end:
            result.append(period)
    return result


def valid_for(period: Period, frequency: str, basis: str) -> bool:
    """Whether `period` is one of the reporting periods of an indicator with this frequency and basis."""
    _check_frequency(frequency)
    _check_basis(basis)
    return period == _period_ending(frequency, basis, period._last)
