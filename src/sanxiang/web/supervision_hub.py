"""行政执法监督: one entry of the navigation for every supervision page, and the small page it leads to
(the hub), which lists the pages the user may open with how many things wait on each. The counts are
the inbox's groups (`web.inbox`, built once per request, which the navigation's count then reuses):
each number opens the inbox's list of those records. A bounded number of queries whatever the number
of rows: the inbox's, and at most one more (whether an administrator's agency is a judicial bureau)."""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.accounts.models import Role, User
from sanxiang.inbox.selectors import COMPLAINT, Inbox, InboxGroup
from sanxiang.supervision import inbox as supervision_inbox
from sanxiang.supervision import matter_inbox
from sanxiang.supervision.complaint_selectors import user_reads_complaints
from sanxiang.supervision.instrument_selectors import user_is_agency_staff, user_is_supervisor


@dataclass(frozen=True)
class HubEntry:
    url_name: str
    label: str
    description: str
    waiting: tuple[InboxGroup, ...]  # the inbox's groups of this page (with their counts)

    @property
    def waiting_total(self) -> int:
        return sum(group.count for group in self.waiting)


def _reads_supervisor_register(user: User) -> bool:
    if user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        return True
    return user.role == Role.AGENCY_ADMIN and user.agency is not None and user.agency.is_judicial_bureau


def supervision_hub_entries(*, user: User, inbox: Inbox) -> list[HubEntry]:
    """The supervision pages `user` may open, in the order of the work, each with what waits there.
    The rules are those of each page's own view (a link here never leads to a refusal)."""
    supervisor = user_is_supervisor(user)
    agency_staff = user_is_agency_staff(user)
    sysadmin = user.role == Role.SYSTEM_ADMIN
    pages = [
        ("supervision:desk", "监督事项", "司法局办理的监督事项：受理、调阅案卷、约谈、挂牌督办等"
         if supervisor else "司法局对本单位开展的监督事项", supervisor or sysadmin or user.agency_id is not None,
         (matter_inbox.MATTERS,)),
        ("supervision:complaint_list", "投诉举报", "群众投诉举报、12345热线和涉企诉求线索",
         user_reads_complaints(user), (COMPLAINT,)),
        ("supervision:instrument_list", "监督文书", "督办函、意见书、建议书和决定书，整改报告和异议",
         supervisor or agency_staff or sysadmin,
         (supervision_inbox.INSTRUMENT_WAITING, supervision_inbox.INSTRUMENT_OVERDUE)),
        ("supervision:filing_list", "重大决定备案", "重大行政处罚、行政强制决定的备案和审查",
         user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN, Role.AGENCY_HEAD, Role.AGENCY_ADMIN),
         (supervision_inbox.FILING,)),
        ("supervision:coordination_list", "执法协调", "重大复杂问题和职责争议的协调",
         user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN, Role.AGENCY_HEAD, Role.AGENCY_ADMIN),
         (supervision_inbox.COORDINATION,)),
        ("supervision:notice_list", "通报", "司法局的通报（内部通报和公开通报）",
         supervisor or agency_staff or sysadmin, (supervision_inbox.NOTICE_WAITING,)),
        ("supervision:proposal_list", "处理执法人员建议", "建议有权机关处理执法人员及其决定",
         supervisor or sysadmin or user.role == Role.AGENCY_HEAD, ()),
        ("supervision:referral_list", "问题线索移送", "向监察机关移送的问题线索", supervisor, ()),
        ("supervision:plan_list", "监督工作计划", "年度行政执法监督工作计划及其执行情况",
         supervisor or sysadmin, ()),
        ("supervision:evaluation_list", "执法质效评议", "评议方案、评议标准、评分和评议结果",
         supervisor or sysadmin, ()),
        ("registry:supervisor_list", "监督人员", "行政执法监督人员名册和监督检查证",
         _reads_supervisor_register(user), ()),
    ]
    return hub_entries(pages, inbox=inbox)


def hub_entries(pages: list[tuple[str, str, str, bool, tuple[str, ...]]], *, inbox: Inbox) -> list[HubEntry]:
    """The allowed pages of a hub, each (url name, label, description, allowed, inbox kinds), with
    the inbox's groups of those kinds that have something waiting."""
    return [
        HubEntry(url_name=name, label=label, description=description,
                 waiting=tuple(g for g in (inbox.group(kind) for kind in kinds) if g is not None and g.count))
        for name, label, description, allowed, kinds in pages
        if allowed
    ]
