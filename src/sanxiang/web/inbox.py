"""The inbox (待办): what waits for the user, by kind, composed from the apps' selectors.

Who sees what follows the roles of the steps (`procedure.roles`) and the publication rule:

- 立案审批 and 集体讨论: the agency head (`review.selectors.case_queues`);
- 法制审核: the reviewer the request is assigned to (or every reviewer of the agency while it is
  assigned to nobody);
- 公示审核: whoever approves publication drafts (`publication.permissions.user_can_publish`);
- deadlines near or past: the officers of the case (`cases.selectors.deadline_rows_waiting`);
- fines overdue: the officers of the case, and the agency head for every case of the agency.

Supervision instruments (督办函、意见书 …): to answer or overdue for the agency's staff; reports to
read, objections to answer and replies overdue for the supervisors (`supervision.inbox`).

Reminders (提醒; issue 15, item 9): certificates expiring, reports and documents due, training
short, for the user or their role in their agency (`evaluation.reminder_selectors`); each can be
dismissed (知悉) from the inbox. One query more for the rows and one for the count.

The inbox and its count read stored rows (the case projection's deadlines, the cases' stored
facts, the drafts, the instruments), a fixed number of queries whatever the number of cases: the
count in the navigation at most five (three for the cases' kinds, one for the instruments, one for
the reminders), and none more when the page already built the inbox (both are kept on
the request).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import CaseDeadline
from sanxiang.cases.selectors import deadline_rows_waiting, deadline_rows_waiting_count
from sanxiang.evaluation import report_inbox  # issue 15, item 4
from sanxiang.evaluation.reminder_selectors import reminders_waiting, reminders_waiting_count  # issue 15
from sanxiang.procedure.evaluation.reminders import REMINDER_KIND_LABELS
from sanxiang.procedure.evaluation.reports import report_overdue
from sanxiang.publication.selectors import drafts_awaiting_approval
from sanxiang.review.selectors import CaseQueues, WaitingCase, case_queues
from sanxiang.supervision import inbox as supervision_inbox  # issue 14
from sanxiang.supervision import matter_inbox  # issue 14, part A

OPENING = "opening"
REVIEW = "review"
DISCUSSION = "discussion"
PUBLICATION = "publication"
DEADLINE = "deadline"
FINE = "fine"
COMPLAINT = "complaint"  # issue 14, part D
REMINDER = "reminder"  # issue 15, item 9
KIND_LABELS: dict[str, str] = {
    OPENING: "立案审批",
    REVIEW: "法制审核",
    DISCUSSION: "集体讨论",
    PUBLICATION: "公示审核",
    DEADLINE: "即将到期或者已逾期的期限",
    FINE: "逾期未缴纳的罚款",
    COMPLAINT: supervision_inbox.COMPLAINT_KIND_LABEL,
    supervision_inbox.FILING: supervision_inbox.FILING_LABEL,
    supervision_inbox.COORDINATION: supervision_inbox.COORDINATION_LABEL,
    matter_inbox.MATTERS: matter_inbox.MATTERS_LABEL,
} | supervision_inbox.KIND_LABELS | {report_inbox.REPORTS: report_inbox.REPORTS_LABEL, REMINDER: "提醒"}
# How many items of each kind the inbox's overview and the home pages show (each group's count
# opens all of them).
SHOWN_ON_INBOX = 10
SHOWN_ON_HOME = 3
# How many items a page of one kind (`?kind=`) lists; the pager opens the others (a platform
# rule of the pages, not of the law).
INBOX_PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxItem:
    what: str  # the step or the deadline that waits
    number: str  # the case's number (案号)
    title: str  # the case's title (案由)
    url: str
    since_label: str
    since: dt.date
    due: dt.date | None = None
    overdue: bool = False
    estimated: bool = False
    detail: str = ""
    due_note: str = ""  # 已逾期3日 | 今日到期 | 还有2日
    dismiss_url: str = ""  # a reminder: where to POST "知悉"


def _due_note(due: dt.date | None, on: dt.date) -> str:
    if due is None:
        return ""
    days = (due - on).days
    if days < 0:
        return f"已逾期{-days}日"
    return "今日到期" if days == 0 else f"还有{days}日"


class ItemsRead(Sequence):
    """A kind's items read from the database a slice at a time: their number by one COUNT (once),
    a slice (the first few a page shows, a page of `?kind=`) by one query with a LIMIT, each row
    made an item by `item`. For a kind whose rows can pile up by the thousand (drafts waiting for
    publication approval: 5,878 in one agency of the county grown to 100,000 cases, which the
    inbox read whole, 0.6 s of CPU on every page of the head), so that a page reads what it shows."""

    def __init__(self, queryset, item: Callable[[Any], InboxItem]) -> None:
        self._queryset = queryset
        self._item = item
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._queryset.count()
        return self._count

    def __iter__(self):
        return (self._item(row) for row in self._queryset)  # all of them, in one query

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._item(row) for row in self._queryset[index]]
        return self._item(self._queryset[index])


@dataclass(frozen=True)
class InboxGroup:
    kind: str
    items: Sequence[InboxItem]  # a tuple, or ItemsRead (a template shows a slice: `|slice:shown`)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Inbox:
    on: dt.date
    groups: tuple[InboxGroup, ...]  # the kinds that concern the user, in KIND_LABELS' order

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def groups_waiting(self) -> tuple[InboxGroup, ...]:
        """The groups with something in them (what a home lists)."""
        return tuple(g for g in self.groups if g.items)

    def group(self, kind: str) -> InboxGroup | None:
        return next((g for g in self.groups if g.kind == kind), None)


def inbox_group_page(group: InboxGroup, number: str | int | None) -> Page:
    """One page of a kind's items (`INBOX_PAGE_SIZE`): a page number that is no number or out of
    range gives the first or the last page. The items are those the inbox already holds: a page
    costs no query."""
    return Paginator(group.items, INBOX_PAGE_SIZE).get_page(number)


def inbox_kinds(user: User) -> tuple[str, ...]:
    """The kinds of work that can wait for this user, in the inbox's order."""
    kinds: list[str] = []
    if not user.is_authenticated:
        return ()
    if user.role == Role.AGENCY_HEAD and user.agency_id is not None:
        kinds += [OPENING, DISCUSSION]
    if user.role == Role.REVIEWER and user.agency_id is not None and user.officer_id is not None:
        kinds.append(REVIEW)
    if _approves_publication(user):
        kinds.append(PUBLICATION)
    if user.agency_id is not None and user.officer_id is not None:
        kinds.append(DEADLINE)
    if user.agency_id is not None and (user.officer_id is not None or user.role == Role.AGENCY_HEAD):
        kinds.append(FINE)
    if supervision_inbox.complaint_inbox_applies(user):
        kinds.append(COMPLAINT)
    kinds += supervision_inbox.inbox_kinds(user)
    if supervision_inbox.filing_inbox_applies(user):
        kinds.append(supervision_inbox.FILING)
    if supervision_inbox.coordination_inbox_applies(user):
        kinds.append(supervision_inbox.COORDINATION)
    if matter_inbox.user_has_supervision_inbox(user):
        kinds.append(matter_inbox.MATTERS)
    if report_inbox.report_inbox_applies(user):
        kinds.append(report_inbox.REPORTS)
    kinds.append(REMINDER)
    return tuple(k for k in KIND_LABELS if k in kinds)


def _approves_publication(user: User) -> bool:
    return user.role == Role.SYSTEM_ADMIN or (
        user.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and user.agency_id is not None
    )


def _fines_of_agency(user: User) -> bool:
    return user.role == Role.AGENCY_HEAD


def _case_item(waiting: WaitingCase, on: dt.date, what: str, since_label: str, detail: str = "") -> InboxItem:
    case = waiting.case
    return InboxItem(
        what=what, number=case.number, title=case.title, url=reverse("cases:case_detail", args=[case.pk]),
        since_label=since_label, since=waiting.since, due=waiting.due, overdue=waiting.overdue,
        detail=detail or waiting.detail, due_note=_due_note(waiting.due, on),
    )


def _deadline_item(row: CaseDeadline, on: dt.date) -> InboxItem:
    if row.day_state == "uncomputable":
        # A marker row: its label says which deadline and why; it has no day of its own.
        return InboxItem(what=row.label, number=row.case.number, title=row.case.title,
                         url=reverse("cases:case_detail", args=[row.case_id]), since_label="发现于", since=on,
                         due_note="期限无法计算，请核对")
    overdue = row.day_state == "overdue"
    return InboxItem(
        what=row.label, number=row.case.number, title=row.case.title,
        url=reverse("cases:case_detail", args=[row.case_id]),
        since_label="逾期自" if overdue else "提醒自",
        since=row.due + dt.timedelta(days=1) if overdue else row.soon_from,
        due=row.due, overdue=overdue, estimated=row.estimated, due_note=_due_note(row.due, on),
    )


def _reminder_item(reminder, on: dt.date) -> InboxItem:
    return InboxItem(
        what=REMINDER_KIND_LABELS.get(reminder.kind, "提醒"), number="", title=reminder.title,
        url=reminder.url or reverse("evaluation:reminder_list"), since_label="提醒于", since=reminder.raised_on,
        due=reminder.due_on, overdue=reminder.due_on is not None and reminder.due_on < on, detail=reminder.detail,
        due_note=_due_note(reminder.due_on, on), dismiss_url=reverse("evaluation:reminder_dismiss", args=[reminder.pk]),
    )


def inbox_build(*, user: User, on: dt.date | None = None) -> Inbox:
    """Everything waiting for the user on `on` (today), grouped by kind: at most three queries
    whatever the number of cases (the cases, the deadline rows, the drafts; a reviewer's review
    due days read the calendar instead of the drafts)."""
    on = on or timezone.localdate()
    kinds = inbox_kinds(user)
    items: dict[str, list[InboxItem] | ItemsRead] = {k: [] for k in kinds}
    if {OPENING, DISCUSSION, REVIEW} & set(kinds):
        queues: CaseQueues = case_queues(user=user, on=on)
        for waiting in queues.opening:
            items[OPENING].append(_case_item(waiting, on, "负责人审批立案", "登记于"))
        for waiting in queues.review:
            items[REVIEW].append(_case_item(waiting, on, "出具法制审核意见", "送审于"))
        for waiting in queues.discussion:
            items[DISCUSSION].append(
                _case_item(waiting, on, "集体讨论", "等待自", detail=f"须集体讨论：{waiting.detail}")
            )
    if PUBLICATION in kinds:

        def draft_item(draft) -> InboxItem:
            return InboxItem(
                what=f"审核{draft.decision_label or '行政处罚决定'}的公示", number=draft.case.number,
                title=draft.case.title, url=reverse("publication:draft_detail", args=[draft.pk]),
                since_label="决定于", since=draft.decided_on, due=draft.due_on, overdue=on > draft.due_on,
                estimated=draft.due_estimated, due_note=_due_note(draft.due_on, on),
            )

        items[PUBLICATION] = ItemsRead(drafts_awaiting_approval(viewer=user), draft_item)
    if DEADLINE in kinds or FINE in kinds:
        deadlines, fines = deadline_rows_waiting(
            agency_id=user.agency_id, officer_id=user.officer_id, fines_of_agency=_fines_of_agency(user), on=on
        )
        if DEADLINE in kinds:
            items[DEADLINE] = [_deadline_item(row, on) for row in deadlines]
        items[FINE] = [_deadline_item(row, on) for row in fines]
    if COMPLAINT in kinds:
        items[COMPLAINT] = [InboxItem(what=r.what, number=r.number, title=r.title, url=r.url, since_label="收到于",
                                      since=r.since) for r in supervision_inbox.complaint_inbox_rows(user=user)]
    for kind, rows in supervision_inbox.instrument_inbox(user=user, on=on).items():
        items[kind] = [InboxItem(what=r.what, number=r.number, title=r.title, since_label="送达于", since=r.since,
                                 url=reverse("supervision:instrument_detail", args=[r.instrument_id]), due=r.due,
                                 overdue=r.overdue, due_note=_due_note(r.due, on)) for r in rows]
    if supervision_inbox.FILING in kinds:
        items[supervision_inbox.FILING] = [
            InboxItem(what=f"审查{f.decision_label}备案（{f.agency.name}）", number=f.case.number, title=f.case.title,
                      url=reverse("supervision:filing_detail", args=[f.pk]), since_label="备案于", since=f.filed_on,
                      due=f.due_on, overdue=on > f.due_on, due_note=_due_note(f.due_on, on))
            for f in supervision_inbox.filing_inbox_rows(user=user)
        ]
    if supervision_inbox.COORDINATION in kinds:
        items[supervision_inbox.COORDINATION] = [
            InboxItem(what=c.get_state_display(), number=c.agency.name, title=c.subject,
                      url=reverse("supervision:coordination_detail", args=[c.pk]), since_label="自", since=c.updated_on)
            for c in supervision_inbox.coordination_inbox_rows(user=user)
        ]
    if matter_inbox.MATTERS in kinds:
        items[matter_inbox.MATTERS] = [
            InboxItem(what=m.what, number=m.number, title=m.title, url=m.url, since_label="收到于", since=m.since,
                      due=m.due, overdue=m.overdue, due_note=_due_note(m.due, on))
            for m in matter_inbox.matters_waiting(user=user, on=on)
        ]
    for kind, rows in supervision_inbox.notice_inbox(user=user).items():
        items[kind] = [InboxItem(what=r.what, number="通报", title=r.title, url=r.url, since_label="起草于", since=r.since)
                       for r in rows]
    if report_inbox.REPORTS in kinds:
        items[report_inbox.REPORTS] = [
            InboxItem(what=f"{r.year}年{r.month}月工作月报（{r.agency.name}）", number=r.get_state_display(),
                      title="", url=reverse("evaluation:report_detail", args=[r.pk]), since_label="起草于",
                      since=r.drafted_on, due=r.due_on, due_note=_due_note(r.due_on, on),
                      overdue=report_overdue(due_on=r.due_on, first_submitted_on=r.first_submitted_on, today=on))
            for r in report_inbox.report_inbox_rows(user=user)
        ]
    if REMINDER in kinds:
        items[REMINDER] = [_reminder_item(r, on) for r in reminders_waiting(user=user)]
    return Inbox(on=on, groups=tuple(
        InboxGroup(k, items[k] if isinstance(items[k], ItemsRead) else tuple(items[k])) for k in kinds
    ))


def inbox_count(*, user: User, on: dt.date | None = None) -> int:
    """How many items `inbox_build` gives, in at most three queries (counted in SQL where the
    inbox's rows need not be read)."""
    on = on or timezone.localdate()
    kinds = inbox_kinds(user)
    total = 0
    if {OPENING, DISCUSSION, REVIEW} & set(kinds):
        queues = case_queues(user=user, on=on)
        total += len(queues.opening) + len(queues.review) + len(queues.discussion)
    if PUBLICATION in kinds:
        total += drafts_awaiting_approval(viewer=user).count()
    if DEADLINE in kinds or FINE in kinds:
        deadlines, fines = deadline_rows_waiting_count(
            agency_id=user.agency_id, officer_id=user.officer_id, fines_of_agency=_fines_of_agency(user), on=on
        )
        total += deadlines + fines
    if COMPLAINT in kinds:
        total += supervision_inbox.complaint_inbox_count(user=user)
    total += supervision_inbox.instrument_inbox_count(user=user, on=on)
    if supervision_inbox.FILING in kinds:
        total += supervision_inbox.filing_inbox_count(user=user)
    if supervision_inbox.COORDINATION in kinds:
        total += supervision_inbox.coordination_inbox_count(user=user)
    if matter_inbox.MATTERS in kinds:
        total += matter_inbox.matters_waiting_count(user=user)
    total += supervision_inbox.notice_inbox_count(user=user)
    if report_inbox.REPORTS in kinds:
        total += report_inbox.report_inbox_count(user=user)
    if REMINDER in kinds:
        total += reminders_waiting_count(user=user)
    return total


# --- kept on the request: a page that shows the inbox and its navigation reads it once ----------------


def request_inbox(request: HttpRequest) -> Inbox:
    inbox = getattr(request, "_sanxiang_inbox", None)
    if inbox is None:
        inbox = inbox_build(user=request.user)
        request._sanxiang_inbox = inbox
    return inbox


def request_inbox_count(request: HttpRequest) -> int:
    inbox = getattr(request, "_sanxiang_inbox", None)
    if inbox is not None:
        return inbox.total
    count = getattr(request, "_sanxiang_inbox_count", None)
    if count is None:
        count = inbox_count(user=request.user)
        request._sanxiang_inbox_count = count
    return count
