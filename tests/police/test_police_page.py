"""The police page: a month's counts and rates by crime type and area against the month before and a year before,
top locations and LSOAs, the hot-spot map, and boundary files. Expected figures are worked out here from the CSV
files with the csv module, not from the store."""

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.areas.models import Area, Population
from saferplan.core.importing import DocumentError
from saferplan.plans.management.commands.demo import POLICE_DEMO
from saferplan.police import geo, ingest, selectors, services
from saferplan.police.models import AreaBoundary
from saferplan.police.synthetic import street_frame

POPULATIONS = (
    Path(__file__).resolve().parents[2] / "src/saferplan/areas/data/mid-year-population-2011-2017.csv"
)


@pytest.fixture(autouse=True)
def police_store(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.POLICE_MAP_TILES = ""
    return settings.DATA_DIR


def ons(code: str, year: int) -> int:
    with open(POPULATIONS, newline="") as handle:
        for row in csv.DictReader(handle):
            if row["area_code"] == code and int(row["year"]) == year:
                return int(row["population"])
    raise KeyError((code, year))


def rows_of(path: Path, *, prefix="County Durham ", crime_type=None) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            r
            for r in csv.DictReader(handle)
            if r["LSOA name"].startswith(prefix) and (crime_type is None or r["Crime type"] == crime_type)
        ]


def synthetic_month(folder: Path, month: str, rows: int) -> Path:
    path = folder / f"{month}-durham-street.csv"
    street_frame(month, "durham", rows, seed=int(month[-2:])).write_csv(path)
    return path


def import_paths(*paths):
    return services.police_import(ingest.select(ingest.discover([str(p) for p in paths])))


@pytest.fixture
def three_months(tmp_path, demo):
    """The real March 2016 and synthetic February 2016; March 2015 is not imported."""
    february = synthetic_month(tmp_path, "2016-02", 4000)
    import_paths(POLICE_DEMO, february)
    return {"2016-03": POLICE_DEMO, "2016-02": february}


def test_counts_and_rates_by_crime_type_against_the_month_before(three_months, demo):
    figures = selectors.overview(demo.partnership, "2016-03")
    assert figures["area"].code == "E06000047"
    march = Counter(r["Crime type"] for r in rows_of(three_months["2016-03"]))
    february = Counter(r["Crime type"] for r in rows_of(three_months["2016-02"]))
    population = ons("E06000047", 2015)  # March 2016 is in 2015/16: the mid-2015 estimate
    assert sum(march.values()) > 3000 and sum(february.values()) > 2000
    by_type = {row["name"]: row for row in figures["by_type"]}
    for crime_type in set(march) | set(february):
        row = by_type[crime_type]
        assert row["now"]["count"] == march[crime_type]
        assert row["now"]["rate"] == pytest.approx(march[crime_type] / population * 1000)
        assert row["previous"]["count"] == february[crime_type]
        assert row["previous"]["change"] == march[crime_type] - february[crime_type]
        assert row["last_year"]["count"] is None and row["last_year"]["change"] is None  # not imported
    assert figures["total"]["now"]["count"] == sum(march.values())
    assert figures["crimes"]["now"]["count"] == sum(march.values()) - march["Anti-social behaviour"]
    assert figures["total"]["previous"]["percent"] == pytest.approx(
        (sum(march.values()) - sum(february.values())) / sum(february.values()) * 100
    )


def test_same_month_last_year_once_imported_uses_that_years_population(three_months, demo, tmp_path):
    last_year = synthetic_month(tmp_path, "2015-03", 3500)
    import_paths(last_year)
    figures = selectors.overview(demo.partnership, "2016-03", "Burglary")
    before = len(rows_of(last_year, crime_type="Burglary"))
    now = len(rows_of(three_months["2016-03"], crime_type="Burglary"))
    row = next(r for r in figures["by_type"] if r["name"] == "Burglary")
    assert row["selected"] and row["last_year"]["count"] == before
    assert row["last_year"]["rate"] == pytest.approx(before / ons("E06000047", 2014) * 1000)  # 2014/15
    assert row["last_year"]["change"] == now - before
    # February 2016's own previous month and last year are not held
    february = selectors.overview(demo.partnership, "2016-02")
    assert february["total"]["previous"]["count"] is None and february["total"]["last_year"]["count"] is None


def test_by_area_counts_and_rates_for_one_crime_type(three_months, demo):
    march = rows_of(three_months["2016-03"])
    codes = sorted({r["LSOA code"] for r in march})[:40]
    locality = Area.objects.create(
        code="TEST-LOC",
        name="Test locality",
        kind=Area.Kind.LOCALITY,
        partnership=demo.partnership,
        lsoa_codes=codes,
        order=1,
    )
    Population.objects.create(area=locality, year=2015, population=61_234)
    figures = selectors.overview(demo.partnership, "2016-03", "Anti-social behaviour")
    rows = {r["area"].code: r for r in figures["by_area"]}
    expected = sum(1 for r in march if r["LSOA code"] in codes and r["Crime type"] == "Anti-social behaviour")
    assert 0 < expected < rows["E06000047"]["now"]["count"]
    assert rows["TEST-LOC"]["now"]["count"] == expected
    assert rows["TEST-LOC"]["now"]["rate"] == pytest.approx(expected / 61_234 * 1000)
    assert rows["E06000047"]["now"]["count"] == sum(
        1 for r in march if r["Crime type"] == "Anti-social behaviour"
    )
    february = rows_of(three_months["2016-02"])
    assert rows["TEST-LOC"]["previous"]["count"] == sum(
        1 for r in february if r["LSOA code"] in codes and r["Crime type"] == "Anti-social behaviour"
    )


def test_top_locations_lsoas_and_hot_spots(three_months, demo):
    march = rows_of(three_months["2016-03"], crime_type="Violence and sexual offences")
    figures = selectors.overview(demo.partnership, "2016-03", "Violence and sexual offences")
    locations = Counter(r["Location"] for r in march if r["Location"])
    lsoas = Counter(r["LSOA name"] for r in march if r["LSOA name"])
    top = [(row["name"], row["count"]) for row in figures["top_locations"]]
    assert top == sorted(locations.items(), key=lambda item: (-item[1], item[0]))[:10]
    assert [(row["name"], row["count"]) for row in figures["top_lsoas"]] == sorted(
        lsoas.items(), key=lambda item: (-item[1], item[0])
    )[:10]
    placed = [r for r in march if r["Longitude"] and r["Latitude"]]
    drawn = figures["map"]
    assert drawn["rows"] == len(placed)
    assert sum(s["count"] for s in drawn["squares"]) == len(placed)  # every point is in one square
    assert sum(p["count"] for p in drawn["points"]) == len(placed)
    assert drawn["hot_spots"][0]["count"] == max(s["count"] for s in drawn["squares"])
    assert drawn["hot_spots"][0]["level"] == 5 and drawn["tiles"] == []
    assert 0.2 < drawn["cell_km"] < 5  # County Durham is about 60 km across; the map about 40 squares
    for point in drawn["points"]:
        assert 0 <= point["x"] <= drawn["width"] and 0 <= point["y"] <= drawn["height"]


def test_the_page_shows_the_figures_and_keeps_choices_in_the_query_string(three_months, users, client_for):
    client = client_for(users["viewer"])
    response = client.get("/police/?month=2016-03&type=Burglary")
    assert response.status_code == 200
    html = response.content.decode()
    burglary = len(rows_of(three_months["2016-03"], crime_type="Burglary"))
    assert "March 2016: Burglary in County Durham" in html
    assert re.search(
        rf'<th scope="row" class="govuk-table__header"><strong>Burglary</strong></th>\s*'
        rf'<td class="govuk-table__cell govuk-table__cell--numeric">{burglary}</td>',
        html,
    )
    assert "no figure" in html  # March 2015 is not imported
    assert '<option value="Burglary" selected>' in html and '<option value="2016-03" selected>' in html
    assert "<svg viewBox" in html and "<image" not in html and "Hot spots" in html
    assert "Upload boundaries" not in html and "Upload and import" not in html  # a viewer may not import
    assert client.get("/police/?month=2014-01").status_code == 404
    assert client.get("/police/?month=2016-03&type=Nonsense").status_code == 404
    latest = client.get("/police/").content.decode()
    assert '<option value="2016-03" selected>' in latest  # the latest month by default


def test_a_configured_tile_server_draws_the_base_map(three_months, demo, settings, users, client_for):
    settings.POLICE_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    drawn = selectors.overview(demo.partnership, "2016-03")["map"]
    assert drawn["tiles"] and all(
        re.fullmatch(rf"https://tiles\.example\.org/{drawn['zoom']}/\d+/\d+\.png", t["href"])
        for t in drawn["tiles"]
    )
    response = client_for(users["viewer"]).get("/police/?month=2016-03")
    assert f'<image href="{drawn["tiles"][0]["href"]}"' in response.content.decode()
    policy = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
    assert policy["img-src"] == "'self' data: https://tiles.example.org" and policy["script-src"] == "'self'"


SQUARE = [[-1.6, 54.7], [-1.5, 54.7], [-1.5, 54.8], [-1.6, 54.8], [-1.6, 54.7]]


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(name, geometry=None, **properties):
    return {
        "type": "Feature",
        "properties": {"name": name, **properties} if name else properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": [SQUARE]},
    }


def test_boundaries_import_and_are_drawn(three_months, demo):
    count = geo.import_boundaries(
        "localities.geojson",
        collection(
            feature("Durham City", code="DUR-AAP-01"),
            feature(
                None, {"type": "MultiPolygon", "coordinates": [[SQUARE]]}, LAD13NM="Easington", LAD13CD="X1"
            ),
        ),
        partnership=demo.partnership,
    )
    assert count == 2
    assert list(AreaBoundary.objects.values_list("name", "code")) == [
        ("Durham City", "DUR-AAP-01"),
        ("Easington", "X1"),
    ]
    drawn = selectors.overview(demo.partnership, "2016-03")["map"]
    assert [b["name"] for b in drawn["boundaries"]] == ["Durham City", "Easington"]
    assert drawn["boundaries"][0]["d"].startswith("M") and drawn["boundaries"][0]["d"].endswith("Z")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (collection(), "has no features"),
        (
            collection(feature("A"), feature("B", {"type": "Point", "coordinates": [1, 2]})),
            "feature 2 (B): its geometry is 'Point'",
        ),
        (
            collection(
                feature(
                    "A",
                    {
                        "type": "Polygon",
                        "coordinates": [[[420000, 540000], [1, 2], [3, 4], [420000, 540000]]],
                    },
                )
            ),
            "not British National Grid",
        ),
        (
            collection(feature("A", {"type": "Polygon", "coordinates": [SQUARE[:4]]})),
            "does not end where it starts",
        ),
        (collection(feature("A"), feature("A")), "feature 2 (A): the name 'A' is also feature 1"),
        (collection(feature(None)), "feature 1: it has no name"),
        ("\ufeff".encode() + b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_boundary_files_name_the_file_and_feature_and_change_nothing(demo, content, message):
    geo.import_boundaries("old.geojson", collection(feature("Kept")), partnership=demo.partnership)
    with pytest.raises(DocumentError) as caught:
        geo.import_boundaries("bad.geojson", content, partnership=demo.partnership)
    assert message in caught.value.report() and caught.value.report().startswith("bad.geojson, ")
    assert list(AreaBoundary.objects.values_list("name", flat=True)) == ["Kept"]


JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=30,
)
NUMBER = st.one_of(st.floats(-200, 200), st.integers(-200, 200), st.text(max_size=2))
GEOMETRY = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "polygon"]),
        "coordinates": st.lists(st.lists(st.lists(NUMBER, max_size=3), max_size=6), max_size=3) | JSON,
    }
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    features=st.lists(
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(["Feature", "Feature", "feature"]),
                "properties": st.fixed_dictionaries({"name": st.text(max_size=4)}) | JSON,
                "geometry": GEOMETRY | st.just({"type": "Polygon", "coordinates": [SQUARE]}),
            }
        )
        | JSON,
        max_size=4,
    ),
    wrapper=st.booleans(),
)
def test_fuzz_boundary_files_are_accepted_or_rejected_never_crash(demo, features, wrapper):
    document = {"type": "FeatureCollection", "features": features} if wrapper else features
    before = list(AreaBoundary.objects.values_list("pk", flat=True))
    try:
        count = geo.import_boundaries(
            "fuzz.geojson", json.dumps(document).encode(), partnership=demo.partnership
        )
    except DocumentError as exc:
        assert exc.problems and exc.filename == "fuzz.geojson"
        assert list(AreaBoundary.objects.values_list("pk", flat=True)) == before
    else:
        assert count == len(features) == AreaBoundary.objects.count()


def test_only_administrators_and_analysts_upload_boundaries(demo, users, client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(client):
        return client.post(
            "/police/",
            {
                "upload": "boundaries",
                "boundaries-file": SimpleUploadedFile("areas.geojson", collection(feature("Durham City"))),
            },
        )

    for role in sorted(users):
        if role not in ("administrator", "analyst"):
            assert upload(client_for(users[role])).status_code == 403, role
            assert client_for(users[role]).get("/police/").status_code == 200, role  # every role may look
    assert not AreaBoundary.objects.exists()
    assert upload(client_for(users["administrator"])).status_code == 302
    response = upload(client_for(users["analyst"]))
    assert response.status_code == 302
    assert list(AreaBoundary.objects.values_list("name", "source")) == [("Durham City", "areas.geojson")]
    bad = client_for(users["analyst"]).post(
        "/police/",
        {
            "upload": "boundaries",
            "boundaries-file": SimpleUploadedFile("bad.geojson", collection(feature(None))),
        },
    )
    assert bad.status_code == 400
    assert "bad.geojson, feature 1: it has no name" in bad.content.decode()
    assert AreaBoundary.objects.count() == 1


def test_the_boundaries_command_loads_or_refuses_a_file(demo, tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "areas.geojson"
    good.write_bytes(collection(feature("Durham City"), feature("Easington")))
    out = io.StringIO()
    call_command("boundaries", str(good), stdout=out)
    assert "Loaded 2 area boundaries" in out.getvalue()
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(
        collection(feature("Seaham"), feature("Peterlee", {"type": "LineString", "coordinates": []}))
    )
    with pytest.raises(
        CommandError, match=r"bad\.geojson, feature 2 \(Peterlee\): its geometry is 'LineString'"
    ):
        call_command("boundaries", str(bad))
    assert sorted(AreaBoundary.objects.values_list("name", flat=True)) == ["Durham City", "Easington"]
