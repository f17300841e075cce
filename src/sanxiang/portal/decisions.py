"""Published enforcement decisions (事后公开): the list with its filters and search, one decision,
the feeds (RSS, Atom, JSON Feed) and the printable notice for a service hall's board (公告栏).

Penalties and compulsory decisions (行政强制: 查封、扣押、冻结决定，强制执行决定，代履行决定) share the
list; each is shown under its own labels (`Publication.labels`: a seizure has 理由 and 执法结论, not
违法事实 and 处罚内容), and the kind filter offers both kinds of decision.

Reads `Publication` and `PublicAgency` and nothing else (tests/portal/test_isolation.py). What the
public sees follows the publication's status:
- published: everything the law lists;
- withdrawn: still listed, with its number and the public statement of why, instead of the content;
- expired: gone (404), as if never published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import feedgenerator, timezone
from django.views.decorators.http import require_safe

from sanxiang.inputs import DATE_LATEST, date_validator, id_from_query
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS, yuan
from sanxiang.procedure.publication_coercion import COMPULSORY_KINDS
from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus
from sanxiang.publication.search import (
    DATE_EARLIEST,
    SearchCursor,
    publications_of_kind,
    publications_search,
    publications_search_page,
)

PAGE_SIZE = 20
FEED_SIZE = 50
NOTICE_DEFAULT_DAYS = 30
NOTICE_MAX_DAYS = 366
SITE_NAME = "乌审旗行政执法公示平台"
FEED_TITLE = "行政执法决定公示"
FEED_DESCRIPTION = "乌审旗各执法机关依法公示的行政执法决定及其撤回说明。"

# The columns each page shows, and nothing more is read (`.only`).
LIST_COLUMNS = (
    "id",
    "decision_kind",
    "number",
    "title",
    "party_name",
    "agency_name",
    "kinds_label",
    "violation_type",  # a compulsory decision's category (执法类别), shown beside its kind
    "decided_on",
    "status",
    "withdrawn_on",
    "withdrawal_statement",
)
FEED_COLUMNS = (*LIST_COLUMNS, "content", "kinds", "published_on", "updated_at")
# Every kind a decision may be filtered by: the penalties' and the compulsory decisions' (the keys
# stored in `Publication.kinds`; none is shared).
DECISION_KINDS: dict[str, str] = {**PENALTY_KINDS, **COMPULSORY_KINDS}
NOTICE_COLUMNS = (*LIST_COLUMNS, "content", "published_on")
# The list without a search term counts its rows exactly up to this many; past it, the count is
# estimated from the days the newest of them span ("约13万件"): counting is reading every row
# counted (a platform rule of cost, not of law; the search's is `search.SEARCH_COUNT_EXACT`).
LIST_COUNT_EXACT = 1000


# --- reads ---------------------------------------------------------------------------------------


VISIBLE_STATUSES = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


def decisions_visible() -> QuerySet[Publication]:
    """Published and withdrawn decisions: a withdrawal is itself public, an expired decision is not."""
    # Past its 公示截止期 a decision is down even before `publications_expire` has marked it.
    return Publication.objects.filter(status__in=VISIBLE_STATUSES, display_until__gte=timezone.localdate())


def decisions_filter(
    queryset: QuerySet[Publication],
    *,
    agency_id: int | None = None,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[Publication]:
    """Apply the list's filters; `q` narrows to published decisions (a withdrawn one's content is
    no longer public, so it must not be found by it)."""
    if agency_id is not None:
        queryset = queryset.filter(agency_id=agency_id)
    if kind:
        # `kinds` is a JSON list of DECISION_KINDS keys, each kind's rows in an index of their own.
        queryset = publications_of_kind(queryset, kind)
    if date_from is not None:
        queryset = queryset.filter(decided_on__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(decided_on__lte=date_to)
    if q.strip():
        return publications_search(queryset, q)
    return queryset.order_by("-decided_on", "-id")


@dataclass(frozen=True)
class ListPage:
    """One page of the list without a search term, newest decision first: its rows, the cursor
    of the next page (`after`, "" on the last) and of the previous one (`before`, "" on the first),
    and the count of all the rows: exact up to LIST_COUNT_EXACT, else `estimated`."""

    rows: list[Publication]
    next_cursor: str
    previous_cursor: str
    count: int
    estimated: bool


def _cursor_of(row: Publication) -> str:
    return str(SearchCursor(decided_on=row.decided_on, id=row.pk))


def decisions_page(
    rows: QuerySet[Publication],
    *,
    per_page: int,
    after: SearchCursor | None = None,
    before: SearchCursor | None = None,
    count_exact: int | None = None,
) -> ListPage:
    """A page of `rows` (filtered, newest decision first: `decisions_filter` without `q`) by keyset:
    the rows strictly after `after` or, going back, strictly before `before` in that order, so that
    a deep page costs what the first does (no OFFSET). A `before` that leaves fewer than a page
    ahead of it (a link from a page that since moved) is the first page. Then the count: the
    rows up to `count_exact` (LIST_COUNT_EXACT) counted, past that the newest `count_exact` rows'
    span of days extrapolated over the span of all the rows' days. Each read is one per visible
    status (`VISIBLE_STATUSES`): the page, the days for the count, and past the bound the oldest day."""
    exact = LIST_COUNT_EXACT if count_exact is None else count_exact
    # Each visible status apart, merged here: over `status IN (…)` SQLite sorted every visible row
    # for a page; one status at a time is read in the order of its index (status, day, id).
    parts = [rows.filter(status=status) for status in VISIBLE_STATUSES]

    def newest(part: QuerySet[Publication]) -> QuerySet[Publication]:
        return part.order_by("-decided_on", "-id")

    def key(row: Publication) -> tuple[dt.date, int]:
        return (row.decided_on, row.pk)

    found: list[Publication] = []
    previous_cursor = next_cursor = ""
    if before is not None:
        newer = Q(decided_on__gt=before.decided_on) | Q(decided_on=before.decided_on, id__gt=before.id)
        found = sorted((r for part in parts for r in part.filter(newer).order_by("decided_on", "id")[: per_page + 1]),
                       key=key)[: per_page + 1]
        if len(found) > per_page:
            found = found[:per_page][::-1]
            previous_cursor = _cursor_of(found[0])
            next_cursor = _cursor_of(found[-1])
        else:
            before, found = None, []
    if before is None:
        older = Q()
        if after is not None:
            older = Q(decided_on__lt=after.decided_on) | Q(decided_on=after.decided_on, id__lt=after.id)
        found = sorted((r for part in parts for r in newest(part).filter(older)[: per_page + 1]), key=key,
                       reverse=True)[: per_page + 1]
        if len(found) > per_page:
            found = found[:per_page]
            next_cursor = _cursor_of(found[-1])
        if after is not None and found:
            previous_cursor = _cursor_of(found[0])
    # The count: the days of the newest rows up to one past the bound; all of them when fewer.
    days = sorted((d for part in parts for d in newest(part).values_list("decided_on", flat=True)[: exact + 1]),
                  reverse=True)
    if len(days) <= exact:
        return ListPage(rows=found, next_cursor=next_cursor, previous_cursor=previous_cursor, count=len(days),
                        estimated=False)
    last, bound_day = days[0], days[exact]
    # Days before the platform's earliest (a slip of the year) would stretch the span past year 1.
    firsts = [part.filter(decided_on__gte=DATE_EARLIEST).order_by("decided_on").values_list("decided_on", flat=True).first()
              for part in parts]
    first = min((d for d in firsts if d is not None), default=None)
    span = (last - first).days + 1 if first is not None and first <= bound_day else 1
    # The whole days newer than the bound's day and their rows (a part day would skew the rate: at
    # 1,000,000 rows, 1001 rows over "2 days" estimated 500,500 of 900,288); a bound within the
    # newest day is read as that day's rate.
    newer_rows = days.index(bound_day)
    covered = (last - bound_day).days
    rate = newer_rows / covered if newer_rows else exact + 1
    count = max(exact + 1, round(rate * span))
    return ListPage(rows=found, next_cursor=next_cursor, previous_cursor=previous_cursor, count=count,
                    estimated=True)


def decision_public_get(*, pk: int) -> Publication:
    return get_object_or_404(decisions_visible(), pk=pk)


def _agency_choices() -> list[tuple[str, str]]:
    return [(str(a.pk), a.name) for a in PublicAgency.objects.only("id", "name").order_by("name")]


# --- forms ---------------------------------------------------------------------------------------


DATE_ATTRS = {"type": "date", "min": DATE_EARLIEST.isoformat(), "max": DATE_LATEST.isoformat()}


class _DateRangeForm(forms.Form):
    """`from` and `to` are Python keywords, so these two fields are added by name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Within the platform's dates (inputs.date_validator): 0001-01-05 is a date to Python, and a
        # notice's default period before it overflowed (a 500).
        self.fields["from"] = forms.DateField(
            label="决定日期自", required=False, widget=forms.DateInput(attrs=DATE_ATTRS), validators=[date_validator]
        )
        self.fields["to"] = forms.DateField(
            label="决定日期至", required=False, widget=forms.DateInput(attrs=DATE_ATTRS), validators=[date_validator]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", "截止日期不能早于起始日期")
        return data


class DecisionFilterForm(_DateRangeForm):
    q = forms.CharField(
        label="关键词", required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    agency = forms.TypedChoiceField(label="执法机关", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="决定种类", required=False, choices=[("", "全部"), *DECISION_KINDS.items()])

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "全部"), *agencies]


class NoticeForm(_DateRangeForm):
    agency = forms.TypedChoiceField(label="执法机关", coerce=int)

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "请选择"), *agencies]
        self.fields["from"].help_text = f"不填则为截止日期前{NOTICE_DEFAULT_DAYS}天"
        self.fields["to"].help_text = "不填则为今天"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date_to = data.get("to") or timezone.localdate()
        date_from = data.get("from") or date_to - dt.timedelta(days=NOTICE_DEFAULT_DAYS)
        if "to" not in self.errors and (date_to - date_from).days > NOTICE_MAX_DAYS:
            self.add_error("from", f"一次公告的期间不超过{NOTICE_MAX_DAYS}天")
        data["from"], data["to"] = date_from, date_to
        return data


# --- pages ---------------------------------------------------------------------------------------


def count_label(count: int, *, estimated: bool = False) -> str:
    """A count as read aloud: exact ones as they are, an estimate rounded to two figures, in 万
    from ten thousand on (130000 → 约13万, 2693 → 约2700)."""
    if not estimated:
        return str(count)
    if count >= 10:
        digits = len(str(count)) - 2
        count = round(count / 10**digits) * 10**digits
    if count >= 10_000:
        return "约" + f"{count / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    return f"约{count}"


@require_safe
def decision_list(request: HttpRequest) -> HttpResponse:
    """Without a query, at most seven queries: the agencies (for the filter), then per visible
    status the page by keyset (`after`/`before` cursors) and its count's days, bounded, and past
    the bound the oldest day (`decisions_page`). A
    search reads a page through the index a range of days at a time and counts up to a bound
    (`publications_search_page`: two reads for the span of days, then at most about log2 of the
    span's days for the page and as many for the count); its pages follow a cursor (`after`), not
    a page number, so that a deep page costs what the first does."""
    form = DecisionFilterForm(request.GET or None, agencies=_agency_choices())
    # An invalid field drops out of cleaned_data and the valid ones still apply: a mistyped date
    # should not empty the list.
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
    q = data.get("q") or ""
    rows = decisions_filter(
        decisions_visible(),
        agency_id=data.get("agency"),
        kind=data.get("kind") or "",
        date_from=data.get("from"),
        date_to=data.get("to"),
    ).only(*LIST_COLUMNS)
    context: dict[str, Any] = {
        "form": form,
        "q": q,
        "filtered": any(data.get(k) for k in ("agency", "kind", "from", "to", "q")),
    }
    if q.strip():
        # A cursor this page did not write (typed by hand, cut short) is the first page.
        after = SearchCursor.parse(request.GET.get("after", ""))
        found = publications_search_page(
            rows, q, per_page=PAGE_SIZE, after=after, date_from=data.get("from"), date_to=data.get("to")
        )
        context |= {"search": found, "rows": found.rows, "after": after, "count_label": count_label(found.count, estimated=found.estimated)}
    else:
        # A cursor this page did not write is the first page; so is an old `?page=` link (the
        # list paged by number before issue 20).
        after = SearchCursor.parse(request.GET.get("after", ""))
        before = None if after else SearchCursor.parse(request.GET.get("before", ""))
        page = decisions_page(rows, per_page=PAGE_SIZE, after=after, before=before)
        context |= {"page": page, "rows": page.rows, "count_label": count_label(page.count, estimated=page.estimated)}
    return render(request, "portal/decisions/list.html", context)


@require_safe
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = decision_public_get(pk=pk)
    return render(
        request,
        "portal/decisions/detail.html",
        {
            "p": publication,
            "withdrawn": publication.status == PublicationStatus.WITHDRAWN,
            "fine": yuan(publication.fine_fen) if publication.fine_fen else "",
            "confiscation": yuan(publication.confiscation_fen) if publication.confiscation_fen else "",
        },
    )


@require_safe
def decision_notice(request: HttpRequest) -> HttpResponse:
    """A page to print and post on the board: one agency, a period, large type, A4. Without an
    agency it shows the form to choose one."""
    form = NoticeForm(request.GET or None, agencies=_agency_choices())
    if not form.is_bound or not form.is_valid():
        return render(
            request,
            "portal/decisions/notice.html",
            {"form": form},
            status=400 if form.is_bound else 200,
        )
    agency = get_object_or_404(
        PublicAgency.objects.only("id", "name", "address", "phone"), pk=form.cleaned_data["agency"]
    )
    rows = (
        decisions_filter(
            decisions_visible(),
            agency_id=agency.pk,
            date_from=form.cleaned_data["from"],
            date_to=form.cleaned_data["to"],
        )
        .only(*NOTICE_COLUMNS)
        .order_by("decided_on", "id")
    )
    return render(
        request,
        "portal/decisions/notice.html",
        {
            "form": form,
            "agency": agency,
            "rows": list(rows),
            "date_from": form.cleaned_data["from"],
            "date_to": form.cleaned_data["to"],
            "today": timezone.localdate(),
            "list_url": request.build_absolute_uri(reverse("portal:decision_list") + f"?agency={agency.pk}"),
        },
    )


# --- feeds ---------------------------------------------------------------------------------------


def _feed_agency(request: HttpRequest) -> PublicAgency | None:
    """`?agency=<id>` narrows a feed to one agency; an unknown one is a 404, not every agency."""
    raw = request.GET.get("agency", "")
    if not raw:
        return None
    pk = id_from_query(raw)  # "²" is a digit to str.isdigit(), not to int(); 5,000 digits neither
    if pk is None:
        raise Http404("执法机关不存在")
    return get_object_or_404(PublicAgency.objects.only("id", "name"), pk=pk)


def _feed_rows(agency: PublicAgency | None) -> list[Publication]:
    """Newest publications first (by the day they were published, which is when a reader sees
    them): a feed is read for what is new."""
    rows = decisions_visible()
    if agency is not None:
        rows = rows.filter(agency=agency)
    return list(rows.only(*FEED_COLUMNS).order_by("-published_on", "-id")[:FEED_SIZE])


def _feed_title(agency: PublicAgency | None) -> str:
    return f"{agency.name} · {FEED_TITLE}" if agency else f"{SITE_NAME} · {FEED_TITLE}"


def _item_title(p: Publication) -> str:
    prefix = "【已撤回】" if p.status == PublicationStatus.WITHDRAWN else ""
    return f"{prefix}{p.title}（{p.number}）"


def _item_text(p: Publication) -> str:
    if p.status == PublicationStatus.WITHDRAWN:
        day = p.withdrawn_on.isoformat() if p.withdrawn_on else ""
        return f"该决定已于{day}撤回。撤回说明：{p.withdrawal_statement}"
    labels = p.labels
    return (
        f"执法机关：{p.agency_name}\n当事人：{p.party_name}\n{labels['violation_type']}：{p.violation_type}\n"
        f"{labels['kinds_label']}：{p.kinds_label}\n{labels['content']}：{p.content}\n决定日期：{p.decided_on.isoformat()}"
    )


def _published_at(p: Publication) -> dt.datetime:
    """Publications carry a day; feeds want an instant: the start of that day in local time."""
    return timezone.make_aware(dt.datetime.combine(p.published_on, dt.time()))


def _categories(p: Publication) -> list[str]:
    return [DECISION_KINDS[k] for k in p.kinds if k in DECISION_KINDS]


class DecisionRssFeed(Feed):
    """RSS 2.0 (and Atom, below) through Django's syndication framework."""

    description = FEED_DESCRIPTION
    language = "zh-Hans"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> PublicAgency | None:
        return _feed_agency(request)

    def title(self, obj: PublicAgency | None) -> str:
        return _feed_title(obj)

    def link(self, obj: PublicAgency | None) -> str:
        url = reverse("portal:decision_list")
        return f"{url}?agency={obj.pk}" if obj else url

    def items(self, obj: PublicAgency | None) -> list[Publication]:
        return _feed_rows(obj)

    def item_title(self, item: Publication) -> str:
        return _item_title(item)

    def item_description(self, item: Publication) -> str:
        return linebreaksbr(_item_text(item), autoescape=True)

    def item_link(self, item: Publication) -> str:
        return reverse("portal:decision_detail", args=[item.pk])

    def item_pubdate(self, item: Publication) -> dt.datetime:
        return _published_at(item)

    def item_updateddate(self, item: Publication) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Publication) -> list[str]:
        return _categories(item)

    def item_author_name(self, item: Publication) -> str:
        return item.agency_name


class DecisionAtomFeed(DecisionRssFeed):
    feed_type = feedgenerator.Atom1Feed
    subtitle = FEED_DESCRIPTION


@require_safe
def decision_feed_json(request: HttpRequest) -> JsonResponse:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1). The decision's own fields are under
    `_decision`, the format's way of extending an item."""
    agency = _feed_agency(request)
    home = request.build_absolute_uri(reverse("portal:decision_list"))
    items = []
    for p in _feed_rows(agency):
        url = request.build_absolute_uri(reverse("portal:decision_detail", args=[p.pk]))
        items.append(
            {
                "id": url,
                "url": url,
                "title": _item_title(p),
                "content_text": _item_text(p),
                "date_published": _published_at(p).isoformat(),
                "date_modified": timezone.localtime(p.updated_at).isoformat(timespec="seconds"),
                "authors": [{"name": p.agency_name}],
                "tags": _categories(p),
                "_decision": {
                    "number": p.number,
                    "agency": p.agency_name,
                    "party": p.party_name,
                    "decided_on": p.decided_on.isoformat(),
                    "status": p.status,
                    "withdrawn_on": p.withdrawn_on.isoformat() if p.withdrawn_on else None,
                },
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _feed_title(agency),
        "description": FEED_DESCRIPTION,
        "home_page_url": f"{home}?agency={agency.pk}" if agency else home,
        "feed_url": request.build_absolute_uri(),
        "language": "zh-Hans",
        "items": items,
    }
    return JsonResponse(
        feed, content_type="application/feed+json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )


urlpatterns = [
    path("decisions/", decision_list, name="decision_list"),
    path("decisions/<int:pk>/", decision_detail, name="decision_detail"),
    path("decisions/feed.rss", require_safe(DecisionRssFeed()), name="decision_feed_rss"),
    path("decisions/feed.atom", require_safe(DecisionAtomFeed()), name="decision_feed_atom"),
    path("decisions/feed.json", decision_feed_json, name="decision_feed_json"),
    path("decisions/notice/", decision_notice, name="decision_notice"),
]
