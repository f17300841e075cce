"""The forms of the steps of an inspection (the phone page's and the API's, by the same names):
what each step takes, parsed into the data `inspection_services.inspection_act` takes, and what is
wrong with the input itself (every problem, beside its field). They parse; the service decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone

from sanxiang.inputs import PLATFORM_RULE, date_problem, id_from_query, text_problem
from sanxiang.inspection.models import Inspection
from sanxiang.procedure.violations import FORM_BASIS, Violation

# The steps of the page, each a form of its own.
ACTIONS = ("inspection_approve", "inspection_decline", "inspection_offsite", "inspection_conclude_offsite",
           "inspection_start", "inspection_record", "inspection_send_result", "inspection_start_emergency",
           "inspection_approve_after", "inspection_join", "inspection_case_open")


def _day(value: str, name: str, label: str, problems: list[Violation], *, required: bool) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        if required:
            problems.append(Violation(f"form.{name}", f"请填写{label}", FORM_BASIS, name))
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        problems.append(Violation(f"form.{name}", f"{label}格式不正确，请按“年-月-日”填写，例如{timezone.localdate().isoformat()}",
                                  FORM_BASIS, name))
        return None
    if (problem := date_problem(day)) is not None:
        problems.append(Violation(f"form.{name}", f"{label}{problem}", PLATFORM_RULE, name))
        return None
    return day


def _text(value: Any, name: str, label: str, problems: list[Violation], *, max_length: int,
          multiline: bool = True) -> str:
    """The text of a field cut to `max_length`; NUL, control characters and lone surrogates are
    refused (PostgreSQL cannot store a NUL, in a JSON value neither)."""
    value = str(value or "")[:max_length]
    if (problem := text_problem(value, multiline=multiline)) is not None:
        problems.append(Violation(f"form.{name}", f"{label}{problem}", PLATFORM_RULE, name))
    return value


def _officer_ids(values: list[str], known: set[int], problems: list[Violation]) -> list[int]:
    """The officers ticked; a value that is not an ascii number of one of the inspection's officers
    is refused ("²" is a digit to str.isdigit(), not to int())."""
    ids = []
    for value in values:
        number = id_from_query(value)
        if number is None or number not in known:
            problems.append(Violation("form.officer_ids", "检查人员选择不正确，请在本次检查的检查人员中选择",
                                      FORM_BASIS, "officer_ids"))
            continue
        ids.append(number)
    return list(dict.fromkeys(ids))


def form_parse(action: str, post: Any, inspection: Inspection) -> tuple[dict[str, Any], list[Violation]]:
    """The form of `action` as the service takes it, and what is wrong with the input itself."""
    problems: list[Violation] = []
    if action == "inspection_join":
        item_ids = [n for v in post.getlist("join_items") if (n := id_from_query(v)) is not None]
        officer_ids = [n for v in post.getlist("join_officers") if (n := id_from_query(v)) is not None]
        if len(item_ids) != len(post.getlist("join_items")) or len(officer_ids) != len(post.getlist("join_officers")):
            problems.append(Violation("form.join", "检查事项或者检查人员选择不正确", FORM_BASIS, "join"))
        return {"item_ids": item_ids, "officer_ids": officer_ids}, problems
    if action == "inspection_start_emergency":
        return {"reason": _text(post.get("emergency_reason", ""), "emergency_reason", "紧急情况", problems,
                                max_length=2000)}, problems
    if action in ("inspection_approve", "inspection_decline", "inspection_approve_after"):
        return {"approval": post.get("approval", ""),
                "reason": _text(post.get("reason", ""), "reason", "理由", problems, max_length=2000)}, problems
    if action in ("inspection_start", "inspection_conclude_offsite", "inspection_case_open"):
        return {}, problems
    if action == "inspection_offsite":
        return {
            "method": post.get("method", ""),
            "on": _day(post.get("offsite_on", ""), "offsite_on", "非现场检查日期", problems, required=True),
            "sufficient": post.get("sufficient") == "on",
            "findings": _text(post.get("offsite_findings", ""), "offsite_findings", "核查情况", problems,
                              max_length=2000),
        }, problems
    if action == "inspection_record":
        checklist = []
        for item in inspection.items.all():
            point = _text((post.get(f"point_{item.pk}") or item.name).strip(), "checklist", f"“{item.name}”的检查内容",
                          problems, max_length=200, multiline=False)
            checklist.append({"item_id": item.pk, "point": point, "finding": post.get(f"finding_{item.pk}", ""),
                              "note": _text(post.get(f"note_{item.pk}", ""), "checklist", f"“{item.name}”的备注",
                                            problems, max_length=500)})
        known = {o.pk for o in inspection.officers.all()}
        officer_ids = _officer_ids(post.getlist("officer_ids"), known, problems)
        data = {
            "on": _day(post.get("on", ""), "on", "检查日期", problems, required=True),
            "officer_ids": officer_ids,
            "certificates_shown": post.get("certificates_shown") == "on",
            "enterprise_signed": post.get("enterprise_signed") == "on",
            "refusal_noted": post.get("refusal_noted") == "on",
            "needs_testing": post.get("needs_testing") == "on",
            "checklist": checklist,
        }
        return data, problems
    if action == "inspection_send_result":
        data = {
            "outcome": post.get("outcome", ""),
            "findings": _text(post.get("findings", ""), "findings", "发现的问题", problems, max_length=2000),
            "sent_on": _day(post.get("sent_on", ""), "sent_on", "告知日期", problems, required=True),
            "test_results_on": _day(post.get("test_results_on", ""), "test_results_on", "取得检测结果的日期", problems,
                                    required=False),
            "rectification_due": _day(post.get("rectification_due", ""), "rectification_due", "整改期限", problems,
                                      required=False),
        }
        return data, problems
    raise Http404("没有这一步")
