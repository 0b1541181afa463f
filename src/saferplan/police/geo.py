"""Area boundaries for the police map: import of a GeoJSON file, and drawing on a Web Mercator map.

A boundary file is a GeoJSON FeatureCollection of Polygon or MultiPolygon features in longitude/latitude
(WGS84, as ONS and most councils publish them), each named by a property ("name", or an ONS-style "…NM"
property). Every feature is checked before anything is written; a file with any problem changes nothing, and
each problem names the file and the feature. A good file replaces the partnership's boundaries in one
transaction.
"""

from __future__ import annotations

import json
import math

from django.db import transaction
from django.utils.safestring import mark_safe

from saferplan.core.importing import DocumentError, Problem
from saferplan.police.models import AreaBoundary

MAX_BYTES = 20_000_000
MAX_FEATURES = 2_000
MAX_POSITIONS = 500_000
NAME_KEYS = ("name", "Name", "NAME", "area_name")
CODE_KEYS = ("code", "Code", "CODE", "area_code")


def _property(properties: dict, keys, suffix: str) -> str:
    for key in keys:
        value = properties.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    for key, value in properties.items():  # ONS: LAD21NM, LSOA11NM, LAD21CD ...
        if isinstance(key, str) and key.upper().endswith(suffix) and isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _ring_problem(ring) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "each ring needs at least four positions (the first repeated at the end)"
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(_is_number(v) for v in position[:2])
        ):
            return f"a position is not [longitude, latitude]: {json.dumps(position)[:60]}"
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return (
                f"the position [{lon}, {lat}] is not a longitude and latitude; "
                "the file must use WGS84 (EPSG:4326), not British National Grid"
            )
    if ring[0][:2] != ring[-1][:2]:
        return "a ring does not end where it starts"
    return None


def polygons(geometry) -> list:
    """The polygons (lists of rings) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _geometry_problem(geometry) -> str | None:
    if not isinstance(geometry, dict):
        return "it has no geometry"
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return f"its geometry is {str(kind)[:40]!r}; an area boundary is a Polygon or MultiPolygon"
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        return "its geometry has no coordinates"
    shapes = [coordinates] if kind == "Polygon" else coordinates
    for shape in shapes:
        if not isinstance(shape, list) or not shape:
            return "a polygon has no rings"
        for ring in shape:
            problem = _ring_problem(ring)
            if problem:
                return problem
    return None


def read_boundaries(filename: str, content: bytes) -> list[dict]:
    """The features of a GeoJSON file as {"name", "code", "geometry"}; DocumentError naming the file and each
    bad feature when any is wrong."""

    def refuse(message: str, field: str = "") -> DocumentError:
        return DocumentError([Problem(None, field, message)], filename)

    if len(content) > MAX_BYTES:
        raise refuse(f"larger than {MAX_BYTES // 1_000_000} MB; simplify the boundaries first")
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise refuse("not UTF-8 text") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise refuse(
            f"not JSON ({getattr(exc, 'msg', 'nested too deeply')}, line {getattr(exc, 'lineno', '?')})"
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise refuse('not a GeoJSON FeatureCollection (its "type" must be "FeatureCollection")')
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise refuse("the FeatureCollection has no features")
    if len(features) > MAX_FEATURES:
        raise refuse(f"{len(features):,} features; at most {MAX_FEATURES:,} boundaries can be drawn")
    problems, found, names = [], [], {}
    positions = 0
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        name = _property(properties, NAME_KEYS, "NM")[:200]
        label = f"feature {number}" + (f" ({name})" if name else "")
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(None, label, 'not a GeoJSON Feature (its "type" must be "Feature")'))
            continue
        problem = _geometry_problem(feature.get("geometry"))
        if problem:
            problems.append(Problem(None, label, problem))
            continue
        if not name:
            problems.append(Problem(None, label, 'it has no name (a "name" property)'))
            continue
        if name in names:
            problems.append(Problem(None, label, f"the name {name!r} is also feature {names[name]}"))
            continue
        names[name] = number
        positions += sum(len(ring) for shape in polygons(feature["geometry"]) for ring in shape)
        found.append(
            {
                "name": name,
                "code": _property(properties, CODE_KEYS, "CD")[:50],
                "geometry": {
                    "type": feature["geometry"]["type"],
                    "coordinates": feature["geometry"]["coordinates"],
                },
            }
        )
    if positions > MAX_POSITIONS:
        problems.append(
            Problem(None, "", f"{positions:,} positions; simplify the boundaries to under {MAX_POSITIONS:,}")
        )
    if problems:
        raise DocumentError(problems, filename)
    return found


@transaction.atomic
def import_boundaries(filename: str, content: bytes, *, partnership, user=None) -> int:
    """Replace the partnership's boundaries with those of the file (all or nothing); returns how many."""
    found = read_boundaries(filename, content)
    AreaBoundary.objects.filter(partnership=partnership).delete()
    AreaBoundary.objects.bulk_create(
        AreaBoundary(
            partnership=partnership,
            name=f["name"],
            code=f["code"],
            geometry=f["geometry"],
            source=filename[-255:],
            order=i,
            created_by=user,
            modified_by=user,
        )
        for i, f in enumerate(found)
    )
    return len(found)


# --- Drawing: Web Mercator, the projection of every tile server -----------------------------------------------

TILE = 256


def mercator(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Pixel position of a point on the world map at a zoom level (the tile servers' "slippy map" scheme)."""
    lat = max(min(lat, 85.0511), -85.0511)
    scale = TILE * 2**zoom
    x = (lon + 180.0) / 360.0 * scale
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * scale
    return x, y


def boundary_paths(boundaries, to_pixels) -> list[dict]:
    """SVG path data for each boundary: {"name", "d"}."""
    result = []
    for boundary in boundaries:
        parts = []
        for shape in polygons(boundary.geometry):
            for ring in shape:
                points = [to_pixels(p[0], p[1]) for p in ring]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        result.append({"name": boundary.name, "d": "".join(parts)})
    return result


def svg_squares(squares: list[dict], cell: int) -> str:
    """The hot-spot squares as SVG markup (numbers and colours only), built here rather than in a template loop:
    a large month has thousands of them."""
    return mark_safe(
        "".join(
            f'<rect x="{s["x"]}" y="{s["y"]}" width="{cell}" height="{cell}" fill="{s["colour"]}"/>'
            for s in squares
        )
    )


def svg_points(points: list[dict]) -> str:
    """The street-level points as SVG circles, larger where ten or more rows share a point."""
    return mark_safe(
        "".join(f'<circle cx="{p["x"]}" cy="{p["y"]}" r="{2.5 if p["count"] > 9 else 1.5}"/>' for p in points)
    )
