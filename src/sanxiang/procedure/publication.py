"""Enforcement publicity (行政执法公示) as code: what may be published, what must be hidden, and
the days by which a decision is published, withdrawn and taken down.

Pure Python like the rest of `procedure`. The Django side hands in plain values (the decision's
texts, the names and identifiers it knows) and stores what comes back; the public portal only
ever sees the redacted result.

Redaction (脱敏, legal_rules §4.2) is a superset of the Zhejiang rule and the PIPL: ID numbers,
phone numbers, natural persons' addresses, bank accounts (of organisations too), health data,
licence plates and third parties' names are hidden, in structured fields and in free text alike;
the punished party's own name, organisation names, credit codes and the legal representative stay.
What cannot be found by pattern (a third party's name) is found because the case names them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sanxiang.procedure.engine import LegalCalendar, PeriodEnd
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.penalty.rules import add_months, has_completed_years
from sanxiang.procedure.violations import Violation

PUBLICITY_BASIS = "国办发〔2018〕118号"

REDACTION_KINDS: dict[str, str] = {
    "id_number": "身份证件号码",
    "phone": "电话号码",
    "email": "电子邮箱",
    "bank_account": "银行账号",
    "plate": "机动车号牌",
    "address": "自然人住址",
    "health": "健康状况",
    "third_party": "第三人姓名",
    "number": "其他号码",
}
# What replaces a hidden value in the public text.
HIDDEN = {
    "id_number": "［证件号码已隐去］",
    "phone": "［电话号码已隐去］",
    "email": "［电子邮箱已隐去］",
    "bank_account": "［银行账号已隐去］",
    "plate": "［号牌已隐去］",
    "address": "［住址已隐去］",
    "health": "［健康信息已隐去］",
    "number": "［号码已隐去］",
}
REDACTION_BASIS = (
    "《中华人民共和国个人信息保护法》第二十五条、第二十八条；《中华人民共和国政府信息公开条例》第十五条、第三十七条；"
    "《浙江省行政处罚结果信息网上公开暂行办法》第七条"
)

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Order matters: a value is hidden once, by the first pattern that finds it (an ID number is not
# also a bank account; an 11-digit mobile number is a phone number, not an account).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    # 18-digit (GB 11643) and 15-digit resident ID numbers; no check of the check digit, so that a
    # mistyped number is hidden as well.
    (
        "id_number",
        re.compile(
            r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
            r"|(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
        ),
    ),
    # Mobile numbers (possibly +86, spaced or hyphenated) and landlines with area codes.
    (
        "phone",
        re.compile(
            r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"
            r"|(?<!\d)0\d{2,3}[ -]?\d{7,8}(?!\d)"
        ),
    ),
    # Bank cards and accounts: 12 to 30 digits, possibly grouped by spaces or hyphens.
    ("bank_account", re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d{2,6}){2,6}(?![0-9A-Za-z])")),
    ("plate", re.compile(rf"[{_PROVINCES}][A-HJ-NP-Z][ ·]?[A-HJ-NP-Z0-9]{{4,5}}[A-HJ-NP-Z0-9挂学警港澳]")),
    # An address down to the house: administrative units, then a road, street, lane or village
    # with a number (门牌号).
    (
        "address",
        re.compile(
            r"(?:[\u4e00-\u9fa5]{1,10}?(?:省|自治区|市|盟|自治州|州|县|旗|区|镇|乡|苏木|街道|嘎查|村|社区)){0,6}"
            r"[\u4e00-\u9fa5A-Za-z0-9]{1,15}?(?:路|街|大街|大道|巷|胡同|弄|道|村|组|小区|嘎查)"
            r"\d+(?:-\d+)?(?:号|弄|栋|幢)(?:(?:院|楼)?\d+(?:-\d+)?(?:号楼|栋|幢|单元|层|室|号))*"
        ),
    ),
    # Rural and estate addresses without a house number: a 嘎查/村/社区/小区 with its 组 or flat.
    (
        "address",
        re.compile(
            r"(?:[\u4e00-\u9fa5]{1,10}?(?:省|自治区|市|盟|州|县|旗|区|镇|乡|苏木|街道)){0,5}"
            r"[\u4e00-\u9fa5]{1,10}?(?:村|嘎查|社区|小区)"
            r"(?:[一二三四五六七八九十\d]+(?:组|社|队)|\d+号?楼\d+单元\d+室|\d+栋\d+(?:单元\d+)?室)"
        ),
    ),
    # Any other run of 11 or more digits (values written together, account or card numbers of
    # unknown layout): hidden rather than guessed at. Kept values (credit codes) are exempt.
    ("number", re.compile(r"\d{11,}[Xx]?")),
    # Health data: the diagnosis after the words that introduce one.
    ("health", re.compile(r"(?:患有|确诊为?|诊断为|罹患|病史[:：]?)[^，。；,;、\s]{1,20}|[\u4e00-\u9fa5]{1,8}(?:病|症)患者")),
)


@dataclass(frozen=True)
class Redaction:
    """One value hidden from the public text: where, of what kind, and a digest of what it was
    (never the value itself, which stays in the case file)."""

    field: str
    kind: str
    start: int
    end: int
    replacement: str
    digest: str  # first 16 hex of SHA-256 of the hidden value


@dataclass(frozen=True)
class Redacted:
    text: str
    redactions: tuple[Redaction, ...]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


# Invisible characters that change how a text reads without being seen (系统公开文本规则, a platform
# rule, not law): bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
# and marks (U+200E, U+200F, U+061C) can make a public text display reversed or reordered;
# zero-width and other invisible characters hide text from search and comparison (a third party's
# name with one inside no longer matches the redaction's list of names, and would be published in
# full while it displays as the name). That is every format character (Unicode category Cf: also
# the soft hyphen U+00AD, the invisible operators U+2061–U+2064, U+180E, the tag characters
# U+E0000–U+E007F …), the variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF), the combining
# grapheme joiner (U+034F) and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0).
INVISIBLE_CHARACTERS = re.compile(
    "["
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef"
    "]"
)


def public_text_clean(text: str) -> str:
    """`text` without the invisible characters above; everything else unchanged. Every public text
    passes here (through `text_redact`, or directly for the fields that are not redacted)."""
    return INVISIBLE_CHARACTERS.sub("", text)


def name_masked(name: str) -> str:
    """张三丰 → 张某某: the surname stays, as publications conventionally print third parties."""
    name = name.strip()
    if not name:
        return name
    surname_length = 2 if len(name) >= 4 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:surname_length] + "某" * max(1, min(2, len(name) - surname_length))


def names_masked_in(text: str, names: Iterable[str]) -> str:
    """`text` with each of `names` (a natural person's name as recorded, and as published) masked
    as `name_masked` masks it, wherever it appears: the case's title ("王大明涉嫌…案") and every text
    that stays public once a decision is withdrawn. A name written with "·" or a space is masked
    whole, and so is each of its parts of two characters or more. Longest first, so that a name is
    never half masked by a shorter one inside it; invisible characters are disregarded as the
    public texts disregard them."""
    text = public_text_clean(text)
    found: dict[str, str] = {}
    for raw in names:
        name = public_text_clean(raw or "").strip()
        if len(name) < 2:
            continue
        found.setdefault(name, name_masked(name))
        for part in re.split(r"[·• ]", name):
            if len(part) >= 2 and part != name:
                found.setdefault(part, name_masked(part))
    for name in sorted(found, key=len, reverse=True):
        text = text.replace(name, found[name])
    return text


COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯"})


def text_redact(
    text: str,
    *,
    field: str,
    keep: Iterable[str] = (),
    third_parties: Iterable[str] = (),
    addresses: Iterable[str] = (),
    known: Mapping[str, Iterable[str]] | None = None,
) -> Redacted:
    """Hide every personal value in `text`. `keep` are values that must stay even where a
    pattern matches them (the party's credit code, the agency's phone); `third_parties` are the
    natural persons the case names besides the punished party; `addresses` the natural persons'
    addresses the case knows (hidden wherever they appear, even where no pattern would see them);
    `known` other values the case knows, by kind (a key of HIDDEN: "id_number", "phone",
    "bank_account" …), hidden wherever they appear even in a layout no pattern recognises (an
    account number with letters, a phone written with dots).
    Invisible characters are removed first (`public_text_clean`), so that none reaches the public
    and none can split a value to slip it past the patterns; positions refer to the cleaned text."""
    text = public_text_clean(text)
    # The values looked for are cleaned alike, or a name stored with a zero-width space inside
    # would no longer be found in the cleaned text, and would be published.
    keep, third_parties, addresses = ([public_text_clean(v) for v in values if v] for values in (keep, third_parties, addresses))
    unknown_kinds = set(known or {}) - set(HIDDEN)
    if unknown_kinds:
        raise ValueError(f"unknown kinds of hidden values: {sorted(unknown_kinds)}")
    known_values = sorted(
        {(public_text_clean(v).strip(), kind) for kind, values in (known or {}).items() for v in values if v},
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    kept = sorted({k for k in keep if k}, key=len, reverse=True)
    spans: list[tuple[int, int, str, str]] = []  # start, end, kind, replacement

    def taken(start: int, end: int) -> bool:
        return any(start < e and s < end for s, e, _, _ in spans)

    def protected(start: int, end: int, kind: str) -> bool:
        # Kept only when the match lies within a value to keep: a longer match that merely
        # contains one (a natural person living at the company's address, down to the flat) is
        # still hidden. The address pattern may take in the words before an address ("当事人在乌审旗
        # …8号"): a match that ends with a kept address names no other house and stays. (A natural
        # person's own address, known to the case, was hidden before any pattern ran.)
        value = text[start:end]
        if any(value in k for k in kept):
            return True
        return kind == "address" and any(len(k) >= 4 and value.endswith(k) for k in kept)

    # Values known by the case come first and longest first: a known account is hidden whole,
    # never partly by a pattern that sees only its digits.
    for value, kind in known_values:
        if len(value) < 4:
            continue
        for match in re.finditer(re.escape(value), text):
            if not taken(match.start(), match.end()):
                spans.append((match.start(), match.end(), kind, HIDDEN[kind]))
    for value in sorted({a for a in addresses if a and len(a) >= 4}, key=len, reverse=True):
        for match in re.finditer(re.escape(value), text):
            if not taken(match.start(), match.end()):
                spans.append((match.start(), match.end(), "address", HIDDEN["address"]))
    for name in sorted({n.strip() for n in third_parties if n and len(n.strip()) >= 2}, key=len, reverse=True):
        if any(name == k for k in kept):
            continue
        for match in re.finditer(re.escape(name), text):
            if not taken(match.start(), match.end()):
                spans.append((match.start(), match.end(), "third_party", name_masked(name)))
    for kind, pattern in _PATTERNS:
        # What is already hidden is blanked out, so that a later pattern neither crosses it nor
        # loses a match that merely starts next to it.
        blanked = list(text)
        for start, end, _, _ in spans:
            blanked[start:end] = "\x00" * (end - start)
        for match in pattern.finditer("".join(blanked)):
            start, end = match.start(), match.end()
            if kind == "address":
                # "家住…", "住址…": the verb or label before the address stays readable.
                lead = re.match(r"(?:家住|居住在|居住于|居住|住址|地址|住在|住)[:：]?", text[start:end])
                if lead:
                    start += lead.end()
            if end - start < 2 or taken(start, end) or protected(start, end, kind):
                continue
            spans.append((start, end, kind, HIDDEN[kind]))
    spans.sort()
    out, redactions, position = [], [], 0
    for start, end, kind, replacement in spans:
        out.append(text[position:start])
        out.append(replacement)
        redactions.append(Redaction(field, kind, start, end, replacement, _digest(text[start:end])))
        position = end
    out.append(text[position:])
    return Redacted("".join(out), tuple(redactions))


def leaks(text: str, values: Iterable[str]) -> list[str]:
    """The values that still appear in `text` (for the approval screen and the tests), invisible
    characters disregarded on both sides."""
    text = public_text_clean(text)
    return [v for v in values if public_text_clean(v or "") and public_text_clean(v) in text]


# --- what may be published ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationFacts:
    """What the rules read about a decision: its kinds, procedure, sector and the party."""

    decided_on: dt.date
    act_date: dt.date
    kinds: frozenset[str]  # keys of PENALTY_KINDS; empty for a decision that imposes no penalty
    fine_fen: int = 0
    procedure: str = "ordinary"  # ordinary | summary
    sector: str = ""  # 执法领域 as the agency names it (e.g. 市场监管)
    region: str = ""
    party_kind: str = "organization"  # natural_person | organization
    party_birth_date: dt.date | None = None
    secrets_or_privacy: bool = False  # the main facts involve state or trade secrets or privacy
    decision_kind: str = "penalty"  # penalty | permit | coercion (publication_coercion) | other

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", frozenset(self.kinds))


def _parameter(parameters: ParameterSet, name: str, facts: PublicationFacts, on: dt.date):
    return parameters[name].period_on(on, region=facts.region, sector=facts.sector)


def publication_refusals(facts: PublicationFacts, *, parameters: ParameterSet | None = None) -> list[Violation]:
    """Every reason this decision must not be published; [] when it must be. A rule whose parameter
    has no value on the decision's date cannot be applied: the draft is then held back with that
    reason for a person to look at, never published by default and never an exception."""
    reasons: list[Violation] = []
    try:
        _refusals(facts, parameters or parameters_default(), reasons)
    except ParameterMissing as missing:
        reasons.append(missing.violation)
    return reasons


def _refusals(facts: PublicationFacts, parameters: ParameterSet, reasons: list[Violation]) -> None:
    on = facts.decided_on
    minor = _parameter(parameters, "publication.minor_age_years", facts, on)
    if (
        facts.party_kind == "natural_person"
        and facts.party_birth_date is not None
        and not has_completed_years(facts.party_birth_date, minor.value, on=facts.act_date)
    ):
        reasons.append(
            Violation(
                "publication.minor",
                f"当事人在违法行为发生时未满{minor.value}周岁，不予公开",
                minor.reference,
                "party",
            )
        )
    if facts.secrets_or_privacy:
        reasons.append(
            Violation(
                "publication.secrets",
                "案件主要事实涉及国家秘密、商业秘密或者个人隐私，不予公开",
                "《中华人民共和国政府信息公开条例》第十四条、第十五条；《浙江省行政处罚结果信息网上公开暂行办法》第五条",
                "secrets_or_privacy",
            )
        )
    if facts.kinds == {"warning"}:
        sectors = _parameter(parameters, "publication.warning_only_unpublished_sectors", facts, on)
        if facts.sector in sectors.value:
            reasons.append(
                Violation("publication.warning_only", "仅受警告处罚的，本领域不予公示", sectors.reference, "kinds")
            )
    if facts.procedure == "summary":
        summary = _parameter(parameters, "publication.summary_procedure_published", facts, on)
        if not summary.value:
            reasons.append(
                Violation(
                    "publication.summary_procedure", "简易程序（当场处罚）作出的决定不予公开", summary.reference, "procedure"
                )
            )
    if facts.decision_kind == "penalty" and not facts.kinds:
        reasons.append(
            Violation("publication.no_penalty", "未给予行政处罚的决定不作为行政处罚决定信息公示", PUBLICITY_BASIS, "kinds")
        )


# --- when ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    date: dt.date
    estimated: bool
    basis: str


def _due(end: PeriodEnd, reference: str) -> Due:
    return Due(end.date, end.estimated, f"{reference}；{end.basis}" if end.basis else reference)


def _due_unknown(start: dt.date, missing: ParameterMissing) -> Due:
    """No period in force on that date: due at once, marked as an estimate, with the reason."""
    return Due(start, True, missing.violation.message)


def publication_due(
    facts: PublicationFacts, *, calendar: LegalCalendar, parameters: ParameterSet | None = None
) -> Due:
    """7 working days for penalty and permit decisions, 20 for the others (118号)."""
    parameters = parameters or parameters_default()
    name = (
        "publication.penalty_permit_working_days"
        if facts.decision_kind in ("penalty", "permit")
        else "publication.other_decision_working_days"
    )
    try:
        days = _parameter(parameters, name, facts, facts.decided_on)
    except ParameterMissing as missing:
        return _due_unknown(facts.decided_on, missing)
    return _due(calendar.working_days_after(facts.decided_on, days.value), days.reference)


def withdrawal_due(
    changed_on: dt.date, facts: PublicationFacts, *, calendar: LegalCalendar, parameters: ParameterSet | None = None
) -> Due:
    """3 working days after the decision was changed, revoked, held unlawful or void (第四十八条)."""
    parameters = parameters or parameters_default()
    try:
        days = _parameter(parameters, "publication.withdrawal_working_days", facts, changed_on)
    except ParameterMissing as missing:
        return _due_unknown(changed_on, missing)
    return _due(calendar.working_days_after(changed_on, days.value), days.reference)


@dataclass(frozen=True)
class DisplayPeriod:
    months: int
    ends_on: dt.date  # the last day on display (公示截止期)
    basis: str


def display_period(
    facts: PublicationFacts, *, starts_on: dt.date, parameters: ParameterSet | None = None
) -> DisplayPeriod:
    """The display period from the policy table: every matching rule gives a period and the
    longest applies (legal_rules §4.3). The table in force on the decision day applies."""
    parameters = parameters or parameters_default()
    policy = _parameter(parameters, "publication.display_periods", facts, facts.decided_on)
    try:
        low = _parameter(parameters, "publication.low_fine_fen", facts, facts.decided_on).value
    except ParameterMissing:
        low = -1  # the low-fine rule was not yet in force on the decision day: a fine is a fine
    tokens = set(facts.kinds)
    if "fine" in tokens and facts.fine_fen <= low:
        tokens.discard("fine")
        tokens.add("low_fine")
    months = 0
    for rule in policy.value:
        if rule.get("procedure") and rule["procedure"] != facts.procedure:
            continue
        if rule.get("sector") and rule["sector"] != facts.sector:
            continue
        if rule.get("kinds") and not tokens & set(rule["kinds"]):
            continue
        months = max(months, int(rule["months"]))
    months = months or 12
    ends_on = add_months(starts_on, months) - dt.timedelta(days=1)
    return DisplayPeriod(months, ends_on, policy.reference)


__all__ = [
    "HIDDEN",
    "REDACTION_BASIS",
    "REDACTION_KINDS",
    "DisplayPeriod",
    "Due",
    "PublicationFacts",
    "Redacted",
    "Redaction",
    "display_period",
    "leaks",
    "name_masked",
    "names_masked_in",
    "publication_due",
    "publication_refusals",
    "text_redact",
    "withdrawal_due",
]
