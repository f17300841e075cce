"""The texts of a compulsory measure's case (查封、扣押、冻结), typed: what its documents print
beyond the engine's facts (the reasons, the bases, the things and accounts, the place, the on-site
record, the witness, the head's opinions, the extension, the release). Stored in
`Case.details["texts"]` (`ProcedureSpec.texts_type`), checked on every write; each step replaces
the value (`Draft.texts`). Pure values: the Django side builds the documents from them
(`cases.paperwork_coercion`) and the publication of the decision reads them.

Also here: how the forms' lines become values (`items_parse`, `accounts_parse`) and the elements of
the decision (行政强制法第二十四条第二款, 第三十一条第二款) that the texts supply
(`decision_elements_from_texts`), so that the engine's guard and the step agree without the
engine importing the documents.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

# 行政强制法第二十八条第一款 (查封、扣押) and 第三十三条第一款 (冻结): the grounds of a release, under
# the keys the documents print (`documents.RELEASE_GROUNDS`, where "{m}" is the measure).
RELEASE_GROUNDS: dict[str, str] = {
    "no_violation": "当事人没有违法行为",
    "unrelated": "与违法行为无关",
    "decided": "已经作出处理决定，不再需要采取措施",
    "expired": "期限已经届满",
    "other": "其他不再需要采取措施的情形",
}
# 行政强制法第二十五条第三款: the examinations whose days are not counted.
EXAMINATION_KINDS: dict[str, str] = {
    "testing": "检测",
    "inspection": "检验",
    "quarantine": "检疫",
    "appraisal": "技术鉴定",
}
DELIVERY_METHODS: dict[str, str] = {"direct": "直接送达", "lien": "留置送达", "post": "邮寄送达"}
# The largest amount the documents print in capitals (9999,9999,9999.99 元): twelve digits of yuan.
AMOUNT_MAX_FEN = 10**14 - 1


@dataclass(frozen=True)
class Item:
    """A place, facility or thing sealed up or seized: 名称、规格、数量 and unit."""

    name: str
    specification: str = ""
    quantity: str = ""
    unit: str = ""
    note: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.name.strip()) and bool(self.quantity.strip())

    def describe(self) -> str:
        spec = f"（{self.specification}）" if self.specification else ""
        return f"{self.name}{spec}{self.quantity}{self.unit}"


@dataclass(frozen=True)
class Account:
    """A deposit or remittance frozen: the bank, the holder, the account and the amount (fen)."""

    bank: str
    account_name: str
    account_number: str
    amount_fen: int

    @property
    def complete(self) -> bool:
        return bool(self.bank.strip()) and bool(self.account_number.strip()) and self.amount_in_range

    @property
    def amount_in_range(self) -> bool:
        """A positive amount the documents can print (a stored amount from before the strict
        parsing may be out of it)."""
        return 0 < self.amount_fen <= AMOUNT_MAX_FEN


@dataclass(frozen=True)
class Content:
    """What the measure is: its reasons, its legal bases, where, and what it holds. Proposed to
    the head before it is taken (or written on the spot in an emergency)."""

    reason: str
    bases: tuple[str, ...]
    place: str = ""
    items: tuple[Item, ...] = ()
    accounts: tuple[Account, ...] = ()
    storage_place: str = ""
    storage_method: str = ""
    written_by: str = ""
    written_on: dt.date | None = None

    def items_described(self) -> str:
        return "；".join(i.describe() for i in self.items)

    @property
    def amount_fen(self) -> int:
        return sum(a.amount_fen for a in self.accounts)


@dataclass(frozen=True)
class Opinion:
    """The head's signed opinion (审批意见) and when it was given."""

    text: str
    signer: str
    at: dt.datetime | None = None


@dataclass(frozen=True)
class Emergency:
    """An emergency measure (行政强制法第十九条): why it could not wait, and its report to the head."""

    reason: str
    reported_at: dt.datetime | None = None
    report: str = ""


@dataclass(frozen=True)
class OnSiteRecord:
    """The 现场笔录 as written on the spot."""

    started_at: dt.datetime
    ended_at: dt.datetime
    place: str
    recorder: str
    findings: str
    told: str = ""  # what the party was told (generated from what the officer confirms)
    statement: str = ""  # what the party said
    party_present: bool = True
    present_person: str = ""
    witness: str = ""
    refusal_note: str = ""
    recording: str = ""


@dataclass(frozen=True)
class ExtensionText:
    days: int
    reason: str
    approved_by: str
    approved_on: dt.date
    notice_served_on: dt.date


@dataclass(frozen=True)
class ExaminationText:
    kind: str  # a key of EXAMINATION_KINDS
    institution: str
    start: dt.date
    end: dt.date
    notified_on: dt.date
    approved_by: str = ""  # the head who recorded it (a long examination needs the head)


@dataclass(frozen=True)
class FreezeDelivery:
    """The 冻结决定书 handed to the party (行政强制法第三十一条第一款)."""

    delivered_on: dt.date
    method: str  # a key of DELIVERY_METHODS
    signed_by: str = ""


@dataclass(frozen=True)
class ReleaseText:
    ground: str  # a key of RELEASE_GROUNDS
    detail: str = ""
    items: tuple[Item, ...] = ()  # returned; empty: every item of the measure
    collection: str = ""
    returned: bool = False  # the items are back with the party, who signed for them


@dataclass(frozen=True)
class Ending:
    """How a measure ended other than by release: 没收 (by the penalty decision that confiscates),
    销毁 (as the law allows), or the handling of frozen deposits."""

    kind: str  # confiscated | destroyed | handled
    text: str
    number: str = ""  # the decision's 文号, when it has one
    on: dt.date | None = None


@dataclass(frozen=True)
class MeasureTexts:
    content: Content | None = None
    approval: Opinion | None = None
    decline: Opinion | None = None
    emergency: Emergency | None = None
    on_site: OnSiteRecord | None = None
    freeze_notice_bank: str = ""  # the bank the 协助冻结通知书 went to
    freeze_delivery: FreezeDelivery | None = None
    examinations: tuple[ExaminationText, ...] = ()
    extension: ExtensionText | None = None
    release: ReleaseText | None = None
    ending: Ending | None = None
    decision_number: str = ""  # 文号 of the 查封（扣押）决定书 or 冻结决定书: the later documents cite it

    def numbered(self, kind: str, number: str) -> MeasureTexts:
        """The texts once the document `kind` has its 文号 (the service calls this for each)."""
        if kind in ("measure_decision", "freeze_decision"):
            return replace(self, decision_number=number)
        return self

    def people(self) -> tuple[str, ...]:
        """Every person other than the party and the officers the texts name (a witness, the
        person present, who signed for a delivery): never published by name."""
        names = []
        if self.on_site is not None:
            names += [self.on_site.witness, self.on_site.present_person]
        if self.freeze_delivery is not None:
            names.append(self.freeze_delivery.signed_by)
        return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))


# --- form lines → values -----------------------------------------------------------------------------

SEPARATORS = re.compile(r"[，,|｜]")
QUANTITY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(\S*)\s*$")


def items_parse(lines) -> tuple[tuple[Item, ...], list[str]]:
    """Lines “名称，规格（可省略），数量单位” → items, and the lines that give no quantity."""
    items, bad = [], []
    for line in lines or ():
        parts = [p.strip() for p in SEPARATORS.split(line) if p.strip()]
        if not parts:
            continue
        match = QUANTITY.match(parts[-1]) if len(parts) >= 2 else None
        if match is None:
            bad.append(line)
            items.append(Item(name=parts[0], specification="，".join(parts[1:])))
            continue
        items.append(Item(name=parts[0], specification="，".join(parts[1:-1]), quantity=match.group(1),
                          unit=match.group(2)))
    return tuple(items), bad


# 冻结数额 as written in yuan: at most twelve digits before the point and two after, no sign, no
# exponent, no NaN or infinity (Decimal would take "1e30" or "NaN").
AMOUNT = re.compile(r"^[0-9]{1,12}(?:\.[0-9]{1,2})?$")


def amount_fen_parse(text: str) -> int | None:
    """“30000”, “30000.5元” → fen; None for anything that is not a positive amount of yuan the
    documents can print."""
    amount = text.strip().removesuffix("元").strip()
    if not AMOUNT.match(amount):
        return None
    whole, _, cents = amount.partition(".")
    fen = int(whole) * 100 + int(cents.ljust(2, "0"))
    return fen if 0 < fen <= AMOUNT_MAX_FEN else None


def account_line_problems(lines) -> tuple[tuple[Account, ...], list[tuple[str, str]]]:
    """Lines “开户金融机构，户名，账号，数额（元）” → accounts, and each line that does not fit with
    what is wrong with it: `("fields", line)` (not four parts) or `("amount", line)`."""
    accounts, bad = [], []
    for line in lines or ():
        parts = [p.strip() for p in SEPARATORS.split(line) if p.strip()]
        if not parts:
            continue
        if len(parts) != 4:
            bad.append(("fields", line))
            continue
        fen = amount_fen_parse(parts[3])
        if fen is None:
            bad.append(("amount", line))
            continue
        accounts.append(Account(bank=parts[0], account_name=parts[1], account_number=parts[2], amount_fen=fen))
    return tuple(accounts), bad


def accounts_parse(lines) -> tuple[tuple[Account, ...], list[str]]:
    """Lines “开户金融机构，户名，账号，数额（元）” → accounts, and the lines that do not fit."""
    accounts, bad = account_line_problems(lines)
    return accounts, [line for _, line in bad]


def decision_elements_from_texts(*, kind: str, content: Content | None, period_known: bool) -> frozenset[str]:
    """Which elements of the decision (`snapshot.DECISION_ELEMENTS`, `FREEZE_DECISION_ELEMENTS`) the
    texts supply: the reasons, bases and period; the things (or accounts) with their names and
    numbers. The party, the remedies and the agency with its seal and date come from the registry,
    not from the texts: they are taken as present here, and the document's own check (the same
    elements, the same article) refuses the step when the registry lacks them."""
    elements = {"party", "remedies", "agency_seal_date"}
    if content is not None and content.reason.strip() and content.bases and period_known:
        elements.add("reasons_basis_period")
    if content is not None:
        things = content.accounts if kind == "freeze" else content.items
        if things and all(t.complete for t in things):
            elements.add("items")
    return frozenset(elements)


__all__ = [
    "AMOUNT_MAX_FEN",
    "DELIVERY_METHODS",
    "EXAMINATION_KINDS",
    "RELEASE_GROUNDS",
    "Account",
    "Content",
    "Emergency",
    "Ending",
    "ExaminationText",
    "ExtensionText",
    "FreezeDelivery",
    "Item",
    "MeasureTexts",
    "OnSiteRecord",
    "Opinion",
    "ReleaseText",
    "account_line_problems",
    "accounts_parse",
    "amount_fen_parse",
    "decision_elements_from_texts",
    "items_parse",
]
