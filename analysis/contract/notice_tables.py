"""Declarations of the per-notice tables: each notice's rows, from the ingest, parse and extract stages.

Every column with its type, meaning, derivation, example and allowed values — the codebook's source.
"""

from __future__ import annotations

from analysis.contract.schema import (OF_MEASURE, OF_NOTICE, OF_PROBLEM, C, Reference, Table, notice_id_column,
                                      offset_columns, problem_measure_key_columns)
from analysis.contract.values import ADMIN_LEVELS, GENRE_VALUES, STATUS_VALUES

NOTICE_TABLES: tuple[Table, ...] = (
Table(
    name="removals", stage="ingest",
    grain="one row per span of the decoded raw text left out of the normalised text",
    key=("notice_id", "seq"),
    references=(OF_NOTICE,),
    columns=(
        notice_id_column(),
        C("seq", "int", "Order of the removal within the notice.", "Counted from 1 in text order (HTML elements first).", "1", False),
        C("rule", "str", "Rule that removed the span.",
          "One of the ingest rules: page_meta (来源/发布时间/索引号… lines; their values are kept in `notices`), page_date_line, "
          "navigation, glued_navigation, table_pipes, page_links, repost_trailer, placeholder_question_mark, pinyin_gloss "
          "(a reposting site's (jù) after a character), zero_width, carriage_return, html_<tag>, html_head, html_page_chrome.",
          "navigation", False),
        C("raw_start", "int", "Offset of the removed span in the decoded raw text (null for HTML elements).",
          "Character index into the decoded file (after BOM, before any change).", "0"),
        C("raw_end", "int", "Offset just after the removed span in the decoded raw text.", "Character index (exclusive).", "4"),
        C("chars", "int", "Number of characters removed.", "raw_end - raw_start (for HTML: length of the element's text).", "4", False),
        C("normalised_at", "int", "Offset in the normalised text where the span used to be.",
          "Characters kept before the span.", "0", False),
        C("text", "str", "The removed text (HTML elements: their text, clipped to 200 characters).", "Copied from the decoded text.", "公众号\\n", False),
    ),
    notes="len(decoded) − sum(chars of rows with raw offsets) = len(normalised text): nothing disappears unlogged.",
),

Table(
    name="notices", stage="parse",
    grain="one row per notice that made it into the tables",
    key=("notice_id",),
    columns=(
        notice_id_column(),
        C("file", "str", "Raw file, relative to data/raw/.", "Manifest.", "notices/qingdao-sthjj-2024.txt", False),
        C("sha256", "str", "SHA-256 of the raw bytes.", "Computed at ingest; equals the manifest's.", "30551a38…", False),
        C("text_sha256", "str", "SHA-256 of the normalised text (UTF-8): the file data/processed/text/<notice_id>.txt.",
          "Computed at ingest; two notices with the same value are duplicates.", "9f2c41d0…", False),
        C("encoding", "str", "How the file was decoded.", "BOM, strict UTF-8, else GB18030; html: prefix for HTML pages.", "utf-8", False),
        C("script", "str", "Script of the decoded text.", "OpenCC t2s on the decoded text: no change → simplified; ≥5% of Han characters changed → traditional; "
          "0.5–5% → mixed (converted either way).",
          "traditional", False, ("simplified", "traditional", "mixed")),
        C("chars_converted", "int", "Characters changed by traditional→simplified conversion.", "OpenCC t2s, one character for one.", "1873", False),
        C("chars_decoded", "int", "Length of the decoded text (HTML: of the extracted article text).", "len().", "5703", False),
        C("chars", "int", "Length of the normalised text.", "len(data/processed/text/<id>.txt).", "5674", False),
        C("layout", "str", "How the notice is organised.", "multi_problem (a numbered outline of problems); single_task (one task: "
          "反馈问题内容 / 整改措施 / 工作开展情况 / 验收意见, with or without numbered sections); without a numbered outline: "
          "table (rows of |-separated cells), enumerated (一是…/(1)… items) or paragraph.", "multi_problem", False,
          ("multi_problem", "single_task", "enumerated", "paragraph", "table")),
        C("title", "str", "Title, when the copy has one (never invented).", "Line(s) above the running text with 关于/通报/公示/报告… "
          "(joined when broken over lines; never a breadcrumb, site name or URL); else the page's 文件名称 line.",
          "中共青岛市生态环境局党组关于十三届市委第三轮巡察整改进展情况的通报"),
        C("issuing_body", "str", "Body the notice comes from, as written.", "Signature block; else the title's body before 关于; else the "
          "speaker line of a speech (XX市审计局局长 张三 → XX市审计局); else the body the inspectors fed back to (向XX党委反馈); else "
          "the page's 发布机构 line.", "中共青岛市生态环境局党组"),
        C("organisation", "str", "The organ behind the issuing body.", "issuing_body without 中共 and 党组/党委 (中共XX县委员会 → XX县委; "
          "中共XX镇委员会 → XX镇党委).", "青岛市生态环境局"),
        C("body_kind", "str", "What kind of body the organisation is.", "The organ word at the end of its name (analysis/read/bodies.py).",
          "department", True, ("party_committee", "government", "department", "legislature", "judiciary", "enterprise",
                               "public_institution", "mass_organisation", "grassroots", "other")),
        C("sector", "str", "Policy sector of the organisation.", "general for a locality's party committee, government or congress; "
          "else the first keyword of data/dictionaries/sectors.csv in its name; enterprise; else other.", "ecology_environment"),
        C("province", "str", "Province of the organisation.", "data/reference/admin_divisions.csv, resolved in the notice's context.", "山东省"),
        C("province_code", "str", "Six-digit division code of the province.", "Division table.", "370000"),
        C("city", "str", "Prefecture-level city.", "Division table.", "青岛市"),
        C("city_code", "str", "Six-digit code of the city.", "Division table.", "370200"),
        C("county", "str", "County-level division (for county bodies such as a 分局).", "Division table; short names (博兴) only within the city.", "博兴县"),
        C("county_code", "str", "Six-digit code of the county.", "Division table.", "371625"),
        C("admin_level", "str", "Tier of the organisation.", "The body's own tier word (中央/国家 → central; 镇/乡/街道 → township; "
          "公司/集团 → enterprise); else the place that resolves (a county or a city bureau's 分局 → county; a prefecture → city; a "
          "province → province); else the place word of a bare name (区法院 → county).",
          "city", True, ADMIN_LEVELS),
        C("genre", "str", "Kind of oversight the notice answers.", "巡察/巡视 → party_inspection; 生态环境保护督察 → environmental_inspection; "
          "审计 → audit; else other (opening paragraph and title).", "party_inspection", False, GENRE_VALUES),
        C("inspection_level", "str", "Level of who inspected or audited.", "中央 / 省 / 市 / 县 in the inspecting group or round; in a "
          "直辖市 the 市委 is provincial; an audit office by its place (审计署 central, a 县级市's 市审计局 county).", "municipal", True,
          ("central", "provincial", "municipal", "county")),
        C("inspection_kind", "str", "Kinds of inspection the text states, ';'-separated.", "常规, 专项, 提级交叉, 交叉, 机动, 回头看, 联动, 例行, "
          "提级 in the title or opening; 专项 also when a theme precedes 专项巡察.", "提级交叉;专项"),
        C("audit_kind", "str", "Kinds of audit the text states, ';'-separated (audits only).", "budget_execution (预算执行), "
          "fiscal_revenue_expenditure, economic_responsibility (经济责任), natural_resources (自然资源资产), special_investigation "
          "(专项审计调查), special, performance (绩效), tracking (跟踪), final_accounts (竣工决算).", "budget_execution"),
        C("inspection_theme", "str", "Theme of a 专项 inspection.", "Words before 专项巡察.", "营商环境优化提升"),
        C("inspecting_body", "str", "Inspection group or audit office.", "The genre's group (市委第七巡察组, 县委巡察三组, 中央第二生态环境保护"
          "督察组) or the audit office next to 对…进行了审计, in the title or opening (round prefix removed).", "市委第七巡察组"),
        C("inspected_body", "str", "Body inspected, as written.", "对…开展/进行…巡察/督察/审计, or 进驻XX省, in the title or opening.",
          "市生态环境局党组"),
        C("round", "str", "Inspection round as written.", "…届…第…轮 in the title or opening; audits: the year audited (2023年度).",
          "十三届市委第三轮"),
        C("round_term", "int", "Term (届) number.", "Chinese numeral converted.", "13"),
        C("round_number", "int", "Round (轮) number.", "Chinese numeral converted.", "3"),
        C("fiscal_year", "int", "Audits: the year audited.", "N年度 in the title or opening.", "2023"),
        C("inspection_start", "date", "First day of the inspection (first day of the month when only the month is stated).",
          "First day- or month-precision period in the opening that is not a publicity period.", "2023-03-15"),
        C("inspection_end", "date", "Last day of the inspection (last day of the month when only the month is stated).", "Same period.",
          "2023-05-31"),
        C("inspection_precision", "str", "Precision the inspection period was stated with.", "day or month.", "day"),
        C("feedback_date", "date", "Day the inspectors fed back their findings.", "Date of the opening's sentence that says 反馈; a year-less "
          "date takes the year of the inspection period before it.", "2023-09-04"),
        C("feedback_precision", "str", "Precision the feedback date was stated with.", "As stated.", "day"),
        C("feedback_year_inferred", "bool", "Whether the feedback date's year was inferred.", "True for 9月4日 style dates.", "true"),
        C("signature_date", "date", "Date in the signature block.", "Last full date standing alone (or after the body) at the end, in "
          "Arabic or Chinese numerals; never a repost date or a page's publish time.", "2024-04-19"),
        C("publication_date", "date", "The document's own date.", "signature_date; else a speech's dateline (——2024年12月25日在…会议上) "
          "or the date under its title; else the page's 成文日期; else the page's publish date; else a bare date line of the page.",
          "2024-04-19"),
        C("publication_date_source", "str", "Rule that chose publication_date.", "signature, dateline (a speech's, or a date line under "
          "the title), page_written (成文日期), page_published (发布时间), page_date (a bare date line of the page).",
          "signature", True, ("signature", "dateline", "page_written", "page_published", "page_date")),
        C("page_date", "date", "A date line of the page the copy came from (e.g. a repost date).", "Removed at ingest, kept here.", "2025-07-06"),
        C("page_published", "str", "Publish time in the page header, as printed.", "Page line 发布时间/发布日期/发表时间; removed at ingest, "
          "kept here.", "2025-09-24 18:41"),
        C("page_source", "str", "Source or publisher named by the page, as printed.", "Page line 来源/信息来源/文章来源, else 发布机构; "
          "removed at ingest, kept here.", "市生态环境局"),
        C("declared_categories", "int", "Number of categories (方面) of problems the notice states.", "N个方面(M个问题).", "4"),
        C("declared_problems", "int", "Number of problems the notice says it received or that were found.", "反馈/指出/交办/梳理出/查出 "
          "N个问题, 反馈问题N个, N个方面M个问题 (M), 交办信访件N件, N项整改任务, in the opening or an overview section.", "48"),
        C("declared_measures", "int", "Number of rectification measures declared.", "N条整改措施.", "161"),
        C("declared_measures_completed", "int", "Declared completed measures.", "N条整改措施已完成.", "109"),
        C("declared_completion_pct", "float", "Declared completion percentage.", "总进度/完成率 N%.", "67.7"),
        C("declared_problems_completed", "int", "Declared completed problems.", "N个问题已整改完成.", "16"),
        C("declared_items_completed", "int", "Declared completed rectification items (事项).", "已完成整改事项N个.", "19"),
        C("declared_items_long_term", "int", "Declared items with interim results needing long-term effort.", "阶段性成效…事项N个.", "1"),
        C("declared_items_in_progress", "int", "Declared items still under way.", "持续推进…事项N个.", ""),
        C("declared_rules", "int", "Rules and mechanisms the notice says it created.", "形成制度机制N项, 建立完善制度N项, N项规章制度.", "25"),
        C("declared_amount", "float", "Audits: money said to be rectified, in yuan.", "整改(问题)金额X亿元/万元, multiplied out.", "215587.84e4"),
        C("declared_pct_check", "str", "Whether the declared percentage equals completed / total.", "Measures completed / measures, else "
          "problems completed / problems; |100·ratio − pct| ≤ 0.05 (one decimal, as printed).", "consistent", True,
          ("consistent", "inconsistent")),
        C("problems_parsed", "int", "Problems parsed (units with their own status and measures).", "Rows of `problems`.", "48", False),
        C("problem_groups_parsed", "int", "Groups the problems sit in (categories or problem groups; status groups excluded).",
          "Distinct first-level groups under the problems section; a problem directly under it is its own group.", "10", False),
        C("measures_parsed", "int", "Measures reported done or under way.", "Rows of `measures` with kind done.", "166", False),
        C("planned_parsed", "int", "Next-step (下一步) items.", "Rows of `measures` with kind planned.", "37", False),
        C("warnings", "str", "Parse warnings, ';'-separated, sorted.", "no_title, no_signature, truncated, unbalanced_title_mark, …", "no_title"),
    ),
),

Table(
    name="notice_fields", stage="parse",
    grain="one row per notice and metadata field that has a value, with the characters it was read from",
    key=("notice_id", "field"),
    references=(OF_NOTICE,),
    columns=(
        notice_id_column(),
        C("field", "str", "Metadata field (a column of `notices`).", "Parse.", "feedback_date", False),
        C("value", "str", "Value as text (dates ISO, lists ';'-joined).", "Parse.", "2023-09-04", False),
        C("start", "int", "Offset of the evidence in the normalised text (null for facts from page noise).", "Parse.", "120"),
        C("end", "int", "Offset just after the evidence.", "Parse.", "125"),
        C("method", "str", "Rule that produced the value.", "Parse.", "date of the sentence saying 反馈", False),
    ),
    notes="The provenance of every notice-level fact: text[start:end] is the evidence.",
),

Table(
    name="outline", stage="parse",
    grain="one row per numbered heading of a notice",
    key=("notice_id", "path"),
    references=(OF_NOTICE,),
    columns=(
        notice_id_column(),
        C("path", "str", "Position in the outline (1-based per level).", "Outline tree.", "2.1.3", False),
        C("depth", "int", "Depth in the tree (1 = top).", "Number of parts of path.", "3", False),
        C("form", "str", "Marker form.", "cn_dun 一、 · cn_paren (一) · arabic_dot 1. · arabic_paren 1)/(1)/⑴ · circled ①.", "arabic_dot", False),
        C("label", "str", "Marker as written.", "Copied.", "3.", False),
        C("number", "int", "Number of the marker.", "Converted from the marker.", "3", False),
        C("heading", "str", "Heading text.", "From the marker to the first sentence end outside quotes (whole line for a "
          "problem statement ending in 问题).", "关于服务项目落地还存在短板问题", False),
        C("role", "str", "What the heading is.", "overview, problems, plans, other (top level); category, status_group, problem_group, "
          "problem, measure, measure_part; statement, measures, progress, acceptance, targets (single-task).", "problem", False),
        C("heading_start", "int", "Offset of the heading text.", "Outline.", "2210", False),
        C("heading_end", "int", "Offset after the heading text.", "Outline.", "2228", False),
        *offset_columns("whole node (heading and everything under it)"),
    ),
),

Table(
    name="problems", stage="parse",
    grain="one row per problem (the unit a notice reports status and measures for)",
    key=("problem_key",),
    references=(OF_NOTICE,),
    columns=(
        C("problem_key", "str", "notice_id:path.", "Parse.", "binzhou-boxing-sthjfj-2023:2.4.3", False),
        notice_id_column(),
        C("path", "str", "Outline path of the problem.", "Outline.", "2.4.3", False),
        C("label", "str", "Number as written.", "Outline.", "11.", False),
        C("number", "int", "Number of the marker.", "Outline.", "11"),
        C("category", "str", "Category heading above it (关于……方面), if any.", "Nearest category ancestor.", "关于党组落实上级决策部署打折扣…"),
        C("category_path", "str", "Path of that category.", "Outline.", "2.4"),
        C("problem_group", "str", "Heading of the problem it is a sub-problem of, if any.", "Problem-group ancestor.", "关于污染防治还有短板弱项问题"),
        C("status_group", "str", "Heading of the status group it sits in, if any.", "Status-group ancestor.", "按计划持续推进的整改事项"),
        C("title", "str", "Problem title.", "Heading without marker and final 。 (single-task: the 反馈问题内容 text).",
          "针对博兴县水环境质量2021年度考核排名下滑问题", False),
        C("title_start", "int", "Offset of the title.", "Outline.", "4120", False),
        C("title_end", "int", "Offset after the title.", "Outline.", "4143", False),
        C("status", "str", "Rectification status.", "Item statement, else status group, else document (acceptance), else unknown — "
          "never 'not done'.", "long_term", False, STATUS_VALUES),
        C("status_source", "str", "Where the status came from.", "item, heading, group, document, none.", "item", False,
          ("item", "heading", "group", "document", "none")),
        C("status_start", "int", "Offset of the status words.", "Parse.", "4150"),
        C("status_end", "int", "Offset after them.", "Parse.", "4165"),
        *offset_columns("problem (heading to the next problem)"),
        C("measures", "int", "Measures reported done or under way.", "一是…二是… (numbers may skip) or one for an unenumerated text.", "3", False),
        C("planned", "int", "Next-step items.", "After 下一步: one per 一是…, or one.", "0", False),
        C("has_next_steps", "bool", "Whether the problem has a 下一步 part.", "planned > 0.", "false", False),
    ),
),

Table(
    name="measures", stage="extract",
    grain="one row per measure (done) or next-step item (planned) of a problem",
    key=("measure_key",),
    references=(OF_NOTICE, OF_PROBLEM),
    columns=(
        C("measure_key", "str", "problem_key:m<index> (done) or :p<index> (planned); notice_id:m<index> for a measure outside any problem.", "Parse.", "taizhou-js-sthjj-2025:2.2.3:p1", False),
        C("problem_key", "str", "Problem it belongs to (null for a measure of a notice that states no problem, e.g. a prose notice "
          "without an outline).", "Parse.", "taizhou-js-sthjj-2025:2.2.3"),
        notice_id_column(),
        C("kind", "str", "done (reported as done or under way) or planned (下一步).", "Parse.", "done", False, ("done", "planned")),
        C("index", "int", "Order within its kind (1-based).", "Parse.", "2", False),
        C("label", "str", "Enumerator as written (一是, (一)) or empty when the problem's text is one measure.", "Parse.", "二是", False),
        C("number", "int", "Number of the enumerator as written (numbers may skip).", "Parse.", "2"),
        C("text", "str", "The measure's text (= text[start:end]).", "Normalised text.", "二是4月14日,印发《关于开展…》…", False),
        *offset_columns("measure"),
        C("progress_start", "int", "Offset of the parallel progress text (single-task notices: 工作开展情况 item).", "Parse.", "2410"),
        C("progress_end", "int", "Offset after it.", "Parse.", "2790"),
        C("chars", "int", "Length of the measure text (progress text excluded).", "end − start.", "120", False),
        C("truncated", "bool", "Whether the measure (or its progress text) was cut by the end of the text: a copy cut short.",
          "Nothing but whitespace follows it and it does not end a sentence (。;!? or a closing mark).", "false", False),
        C("verbs", "str", "Action verbs in the measure, ';'-separated, in text order, first occurrence.",
          "data/dictionaries/action_verbs.csv.", "印发;排查;开展", False),
        C("has_date", "bool", "Whether a date is stated in the measure (or its progress text).", "Rows of `dates` inside it.", "true", False),
        C("has_figure", "bool", "Whether a figure is stated.", "Rows of `figures` inside it.", "true", False),
        C("has_document", "bool", "Whether a policy document is named (marked or not).", "Rows of `documents` inside it.", "true", False),
        C("has_agency", "bool", "Whether another agency (not the notice's own units) is named.", "Rows of `agencies` with is_self false.",
          "false", False),
    ),
),

Table(
    name="documents", stage="extract",
    grain="one row per mention of a policy document",
    key=("mention_key",),
    references=(OF_NOTICE, OF_PROBLEM, OF_MEASURE, Reference(("parent_key",), "documents")),
    columns=(
        C("mention_key", "str", "notice_id:d<seq> in text order.", "Extract.", "taizhou-js-sthjj-2025:d12", False),
        notice_id_column(),
        *problem_measure_key_columns(),
        C("title", "str", "Title as written (= text[start:end]; outer titles keep their inner marks).", "Between 《》.",
          "关于印发《泰州市…实施细则》的通知", False),
        C("canonical_title", "str", "Title that identifies the document across notices.", "Whitespace removed, 〈〉→《》, short forms "
          "resolved to the earlier full title or the law-name dictionary.", "江苏省固体废物污染环境防治条例", False),
        C("doc_type", "str", "Genre word at the end of the title.", "data/dictionaries/document_types.csv.", "通知", False),
        C("doc_category", "str", "Group of genres.", "Same file (plan, rules, notice, law, report, list, guidance, …).", "notice", False),
        C("relation", "str", "What the notice says was done with the document.", "Governing verb (data/dictionaries/document_verbs.csv); "
          "see the module doc of analysis/extract/documents.py.", "issued", False,
          ("issued", "revised", "applied", "submitted", "cited")),
        C("verb", "str", "Governing verb as matched.", "Extract.", "印发"),
        C("issuer", "str", "Who issued the document.", "Organ in the title; else an agency right before the verb or title; else, for "
          "issued/revised, the notice's organisation.", "江苏省生态环境厅"),
        C("issuer_source", "str", "Where the issuer came from.", "title, context, notice_body, none.", "context", False,
          ("title", "context", "notice_body", "none")),
        C("doc_number", "str", "Document number (文号) printed after the title.", "〔年〕号 pattern in brackets.", "府办函〔2022〕198号"),
        C("bracketed", "bool", "Whether the title stands in 《》.", "Extract.", "true", False),
        C("recovered", "bool", "Whether a missing 《 was recovered.", "A document verb right before the title.", "false", False),
        C("confidence", "str", "How sure the mention is.", "high (marked), medium (recovered mark), low (unmarked title).", "high", False,
          ("high", "medium", "low")),
        C("parent_key", "str", "mention_key of the title this one is nested in.", "Nesting of marks.", "taizhou-js-sthjj-2025:d71"),
        C("abbreviation_of", "str", "Full title a short form was resolved to.", "Extract.", "江苏省固体废物污染环境防治条例"),
        *offset_columns("title (inside the marks)"),
    ),
),

Table(
    name="agencies", stage="extract",
    grain="one row per agency mention (公检法 gives three rows for one span)",
    key=("mention_key",),
    references=(OF_NOTICE, OF_PROBLEM, OF_MEASURE),
    columns=(
        C("mention_key", "str", "notice_id:a<seq> in text order.", "Extract.", "guangzhou-sthjj-2025:a14", False),
        notice_id_column(),
        *problem_measure_key_columns(),
        C("mention", "str", "Words as written (= text[start:end]).", "Extract.", "市住建部门", False),
        C("canonical", "str", "Canonical agency name.", "Place (from the words before, or the notice) + the kind's name at that level "
          "(data/reference/agencies.csv).", "泰州市住房和城乡建设局", False),
        C("kind", "str", "Gazetteer key of the kind of agency.", "data/reference/agencies.csv; inspection_group, leading_group "
          "(…领导小组 and its office), rectification_office (整改办), party_body (a party committee's own committee or office: "
          "区委审计委员会), youth_league, enterprise, own_unit.", "housing", False),
        C("type", "str", "Type of agency.", "Gazetteer.", "government_department", False,
          ("party_organ", "government", "government_department", "inspection_body", "discipline_body", "judiciary",
           "legislature", "public_institution", "coordination_body", "mass_organisation", "enterprise", "own_unit")),
        C("level", "str", "Administrative level.", "Place before the mention, level character, the alias itself, or the notice's level "
          "(its admin_level, so township or enterprise for a notice of such a body).", "city", False, (*ADMIN_LEVELS, "unknown")),
        C("place", "str", "Place that qualifies the agency (for a collective, the place whose bodies it names).",
          "Division name before the mention; else the notice's own place at the level a level character stands for "
          "(市 in a county-level city's notice is that city; in a municipality's district, the municipality).", "泰州市"),
        C("role", "str", "How the agency appears in its sentence.", "inspecting (a 巡视/巡察/督察 group), inspected (对X开展巡察, "
          "向X反馈), recipient (报/提请…), partner (联合/会同/与…), issuer (X印发/制定…), acting (X召开/组织/牵头…), mentioned.",
          "partner", False, ("inspecting", "inspected", "recipient", "partner", "issuer", "acting", "mentioned")),
        C("is_self", "bool", "Whether the mention is the notice's own body or its units, however written (full name, 县教育局, "
          "局党组, 本局).", "Same canonical name as the notice's organisation, issuer or inspected body; or same sector, level "
          "and place.", "false", False),
        C("collective", "bool", "Whether the mention names every body of a kind below a place (各县(市、区)人民政府, 各级纪委) "
          "rather than one body.", "各 / 各级 / 各县(市、区) right before the name.", "false", False),
        C("method", "str", "How it was found.", "alias, bare_list, rule, pattern.", "alias", False),
        *offset_columns("mention"),
    ),
),

Table(
    name="dates", stage="extract",
    grain="one row per date expression",
    key=("date_key",),
    references=(OF_NOTICE, OF_PROBLEM, OF_MEASURE),
    columns=(
        C("date_key", "str", "notice_id:t<seq> in text order.", "Extract.", "qingdao-sthjj-2024:t2", False),
        notice_id_column(),
        *problem_measure_key_columns(),
        C("text", "str", "Expression as written (= text[start:end]).", "Extract.", "9月4日", False),
        C("pattern", "str", "Which pattern matched.", "full_range, month_range, year_range, full, year_month, year_quarter, year_half, year, "
          "md_range, md, month, quarter, relative_year.", "md", False),
        C("kind", "str", "point or range.", "Extract.", "point", False, ("point", "range")),
        C("precision", "str", "Precision as stated.", "day, part_of_month (上中下旬/初/底), month, quarter, half_year, year.", "day", False),
        C("value_start", "date", "First day of the interval meant.", "Resolved.", "2023-09-04", False),
        C("value_end", "date", "Last day of the interval meant.", "Resolved.", "2023-09-04", False),
        C("iso", "str", "ISO 8601 form at the stated precision.", "Resolved.", "2023-09-04", False),
        C("qualifier", "str", "since (以来), as_of (截至), before (前), early/mid/end (旬, 初, 底).", "Context words.", "as_of"),
        C("year_inferred", "bool", "Whether the year was not written.", "Extract.", "true", False),
        C("year_source", "str", "Where the year came from.", "text, range, opening, anchor (on or after the latest date the opening states), signature, relative.", "opening", False),
        C("planned", "bool", "Whether the text marks the date as planned or scheduled.", "预计, 计划于, 拟, 力争, 将于, 公示期为 … right before.",
          "false", False),
        C("in_title", "bool", "Whether the date is part of a document title.", "Inside 《》.", "false", False),
        *offset_columns("date expression"),
    ),
),

Table(
    name="figures", stage="extract",
    grain="one row per stated quantity",
    key=("figure_key",),
    references=(OF_NOTICE, OF_PROBLEM, OF_MEASURE),
    columns=(
        C("figure_key", "str", "notice_id:f<seq> in text order.", "Extract.", "taizhou-js-sthjj-2025:f40", False),
        notice_id_column(),
        *problem_measure_key_columns(),
        C("text", "str", "Quantity as written (= text[start:end]).", "Extract.", "85.08吨", False),
        C("value", "float", "Number as written (the lower end of a range).", "Arabic parsed; Chinese numerals converted on the captured span only.", "85.08", False),
        C("value_end", "float", "Upper end of a range (4、5次, 3至5个, 三四个); null for a single number.",
          "Two numbers joined by 至/到/-/~ (the second larger), by 、 or written together when they are neighbours.", "5"),
        C("unit", "str", "Unit or counter as written.", "Extract.", "吨", False),
        C("category", "str", "Kind of quantity.", "count, percent, percentage_points, mass, area, length, money, duration "
          "(天, 周, 个月, 个工作日, 小时: how long, not how many).", "mass", False),
        C("base_value", "float", "Value in the base unit (万 and 亿 multiplied out).", "value × multiplier.", "85.08", False),
        C("base_unit", "str", "Base unit.", "Extract.", "吨", False),
        C("what", "str", "What was counted (best effort).", "Noun after a counter, else before the number.", "二氧化硫"),
        C("approximate", "bool", "余/多/近/约/左右 around the number.", "Extract.", "false", False),
        C("numeral", "str", "arabic or chinese.", "Extract.", "arabic", False, ("arabic", "chinese")),
        *offset_columns("quantity"),
    ),
),
)
