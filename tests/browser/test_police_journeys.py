"""Police open data in chromium: an analyst uploads a month's file; every page reached passes axe."""

import re

import pytest
from playwright.sync_api import expect

from saferplan.plans.management.commands.demo import POLICE_DEMO
from saferplan.police import jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_uploads_a_month(browse, users, axe_check):
    page = browse.page
    browse.sign_in("analyst-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Police data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Police open data")
    upload = page.get_by_label("Upload a month's file from data.police.uk")
    upload.set_input_files({"name": "crimes.csv", "mimeType": "text/csv", "buffer": b"x"})
    browse.submit(page.get_by_role("button", name="Upload and import"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot tell the month, force and kind")
    page.get_by_label("Upload a month's file from data.police.uk").set_input_files(str(POLICE_DEMO))
    browse.submit(page.get_by_role("button", name="Upload and import"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of 2016-03-durham-street.csv")
    jobs.wait_for_imports()
    expect(page.locator("#status")).to_have_text("Imported", timeout=15_000)  # the page updates itself
    expect(page.locator("#rows")).to_contain_text("5426")
    axe_check(page)
    browse.click(page.get_by_role("link", name="Back to police open data"))
    held = page.get_by_role("region", name="Street-level rows by force and month")
    row = held.locator("tbody tr", has_text="durham")
    expect(row.first).to_contain_text("2016-03")


def test_viewer_reads_but_cannot_upload(browse, users):
    page = browse.page
    browse.sign_in("viewer-user")
    browse.visit("/police/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Police open data")
    expect(page.get_by_label("Upload a month's file from data.police.uk")).to_have_count(0)
    browse.visit("/police/imports/1/", status=403)


PHONE = {"width": 375, "height": 812}


def test_viewer_looks_at_a_month_by_crime_type_on_a_desk_and_a_phone(
    browse, users, axe_check, settings, tmp_path
):
    import json

    from saferplan.plans.models import Partnership
    from saferplan.police import geo, ingest, services
    from saferplan.police.synthetic import street_frame

    settings.DATA_DIR = tmp_path / "data"
    february = tmp_path / "2016-02-durham-street.csv"
    street_frame("2016-02", "durham", 3000).write_csv(february)
    services.police_import(ingest.select(ingest.discover([str(POLICE_DEMO), str(february)])))
    square = [[-1.8, 54.6], [-1.4, 54.6], [-1.4, 54.8], [-1.8, 54.8], [-1.8, 54.6]]
    geo.import_boundaries(
        "areas.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Durham City"},
                        "geometry": {"type": "Polygon", "coordinates": [square]},
                    }
                ],
            }
        ).encode(),
        partnership=Partnership.objects.get(),
    )
    page = browse.page
    browse.sign_in("viewer-user")
    for size in ({"width": 1280, "height": 800}, PHONE):
        page.set_viewport_size(size)
        browse.visit("/police/")
        expect(page.get_by_role("heading", level=2, name="March 2016 in County Durham")).to_be_visible()
        page.get_by_label("Crime type", exact=True).select_option("Burglary")
        browse.click(page.get_by_role("button", name="Show"))
        assert "month=2016-03" in page.url and "type=Burglary" in page.url
        expect(page.get_by_role("heading", level=2)).to_contain_text(
            ["March 2016: Burglary in County Durham"]
        )
        row = page.get_by_role("row", name=re.compile(r"^Burglary "))
        expect(row).to_contain_text("no figure")  # March 2015 is not imported
        expect(
            page.get_by_role("img", name=re.compile(r"^Map of \d+ street-level points of burglary"))
        ).to_be_visible()
        expect(page.locator("#hot-spots tbody tr").first).to_be_visible()
        expect(page.locator("svg path title")).to_have_text("Durham City")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), size
        page.get_by_label("Month", exact=True).select_option("2016-02")
        browse.click(page.get_by_role("button", name="Show"))
        expect(page.get_by_role("heading", level=2)).to_contain_text(
            ["February 2016: Burglary in County Durham"]
        )
        axe_check(page)


def test_analyst_loads_area_boundaries(browse, users, tmp_path):
    import json

    page = browse.page
    browse.sign_in("analyst-user")
    browse.visit("/police/")
    field = page.get_by_label("Upload area boundaries (GeoJSON)")
    bad = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": None}],
    }
    field.set_input_files(
        {"name": "areas.geojson", "mimeType": "application/geo+json", "buffer": json.dumps(bad).encode()}
    )
    browse.submit(page.get_by_role("button", name="Upload boundaries"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "areas.geojson, feature 1 (A): it has no geometry"
    )
    good = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Durham City"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-1.6, 54.7], [-1.5, 54.7], [-1.5, 54.8], [-1.6, 54.7]]],
                },
            }
        ],
    }
    page.get_by_label("Upload area boundaries (GeoJSON)").set_input_files(
        {"name": "areas.geojson", "mimeType": "application/geo+json", "buffer": json.dumps(good).encode()}
    )
    browse.submit(page.get_by_role("button", name="Upload boundaries"))
    expect(page.locator("main")).to_contain_text(
        "1 area boundary loaded from areas.geojson; the map draws them."
    )
