"""Build static/geo/countries.geojson, the country shapes of the public map (run once; the output is committed).

Sources (both from npm, fetched once with `npm pack`, nothing at run time):

- `world-atlas@2.0.2`: Natural Earth 4.1.0 "Admin 0 – Countries" as TopoJSON (public domain data;
  the packaging is ISC, © Michael Bostock). Each geometry's `id` is its ISO 3166-1 *numeric* code.
- `i18n-iso-countries@7.14.0`: `codes.json`, the ISO 3166-1 table [alpha-2, alpha-3, numeric, ...],
  used to turn the numeric ids into the alpha-2 codes the app uses everywhere.

What it does:

1. takes every country of the 1:110m file (small, enough at world and region zoom), minus Antarctica;
2. adds, from the 1:50m file, then the 1:10m file, the programme's countries the coarser file lacks
   (small island states: AG, BB, DM, GD, KN, LC, VC, MT, SG, ... and Tuvalu, which only 1:10m has);
3. decodes the TopoJSON arcs to GeoJSON polygons, makes the rings that cross the antimeridian
   continuous (see `unwrapped`), rounds coordinates to 3 decimals (about 100 m),
   merges the pieces that share a code (1:50m splits Australia), and writes one Feature per country
   with `properties = {"iso2": "PE", "name": "Peru"}` (`name` is Natural Earth's English name, the
   map's last fallback; the page shows localised names). Kosovo has no ISO numeric code in the
   data: it is recognised by name and given the user-assigned code XK, as in the app's reference data.
   N. Cyprus and Somaliland have no code at all: they stay, so the map has no holes, with `iso2: null`.

Reproduce:

    cd /tmp && npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0
    mkdir -p wa iic && tar xzf world-atlas-2.0.2.tgz -C wa && tar xzf i18n-iso-countries-7.14.0.tgz -C iic
    .venv/bin/python seed/geo_build.py /tmp/wa/package /tmp/iic/package/codes.json

Only the standard library and the app's own reference lists are used.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflow.reference.data import EU_MEMBER_STATES, REGIONS  # noqa: E402

OUTPUT = ROOT / "static" / "geo" / "countries.geojson"
DECIMALS = 3
DROP = {"AQ"}  # Antarctica: no partner there, and it would swallow the bottom of a Mercator map
BY_NAME = {"Kosovo": "XK"}  # features without an ISO numeric id that the app knows by a code


def programme_countries() -> set[str]:
    return set(" ".join(codes for _, _, codes in REGIONS).split()) | set(EU_MEMBER_STATES)


def numeric_to_alpha2(codes_json: Path) -> dict[str, str]:
    return {row[2]: row[0] for row in json.loads(codes_json.read_text(encoding="utf-8"))}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute [lon, lat] points of every arc (the file is quantized and delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with continuous longitudes, for a flat map.

    world-atlas is made for spherical projections: a ring that crosses the antimeridian (Fiji, the
    east of Russia) jumps from 180 to -180 and back, which a flat map draws as a line across the
    world. Shift the points after each jump by 360 degrees, then put the ring back so that most of
    it lies within [-180, 180] (Chukotka then ends at about 190 degrees east, where it belongs).
    """
    shift = 0.0
    result: list[tuple[float, float]] = []
    for index, (lon, lat) in enumerate(points):
        if index:
            step = lon + shift - result[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        result.append((lon + shift, lat))
    mean = sum(lon for lon, _ in result) / len(result) if result else 0.0
    back = 360.0 if mean < -180 else -360.0 if mean > 180 else 0.0
    return [(lon + back, lat) for lon, lat in result] if back else result


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]] | None:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    points = unwrapped(points)
    rounded: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded and rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 else None


def polygons(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[list[list[float]]]]:
    if geometry.get("type") == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return []
    result = []
    for part in parts:
        rings = [ring(r, arcs) for r in part]
        if rings and rings[0] is not None:  # an exterior that collapsed takes its holes with it
            result.append([r for r in rings if r is not None])
    return result


def countries(path: Path, alpha2: dict[str, str]) -> dict[str, tuple[str, list]]:
    """{key: (English name, polygons)}; key is the alpha-2 code, or "?name" for a shape without one."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    found: dict[str, tuple[str, list]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = alpha2.get(geometry.get("id") or "") or BY_NAME.get(name) or f"?{name}"
        if code in DROP:
            continue
        shapes = polygons(geometry, arcs)
        if not shapes:
            continue
        if code in found:  # several pieces under one code: keep the first name, merge the shapes
            found[code] = (found[code][0], found[code][1] + shapes)
        else:
            found[code] = (name, shapes)
    return found


def build(atlas: Path, codes_json: Path) -> dict:
    alpha2 = numeric_to_alpha2(codes_json)
    chosen = countries(atlas / "countries-110m.json", alpha2)
    wanted = programme_countries()
    for finer in ("countries-50m.json", "countries-10m.json"):
        missing = wanted - chosen.keys()
        if not missing:
            break
        for code, value in countries(atlas / finer, alpha2).items():
            if code in missing:
                chosen[code] = value
    still_missing = sorted(wanted - chosen.keys())
    if still_missing:
        print("no shape for:", " ".join(still_missing), file=sys.stderr)
    features = []
    for code, (name, shapes) in sorted(chosen.items()):
        geometry = (
            {"type": "Polygon", "coordinates": shapes[0]}
            if len(shapes) == 1
            else {"type": "MultiPolygon", "coordinates": shapes}
        )
        iso2 = None if code.startswith("?") else code
        features.append({"type": "Feature", "properties": {"iso2": iso2, "name": name}, "geometry": geometry})
    return {
        "type": "FeatureCollection",
        "attribution": "Natural Earth 4.1.0 Admin 0 countries (public domain), via world-atlas 2.0.2",
        "features": features,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    collection = build(Path(argv[1]), Path(argv[2]))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(collection['features'])} countries, {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
