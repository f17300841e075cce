"""The inbox's pages (待办): `sanxiang.inbox.selectors` composes it (kinds, who sees what, rows,
counts; its docstring states the queries they cost); here are what only the pages need: the pages'
addresses of its items (`PageLinks`), how many items the overview and the homes show, a kind's
pages, and the inbox and its count kept on the request, so that a page that shows the inbox and
its navigation reads it once."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.urls import reverse

from sanxiang.accounts.models import User
from sanxiang.inbox import selectors as inbox_selectors
from sanxiang.inbox.selectors import Inbox, InboxGroup, Target, inbox_count

# How many items of each kind the inbox's overview and the home pages show (each group's count
# opens all of them).
SHOWN_ON_INBOX = 10
SHOWN_ON_HOME = 3
# How many items a page of one kind (`?kind=`) lists; the pager opens the others (a platform
# rule of the pages, not of the law).
INBOX_PAGE_SIZE = 50

# The page each resource opens on.
_PAGES = {
    inbox_selectors.CASE: "cases:case_detail",
    inbox_selectors.PUBLICATION_DRAFT: "publication:draft_detail",
    inbox_selectors.COMPLAINT_RESOURCE: "supervision:complaint_detail",
    inbox_selectors.INSTRUMENT: "supervision:instrument_detail",
    inbox_selectors.FILING: "supervision:filing_detail",
    inbox_selectors.COORDINATION: "supervision:coordination_detail",
    inbox_selectors.MATTER: "supervision:matter_detail",
    inbox_selectors.NOTICE: "supervision:notice_detail",
    inbox_selectors.MONTHLY_REPORT: "evaluation:report_detail",
}


class PageLinks:
    """The pages' addresses: each resource's page; a reminder opens the page it names when raised,
    or the list of reminders, and is dismissed by the reminders' form."""

    def target(self, target: Target) -> str:
        if target.resource == inbox_selectors.REMINDER_RESOURCE:
            return target.stored or reverse("evaluation:reminder_list")
        return reverse(_PAGES[target.resource], args=[target.id])

    def dismiss(self, reminder_id: int) -> str:
        return reverse("evaluation:reminder_dismiss", args=[reminder_id])


PAGE_LINKS = PageLinks()


def inbox_build(*, user: User, on: dt.date | None = None) -> Inbox:
    """The inbox with the pages' addresses (`sanxiang.inbox.selectors.inbox_build`)."""
    return inbox_selectors.inbox_build(user=user, on=on, links=PAGE_LINKS)


def inbox_group_page(group: InboxGroup, number: str | int | None) -> Page:
    """One page of a kind's items (`INBOX_PAGE_SIZE`): a page number that is no number or out of
    range gives the first or the last page. A kind read a slice at a time (`ItemsRead`: all but the
    cases' queues) costs its COUNT and this page's slice."""
    return Paginator(group.items, INBOX_PAGE_SIZE).get_page(number)


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
