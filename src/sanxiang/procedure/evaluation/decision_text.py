"""The rule checks of a 行政处罚决定书's text (issue 16 item 2; supervision_and_procedures.md §3: about
30 named rules in 8 groups, after the public rule list of GFXfly/law-enforcement `docs/review-rules.md`).

They run on the text of the decision the platform generated (its Word copy) and on the text of an
uploaded one. Each check is a small pure function of the text and of what the case knows (the party,
the fine, the number, the agency), with its basis: the law where the law requires the content
(《行政处罚法》第五十九条 lists the decision's elements; 第六十七条 the payment period; 第七十二条 the
surcharge), the document-making rules of the platform otherwise (labelled as such). A check that
does not apply (no fine: no payment method) passes. Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.procedure.penalty.basis import GUIDELINE_118, penalty_article
from sanxiang.procedure.violations import PLATFORM_PREFIX

FORMAT_BASIS = f"{PLATFORM_PREFIX}：执法文书制作规范（{GUIDELINE_118}二、（二）统一执法文书格式）"
ELEMENTS_BASIS = penalty_article(59)
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》第二十条"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》第四十六条"

GROUP_LABELS = {
    "format": "文书格式",
    "title": "标题",
    "number": "文号",
    "body": "正文",
    "performance": "履行与权利告知",
    "signature": "落款",
    "fixed": "固定表述",
    "consistency": "整体一致性",
}
# The groups whose failures are missing elements of the decision (内容标准); the others are form (卷面).
CONTENT_GROUPS = frozenset({"body", "performance", "signature", "fixed"})


@dataclass(frozen=True)
class DecisionFacts:
    """What the case knows, against which the text is checked ("" / 0 when unknown: not checked)."""

    party_name: str = ""
    party_kind: str = ""  # natural_person | organization
    party_identifier: str = ""  # 统一社会信用代码 or 公民身份号码
    agency_name: str = ""
    number: str = ""
    fine_fen: int = 0
    penalty: bool = True  # False: a 不予行政处罚决定书


@dataclass(frozen=True)
class TextCheck:
    code: str
    group: str
    title: str
    passed: bool
    message: str  # what is wrong, in Chinese ("" when passed)
    basis: str

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group]

    @property
    def is_platform(self) -> bool:
        return self.basis.startswith(PLATFORM_PREFIX)


DATE_CN = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日")
DATE_ISO = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
NUMBER = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]+[〔\[［(（]\d{4}[〕\]］)）][\u4e00-\u9fa5]*\d+号")
NUMBER_STRICT = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]+〔\d{4}〕[\u4e00-\u9fa5]*\d+号")
AMOUNT = re.compile(r"罚款(?:人民币)?([\d,，]+(?:\.\d{1,2})?)元")
AMOUNT_FIGURES = re.compile(r"[¥￥]([\d,]+\.\d{2})")
INFORMAL = ("大概", "差不多", "好像", "可能是", "据说", "搞", "弄")


def _yuan(fen: int) -> str:
    yuan, cents = divmod(fen, 100)
    return f"{yuan}" if cents == 0 else f"{yuan}.{cents:02d}"


def _amounts(text: str) -> set[int]:
    found = set()
    for match in AMOUNT.finditer(text):
        value = match.group(1).replace(",", "").replace("，", "")
        found.add(round(float(value) * 100) if "." in value else int(value) * 100)
    for match in AMOUNT_FIGURES.finditer(text):
        whole, cents = match.group(1).replace(",", "").split(".")
        found.add(int(whole) * 100 + int(cents))
    return found


Check = Callable[[str, DecisionFacts], str]  # "" when the check passes, else the problem
CHECKS: list[tuple[str, str, str, str, Check]] = []


def check(code: str, group: str, title: str, basis: str):
    def register(function: Check) -> Check:
        CHECKS.append((code, group, title, basis, function))
        return function

    return register


@check("format_title_presence", "format", "文书有标题", FORMAT_BASIS)
def _title_presence(text: str, facts: DecisionFacts) -> str:
    return "" if "决定书" in text[:200] else "文书开头没有“……决定书”标题"


@check("format_content_length", "format", "文书内容完整", FORMAT_BASIS)
def _content_length(text: str, facts: DecisionFacts) -> str:
    return "" if len(re.sub(r"\s", "", text)) >= 200 else "文书不足200字，要素可能不全"


@check("format_basic_sections", "format", "当事人、事实、决定三部分齐全", ELEMENTS_BASIS)
def _basic_sections(text: str, facts: DecisionFacts) -> str:
    missing = [label for label, words in (("当事人", ("当事人",)), ("违法事实", ("经查", "违法事实", "查明")),
                                          ("决定", ("决定如下", "决定：", "作出如下", "决定给予", "决定不予")))
               if not any(w in text for w in words)]
    return f"缺少{'、'.join(missing)}部分" if missing else ""


@check("title_keyword_check", "title", "标题为“行政处罚决定书”", ELEMENTS_BASIS)
def _title_keyword(text: str, facts: DecisionFacts) -> str:
    wanted = "行政处罚决定书"
    return "" if wanted in text[:200] else "标题应包含“行政处罚决定书”（不予处罚的为“不予行政处罚决定书”）"


@check("title_agency", "title", "标题前写明机关名称", FORMAT_BASIS)
def _title_agency(text: str, facts: DecisionFacts) -> str:
    if not facts.agency_name:
        return ""
    return "" if facts.agency_name in text[:200] else "标题前没有写明作出决定的机关名称"


@check("document_number_presence", "number", "有文号", FORMAT_BASIS)
def _number_presence(text: str, facts: DecisionFacts) -> str:
    return "" if NUMBER.search(text[:400]) else "文书开头没有“机关代字〔年份〕序号号”形式的文号"


@check("document_number_format", "number", "文号格式规范", FORMAT_BASIS)
def _number_format(text: str, facts: DecisionFacts) -> str:
    if not NUMBER.search(text[:400]):
        return ""  # reported once, by the presence check
    return "" if NUMBER_STRICT.search(text[:400]) else "文号的年份应使用六角括号“〔〕”"


@check("document_number_match", "number", "文号与平台编号一致", FORMAT_BASIS)
def _number_match(text: str, facts: DecisionFacts) -> str:
    return "" if not facts.number or facts.number in text else f"文书中没有平台编定的文号“{facts.number}”"


@check("party_name", "body", "写明当事人姓名或者名称", ELEMENTS_BASIS)
def _party_name(text: str, facts: DecisionFacts) -> str:
    return "" if not facts.party_name or facts.party_name in text else f"文书中没有当事人“{facts.party_name}”"


@check("party_identifier", "body", "写明当事人身份证明号码", ELEMENTS_BASIS)
def _party_identifier(text: str, facts: DecisionFacts) -> str:
    if facts.party_identifier:
        return "" if facts.party_identifier in text else "文书中没有当事人的统一社会信用代码或者公民身份号码"
    return "" if re.search(r"统一社会信用代码|身份证|身份号码", text) else "文书中没有当事人的身份证明"


@check("legal_representative_information", "body", "单位当事人写明法定代表人（负责人）", ELEMENTS_BASIS)
def _representative(text: str, facts: DecisionFacts) -> str:
    if facts.party_kind != "organization":
        return ""
    return "" if re.search(r"法定代表人|负责人|经营者", text) else "单位当事人应写明法定代表人或者负责人"


@check("party_address", "body", "写明当事人地址", ELEMENTS_BASIS)
def _party_address(text: str, facts: DecisionFacts) -> str:
    return "" if re.search(r"住所|地址|住址|经营场所", text) else "文书中没有当事人的地址"


@check("violation_facts_time", "body", "违法事实写明时间", ELEMENTS_BASIS)
def _facts_time(text: str, facts: DecisionFacts) -> str:
    return "" if DATE_CN.search(text) else "违法事实没有写明发生的时间"


@check("violation_facts_specificity", "body", "写明查明的违法事实", ELEMENTS_BASIS)
def _facts(text: str, facts: DecisionFacts) -> str:
    return "" if re.search(r"经查|查明|违法事实", text) else "文书没有写明查明的违法事实"


@check("evidence_enumeration", "body", "列举证据", ELEMENTS_BASIS)
def _evidence(text: str, facts: DecisionFacts) -> str:
    return "" if re.search(r"证据|证明|笔录", text) else "文书没有列举认定违法事实的证据"


@check("legal_basis_violated", "body", "写明违反的法律条款", ELEMENTS_BASIS)
def _basis_violated(text: str, facts: DecisionFacts) -> str:
    if not facts.penalty:
        return ""
    return "" if re.search(r"违反[了]?《[^》]+》", text) else "没有写明违反的法律、法规、规章及条款"


@check("legal_basis_penalty", "body", "写明处罚依据的条款", ELEMENTS_BASIS)
def _basis_penalty(text: str, facts: DecisionFacts) -> str:
    return "" if re.search(r"(依据|根据|依照)《[^》]+》第[一二三四五六七八九十百零\d]+条", text) else "没有写明作出决定所依据的法律条款"


@check("penalty_decision_specificity", "body", "处罚种类和数额明确", ELEMENTS_BASIS)
def _penalty_specific(text: str, facts: DecisionFacts) -> str:
    if not facts.penalty:
        return "" if "不予" in text else "不予行政处罚决定书应写明不予处罚的理由"
    if facts.fine_fen:
        return "" if _amounts(text) else "没有写明罚款的数额"
    return "" if re.search(r"警告|通报批评|没收|罚款|暂扣|降低资质|吊销|责令|限制|拘留", text) else "没有写明处罚的种类"


@check("penalty_deadline", "performance", "写明履行期限", penalty_article(59, 67))
def _deadline(text: str, facts: DecisionFacts) -> str:
    if not facts.penalty:
        return ""
    return "" if re.search(r"(十五|15)日内", text) else "没有写明履行期限（收到决定书之日起十五日内）"


@check("payment_instructions", "performance", "写明罚款缴纳方式", penalty_article(59, 67))
def _payment(text: str, facts: DecisionFacts) -> str:
    if not facts.fine_fen:
        return ""
    return "" if re.search(r"缴纳|缴款|代收|银行|账户|电子支付", text) else "没有写明缴纳罚款的方式和地点"


@check("remedy_notice", "performance", "告知行政复议和行政诉讼途径", ELEMENTS_BASIS)
def _remedies(text: str, facts: DecisionFacts) -> str:
    missing = [w for w in ("行政复议", "行政诉讼") if w not in text]
    return f"没有告知申请{'、'.join(missing)}的途径" if missing else ""


@check("remedy_periods", "performance", "写明复议、诉讼期限", f"{ELEMENTS_BASIS}；{RECONSIDERATION_LAW}；{LITIGATION_LAW}")
def _remedy_periods(text: str, facts: DecisionFacts) -> str:
    missing = [label for label, pattern in (("六十日（复议）", r"(六十|60)日内"), ("六个月（诉讼）", r"(六|6)个月内"))
               if not re.search(pattern, text)]
    return f"没有写明{'、'.join(missing)}的期限" if missing else ""


@check("remedy_bodies", "performance", "写明复议机关和人民法院", ELEMENTS_BASIS)
def _remedy_bodies(text: str, facts: DecisionFacts) -> str:
    return "" if "人民政府" in text or "复议机关" in text or "局申请" in text else "没有写明受理行政复议的机关"


@check("authority_signature", "signature", "落款写明机关名称", ELEMENTS_BASIS)
def _signature(text: str, facts: DecisionFacts) -> str:
    if not facts.agency_name:
        return ""
    return "" if facts.agency_name in text[-300:] else "文末落款没有写明作出决定的机关名称"


@check("decision_date", "signature", "落款写明决定日期", ELEMENTS_BASIS)
def _date(text: str, facts: DecisionFacts) -> str:
    return "" if DATE_CN.search(text[-200:]) else "文末没有写明作出决定的日期"


@check("fixed_reconsideration_content", "fixed", "复议期间不停止执行的表述", f"{ELEMENTS_BASIS}；{RECONSIDERATION_LAW}")
def _not_suspended(text: str, facts: DecisionFacts) -> str:
    if not facts.penalty:
        return ""
    return "" if "不停止执行" in text else "没有写明复议、诉讼期间决定不停止执行"


@check("fixed_overdue_consequence", "fixed", "逾期缴纳加处罚款的表述", penalty_article(72))
def _overdue(text: str, facts: DecisionFacts) -> str:
    if not facts.fine_fen:
        return ""
    return "" if re.search(r"每日按罚款数额的?百分之三加处罚款", text) else "没有写明到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款"


@check("fixed_court_enforcement", "fixed", "申请人民法院强制执行的表述", penalty_article(72))
def _court(text: str, facts: DecisionFacts) -> str:
    if not facts.penalty:
        return ""
    return "" if "强制执行" in text else "没有写明逾期不履行的，依法申请人民法院强制执行"


@check("party_name_consistency", "consistency", "当事人名称前后一致", FORMAT_BASIS)
def _party_consistency(text: str, facts: DecisionFacts) -> str:
    named = re.findall(r"当事人[:：]\s*([^\s，,。；;（(]+)", text)
    return "" if len(set(named)) <= 1 else f"当事人名称前后不一致：{'、'.join(sorted(set(named)))}"


@check("penalty_amount_consistency", "consistency", "罚款数额前后一致", ELEMENTS_BASIS)
def _amount_consistency(text: str, facts: DecisionFacts) -> str:
    found = _amounts(text)
    if facts.fine_fen and found and found != {facts.fine_fen}:
        return f"文书中的罚款数额与决定的{_yuan(facts.fine_fen)}元不一致"
    return "" if len(found) <= 1 else "文书中出现了不同的罚款数额"


@check("book_title_bracket_balance", "consistency", "书名号、括号成对", FORMAT_BASIS)
def _brackets(text: str, facts: DecisionFacts) -> str:
    unbalanced = [pair for pair in ("《》", "（）", "〔〕") if text.count(pair[0]) != text.count(pair[1])]
    return f"{'、'.join(unbalanced)}不成对" if unbalanced else ""


@check("duplicate_punctuation_sequence", "consistency", "无连续重复标点", FORMAT_BASIS)
def _punctuation(text: str, facts: DecisionFacts) -> str:
    found = re.search(r"[，。；：、！？]{2,}", text)
    return f"有连续标点“{found.group(0)}”" if found else ""


@check("date_format_consistency", "consistency", "日期格式统一", FORMAT_BASIS)
def _date_format(text: str, facts: DecisionFacts) -> str:
    return "有“2026-01-01”式日期，应统一写作“2026年1月1日”" if DATE_ISO.search(text) and DATE_CN.search(text) else ""


@check("informal_language", "consistency", "用语规范", FORMAT_BASIS)
def _informal(text: str, facts: DecisionFacts) -> str:
    found = [w for w in INFORMAL if w in text]
    return f"有口语化或者模糊的用语：{'、'.join(found)}" if found else ""


def decision_text_checks(text: str, facts: DecisionFacts) -> list[TextCheck]:
    """Every check on the text, in the order of the rule list (passed or not)."""
    results = []
    for code, group, title, basis, function in CHECKS:
        problem = function(text, facts)
        results.append(TextCheck(code=code, group=group, title=title, passed=not problem, message=problem, basis=basis))
    return results


DOCX_XML_LIMIT = 5 * 1024 * 1024


def docx_text(content: bytes) -> str:
    """The text of a DOCX (word/document.xml's runs, a paragraph per line), without a Word library.
    Raises ValueError when the file cannot be read as one (whatever is wrong with it)."""
    import io
    import zipfile
    import zlib
    from xml.etree import ElementTree

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if archive.getinfo("word/document.xml").file_size > DOCX_XML_LIMIT:
                raise ValueError("document.xml too large")
            root = ElementTree.fromstring(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, RuntimeError, OSError, ElementTree.ParseError) as bad:
        # Not a readable Word file: damaged data (zlib), encrypted or an unknown compression method
        # (RuntimeError, NotImplementedError), no document.xml (KeyError), truncated (EOFError).
        raise ValueError(f"not a readable DOCX: {bad}") from bad
    lines = []
    for paragraph in root.iter(f"{namespace}p"):
        lines.append("".join(t.text or "" for t in paragraph.iter(f"{namespace}t")))
    return "\n".join(line for line in lines if line.strip())


__all__ = ["CHECKS", "CONTENT_GROUPS", "GROUP_LABELS", "DecisionFacts", "TextCheck", "decision_text_checks", "docx_text"]
