"""A small hand-built county for the plan's targets (issue 15, item 3), whose result is known.

Judged on `on` (the records are dated from it, so the pages can judge "today"):

- 甲局: a penalty matter, published and current; every 制度文件 submitted; a decision published on
  time, a major decision reviewed, a hearing recorded: fully applies the three systems;
- 乙局: a penalty matter added after the publicity was generated (not published), a decision
  published late; documents submitted: held back by 事前公开 and 按期公开;
- 丙局: no matter and no case of any kind: not counted (无此类执法);
- 丁局: a coercion matter and a permit matter, published; no 制度文件: held back by 制度文件 in both
  kinds (the permit's case criteria are not applicable: the platform has no permit procedure);
- 外县戊局: another county's agency, never shown.

Counted 3 (甲、乙、丁), fully applying 1 (甲): 33.3%."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sanxiang.accounts.models import Role, User
from sanxiang.evaluation.document_services import system_document_submit
from sanxiang.procedure.evaluation.documents import DocumentKind
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services
from sanxiang.registry.models import Agency
from tests.evaluation.indicator_support import _case, document_make, draft_make, evidence_make, tally_make
from tests.factories import agency_make, user_make
from tests.supervision.support import supervisor_user_make

BASES = [{"law": "《中华人民共和国行政处罚法》", "article": "第九条"}]


class Upload(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name
        self.size = len(content)


@dataclass
class TargetCounty:
    on: dt.date
    bureau: Agency
    a: Agency
    b: Agency
    c: Agency
    d: Agency
    far: Agency
    supervisor: User
    head_a: User
    head_b: User
    head_d: User
    officer_a: User


def matter_make(agency: Agency, code: str, name: str, kind: str):
    return services.matter_create(
        actor=None, agency=agency, code=code, name=name, kind=kind, legal_bases=BASES
    )


def documents_submit(head: User, on: dt.date) -> None:
    for kind in DocumentKind:
        system_document_submit(
            actor=head,
            kind=kind.value,
            title=f"{head.agency.name}{kind.value}",
            public=False,
            upload=Upload(b"%PDF-1.4\n%%EOF\n", "制度.pdf"),
            on=on,
        )


def county_make(on: dt.date) -> TargetCounty:
    bureau = agency_make(name="测试旗司法局", is_judicial_bureau=True)
    a, b, c, d = (agency_make(name=name) for name in ("甲局", "乙局", "丙局", "丁局"))
    far = agency_make(name="外县戊局", region_code="150627")
    supervisor = supervisor_user_make(bureau=bureau)
    heads = [user_make(role=Role.AGENCY_HEAD, agency=x) for x in (a, b, d)]
    officer_a = user_make(role=Role.OFFICER, agency=a)
    matter_make(a, "A-1", "甲处罚事项", "penalty")
    matter_make(b, "B-1", "乙处罚事项", "penalty")
    matter_make(d, "D-1", "丁查封扣押事项", "coercion")
    matter_make(d, "D-2", "丁许可事项", "permit")
    matter_make(far, "E-1", "戊处罚事项", "penalty")
    public_registry_refresh(on=on)
    matter_make(b, "B-2", "乙新增事项", "penalty")  # after the publicity was generated
    documents_submit(heads[0], on)
    documents_submit(heads[1], on)
    days = dt.timedelta
    draft_make(a, due=on - days(20), published=on - days(21))
    tally_make(a, on=on - days(10))
    hearing = _case(a, "听证案件")
    document_make(hearing, record_kind="hearing_transcript", on=on - days(5), user=officer_a)
    evidence_make(
        hearing, step="hearing", kind="video", content_type="video/mp4", on=on - days(5), user=officer_a
    )
    draft_make(b, due=on - days(20), published=on - days(15))
    draft_make(far, due=on - days(20), published=on - days(15))
    return TargetCounty(on, bureau, a, b, c, d, far, supervisor, heads[0], heads[1], heads[2], officer_a)
