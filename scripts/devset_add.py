#!/usr/bin/env python3
"""Record one real notice in the development set: copy its text to data/devset/texts/<id>.txt and append its record.

    .venv/bin/python scripts/devset_add.py --id dp-001 --text page.txt --gold gold.json \
        --url URL --query "巡察整改进展情况" --rank 3 [--cut] --layout-seen outline --notes "…" \
        [--out data/annotations/devset.jsonl]

The gold file is a JSON object with every field of analysis.corpus.devset.GOLD_FIELDS (null when the text
does not state it); the record is refused, with the reasons, when a field is missing or malformed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.corpus.devset import make_record, read_devset  # noqa: E402


def main() -> None:
    """Parse arguments, check the gold record, write the text and append the record."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--id", required=True)
    parser.add_argument("--text", required=True, type=Path, help="UTF-8 file holding the page text as read")
    parser.add_argument("--gold", required=True, type=Path, help="JSON file with the hand-read values")
    parser.add_argument("--url", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--rank", type=int)
    parser.add_argument("--cut", action="store_true", help="the text stops before the notice ends")
    parser.add_argument("--layout-seen", default="")
    parser.add_argument("--notes", default="")
    parser.add_argument("--genre-read", default="")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "annotations" / "devset.jsonl")
    args = parser.parse_args()
    data = args.text.read_bytes()
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    if args.out.exists():
        known = {r.id: r for r in read_devset(args.out)}
        if args.id in known:
            sys.exit(f"devset_add: id {args.id} is already recorded in {args.out}")
        if any(r.url == args.url for r in known.values()):
            sys.exit(f"devset_add: {args.url} is already recorded in {args.out}")
    try:
        record = make_record(args.id, data, gold, genre_read=args.genre_read, url=args.url, query=args.query, rank=args.rank,
                             collected_on=datetime.date.today().isoformat(), cut=args.cut, layout_seen=args.layout_seen,
                             notes=args.notes)
    except (ValueError, UnicodeDecodeError) as exc:
        sys.exit(f"devset_add: {exc}")
    texts = ROOT / "data" / "devset" / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    (texts / f"{args.id}.txt").write_bytes(data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
    print(f"recorded {args.id}: {record['chars']} characters, sha256 {record['sha256'][:12]}")


if __name__ == "__main__":
    main()
