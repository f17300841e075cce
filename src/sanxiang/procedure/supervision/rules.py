"""Who may act on a supervision matter, and what a matter is (sources and states)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.supervision.basis import SUPERVISOR_RECUSAL
from sanxiang.procedure.violations import PLATFORM_PREFIX, Violation


class MatterSource(StrEnum):
    """Where a supervision matter comes from (《行政执法监督条例》第十五条、第二十条、第二十一条)."""

    ROUTINE = "routine"
    FOCUSED = "focused"
    COMPLAINT = "complaint"
    HOTLINE_12345 = "hotline_12345"
    ENTERPRISE = "enterprise"
    ASSIGNED = "assigned"
    SPECIAL_TASK = "special_task"
    PLATFORM_ALERT = "platform_alert"


MATTER_SOURCE_LABELS: dict[MatterSource, str] = {
    MatterSource.ROUTINE: "日常监督",
    MatterSource.FOCUSED: "重点监督",
    MatterSource.COMPLAINT: "投诉举报",
    MatterSource.HOTLINE_12345: "12345政务服务便民热线",
    MatterSource.ENTERPRISE: "涉企行政执法诉求",
    MatterSource.ASSIGNED: "上级交办",
    MatterSource.SPECIAL_TASK: "上级专项监督任务",
    MatterSource.PLATFORM_ALERT: "平台预警",
}

# Sources whose text is a citizen's or an enterprise's own words: the supervisors read it, the agency
# complained about does not (平台规则: protecting who complained from retaliation).
SOURCES_IN_THE_PUBLICS_WORDS = frozenset({MatterSource.COMPLAINT, MatterSource.HOTLINE_12345, MatterSource.ENTERPRISE})


def matter_summary_shown(*, source: str, viewer_is_supervisor: bool) -> bool:
    """Whether a matter's summary is shown to the viewer."""
    return viewer_is_supervisor or source not in SOURCES_IN_THE_PUBLICS_WORDS


@dataclass(frozen=True)
class SupervisorSnapshot:
    """A supervisor as the rule sees them on a day: their supervision certificate (行政执法监督检查证件)."""

    user_id: int
    name: str
    certificate_number: str | None  # None: no supervision certificate recorded
    certificate_status: str = "valid"  # valid | suspended | revoked
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    in_post: bool = True  # False: taken off post (离岗) in the bureau's register


# A platform rule: the register marks who is off post; their certificate may still run.
SUPERVISOR_OFF_POST_BASIS = f"{PLATFORM_PREFIX}：离岗的监督人员不参加行政执法监督"


def supervisor_certificate_problems(supervisor: SupervisorSnapshot, on: dt.date, *, basis: str) -> list[Violation]:
    """Why the supervisor's certificate does not let them act on `on` (none when it does)."""
    if not supervisor.certificate_number:
        return [Violation("supervisor.no_certificate", f"{supervisor.name}未登记行政执法监督检查证件", basis)]
    number = supervisor.certificate_number
    problems: list[Violation] = []
    if supervisor.certificate_status == "suspended":
        problems.append(Violation("supervisor.certificate_suspended", f"{supervisor.name}的监督检查证{number}已暂扣", basis))
    elif supervisor.certificate_status == "revoked":
        problems.append(Violation("supervisor.certificate_revoked", f"{supervisor.name}的监督检查证{number}已注销", basis))
    if supervisor.valid_from and on < supervisor.valid_from:
        problems.append(
            Violation(
                "supervisor.certificate_not_yet_valid",
                f"{supervisor.name}的监督检查证{number}自{supervisor.valid_from.isoformat()}起才有效",
                basis,
            )
        )
    if supervisor.valid_to and on > supervisor.valid_to:
        problems.append(
            Violation(
                "supervisor.certificate_expired",
                f"{supervisor.name}的监督检查证{number}已于{supervisor.valid_to.isoformat()}到期",
                basis,
            )
        )
    return problems


def supervisors_violations(
    *,
    supervisors: Sequence[SupervisorSnapshot],
    on: dt.date,
    recused_user_ids: frozenset[int] = frozenset(),
    parameters: ParameterSet | None = None,
) -> list[Violation]:
    """Every reason why these supervisors may not act together on `on`: fewer than the minimum
    (two, 四川/河北 regulations), a certificate missing, suspended, revoked, not yet valid or expired,
    or a supervisor who has withdrawn (回避) from the matter. Empty when they may act."""
    parameters = parameters or parameters_default()
    minimum = parameters["supervision.min_supervisors"]
    basis = minimum.reference
    violations: list[Violation] = []
    distinct = {s.user_id: s for s in supervisors}
    needed = int(parameters.value("supervision.min_supervisors", on=on))
    if len(distinct) < needed:
        violations.append(
            Violation(
                "supervisors.too_few",
                f"行政执法监督应当由{needed}名以上持有监督检查证件的人员共同进行（现为{len(distinct)}名）",
                basis,
                "supervisors",
            )
        )
    for supervisor in distinct.values():
        if not supervisor.in_post:
            violations.append(Violation("supervisor.off_post", f"{supervisor.name}已离岗，不能参加行政执法监督",
                                        SUPERVISOR_OFF_POST_BASIS))
        violations.extend(supervisor_certificate_problems(supervisor, on, basis=basis))
        if supervisor.user_id in recused_user_ids:
            violations.append(
                Violation("supervisor.recused", f"{supervisor.name}已对本事项回避，不得参与", SUPERVISOR_RECUSAL)
            )
    return violations
