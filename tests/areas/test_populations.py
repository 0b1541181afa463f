"""Mid-year populations from a CSV in the ONS layout."""

import io

import pytest
from django.core.management import CommandError, call_command

from saferplan.areas.models import Population
from saferplan.areas.populations import import_populations
from saferplan.areas.selectors import population_for, population_year
from saferplan.core.importing import DocumentError
from saferplan.plans.management.commands.demo import POLICE_DEMO


def test_import_and_update(demo):
    text = 'Area code,Area name,Year,Population\nE06000047,County Durham,2019,530094\nE06000047,County Durham,2018,"526,980"\n'
    assert import_populations("pop.csv", text.encode()) == 2
    populations = dict(Population.objects.filter(area__code="E06000047").values_list("year", "population"))
    assert populations[2019] == 530094 and populations[2018] == 526980


def test_errors_by_row_and_nothing_written(demo):
    before = Population.objects.count()
    text = (
        "area code,area name,year,population\nE06000047,County Durham,twenty,1\nZZ,Nowhere,2019,5\n"
        "E06000047,County Durham,2019,-5\nE06000047,County Durham,2020,1\nE06000047,County Durham,2020,2\n"
    )
    with pytest.raises(DocumentError) as caught:
        import_populations("pop.csv", text.encode())
    report = caught.value.report()
    assert "pop.csv, row 2, column year: expected a year, got 'twenty'" in report
    assert "row 3, column area code: unknown area 'ZZ'" in report
    assert "row 4, column population: expected a whole number above 0" in report
    assert "row 6, column year: E06000047 2020 is also on row 5" in report
    assert Population.objects.count() == before
    with pytest.raises(DocumentError, match="the columns population are missing"):
        import_populations("pop.csv", b"area code,year\n")


def test_command(demo, tmp_path):
    good = tmp_path / "pop.csv"
    good.write_text("area code,area name,year,population\nE06000047,County Durham,2019,530094\n")
    out = io.StringIO()
    call_command("areas", "import-population", str(good), stdout=out)
    assert "Loaded 1 populations" in out.getvalue()
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("areas", "import-population", str(tmp_path / "nope.csv"))


def test_population_year_convention():
    import datetime as dt

    assert population_year(dt.date(2016, 3, 1)) == 2015  # March 2016 is in 2015/16: mid-2015 estimate
    assert population_year(dt.date(2016, 4, 1)) == 2016
    assert population_year(dt.date(2016, 3, 1), "calendar") == 2016
    assert population_for({2015: 10, 2016: 11}, 2018) == 11 and population_for({2015: 10}, 2014) is None


def test_lookup_gives_areas_their_lsoas_and_police_counts_follow(demo, tmp_path, settings):
    from saferplan.areas.models import Area
    from saferplan.police import ingest, summary
    from saferplan.police import services as police_services

    settings.DATA_DIR = tmp_path / "data"

    import csv as _csv

    with open(POLICE_DEMO, newline="") as handle:
        lsoas = sorted(
            {r["LSOA code"] for r in _csv.DictReader(handle) if r["LSOA name"].startswith("County Durham ")}
        )
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(
        "LSOA21CD,LSOA21NM,LAD22CD,LAD22NM\n"
        + "".join(f"{code},County Durham x,E06000047,County Durham\n" for code in lsoas)
        + "E01012345,Elsewhere,E09000001,City\n"
    )
    out = io.StringIO()
    call_command("areas", "import-lookup", str(lookup), stdout=out)
    assert f"E06000047: {len(lsoas)} LSOAs." in out.getvalue()
    county = Area.objects.get(code="E06000047")
    county.lsoa_name_prefix = ""
    county.save()
    police_services.police_import(ingest.discover([POLICE_DEMO]))
    by_codes = summary.counts_by_crime_type(("2016-03", "2016-03"), county)["all"]
    county.lsoa_codes, county.lsoa_name_prefix = [], "County Durham "
    county.save()
    assert by_codes == summary.counts_by_crime_type(("2016-03", "2016-03"), county)["all"]
    bad = tmp_path / "bad.csv"
    bad.write_text("LSOA21CD,LAD22CD\nnot-a-code,E06000047\n")
    with pytest.raises(CommandError, match=r"row 2, column LSOA21CD: 'not-a-code' is not an LSOA code"):
        call_command("areas", "import-lookup", str(bad))
    call_command("areas", "set-lsoas", "DUR-AAP-06", "E01020634", "E01020635", stdout=io.StringIO())
    assert Area.objects.get(code="DUR-AAP-06").lsoa_codes == ["E01020634", "E01020635"]
    with pytest.raises(CommandError, match="not LSOA codes: nope"):
        call_command("areas", "set-lsoas", "DUR-AAP-06", "nope")
