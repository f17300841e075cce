"""A year of 培训 and the 制度文件 of the demo county (issue 15, items 5-6), produced through the
services: the 司法局's county-wide sessions (三项制度, 公共法律知识) with officers of every agency, the
main agency's own sessions (专业法律知识 every month, one attendance list imported from Excel), so
that some officers reach the yearly hours and some do not; and the main agency's documents against
the plan's checklist, most accepted (the public ones then on the portal), one returned with a reason.
The other agencies submitted nothing: they show as overdue. Loaded once: nothing when the bureau
already has a session."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from sanxiang.accounts.models import User
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.evaluation.document_services import (
    system_document_resubmit,
    system_document_review,
    system_document_submit,
)
from sanxiang.evaluation.models import TrainingSession
from sanxiang.evaluation.training_selectors import attendee_candidates
from sanxiang.evaluation.training_services import (
    training_attendance_import,
    training_attendance_mark,
    training_session_record,
)
from sanxiang.registry.models import Agency

# (days before today, kind, topic, hours) of the bureau's county-wide sessions.
BUREAU_SESSIONS = (
    (330, "three_systems", "行政执法公示、全过程记录、重大执法决定法制审核制度专题培训", "8"),
    (240, "public_law", "《中华人民共和国行政处罚法》《中华人民共和国行政强制法》公共法律知识培训", "12"),
    (150, "three_systems", "行政执法全过程记录与音像记录规范培训", "6"),
    (60, "public_law", "《行政执法监督条例》学习培训", "8"),
)
# The main agency's documents: (days before today, kind, title, public, outcome).
DOCUMENTS = (
    (320, "rules", "市场监督管理局行政执法公示制度实施办法", True, "accept"),
    (318, "list", "市场监督管理局行政执法事项清单", True, "accept"),
    (316, "service_guide", "市场监督管理局行政许可服务指南", True, "revise"),
    (310, "flow_chart", "市场监督管理局行政处罚流程图", True, "return"),
    (300, "manual", "市场监督管理局行政执法工作手册", False, "accept"),
)
RETURN_REASON = "流程图未标明法制审核环节和各环节的办理时限，请补充后重新报送。"


def _pdf(title: str, version: int = 1) -> io.BytesIO:
    """A small PDF standing for the document (the demo has no real files)."""
    body = f"%PDF-1.4\n% {title} v{version}\n1 0 obj<<>>endobj\n%%EOF\n".encode()
    upload = io.BytesIO(body)
    upload.name = f"{title}.pdf"
    return upload


def _documents_load(*, head: User, supervisor: User, today: dt.date) -> None:
    for days, kind, title, public, outcome in DOCUMENTS:
        on = today - dt.timedelta(days=days)
        document = system_document_submit(actor=head, kind=kind, title=title, public=public, upload=_pdf(title), on=on)
        reviewed_on = on + dt.timedelta(days=5)
        if outcome == "return":
            system_document_review(actor=supervisor, document=document, action="return", reason=RETURN_REASON,
                                   on=reviewed_on)
            continue
        system_document_review(actor=supervisor, document=document, action="accept", on=reviewed_on)
        if outcome == "revise":  # a revision sent after acceptance, accepted in turn (the portal shows it)
            revised_on = reviewed_on + dt.timedelta(days=60)
            system_document_resubmit(actor=head, document=document, upload=_pdf(title, 2), on=revised_on)
            system_document_review(actor=supervisor, document=document, action="accept",
                                   on=revised_on + dt.timedelta(days=3))


def _attendance_sheet(officers) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "执法证号", "身份证号码", "学时"])
    for officer in officers:
        sheet.append([officer.name, "", officer.id_number, None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _training_load(*, main: Agency, head: User, supervisor: User, today: dt.date) -> int:
    chance = random.Random(DEMO_SEED)
    sessions = 0
    for days, kind, topic, hours in BUREAU_SESSIONS:
        held_on = today - dt.timedelta(days=days)
        session = training_session_record(actor=supervisor, kind=kind, topic=topic, held_on=held_on,
                                          hours=Decimal(hours), today=today)
        candidates = list(attendee_candidates(session=session))
        attendees = [o.pk for o in candidates if chance.random() < 0.7]
        training_attendance_mark(actor=supervisor, session=session, officer_ids=attendees)
        sessions += 1
    # The main agency: specialist law every month (3 hours), the first list imported from Excel.
    for month in range(12):
        held_on = today - dt.timedelta(days=20 + 30 * month)
        session = training_session_record(actor=head, kind="specialist_law", topic=f"市场监管专业法律知识培训（第{12 - month}期）",
                                          held_on=held_on, hours=Decimal(3), today=today)
        candidates = list(attendee_candidates(session=session))
        # The agency's regular attendees come to almost every session; a few rarely do.
        attendees = [o for i, o in enumerate(candidates) if chance.random() < (0.9 if i % 4 else 0.3)]
        if month == 0:
            training_attendance_import(actor=head, session=session, file=_attendance_sheet(attendees))
        else:
            training_attendance_mark(actor=head, session=session, officer_ids=[o.pk for o in attendees])
        sessions += 1
    return sessions


@transaction.atomic
def demo_evaluation_training_load(*, today: dt.date | None = None) -> int:
    """Load the year of training and the documents (once); returns how many sessions the county has
    afterwards (0 when the demo county or its accounts are not there)."""
    today = today or timezone.localdate()
    generator = CountyGenerator(seed=DEMO_SEED, today=today)
    bureau = Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).first()
    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    head = User.objects.filter(username="head", agency=main).first() if main else None
    supervisor = User.objects.filter(username="supervisor", agency=bureau).first() if bureau else None
    if bureau is None or main is None or head is None or supervisor is None:
        return 0
    if TrainingSession.objects.filter(organiser=bureau).exists():
        return TrainingSession.objects.filter(organiser__region_code=bureau.region_code).count()
    _documents_load(head=head, supervisor=supervisor, today=today)
    _training_load(main=main, head=head, supervisor=supervisor, today=today)
    return TrainingSession.objects.filter(organiser__region_code=bureau.region_code).count()
