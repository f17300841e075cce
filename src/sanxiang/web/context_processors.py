from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from sanxiang.access.permissions import user_can_read_access_log
from sanxiang.accounts.models import Role
from sanxiang.accounts.permissions import user_reads_all_agencies
from sanxiang.outbox.selectors import user_manages_subscriptions
from sanxiang.review.permissions import (
    user_can_read_parameters,
    user_can_read_review_supervision,
    user_has_review_desk,
)
from sanxiang.web.inbox import request_inbox_count
from sanxiang.web.inspection_hub import user_has_inspection_pages

# Pages of other apps that the assessment hub (web.evaluation_hub) lists: the navigation marks its entry.
EVALUATION_HUB_PAGES = frozenset({"publication:annual"})


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = [("web:home", _("工作台")), ("web:inbox", _("待办"))]
    if user_reads_all_agencies(user):
        nav += [
            ("registry:agency_list", _("执法主体")),
            ("registry:team_overview", _("队伍建设")),
        ]
    else:
        nav += [("registry:agency_mine", _("本单位"))]
    nav += [
        ("cases:case_list", _("案件")),
        ("registry:officer_list", _("执法人员")),
        ("registry:matter_list", _("执法事项")),
        ("registry:party_list", _("当事人")),
        ("evidence:record_index", _("证据材料")),
        # Everyone reads the holidays and adjusted working days their deadlines count with; the
        # supervisors and system administrators also enter them there.
        ("calendar:holiday_year_list", _("节假日安排")),
    ]
    if user.officer_id is not None:
        nav.append(("registry:officer_card_mine", _("我的执法证")))
    # issue 17: every inspection page (the day's inspections, registers, plans, draws) from one page.
    if user_has_inspection_pages(user):
        nav.append(("web:inspection_hub", _("行政检查")))
    if user_has_review_desk(user):
        nav.append(("review:desk", _("法制审核")))
    nav.append(("review:catalogue_index", _("审核目录清单")))
    if user_can_read_review_supervision(user):
        nav.append(("review:supervision", _("法制审核统计")))
    if user_can_read_parameters(user):
        nav.append(("review:parameters", _("待核实参数")))
    # issue 14: every supervision page (matters, complaints, instruments, filings, coordination, 通报,
    # proposals, referrals, the supervisors' register) is reached from one page that shows what waits.
    nav.append(("web:supervision_hub", _("行政执法监督")))
    nav += [
        ("publication:drafts", _("执法公示")),
        ("publication:dual_publicity", _("双公示数据")),
    ]
    # issue 15: every assessment page (indicators, targets, monthly reports, system documents,
    # training, summaries and acceptance, annual statistics, scheduled work) is reached from one page;
    # the annual statistics (publication:annual) are one of them.
    nav.append(("web:evaluation_hub", _("考核评估")))
    if user_can_read_access_log(user):
        nav.append(("access:log_list", _("访问记录")))
    if user.role in (Role.AGENCY_ADMIN, Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        nav.append(("registry:import", _("导入导出")))
    if user.role in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        nav.append(("accounts:users", _("账号管理")))
    nav.append(("accounts:tokens", _("接口令牌")))
    if user_manages_subscriptions(user):  # issue 19: events for other systems (webhooks)
        nav.append(("outbox:index", _("事件推送")))
    # Each entry is (url name, label, badge): the badge is a count shown beside the label (None: none).
    # The inbox's count is read when a page shows the navigation, once per request.
    badges = {"web:inbox": SimpleLazyObject(lambda: request_inbox_count(request) or None)}
    # A page of the supervision or the evaluation app is under its hub's entry (the navigation marks it as current).
    match = getattr(request, "resolver_match", None)
    hubs = {"supervision": "web:supervision_hub", "evaluation": "web:evaluation_hub",
            "inspection": "web:inspection_hub"}
    section = hubs.get(match.namespace, "") if match is not None else ""
    if match is not None and match.view_name in EVALUATION_HUB_PAGES:
        section = "web:evaluation_hub"  # a page of another app listed on the assessment hub
    return {
        "nav_section": section,
        "nav": [(name, label, badges.get(name)) for name, label in nav],
        "role_label": user.get_role_display(),
    }
