"""年度行政执法数据 of 行政许可 (issue 18 item 5): the rows a licence case counts in, and the category's
figure. Pure Python, like `procedure.annual`'s rows of 行政强制.

Each case counts once in each row it reached, on the day of that act: 申请 (the day the complete
materials were received; a supplemented application is one application), 受理 (受理 or 视为受理,
第三十二条), 不予受理, 准予许可 (a grant, on the spot or after examination, 第三十八条), 不予许可, 变更
(第四十九条: each change decided), 延续 (第五十条: each renewal granted, and each renewal deemed
granted — 视为准予延续 — on the day the licence would have expired: the law makes it a renewal),
不予延续 (第五十条 with 第三十八条第二款: each refusal to renew, on its day), 撤回 (第八条), 撤销
(第六十九条), 注销 (第七十条).

The category's figure (行政许可 in the six categories of 118号's template) is the sum of the rows
the parameter `permit.annual_total_rows` names: the template's wording ("行政许可") does not say
whether it counts applications or decisions, or whether a change or a renewal is a licence of its
own. The default counts the licence decisions made — 准予, 不予, 变更, 延续, 不予延续 — a platform
rule, unverified (待核实: whether a 不予延续 is counted in the figure is the parameter's). The same 0-or-no-power rule as every category: 0 where the agency has the power and
did nothing, no figure where it has none, and what was done always counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sanxiang.procedure.permit.rules import ENDINGS, PermitSnapshot

PERMIT_ROWS: dict[str, str] = {
    "application": "申请",
    "accepted": "受理",
    "not_accepted": "不予受理",
    "granted": "准予许可",
    "refused": "不予许可",
    "changed": "变更",
    "renewed": "延续",
    "renewal_refused": "不予延续",
    "withdrawn": "撤回",
    "revoked": "撤销",
    "cancelled": "注销",
}
TOTAL_PARAMETER = "permit.annual_total_rows"
ENDING_ROWS = {"withdraw": "withdrawn", "revoke": "revoked", "cancel": "cancelled"}
assert set(ENDING_ROWS) == set(ENDINGS)


@dataclass(frozen=True)
class PermitAction:
    """One act of a licence case, counted in the year of `on`."""

    kind: str  # a key of PERMIT_ROWS
    on: dt.date

    def __post_init__(self) -> None:
        if self.kind not in PERMIT_ROWS:
            raise ValueError(f"unknown licence act: {self.kind!r}")


def permit_actions(snapshot: PermitSnapshot) -> tuple[PermitAction, ...]:
    """Every act of the case the annual data counts, from its facts."""
    actions = [PermitAction("application", snapshot.received_on)]
    if snapshot.accepted_on is not None:
        actions.append(PermitAction("accepted", snapshot.accepted_on))
    if snapshot.acceptance_refusal is not None and snapshot.state == "not_accepted":
        actions.append(PermitAction("not_accepted", snapshot.acceptance_refusal.on))
    decision = snapshot.decision
    if decision is not None and snapshot.state not in ("received", "supplement", "accepted", "not_accepted"):
        actions.append(PermitAction("granted" if decision.outcome == "grant" else "refused", decision.on))
    actions += [PermitAction("changed", on) for on in snapshot.changes_on]
    actions += [PermitAction("renewed", on) for on in snapshot.renewals_on]
    refused_renewals = list(snapshot.renewal_refusals_on)
    # A case stored before the days were kept: its standing refusal, once.
    if snapshot.renewal_refusal is not None and snapshot.renewal_refusal.on not in refused_renewals:
        refused_renewals.append(snapshot.renewal_refusal.on)
    actions += [PermitAction("renewal_refused", on) for on in refused_renewals]
    actions += [PermitAction(ENDING_ROWS[ending.kind], ending.on) for ending in snapshot.endings]
    return tuple(actions)


def permit_counted(actions: Iterable[PermitAction], year: int) -> dict[str, int]:
    counted = dict.fromkeys(PERMIT_ROWS, 0)
    for action in actions:
        if action.on.year == year:
            counted[action.kind] += 1
    return counted


def annual_permit_rows(*, has_power: bool, counted: Mapping[str, int]) -> dict[str, int | None]:
    """The published figure of each row, in order: the count where the agency has a 行政许可 matter
    (0 if none), None ("—") where it has none and did nothing, the count anyway where it acted."""
    unknown = set(counted) - set(PERMIT_ROWS)
    if unknown:
        raise ValueError(f"unknown licence rows: {sorted(unknown)}")
    values = {key: counted.get(key, 0) for key in PERMIT_ROWS}
    return {key: values[key] if has_power or values[key] else None for key in PERMIT_ROWS}


def annual_permit_total(rows: Mapping[str, int | None], *, total_rows: Iterable[str]) -> int | None:
    """The category's figure: the sum of the rows the parameter names; None when none has a figure."""
    names = tuple(total_rows)
    unknown = set(names) - set(PERMIT_ROWS)
    if unknown:
        raise ValueError(f"unknown licence rows in the total: {sorted(unknown)}")
    figures = [rows[key] for key in names if rows.get(key) is not None]
    return sum(figures) if figures else None


__all__ = [
    "PERMIT_ROWS",
    "TOTAL_PARAMETER",
    "PermitAction",
    "annual_permit_rows",
    "annual_permit_total",
    "permit_actions",
    "permit_counted",
]
