"""The texts of every penalty case move from the untyped keys of `Case.details` into
`details["texts"]`, in the form `procedure.penalty.texts.PenaltyTexts` loads (`cases.facts`):
the same names, dates in ISO form or null, lists of strings, integers for money and ids, and
`officer_changes` with `from_ids`/`to_ids` for the old `from`/`to`. `details["records"]` stays
where it is. Keys this migration does not know are kept under `details["legacy"]`, and the old details as
they were under `details["before_0007"]` (no code reads it): a value the conversion could not
read is never dropped.

Written against the historical model and on plain JSON, without importing the code of today
(which will change): a pure data transformation, tolerant of old cases missing any key, and
idempotent (a case that already has `texts` is left as it is).

The digests of draft decisions stored in `Case.facts` are not touched: the typed digest is the
same for the same content (`PenaltyTexts.decision_digest`), so reviews keep covering their drafts.

Backwards, the texts go back to the old keys (what the code before this migration reads); what
only the typed texts know (the 移送书's number, the no-penalty decision's education …) the old code
never read, and is dropped.
"""

import datetime as dt

from django.db import migrations

PENALTY_PROCEDURES = ("ordinary", "summary")
KEPT = ("records", "texts", "legacy", "before_0007")
# The old details as they were, kept beside the typed texts: a value the conversion could not
# read (a date that is no date, an amount that is no number) is then not lost, only unread.
ORIGINAL = "before_0007"


# --- values, as the typed texts hold them ---------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _date(value):
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


def _moment(value):
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def _lines(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    if isinstance(value, list | tuple):
        return [_text(v) for v in value if v is not None]
    return [_text(value)]


def _int(value, default=0):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _int_or_none(value):
    return None if value in (None, "") else _int(value, None)


def _ints(value):
    found = []
    for item in value if isinstance(value, list | tuple) else []:
        number = _int_or_none(item)
        if number is not None:
            found.append(number)
    return found


def _bool(value, default=False):
    if value is None:
        return default
    return bool(value)


def _dict(value):
    return value if isinstance(value, dict) else {}


def _section(value, fields):
    """A dict of the given fields, each converted, from the old dict (missing: its default)."""
    old = _dict(value)
    return {name: convert(old.get(name)) for name, convert in fields.items()}


def _terms(value):
    old = _dict(value)
    if not old:
        return None
    return {
        "kinds": sorted({_text(k) for k in old.get("kinds") or []}),
        "fine_fen": _int(old.get("fine_fen")),
        "confiscation_fen": _int(old.get("confiscation_fen")),
    }


def _optional(fields):
    def convert(value):
        return _section(value, fields) if isinstance(value, dict) else None

    return convert


def _each(fields):
    def convert(value):
        return [_section(item, fields) for item in (value if isinstance(value, list) else []) if isinstance(item, dict)]

    return convert


HEAD_OPINION = {"text": _text, "signer": _text, "on": _date}
OPENING = {"source": _text, "summary": _text, "violated": _lines, "handler_opinion": _text, "on": _date,
           "declined": _bool}
ACT = {"on": _date, "start": _text, "end": _text, "place": _text, "officer_ids": _ints, "recorder": _text}
INQUIRY = {**ACT, "interviewee": _text, "relation": _text, "exchanges": _lines}
INSPECTION = {**ACT, "findings": _text, "present_person": _text}
PRESERVATION = {"on": _date, "approved_on": _date, "items": _lines, "storage_place": _text}
DATED_TEXT = {"text": _text, "on": _date}
FINDINGS = {"process": _text, "facts": _text, "evidence": _lines, "violated": _lines, "opinion": _text,
            "proposed": _terms, "detail": _text, "bases": _lines}
NOTICE = {"served_on": _date, "method": _text, "place": _text, "hearing_right": _bool, "contact_person": _text}
STATEMENT = {"on": _date, "summary": _text}
WAIVER = {"on": _date, "note": _text}
HEARING = {"scheduled_for": _date, "time": _text, "place": _text, "presiding_name": _text, "clerk": _text,
           "public": lambda v: _bool(v, True), "end_time": _text, "attendees": _lines, "exchanges": _lines}
DECISION = {"outcome": _text, "reasoning": _text, "transfer_to": _text, "detail": _text, "bases": _lines,
            "education": _text, "correction": _text, "suspected_offence": _text, "attachments": _lines}
REASSIGNMENT = {"on": _date, "by": _text, "reason": _text}
REVIEW_EXTENSION = {"to": _date, "reason": _text, "by": _text}
REVIEW_ROUND = {"round": _int, "on": _date, "by": _text, "evidence_list": _lines, "explanation": _text,
                "response": _text, "reviewer": _text, "reviewer_id": _int_or_none,
                "reassigned": _optional(REASSIGNMENT), "extension": _optional(REVIEW_EXTENSION)}
CHECKLIST_ENTRY = {"item": _text, "finding": _text, "note": _text}
REVIEW = {"round": _int, "on": _date, "opinion": _text, "reasons": _text, "reviewer": _text,
          "checklist": _each(CHECKLIST_ENTRY)}
DISCUSSION = {"on": _date, "place": _text, "host": _text, "recorder": _text, "participants": _lines,
              "absent": _lines, "views": _lines, "conclusion": _text, "resolution": _text, "leader_count": _int}
EXTENSION = {"on": _date, "to": _date, "reason": _text}
MAJOR_MARK = {"on": _date, "by": _text, "reason": _text}
OFFICER_CHANGE = {"on": _date, "by": _text, "from_ids": _ints, "to_ids": _ints, "reason": _text}
SERVICE = {"method": _text, "served_on": _date, "place": _text, "signed_by": _text, "note": _text}
PAYMENT = {"on": _date, "fen": _int, "receipt": _text}
COURT = {"court": _text, "on": _date, "result": _text}
CLOSING = {"execution": _text, "handler_opinion": _text, "head_opinion": _text, "head": _text, "on": _date}
ON_SPOT = {"occurred_at": _moment, "place": _text, "facts": _text, "detail": _text, "bases": _lines,
           "receipt_number": _text}
NOTE = {"on": _date, "text": _text}
PARTY = {"birth_date": _date}


def _reviews(value):
    # The earliest opinions kept their reasons as "text".
    items = [item for item in (value if isinstance(value, list) else []) if isinstance(item, dict)]
    return _each(REVIEW)([{**item, "reasons": item.get("reasons") or item.get("text") or ""} for item in items])


def _officer_changes(value):
    items = [item for item in (value if isinstance(value, list) else []) if isinstance(item, dict)]
    return _each(OFFICER_CHANGE)([{**item, "from_ids": item.get("from"), "to_ids": item.get("to")} for item in items])


# Each old key of `details` and how it becomes the typed field of the same name. A section that
# the typed texts default to an empty one is written only when the old case had it.
SECTIONS = {
    "opening_head": _optional(HEAD_OPINION),
    "opening": _optional(OPENING),
    "inquiries": _each(INQUIRY),
    "inspections": _each(INSPECTION),
    "preservations": _each(PRESERVATION),
    "preservation_decision": _optional(DATED_TEXT),
    "findings": _optional(FINDINGS),
    "notice": _optional(NOTICE),
    "statements": _each(STATEMENT),
    "reexamination": _optional(DATED_TEXT),
    "statement_waiver": _optional(WAIVER),
    "hearing_waiver": _optional(WAIVER),
    "hearing": _optional(HEARING),
    "decision": _optional(DECISION),
    "decision_number": _text,
    "major_marks": _each(MAJOR_MARK),
    "review_rounds": _each(REVIEW_ROUND),
    "reviews": _reviews,
    "collective_discussion": _optional(DISCUSSION),
    "extension": _optional(EXTENSION),
    "officer_changes": _officer_changes,
    "service": _optional(SERVICE),
    "payments": _each(PAYMENT),
    "court": _optional(COURT),
    "closing": _optional(CLOSING),
    "on_spot": _optional(ON_SPOT),
    "notes": _each(NOTE),
    "party": _optional(PARTY),
    "third_parties": _lines,
    "secrets_or_privacy": _bool,
}


def penalty_details_typed(details):
    """A penalty case's old `details` → the new ones: records, typed texts, and anything unknown
    kept as it was under "legacy". Already typed details are returned as they are."""
    details = _dict(details)
    if "texts" in details:
        return details
    texts = {}
    legacy = {}
    for key, value in details.items():
        if key in SECTIONS:
            converted = SECTIONS[key](value)
            if converted is not None:
                texts[key] = converted
        elif key not in KEPT:
            legacy[key] = value
    typed = {"texts": texts}
    if "records" in details:
        typed["records"] = details["records"]
    if legacy:
        typed["legacy"] = legacy
    original = {k: v for k, v in details.items() if k not in KEPT}
    if original:
        typed[ORIGINAL] = original
    return typed


# --- backwards ------------------------------------------------------------------------------------

# What the code before this migration never wrote, and does not read.
NEW_ONLY = {"transfer_number"}
NEW_DECISION_FIELDS = ("education", "correction", "suspected_offence", "attachments")


def penalty_details_untyped(details):
    """The reverse: typed texts back to the old keys."""
    details = _dict(details)
    if "texts" not in details:
        return details
    old = {k: v for k, v in details.items() if k not in ("texts", "legacy", ORIGINAL)}
    old.update(_dict(details.get("legacy")))
    for key, value in _dict(details["texts"]).items():
        if key in NEW_ONLY or value is None:
            continue
        if key == "officer_changes":
            value = [
                {**{k: v for k, v in item.items() if k not in ("from_ids", "to_ids")},
                 "from": item.get("from_ids", []), "to": item.get("to_ids", [])}
                for item in value
            ]
        elif key == "decision" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in NEW_DECISION_FIELDS}
        old[key] = value
    return old


def _convert(apps, convert):
    Case = apps.get_model("cases", "Case")
    cases = Case.objects.filter(procedure__in=PENALTY_PROCEDURES).only("pk", "details").order_by("pk")
    for case in cases.iterator(chunk_size=500):
        details = convert(case.details)
        if details != case.details:
            Case.objects.filter(pk=case.pk).update(details=details)


def forwards(apps, schema_editor):
    _convert(apps, penalty_details_typed)


def backwards(apps, schema_editor):
    _convert(apps, penalty_details_untyped)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_case_parent"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
