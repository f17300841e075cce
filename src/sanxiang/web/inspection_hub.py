"""行政检查: one entry of the navigation for the inspection pages (the day's inspections of part B;
the registers, plans and draws of part A, reached from the agency's or the county's inspection page;
the inspection frequency per enterprise in the annual statistics), and the small page it leads to,
which lists the pages the user may open (the shared `web/hub.html`). A bounded number of queries
whatever the number of rows: the inbox's, as on the other hubs."""

from __future__ import annotations

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.accounts.permissions import user_reads_all_agencies
from sanxiang.inbox.selectors import Inbox
from sanxiang.web.supervision_hub import HubEntry, hub_entries


def user_has_inspection_pages(user: User) -> bool:
    """Whether the navigation shows the entry: the agency's staff and those who read every agency."""
    return user_reads_all_agencies(user) or (user.role in AGENCY_ROLES and user.agency_id is not None)


def inspection_hub_entries(*, user: User, inbox: Inbox) -> list[HubEntry]:
    """The inspection pages `user` may open, in the order of the work. The rules are those of each
    page's own view (a link here never leads to a refusal)."""
    county = user_reads_all_agencies(user)
    agency_staff = user.role in AGENCY_ROLES and user.agency_id is not None
    pages = [
        ("inspection:today", "今日检查", "今天的检查任务、待批准的检查和待公示的抽查结果",
         user.officer_id is not None or user.role == Role.AGENCY_HEAD, ()),
        ("inspection:home", "双随机一公开",
         "各执法主体的抽查事项清单、检查对象名录、年度检查计划和随机抽取" if county
         else "本单位的抽查事项清单、检查对象名录、年度检查计划和随机抽取",
         county or agency_staff, ()),
        ("inspection:frequency", "检查频次统计", "每个企业一年内被检查的次数（一次、两次、三次及以上），逐项可查明细",
         county or agency_staff, ()),
    ]
    return hub_entries(pages, inbox=inbox)
