"""The evidence a 调查终结报告 (and the 告知书, the 决定书) lists is built from the case's records
(issue 13, item 3): its 现场检查笔录 and 询问笔录 and the files uploaded to it, oldest first, then
what the officer typed as 其他证据. Pure: no database."""

import datetime as dt

import pytest

from sanxiang.cases.paperwork import AgencyInfo, CaseInfoIn, EvidenceFileInfo, evidence_of
from sanxiang.documents import Evidence
from sanxiang.procedure.penalty.texts import Findings, Inquiry, Inspection, PenaltyTexts

AGENCY = AgencyInfo("乌审旗市场监督管理局", "11150626MB1234567X", "嘎鲁图镇", "0477-1", "乌审旗人民政府")
NOV = dt.date(2026, 11, 4)


def _case(*files: EvidenceFileInfo) -> CaseInfoIn:
    return CaseInfoIn(number="乌市监立〔2026〕1号", title="涉嫌经营超过保质期的食品案", agency=AGENCY, party=None,
                      officers=(), assigned_ids=(), evidence_files=files)


def test_the_records_and_uploads_are_listed_in_the_order_they_were_made_then_the_other_evidence():
    texts = PenaltyTexts(
        inspections=(Inspection(on=NOV, place="当事人经营场所"),),
        inquiries=(Inquiry(on=NOV + dt.timedelta(days=1), interviewee="包塔娜"),),
        findings=Findings(evidence=("询问笔录：证明进货和销售情况", "检验报告：涉案食品不合格")),
    )
    case = _case(
        EvidenceFileInfo("涉案商品现场照片", "photo", NOV),
        EvidenceFileInfo("营业执照复印件", "document", None),
    )
    assert evidence_of(case, texts) == (
        Evidence("现场检查笔录（当事人经营场所，2026年11月4日）"),
        Evidence("涉案商品现场照片（照片，2026年11月4日）"),
        Evidence("询问笔录（包塔娜，2026年11月5日）", "证明进货和销售情况"),
        Evidence("营业执照复印件（书证）"),
        # Typed, with no record behind it: listed as the officer wrote it, after the records.
        Evidence("检验报告", "涉案食品不合格"),
    )


def test_a_typed_record_the_case_does_not_hold_stays_as_typed():
    """"现场检查笔录" typed when the case made no inspection is not dropped: the officer may hold a
    paper record; it is listed as written."""
    texts = PenaltyTexts(findings=Findings(evidence=("现场检查笔录：现场情况",)))
    assert evidence_of(_case(), texts) == (Evidence("现场检查笔录", "现场情况"),)


@pytest.mark.parametrize("typed, expected", [("14:30", (14, 30)), ("１４：３０", (14, 30)), ("²:30", (9, 0)),
                                             ("14:³0", (9, 0)), ("", (9, 0))])
def test_a_record_time_as_typed_is_read_in_ascii_digits_or_falls_back_to_nine(typed, expected):
    """The start and end of an inquiry or inspection record are typed text: "²" is a digit to
    str.isdigit() but not to int() (a ValueError while the document was issued); such a time is
    read as none was given. Full-width digits, which int() reads, are read as before."""
    from sanxiang.cases.paperwork import _moment

    moment = _moment(dt.date(2026, 3, 2), typed)
    assert (moment.hour, moment.minute) == expected
