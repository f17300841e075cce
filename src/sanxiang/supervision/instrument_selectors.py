"""Reads of part B: which instruments a user sees (the bureau's supervisors theirs, an agency's
staff those served on it, never another's), an instrument's page, the lists and the inbox counts.
Each read costs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.hooks import Slot
from sanxiang.inputs import id_from_query
from sanxiang.procedure.supervision.instruments import (
    ACTION_LABELS,
    AGENCY_ACTIONS,
    AGENCY_TURN,
    INSTRUMENT_KIND_LABELS,
    SUPERVISOR_TURN,
    TRANSITIONS,
    InstrumentKind,
    InstrumentState,
    is_overdue,
)
from sanxiang.registry.models import Agency, Officer, Party, PartyKind
from sanxiang.supervision.models import (
    Complainant,
    Filing,
    Instrument,
    InstrumentStep,
    Matter,
    Notice,
    PersonalProposal,
    ReadGrant,
    Referral,
)

PAGE_SIZE = 30

# The indicator figures a 通报 cites, from the app that computes them (evaluation installs it):
# `notice_indicator_lines(bureau=, on=) -> list[str]`, offered as the draft's 指标情况 (editable).
notice_indicator_lines: Slot[Callable[..., list[str]]] = Slot("supervision: the indicator lines of a 通报")


def user_is_supervisor(user: User) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id is not None


def user_is_agency_staff(user: User) -> bool:
    return user.is_authenticated and user.role in AGENCY_ROLES and user.agency_id is not None


def instruments_visible(*, user: User) -> QuerySet[Instrument]:
    """A supervisor: their bureau's instruments; an agency's staff: those served on their agency
    (a 决定书 only once the government has issued it); a system administrator: all."""
    rows = Instrument.objects.select_related("agency", "bureau", "matter")
    if user_is_supervisor(user):
        return rows.filter(bureau_id=user.agency_id)
    if user_is_agency_staff(user):
        return rows.filter(agency_id=user.agency_id).exclude(state=InstrumentState.PROPOSED)
    if user.is_authenticated and user.role == Role.SYSTEM_ADMIN:
        return rows
    return rows.none()


def instrument_get(*, user: User, instrument_id: int) -> Instrument:
    instrument = instruments_visible(user=user).filter(pk=instrument_id).first()
    if instrument is None:
        raise Http404("没有这份监督文书，或者无权查看")
    return instrument


def instrument_attachment_get(*, instrument: Instrument, record_id: int) -> EvidenceRecord:
    """A file the agency attached to a reply (整改报告) on `instrument`; 404 for any other."""
    record = EvidenceRecord.objects.select_related("stored_file").filter(
        pk=record_id, pk__in=InstrumentStep.files.through.objects.filter(
            instrumentstep__instrument_id=instrument.pk).values("evidencerecord_id")).first()
    if record is None:
        raise Http404("没有这个文件")
    return record


def matter_for_desk(*, user: User, matter_id: object) -> Matter:
    """A matter of the supervisor's own bureau (404 for any other, and for a bad id)."""
    try:
        pk = int(str(matter_id))
    except (TypeError, ValueError):
        raise Http404("没有这个监督事项") from None
    matter = Matter.objects.select_related("agency", "bureau").filter(pk=pk, bureau_id=user.agency_id).first()
    if matter is None or not user_is_supervisor(user):
        raise Http404("没有这个监督事项，或者不属于本局")
    return matter


def bureau_supervisors(*, bureau_id: int) -> QuerySet[User]:
    return User.objects.filter(role=Role.SUPERVISOR, agency_id=bureau_id, is_active=True).order_by("display_name", "id")


@dataclass(frozen=True)
class InstrumentRow:
    instrument: Instrument
    kind_label: str
    state_label: str
    overdue: bool
    waiting_on_me: bool


def _row(instrument: Instrument, *, user: User, on: dt.date) -> InstrumentRow:
    turn = SUPERVISOR_TURN if user_is_supervisor(user) else AGENCY_TURN
    return InstrumentRow(
        instrument=instrument,
        kind_label=INSTRUMENT_KIND_LABELS[InstrumentKind(instrument.kind)],
        state_label=instrument.get_state_display(),
        overdue=is_overdue(due_on=instrument.due_on, state=instrument.state, on=on),
        waiting_on_me=instrument.state in turn,
    )


def instrument_rows(*, user: User, on: dt.date, waiting: bool = False, page: int = 1) -> tuple[list[InstrumentRow], bool]:
    """One page of the instruments the user sees, newest first (those waiting on the user first when
    `waiting`), and whether there is a next page. Two queries at most."""
    rows = instruments_visible(user=user)
    if waiting:
        turn = SUPERVISOR_TURN if user_is_supervisor(user) else AGENCY_TURN
        rows = rows.filter(state__in=[str(s) for s in turn]).order_by("due_on", "id")
    start = (max(page, 1) - 1) * PAGE_SIZE
    chunk = list(rows[start:start + PAGE_SIZE + 1])
    return [_row(i, user=user, on=on) for i in chunk[:PAGE_SIZE]], len(chunk) > PAGE_SIZE


@dataclass(frozen=True)
class InstrumentPage:
    instrument: Instrument
    row: InstrumentRow
    supervisors: list[User]
    steps: list[InstrumentStep]
    step_labels: list[tuple[InstrumentStep, str]]  # each move and its Chinese name
    agency_actions: list[tuple[str, str]]  # (action, label): what the agency may do now (the viewer is its staff)
    desk_actions: list[tuple[str, str]]  # what the supervisors may do now (the viewer is one)
    colleagues: list[User]  # the bureau's other supervisors, to name the second of the pair


def instrument_page(*, user: User, instrument_id: int, on: dt.date) -> InstrumentPage:
    instrument = instrument_get(user=user, instrument_id=instrument_id)
    state = InstrumentState(instrument.state)
    possible = [a for (s, a) in TRANSITIONS if s == state]
    agency_side = user_is_agency_staff(user) and user.agency_id == instrument.agency_id
    desk_side = user_is_supervisor(user) and user.agency_id == instrument.bureau_id
    steps = list(instrument.steps.select_related("actor").prefetch_related("files__stored_file"))
    return InstrumentPage(
        instrument=instrument,
        row=_row(instrument, user=user, on=on),
        supervisors=list(instrument.supervisors.order_by("id")),
        steps=steps,
        step_labels=[(step, ACTION_LABELS.get(step.action, step.action)) for step in steps],
        agency_actions=[(a.value, ACTION_LABELS[a]) for a in possible if a in AGENCY_ACTIONS] if agency_side else [],
        desk_actions=[(a.value, ACTION_LABELS[a]) for a in possible if a not in AGENCY_ACTIONS] if desk_side else [],
        colleagues=list(bureau_supervisors(bureau_id=instrument.bureau_id).exclude(pk=user.pk)) if desk_side else [],
    )


def notices_visible(*, user: User) -> QuerySet[Notice]:
    """The bureau's 通报 for its supervisors; for an agency's staff the approved ones that name it."""
    if user_is_supervisor(user):
        return Notice.objects.filter(bureau_id=user.agency_id)
    if user_is_agency_staff(user):
        return Notice.objects.filter(agencies=user.agency_id, approved_on__isnull=False)
    if user.is_authenticated and user.role == Role.SYSTEM_ADMIN:
        return Notice.objects.all()
    return Notice.objects.none()


# --- person-level proposals, referrals and 通报: the pages' reads ------------------------------------


def proposals_visible(*, user: User) -> QuerySet[PersonalProposal]:
    """A supervisor: the proposals of their bureau's matters; an agency's head: those about the
    agency's officers; a system administrator: all."""
    rows = PersonalProposal.objects.select_related("officer", "officer__agency", "matter")
    if user_is_supervisor(user):
        return rows.filter(matter__bureau_id=user.agency_id)
    if user.is_authenticated and user.role == Role.AGENCY_HEAD and user.agency_id is not None:
        return rows.filter(officer__agency_id=user.agency_id)
    if user.is_authenticated and user.role == Role.SYSTEM_ADMIN:
        return rows
    return rows.none()


def proposal_get(*, user: User, proposal_id: int) -> PersonalProposal:
    proposal = proposals_visible(user=user).select_related("certificate", "matter__bureau").filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("没有这份处理建议，或者无权查看")
    return proposal


def page_of(rows: QuerySet, *, page: int) -> tuple[list, bool]:
    """One page of rows and whether there is a next page (one query)."""
    start = (max(page, 1) - 1) * PAGE_SIZE
    chunk = list(rows[start:start + PAGE_SIZE + 1])
    return chunk[:PAGE_SIZE], len(chunk) > PAGE_SIZE


def matter_officers(*, matter: Matter) -> QuerySet[Officer]:
    """The officers a person-level proposal may name: the matter's agency's."""
    if matter.agency_id is None:
        return Officer.objects.none()
    return Officer.objects.filter(agency_id=matter.agency_id).order_by("name", "id")


def referrals_visible(*, user: User) -> QuerySet[Referral]:
    """Referrals to the 监察机关 are the bureau's own record: its supervisors see them."""
    if user_is_supervisor(user):
        return Referral.objects.filter(matter__bureau_id=user.agency_id).select_related("matter", "referred_by")
    return Referral.objects.none()


def referral_get(*, user: User, referral_id: int) -> Referral:
    referral = referrals_visible(user=user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404("没有这份问题线索移送记录，或者无权查看")
    return referral


def notice_get(*, user: User, notice_id: int) -> Notice:
    notice = notices_visible(user=user).select_related("drafted_by", "approved_by", "bureau").filter(pk=notice_id).first()
    if notice is None:
        raise Http404("没有这份通报，或者无权查看")
    return notice


def bureau_agencies(*, bureau: Agency) -> QuerySet[Agency]:
    """The agencies a 通报 may name: those of the bureau's county (same region code; part A's
    `agencies_supervised_by` replaces this after the merge), the bureau itself excluded."""
    return (Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False)
            .order_by("name", "id"))


# --- what a public 通报 must not publish --------------------------------------------------------

# A 文号 or 案号 typed in a text: the year in 〔〕 and the number; the agency's abbreviation before it
# has no fixed length, so every tail of the characters before it is tried.
_NUMBER_TAIL = re.compile(r"〔\d{4}〕\d{1,7}号")
_NUMBER_HEAD = 24


@dataclass(frozen=True)
class PersonalData:
    """The natural persons around a 通报 whose data the public text must not carry."""

    names: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


def numbers_in_text(text: str) -> set[str]:
    """Every string of the text that could be a case or document number (〔year〕N号 with the
    characters before it, one candidate per possible start)."""
    candidates = set()
    for match in _NUMBER_TAIL.finditer(text):
        for start in range(max(0, match.start() - _NUMBER_HEAD), match.start()):
            candidates.add(text[start:match.end()])
    return candidates


def notice_cases(*, notice: Notice) -> QuerySet[Case]:
    """The cases a 通报 cites: those called up (调阅) or raised as alerts on its matters, those whose
    filing opened one of its matters, and those of the bureau's county named in its text by case or
    document number."""
    matter_ids = list(notice.matters.values_list("pk", flat=True))
    origins = list(Matter.objects.filter(pk__in=matter_ids).values_list("origin", flat=True))
    case_ids = set(ReadGrant.objects.filter(matter_id__in=matter_ids).values_list("case_id", flat=True))
    filing_ids = set()
    for origin in origins:
        kind, _, pk = (origin or "").partition(":")
        number = id_from_query(pk)
        if number is not None and kind == "case":
            case_ids.add(number)
        elif number is not None and kind == "supervision_filing":
            filing_ids.add(number)
    case_ids |= set(Filing.objects.filter(pk__in=filing_ids).values_list("case_id", flat=True))
    numbers = numbers_in_text("\n".join((notice.title, notice.body, notice.indicators)))
    county = notice.bureau.region_code
    if numbers:
        in_county = Case.objects.filter(agency__region_code=county)
        case_ids |= set(in_county.filter(number__in=numbers).values_list("pk", flat=True))
        case_ids |= set(IssuedDocument.objects.filter(case__agency__region_code=county, number__in=numbers)
                        .values_list("case_id", flat=True))
    return Case.objects.filter(pk__in=case_ids)


def notice_personal_data(*, notice: Notice) -> PersonalData:
    """The natural persons a public 通报 must not name: the natural-person parties of the cases it
    cites (name, ID number, phone, address), the complainants of its matters, and the officers of
    the agencies it names and of its matters (names)."""
    names: set[str] = set()
    addresses: set[str] = set()
    id_numbers: set[str] = set()
    phones: set[str] = set()
    parties = Party.objects.filter(cases__in=notice_cases(notice=notice), kind=PartyKind.NATURAL_PERSON).distinct()
    for name, id_number, phone, address in parties.values_list("name", "id_number", "phone", "address"):
        names.add(name)
        id_numbers.add(id_number)
        phones.add(phone)
        addresses.add(address)
    complainants = Complainant.objects.filter(complaint__matter__in=notice.matters.all())
    for anonymous, name, id_number, phone in complainants.values_list("anonymous", "name", "id_number", "phone"):
        if not anonymous:
            names.add(name)
        id_numbers.add(id_number)
        phones.add(phone)
    names |= set(Officer.objects.filter(agency__in=notice.agencies.all()).values_list("name", flat=True))
    names |= set(Officer.objects.filter(supervision_matters__in=notice.matters.all()).values_list("name", flat=True))

    def kept(values: set[str]) -> tuple[str, ...]:
        return tuple(sorted(v.strip() for v in values if v and v.strip()))

    return PersonalData(names=kept(names), addresses=kept(addresses), id_numbers=kept(id_numbers), phones=kept(phones))
