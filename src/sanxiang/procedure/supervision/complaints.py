"""Complaints from the public (投诉举报) and leads from the 12345 hotline and the enterprise channel
(《行政执法监督条例》第二十条): how each channel becomes a supervision matter, what the complainant is
told when the dispute is already in 行政复议 or 行政诉讼 (第三十三条), and the public status of a
complaint as the tracking page shows it."""

from __future__ import annotations

from enum import StrEnum

from sanxiang.procedure.supervision.basis import regulation_article
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import Violation


class ComplaintChannel(StrEnum):
    """How a complaint or lead reached the 司法局."""

    PORTAL = "portal"  # the public portal's form
    HOTLINE_12345 = "hotline_12345"  # 政务服务便民热线
    ENTERPRISE = "enterprise"  # 涉企行政执法诉求沟通机制


COMPLAINT_CHANNEL_LABELS: dict[ComplaintChannel, str] = {
    ComplaintChannel.PORTAL: "公示平台投诉举报",
    ComplaintChannel.HOTLINE_12345: "12345政务服务便民热线",
    ComplaintChannel.ENTERPRISE: "涉企行政执法诉求沟通渠道",
}

# 第二十条: leads from the enterprise channel and the 12345 hotline are analysed to pick the focus of
# 重点监督; a complaint from the public is a lead of the same kind.
CHANNEL_SOURCES: dict[ComplaintChannel, MatterSource] = {
    ComplaintChannel.PORTAL: MatterSource.COMPLAINT,
    ComplaintChannel.HOTLINE_12345: MatterSource.HOTLINE_12345,
    ComplaintChannel.ENTERPRISE: MatterSource.ENTERPRISE,
}
LEADS_BASIS = regulation_article(20)


def complaint_matter_source(channel: ComplaintChannel | str) -> MatterSource:
    """The source of the matter a complaint or lead opens (第二十条)."""
    return CHANNEL_SOURCES[ComplaintChannel(channel)]


def channel_reference_violations(*, channel: ComplaintChannel | str, reference: str) -> list[Violation]:
    """A lead from the hotline or the enterprise channel carries that channel's own number (工单号), so
    that the answer goes back through the same channel (平台规则)."""
    channel = ComplaintChannel(channel)
    if channel != ComplaintChannel.PORTAL and not reference.strip():
        return [
            Violation(
                "complaint.channel_reference",
                f"请填写{COMPLAINT_CHANNEL_LABELS[channel]}的工单编号",
                "平台规则：来自12345热线和涉企诉求渠道的线索须记录原渠道编号，以便原渠道反馈",
                "channel_reference",
            )
        ]
    return []


class PendingRemedy(StrEnum):
    """Whether the dispute is already before 行政复议 or 行政诉讼, as the complainant says."""

    NONE = "none"
    RECONSIDERATION = "reconsideration"
    LITIGATION = "litigation"


PENDING_REMEDY_LABELS: dict[PendingRemedy, str] = {
    PendingRemedy.NONE: "没有申请行政复议，也没有提起行政诉讼",
    PendingRemedy.RECONSIDERATION: "已经申请行政复议",
    PendingRemedy.LITIGATION: "已经提起行政诉讼",
}
NOT_SUPERVISED_AGAIN_BASIS = regulation_article(33)


def pending_remedy_notice(remedy: PendingRemedy | str) -> str:
    """What the complainant is told when the dispute is already in 行政复议 or 行政诉讼: the 司法局
    does not supervise it again, and where the dispute is handled (第三十三条). Empty otherwise."""
    remedy = PendingRemedy(remedy)
    if remedy == PendingRemedy.NONE:
        return ""
    where = "行政复议机关" if remedy == PendingRemedy.RECONSIDERATION else "人民法院"
    return (
        f"您反映的争议已经进入{'行政复议' if remedy == PendingRemedy.RECONSIDERATION else '行政诉讼'}程序。"
        f"依照{NOT_SUPERVISED_AGAIN_BASIS}，对已经进入行政复议或者行政诉讼程序的争议，行政执法监督机构不再重复监督，"
        f"请向受理的{where}反映意见、提交材料。您的投诉仍会登记，并以此理由办结。"
    )


class ComplaintPublicStatus(StrEnum):
    """A complaint's status as the public tracking page shows it."""

    RECEIVED = "received"  # 收到
    ACCEPTED = "accepted"  # 受理
    NOT_ACCEPTED = "not_accepted"  # 不予受理
    IN_PROGRESS = "in_progress"  # 办理中
    CONCLUDED = "concluded"  # 办结


COMPLAINT_PUBLIC_STATUS_LABELS: dict[ComplaintPublicStatus, str] = {
    ComplaintPublicStatus.RECEIVED: "已收到",
    ComplaintPublicStatus.ACCEPTED: "已受理",
    ComplaintPublicStatus.NOT_ACCEPTED: "不予受理",
    ComplaintPublicStatus.IN_PROGRESS: "办理中",
    ComplaintPublicStatus.CONCLUDED: "已办结",
}


class NotAcceptedReason(StrEnum):
    """Why a complaint is not taken up, as categories the public may read (never the notes)."""

    PENDING_REMEDY = "pending_remedy"
    TRANSFERRED = "transferred"
    DUPLICATE = "duplicate"
    UNCLEAR = "unclear"
    NOT_ENFORCEMENT = "not_enforcement"


NOT_ACCEPTED_REASON_LABELS: dict[NotAcceptedReason, str] = {
    NotAcceptedReason.PENDING_REMEDY: f"争议已进入行政复议或者行政诉讼程序，不再重复监督（{NOT_SUPERVISED_AGAIN_BASIS}）",
    NotAcceptedReason.TRANSFERRED: "不属于本机关管辖，已移送有管辖权的机关",
    NotAcceptedReason.DUPLICATE: "与已受理的投诉举报内容相同，合并办理",
    NotAcceptedReason.UNCLEAR: "反映的事实和诉求不明确，无法核查",
    NotAcceptedReason.NOT_ENFORCEMENT: "不属于行政执法监督的范围",
}

# The matter states (part A's `MatterState`) as the public reads them: 待受理, 办理中, 不予监督 (closed
# with a reason, merged into another matter, transferred), 办结. A state not listed reads as 办理中,
# never as more than it is.
_STATE_PUBLIC: dict[str, ComplaintPublicStatus] = {
    "received": ComplaintPublicStatus.RECEIVED,
    "accepted": ComplaintPublicStatus.ACCEPTED,
    "not_accepted": ComplaintPublicStatus.NOT_ACCEPTED,
    "rejected": ComplaintPublicStatus.NOT_ACCEPTED,
    "transferred": ComplaintPublicStatus.NOT_ACCEPTED,
    "merged": ComplaintPublicStatus.NOT_ACCEPTED,
    "closed": ComplaintPublicStatus.NOT_ACCEPTED,  # part A: closed with a reason, not supervised
    "concluded": ComplaintPublicStatus.CONCLUDED,
}


def complaint_public_status(matter_state: str) -> ComplaintPublicStatus:
    """The public status of a complaint whose matter is in `matter_state`."""
    return _STATE_PUBLIC.get(matter_state, ComplaintPublicStatus.IN_PROGRESS)


def complaint_matter_states(status: ComplaintPublicStatus) -> tuple[frozenset[str], bool]:
    """The matter states of the complaints with public `status`, for a list's filter: (states, True)
    when the status is those states, (states, False) when it is every state but those (办理中, which
    any state not listed reads as)."""
    if status == ComplaintPublicStatus.IN_PROGRESS:
        return frozenset(s for s, public in _STATE_PUBLIC.items() if public != status), False
    return frozenset(s for s, public in _STATE_PUBLIC.items() if public == status), True


# --- the secret query code ----------------------------------------------------------------------------
# Shown once to the complainant, stored only as a salted, slow digest: a leaked table does not give the
# codes back. Twelve characters from an alphabet without look-alikes (no 0/O, 1/I/L): 60 bits.

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_QUERY_CODE_LENGTH = 12
_DIGEST_ITERATIONS = 60_000


def query_code_new() -> str:
    import secrets

    raw = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(_QUERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _QUERY_CODE_LENGTH, 4))


def query_code_normalize(code: str) -> str:
    """As typed: case, spaces and dashes do not matter."""
    return "".join(c for c in code.upper() if c.isalnum())


def query_code_digest(code: str, *, salt: str | None = None) -> str:
    """'salt$hex' of the normalized code (PBKDF2-HMAC-SHA256)."""
    import hashlib
    import secrets

    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", query_code_normalize(code).encode(), salt.encode(), _DIGEST_ITERATIONS)
    return f"{salt}${digest.hex()}"


def query_code_matches(code: str, digest: str) -> bool:
    import hmac

    salt, _, _expected = digest.partition("$")
    return bool(salt) and hmac.compare_digest(query_code_digest(code, salt=salt), digest)


def personal_fingerprint(value: str, *, salt: str) -> str:
    """A complainant's name, phone or ID number as the ledger records it: a digest salted with a
    secret kept beside the personal data, so that the ledger (kept for ever, shown in court) proves
    what was entered without letting anyone test guesses of a phone number against it."""
    import hashlib

    return hashlib.sha256(f"{salt}\x00{value}".encode()).hexdigest() if value else ""


# --- what a complaint must say ------------------------------------------------------------------------

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 5000
NAME_MAX = 100
_FORM = "平台规则：投诉举报须写明被投诉的执法机关和具体事实，具名投诉须留下联系方式，以便核实和答复"


def complaint_violations(
    *,
    anonymous: bool,
    name: str,
    phone: str,
    id_number: str,
    happened_on,
    description: str,
    pending_remedy: str,
    today,
) -> list[Violation]:
    """Every reason why a complaint cannot be registered as given (all at once, by field).

    Anonymous complaints are allowed: whoever reports misconduct of an enforcement officer may fear
    retaliation, and the query code lets them follow the answer without giving a name. A named
    complaint gives a name and a phone number, so that the bureau can verify and answer."""
    from sanxiang.procedure.identifiers import id_number_validate

    violations: list[Violation] = []
    if not anonymous:
        if not name.strip():
            violations.append(Violation("complaint.name", "请填写姓名或者名称，或者选择匿名投诉", _FORM, "name"))
        if not phone.strip():
            violations.append(Violation("complaint.phone", "请填写联系电话，或者选择匿名投诉", _FORM, "phone"))
    if len(name) > NAME_MAX:
        violations.append(Violation("complaint.name_long", f"姓名或者名称不超过{NAME_MAX}个字", _FORM, "name"))
    digits = phone.replace("-", "").replace(" ", "").removeprefix("+86")
    if phone.strip() and not (digits.isdigit() and 7 <= len(digits) <= 12):
        violations.append(Violation("complaint.phone_format", "联系电话应为7至12位数字（可含区号）", _FORM, "phone"))
    if id_number.strip():
        violations.extend(id_number_validate(id_number, field="id_number", today=today))
    if happened_on is not None and happened_on > today:
        violations.append(Violation("complaint.happened_on", "发生日期不能晚于今天", _FORM, "happened_on"))
    text = description.strip()
    if len(text) < DESCRIPTION_MIN:
        violations.append(
            Violation("complaint.description", f"请具体写明发生了什么（至少{DESCRIPTION_MIN}个字）", _FORM, "description")
        )
    elif len(text) > DESCRIPTION_MAX:
        violations.append(
            Violation("complaint.description_long", f"反映的问题不超过{DESCRIPTION_MAX}个字", _FORM, "description")
        )
    if pending_remedy not in {r.value for r in PendingRemedy}:
        violations.append(
            Violation("complaint.pending_remedy", "请选择是否已经申请行政复议或者提起行政诉讼", _FORM, "pending_remedy")
        )
    return violations
