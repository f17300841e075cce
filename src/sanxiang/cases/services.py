from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require, user_can_manage_parties
from sanxiang.cases import events
from sanxiang.cases.models import Case
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Agency, Matter


@transaction.atomic
def case_create(*, actor: User | None, agency: Agency, number: str, title: str, matter: Matter | None = None) -> Case:
    if actor is not None:
        permission_require(user_can_manage_parties(actor, agency.pk), "只有本单位人员可以登记案件")
    violations = []
    if not number.strip():
        violations.append(Violation("case.number_missing", "请填写案号", "数据校验", "number"))
    elif Case.objects.filter(number=number.strip()).exists():
        violations.append(Violation("case.number_taken", f"案号“{number}”已被使用", "数据校验", "number"))
    if not title.strip():
        violations.append(Violation("case.title_missing", "请填写案由", "数据校验", "title"))
    if matter is not None and matter.agency_id != agency.pk:
        violations.append(Violation("case.matter_agency", "执法事项不属于本执法主体", "《中华人民共和国行政处罚法》第十七条", "matter"))
    if violations:
        raise Refused(violations)
    case = Case.objects.create(agency=agency, number=number.strip(), title=title.strip(), matter=matter, created_by=actor)
    entry_append(event=events.case_opened_event(case=case), actor=actor)
    return case
