"""Documents named without 《》 (the Guangzhou notice has none): a document verb, then a run of title characters.

The run ends in a genre word (印发实施广州市创建生态文明建设示范区规划), or is a genre word in quotes. Such a
title is kept with confidence `low`; generic names (管理制度, 工作方案) are skipped, and so are runs that name no
specific document: under five characters once a deictic prefix (我局, 相关, 年度 …) is dropped, a function word
first, a count inside (3个 …), a quantifier, adjective or pointer first (详细的, 有效的, 全年, 一方案, 如下, 本), and
a run made only of words every rectification plan has (反馈问题整改方案, 议事决策制度) unless it is name-like (a
year, 关于, a quoted name, or a place or body's name first): such phrases would become one shared node linking
unrelated notices. Titles listed after the first with 、 share its verb; a title that overlaps a span
already taken (a bracketed title, a heading) is not read again. The relation is the verb's
(data/dictionaries/document_verbs.csv; a verb not listed there means `revised` when it starts with 修 or 完善,
else `issued`), and a document issued or revised is the notice's own organisation's.
"""

from __future__ import annotations

import re
from itertools import chain

from analysis.read.resources import Resources, per_resources
from analysis.read.text import SpanIndex, squash
from analysis.extract.document_titles import DocumentMention, doc_type_of, remember

GENERIC_TITLES = {"管理制度", "相关制度", "工作制度", "制度", "规章", "管理规章", "工作方案", "实施方案", "整改方案", "方案", "清单",
                  "问题清单", "任务清单", "责任清单", "工作机制", "长效机制", "财务管理制度", "技术指引", "管理规定", "培训计划",
                  "工作计划", "年度计划", "年度培训计划", "实施细则", "管理办法", "工作要点", "相关技术指引", "规章制度"}
DEICTIC_PREFIX_RE = re.compile(r"^(我局|本局|我市|全市|相关|有关|各项|新版|年度)")
UNMARKED_TYPES = ("方案", "办法", "细则", "意见", "规定", "规则", "规程", "条例", "规划", "纲要", "计划", "要点", "措施",
                  "清单", "指南", "指引", "手册", "标准", "基准", "制度", "预案", "区划")
UNMARKED_CHAR = r"[^,。;:、《》()()\s“”]"
FUNCTION_START_RE = re.compile(r"^[的和及与并等对在将把从向为了]")
# a quantifier, an adjective or a pointer before the genre word: a description of a document, not its title
QUALIFIER_START_RE = re.compile(r"^(?:详细|有效|具体|切实可行|可行|完善|相应|相关|如下|本|该|此|全年|全面|一[个套份项批系列]?|每|各|新的|"
                                r"专门|针对性|整改|反馈问题|问题整改|巡察整改|巡视整改|督察整改|审计整改|下发|印发|出台|制定)")
# words every rectification plan's name has: a title made of nothing else names no particular document
GENERIC_WORDS_RE = re.compile(r"整改|工作|落实|实施|反馈|问题|巡察|巡视|督察|审计|学习|议事|决策|监管|管理|长效|专项|年度|全年|责任|任务|"
                              r"措施|相关|具体|细化|推进|机制|方案|办法|细则|意见|规定|规则|规程|计划|要点|清单|制度|台账|标准")
NAMED_BODY_RE = re.compile(r"(?:19|20)\d{2}|关于|“[^”]{2,}”")
COUNT_INSIDE_RE = re.compile(r"\d+\s*[条个项件家名人次]")


def _unmarked_regex(resources: Resources) -> re.Pattern:
    """Verb + title ending in a genre word (or a genre word in quotes), for documents named without marks."""
    verbs = [v for v, r in resources.document_verbs if r in ("issued", "revised") and v not in ("建立", "完成", "形成", "公开")]
    verbs += ["完善", "制定落实", "发布"]
    verb_alt = "|".join(sorted({re.escape(v) for v in verbs}, key=len, reverse=True))
    types = "|".join(UNMARKED_TYPES)
    plain = rf"(?:{UNMARKED_CHAR}|“[^”《》\n]{{1,20}}”)+?(?:{types})(?:\((?:试行|暂行|修订)\))?"
    quoted = rf"[^,。;:《》()\s]{{0,30}}?“[^”《》\n]{{0,10}}(?:{types})”"
    return re.compile(rf"(?P<verb>{verb_alt})(?:了|并)?(?P<title>{quoted}|{plain})(?=[,。;、和及与并]|$|\s)")


_UNMARKED_CACHE: dict[int, tuple[Resources, tuple[re.Pattern, re.Pattern]]] = {}
FOLLOWER_RE = re.compile(rf"、(?P<title>(?:{UNMARKED_CHAR})+?(?:{'|'.join(UNMARKED_TYPES)}))(?=[,。;、和及与并]|$|\s)")


def _unmarked_patterns(resources: Resources) -> tuple[re.Pattern, re.Pattern]:
    """The compiled unmarked-title patterns for a Resources object (compiled once)."""
    return per_resources(_UNMARKED_CACHE, resources, lambda r: (_unmarked_regex(r), FOLLOWER_RE))


_RELATIONS: dict[int, tuple[Resources, dict[str, str]]] = {}
_FACTS_MET: dict[int, tuple[Resources, dict[str, tuple[str, str, str] | None]]] = {}  # per Resources: title → unmarked_facts


def _relations(resources: Resources) -> dict[str, str]:
    """Document verb → relation (the last row of a verb wins), for a Resources object (built once)."""
    return per_resources(_RELATIONS, resources, lambda r: dict(r.document_verbs))


def unmarked_facts(title: str, resources: Resources) -> tuple[str, str, str] | None:
    """(canonical title, doc_type, category) of an unmarked title that names a specific document, None for one that
    does not (kept per title: the same phrases recur across notices)."""
    met = per_resources(_FACTS_MET, resources, lambda r: {})
    if title in met:
        return met[title]
    facts = (squash(title), *doc_type_of(title, resources)) if _usable_unmarked(title, resources) else None
    return remember(met, title, facts)


def _usable_unmarked(title: str, resources: Resources) -> bool:
    """Whether an unmarked title names a specific document: not generic (管理制度), not a clause fragment, not a phrase
    with a quantifier or adjective (详细的整改措施, 全年学习计划, 一方案), and with a name-like body."""
    core = DEICTIC_PREFIX_RE.sub("", title)
    return (len(core) >= 5 and core not in GENERIC_TITLES and title not in GENERIC_TITLES
            and not FUNCTION_START_RE.match(title) and not COUNT_INSIDE_RE.search(title)
            and not (QUALIFIER_START_RE.match(title) and not NAMED_BODY_RE.search(title)) and "的" not in title.split("“")[0][:6]
            and (len(GENERIC_WORDS_RE.sub("", title)) >= 3 or name_like(title, resources)))


def name_like(title: str, resources: Resources) -> bool:
    """Whether a title without marks has a name-like body: a year, 关于, a quoted name, or a place or body's name first."""
    if NAMED_BODY_RE.search(title):
        return True
    gaz = resources.gazetteer
    for length in range(2, min(9, len(title))):
        head = title[:length]
        if head in gaz.by_name or head in gaz.by_short or head.startswith(("中共", "中国共产党", "国家", "全国", "中央")):
            return True
    return False


def find_unmarked(text: str, resources: Resources, taken: list[tuple[int, int]], organisation: str | None
                  ) -> list[DocumentMention]:
    """Documents named without 《》 (confidence low), including titles listed after the first with 、."""
    regex, follower = _unmarked_patterns(resources)
    matches = regex.finditer(text)
    first = next(matches, None)
    if first is None:
        return []  # most texts name no document this way: nothing else is needed
    relation_of = _relations(resources)
    met = per_resources(_FACTS_MET, resources, lambda r: {})
    found: list[DocumentMention] = []
    given, given_count = SpanIndex(taken), len(taken)

    def is_taken(start: int, end: int) -> bool:
        """Whether the first or the last character of [start, end) lies in a span taken already."""
        return (given.contains(start) or given.contains(end - 1)
                or any(s <= start < e or s < end <= e for s, e in taken[given_count:]))

    def add(start: int, end: int, verb: str) -> None:
        title = text[start:end]
        # the facts first (kept per title, and None for a third of the runs): a title's facts do not depend on where
        # it stands, so asking before the spans taken finds the same titles
        facts = met[title] if title in met else unmarked_facts(title, resources)
        if facts is None or is_taken(start, end):
            return
        canonical, doc_type, category = facts
        relation = relation_of.get(verb, "revised" if verb.startswith(("修", "完善")) else "issued")
        own = relation in ("issued", "revised")  # then the notice's organisation issued or revised it
        # the fields in their order, not named (keywords cost more than the rest of the call); after the issuer and
        # its source: doc_number, bracketed, recovered, confidence, parent, abbreviation_of, flags
        found.append(DocumentMention(start, end, title, canonical, doc_type, category, relation, verb,
                                     organisation if own else None, "notice_body" if organisation and own else "none",
                                     None, False, False, "low", None, None, ["unmarked"]))
        taken.append((start, end))

    for m in chain((first,), matches):
        add(m.start("title"), m.end("title"), m.group("verb"))
        pos = m.end("title")
        while (more := follower.match(text, pos)) is not None:
            add(more.start("title"), more.end("title"), m.group("verb"))
            pos = more.end("title")
    return sorted(found, key=lambda d: d.start)
