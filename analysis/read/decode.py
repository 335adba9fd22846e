"""Decode: raw bytes → text, the first step of ingest.

Bytes are binary, not text, when they hold NUL bytes (without a UTF-16 byte-order mark) or many control bytes.
Text is decoded as UTF-8 (with or without BOM), UTF-16 with BOM or GB18030 — GB18030 first when an HTML page
declares a GB charset; GB18030 decodes almost anything, so its result must also read as Chinese rather than
mojibake. An HTML page (by extension or by its first tag) is reduced to its article text with a real parser:
its head, scripts, styles, forms and elements whose class, id or role names page chrome (nav, breadcrumb,
footer, share, print …) are dropped, each drop logged as a `Removal` (the record of every later removal too),
and its blocks go on lines of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from analysis.errors import NoticeError
from analysis.read.text import char_table, code_points_of

# --------------------------------------------------------------------------- the removal log


@dataclass(frozen=True)
class Removal:
    """One span of the decoded text that is not in the normalised text."""

    rule: str
    start: int | None  # offset in the decoded text (None for HTML elements)
    end: int | None
    text: str
    at: int  # offset in the normalised text where the span used to be


# --------------------------------------------------------------------------- decoding

BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # C0 controls but \t \n \f \r, and DEL
HTML_SNIFF_RE = re.compile(rb"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text: NUL bytes (without a UTF-16 BOM) or many control bytes."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    return controls > max(8, len(head) // 100)


def looks_like_html(data: bytes, suffix: str) -> bool:
    """Whether the file is an HTML page (by extension or by its first tag)."""
    return suffix.lower() in {".html", ".htm"} or bool(HTML_SNIFF_RE.match(data[:2048]))


CJK_LIKE = char_table("", "\u3400-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2460-\u24ff")  # Han, CJK marks, full width


def plausible_chinese(text: str) -> bool:
    """Whether decoded text reads as Chinese (or ASCII) rather than mojibake."""
    points = code_points_of(text)  # counted on code points: no Python string per character
    non_ascii = int(np.count_nonzero(points > 0x7F))
    return non_ascii == 0 or int(np.count_nonzero(CJK_LIKE[points])) >= 0.6 * non_ascii


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM or GB18030; return (text, encoding)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise NoticeError("undecodable", f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
            return text.lstrip("\ufeff"), encoding
    candidates = ["utf-8", "gb18030"]
    if declared and declared.lower().replace("_", "-") in {"gbk", "gb2312", "gb18030"}:
        candidates = ["gb18030", "utf-8"]
    errors = []
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason} at byte {exc.start}")
            continue
        if encoding == "utf-8" or plausible_chinese(text):  # strict UTF-8 is never mojibake; GB18030 decodes almost anything
            return text, encoding
        errors.append(f"{encoding}: decodes but does not read as Chinese text")
    raise NoticeError("undecodable", "not valid UTF-8, UTF-16 or GB18030 (" + "; ".join(errors) + ")")


# --------------------------------------------------------------------------- HTML

HTML_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "form", "nav", "header",
                  "footer", "aside", "button", "select", "svg", "canvas", "object", "embed"}
HTML_NOISE_ATTR_RE = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|breadcrumb|crumbs?|footer|header|top-?bar|toolbar|share|sidebar|"
    r"copyright|banner|search|login|weixin|qrcode|print|close|position|location|pager|pagination)($|[\s_\-\d])",
    re.I,
)
HTML_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                   "table", "section", "article", "main", "center", "blockquote", "pre", "dd", "dt", "hr"}


def html_to_text(html: str) -> tuple[str, list[Removal]]:
    """Article text of an HTML page (blocks on their own lines) and a log of the elements dropped."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    try:
        root = document_fromstring(html, parser=HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, ValueError) as exc:
        raise NoticeError("bad_html", f"the HTML page could not be parsed: {exc}") from exc
    removals: list[Removal] = []
    head = root.find("head")
    if head is not None:
        title = head.findtext("title") or ""
        removals.append(Removal("html_head", None, None, _clip(" ".join(title.split())), 0))
        head.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        reason = None
        if element.tag in HTML_DROP_TAGS:
            reason = f"html_{element.tag}"
        else:
            attrs = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"))))
            if attrs and HTML_NOISE_ATTR_RE.search(attrs):
                reason = "html_page_chrome"
        if reason:
            text = " ".join("".join(element.itertext()).split())
            removals.append(Removal(reason, None, None, _clip(text), 0))
            element.drop_tree()
    pieces: list[str] = []
    _collect_text(root, pieces)
    lines = [" ".join(line.split()) for line in "".join(pieces).split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise NoticeError("no_text", "the HTML page holds no article text once scripts, styles and navigation are dropped")
    return text, removals


def _collect_text(element, pieces: list[str]) -> None:
    """Append the text of an element tree, putting block elements on lines of their own."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in HTML_BLOCK_TAGS:
        pieces.append("\n")
    if element.text and tag:
        pieces.append(element.text)
    for child in element:
        _collect_text(child, pieces)
        if child.tail:
            pieces.append(child.tail)
    if tag in HTML_BLOCK_TAGS:
        pieces.append("\n")


def _clip(text: str, limit: int = 200) -> str:
    """Text shortened for the removal log."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
