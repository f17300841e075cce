from sanxiang.cases.models import Case
from sanxiang.ledger.events import EventKind, LedgerEvent


def case_opened_event(*, case: Case) -> LedgerEvent:
    return LedgerEvent(
        EventKind.CASE_OPENED,
        {"number": case.number, "title": case.title, "matter": case.matter_id},
        agency_id=case.agency_id,
        case_id=case.pk,
        subject=f"case:{case.pk}",
    )
