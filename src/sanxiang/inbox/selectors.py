"""The inbox (待办): what waits for the user, by kind, composed from the apps' selectors; the pages
(`web.inbox`) and the API (`api.inbox`) render it. Each item names the resource it is about (a
`Target`: a case, a publication draft, an instrument …); whoever builds the inbox says how a
target becomes an address (`InboxLinks`: a page for the pages, an API path for the API).

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
facts, the drafts, the instruments), a fixed number of queries whatever the number of rows. The
count in the navigation (`inbox_count`), measured: 8 for a registered supervisor, 6 for a head, 5
for a reviewer, 3 for an officer (one COUNT a kind or pair of kinds, the cases' queues read once);
none more when the page already built the inbox (`web.inbox` keeps both on the request). The inbox
(`inbox_build`): every kind but the cases' queues is read as an `ItemsRead`, its COUNT once and
the slice shown (one query each; none for the slice of an empty kind), the queues in one query
(two with the calendar), so at most 2 + 2 × kinds; `only=` reads one kind alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import CaseDeadline
from sanxiang.cases.selectors import deadline_rows_waiting_count, deadline_rows_waiting_querysets
from sanxiang.evaluation import report_inbox  # issue 15, item 4
from sanxiang.evaluation.reminder_selectors import reminders_open, reminders_waiting_count  # issue 15
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

# What an item is about (`Target.resource`): stable codes, the API's too.
CASE = "case"
PUBLICATION_DRAFT = "publication_draft"
COMPLAINT_RESOURCE = "supervision_complaint"
INSTRUMENT = "supervision_instrument"
FILING = "supervision_filing"
COORDINATION = "supervision_coordination"
MATTER = "supervision_matter"
NOTICE = "supervision_notice"
MONTHLY_REPORT = "monthly_report"
REMINDER_RESOURCE = "reminder"
RESOURCES = (CASE, PUBLICATION_DRAFT, COMPLAINT_RESOURCE, INSTRUMENT, FILING, COORDINATION, MATTER, NOTICE,
             MONTHLY_REPORT, REMINDER_RESOURCE)


@dataclass(frozen=True)
class Target:
    """The resource an item opens: its kind (one of RESOURCES) and id; `stored` is an address the
    row itself holds (a reminder's link, set when it was raised), empty for the others."""

    resource: str
    id: int
    stored: str = ""


class InboxLinks(Protocol):
    """How the targets become addresses for whoever shows the inbox."""

    def target(self, target: Target) -> str:
        """The address of the resource ("" where the reader has none)."""

    def dismiss(self, reminder_id: int) -> str:
        """Where to ask that a reminder be dismissed (知悉)."""


class NoLinks:
    """No addresses (a caller that reads the items' targets only)."""

    def target(self, target: Target) -> str:
        return ""

    def dismiss(self, reminder_id: int) -> str:
        return ""


@dataclass(frozen=True)
class InboxItem:
    what: str  # the step or the deadline that waits
    number: str  # the case's number (案号)
    title: str  # the case's title (案由)
    url: str  # the target's address (`InboxLinks.target`)
    since_label: str
    since: dt.date
    due: dt.date | None = None
    overdue: bool = False
    estimated: bool = False
    detail: str = ""
    due_note: str = ""  # 已逾期3日 | 今日到期 | 还有2日
    dismiss_url: str = ""  # a reminder: where to POST "知悉"
    target: Target | None = None
    case_id: int | None = None  # the case the item is about, if any


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


def _item(links: InboxLinks, target: Target, **fields) -> InboxItem:
    return InboxItem(url=links.target(target), target=target, **fields)


def _case_item(links: InboxLinks, waiting: WaitingCase, on: dt.date, what: str, since_label: str,
               detail: str = "") -> InboxItem:
    case = waiting.case
    return _item(
        links, Target(CASE, case.pk), case_id=case.pk,
        what=what, number=case.number, title=case.title,
        since_label=since_label, since=waiting.since, due=waiting.due, overdue=waiting.overdue,
        detail=detail or waiting.detail, due_note=_due_note(waiting.due, on),
    )


def _deadline_item(links: InboxLinks, row: CaseDeadline, on: dt.date) -> InboxItem:
    target = Target(CASE, row.case_id)
    if row.day_state == "uncomputable":
        # A marker row: its label says which deadline and why; it has no day of its own.
        return _item(links, target, case_id=row.case_id, what=row.label, number=row.case.number,
                     title=row.case.title, since_label="发现于", since=on, due_note="期限无法计算，请核对")
    overdue = row.day_state == "overdue"
    return _item(
        links, target, case_id=row.case_id, what=row.label, number=row.case.number, title=row.case.title,
        since_label="逾期自" if overdue else "提醒自",
        since=row.due + dt.timedelta(days=1) if overdue else row.soon_from,
        due=row.due, overdue=overdue, estimated=row.estimated, due_note=_due_note(row.due, on),
    )


def _reminder_item(links: InboxLinks, reminder, on: dt.date) -> InboxItem:
    return _item(
        links, Target(REMINDER_RESOURCE, reminder.pk, stored=reminder.url),
        what=REMINDER_KIND_LABELS.get(reminder.kind, "提醒"), number="", title=reminder.title,
        since_label="提醒于", since=reminder.raised_on,
        due=reminder.due_on, overdue=reminder.due_on is not None and reminder.due_on < on, detail=reminder.detail,
        due_note=_due_note(reminder.due_on, on), dismiss_url=links.dismiss(reminder.pk),
    )


def inbox_build(*, user: User, on: dt.date | None = None, links: InboxLinks | None = None,
                only: str | None = None) -> Inbox:
    """Everything waiting for the user on `on` (today), grouped by kind, each item's address made by
    `links`; `only`: that kind alone (none if it does not concern the user), the others not read.

    Every kind but the cases' three queues is an `ItemsRead` over its queryset: nothing is cut
    off, and what is read is its COUNT (once) and the slice shown; the queues (立案审批, 法制审核,
    集体讨论) are judged in Python on the cases' stored facts and are read whole, in one query (two
    when a review's due day reads the calendar). Building costs no query; reading every group's
    count and first slice (the page, the API) costs two queries a kind with something waiting and
    one a kind without, a fixed number whatever the number of rows (`inbox_count` gives the same
    total)."""
    on = on or timezone.localdate()
    links = links or NoLinks()
    kinds = tuple(k for k in inbox_kinds(user) if only is None or k == only)
    items: dict[str, list[InboxItem] | ItemsRead] = {k: [] for k in kinds}
    if {OPENING, DISCUSSION, REVIEW} & set(kinds):
        queues: CaseQueues = case_queues(user=user, on=on)
        if OPENING in kinds:
            items[OPENING] = [_case_item(links, w, on, "负责人审批立案", "登记于") for w in queues.opening]
        if REVIEW in kinds:
            items[REVIEW] = [_case_item(links, w, on, "出具法制审核意见", "送审于") for w in queues.review]
        if DISCUSSION in kinds:
            items[DISCUSSION] = [_case_item(links, w, on, "集体讨论", "等待自", detail=f"须集体讨论：{w.detail}")
                                 for w in queues.discussion]
    if PUBLICATION in kinds:

        def draft_item(draft) -> InboxItem:
            return _item(
                links, Target(PUBLICATION_DRAFT, draft.pk), case_id=draft.case_id,
                what=f"审核{draft.decision_label or '行政处罚决定'}的公示", number=draft.case.number,
                title=draft.case.title,
                since_label="决定于", since=draft.decided_on, due=draft.due_on, overdue=on > draft.due_on,
                estimated=draft.due_estimated, due_note=_due_note(draft.due_on, on),
            )

        items[PUBLICATION] = ItemsRead(drafts_awaiting_approval(viewer=user), draft_item)
    if DEADLINE in kinds or FINE in kinds:
        deadlines, fines = deadline_rows_waiting_querysets(
            agency_id=user.agency_id, officer_id=user.officer_id, fines_of_agency=_fines_of_agency(user), on=on
        )
        if DEADLINE in kinds:
            items[DEADLINE] = ItemsRead(deadlines, lambda row: _deadline_item(links, row, on))
        if FINE in kinds:
            items[FINE] = ItemsRead(fines, lambda row: _deadline_item(links, row, on))
    if COMPLAINT in kinds:

        def complaint_item(complaint) -> InboxItem:
            r = supervision_inbox.complaint_waiting(complaint)
            return _item(links, Target(COMPLAINT_RESOURCE, r.complaint_id), what=r.what, number=r.number,
                         title=r.title, since_label="收到于", since=r.since)

        items[COMPLAINT] = ItemsRead(supervision_inbox.complaint_inbox_queryset(user=user), complaint_item)

    def instrument_item(instrument) -> InboxItem:
        r = supervision_inbox.instrument_inbox_row(instrument, user=user, on=on)
        return _item(links, Target(INSTRUMENT, r.instrument_id), what=r.what, number=r.number, title=r.title,
                     since_label="送达于", since=r.since, due=r.due, overdue=r.overdue, due_note=_due_note(r.due, on))

    for kind, rows in supervision_inbox.instrument_inbox_querysets(user=user, on=on).items():
        if kind in kinds:
            items[kind] = ItemsRead(rows, instrument_item)
    if supervision_inbox.FILING in kinds:
        items[supervision_inbox.FILING] = ItemsRead(
            supervision_inbox.filing_inbox_queryset(user=user),
            lambda f: _item(links, Target(FILING, f.pk), case_id=f.case_id,
                            what=f"审查{f.decision_label}备案（{f.agency.name}）", number=f.case.number,
                            title=f.case.title, since_label="备案于", since=f.filed_on,
                            due=f.due_on, overdue=on > f.due_on, due_note=_due_note(f.due_on, on)),
        )
    if supervision_inbox.COORDINATION in kinds:
        items[supervision_inbox.COORDINATION] = ItemsRead(
            supervision_inbox.coordination_inbox_queryset(user=user),
            lambda c: _item(links, Target(COORDINATION, c.pk), what=c.get_state_display(), number=c.agency.name,
                            title=c.subject, since_label="自", since=c.updated_on),
        )
    if matter_inbox.MATTERS in kinds:

        def matter_item(matter) -> InboxItem:
            m = matter_inbox.waiting_matter(matter, on=on)
            return _item(links, Target(MATTER, m.matter_id), what=m.what, number=m.number, title=m.title,
                         since_label="收到于", since=m.since, due=m.due, overdue=m.overdue,
                         due_note=_due_note(m.due, on))

        items[matter_inbox.MATTERS] = ItemsRead(matter_inbox.matters_waiting_queryset(user=user), matter_item)
    if supervision_inbox.NOTICE_WAITING in kinds:

        def notice_item(notice) -> InboxItem:
            r = supervision_inbox.notice_inbox_row(notice)
            return _item(links, Target(NOTICE, r.notice_id), what=r.what, number="通报", title=r.title,
                         since_label="起草于", since=r.since)

        items[supervision_inbox.NOTICE_WAITING] = ItemsRead(supervision_inbox.notice_inbox_queryset(user=user),
                                                            notice_item)
    if report_inbox.REPORTS in kinds:
        items[report_inbox.REPORTS] = ItemsRead(
            report_inbox.report_inbox_queryset(user=user),
            lambda r: _item(links, Target(MONTHLY_REPORT, r.pk), what=f"{r.year}年{r.month}月工作月报（{r.agency.name}）",
                            number=r.get_state_display(), title="", since_label="起草于",
                            since=r.drafted_on, due=r.due_on, due_note=_due_note(r.due_on, on),
                            overdue=report_overdue(due_on=r.due_on, first_submitted_on=r.first_submitted_on, today=on)),
        )
    if REMINDER in kinds:
        items[REMINDER] = ItemsRead(reminders_open(user=user), lambda r: _reminder_item(links, r, on))
    return Inbox(on=on, groups=tuple(
        InboxGroup(k, items[k] if isinstance(items[k], ItemsRead) else tuple(items[k])) for k in kinds
    ))


def inbox_count(*, user: User, on: dt.date | None = None) -> int:
    """How many items `inbox_build` gives (the same number: nothing is cut off), counted in SQL
    where the inbox's rows need not be read: at most 8 queries (a registered supervisor; a head 6,
    a reviewer 5, an officer 3; tests/api/test_inbox_api.py holds these bounds)."""
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
