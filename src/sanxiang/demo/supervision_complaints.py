"""The demo county's complaints (issue 14, part D): complaints from the public through the portal's
slot over the year before `today`, in every public state, and leads from the 12345 hotline and the
enterprise channel recorded by a supervisor. Everything goes through the services (ledger entries,
public status rows). The lead wires `supervision_complaints_demo_load` into the demo command.

The matters move through part A's triage services, by the pair of supervisors given."""

from __future__ import annotations

import datetime as dt

from sanxiang.accounts.models import User
from sanxiang.public_events import ComplaintSubmission, complaint_submit
from sanxiang.registry.models import Agency
from sanxiang.supervision.complaint_services import complaint_answer_set, complaint_receive
from sanxiang.supervision.models import Complaint
from sanxiang.supervision.services import matter_accept, matter_close, matter_conclude, matter_pair_assign

# (days before today, named?, pending remedy, states it goes through, not-accepted reason, outcome)
_PORTAL = [
    (290, True, "none", ["accepted", "concluded"], "", "经核查，该局执法人员检查时未出示执法证件属实，已责令改正并对相关人员批评教育。"),
    (250, False, "litigation", ["closed"], "pending_remedy", ""),
    (190, True, "none", ["accepted"], "", ""),
    (120, True, "none", ["closed"], "duplicate", ""),
    (60, False, "none", ["accepted"], "", ""),
    (20, True, "reconsideration", [], "", ""),
    (3, True, "none", [], "", ""),
]
_NAMES = ["张文华", "李春燕", "王建军", "赵丽娟", "刘志刚", "陈晓梅", "杨宏伟"]
_WHAT = [
    "执法人员到店检查时没有出示执法证件，也没有说明检查依据。",
    "同一事项一个月内被不同科室检查三次，每次要求提交相同材料。",
    "罚款决定书没有告知申请行政复议和提起行政诉讼的期限。",
    "扣押的货物超过期限仍未作出处理决定，也没有书面通知。",
    "执法人员现场要求缴纳现金罚款，没有开具收据。",
    "对举报的违法行为一直没有立案，也没有答复。",
    "检查时执法人员态度粗暴，拍摄店内顾客。",
]


def supervision_complaints_demo_load(*, bureau: Agency, supervisors: list[User], today: dt.date) -> int:
    """Load the demo complaints of `bureau` (once: nothing when it has complaints). Returns how many."""
    if Complaint.objects.filter(bureau=bureau).exists():
        return 0
    supervisor = supervisors[0]
    agencies = list(Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False).order_by("pk"))
    if not agencies:
        return 0
    count = 0
    for index, (days, named, remedy, states, reason, outcome) in enumerate(_PORTAL):
        on = today - dt.timedelta(days=days)
        receipt = complaint_submit(
            ComplaintSubmission(
                agency_id=agencies[index % len(agencies)].pk, anonymous=not named,
                name=_NAMES[index] if named else "", phone=f"1394770{index:04d}" if named else "", id_number="",
                happened_on=on - dt.timedelta(days=5), description=_WHAT[index], pending_remedy=remedy,
            ),
            on=on,
        )
        complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
        _advance(complaint, states=states, reason=reason, outcome=outcome, supervisors=supervisors, on=on)
        count += 1
    for index, (channel, reference, days, states) in enumerate([
        ("hotline_12345", "12345-GD-0417", 200, ["accepted", "concluded"]),
        ("enterprise", "SQ-2026-031", 90, ["accepted"]),
        ("hotline_12345", "12345-GD-1102", 10, []),
    ]):
        on = today - dt.timedelta(days=days)
        complaint, _code = complaint_receive(
            agency_id=agencies[(index + 2) % len(agencies)].pk, channel=channel, channel_reference=reference,
            anonymous=channel == "hotline_12345", name="" if channel == "hotline_12345" else "乌审旗某牧业有限公司",
            phone="" if channel == "hotline_12345" else "0477-7512345", id_number="", happened_on=None,
            description=_WHAT[(index + 1) % len(_WHAT)], pending_remedy="none", actor=supervisor, on=on,
        )
        _advance(complaint, states=states, reason="", supervisors=supervisors, on=on,
                 outcome="已约谈该局负责人，督促规范检查频次。" if "concluded" in states else "")
        count += 1
    return count


def _advance(complaint: Complaint, *, states: list[str], reason: str, outcome: str, supervisors: list[User],
             on: dt.date):
    supervisor = supervisors[0]
    if reason or outcome:
        complaint_answer_set(complaint=complaint, actor=supervisor, not_accepted_reason=reason, public_outcome=outcome)
    if not states:
        return
    matter = complaint.matter
    matter_pair_assign(matter=matter, users=supervisors[:2], actor=supervisor)
    for state in states:
        if state == "accepted":
            matter = matter_accept(matter=matter, actor=supervisor)
        elif state == "concluded":
            matter = matter_conclude(matter=matter, outcome=outcome or "已办结。", actor=supervisor)
        elif state == "closed":
            matter = matter_close(matter=matter, reason=_CLOSE_REASONS[reason], actor=supervisor)


# The demo's reasons for closing a complaint without supervising it, as part A's triage takes them.
_CLOSE_REASONS = {"pending_remedy": "in_litigation", "duplicate": "other", "": "other"}
