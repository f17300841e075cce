"""GET /api/procedures and /api/procedures/{key}: every procedure of the catalogue, read-only, as
the engine and the steps declare it (states, steps with their states or sources → target, roles in
Chinese, fields, documents, records and the flowchart). The list is checked against the catalogue
itself, so it grows with it."""

import re

import pytest

from sanxiang.accounts.models import Role
from sanxiang.documents import ALL_DOCUMENT_KINDS
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.engine import procedure_mermaid
from sanxiang.procedure.roles import ROLE_LABELS
from tests.api.support import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return user_make(role=Role.OFFICER, agency=agency_make())


def test_the_list_holds_every_registered_procedure_as_the_catalogue_declares_it(client, officer):
    response = client.get("/api/procedures", **bearer(officer))
    assert response.status_code == 200
    listed = response.json()
    assert [p["key"] for p in listed] == list(procedures_all())
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    for described in listed:
        spec = procedures_all()[described["key"]]
        engine = spec.engine
        assert (described["label"], described["act_kind"], described["act_kind_label"]) == (
            spec.label, spec.act_kind, spec.act_label)
        assert described["initial"] == engine.initial
        assert described["states"] == [{"name": s.name, "label": s.label, "final": s.final} for s in engine.states]
        assert described["record_kinds"] == [{"name": k.name, "label": k.label} for k in engine.record_kinds]
        assert described["mermaid"] == procedure_mermaid(engine)
        assert {a["name"] for a in described["audio_video"]} == set(spec.audio_video_steps)
        assert [s["action"] for s in described["steps"]] == [s.name for s in spec.steps]
        for out, step in zip(described["steps"], spec.steps, strict=True):
            if step.transition:
                transition = engine.transition(step.name)
                assert (out["kind"], out["states"], out["target"]) == ("transition", list(transition.sources),
                                                                       transition.target)
                assert out["legal_basis"] == transition.legal_basis
            else:
                assert (out["kind"], out["states"], out["target"]) == ("record", list(step.states), None)
            expected_roles = ROLE_LABELS.values() if step.roles is None else [ROLE_LABELS[r] for r in step.roles]
            assert sorted(out["roles"]) == sorted(expected_roles)
            assert out["documents"] == [ALL_DOCUMENT_KINDS[kind].title for kind, _ in step.documents]
            assert [f["name"] for f in out["fields"]] == [f.name for f in step.fields]
            assert out["data_schema"] in schemas


def test_one_procedure_shows_its_steps_roles_fields_and_documents_in_chinese(client, officer):
    response = client.get("/api/procedures/ordinary", **bearer(officer))
    assert response.status_code == 200
    ordinary = response.json()
    assert (ordinary["label"], ordinary["act_kind_label"], ordinary["initial"]) == ("普通程序", "行政处罚", "lead")
    assert {"name": "archived", "label": "已归档", "final": True} in ordinary["states"]
    steps = {s["action"]: s for s in ordinary["steps"]}
    approve = steps["approve_opening"]
    assert (approve["label"], approve["kind"], approve["states"], approve["target"], approve["roles"]) == (
        "负责人审批立案", "record", ["lead"], None, ["机关负责人"])
    opening = steps["open"]
    assert (opening["kind"], opening["states"], opening["target"], opening["documents"]) == (
        "transition", ["lead"], "opened", ["立案审批表"])
    assert opening["roles"] == ["执法人员", "法制审核人员", "机关负责人", "单位管理员"]
    assert opening["fields"][0] == {
        "name": "source", "label": "案件来源", "kind": "choice", "required": True, "help": "",
        "choices": [{"value": "inspection", "label": "监督检查"}, {"value": "complaint", "label": "投诉举报"},
                    {"value": "assigned", "label": "上级交办"}, {"value": "transferred", "label": "其他机关移送"},
                    {"value": "other", "label": "其他"}],
    }
    assert opening["legal_basis"].startswith("《中华人民共和国行政处罚法》")
    assert {"name": "inquiry", "label": "音像记录（询问）"} in ordinary["audio_video"]
    assert ordinary["mermaid"].startswith("stateDiagram-v2\n") and "lead --> opened : 立案" in ordinary["mermaid"]
    # What people read is Chinese: no role, state or document is shown by its internal name.
    shown = [*approve["roles"], *opening["roles"], *opening["documents"], *(s["label"] for s in ordinary["states"])]
    assert all(re.search(r"[a-z_]{3,}", text) is None for text in shown)


def test_any_agency_role_and_the_supervisors_read_it_and_nobody_anonymous(client, officer):
    bureau = agency_make(is_judicial_bureau=True)
    for role, agency in ((Role.REVIEWER, officer.agency), (Role.AGENCY_HEAD, officer.agency),
                         (Role.AGENCY_ADMIN, officer.agency), (Role.SUPERVISOR, bureau)):
        assert client.get("/api/procedures/summary", **bearer(user_make(role=role, agency=agency))).status_code == 200
    anonymous = client.get("/api/procedures")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthenticated"
    missing = client.get("/api/procedures/no_such_procedure", **bearer(officer))
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "不存在"}, "violations": []}
