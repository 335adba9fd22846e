"""Check a rendered site (reports/_site): offline and complete.

Pure functions over a folder; nothing here needs Quarto.

* **Offline**: no page loads a script, stylesheet, font, image, frame or media file over the network —
  `src`/`href`/`srcset` of script, link, img, source, iframe, video, audio, track, embed, object and input,
  `url(...)` and `@import` in `<style>` blocks, `style` attributes and every .css file, http(s) URLs of
  scripts and stylesheets named inside inline scripts, and OJS cells (their libraries come from a CDN at
  run time). A link a reader follows (`<a href="https://…">`) is not a load and is allowed.
* **Complete**: every internal link and loaded file exists in the site (resolved against its page, without
  `#fragment` or `?query`; a folder means its index.html), and so does every entry of Quarto's search index
  (search.json) and listing index (listings.json).

`check_site` returns the problems; `report` groups and counts them for the command line.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

LOADED_BY = {  # element → attributes whose URL the browser fetches on its own
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "embed": ("src",), "object": ("data",),
    "input": ("src",),
}
KIND_OF_ELEMENT = {"script": "script", "img": "image", "source": "media", "iframe": "frame", "frame": "frame",
                   "video": "media", "audio": "media", "track": "media", "embed": "media", "object": "media", "input": "image"}
LOADED_RELS = {"stylesheet": "stylesheet", "icon": "image", "shortcut": "image", "apple-touch-icon": "image",
               "mask-icon": "image", "manifest": "resource", "preload": "resource", "modulepreload": "script",
               "prefetch": "resource", "preconnect": "resource", "dns-prefetch": "resource"}
FONT_EXTENSIONS = (".woff", ".woff2", ".ttf", ".otf", ".eot")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".avif", ".bmp")
CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
CSS_IMPORT_RE = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
SCRIPT_URL_RE = re.compile(r"""https?://[\w.-]+\.[a-z]{2,}/[^\s"'`)<>]*?\.(?:m?js|css)(?:\?[^\s"'`)<>]*)?(?=["'`])""",
                           re.IGNORECASE)
SKIPPED_SCHEMES = ("data", "mailto", "tel", "javascript", "about", "blob")


@dataclass(frozen=True, order=True)
class SiteProblem:
    """One thing wrong with a rendered site: what kind, on which page (relative to the site), and the URL or text."""

    kind: str
    page: str
    target: str


# --------------------------------------------------------------------------- URLs


def is_external(url: str) -> bool:
    """Whether a URL is fetched from the network: http(s) or protocol-relative (//host/…)."""
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme.lower() in ("http", "https")


def site_path(page: str, url: str) -> str | None:
    """The file a local URL points at, relative to the site root (posix), or None when the URL is not a local file
    (external, data:, mailto:, javascript:, a bare #fragment or an empty href). A folder is its index.html; a path
    that climbs out of the site starts with '../'."""
    url = url.strip()
    if not url or is_external(url):
        return None
    parts = urlsplit(url)
    if parts.scheme:
        return None if parts.scheme.lower() in SKIPPED_SCHEMES else url
    path = unquote(parts.path)
    if not path:
        return None  # "#top", "?q=…": the page itself
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
    resolved = posixpath.normpath(joined) if joined else "."
    if path.endswith("/") or resolved == ".":
        resolved = posixpath.normpath(posixpath.join(resolved, "index.html"))
    return resolved


def css_references(css: str) -> list[tuple[str, str]]:
    """(kind, URL) of what a stylesheet loads: @import (stylesheet) and url(...) (font, image or resource by the file's
    extension); data: URLs included (they load nothing and are skipped later)."""
    found = [("stylesheet", m.group(1) or m.group(2)) for m in CSS_IMPORT_RE.finditer(css)]
    for m in CSS_URL_RE.finditer(css):
        url = next((g for g in m.groups() if g), "")
        path = urlsplit(url).path.lower()
        if css[max(0, m.start() - 16): m.start()].rstrip().lower().endswith("@import"):
            kind = "stylesheet"
        else:
            kind = "font" if path.endswith(FONT_EXTENSIONS) else "image" if path.endswith(IMAGE_EXTENSIONS) else "resource"
        found.append((kind, url))
    return [(kind, url) for kind, url in found if url]


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset attribute ("a.png 1x, b.png 2x")."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


# --------------------------------------------------------------------------- one page


@dataclass(frozen=True)
class Reference:
    """A URL a page uses: `kind` is what it loads (script, stylesheet, image, font, frame, media, resource) or
    `link` for an anchor a reader follows."""

    kind: str
    url: str


def page_references(html: str) -> list[Reference]:
    """Every URL an HTML page loads or links to, in document order."""
    root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser(encoding="utf-8")) if html.strip() else None
    refs: list[Reference] = []
    for element in root.iter() if root is not None else ():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "link" and element.get("href"):
            rels = (element.get("rel") or "").lower().split()
            kinds = [LOADED_RELS[r] for r in rels if r in LOADED_RELS]
            if kinds:
                refs.append(Reference(kinds[0], element.get("href")))
        elif tag in ("a", "area") and element.get("href") is not None:
            refs.append(Reference("link", element.get("href")))
        for attribute in LOADED_BY.get(tag, ()):
            value = element.get(attribute)
            if value:
                urls = srcset_urls(value) if attribute == "srcset" else [value]
                refs += [Reference(KIND_OF_ELEMENT[tag], url) for url in urls]
        if element.get("style"):
            refs += [Reference(kind, url) for kind, url in css_references(element.get("style"))]
        if tag == "style":
            refs += [Reference(kind, url) for kind, url in css_references(element.text or "")]
        if tag == "script" and not element.get("src") and element.text:
            refs += [Reference("script" if url.lower().split("?")[0].endswith("js") else "stylesheet", url)
                     for url in SCRIPT_URL_RE.findall(element.text)]
    return refs


def page_problems(page: str, html: str, files: set[str]) -> list[SiteProblem]:
    """What is wrong with one page (`page`: its path relative to the site; `files`: every file of the site)."""
    problems = []
    for ref in page_references(html):
        if ref.kind == "script" and "quarto-ojs" in ref.url:
            problems.append(SiteProblem("OJS cell (loads its libraries from a CDN at run time)", page, ref.url))
        if is_external(ref.url):
            if ref.kind != "link":
                problems.append(SiteProblem(f"external {ref.kind}", page, ref.url))
            continue
        target = site_path(page, ref.url)
        if target is None:
            continue
        if target.startswith("../"):
            problems.append(SiteProblem("link out of the site", page, ref.url))
        elif target not in files:
            problems.append(SiteProblem("broken link" if ref.kind == "link" else f"missing {ref.kind}", page, ref.url))
    return problems


def stylesheet_problems(sheet: str, css: str, files: set[str]) -> list[SiteProblem]:
    """What is wrong with one .css file of the site: external loads and missing local files."""
    problems = []
    for kind, url in css_references(css):
        if is_external(url):
            problems.append(SiteProblem(f"external {kind}", sheet, url))
            continue
        target = site_path(sheet, url)
        if target is not None and (target.startswith("../") or target not in files):
            problems.append(SiteProblem(f"missing {kind}", sheet, url))
    return problems


# --------------------------------------------------------------------------- Quarto's indexes


def missing(href: str, files: set[str]) -> bool:
    """Whether a site-root-relative href of one of Quarto's indexes names a local file the site does not have."""
    target = site_path("index.html", href if href.startswith("/") else "/" + href)
    return target is not None and target not in files


def search_problems(site: Path, files: set[str]) -> list[SiteProblem]:
    """Entries of search.json whose page is not in the site."""
    path = site / "search.json"
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [SiteProblem("unreadable index", "search.json", str(exc))]
    hrefs = sorted({e.get("href") or e.get("objectID") or "" for e in entries if isinstance(e, dict)})
    return [SiteProblem("broken search entry", "search.json", href) for href in hrefs if missing(href, files)]


def listing_problems(site: Path, files: set[str]) -> list[SiteProblem]:
    """Items of listings.json (Quarto's index of listing pages) whose page is not in the site."""
    path = site / "listings.json"
    if not path.is_file():
        return []
    try:
        listings = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [SiteProblem("unreadable index", "listings.json", str(exc))]
    problems = []
    for listing in listings if isinstance(listings, list) else []:
        page = str(listing.get("listing", "")).lstrip("/")
        if page and missing("/" + page, files):
            problems.append(SiteProblem("broken listing", "listings.json", page))
        for item in listing.get("items", []):
            if missing(str(item), files):
                problems.append(SiteProblem("broken listing item", page or "listings.json", str(item)))
    return problems


# --------------------------------------------------------------------------- the site


def site_files(site: Path) -> set[str]:
    """Every file of the site, relative to it (posix)."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def check_site(site: Path) -> list[SiteProblem]:
    """Every problem of a rendered site, sorted (an empty list: offline and complete)."""
    if not (site / "index.html").is_file():
        return [SiteProblem("no site", site.name, "index.html is missing: render the site first (`notices site`)")]
    files = site_files(site)
    problems = []
    for rel in sorted(files):
        if rel.endswith((".html", ".htm")):
            problems += page_problems(rel, (site / rel).read_text(encoding="utf-8", errors="replace"), files)
        elif rel.endswith(".css"):
            problems += stylesheet_problems(rel, (site / rel).read_text(encoding="utf-8", errors="replace"), files)
    problems += search_problems(site, files) + listing_problems(site, files)
    return sorted(set(problems))


def warning_problems(output: str) -> list[SiteProblem]:
    """The warnings of a render's output (Quarto's `WARN …`, Pandoc's `[WARNING] …`), one problem each; the lines
    that continue a warning (Quarto lists the contents of a listing under it) are joined to it, up to a blank line or
    the next record."""
    warnings: list[list[str]] = []
    open_ = False
    for line in output.splitlines():
        text = line.strip()
        if re.match(r"(\[WARNING\]|WARN(ING)?\b)", text, re.IGNORECASE):
            warnings.append([text])
            open_ = True
        elif open_ and text and not re.match(r"(\[\s*\d+/\d+\]|ERROR|Output created|Watching|Browse)", text):
            warnings[-1].append(text)
        else:
            open_ = False
    return [SiteProblem("render warning", "quarto render", " ".join(w)) for w in warnings]


def report(problems: list[SiteProblem], limit: int = 20) -> str:
    """Problems grouped by kind, counted, at most `limit` listed per kind."""
    groups: dict[str, list[SiteProblem]] = defaultdict(list)
    for problem in problems:
        groups[problem.kind].append(problem)
    lines = [f"{len(problems)} problem(s) in the site:"]
    for kind in sorted(groups):
        items = groups[kind]
        lines.append(f"  {kind} ({len(items)}):")
        lines += [f"    {p.page}: {p.target}" for p in items[:limit]]
        if len(items) > limit:
            lines.append(f"    … and {len(items) - limit} more")
    return "\n".join(lines)
