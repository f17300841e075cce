"""Part B of the demo year of supervision (issue 14): instruments in every state, a person-level
proposal decided, a referral, and a public 通报, all through the services (so every one is
numbered, rendered, stored and in the ledger like real work).

`supervision_instruments_demo_load(matters=..., supervisors=..., today=...)` takes the matters
(part A's, opened through `matter_open`) and the bureau's pair of supervisors (each with a valid
supervision certificate); each matter's agency needs an account of an agency role to reply. The
lead wires it into the demo command after the merge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sanxiang.accounts.models import AGENCY_ROLES, User
from sanxiang.registry.models import Officer
from sanxiang.supervision.instrument_services import (
    instrument_act,
    instrument_issue,
    notice_approve,
    notice_draft,
    personal_decision_record,
    personal_propose,
    referral_record,
)
from sanxiang.supervision.models import Instrument, Matter, Notice

FINDINGS = {
    "supervise_letter": "对群众投诉的占道经营问题，自受理之日起逾期未作出处理，未履行法定职责。",
    "opinion": "作出的行政处罚决定未在七个工作日内向社会公示；现场检查未全程音像记录。",
    "recommendation": "统计分析显示，本年度简易程序案件占比偏高，部分案件裁量说明过简。",
}


@dataclass(frozen=True)
class InstrumentsDemo:
    instruments: list[Instrument]
    notice: Notice


def _agency_user(matter: Matter) -> User:
    user = User.objects.filter(agency_id=matter.agency_id, role__in=list(AGENCY_ROLES), is_active=True).order_by("pk").first()
    if user is None:
        raise ValueError(f"{matter.agency} 没有可以答复监督文书的账号")
    return user


def supervision_instruments_demo_load(
    *, matters: Sequence[Matter], supervisors: Sequence[User], today: dt.date
) -> InstrumentsDemo:
    """Instruments in every state across the matters given (cycled), dated over the weeks before
    `today`; one of them overdue on `today`."""
    if not matters or len(supervisors) < 2:
        raise ValueError("需要至少一个监督事项和两名监督人员")
    first, second = supervisors[0], supervisors[1]
    pair = [first, second]
    made: list[Instrument] = []

    def issue(i: int, kind: str, on: dt.date) -> tuple[Instrument, User]:
        matter = matters[i % len(matters)]
        instrument = instrument_issue(actor=first, matter=matter, kind=kind, findings=FINDINGS[kind], supervisors=pair,
                                      on=on)
        made.append(instrument)
        return instrument, _agency_user(matter)

    day = today - dt.timedelta(days=60)
    # 待答复, and one overdue (served more than the period ago).
    issue(0, "opinion", today - dt.timedelta(days=2))
    issue(1, "supervise_letter", day)
    # 整改报告待审阅
    instrument, agency_user = issue(2, "opinion", day + dt.timedelta(days=5))
    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已补充公示，并对执法人员开展培训。",
                   on=day + dt.timedelta(days=20))
    # 已退回，待重新报告
    instrument, agency_user = issue(3, "recommendation", day + dt.timedelta(days=6))
    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已研究。", on=day + dt.timedelta(days=15))
    instrument_act(actor=first, instrument=instrument, action="return", text="未说明采纳情况和具体措施，请补充。",
                   supervisors=pair, on=day + dt.timedelta(days=18))
    # 已办结
    instrument, agency_user = issue(4, "opinion", day + dt.timedelta(days=7))
    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已全部整改，附公示截图。",
                   on=day + dt.timedelta(days=21))
    instrument_act(actor=second, instrument=instrument, action="accept", supervisors=[second, first],
                   on=day + dt.timedelta(days=25))
    # 异议待复查
    instrument, agency_user = issue(5, "opinion", today - dt.timedelta(days=6))
    instrument_act(actor=agency_user, instrument=instrument, action="object",
                   text="该决定已于期限内在本局网站公示，请复查。", on=today - dt.timedelta(days=3))
    # 复查后撤回
    instrument, agency_user = issue(6, "supervise_letter", day + dt.timedelta(days=8))
    instrument_act(actor=agency_user, instrument=instrument, action="object", text="该事项不属于本机关职责。",
                   on=day + dt.timedelta(days=10))
    instrument_act(actor=first, instrument=instrument, action="withdraw", text="经复查，异议成立，撤回督办函。",
                   supervisors=pair, on=day + dt.timedelta(days=20))
    # 提请决定书 (escalated), and the government's decision recorded (the 决定书 issued, due).
    instrument, _ = issue(7, "supervise_letter", day + dt.timedelta(days=1))
    instrument_act(actor=first, instrument=instrument, action="escalate", supervisors=pair, on=day + dt.timedelta(days=40))
    proposal = Instrument.objects.get(source=instrument)
    made.append(proposal)
    instrument_act(actor=first, instrument=proposal, action="decision_record", supervisors=pair,
                   decision_number=f"乌政监决〔{today.year}〕1号", decision_on=day + dt.timedelta(days=45),
                   text="责令限期依法履行职责，并报告执行情况。", on=day + dt.timedelta(days=46))
    instrument, _ = issue(8, "opinion", day + dt.timedelta(days=2))
    instrument_act(actor=first, instrument=instrument, action="escalate", supervisors=pair, on=today - dt.timedelta(days=1))
    made.append(Instrument.objects.get(source=instrument))  # 已提请政府作出决定

    # 第三十二条 and 第三十三条
    matter = matters[0]
    officer = Officer.objects.filter(agency_id=matter.agency_id).order_by("pk").first()
    if officer is not None:
        proposal_row = personal_propose(actor=first, matter=matter, officer=officer, measure="criticism",
                                        reasons="检查中未出示执法证件。", competent_body=str(matter.agency),
                                        supervisors=pair, on=day + dt.timedelta(days=30))
        personal_decision_record(actor=first, proposal=proposal_row, adopted=True, decision="已予批评教育。",
                                 decided_on=day + dt.timedelta(days=35), supervisors=pair)
    referral_record(actor=first, matter=matter, what="执法人员涉嫌违规收取费用的线索。",
                    to_body=f"{matter.bureau.parent_government.removesuffix('人民政府')}监察委员会",
                    referred_on=day + dt.timedelta(days=33), reference_number=f"司移〔{today.year}〕1号",
                    supervisors=pair)
    # A public 通报, approved by the second supervisor.
    agencies = list({m.agency_id: m.agency for m in matters if m.agency_id}.values())
    notice = notice_draft(
        actor=first, bureau=matter.bureau, title=f"关于{today.year}年上半年行政执法公示情况的通报",
        body="经日常监督，部分执法机关存在行政处罚决定未按期公示、现场检查音像记录不全等问题，已制发监督文书督促整改。",
        indicators="事后公开及时率 86%；音像记录覆盖率 91%", scope="public", agencies=agencies[:3],
        matters=list(matters[:3]), on=today - dt.timedelta(days=5),
    )
    notice_approve(actor=second, notice=notice, on=today - dt.timedelta(days=4))
    return InstrumentsDemo(instruments=made, notice=notice)
