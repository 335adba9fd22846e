"""A scaled corpus for benchmarks: new notices recombined, deterministically, from real parts of the shipped ones.

Each generated notice is a well-formed 公文 of one of two kinds — a bureau's report on a Party
inspection (巡察) or a city government's report on a central environmental inspection (督察) — at
a real place from the division table (a prefecture, or a county branch of it): a title, an opening
paragraph naming the inspection group, the inspection period and the feedback date; an overview
section; a problems section whose problems, with their status lines and measures, are taken from
different shipped notices, renumbered in one of the usual outline styles (1. / 1、 / (一), grouped
or not) and moved to the new place (the source notice's province, city and county names replaced,
so local agencies and local rules belong to the new place); next steps; a closing line and a
signature. About one notice in ten is converted to traditional script and one in twenty saved as
GB18030, so every ingest path is exercised. Same seed, same corpus.
"""

from __future__ import annotations

import csv
import hashlib
import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

CN = "一二三四五六七八九十"
ORDINALS = ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十"]
THEMES = ["营商环境优化提升", "黄河流域生态保护和高质量发展", "长江经济带生态环境保护", "生态环境领域腐败问题", "乡村振兴"]
GROUP_TOPICS = ["履行主体责任", "推进污染防治", "加强执法监管", "落实全面从严治党"]
STATUS_LINES = ["整改进展情况:已整改完成。", "整改进展情况:已取得阶段性成效需长期坚持整改。", "整改情况:", "整改进展情况:按计划持续推进。"]


@dataclass(frozen=True)
class Place:
    """Where a notice is: province, prefecture-level city and (optionally) county, full names."""

    province: str
    city: str
    county: str | None = None


@dataclass(frozen=True)
class Part:
    """A problem of a shipped notice: its heading text, the text under it, and the place it was written about."""

    heading: str
    body: str
    place: Place


def short(name: str) -> str:
    """泰州市 → 泰州, 山东省 → 山东, 博兴县 → 博兴 (names of two characters stay whole)."""
    return name[:-1] if len(name) > 2 and name[-1] in "省市县区" else name


def moved(text: str, old: Place, new: Place) -> str:
    """A text written about one place, rewritten about another (full names first, then short names)."""
    pairs = [(old.province, new.province), (old.city, new.city)]
    if old.county:
        pairs.append((old.county, new.county or new.city))
    pairs += [(short(a), short(b)) for a, b in list(pairs)]
    for a, b in sorted(pairs, key=lambda p: -len(p[0])):
        text = text.replace(a, f"\0{b}\0") if a and a != b else text
    return text.replace("\0", "")


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二 (for outline labels up to 99)."""
    if n <= 10:
        return CN[n - 1]
    tens, ones = divmod(n, 10)
    return (CN[tens - 1] if tens > 1 else "") + "十" + (CN[ones - 1] if ones else "")


def harvest(root: Path) -> tuple[list[Part], list[tuple[str, Place]], list[tuple[str, Place]]]:
    """Problems, overview paragraphs and next-step paragraphs of the shipped notices (parsed with the package)."""
    from analysis.read.ingest import ingest
    from analysis.read.metadata import extract_metadata
    from analysis.read.parse import parse_structure
    from analysis.read.resources import load_resources

    gazetteer = load_resources(root).gazetteer
    parts, overviews, plans = [], [], []
    for path in sorted((root / "data" / "raw" / "notices").glob("*.txt")):
        notice = ingest(path.stem, path.read_bytes())
        text = notice.text
        parsed = parse_structure(text)
        found = extract_metadata(text, parsed, notice.page, gazetteer).values
        place = Place(found["province"], found["city"], found.get("county"))
        for problem in parsed.problems:
            body_start = next((n._body_start for n in parsed.outline.nodes() if n.path == problem.path), problem.title_end)
            body = text[body_start:problem.end].strip()
            if parsed.layout == "multi_problem" and body and len(body) < 4000:
                for prefix in ("整改进展情况:", "整改情况:"):
                    body = body[len(prefix):] if body.startswith(prefix) else body
                for status in ("已整改完成。", "已取得阶段性成效需长期坚持整改。"):
                    body = body[len(status):] if body.startswith(status) else body
                parts.append(Part(problem.title, body.strip(), place))
        for node in parsed.outline.roots:
            chunk = text[node.body_start:node.end].strip()
            if node.role == "overview" and 100 < len(chunk) < 3000:
                overviews.append((chunk, place))
            elif node.role == "plans" and 50 < len(chunk) < 3000:
                plans.append((chunk, place))
    return parts, overviews, plans


def prefectures(root: Path) -> list[tuple[str, str, list[str]]]:
    """(province, prefecture, its counties) from the division table."""
    rows = list(csv.DictReader((root / "data" / "reference" / "admin_divisions.csv").open(encoding="utf-8")))
    names = {r["code"]: r["name"] for r in rows}
    counties: dict[str, list[str]] = {}
    for r in rows:
        if r["level"] == "county" and not r["name"].endswith("区"):
            counties.setdefault(r["prefecture_code"], []).append(r["name"])
    return [(names[r["province_code"]], r["name"], sorted(counties.get(r["code"], [])))
            for r in rows if r["level"] == "prefecture" and r["name"].endswith("市") and r["name"] != names[r["province_code"]]]


def problem_lines(rng: random.Random, chosen: list[Part], here: Place) -> list[str]:
    """The problems section: problems (moved to this notice's place), in groups or not, in one of the usual outline styles."""
    lines: list[str] = []
    groups = max(1, len(chosen) // rng.randrange(3, 8))
    per_group = -(-len(chosen) // groups)
    style = rng.choice(["{n}.", "{n}、", "({cn})"]) if groups == 1 else rng.choice(["{n}.", "{n}、"])
    number = 0
    for g in range(groups):
        block = chosen[g * per_group:(g + 1) * per_group]
        if not block:
            continue
        if groups > 1:
            lines.append(f"({cn_number(g + 1)})关于{rng.choice(GROUP_TOPICS)}方面")
        for part in block:
            number += 1
            lines.append(style.format(n=number, cn=cn_number(number)) + moved(part.heading, part.place, here))
            lines.append(rng.choice(STATUS_LINES) + moved(part.body, part.place, here))
    return lines


def notice_text(rng: random.Random, parts: list[Part], overviews: list[tuple[str, Place]], plans: list[tuple[str, Place]],
                places: list[tuple[str, str, list[str]]]) -> tuple[str, str, date]:
    """One generated notice: (text, signing body, signature date)."""
    province, city, counties = rng.choice(places)
    county = rng.choice(counties) if counties and rng.random() < 0.3 else None
    here = Place(province, city, county)
    start = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 6 * 365))
    end = start + timedelta(days=rng.randrange(40, 90))
    feedback = end + timedelta(days=rng.randrange(20, 120))
    signed = feedback + timedelta(days=rng.randrange(45, 300))
    feedback_text = f"{feedback.month}月{feedback.day}日" if feedback.year == end.year else f"{feedback.year}年{feedback.month}月{feedback.day}日"
    if rng.random() < 0.75:  # a bureau reports on a Party inspection
        organisation = f"{city}生态环境局{short(county)}分局" if county else f"{city}生态环境局"
        body = f"中共{organisation}党组"
        group, kind = ORDINALS[rng.randrange(10)] + "巡察组", rng.choice(["常规巡察", "专项巡察", "巡察"])
        theme = rng.choice(THEMES) if kind == "专项巡察" else ""
        term, rnd = rng.randrange(8, 15), rng.randrange(1, 6)
        title = f"{body}关于{cn_number(term)}届市委第{cn_number(rnd)}轮巡察整改进展情况的通报"
        opening = (f"根据市委统一部署,{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日,市委{group}对{body}开展了"
                   f"{theme}{kind}。{feedback_text},市委巡察组反馈了巡察意见。按照巡察工作有关要求,现将巡察整改进展情况予以公布。")
    else:  # a city government reports on a central environmental inspection
        body = f"{city}人民政府"
        group = "中央第" + cn_number(rng.randrange(1, 8)) + "生态环境保护督察组"
        title = f"{body}关于{group}督察反馈意见整改落实情况的公告"
        opening = (f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日,{group}对{province}开展第{cn_number(rng.randrange(2, 4))}轮"
                   f"生态环境保护督察,并于{feedback_text}反馈督察意见。按照有关要求,现将{city}整改落实情况公告如下。")
    overview, overview_place = rng.choice(overviews)
    plan, plan_place = rng.choice(plans)
    lines = [title, opening, "一、整改工作开展情况", moved(overview, overview_place, here), "二、整改落实情况"]
    lines += problem_lines(rng, rng.sample(parts, k=min(len(parts), rng.randrange(8, 30))), here)
    lines += ["三、下一步工作打算", moved(plan, plan_place, here),
              "欢迎广大干部群众对整改落实情况进行监督。联系电话:0000-0000000。", body, f"{signed.year}年{signed.month}月{signed.day}日"]
    return "\n".join(lines) + "\n", body, signed


def empty_project(root: Path, target: Path) -> None:
    """A project folder at `target` (replaced if it exists) with this project's reference data and no notice yet."""
    if target.exists():
        shutil.rmtree(target)
    (target / "data" / "raw" / "notices").mkdir(parents=True)
    shutil.copy(root / "pyproject.toml", target / "pyproject.toml")
    for sub in ("reference", "dictionaries"):
        shutil.copytree(root / "data" / sub, target / "data" / sub)


def make_corpus(root: Path, target: Path, size: int, seed: int = 20240419) -> list[Path]:
    """A project folder at `target` with `size` generated notices, their manifest, and the reference data."""
    import opencc

    rng = random.Random(seed)
    parts, overviews, plans = harvest(root)
    places = prefectures(root)
    to_traditional = opencc.OpenCC("s2t")
    empty_project(root, target)
    rows, files = [], []
    for i in range(size):
        text, body, signed = notice_text(rng, parts, overviews, plans, places)
        script = "simplified"
        if rng.random() < 0.1:
            text, body, script = to_traditional.convert(text), to_traditional.convert(body), "traditional"
        data = text.encode("gb18030") if rng.random() < 0.05 else text.encode("utf-8")
        nid = f"gen-{i:05d}-{signed.year}"
        path = target / "data" / "raw" / "notices" / f"{nid}.txt"
        path.write_bytes(data)
        files.append(path)
        rows.append({"notice_id": nid, "file": f"notices/{nid}.txt", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                     "body_as_signed": body, "signature_date_as_printed": f"{signed.year}年{signed.month}月{signed.day}日",
                     "script": script, "collection_notes": "generated for benchmarks from parts of the shipped notices"})
    write_manifest(target, rows)
    return files


def write_manifest(target: Path, rows: list[dict]) -> None:
    """The project's data/raw/manifest.csv, one row per notice (register columns a row lacks left empty)."""
    from analysis.build.register import REGISTER_COLUMNS

    with (target / "data" / "raw" / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in REGISTER_COLUMNS})


def texts_corpus(root: Path, texts: Path, target: Path) -> list[Path]:
    """A project folder at `target` holding every `*.txt` of `texts` (in name order, as text-00001 …), their manifest and
    the reference data: real notices (e.g. the development set's texts, kept locally) to time the per-notice path on."""
    empty_project(root, target)
    rows, files = [], []
    for i, source in enumerate(sorted(texts.glob("*.txt")), start=1):
        data = source.read_bytes()
        nid = f"text-{i:05d}"  # numbered, not named after the file: the results carry no one's file names
        path = target / "data" / "raw" / "notices" / f"{nid}.txt"
        path.write_bytes(data)
        files.append(path)
        rows.append({"notice_id": nid, "file": f"notices/{nid}.txt", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                     "collection_notes": "a local text, copied to time the per-notice path"})
    write_manifest(target, rows)
    return files


if __name__ == "__main__":  # python benchmarks/corpus.py TARGET SIZE: a project to build and render (docs/scaling.md)
    import sys

    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent), str(here)]
    from site_bench import copy_front_end

    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit("usage: python benchmarks/corpus.py TARGET SIZE  (a project of SIZE generated notices, notebooks and reports/)")
    target = Path(sys.argv[1]).resolve()
    make_corpus(here.parent, target, int(sys.argv[2]))
    copy_front_end(here.parent, target)
    print(f"{sys.argv[2]} generated notices in {target}: cd there and run `notices build`")
