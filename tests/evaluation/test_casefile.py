"""案卷评查 in the evaluation app (issue 16 items 1–3): closing (结案) refused while a veto item fails,
with the item, its article and the lawful path; the live score on the case page and its own page; a
司法局 publishing its version of a standard (ledgered, with a diff, never edited)."""

import pytest
from django.test import Client

from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.evaluation.casefile_selectors import case_file_score, standard_for
from sanxiang.evaluation.casefile_services import casefile_standard_publish
from sanxiang.evaluation.models import CaseFileStandardVersion
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.registry.models import Certificate
from tests.cases.support import D, perform, to_decided, world_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db
CLOSE = {"execution": "当事人已缴纳罚款3000元", "handler_opinion": "建议结案", "head_opinion": "同意结案"}


def executed(w):
    case = to_decided(w)
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26),
                   place="当事人经营场所", signed_by="巴特尔")
    case = perform(case, "record_payment", D(2026, 3, 30), w.officer, paid_on=D(2026, 3, 30), amount_yuan="3000",
                   receipt="NO.123")
    return perform(case, "complete_execution", D(2026, 3, 31), w.officer)


def test_closing_is_refused_while_a_veto_item_fails_and_allowed_once_the_record_is_right():
    """《行政处罚法》第四十二条第一款 (具有行政执法资格): 张三's certificate, as the registry now holds it,
    was issued after the inquiry he made on 2026-03-10 (a registration error found after the decision):
    the file fails the veto item 执法人员具有执法资格, and the head cannot close it. Correcting the
    certificate's record (the lawful path when the registry was wrong) lets the case close."""
    w = world_make()
    case = executed(w)
    certificate = Certificate.objects.get(officer=w.zhang)
    issued_on = certificate.valid_from
    Certificate.objects.filter(pk=certificate.pk).update(valid_from=D(2026, 3, 20))
    with pytest.raises(Refused) as refused:
        perform(Case.objects.get(pk=case.pk), "close", D(2026, 3, 31), w.head, **CLOSE)
    veto = [v for v in refused.value.violations if v.code == "casefile.veto.basic.qualified"]
    assert len(veto) == 1
    assert veto[0].message == ("案卷评查单项否决项“执法人员具有执法资格”不符合（张三在2026年3月10日的询问时没有有效的执法证），"
                               "不得结案：由持有有效行政执法证的执法人员承办，重新指派承办人员")
    assert veto[0].legal_basis == "《中华人民共和国行政处罚法》第四十二条第一款" and veto[0].is_law
    # The case page shows the 结案 step blocked with the same reason before the head tries it.
    from sanxiang.cases.selectors import case_actions

    views = {v.action: v for v in case_actions(case=Case.objects.get(pk=case.pk), viewer=w.head, on=D(2026, 3, 31))}
    assert not views["close"].allowed and veto[0] in views["close"].violations
    # Blocked: nothing changed, no 结案审批表 issued.
    assert Case.objects.get(pk=case.pk).state == case.state
    assert not IssuedDocument.objects.filter(case=case, kind="closing_approval").exists()
    scored = case_file_score(Case.objects.get(pk=case.pk), on=D(2026, 3, 31))
    assert (scored.score.total, scored.score.grade) == (0, "不合格")

    Certificate.objects.filter(pk=certificate.pk).update(valid_from=issued_on)
    closed = perform(Case.objects.get(pk=case.pk), "close", D(2026, 3, 31), w.head, **CLOSE)
    assert closed.state == "closed"


def test_the_live_score_on_the_case_page_and_its_own_page_with_what_loses_points():
    w = world_make()
    case = to_decided(w)
    client = Client()
    client.force_login(w.officer)
    page = client.get(f"/staff/cases/{case.pk}/")
    assert page.status_code == 200
    section = page.content.decode()
    # Decided on 2026-03-25 and still not served (due by 04-03, 7 working days): 送达 loses its 3 points.
    assert 'data-testid="casefile-score"' in section and "当前得分 <strong>97</strong> / 100分" in section
    assert "扣分或者不符合：送达。" in section
    with queries_without_ledger_writes() as counted:
        response = client.get(f"/staff/evaluation/casefile/cases/{case.pk}/")
    html = response.content.decode()
    assert response.status_code == 200, html
    scored = response.context["scored"]
    assert scored.score.lost == {"content.service": 3} and scored.score.total == 97
    assert "决定书至今未送达（应于2026年4月3日前送达）" in html and "在七日内依照民事诉讼法的规定送达决定书" in html
    assert "《中华人民共和国行政处罚法》第六十一条" in html
    # A fixed set of reads for one file (measured: 23 on SQLite): the case, its snapshot, documents,
    # evidence and the county's published standards; never a query per item, document or case.
    assert counted.count <= 25
    # A supervisor of another county's bureau, or an officer of another agency, does not read it.
    other = world_make()
    client.force_login(other.officer)
    assert client.get(f"/staff/evaluation/casefile/cases/{case.pk}/").status_code in (403, 404)


def test_a_bureau_publishes_its_version_with_a_diff_and_a_ledger_entry_and_it_applies_from_its_date():
    w = world_make()
    region = w.supervisor.agency.region_code
    before = Entry.objects.count()
    row = casefile_standard_publish(actor=w.supervisor, kind="penalty_ordinary", changes="事先告知 | 10 | 2\n"
                                    "卷面整洁、无缺页缺面 | 4 | 1", version="2026-1", title="本县行政处罚案卷评查标准",
                                    valid_from=D(2026, 6, 1), today=D(2026, 5, 1))
    assert row.changes == ["“卷面整洁、无缺页缺面”分值由6分改为4分", "“事先告知”分值由8分改为10分", "“事先告知”每处扣分由8分改为2分"]
    entry = Entry.objects.order_by("-seq").first()
    assert Entry.objects.count() == before + 1 and entry.kind == "evaluation.casefile_standard_published"
    assert standard_for("penalty_ordinary", D(2026, 6, 1), region).version == "2026-1"
    assert standard_for("penalty_ordinary", D(2026, 5, 31), region).version == "默认-1"
    # Every reason at once, nothing written: an officer may not publish, a past date, an unknown item.
    with pytest.raises(Refused) as refused:
        casefile_standard_publish(actor=w.officer, kind="penalty_ordinary", changes="nope | 1 | 1", version="2026-2",
                                  title="x", valid_from=D(2026, 4, 1), today=D(2026, 5, 1))
    assert [v.code for v in refused.value.violations] == ["casefile_standard.side", "casefile_standard.past",
                                                          "standard.valid_from_order", "standard.line"]
    assert CaseFileStandardVersion.objects.count() == 1
    # Without a kind the changes cannot be read against a standard, but the other fields still are:
    # every reason at once (the kind, the version, the title, the past date), not the kind alone.
    with pytest.raises(Refused) as refused:
        casefile_standard_publish(actor=w.supervisor, kind="", changes="事先告知 | 10 | 2", version=" ", title="",
                                  valid_from=D(2026, 4, 1), today=D(2026, 5, 1))
    assert [(v.code, v.field) for v in refused.value.violations] == [
        ("casefile_standard.kind", "kind"), ("casefile_standard.past", "valid_from"),
        ("standard.version", "version"), ("standard.title", "title")]
    assert CaseFileStandardVersion.objects.count() == 1


def test_the_publishing_form_keeps_the_input_and_shows_the_reasons_beside_the_fields():
    w = world_make()
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.supervisor)
    page = client.get("/staff/evaluation/casefile/standards/new/")
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    data = {"kind": "penalty_ordinary", "title": "本县标准", "version": "", "valid_from": "2020-01-01",
            "changes": "事先告知 | 0 | 1", "csrfmiddlewaretoken": token}
    response = client.post("/staff/evaluation/casefile/standards/new/", data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "请填写版本号" in html and "施行日期不能早于今天" in html and "第1行：分值和每处扣分都应为大于0的数" in html
    assert "事先告知 | 0 | 1" in html and CaseFileStandardVersion.objects.count() == 0
    assert Client(enforce_csrf_checks=True).post("/staff/evaluation/casefile/standards/new/", data).status_code in (302, 403)
    client.force_login(w.officer)
    assert client.get("/staff/evaluation/casefile/standards/new/").status_code == 403
    standards = client.get("/staff/evaluation/casefile/standards/")
    assert standards.status_code == 200 and "平台尚无该类案件的办案程序" in standards.content.decode()


def test_an_uploaded_decision_is_checked_as_text_and_a_scan_is_listed_as_not_read():
    """The rule checks of a 决定书's text run on an uploaded one too (text or Word); a scanned PDF
    cannot be read and the page says so (left to the evaluator)."""
    import io

    from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check

    w = world_make()
    case = to_decided(w)
    text = ("乌审旗市场监督管理局\n行政处罚决定书\n当事人：乌审旗草原味道餐饮有限公司\n经查，当事人于2026年3月2日销售过期食品。"
            "依据《中华人民共和国食品安全法》第一百二十四条的规定，决定罚款3000元。").encode()
    for name, content in (("补充决定书.txt", text), ("决定书扫描件.pdf", b"%PDF-1.4\n%scan\n")):
        meta = evidence_metadata_check(actor=w.officer, kind="document", original_name=name, case=case,
                                       step="decision_document")
        evidence_ingest(actor=w.officer, source=io.BytesIO(content), meta=meta)
    scored = case_file_score(Case.objects.select_related("agency", "party").get(pk=case.pk), on=D(2026, 3, 26))
    uploaded = [t for t in scored.texts if t.source.kind == "evidence"]
    assert len(uploaded) == 1 and uploaded[0].source.label == "上传的决定书“补充决定书.txt”"
    failed = {c.code for c in uploaded[0].checks if not c.passed}
    assert {"remedy_notice", "penalty_deadline", "document_number_presence", "authority_signature"} <= failed
    assert [r.label for r in scored.unread_texts] == ["上传的决定书“决定书扫描件.pdf”"]
    # The generated decision (its Word copy) passes every check.
    generated = [t for t in scored.texts if t.source.kind == "document"]
    assert len(generated) == 1 and generated[0].failed_count == 0
    client = Client()
    client.force_login(w.officer)
    html = client.get(f"/staff/evaluation/casefile/cases/{case.pk}/").content.decode()
    assert "没有告知申请行政复议、行政诉讼的途径" in html and "文本无法读取" in html


def test_closing_allowed_when_an_officer_who_acted_was_replaced_and_his_certificate_revoked_since_art42():
    """《行政处罚法》第四十二条第一款 asks for qualified officers on the day of each act. 张三 questioned
    the party on 2026-03-10 with a valid certificate; after the decision he retired: the head replaced him
    (变更承办人员) and his certificate was 注销. The act stays lawful: the veto item 执法人员具有执法资格
    must not refuse the closing (a false refusal), and the score page lists 张三 among the officers looked at."""
    from sanxiang.registry.models import CertificateStatus
    from tests.cases.support import officer_with_certificate

    w = world_make()
    case = executed(w)
    successor = officer_with_certificate(w.agency, "周六")
    case = perform(Case.objects.get(pk=case.pk), "change_officers", D(2026, 3, 31), w.head,
                   officer_ids=[w.li.pk, successor.pk], reason="张三退休")
    Certificate.objects.filter(officer=w.zhang).update(status=CertificateStatus.REVOKED)
    scored = case_file_score(Case.objects.get(pk=case.pk), on=D(2026, 3, 31))
    qualified = next(r for t in scored.tiers for r in t.rows if r.item.code == "basic.qualified")
    assert qualified.state == "met", qualified.result.findings
    assert any(ref.label.startswith("张三") for ref in qualified.result.records)
    closed = perform(Case.objects.get(pk=case.pk), "close", D(2026, 3, 31), w.head, **CLOSE)
    assert closed.state == "closed"


def _docx(xml: bytes, *, method=None) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def _broken_docx() -> bytes:
    """A Word file whose document.xml's compressed data is damaged (a download cut and patched, a
    disk error): the archive opens, its member does not inflate."""
    xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
           + "行政处罚决定书".encode() * 400 + b"</w:t></w:r></w:p></w:body></w:document>")
    data = bytearray(_docx(xml))
    start = data.index(b"word/document.xml") + len(b"word/document.xml")  # the local header's name, then the data
    for i in range(start, start + 16):
        data[i] ^= 0xFF
    return bytes(data)


def test_a_damaged_word_decision_is_listed_as_not_read_and_no_page_fails():
    """An uploaded 决定书 that is a damaged Word file (its text does not inflate) must not turn the score
    page, the case page or the 结案 step into a server error: it is listed as not read, for the
    evaluator."""
    import io

    from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check

    w = world_make()
    case = to_decided(w)
    meta = evidence_metadata_check(actor=w.officer, kind="document", original_name="决定书.docx", case=case,
                                   step="decision_document")
    evidence_ingest(actor=w.officer, source=io.BytesIO(_broken_docx()), meta=meta)
    scored = case_file_score(Case.objects.select_related("agency", "party").get(pk=case.pk), on=D(2026, 3, 26))
    assert [r.label for r in scored.unread_texts] == ["上传的决定书“决定书.docx”"]
    client = Client(raise_request_exception=False)
    client.force_login(w.officer)
    assert client.get(f"/staff/evaluation/casefile/cases/{case.pk}/").status_code == 200
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 200


def test_a_closed_file_keeps_the_score_of_its_closing_day_under_the_standard_then_in_force():
    """A version applies from its date, never to files already scored (casefile_standard_publish): a
    file closed on 2026-03-31 is scored, on its page, as of that day under the standard then in force,
    not under a version the 司法局 published for 2026-04-01 nor as of the day the page is opened."""
    w = world_make()
    case = executed(w)
    closed = perform(Case.objects.get(pk=case.pk), "close", D(2026, 3, 31), w.head, **CLOSE)
    casefile_standard_publish(actor=w.supervisor, kind="penalty_ordinary", changes="事先告知 | 10 | 2", version="2026-1",
                              title="本县行政处罚案卷评查标准", valid_from=D(2026, 4, 1), today=D(2026, 3, 31))
    scored = case_file_score(Case.objects.select_related("agency", "party").get(pk=closed.pk))
    assert (scored.on, scored.standard.version, scored.score.full_marks) == (D(2026, 3, 31), "默认-1", 100)
    # The case page passes today: the closed file's summary is still the closing day's.
    from sanxiang.evaluation.casefile_selectors import case_file_score_summary

    summary = case_file_score_summary(case=Case.objects.select_related("agency", "party").get(pk=closed.pk),
                                      on=D(2026, 12, 1))
    assert (summary.total, summary.full_marks) == (scored.score.total, 100)
    # An open file is scored today, under the version in force today.
    open_case = to_decided(w)
    assert case_file_score(Case.objects.select_related("agency", "party").get(pk=open_case.pk)).standard.version == "2026-1"
