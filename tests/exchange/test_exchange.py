"""The exchange with the provincial supervision information system (issue 19 item 5;
《行政执法监督条例》第三十七条: each province runs the system that county platforms feed).

- The documents built from real records (a decided penalty case, its published decision, the year's
  figures) validate against the JSON Schemas shipped in the package; a natural person's ID number
  leaves masked and their name as publication shows it (legal_rules §4.2, §5).
- A document with a required field missing, or a value of the wrong type, fails with a message
  that names the field (path, Chinese name) and says what is wrong.
- The export writes files whose manifest hashes match them; the same records give the same bytes;
  a changed file is named by `sanxiang exchange check`.
- An assignment from above becomes a supervision matter through the desk's service (ledgered),
  once per 交办文号; a bad one is refused with every reason and writes nothing.
"""

import copy
import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.exchange.formats import (
    DECISION_FORMAT,
    GENERATED_SCHEMAS,
    SCHEMA_NAMES,
    document_problems,
    exchange_json,
    schema_fields_markdown,
    schema_file_text,
    schema_load,
    schema_text,
)
from sanxiang.exchange.schedule import exchange_daily
from sanxiang.exchange.selectors import (
    case_document_build,
    case_documents_build,
    decision_documents_build,
    year_document_build,
)
from sanxiang.exchange.services import (
    ExchangeExportError,
    assignment_import,
    exchange_export,
    exchange_export_check,
)
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.dual_publicity import dual_publicity_row_problems
from sanxiang.procedure.violations import Refused
from sanxiang.publication.dual_publicity import dual_publicity_row
from sanxiang.publication.models import Publication, PublicationDraft, PublicationStatus
from sanxiang.publication.services import publication_approve, publication_decision_change
from sanxiang.registry import services as registry
from sanxiang.registry.models import Agency
from sanxiang.supervision.models import Matter
from tests.cases.support import FIRST_DECISION_DAY, D, lead_make, to_decided, world_make
from tests.cases.test_coercion_cases import TAKEN_ON, to_in_force
from tests.factories import id_number

pytestmark = pytest.mark.django_db
YEAR = 2026
PUBLISHED_ON = D(2026, 3, 27)


@pytest.fixture
def w():
    return world_make()


@pytest.fixture
def decided(w):
    """A penalty case decided (罚款3000元) and its decision published."""
    case = to_decided(w)
    publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=case), on=PUBLISHED_ON)
    case.refresh_from_db()
    return case


def person_case(w):
    person = registry.party_create(
        actor=None, agency=w.agency, kind="natural_person", name="刘建国", id_type="resident_id_card",
        id_number=id_number(birth=D(1980, 5, 20)), address="乌审旗嘎鲁图镇",
    )
    return person, to_decided(w, lead_make(w, party=person))


# --- documents from records validate ------------------------------------------------------------------


def test_a_decided_penalty_case_gives_a_valid_document_with_its_steps_decision_and_publication(w, decided):
    document = case_document_build(case=decided)

    assert document_problems(document) == []
    assert document["case"]["number"] == decided.number
    assert document["agency"] == {"name": w.agency.name, "credit_code": w.agency.credit_code}
    assert document["party"]["category"] == "法人及非法人组织"
    assert document["party"]["credit_code"] == w.company.credit_code
    decision = document["decision"]
    assert decision["outcome"] == "penalty" and decision["decided_on"] == FIRST_DECISION_DAY.isoformat()
    assert decision["penalty_kinds"] == ["罚款"]
    assert (decision["fine_fen"], decision["fine_wan_yuan"]) == (300_000, "0.300000")  # 3000元 = 0.3万元
    # The steps as the ledger recorded them, with their days, ending in the decision.
    labels = [step["label"] for step in document["steps"]]
    assert labels[0] and document["steps"][-1]["state_to"] == decided.state
    assert [s["on"] for s in document["steps"] if s["action"] == "decide"] == [FIRST_DECISION_DAY.isoformat()]
    assert [(c["kind"], c["penalty_column"], c["amount_fen"]) for c in document["counted"]] == [
        ("penalty", "fine", 300_000)
    ]
    [published] = document["publications"]
    assert (published["status"], published["published_on"]) == ("published", PUBLISHED_ON.isoformat())
    assert any(d["title"] for d in document["documents"])


def test_a_natural_persons_id_number_leaves_masked_and_the_name_only_as_published(w):
    person, case = person_case(w)

    before = case_document_build(case=case)
    assert document_problems(before) == []
    party = before["party"]
    assert party["category"] == "自然人" and party["credit_code"] == ""
    # Not published yet: the surname only; the ID number keeps its first 6 and last 4 characters.
    assert party["name"] == "刘某某"
    assert party["id_number_masked"] == person.id_number[:6] + "*" * 8 + person.id_number[-4:]
    text = exchange_json(before).decode()
    assert person.id_number not in text and "刘建国" not in text and "嘎鲁图镇" not in text
    # The schema itself refuses an ID number left unmasked.
    unmasked = copy.deepcopy(before)
    unmasked["party"]["id_number_masked"] = person.id_number
    assert [p.path for p in document_problems(unmasked)] == ["/party/id_number_masked"]

    publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=case), on=PUBLISHED_ON)
    after = case_document_build(case=case)
    assert after["party"]["name"] == Publication.objects.get().party_name == "刘建国"
    assert person.id_number not in exchange_json(after).decode()


def test_a_seizure_case_gives_a_valid_document_counted_in_the_coercion_rows(w):
    case = to_in_force(w)
    document = case_document_build(case=case)

    assert document_problems(document) == []
    assert (document["case"]["act_kind"], document["case"]["procedure_label"]) == ("coercion", "查封、扣押")
    assert [(c["kind"], c["kind_label"], c["on"]) for c in document["counted"]] == [
        ("seizure", "扣押", TAKEN_ON.isoformat())
    ]
    assert document["decision"] is None and document["review"] is None
    assert [p["decision_kind"] for p in document["publications"]] == ["measure"]


def test_the_published_decision_gives_its_dual_publicity_row_valid_by_schema_and_by_the_standard(decided):
    publication = Publication.objects.get()
    [document] = decision_documents_build([publication])

    assert document_problems(document) == []
    assert document["fields"] == dual_publicity_row(publication, layout="CF")
    assert dual_publicity_row_problems(document["fields"], layout="CF") == []
    assert document["case_number"] == decided.number
    assert document["fields"]["CF_NR_FK"] == "0.300000"


def test_a_withdrawn_decision_validates_with_its_emptied_texts_but_a_published_one_needs_them(decided):
    publication = Publication.objects.get()
    [document] = decision_documents_build([publication])
    emptied = {"CF_SY": "", "CF_YJ": "", "CF_NR": ""}

    withdrawn = document | {"status": "withdrawn", "status_label": "已撤回", "withdrawn_on": "2026-05-06",
                            "fields": document["fields"] | emptied}
    assert document_problems(withdrawn) == []
    shown = document | {"fields": document["fields"] | emptied}
    assert [str(p) for p in document_problems(shown)] == [
        "/fields/CF_NR：（处罚内容）不能为空",
        "/fields/CF_SY：（违法事实）不能为空",
        "/fields/CF_YJ：（处罚依据）不能为空",
    ]


def test_the_year_document_carries_each_agencys_tables(w, decided):
    document = year_document_build(year=YEAR)

    assert document_problems(document) == []
    [line] = [a for a in document["agencies"] if a["name"] == w.agency.name]
    assert line["categories"]["penalty"] == 1
    assert line["penalty_table"]["columns"]["fine"] == 1
    assert (line["penalty_table"]["amount_fen"], line["penalty_table"]["amount_wan_yuan"]) == (300_000, "0.30")
    assert line["report_published"] is False
    assert document["county_penalty_table"]["total"] >= 1
    # The judicial bureau supervises; it has no figures of its own here.
    assert all("司法局" not in a["name"] for a in document["agencies"])


def test_a_batch_of_cases_costs_the_same_queries_as_one(w):
    one = [to_decided(w)]
    many = [*one, lead_make(w), lead_make(w, party=w.citizen)]
    with CaptureQueriesContext(connection) as first:
        case_documents_build(one)
    with CaptureQueriesContext(connection) as second:
        documents = case_documents_build(many)
    assert len(second) == len(first)
    assert [document_problems(d) for d in documents] == [[], [], []]


# --- bad documents fail with readable messages -------------------------------------------------------


def test_a_missing_field_and_a_wrong_type_are_named_with_what_is_wrong(decided):
    document = case_document_build(case=decided)
    del document["case"]["number"]
    document["decision"]["fine_fen"] = "3000"
    document["agency"]["credit_code"] = "91150626"

    problems = [str(p) for p in document_problems(document)]

    assert "/case/number：缺少必填字段“number”（案号）" in problems
    assert '/decision/fine_fen：（罚款金额（分））应为整数，实际为字符串"3000"' in problems
    assert any(p.startswith("/agency/credit_code：（执法主体统一社会信用代码）格式不正确") for p in problems)
    assert len(problems) == 3


def test_an_unknown_format_or_a_file_that_is_not_json_is_said_so(tmp_path):
    assert [str(p) for p in document_problems({"format": "x"})] == [
        '/format：未知的数据格式"x"，应为' + "、".join(SCHEMA_NAMES) + "之一"
    ]
    bad = tmp_path / "bad.json"
    bad.write_text("{不是JSON", encoding="utf-8")
    with pytest.raises(CommandError, match="1个文件中有1个不符合格式"):
        call_command("exchange", "validate", str(bad))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_required_field_removed_or_given_a_wrong_type_fails_at_its_path(data):
    # A valid decision document (built once: no database needed for the schema).
    document = copy.deepcopy(VALID_DECISION)
    schema = schema_load("decision")
    key = data.draw(st.sampled_from(schema["required"]))
    if data.draw(st.booleans()):
        del document[key]
        expected = f"/{key}：缺少必填字段“{key}”"
    else:
        document[key] = data.draw(st.sampled_from([[], {"x": 1}, True, 12.5]))
        expected = f"/{key}"  # at the key, or inside it (an object given for `fields` lacks every field)
    problems = [str(p) for p in document_problems(document, expected_format=DECISION_FORMAT)]
    assert problems and all(p.startswith(expected) for p in problems)


VALID_DECISION = {
    "format": "sanxiang.exchange.decision", "format_version": 1, "layout": "CF", "case_number": "乌市监立〔2026〕1号",
    "status": "published", "status_label": "公示中", "published_on": "2026-03-27", "withdrawn_on": None,
    "withdrawal_statement": "",
    "fields": {code: "" for code in (p for p in schema_load("decision")["$defs"]["CF_fields"]["required"])} | {
        "CF_XDR_MC": "乌审旗草原味道餐饮有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_WSH": "乌市监罚〔2026〕1号",
        "CF_WFXW": "经营超过保质期的食品", "CF_SY": "经查……", "CF_YJ": "《中华人民共和国食品安全法》第一百二十四条",
        "CF_CFLB": "罚款", "CF_NR": "罚款3000元", "CF_NR_FK": "0.300000", "CF_JDRQ": "2026-03-25",
        "CF_CFJG": "乌审旗市场监督管理局", "CF_SJLY": "乌审旗市场监督管理局",
    },
}


def test_the_valid_decision_of_the_property_test_is_valid():
    assert document_problems(VALID_DECISION) == []


# --- the schemas ----------------------------------------------------------------------------------------


def test_the_generated_schemas_are_the_files_shipped():
    for name, build in GENERATED_SCHEMAS.items():
        assert schema_text(name) == schema_file_text(build()), f"schemas/{name}.schema.json 与生成的不一致"


def _properties(schema, path=""):
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{path}/{name}", sub
            yield from _properties(sub, f"{path}/{name}")
        for key in ("items", "$defs"):
            value = schema.get(key)
            if isinstance(value, dict):
                inner = value.values() if key == "$defs" else [value]
                for sub in inner:
                    yield from _properties(sub, path)


def test_every_field_says_which_national_item_it_carries_or_that_it_is_the_platforms():
    unmarked = []
    for name in SCHEMA_NAMES.values():
        for path, sub in _properties(schema_load(name)):
            # The conditional blocks of the decision schema only restrict fields declared elsewhere.
            if set(sub) <= {"minLength", "title"}:
                continue
            if ("x-national-item" in sub) == ("x-platform" in sub):
                unmarked.append(f"{name}{path}")
    assert unmarked == []


def test_the_field_tables_of_the_docs_are_those_of_the_schemas():
    docs = (Path(__file__).parents[2] / "docs" / "exchange.md").read_text(encoding="utf-8")
    for name in ("case", "year", "assignment", "manifest"):
        assert schema_fields_markdown(name) in docs, f"docs/exchange.md 中{name}的字段表与 Schema 不一致"


# --- the export -------------------------------------------------------------------------------------------


def _hashes(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_the_export_writes_files_whose_manifest_hashes_match_and_that_validate(w, decided, tmp_path):
    out = tmp_path / "2026"
    call_command("exchange", "export", "--year", "2026", "--out", str(out))

    manifest = json.loads((out / "manifest.json").read_bytes())
    assert manifest["counts"] == {"case": 1, "decision": 1, "year": 1, "schema": len(SCHEMA_NAMES)}
    for entry in manifest["files"]:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
    assert (out / "manifest.json.sha256").read_text() == (
        f"{hashlib.sha256((out / 'manifest.json').read_bytes()).hexdigest()}  manifest.json\n"
    )
    assert exchange_export_check(directory=out) == []
    documents = [str(out / e["path"]) for e in manifest["files"] if e["format"] != "json-schema"]
    call_command("exchange", "validate", *documents, str(out / "manifest.json"))

    # A file changed after the export is named.
    changed = next(e["path"] for e in manifest["files"] if e["path"].startswith("cases/"))
    (out / changed).write_bytes((out / changed).read_bytes().replace(b"3000", b"300"))
    assert exchange_export_check(directory=out) == [f"{changed}：内容与清单记录的SHA-256不符"]
    with pytest.raises(CommandError, match="导出目录与清单不符：1个问题"):
        call_command("exchange", "check", str(out))


def test_the_same_records_export_to_the_same_bytes_and_a_second_run_replaces_the_folder(w, decided, tmp_path):
    root = tmp_path / "exchange"
    first = exchange_export(year=YEAR, out=root / "a")
    second = exchange_export(year=YEAR, out=root / "b")
    assert _hashes(root / "a") == _hashes(root / "b")
    assert first.manifest_sha256 == second.manifest_sha256

    (root / "a" / "stray.json").write_text("{}", encoding="utf-8")
    exchange_export(year=YEAR, out=root / "a")
    assert _hashes(root / "a") == _hashes(root / "b")
    assert sorted(p.name for p in root.iterdir()) == ["a", "b"]  # no staging folder left behind


def test_a_document_that_fails_its_schema_stops_the_export_and_the_folder_keeps_what_it_held(w, decided, tmp_path):
    root = tmp_path / "exchange"
    exchange_export(year=YEAR, out=root / "2026")
    before = _hashes(root / "2026")
    # A credit code the registry would refuse, written past it.
    Agency.objects.filter(pk=w.agency.pk).update(credit_code="91150626BAD")

    with pytest.raises(ExchangeExportError) as refused:
        exchange_export(year=YEAR, out=root / "2026")

    problems = refused.value.problems
    assert any(p.startswith(f"{decided.number}：/agency/credit_code：（执法主体统一社会信用代码）格式不正确")
               for p in problems)
    assert any(p.startswith("2026：/agencies/") for p in problems)  # the year's line of the agency too
    assert _hashes(root / "2026") == before
    assert [p.name for p in root.iterdir()] == ["2026"]
    with pytest.raises(CommandError, match="未写入任何文件"):
        call_command("exchange", "export", "--year", "2026", "--out", str(root / "2026"))


def test_the_export_refuses_to_replace_a_folder_that_is_not_an_export_or_holds_the_data_folder(tmp_path):
    """`--out` naming the data folder, a folder containing it, or any folder that is not empty and
    not a previous export is refused, and nothing in it is touched (review r1, F6)."""
    data = tmp_path / "county"  # a data folder (the settings' own is tmp_path / "data")
    (data / "evidence").mkdir(parents=True)
    (data / "sanxiang.sqlite3").write_bytes(b"the county's database")
    (data / "ledger_ed25519.key").write_bytes(b"key")
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    with override_settings(DATA_DIR=data):
        for out in (data, tmp_path, tmp_path.parent):  # the data folder itself, and a folder containing it
            with pytest.raises(ExchangeExportError, match="数据目录"):
                exchange_export(year=YEAR, out=out)
        with pytest.raises(CommandError, match="未写入任何文件"):
            call_command("exchange", "export", "--year", "2026", "--out", str(data))
    # Another installation's data folder (not this one's), or one with a manifest.json dropped in.
    with pytest.raises(ExchangeExportError, match="不是以前的交换数据导出"):
        exchange_export(year=YEAR, out=data)
    (data / "manifest.json").write_text('{"format": "sanxiang.exchange.manifest"}', encoding="utf-8")
    with pytest.raises(ExchangeExportError, match="导出以外的内容"):
        exchange_export(year=YEAR, out=data)
    (data / "manifest.json").unlink()
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before
    # A file where the folder should be is refused too; an empty folder is used.
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(ExchangeExportError, match="不是目录"):
        exchange_export(year=YEAR, out=tmp_path / "file")
    (tmp_path / "empty").mkdir()
    assert exchange_export(year=YEAR, out=tmp_path / "empty").directory == tmp_path / "empty"
    assert (tmp_path / "empty" / "manifest.json").is_file()


def test_a_year_is_a_four_digit_number(tmp_path):
    with pytest.raises(CommandError, match="年度“２０２６”不正确"):
        call_command("exchange", "export", "--year", "２０２６", "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_the_daily_job_exports_the_year_and_in_january_the_year_before(w, decided, tmp_path):
    tmp_path = tmp_path / "exchange"
    with override_settings(EXCHANGE_DIR=str(tmp_path)):
        summary = exchange_daily(D(2026, 4, 1))
        assert summary == "导出交换数据：2026年：案件1件、决定1项、年度数据1份"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["2026"]
        exchange_daily(D(2027, 1, 5))
        assert sorted(p.name for p in tmp_path.iterdir()) == ["2026", "2027"]
        assert exchange_export_check(directory=tmp_path / "2027") == []


# --- import of assignments from above ------------------------------------------------------------------


def assignment(w, **changes):
    bureau = w.supervisor.agency
    return {
        "format": "sanxiang.exchange.assignment", "format_version": 1, "source": "assigned",
        "assigning_body": "内蒙古自治区司法厅", "assigning_reference": "内司交〔2026〕12号",
        "received_on": "2026-03-20", "subject": "核查乌审旗市场监督管理局食品案件的处罚裁量",
        "summary": "请于30日内核查并报告结果。", "bureau_credit_code": bureau.credit_code,
        "agency_credit_code": w.agency.credit_code,
    } | changes


def test_an_assignment_from_above_becomes_a_ledgered_supervision_matter_once(w):
    before = Entry.objects.filter(kind=EventKind.SUPERVISION_MATTER_OPENED).count()

    result = assignment_import(actor=None, document=assignment(w))

    matter = result.matter
    assert result.created
    assert (matter.source, matter.agency, matter.bureau) == ("assigned", w.agency, w.supervisor.agency)
    assert (matter.assigning_body, matter.assigning_reference) == ("内蒙古自治区司法厅", "内司交〔2026〕12号")
    assert matter.received_on == D(2026, 3, 20)
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_MATTER_OPENED).count() == before + 1

    again = assignment_import(actor=None, document=assignment(w))
    assert (again.created, again.matter.pk) == (False, matter.pk)
    assert Matter.objects.count() == 1
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_MATTER_OPENED).count() == before + 1


def test_a_bad_assignment_is_refused_with_every_reason_and_writes_nothing(w, tmp_path):
    bad = assignment(w, received_on="2026-02-30", subject="")
    del bad["assigning_reference"]
    with pytest.raises(Refused) as refused:
        assignment_import(actor=None, document=bad)
    messages = [v.message for v in refused.value.violations]
    assert "/assigning_reference：缺少必填字段“assigning_reference”（交办文号）" in messages
    assert "/subject：（事由）不能为空" in messages
    assert any(m.startswith("/received_on：（收到日期）不是有效的日期") for m in messages)
    assert all(v.legal_basis.startswith("平台规则") for v in refused.value.violations)

    unknown = assignment(w, agency_credit_code="91150626MA0N000008", bureau_credit_code=w.agency.credit_code)
    with pytest.raises(Refused) as refused:
        assignment_import(actor=None, document=unknown)
    assert [v.field for v in refused.value.violations] == ["bureau_credit_code", "agency_credit_code"]
    assert Matter.objects.count() == 0

    path = tmp_path / "assignment.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="1个文件中有1个未导入"):
        call_command("exchange", "import", str(path))
    assert Matter.objects.count() == 0


def test_the_import_command_registers_the_assignment(w, tmp_path, capsys):
    path = tmp_path / "assignment.json"
    path.write_text(json.dumps(assignment(w), ensure_ascii=False), encoding="utf-8")
    call_command("exchange", "import", str(path))
    matter = Matter.objects.get()
    assert f"已登记监督事项 {matter.number}" in capsys.readouterr().out


def test_publication_status_values_are_those_of_the_schema():
    schema = schema_load("decision")
    assert set(schema["properties"]["status"]["enum"]) == set(PublicationStatus.values)


def test_a_natural_persons_name_in_the_case_title_leaves_as_masked_as_the_party(w):
    """The case title commonly names the party: until the decision is published (and after it is
    withdrawn) the document shows him as 刘某某 there too, as in its party."""
    person = registry.party_create(
        actor=None, agency=w.agency, kind="natural_person", name="刘建国", id_type="resident_id_card",
        id_number=id_number(birth=D(1980, 5, 20)), address="乌审旗嘎鲁图镇",
    )
    case = to_decided(w, lead_make(w, party=person, title="刘建国涉嫌经营超过保质期的食品案"))
    before = case_document_build(case=case)
    assert before["case"]["title"] == "刘某某涉嫌经营超过保质期的食品案"
    assert "刘建国" not in exchange_json(before).decode()
    draft = PublicationDraft.objects.get(case=case)
    publication_approve(actor=w.head, draft=draft, on=PUBLISHED_ON)
    assert case_document_build(case=case)["case"]["title"] == "刘建国涉嫌经营超过保质期的食品案"
    publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=PUBLISHED_ON,
                                statement="经行政复议，原处罚决定被撤销。", on=PUBLISHED_ON)
    after = case_document_build(case=case)
    assert after["case"]["title"] == "刘某某涉嫌经营超过保质期的食品案" and "刘建国" not in exchange_json(after).decode()
