"""Reads of the supervision desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.cases.models import Case
from sanxiang.inputs import id_from_query
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.supervision.matters import FINAL_STATES, MatterMark, MatterState
from sanxiang.procedure.supervision.rules import SupervisorSnapshot
from sanxiang.registry.models import SupervisionCertificate
from sanxiang.supervision.models import Matter, MatterSupervisor, Measure, ReadGrant


def supervisor_snapshots(*, users: Iterable[User], on: dt.date) -> list[SupervisorSnapshot]:
    """Each user as the pair rule sees them on `on`: the supervision certificate that lets them act
    that day if they hold one, else their latest (whose problem the rule then names). One query for
    the certificates of all of them."""
    users = list(users)
    supervisor_ids = [u.supervisor_id for u in users if u.supervisor_id]
    by_supervisor: dict[int, list[SupervisionCertificate]] = {}
    for certificate in (SupervisionCertificate.objects.filter(supervisor_id__in=supervisor_ids)
                        .select_related("supervisor").order_by("-valid_to", "-id")):
        by_supervisor.setdefault(certificate.supervisor_id, []).append(certificate)
    snapshots = []
    for user in users:
        certificates = by_supervisor.get(user.supervisor_id, []) if user.supervisor_id else []
        usable = [c for c in certificates if c.status == "valid" and c.valid_from <= on <= c.valid_to]
        chosen = (usable or certificates or [None])[0]
        snapshots.append(
            SupervisorSnapshot(
                user_id=user.pk,
                name=str(user),
                certificate_number=chosen.number if chosen else None,
                certificate_status=chosen.status if chosen else "valid",
                valid_from=chosen.valid_from if chosen else None,
                valid_to=chosen.valid_to if chosen else None,
                in_post=chosen.supervisor.is_active if chosen else True,
            )
        )
    return snapshots


# --- Part A: matters, pairs, grants -----------------------------------------------------------------


def matter_supervisors(matter: Matter) -> list[User]:
    """The supervisors who handle the matter now (assigned and not recused)."""
    rows = matter.pair.all() if _prefetched(matter, "pair") else matter.pair.select_related("user")
    return [row.user for row in rows if not row.recused]


def matter_recused_ids(matter: Matter) -> frozenset[int]:
    """The users who have withdrawn (回避) from the matter."""
    if _prefetched(matter, "pair"):
        return frozenset(row.user_id for row in matter.pair.all() if row.recused)
    return frozenset(matter.pair.filter(recused=True).values_list("user_id", flat=True))


def _prefetched(obj, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})


def user_is_county_supervisor(user: User, bureau_id: int) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id == bureau_id


def matters_visible(*, viewer: User) -> QuerySet[Matter]:
    """The matters a user may see: a supervisor those of their bureau; an agency's users those
    about their agency; a system administrator all. Nobody else any."""
    queryset = Matter.objects.all()
    if not viewer.is_authenticated:
        return queryset.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return queryset
    if viewer.role == Role.SUPERVISOR:
        return queryset.filter(bureau_id=viewer.agency_id)
    if viewer.role in AGENCY_ROLES and viewer.agency_id:
        return queryset.filter(agency_id=viewer.agency_id)
    return queryset.none()


@dataclass(frozen=True)
class DeskFilters:
    state: str = ""
    source: str = ""
    agency: int | None = None
    mark: str = ""
    overdue: bool = False
    mine: bool = False


def matters_desk(*, viewer: User, filters: DeskFilters, today: dt.date) -> QuerySet[Matter]:
    """The desk's list: the viewer's matters filtered; agencies and officers joined, one query a page."""
    queryset = matters_visible(viewer=viewer).select_related("agency", "officer")
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.agency:
        queryset = queryset.filter(agency_id=filters.agency)
    if filters.mark == MatterMark.LISTED:
        queryset = queryset.filter(listed=True)
    elif filters.mark == MatterMark.ESCALATED:
        queryset = queryset.filter(escalated=True)
    if filters.overdue:
        queryset = queryset.filter(state=MatterState.RECEIVED, transfer_due_on__lt=today)
    if filters.mine:
        queryset = queryset.filter(pk__in=MatterSupervisor.objects.filter(user=viewer, recused=False).values("matter_id"))
    return queryset.order_by("-received_on", "-id")


def matter_get(*, viewer: User, matter_id: int) -> Matter:
    """One matter the viewer may see (404 otherwise), with its pair."""
    matter = (matters_visible(viewer=viewer).select_related("bureau", "agency", "officer", "merged_into")
              .prefetch_related(Prefetch("pair", queryset=MatterSupervisor.objects.select_related("user")))
              .filter(pk=matter_id).first())
    if matter is None:
        raise Http404("监督事项不存在")
    return matter


HISTORY_LABELS = {
    EventKind.SUPERVISION_MATTER_OPENED: "登记",
    EventKind.SUPERVISION_MATTER_ACCEPTED: "受理",
    EventKind.SUPERVISION_MATTER_MERGED: "并案",
    EventKind.SUPERVISION_MATTER_TRANSFERRED: "移送",
    EventKind.SUPERVISION_MATTER_CLOSED: "不予监督并结束",
    EventKind.SUPERVISION_MATTER_CONCLUDED: "办结",
    EventKind.SUPERVISION_PAIR_ASSIGNED: "指派承办人员",
    EventKind.SUPERVISION_SUPERVISOR_RECUSED: "回避",
    EventKind.SUPERVISION_MEASURE_RECORDED: "记录监督措施",
    EventKind.SUPERVISION_READ_GRANTED: "调阅案卷",
    EventKind.SUPERVISION_MARK_CHANGED: "挂牌督办、提级监督",
}


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    at: dt.datetime
    actor: str
    label: str


def matter_history(*, matter: Matter) -> list[HistoryItem]:
    """The matter's ledger entries, oldest first, as the page names them."""
    entries = Entry.objects.filter(subject=f"supervision_matter:{matter.pk}").select_related("actor")
    return [HistoryItem(seq=e.seq, at=e.created_at, actor=str(e.actor) if e.actor else "平台",
                        label=HISTORY_LABELS.get(e.kind, "其他记录"))
            for e in entries.order_by("created_at", "seq")]


def matter_measures(*, matter: Matter) -> list[Measure]:
    return list(matter.measures.select_related("recorded_by").prefetch_related(
        Prefetch("read_grants", queryset=ReadGrant.objects.select_related("case"))))


def read_grant_active(*, user: User, case_id: int, at: dt.datetime) -> ReadGrant | None:
    """The read grant under which `user` may read the case at `at`: a 调阅案卷 of a matter the user
    handles (assigned, not recused), naming the case, not yet expired. None when there is none."""
    return (ReadGrant.objects.filter(case_id=case_id, starts_at__lte=at, expires_at__gt=at,
                                     matter__state=MatterState.ACCEPTED,  # a grant ends with its matter
                                     matter__pair__user=user, matter__pair__recused=False)
            .select_related("matter").order_by("-expires_at").first())


def matter_counts_for_agency(*, agency_id: int) -> int:
    return Matter.objects.filter(agency_id=agency_id).exclude(state__in=[s.value for s in FINAL_STATES]).count()


def case_ids_granted(*, user: User, at: dt.datetime) -> list[int]:
    """The cases the user may read at `at` under read grants of matters they handle."""
    return list(ReadGrant.objects.filter(starts_at__lte=at, expires_at__gt=at, matter__state=MatterState.ACCEPTED,
                                         matter__pair__user=user, matter__pair__recused=False)
                .values_list("case_id", flat=True).distinct())


ORIGIN_LINKS = {"publication_draft": ("公示稿", "publication:draft_detail"), "case": ("案件", "cases:case_detail"),
                "inspection": ("行政检查", "inspection:detail")}


def matter_origin_link(matter: Matter) -> tuple[str, str] | None:
    """The record behind a platform alert (label, address), when the origin names one."""
    kind, _, pk = matter.origin.partition(":")
    number = id_from_query(pk)
    if kind not in ORIGIN_LINKS or number is None:
        return None
    label, name = ORIGIN_LINKS[kind]
    return label, reverse(name, args=[number])


def matter_agency_cases(*, matter: Matter, case_ids: Iterable[int]) -> list[Case]:
    """The cases named (调阅案卷) that belong to the matter's agency; the others are left out."""
    ids = list(case_ids)
    if not ids or matter.agency_id is None:
        return []
    return list(Case.objects.filter(pk__in=ids, agency_id=matter.agency_id).order_by("pk"))
