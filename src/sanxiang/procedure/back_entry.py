"""Back-entry (补录) of what happened earlier: a case handled on paper before the platform (or a
step taken on paper while it was out of reach) is entered step by step with the day each step
actually happened (`occurred_on`) and a reason.

The engine then judges the step at that day: the caller builds the `GuardContext` with
`today=occurred_on`, so every guard, period and parameter is the one in force that day (the
parameters are dated, `procedure.parameters`; the working-day calendar knows past years), the
dates the step stamps (立案, 决定 …) are that day, and its documents are dated that day. Deadlines
are then counted from the days given.

None of this is law: the law says what must happen and when; how a platform records a step that
happened before it was entered is the platform's rule, labelled as such. The limits:

- the day may not lie in the future (a step is entered after it happened, never before);
- it may not lie before the case's previous step (a case is entered in the order it was handled,
  so the engine sees each step with the case as it stood then);
- a reason is required (why the step is entered late), kept in clear in the ledger beside the
  day it happened, while the ledger's own time says when it was entered.

Who may back-enter: whoever may take the step (its roles, `procedure.steps.step_role_violation`),
as for a step entered the day it happens, and only in a case that was itself registered by
back-entry (a paper case: its registration carried the day it happened). In a case registered on
the platform, a step judged at an earlier day would let whoever may take it date a late decision
back into its legal period (a licence granted after its twenty working days, entered "as of" a day
within them). We chose not to let the agency's head or administrator do it either: the decisions
whose periods matter (a grant, a penalty decision) are the head's own steps. A step of such a case
is taken the day it is entered, and a late one explains itself there. Every document a
back-entered step issues says so on its face (`back_entry_document_note`): the day it was entered
and the day it happened, so that a reader of the paper copy (a court) sees when it was entered.
"""

import datetime as dt
import re
from dataclasses import dataclass, replace

from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation

OCCURRED_ON = "occurred_on"
REASON = "back_entry_reason"
REASON_MAX_LENGTH = 500

BACK_ENTRY_RULE = (
    f"{PLATFORM_PREFIX}：补录已经发生的步骤（如纸质案卷录入），按实际发生日期办理并写明理由；实际发生日期不得晚于录入之日，"
    "不得早于本案上一步骤的日期；账本同时记载实际发生日期、录入时间、理由和录入人"
)
BACK_ENTRY_ACTOR_RULE = (
    f"{PLATFORM_PREFIX}：补录由依本单位职责分工有权办理该步骤的人员办理，与当日办理相同；在平台上登记的案件"
    "（不是补录登记的纸质案件）不能补录步骤，应当按录入之日办理；补录的步骤制作的文书注明补录日期和实际发生日期"
)
# The largest sequence of a paper number of the agency's own series (a platform bound: a number
# beyond it would move the counter out of reach).
NUMBER_SEQUENCE_MAX = 999_999


PAPER_NUMBER_RULE = (
    f"{PLATFORM_PREFIX}：补录的文书可以沿用纸质文书已编的文号（当事人收到的文书与案卷一致），文号不得与本机关已有的文书重复；"
    "未填写的，由系统按顺序编号"
)
NUMBER_MAX_LENGTH = 80


@dataclass(frozen=True)
class BackEntry:
    """A step (or a registration) entered after the day it happened."""

    occurred_on: dt.date
    reason: str


def back_entry_problems(
    *, occurred_on: dt.date | None, reason: str, recorded_on: dt.date, previous_on: dt.date | None
) -> list[Violation]:
    """Every reason a back-entry may not be recorded as given (none when `occurred_on` and
    `reason` are both absent: not a back-entry). `recorded_on` is the day it is entered (today),
    `previous_on` the day of the case's previous step (None for a registration)."""
    reason = (reason or "").strip()
    if occurred_on is None:
        if reason:
            return [Violation("case.back_entry.day_missing", "填写了补录理由，请同时填写实际发生日期", BACK_ENTRY_RULE,
                              OCCURRED_ON)]
        return []
    problems = back_entry_day_problems(occurred_on=occurred_on, recorded_on=recorded_on, previous_on=previous_on)
    if not reason:
        problems.append(Violation("case.back_entry.reason_missing", "请写明补录的理由（如：纸质案卷录入）",
                                  BACK_ENTRY_RULE, REASON))
    elif len(reason) > REASON_MAX_LENGTH:
        problems.append(Violation("case.back_entry.reason_long", f"补录理由不超过{REASON_MAX_LENGTH}字", BACK_ENTRY_RULE,
                                  REASON))
    return problems


def back_entry_case_problems(*, paper_case: bool) -> list[Violation]:
    """Whether a step of this case may be back-entered: only in a paper case (registered by
    back-entry), whoever enters it."""
    if paper_case:
        return []
    return [Violation(
        "case.back_entry.live_case",
        "本案是在平台上登记的案件，不是补录登记的纸质案件，不能补录步骤：请按今天办理；逾期办理的，按今天办理时说明逾期的理由",
        BACK_ENTRY_ACTOR_RULE, OCCURRED_ON,
    )]


def back_entry_document_note(*, recorded_on: dt.date, occurred_on: dt.date) -> str:
    """The line every document of a back-entered step carries."""
    return (f"补录件：本文书系于{recorded_on.year}年{recorded_on.month}月{recorded_on.day}日补录"
            f"（实际发生日期{occurred_on.year}年{occurred_on.month}月{occurred_on.day}日）")


def back_entry_worded(violations: list[Violation], *, occurred_on: dt.date) -> list[Violation]:
    """The refusals of a step judged at its back-entry day, worded for that day: the rules say
    "today" (今天, 今日) for the day a step is taken, which in a back-entry is the day it happened,
    not the day it is entered. Codes, bases and fields are unchanged."""
    day = f"实际发生日期（{occurred_on.isoformat()}）"
    return [
        replace(v, message=v.message.replace("今天", day).replace("今日", day)) if "今天" in v.message or "今日" in v.message
        else v
        for v in violations
    ]


NUMBER_FORM = re.compile(r"(?P<prefix>.*)〔(?P<year>\d{4})〕(?P<sequence>\d+)号")


def paper_numbers_problems(
    *, given: dict[str, str], numbered: dict[str, str], back_entered: bool, taken: frozenset[str],
    series: dict[str, str] | None = None, year: int | None = None,
) -> list[Violation]:
    """Whether the numbers of paper documents given with a step may be used: only in a back-entry,
    only for the numbered documents the step issues (`numbered`: kind → title), and not a number
    the agency's documents already carry (`taken`). `series` (kind → the prefix of the agency's
    own numbers of that kind, before 〔year〕) and `year` (of the day the step happened): a number
    of the form of another kind's series is refused (it would take a number the platform gives
    that kind later); one of the kind's own series must be of that year and at most
    NUMBER_SEQUENCE_MAX; any number written with 〔year〕 must be of that year. The field of each
    problem is "document_numbers.<kind>"."""
    problems: list[Violation] = []
    given = {kind: number.strip() for kind, number in given.items() if number and number.strip()}
    if given and not back_entered:
        problems.append(Violation("case.back_entry.numbers_without_day", "只有补录的文书可以填写纸质文书的文号，请同时填写实际发生日期",
                                  PAPER_NUMBER_RULE, OCCURRED_ON))
    for kind, number in given.items():
        field = f"document_numbers.{kind}"
        if kind not in numbered:
            problems.append(Violation("case.back_entry.number_kind", "这一步骤不制作这种需要编号的文书", PAPER_NUMBER_RULE, field))
        elif len(number) > NUMBER_MAX_LENGTH:
            problems.append(Violation("case.back_entry.number_long", f"文号不超过{NUMBER_MAX_LENGTH}字", PAPER_NUMBER_RULE, field))
        elif list(given.values()).count(number) > 1:
            problems.append(Violation("case.back_entry.number_repeated", f"文号“{number}”不能同时用于两份文书",
                                      PAPER_NUMBER_RULE, field))
        elif number in taken:
            problems.append(Violation("case.back_entry.number_taken", f"文号“{number}”本机关已经用于其他文书",
                                      PAPER_NUMBER_RULE, field))
        else:
            problems += _series_problems(kind=kind, number=number, series=series or {}, year=year, field=field)
    return problems


def _series_problems(*, kind: str, number: str, series: dict[str, str], year: int | None, field: str) -> list[Violation]:
    matched = NUMBER_FORM.fullmatch(number)
    if matched is None:
        return []
    problems: list[Violation] = []
    prefix = matched.group("prefix")
    own = series.get(kind)
    if prefix in series.values() and prefix != own:
        problems.append(Violation("case.back_entry.number_other_series",
                                  f"文号“{number}”是本机关另一种文书的编号，不能用于这份文书", PAPER_NUMBER_RULE, field))
    if year is not None and int(matched.group("year")) != year:
        problems.append(Violation("case.back_entry.number_year",
                                  f"文号“{number}”的年份与实际发生日期的年份（{year}年）不一致", PAPER_NUMBER_RULE, field))
    sequence = int(matched.group("sequence"))
    if prefix == own and not 1 <= sequence <= NUMBER_SEQUENCE_MAX:
        problems.append(Violation("case.back_entry.number_sequence",
                                  f"文号的顺序号应在1至{NUMBER_SEQUENCE_MAX}之间", PAPER_NUMBER_RULE, field))
    return problems


def back_entry_day_problems(*, occurred_on: dt.date, recorded_on: dt.date, previous_on: dt.date | None) -> list[Violation]:
    """What is wrong with the day alone (the list of what may be back-entered at a day shows it
    before a reason is written)."""
    problems: list[Violation] = []
    if occurred_on > recorded_on:
        problems.append(Violation(
            "case.back_entry.future",
            f"实际发生日期（{occurred_on.isoformat()}）晚于今天（{recorded_on.isoformat()}）：只能补录已经发生的步骤",
            BACK_ENTRY_RULE, OCCURRED_ON,
        ))
    if previous_on is not None and occurred_on < previous_on:
        problems.append(Violation(
            "case.back_entry.before_previous",
            f"实际发生日期（{occurred_on.isoformat()}）早于本案上一步骤的日期（{previous_on.isoformat()}）：请按办案顺序"
            "从最早的步骤起逐步补录",
            BACK_ENTRY_RULE, OCCURRED_ON,
        ))
    return problems


__all__ = [
    "BACK_ENTRY_ACTOR_RULE",
    "BACK_ENTRY_RULE",
    "NUMBER_MAX_LENGTH",
    "NUMBER_SEQUENCE_MAX",
    "OCCURRED_ON",
    "PAPER_NUMBER_RULE",
    "REASON",
    "BackEntry",
    "back_entry_case_problems",
    "back_entry_day_problems",
    "back_entry_document_note",
    "back_entry_problems",
    "back_entry_worded",
    "paper_numbers_problems",
]
