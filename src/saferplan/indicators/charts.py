"""Server-drawn SVG charts: one chart serves the page (inline SVG), the PDF and HTML papers (data URI) and the
Word document (PNG through cairosvg, reports.render.chart_png).

The XmR chart shows the values, the mean and process limits of each group of points, the target and a
benchmark where given, with axis titles (the unit spelt out) and a legend naming every line and marker.
Special-cause points are coloured as in NHS "Making Data Count" (blue improvement, red concern, purple no
polarity) and also drawn in their own shape (diamond, square, triangle), so that colour is never the only
cue; synthetic demo figures are hollow markers, with a note on the chart. Tick steps are "nice" (1, 2, 2.5 or
5 × 10ⁿ) and their labels carry the decimals the step needs, so no two labels are the same.

Only plain SVG shapes and generic fonts (sans-serif) are used, so that cairosvg (Word) and WeasyPrint (PDF)
draw the same picture. Each SVG has role="img" and a title and description it is labelled by; the data
table beside it carries every figure for screen-reader users.
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal
from html import escape

from saferplan.core.formatting import figure
from saferplan.indicators import stats
from saferplan.indicators.assessment import spc_words

WIDTH = 720
LEFT, RIGHT = 84, 104  # room for the y axis title and ticks; for the target and benchmark labels
PLOT_HEIGHT = 230
FONT = 'font-family="sans-serif"'
INK, GREY, FRAME = "#0b0c0c", "#505a5f", "#b1b4b6"
COLOURS = {
    "common_cause": GREY,
    "improvement": "#1d70b8",
    "concern": "#d4351c",
    "neutral_high": "#4c2c92",
    "neutral_low": "#4c2c92",
}
TARGET_COLOUR, BENCHMARK_COLOUR = "#00703c", "#912b88"
VARIATION_WORDS = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral_high": "Special cause: high",
    "neutral_low": "Special cause: low",
}
UNIT_TITLES = {
    "count": "Number",
    "percentage": "Percentage (%)",
    "rate_per_1000": "Rate per 1,000 population",
    "rate_per_100000": "Rate per 100,000 population",
    "percentage_change": "Percentage change (%)",
    "score": "Score",
}
X_TITLES = {"month": "Month", "quarter": "Quarter", "financial_year": "Year", "calendar_year": "Year"}


def y_title_for(unit: str) -> str:
    """The value axis title for an indicator's unit, e.g. "Rate per 1,000 population"."""
    return UNIT_TITLES.get(unit, "Value")


def x_title_for(kind: str) -> str:
    """The time axis title for a kind of period (periods.Kind value), e.g. "Month"; "Period" otherwise."""
    return X_TITLES.get(str(kind), "Period")


def _minus(text: str) -> str:
    return text.replace("-", "\u2212")


def nice_ticks(
    low: float, high: float, *, count: int = 5, integer: bool = False
) -> tuple[list[float], list[str]]:
    """Ticks covering low to high at a "nice" step (1, 2, 2.5 or 5 × 10ⁿ, about `count` steps), and their
    labels to the decimals the step needs: 0.18, 0.19, …; 0, 250, …, 1,250. `integer` keeps steps whole (for
    counts). A flat range (one value) is widened around the value."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("ticks need finite limits")
    low, high = min(low, high), max(low, high)
    if high == low:
        spread = abs(low) * 0.1 or 1.0
        low, high = low - spread, high + spread
    raw = (Decimal(repr(high)) - Decimal(repr(low))) / count  # in decimals: 0.23 - 0.18 is 0.05, not more
    exponent = raw.adjusted()
    mantissa = "10"
    for m in ("1", "2", "2.5", "5", "10"):
        if Decimal(m) * Decimal(10) ** exponent >= raw:
            mantissa = m
            break
    if mantissa == "10":
        mantissa, exponent = "1", exponent + 1
    if integer and (exponent < 0 or (exponent == 0 and mantissa == "2.5")):
        mantissa, exponent = ("5", 0) if mantissa == "2.5" and exponent == 0 else ("1", 0)
    step = Decimal(mantissa) * Decimal(10) ** exponent
    decimals = max(0, -exponent) + (1 if mantissa == "2.5" and exponent <= 0 else 0)
    first = math.floor(Decimal(repr(low)) / step)
    last = math.ceil(Decimal(repr(high)) / step)
    values = [k * step for k in range(first, last + 1)]
    labels = [_minus(f"{v:,.{decimals}f}") for v in values]
    labels = ["0" if label.strip("\u22120.,") == "" else label for label in labels]
    return [float(v) for v in values], labels


def _text_width(text: str, size: float) -> float:
    """A generous estimate of the width of text in a sans-serif font (no font metrics on the server)."""
    return len(text) * size * 0.6


def _uid(kind: str, *parts: object) -> str:
    """An id for the title and description, the same for the same chart and different between charts, so
    that several charts can be inline in one page."""
    return f"{kind}-" + hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def _marker(variation: str, cx: float, cy: float, *, hollow: bool, tooltip: str = "") -> str:
    """A point: a small circle for common cause; a diamond (improvement), square (concern) or triangle (no
    polarity, pointing up or down) for special cause; hollow when the figure is synthetic."""
    colour = COLOURS.get(variation, GREY)
    if variation == "improvement":
        d = f"M{cx:.1f},{cy - 6.5:.1f} L{cx + 6.5:.1f},{cy:.1f} L{cx:.1f},{cy + 6.5:.1f} L{cx - 6.5:.1f},{cy:.1f} Z"
    elif variation == "concern":
        d = f"M{cx - 5:.1f},{cy - 5:.1f} h10 v10 h-10 Z"
    elif variation == "neutral_high":
        d = f"M{cx:.1f},{cy - 6.5:.1f} L{cx + 6:.1f},{cy + 4.5:.1f} L{cx - 6:.1f},{cy + 4.5:.1f} Z"
    elif variation == "neutral_low":
        d = f"M{cx:.1f},{cy + 6.5:.1f} L{cx + 6:.1f},{cy - 4.5:.1f} L{cx - 6:.1f},{cy - 4.5:.1f} Z"
    else:
        r = 4 if hollow else 3.5
        d = f"M{cx - r:.1f},{cy:.1f} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0 Z"
    fill = "#ffffff" if hollow else colour
    return (
        f'<path class="{"app-chart-point" if tooltip else "app-chart-swatch"}" data-variation="{variation}" '
        f'data-synthetic="{str(hollow).lower()}" d="{d}" fill="{fill}" stroke="{colour}" '
        f'stroke-width="{1.75 if hollow else 1}">'
        + (f"<title>{escape(tooltip)}</title>" if tooltip else "")
        + "</path>"
    )


def _legend(entries: list[tuple[str, str]], top: float, left: float, right: float) -> tuple[str, float]:
    """(the legend as SVG, its height): entries are (swatch SVG drawn at 0,0 to 28,0, label), wrapped in rows."""
    parts = ['<g class="app-chart-legend">']
    x, y = left, top
    row = 20
    for swatch, label in entries:
        width = 34 + _text_width(label, 12) + 18
        if x + width > right and x > left:
            x, y = left, y + row
        parts.append(
            f'<g class="app-chart-legend-item" transform="translate({x:.1f},{y:.1f})">{swatch}'
            f'<text x="34" y="4" font-size="12" fill="{INK}">{escape(label)}</text></g>'
        )
        x += width
    parts.append("</g>")
    return "".join(parts), y - top + row


def _line_swatch(colour: str, dash: str = "", width: float = 1.5) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<line x1="0" x2="28" y1="0" y2="0" stroke="{colour}" stroke-width="{width}"{dashed}/>'


def _synthetic_flags(synthetic: list[bool] | None, n: int) -> list[bool]:
    if synthetic is None:
        return [False] * n
    flags = [bool(s) for s in synthetic]
    if len(flags) != n:
        raise ValueError(f"synthetic has {len(flags)} flags for {n} points")
    return flags


def _synthetic_words(flags: list[bool]) -> str:
    count = sum(flags)
    if not count:
        return ""
    if count == len(flags):
        return "Every point is synthetic demo data, not a real figure (hollow markers)."
    return f"{count} of the {len(flags)} points are synthetic demo data, not real figures (hollow markers)."


def _synthetic_note(flags: list[bool]) -> str:
    """The note on the chart itself when any point is synthetic."""
    if all(flags):
        return "Synthetic demo data: every point is invented, not a real figure."
    return (
        f"Synthetic demo data: {sum(flags)} of the {len(flags)} points (hollow markers) are not real figures."
    )


def spc_description(
    labels: list[str],
    result: stats.SPCResult,
    target: float | None = None,
    *,
    unit: str = "count",
    benchmark: float | None = None,
    benchmark_label: str = "Benchmark",
    synthetic: list[bool] | None = None,
) -> str:
    """The chart in words: its span, mean and limits, the SPC findings (in the words of the assessment
    summary, assessment.spc_words), target, benchmark and which points are synthetic."""
    n = len(result.points)
    several = len(result.groups) > 1
    groups = " ".join(
        (f"From {labels[g.start]}: mean" if several else "Mean")
        + f" {figure(g.mean, unit)}, process limits {figure(g.lower, unit)} to {figure(g.upper, unit)}"
        + (" (trial limits: fewer than 13 points)" if g.trial else "")
        + "."
        for g in result.groups
    )
    found = spc_words(result, labels[-1])
    span = f"{n} points from {labels[0]} to {labels[-1]}." if n > 1 else f"1 point, {labels[0]}."
    sentences = [span, groups, found[0].upper() + found[1:] + "."]
    if target is not None:
        sentences.append(f"Target {figure(target, unit)}.")
    if benchmark is not None:
        sentences.append(f"{benchmark_label} {figure(benchmark, unit)}.")
    sentences.append(_synthetic_words(_synthetic_flags(synthetic, n)))
    return " ".join(s for s in sentences if s)


def spc_chart(
    labels: list[str],
    result: stats.SPCResult,
    *,
    title: str,
    target: float | None = None,
    unit: str = "",
    y_title: str = "",
    x_title: str = "Period",
    benchmark: float | None = None,
    benchmark_label: str = "Benchmark",
    synthetic: list[bool] | None = None,
) -> str:
    """An XmR chart as an SVG string. `unit` is the indicator's unit (for the axis title and figures);
    `y_title` overrides the axis title (e.g. "Number of crimes"); `x_title` is e.g. "Month" (x_title_for);
    `synthetic` flags each point that is synthetic demo data."""
    values = [p.value for p in result.points]
    n = len(values)
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} points")
    flags = _synthetic_flags(synthetic, n)
    figure_unit = unit or "count"
    extent = values + [v for g in result.groups for v in (g.lower, g.upper, g.mean)]
    extent += [v for v in (target, benchmark) if v is not None]
    low, high = min(extent), max(extent)
    pad = (high - low) * 0.03
    ticks, tick_labels = nice_ticks(low - pad, high + pad, integer=unit == "count" and low >= 1)
    low, high = ticks[0], ticks[-1]

    note = _synthetic_words(flags)
    top = 12 + (24 if note else 0)
    right = WIDTH - RIGHT
    plot_w = right - LEFT
    inset = 12  # so that markers at either end are not cut by the frame

    def x(i: float) -> float:
        return LEFT + inset + ((plot_w - 2 * inset) * i / (n - 1) if n > 1 else (plot_w - 2 * inset) / 2)

    def y(v: float) -> float:
        return top + PLOT_HEIGHT * (1 - (v - low) / (high - low))

    bottom = top + PLOT_HEIGHT
    uid = _uid("spc", title, labels, values)
    desc = spc_description(
        labels,
        result,
        target,
        unit=figure_unit,
        benchmark=benchmark,
        benchmark_label=benchmark_label,
        synthetic=flags,
    )
    body = [
        f'<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{PLOT_HEIGHT}" fill="#ffffff" stroke="{FRAME}"/>'
    ]
    if note:
        body.append(
            f'<text class="app-chart-note" x="{LEFT}" y="{top - 10}" font-size="13" font-weight="bold" '
            f'fill="{INK}">{escape(_synthetic_note(flags))}</text>'
        )
    # y axis: ticks, gridlines and title
    body.append('<g class="app-chart-y-axis">')
    for v, label in zip(ticks, tick_labels, strict=True):
        body.append(
            f'<line x1="{LEFT}" x2="{right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#f3f2f1"/>'
            f'<line x1="{LEFT - 4}" x2="{LEFT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GREY}"/>'
            f'<text class="app-chart-tick" x="{LEFT - 7}" y="{y(v) + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    y_words = y_title or y_title_for(unit)
    middle = top + PLOT_HEIGHT / 2
    body.append(
        f'<text class="app-chart-axis-title" x="16" y="{middle:.1f}" font-size="13" font-weight="bold" '
        f'text-anchor="middle" fill="{INK}" transform="rotate(-90 16 {middle:.1f})">{escape(y_words)}</text></g>'
    )
    # x axis: labels thinned so that they do not overlap (the latest period is always labelled), and title
    spacing = (plot_w - 2 * inset) / (n - 1) if n > 1 else plot_w
    widest = max(_text_width(label, 12) for label in labels) + 10
    step = next((s for s in (1, 2, 3, 4, 6, 12, 24) if s * spacing >= widest), math.ceil(widest / spacing))
    body.append('<g class="app-chart-x-axis">')
    for i in range(n - 1, -1, -step):
        anchor = "middle"
        if x(i) - widest / 2 < 0:
            anchor = "start"
        body.append(
            f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="{GREY}"/>'
            f'<text class="app-chart-tick" x="{x(i):.1f}" y="{bottom + 18}" font-size="12" '
            f'text-anchor="{anchor}" fill="{INK}">{escape(labels[i])}</text>'
        )
    body.append(
        f'<text class="app-chart-axis-title" x="{LEFT + plot_w / 2:.1f}" y="{bottom + 40}" font-size="13" '
        f'font-weight="bold" text-anchor="middle" fill="{INK}">{escape(x_title)}</text></g>'
    )
    # mean and process limits of each group
    for g in result.groups:
        x1, x2 = x(g.start) - (inset if g.start == 0 else 0), x(g.end) + (inset if g.end == n - 1 else 0)
        for v, kind, dash, colour in (
            (g.mean, "mean", "", INK),
            (g.upper, "limit", "6 4", GREY),
            (g.lower, "limit", "6 4", GREY),
        ):
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<line class="app-chart-{kind}" x1="{x1:.1f}" x2="{x2:.1f}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                f'stroke="{colour}" stroke-width="1.5"{dashed}/>'
            )
    # target and benchmark across the plot, labelled in the right margin (kept apart when close)
    lines = []
    if target is not None:
        lines.append(("target", target, TARGET_COLOUR, "2 3", "Target"))
    if benchmark is not None:
        lines.append(("benchmark", benchmark, BENCHMARK_COLOUR, "8 3 2 3", benchmark_label))
    placed: list[float] = []
    for kind, v, colour, dash, name in sorted(lines, key=lambda line: -line[1]):
        label_y = y(v) + 4
        for other in placed:
            if abs(label_y - other) < 26:
                label_y = other + 26
        placed.append(label_y)
        short = name if len(name) <= 12 else name[:11].rstrip() + "…"  # the legend has it in full
        body.append(
            f'<g class="app-chart-{kind}"><line x1="{LEFT}" x2="{right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="{right + 6}" y="{label_y:.1f}" font-size="12" fill="{colour}">{escape(short)}</text>'
            f'<text x="{right + 6}" y="{label_y + 13:.1f}" font-size="12" fill="{colour}">'
            f"{escape(figure(v, figure_unit))}</text></g>"
        )
    # the values and their points
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    body.append(f'<path class="app-chart-values" d="{path}" fill="none" stroke="{GREY}" stroke-width="1.5"/>')
    for p, hollow in zip(result.points, flags, strict=True):
        tooltip = f"{labels[p.index]}: {figure(p.value, figure_unit)}"
        if p.variation != "common_cause":
            tooltip += f" – {VARIATION_WORDS.get(p.variation, p.variation).lower()}"
        if hollow:
            tooltip += " (synthetic demo data)"
        body.append(_marker(p.variation, x(p.index), y(p.value), hollow=hollow, tooltip=tooltip))
    # legend: every line and marker on the chart
    entries = [
        (_line_swatch(GREY) + _marker("common_cause", 14, 0, hollow=False), "Value"),
        (_line_swatch(INK), "Mean"),
        (
            _line_swatch(GREY, "6 4"),
            "Process limits" + (" (trial)" if any(g.trial for g in result.groups) else ""),
        ),
    ]
    if target is not None:
        entries.append((_line_swatch(TARGET_COLOUR, "2 3", 2), "Target"))
    if benchmark is not None:
        entries.append((_line_swatch(BENCHMARK_COLOUR, "8 3 2 3", 2), benchmark_label))
    shown = {p.variation for p in result.points}
    for variation, words in VARIATION_WORDS.items():
        if variation in shown:
            entries.append((_marker(variation, 14, 0, hollow=False), words))
    if any(flags):
        entries.append((_marker("common_cause", 14, 0, hollow=True), "Synthetic demo data"))
    legend, legend_h = _legend(entries, bottom + 66, LEFT - 40, WIDTH - 8)
    height = math.ceil(bottom + 66 + legend_h)
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-labelledby="{uid}-title {uid}-desc" class="app-chart" {FONT}>',
            f'<title id="{uid}-title">{escape(title)}</title>',
            f'<desc id="{uid}-desc">{escape(desc)}</desc>',
            f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
            *body,
            legend,
            "</svg>",
        ]
    )


def bar_chart(
    labels: list[str], values: list[int], *, title: str, value_title: str = "Number", category_title: str = ""
) -> str:
    """A horizontal bar chart of counts as an SVG string, e.g. actions by status: value axis with nice ticks
    and its title (`value_title`, e.g. "Number of detailed actions"), each bar labelled with its value."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    n = max(len(values), 1)
    label_w = max([_text_width(label, 13) for label in labels] + [_text_width(category_title, 13)]) + 16
    label_w = min(max(label_w, 120), 260)
    bar_h, gap, top = 24, 10, 28 if category_title else 12
    ticks, tick_labels = nice_ticks(0, max(values, default=0) or 1, count=5, integer=True)
    high = ticks[-1]
    right = WIDTH - 16 - max(_text_width(f"{value:,}", 13) for value in values or [0]) - 8
    plot_w = right - label_w
    plot_h = n * (bar_h + gap) + gap
    bottom = top + plot_h
    height = bottom + 48
    uid = _uid("bar", title, labels, values)
    desc = "; ".join(f"{label}: {value:,}" for label, value in zip(labels, values, strict=True)) + "."

    def x(v: float) -> float:
        return label_w + plot_w * v / high

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" class="app-chart" {FONT}>',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        '<g class="app-chart-x-axis">',
    ]
    for v, label in zip(ticks, tick_labels, strict=True):
        parts.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{top}" y2="{bottom + 4}" stroke="#e5e5e5"/>'
            f'<text class="app-chart-tick" x="{x(v):.1f}" y="{bottom + 18}" font-size="12" text-anchor="middle" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    parts.append(
        f'<text class="app-chart-axis-title" x="{label_w + plot_w / 2:.1f}" y="{bottom + 40}" font-size="13" '
        f'font-weight="bold" text-anchor="middle" fill="{INK}">{escape(value_title)}</text></g>'
    )
    if category_title:
        parts.append(
            f'<text class="app-chart-axis-title" x="{label_w - 8}" y="{top - 10}" font-size="13" '
            f'font-weight="bold" text-anchor="end" fill="{INK}">{escape(category_title)}</text>'
        )
    parts.append(f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{bottom}" stroke="{GREY}"/>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + gap + i * (bar_h + gap)
        w = x(value) - label_w
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" font-size="13" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>'
            f'<rect class="app-chart-bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#1d70b8"/>'
            f'<text class="app-chart-value" x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" font-size="13" '
            f'font-weight="bold" fill="{INK}">{value:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 4


def sparkline(values: list[float], *, label: str, synthetic: list[bool] | None = None) -> str:
    """A small inline line chart of a series (the scorecard's last 13 figures): role="img" with `label` as its
    accessible name (the figures themselves are given in text beside it by the page). The last point is a
    dot; synthetic figures are hollow dots. Empty string for fewer than two values."""
    if len(values) < 2:
        return ""
    flags = _synthetic_flags(synthetic, len(values))
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / (len(values) - 1)

    def y(v: float) -> float:
        if high == low:
            return SPARK_HEIGHT / 2
        return SPARK_PAD + (high - v) / span * (SPARK_HEIGHT - 2 * SPARK_PAD)

    xy = [(SPARK_PAD + i * step, y(v)) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in xy)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="{2.5 if i == len(xy) - 1 else 1.5}" '
        + (f'fill="#ffffff" stroke="{INK}" stroke-width="1"' if flags[i] else f'fill="{INK}"')
        + "/>"
        for i, (x, yy) in enumerate(xy)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" class="app-sparkline" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'focusable="false"><title>{escape(label)}</title>'
        f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-width="1.5"/>{dots}</svg>'
    )
