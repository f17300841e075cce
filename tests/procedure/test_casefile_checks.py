"""The automatic items of the 案卷评查 (issue 16 item 2) on penalty snapshots, and the rule checks of a
决定书's text: each veto item with its article, what fails it, its message and the lawful file that
passes; a lesser defect loses the item's points."""

import datetime as dt
import io
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest

from sanxiang.procedure.evaluation.casefile_checks import CaseFileFacts, DocumentFact, casefile_results
from sanxiang.procedure.evaluation.casefile_standard import FileKind, ItemResult, file_score, standard_for
from sanxiang.procedure.evaluation.decision_text import CHECKS, DecisionFacts, decision_text_checks, docx_text
from sanxiang.procedure.penalty.snapshot import Hearing
from tests.procedure.test_penalty_support import (
    FIRST_DECISION_DAY,
    ZHANG,
    D,
    act,
    certificate,
    context,
    decided,
    fine,
    heard,
    notified,
    review,
    served,
)

LAW = "《中华人民共和国行政处罚法》"
STANDARD = standard_for(FileKind.PENALTY_ORDINARY, D(2026, 4, 1))
TODAY = D(2026, 4, 1)


def results(snapshot, **facts):
    return casefile_results(STANDARD, CaseFileFacts(case_id=1, case_number="乌市监立〔2026〕1号", snapshot=snapshot,
                                                    **facts), context(TODAY))


def failed(snapshot, code: str) -> ItemResult:
    result = results(snapshot)[code]
    assert result.failed, f"{code} should fail"
    return result


def test_a_lawful_file_meets_every_automatic_item_and_scores_full_marks_before_the_manual_items():
    found = results(served())
    assert all(not r.failed and not r.lost for r in found.values()), {c: r.findings for c, r in found.items() if r.findings}
    score = file_score(STANDARD, found)
    assert (score.total, score.grade, score.failed_vetoes) == (Decimal("100"), "优秀", ())
    assert set(score.unscored) == {i.code for i in STANDARD.items if not i.automatic}


def test_veto_two_officers_art42():
    """第四十二条第一款: 执法人员不得少于两人. An act recorded by one officer fails the file."""
    item = STANDARD.item("basic.two_officers")
    assert item.veto and item.basis == f"{LAW}第四十二条第一款"
    lawful = served()
    one = replace(lawful, investigative_acts=(act(D(2026, 3, 10), officer_ids=(1,)),))
    result = failed(one, "basic.two_officers")
    assert result.findings == ("2026年3月10日的询问只有1名执法人员，少于2名",)
    assert file_score(STANDARD, results(one)).grade == "不合格"
    assert not results(lawful)["basic.two_officers"].failed  # the lawful path: two officers at each act


def test_veto_qualified_officers_on_the_day_art42():
    """第四十二条第一款: 具有行政执法资格. A certificate not valid on the day of the act fails the file."""
    late = replace(ZHANG, certificates=(certificate(valid_from=D(2026, 3, 20)),))
    case = replace(served(), officers=(late, *served().officers[1:]))
    result = failed(case, "basic.qualified")
    assert result.findings[0] == "张三在2026年3月10日的询问时没有有效的执法证"
    assert STANDARD.item("basic.qualified").basis == f"{LAW}第四十二条第一款"
    assert not results(served())["basic.qualified"].failed


def test_veto_procedure_no_decision_without_the_advance_notice_arts58_62_63():
    """第六十二条: 未告知 → 不得作出行政处罚决定; the decided file without a served notice fails."""
    item = STANDARD.item("basic.procedure")
    assert item.basis == f"{LAW}第五十八条、第六十二条、第六十三条"
    case = replace(served(), notice=None)
    assert failed(case, "basic.procedure").findings == ("作出处罚决定前未送达事先告知书",)
    # The same defect also loses the 告知 item's 8 points (it would, if the veto did not zero the file).
    assert results(case)["content.notice"].lost == 8


def test_veto_procedure_a_requested_hearing_not_held_art64():
    case = heard()
    unheld = replace(case, hearing=replace(case.hearing, held_on=None), records=case.records - {"hearing_transcript"})
    decided_unheld = replace(unheld, decided_on=D(2026, 4, 2), state="decided")
    assert failed(decided_unheld, "basic.procedure").findings == ("当事人要求听证而未组织听证即作出决定",)
    # The lawful path: the hearing held, then (a heard case is major) reviewed and discussed, then decided.
    lawful = review(replace(case, records=case.records | {"collective_discussion_record"}), on=D(2026, 4, 1))
    assert not results(decided(lawful, on=D(2026, 4, 2)))["basic.procedure"].failed


def test_veto_procedure_a_major_decision_not_reviewed_art58():
    major = replace(notified(major_case=True), records=notified().records | {"collective_discussion_record"})
    unreviewed = replace(major, decided_on=FIRST_DECISION_DAY, state="decided")
    assert "重大执法决定未经法制审核即作出决定" in failed(unreviewed, "basic.procedure").findings
    reviewed = decided(review(major, on=D(2026, 3, 24)))
    assert not results(reviewed)["basic.procedure"].failed


@pytest.mark.parametrize("code", [i.code for i in STANDARD.veto_items])
def test_every_veto_item_failed_gives_zero_and_fail_grade_with_its_article(code):
    """单项否决: whatever the other items score, one failed veto item makes the file 不合格 (0 points)."""
    score = file_score(STANDARD, {**results(served()), code: ItemResult(failed=True, findings=("评查发现",))})
    assert (score.total, score.grade, score.failed_vetoes) == (Decimal("0"), "不合格", (code,))
    assert STANDARD.item(code).basis.startswith("《中华人民共和国行政处罚法》第")


def test_service_after_seven_working_days_loses_the_service_points_art61():
    late = served(on=D(2026, 4, 6))  # decided Wed 03-25; the 7th working day after is Fri 04-03
    assert results(late)["content.service"].lost == 3
    assert results(late)["content.service"].findings == ("决定书于2026年4月6日送达，晚于2026年4月3日",)
    assert results(served())["content.service"].lost == 0


def test_an_unnumbered_decision_loses_a_point_and_names_the_document():
    document = DocumentFact(id=5, kind="decision_document", record_kind="decision_document", title="行政处罚决定书",
                            number="", numbered=True, issued_on=FIRST_DECISION_DAY)
    result = results(served(), documents=(document,))["form.numbered"]
    assert result.lost == 1 and result.findings == ("行政处罚决定书未编文号",)
    assert result.records[0].id == 5


# --- the text of a 决定书 ---------------------------------------------------------------------------

GOOD = """乌审旗市场监督管理局
行政处罚决定书
乌市监罚决〔2026〕1号
当事人：乌审旗草原味道餐饮有限公司
统一社会信用代码：91150626MA0000000X
住所：乌审旗嘎鲁图镇团结路12号
法定代表人：巴特尔
经查，当事人于2026年3月2日在其经营场所陈列销售超过保质期的纯牛奶12盒。以上事实有现场检查笔录、询问笔录、照片等证据证明。
当事人的行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，本机关决定：对当事人处以罚款人民币叁仟元整（¥3,000.00）。
当事人应当自收到本决定书之日起十五日内，到指定银行缴纳罚款。到期不缴纳罚款的，本机关可以依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额。
当事人如不服本行政处罚决定，可以自收到本决定书之日起六十日内向乌审旗人民政府申请行政复议，也可以自收到本决定书之日起六个月内依法向乌审旗人民法院提起行政诉讼。申请行政复议或者提起行政诉讼期间，本行政处罚决定不停止执行，法律另有规定的除外。当事人逾期不申请行政复议、不提起行政诉讼，又不履行本行政处罚决定的，本机关将依法申请人民法院强制执行。
乌审旗市场监督管理局
2026年3月25日"""
FACTS = DecisionFacts(party_name="乌审旗草原味道餐饮有限公司", party_kind="organization",
                      party_identifier="91150626MA0000000X", agency_name="乌审旗市场监督管理局",
                      number="乌市监罚决〔2026〕1号", fine_fen=300000)


def test_about_thirty_rule_checks_in_eight_groups_pass_on_a_complete_decision():
    checks = decision_text_checks(GOOD, FACTS)
    assert len(checks) == len(CHECKS) >= 30 and len({c.group for c in checks}) == 8
    assert [c.code for c in checks if not c.passed] == []


def test_a_defective_decision_reports_every_failed_check_with_its_basis():
    bad = (GOOD.replace("〔2026〕", "[2026]").replace("六十日内", "").replace("每日按罚款数额的百分之三加处罚款", "")
           .replace("叁仟元整（¥3,000.00）", "3500元").replace("2026年3月25日", "2026-03-25"))
    failed_checks = {c.code: c for c in decision_text_checks(bad, FACTS) if not c.passed}
    assert set(failed_checks) == {"document_number_format", "document_number_match", "remedy_periods",
                                  "fixed_overdue_consequence", "penalty_amount_consistency", "decision_date",
                                  "date_format_consistency", "duplicate_punctuation_sequence"}
    assert failed_checks["fixed_overdue_consequence"].basis == f"{LAW}第七十二条"
    assert failed_checks["penalty_amount_consistency"].message == "文书中的罚款数额与决定的3000元不一致"
    assert failed_checks["document_number_format"].is_platform
    # The decision item counts each failed content check as a missing element (1 point each, at most 7).
    from sanxiang.procedure.evaluation.casefile_checks import DecisionTextFact
    from sanxiang.procedure.evaluation.casefile_standard import RecordRef

    text = DecisionTextFact(RecordRef("evidence", 3, "上传的决定书"), tuple(decision_text_checks(bad, FACTS)))
    # (the period of 复议, the date, the surcharge: three; the number, the amount and the form are 卷面 matters)
    assert results(served(), decision_texts=(text,))["content.decision"].lost == 3


def test_the_text_of_a_docx_is_read_paragraph_by_paragraph():
    xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           '<w:p><w:r><w:t>行政处罚</w:t></w:r><w:r><w:t>决定书</w:t></w:r></w:p><w:p><w:r><w:t>当事人：某</w:t></w:r></w:p>'
           '</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    assert docx_text(buffer.getvalue()) == "行政处罚决定书\n当事人：某"


def test_no_fine_no_payment_checks():
    no_fine = replace(FACTS, fine_fen=0)
    text = GOOD.replace("到指定银行缴纳罚款", "履行").replace("每日按罚款数额的百分之三加处罚款", "")
    assert all(c.passed for c in decision_text_checks(text.replace("罚款人民币叁仟元整（¥3,000.00）", "警告"), no_fine)
               if c.code in ("payment_instructions", "fixed_overdue_consequence"))


def test_hearing_fixture_is_a_hearing_case():
    assert isinstance(heard().hearing, Hearing) and heard().notice.penalty == fine(10000)
    assert dt.date(2026, 3, 31) == heard().hearing.held_on


# --- 行政强制措施 (compulsory measures) ----------------------------------------------------------------

MEASURE = standard_for(FileKind.COERCION_MEASURE, D(2026, 4, 1))


MEASURE_DAY = D(2026, 3, 10)


def measure_results(snapshot, today=MEASURE_DAY):
    return casefile_results(MEASURE, CaseFileFacts(case_id=2, case_number="乌市监立〔2026〕2号", snapshot=snapshot),
                            context(today))


def test_veto_approval_an_emergency_measure_needs_the_heads_approval_within_24_hours_arts18_19():
    """《行政强制法》第十八条第一项、第十九条: reported to the head and approved before; in an emergency,
    approval sought within 24 hours after. Before the 24 hours run, nothing fails yet."""
    from tests.procedure.coercion.builders import T, head, in_force

    item = MEASURE.item("basic.approval")
    assert item.veto and item.basis == "《中华人民共和国行政强制法》第十八条、第十九条"
    assert not measure_results(in_force())["basic.approval"].failed  # approved before it was taken
    emergency = replace(in_force(), approval=None, emergency_reason="当事人正在转移涉案物品")
    pending = measure_results(emergency, today=D(2026, 3, 3))["basic.approval"]
    assert not pending.failed and pending.findings == ("应于2026年3月3日前（实施后二十四小时内）补办批准手续",)
    assert measure_results(emergency, today=D(2026, 3, 4))["basic.approval"].findings == (
        "情况紧急当场实施后，二十四小时内未补办批准手续",)
    late = replace(emergency, approval=head(T(2026, 3, 3, 11, 0)))
    assert measure_results(late)["basic.approval"].failed
    in_time = replace(emergency, approval=head(T(2026, 3, 3, 9, 0)))
    assert not measure_results(in_time)["basic.approval"].failed  # the lawful path: approved within 24 hours


def test_a_freeze_needs_no_party_signature_but_a_seizure_does_art18_art30():
    from tests.procedure.coercion.builders import in_force, on_spot

    unsigned = on_spot(party_signed=False, party_present=False)
    seizure = replace(in_force(), on_spot=unsigned)
    assert measure_results(seizure)["content.records"].lost == 2
    freeze = replace(in_force("freeze"), on_spot=unsigned)
    assert measure_results(freeze)["content.records"].lost == 0
    assert not measure_results(freeze)["content.audio_video"].applicable  # 冻结 is not on the list


# --- attacker review: the officers of an act as they stood on the act's day (第四十二条第一款) ---------


def test_veto_qualified_an_officer_replaced_after_the_act_does_not_fail_the_file_art42():
    """第四十二条第一款 asks for qualified officers on the day of each act. 李四 questioned the party on
    03-10 and was replaced later (变更承办人员): the act stays lawful and the file may close. An officer
    who never held a valid certificate that day still fails it, replaced or not."""
    from sanxiang.procedure.evaluation.casefile_checks import CaseFileFacts as Facts
    from tests.procedure.test_penalty_support import LI, ZHAO

    replaced = replace(served(), officers=(ZHANG, ZHAO))  # 李四 (id 2) acted on 03-10, then left the case
    facts = Facts(case_id=1, case_number="乌市监立〔2026〕1号", snapshot=replaced, former_officers=(LI,))
    result = casefile_results(STANDARD, facts, context(TODAY))["basic.qualified"]
    assert not result.failed, result.findings
    assert "李四" in {r.label.split("（")[0] for r in result.records}
    unqualified = replace(LI, certificates=(certificate(valid_to=D(2026, 3, 1)),))
    facts = Facts(case_id=1, case_number="乌市监立〔2026〕1号", snapshot=replaced, former_officers=(unqualified,))
    blocked = casefile_results(STANDARD, facts, context(TODAY))["basic.qualified"]
    assert blocked.failed and blocked.findings[0] == "李四在2026年3月10日的询问时没有有效的执法证"


def test_veto_qualified_a_certificate_revoked_after_the_act_does_not_fail_the_file_art42():
    """A certificate valid on 03-10 and 注销 today (the officer retired after the inquiry): the registry
    keeps its status without a date, and the act's own guard checked the status when the act was
    recorded, so a later revocation does not make the act unlawful. Its dates still count: expired
    before the act fails the file."""
    revoked = replace(ZHANG, certificates=(certificate(status="revoked"),))
    case = replace(served(), officers=(revoked, *served().officers[1:]))
    assert not results(case)["basic.qualified"].failed, results(case)["basic.qualified"].findings
    expired = replace(ZHANG, certificates=(certificate(status="revoked", valid_to=D(2026, 3, 9)),))
    case = replace(served(), officers=(expired, *served().officers[1:]))
    assert failed(case, "basic.qualified").findings[0] == "张三在2026年3月10日的询问时没有有效的执法证"


@pytest.mark.parametrize("damage", ["deflate", "method", "truncated", "no_document", "not_zip"])
def test_a_file_that_is_not_a_readable_docx_raises_value_error_only(damage):
    """What the evaluation app catches (ValueError) is all `docx_text` raises on a damaged Word file."""
    xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
           b"<w:t>" + b"A" * 4000 + b"</w:t></w:r></w:p></w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/styles.xml" if damage == "no_document" else "word/document.xml", xml)
    data = bytearray(buffer.getvalue())
    start = 30 + len("word/document.xml")
    if damage == "deflate":
        data[start:start + 8] = bytes(b ^ 0xFF for b in data[start:start + 8])
    elif damage == "method":
        data[8] = 99  # the local header's compression method
        data[data.rfind(b"PK\x01\x02") + 10] = 99  # and the central directory's
    elif damage == "truncated":
        central = data.rfind(b"PK\x01\x02")
        data = data[:start + 10] + data[central:]
    elif damage == "not_zip":
        data = bytearray(b"\xd0\xcf\x11\xe0 an old .doc")
    with pytest.raises(ValueError):
        docx_text(bytes(data))


def test_the_measures_audio_video_item_cites_the_118_guideline_and_the_list_not_the_penalty_law():
    """A compulsory measure's whole-process audio-video record is asked by 国办发〔2018〕118号 and the
    local 音像记录事项清单 (a parameter, unverified), not by 《行政处罚法》第四十七条 (the record of a
    penalty procedure); the item is judged only for a measure the list names (a 冻结 is not)."""
    item = MEASURE.item("content.audio_video")
    assert "行政处罚法" not in item.basis and "国办发〔2018〕118号" in item.basis and "音像记录事项清单" in item.basis
    assert "音像记录事项清单" in item.rule


def test_veto_two_officers_without_an_act_reads_the_number_from_the_parameter_art42():
    """第四十二条第一款: 执法人员不得少于两人，法律另有规定的除外 — the number is one parameter
    (`team.min_officers_who_may_act`, by region and sector). A file without a recorded act is judged by
    its assigned officers against that number on the decision's day, not against a 2 of its own: where
    a region's rule asks 3, two officers fail; where it asks 1, one officer passes."""
    from sanxiang.procedure.parameters import ParameterPeriod, parameters_default

    def local(value):
        return parameters_default().with_overrides(
            {"team.min_officers_who_may_act": [ParameterPeriod(D(2020, 1, 1), value, region="15", reference="某地规定")]})

    def found(officers, value):
        case = replace(served(), investigative_acts=(), officers=officers, region="150626")
        return casefile_results(STANDARD, CaseFileFacts(case_id=1, case_number="乌市监立〔2026〕1号", snapshot=case),
                                context(TODAY, parameters=local(value)))["basic.two_officers"]

    assert found(served().officers[:2], 3).findings == ("本案只指派了2名执法人员，少于3名",)
    assert not found(served().officers[:1], 1).failed
    assert found(served().officers[:1], 2).findings == ("本案只指派了1名执法人员，少于2名",)
