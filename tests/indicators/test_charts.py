"""The server-drawn SVG charts: readable ticks, the lines and legend the reader needs, SPC signals and
synthetic figures marked on the image, words that agree with the assessment, and SVG that cairosvg draws."""

import io
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from PIL import Image

from saferplan.indicators import charts, stats
from saferplan.indicators.assessment import IndicatorInfo, Point, assess, spc_words
from saferplan.indicators.periods import Period
from saferplan.reports.render import chart_png

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
STABLE = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 102, 98]
# Two years at one level, a year at a lower one: special-cause points before a common-cause last point.
SHIFTED = [100, 104, 97, 101, 99, 103, 96, 100, 102, 98, 101, 99] * 2 + [80, 84, 78, 82, 79, 81] + [100]


def month_labels(n: int, start_year: int = 2016) -> list[str]:
    return [f"{MONTHS[i % 12]} {start_year + i // 12}" for i in range(n)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def legend(root: ET.Element) -> list[str]:
    (box,) = by_class(root, "app-chart-legend")
    return texts(box)


def y_ticks(root: ET.Element) -> list[str]:
    (axis,) = by_class(root, "app-chart-y-axis")
    return [t.text for t in axis.iter(f"{SVG}text") if "app-chart-tick" in (t.get("class") or "")]


def points(root: ET.Element) -> list[ET.Element]:
    return by_class(root, "app-chart-point")


def chart(values, **kwargs) -> ET.Element:
    result = stats.spc(values, improvement=kwargs.pop("improvement", "decrease"))
    return parse(charts.spc_chart(month_labels(len(values)), result, title="Crimes", **kwargs))


def is_nice(step: Decimal) -> bool:
    mantissa = step.scaleb(-step.adjusted()).normalize()
    return mantissa in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


@pytest.mark.parametrize(
    "low, high",
    [(0.18, 0.23), (0, 1242), (-12.5, 3.2), (-0.7, -0.2), (55.28, 55.28), (0, 0), (0.2034, 0.2041), (7, 7)],
)
def test_ticks_are_nice_cover_the_range_and_never_repeat(low, high):
    ticks, labels = charts.nice_ticks(low, high)
    assert len(labels) == len(set(labels)), labels
    assert 3 <= len(ticks) <= 12
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {Decimal(repr(b)) - Decimal(repr(a)) for a, b in zip(ticks, ticks[1:], strict=False)}
    steps = {s.quantize(Decimal(1).scaleb(min(s.adjusted() - 3, 0))) for s in steps}
    assert len(steps) == 1 and is_nice(steps.pop()), ticks
    # Each label reads back as its tick (to the decimals shown), with a true minus sign.
    for value, label in zip(ticks, labels, strict=True):
        assert "-" not in label
        assert math.isclose(float(label.replace(",", "").replace("\u2212", "-")), value, abs_tol=1e-9)


def test_ticks_for_awkward_ranges_read_as_a_person_would_write_them():
    assert charts.nice_ticks(0, 1242)[1] == ["0", "250", "500", "750", "1,000", "1,250"]
    assert charts.nice_ticks(0.18, 0.23)[1] == ["0.18", "0.19", "0.20", "0.21", "0.22", "0.23"]
    assert charts.nice_ticks(-12.5, 3.2)[1] == ["\u221215", "\u221210", "\u22125", "0", "5"]
    # Counts are never split: a count axis from 0 to 3 goes up in whole numbers.
    ticks, labels = charts.nice_ticks(0, 3, integer=True)
    assert all(t == int(t) for t in ticks) and labels == ["0", "1", "2", "3"]


def test_the_chart_has_axis_titles_with_the_unit_and_unique_ticks():
    rate = chart([0.18, 0.21, 0.19, 0.23, 0.2, 0.22, 0.19, 0.21], unit="rate_per_1000", x_title="Quarter")
    titles = [t.text for t in by_class(rate, "app-chart-axis-title")]
    assert titles == ["Rate per 1,000 population", "Quarter"]
    ticks = y_ticks(rate)
    assert len(ticks) == len(set(ticks)) >= 3
    assert all(re.fullmatch(r"0\.\d\d", t) for t in ticks), ticks
    named = chart(STABLE, unit="count", y_title="Number of crimes", x_title=charts.x_title_for("month"))
    assert [t.text for t in by_class(named, "app-chart-axis-title")] == ["Number of crimes", "Month"]
    percent = chart(STABLE, unit="percentage")
    assert by_class(percent, "app-chart-axis-title")[0].text == "Percentage (%)"


def test_a_flat_series_and_a_single_point_still_get_readable_axes():
    flat = chart([5.0] * 8, unit="count")
    ticks = y_ticks(flat)
    assert len(ticks) == len(set(ticks)) >= 3 and "5" in ticks
    single = stats.SPCResult(
        groups=[stats.SPCGroup(0, 0, 42.0, 0.0, 42.0, 42.0, 42.0, 42.0, True)],
        points=[stats.SPCPoint(0, 42.0, 0, None, None, "common_cause")],
        improvement="neutral",
        screen_outliers=True,
        warnings=[],
        target=None,
        assurance=None,
    )
    root = parse(charts.spc_chart(["Apr 2016"], single, title="One figure", unit="count"))
    assert len(points(root)) == 1 and len(set(y_ticks(root))) == len(y_ticks(root)) >= 3
    assert "1 point, Apr 2016." in root.find(f"{SVG}desc").text


def test_x_labels_are_thinned_so_they_do_not_overlap_and_the_latest_is_labelled():
    labels = month_labels(60)
    root = parse(charts.spc_chart(labels, stats.spc(STABLE * 4 + STABLE[:4]), title="Five years"))
    (axis,) = by_class(root, "app-chart-x-axis")
    shown = [t for t in axis.iter(f"{SVG}text") if "app-chart-tick" in (t.get("class") or "")]
    assert 3 <= len(shown) < 60
    assert shown[0].text == labels[-1]  # drawn from the latest backwards
    xs = sorted(float(t.get("x")) for t in shown)
    widest = max(len(t.text) for t in shown) * 12 * 0.6  # the chart's own generous estimate of text width
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= widest


def test_target_and_benchmark_lines_are_drawn_and_named_only_when_given():
    bare = chart(STABLE)
    assert not by_class(bare, "app-chart-target") and not by_class(bare, "app-chart-benchmark")
    assert legend(bare) == ["Value", "Mean", "Process limits"]
    full = chart(STABLE, target=95, benchmark=104.5, benchmark_label="North East")
    (target,) = by_class(full, "app-chart-target")
    (benchmark,) = by_class(full, "app-chart-benchmark")
    assert texts(target) == ["Target", "95"] and texts(benchmark) == ["North East", "104.5"]
    assert legend(full) == ["Value", "Mean", "Process limits", "Target", "North East"]
    # The target line sits where 95 is on the axis: between the ticks either side of it.
    (axis,) = by_class(full, "app-chart-y-axis")
    tick_y = {
        t.text: float(t.get("y")) - 4 for t in axis.iter(f"{SVG}text") if "tick" in (t.get("class") or "")
    }
    line_y = float(target.find(f"{SVG}line").get("y1"))
    assert tick_y["100"] < line_y < tick_y["90"]
    assert len(by_class(full, "app-chart-mean")) == 1 and len(by_class(full, "app-chart-limit")) == 2


def test_special_cause_points_have_their_own_shape_and_legend_entry():
    root = chart(SHIFTED)
    marks = points(root)
    result = stats.spc(SHIFTED, improvement="decrease")
    assert [m.get("data-variation") for m in marks] == [p.variation for p in result.points]
    special = {p.variation for p in result.points} - {"common_cause"}
    assert special  # the series has signals to mark

    def shape(mark):  # the path's commands, without the coordinates
        return re.sub(r"[^A-Za-z]", "", mark.get("d"))

    common = {shape(m) for m in marks if m.get("data-variation") == "common_cause"}
    for variation in special:
        shapes = {shape(m) for m in marks if m.get("data-variation") == variation}
        assert len(shapes) == 1 and not shapes & common
    words = {"improvement": "Special cause: improvement", "concern": "Special cause: concern"}
    assert {words[v] for v in special} <= set(legend(root))
    assert not any(t.startswith("Special cause") for t in legend(chart(STABLE)))


def test_synthetic_points_are_hollow_named_in_the_legend_and_noted_on_the_chart():
    flags = [i < 5 for i in range(len(STABLE))]
    root = chart(STABLE, synthetic=flags)
    marks = points(root)
    assert [m.get("data-synthetic") == "true" for m in marks] == flags
    assert all(m.get("fill") == "#ffffff" for m, f in zip(marks, flags, strict=True) if f)
    assert all(m.get("fill") != "#ffffff" for m, f in zip(marks, flags, strict=True) if not f)
    assert "Synthetic demo data" in legend(root)
    (note,) = by_class(root, "app-chart-note")
    assert note.text.startswith("Synthetic demo data") and f"5 of the {len(STABLE)} points" in note.text
    assert "5 of the 14 points are synthetic demo data" in root.find(f"{SVG}desc").text
    real = chart(STABLE, synthetic=[False] * len(STABLE))
    assert not by_class(real, "app-chart-note") and "Synthetic demo data" not in legend(real)
    every = chart(STABLE, synthetic=[True] * len(STABLE))
    assert "every point" in by_class(every, "app-chart-note")[0].text
    with pytest.raises(ValueError):
        chart(STABLE, synthetic=[True])


def months(values, year=2016):
    return [Point(Period.month(year + i // 12, i % 12 + 1), v) for i, v in enumerate(values)]


COUNT_LOWER = IndicatorInfo(unit="count", polarity="lower_is_better", frequency="monthly")


def test_the_description_and_the_summary_say_the_same_thing_about_special_cause():
    a = assess(COUNT_LOWER, months(SHIFTED), months(SHIFTED)[-1].period)
    labels = [p.period.label for p in months(SHIFTED)]
    description = charts.spc_description(labels, a.spc, a.target)
    earlier = sum(1 for p in a.spc.points[:-1] if p.variation != "common_cause")
    assert a.spc_status == "common_cause" and earlier > 0
    # The latest point's status and the signals earlier in the series are told apart, in both.
    for text in (a.summary, description):
        assert "no special cause at the latest point" in text.lower()
        assert f"({earlier} earlier points show special cause" in text
        assert "no special cause anywhere" not in text
    assert f"the latest point, {labels[-1]}" in description
    assert spc_words(a.spc) in a.summary
    # A series with no signal at all says so once, in both.
    steady = assess(COUNT_LOWER, months(STABLE), months(STABLE)[-1].period)
    steady_description = charts.spc_description(labels[: len(STABLE)], steady.spc)
    for text in (steady.summary, steady_description):
        assert "no special cause anywhere in the series" in text.lower() and "earlier point" not in text
    # A signal at the latest point, with none before it.
    jump = STABLE[:-1] + [160]
    latest = assess(COUNT_LOWER, months(jump), months(jump)[-1].period)
    assert latest.spc_status == "concern"
    assert "special cause concern at the latest point" in latest.summary
    assert "Special cause concern at the latest point" in charts.spc_description(month_labels(14), latest.spc)


def test_the_svg_is_labelled_for_assistive_technology_and_uses_generic_fonts():
    svg = charts.spc_chart(month_labels(len(STABLE)), stats.spc(STABLE), title="Crimes & disorder", target=99)
    root = parse(svg)
    assert root.get("role") == "img" and root.get("font-family") == "sans-serif"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert (
        root.find(f"{SVG}title").get("id") == title_id
        and root.find(f"{SVG}title").text == "Crimes & disorder"
    )
    assert root.find(f"{SVG}desc").get("id") == desc_id and "Target 99." in root.find(f"{SVG}desc").text
    other = parse(
        charts.spc_chart(month_labels(len(STABLE)), stats.spc(STABLE), title="Anti-social behaviour")
    )
    assert other.get("aria-labelledby") != root.get("aria-labelledby")  # two charts in one page do not clash
    assert not re.search(r'font-family="(?!sans-serif)', svg)


def test_bar_chart_has_axis_titles_nice_ticks_and_value_labels():
    values = [1242, 300, 25, 7, 0]
    labels = ["Complete", "On track", "At risk", "Overdue", "Not started"]
    root = parse(
        charts.bar_chart(
            labels, values, title="Actions", value_title="Number of actions", category_title="Status"
        )
    )
    assert [t.text for t in by_class(root, "app-chart-axis-title")] == ["Number of actions", "Status"]
    (axis,) = by_class(root, "app-chart-x-axis")
    ticks = [t.text for t in axis.iter(f"{SVG}text") if "tick" in (t.get("class") or "")]
    assert ticks == ["0", "250", "500", "750", "1,000", "1,250"]
    assert [t.text for t in by_class(root, "app-chart-value")] == ["1,242", "300", "25", "7", "0"]
    bars = [float(b.get("width")) for b in by_class(root, "app-chart-bar")]
    assert bars == sorted(bars, reverse=True) and bars[-1] == 0
    assert math.isclose(bars[1] / bars[0], 300 / 1242, rel_tol=0.01)
    # The value labels stay inside the picture.
    width = float(root.get("viewBox").split()[2])
    assert all(float(t.get("x")) + len(t.text) * 13 * 0.6 <= width for t in by_class(root, "app-chart-value"))


@pytest.mark.parametrize(
    "svg",
    [
        charts.spc_chart(
            month_labels(len(SHIFTED)),
            stats.spc(SHIFTED, improvement="decrease"),
            title="Crimes",
            target=90,
            benchmark=95.5,
            benchmark_label="North East",
            unit="count",
            x_title="Month",
            synthetic=[i % 3 == 0 for i in range(len(SHIFTED))],
        ),
        charts.spc_chart(
            month_labels(8), stats.spc([0.18, 0.21, 0.19, 0.23, 0.2, 0.22, 0.19, 0.21]), title="R"
        ),
        charts.spc_chart(month_labels(8), stats.spc([5.0] * 8), title="Flat"),
        charts.bar_chart(["Complete", "Overdue"], [12, 3], title="Actions"),
        charts.bar_chart([], [], title="No actions"),
    ],
    ids=["spc-everything", "spc-small-rates", "spc-flat", "bar", "bar-empty"],
)
def test_cairosvg_draws_every_chart(svg):
    root = parse(svg)  # well-formed XML
    png = chart_png(svg, width=800)
    image = Image.open(io.BytesIO(png))
    _, _, w, h = (float(v) for v in root.get("viewBox").split())
    assert image.size == (800, round(800 * h / w))
    assert image.convert("L").getextrema()[0] < 100  # something dark (ink) was drawn on the white page
