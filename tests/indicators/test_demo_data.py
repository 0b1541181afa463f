"""The demo's performance data: the seed figures with their sources, and synthetic series labelled as such."""

import csv
import io

from django.urls import reverse

from saferplan.indicators.models import Observation, Target


def figure(slug, period):
    return Observation.objects.get(
        indicator__slug=slug, area__code="E06000047", period=period, synthetic=False
    )


def test_seed_figures_are_loaded_with_their_sources(demo):
    assert figure("asb-incidents-police", "FY-2014-15").value == 23257
    asb = figure("asb-incidents-police", "FY-2015-16")
    assert asb.value == 20649 and "20,649" in asb.reference and asb.source == "Durham Constabulary"
    assert figure("first-time-entrants", "FY-2007-08").value == 1129
    assert figure("first-time-entrants", "FY-2015-16").value == 161
    assert figure("alcohol-related-violent-crime", "FY-2014-15").value == 32.3
    assert figure("alcohol-related-violent-crime", "FY-2015-16").value == 28
    assert figure("road-casualties", "2015").value == 1242
    crime = figure("crime-rate", "FY-2015-16")
    assert crime.numerator == 28690 and crime.value == 28690 / crime.denominator * 1000
    assert figure("stronger-families-attached", "FY-2015-16").value == 1932
    target = Target.objects.get(indicator__slug="stronger-families-attached", due_period="2017-03")
    assert target.value == 2340 and target.cumulative and target.start_period == "2015-04"


def test_synthetic_months_add_up_to_the_published_year(demo):
    months = Observation.objects.filter(
        indicator__slug="asb-incidents-police",
        area__code="E06000047",
        period_kind="month",
        headline=True,
        period_start__gte="2015-04-01",
        period_end__lte="2016-03-31",
    )
    # eleven synthetic months and the real March 2016 police month, adding up to the published year
    assert months.count() == 12 and [m.period for m in months if not m.synthetic] == ["2016-03"]
    assert months.get(period="2016-03").origin == "police"
    assert sum(m.value for m in months) == 20649


def test_synthetic_data_is_labelled_on_pages_and_exports(demo, users, client):
    client.force_login(users["board_member"])
    overview = client.get(reverse("performance-overview")).content.decode()
    assert "Synthetic" in overview and "made-up demo data" in overview
    export = client.get(reverse("performance-overview"), {"format": "csv", "period": "2018-19-Q3"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    header = rows[1]
    synthetic = header.index("Synthetic demo data")
    assert rows[2:] and all(r[synthetic] == "yes" for r in rows[2:] if r[3])  # nothing real after 2016
    real = client.get(reverse("performance-overview"), {"format": "csv", "period": "FY-2015-16"})
    by_name = {r[1]: r for r in csv.reader(io.StringIO(real.content.decode("utf-8-sig"))) if len(r) > 1}
    assert by_name["Number of police reported incidents of anti-social behaviour"][synthetic] == "no"
    asb = Observation.objects.filter(indicator__slug="asb-incidents-police").first().indicator
    page = client.get(reverse("indicator-performance", args=[asb.pk])).content.decode()
    assert "synthetic demo data" in page.lower()


def test_overview_for_2015_16_shows_the_published_reduction(demo, users, client):
    client.force_login(users["board_member"])
    page = client.get(reverse("performance-overview"), {"period": "FY-2015-16"}).content.decode()
    assert "20,649" in page and "−2,608" in page and "−11.2%" in page
    xlsx = client.get(reverse("performance-overview"), {"period": "FY-2015-16", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
