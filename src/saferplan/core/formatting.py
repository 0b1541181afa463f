"""How figures are written in pages, papers and spreadsheets."""

import re


def figure(value, unit: str = "count") -> str:
    """A figure as partnerships write it: 20,649; 32.3%; 55.28 (rates)."""
    if value is None or value == "":
        return "–"
    value = float(value)
    if unit == "percentage":
        return f"{value:,.1f}%"
    if unit == "percentage_change":
        return f"{value:+,.1f}%".replace("-", "−")
    if unit in ("rate_per_1000", "rate_per_100000", "score"):
        return f"{value:,.2f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def long_date(day) -> str:
    """A date as GOV.UK writes it: 1 April 2017."""
    return f"{day.day} {day:%B %Y}"


_MARK = r"\b00\d\s*(?:¶|§|section\s+|sections\s+|paragraphs?\s+|para\.?\s+|p\.\s*|page\s+)[\w.\-–]*\d[\w.\-–]*(?:\s*(?:,|and|&)\s*[\w.\-–]*\d[\w.\-–]*)*"
_PARENTHESISED_MARK = re.compile(rf"\s*\((?:[^()]*?)(?:{_MARK}|not in the seeds)[^()]*\)", re.IGNORECASE)
_BARE_MARK = re.compile(_MARK, re.IGNORECASE)
_SOURCE_SAYS = re.compile(r"\b00\d (?:and 00\d )?(?:does|do) not", re.IGNORECASE)
_NOT_IN_SEEDS = re.compile(r"[,;]?\s*not in the seeds", re.IGNORECASE)


def without_source_marks(text: str) -> str:
    """Text as users read it, without the marks of where a demo value came from in the seed documents
    ("002 ¶2-4", "(000 section 4)", "(not in the seeds)"): the notes keep them for the people who maintain
    the demo."""
    if not text:
        return text or ""
    original = str(text)
    text = _PARENTHESISED_MARK.sub("", original)
    text = _BARE_MARK.sub("a source paper", text)
    text = _SOURCE_SAYS.sub("the sources do not", text)
    text = _NOT_IN_SEEDS.sub("", text)
    return original if text == original else re.sub(r"(?<=\S)[ \t]{2,}", " ", text).strip()
