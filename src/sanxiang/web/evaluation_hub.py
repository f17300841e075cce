"""考核评估: one entry of the navigation for the assessment pages of the plan (indicators and the
dashboard, the targets, monthly reports, system documents, training, summaries and acceptance, annual
statistics, scheduled work), and the small page it leads to, which lists the pages the user may open
with how many things wait on each (the inbox's groups, built once per request as on the supervision
hub). A bounded number of queries whatever the number of rows."""

from __future__ import annotations

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.accounts.permissions import user_reads_all_agencies
from sanxiang.evaluation import report_inbox
from sanxiang.evaluation.indicators import user_reads_indicators
from sanxiang.evaluation.report_selectors import user_is_supervisor
from sanxiang.evaluation.target_selectors import user_reads_targets
from sanxiang.inbox.selectors import REMINDER, Inbox
from sanxiang.web.supervision_hub import HubEntry, hub_entries


def evaluation_hub_entries(*, user: User, inbox: Inbox) -> list[HubEntry]:
    """The assessment pages `user` may open, in the order of the plan, each with what waits there.
    The rules are those of each page's own view (a link here never leads to a refusal).
    Each part adds its page here: (url name, label, description, allowed, inbox kinds)."""
    pages = [
        ("evaluation:dashboard", "数据看板", "指标、月度趋势、单位排名和逾期预警的图表，可导出 Excel",
         user_reads_indicators(user), ()),
        ("evaluation:indicators", "执法指标", "按单位和期间从执法记录计算的三项制度指标，逐项可查明细",
         user_reads_indicators(user), ()),
        ("evaluation:targets", "实施目标", "全面实行三项制度的单位占比、目标和期限，以及未达到的单位和原因",
         user_reads_targets(user), ()),
        ("evaluation:report_list", "工作月报", "各单位每月25日前报送的工作推进情况月报",
         user.role == Role.SUPERVISOR or user.role in AGENCY_ROLES, (report_inbox.REPORTS,)),
        ("evaluation:document_checklist", "制度文件", "制度、清单、服务指南、流程图和执法工作手册的报送和审查",
         True, ()),
        ("evaluation:training_list", "培训", "培训场次、学时和执法人员年度学时", True, ()),
        ("evaluation:summary_list", "工作总结", "各单位每年报送司法局的“三项制度”工作总结",
         user.role == Role.SUPERVISOR or user.role in AGENCY_ROLES, ()),
        ("evaluation:campaign_list", "案卷评查", "评查活动：各机关自查、随机抽取案卷、互查评分和评查结果", True, ()),
        ("evaluation:acceptance", "验收", "司法局对各单位的验收评分、结论和验收结果", user_is_supervisor(user), ()),
        ("evaluation:work_report", "工作报告", "全县“三项制度”工作报告（报旗人民政府），数据可查明细",
         user_is_supervisor(user), ()),
        ("evaluation:casefile_standards", "案卷评查标准",
         "行政处罚、行政强制等案卷的评查项目、分值和单项否决项；案件页面显示本案的自动评分", True, ()),
        ("evaluation:reminder_list", "提醒", "证件到期、报告和文件到期等提醒", True, (REMINDER,)),
        ("publication:annual", "年度执法数据", "上年度行政执法数据和情况说明，1月31日前向社会公开",
         user_reads_all_agencies(user) or (user.role in AGENCY_ROLES and user.agency_id is not None), ()),
        ("evaluation:schedule", "定时任务", "平台定时运行的工作及其运行记录", user_reads_all_agencies(user), ()),
    ]
    return hub_entries(pages, inbox=inbox)
