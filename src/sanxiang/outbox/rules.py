"""What the platform offers to other systems, and how it delivers. These are platform rules (平台规则)
and operating settings, not rules of law: nothing here is required by a statute.

- `OFFERED`: the ledger entry kinds another system may care about, each with its Chinese label and
  the keys of the entry's payload that an event carries. Only these keys are sent: no event carries
  a party's personal data (names, identity numbers, addresses, telephone numbers, the facts of a case,
  what a step's form recorded), whatever the subscriber's scope. The scope (one agency, or one
  county) decides *which* agencies' events a subscriber receives; a receiver that needs more reads it
  through the API with its own token, whose user's permissions then apply (and are logged).
- Deliveries are retried with exponential backoff and jitter, from `RETRY_FIRST` up to `RETRY_MAX`
  between attempts, and given up (failed) after `ATTEMPTS_MAX` attempts.
- Events go to `https://` addresses of public hosts only: an address whose host is, or resolves to,
  a loopback, private, link-local, multicast, reserved or unspecified address is refused when the
  subscription is made and again before each request (no request is made), so that a subscription
  cannot make the platform call the services of its own network (SSRF). Receivers on the county
  intranet are named in the setting SANXIANG_OUTBOX_ALLOWED_HOSTS (`allowed_hosts()`); for them
  `http://` is accepted too.
- A request has `TIMEOUT_SECONDS` in all (connecting, sending, reading the answer), not per read.
- A claimed delivery whose worker died is taken again once its lease (`lease()`) has run out: at least once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

PLATFORM_BASIS = "平台规则：事件推送"


@dataclass(frozen=True)
class OfferedKind:
    kind: str
    label: str
    keys: tuple[str, ...]  # payload keys an event carries (none of them personal data)


_DOC = ("document", "kind", "title", "number", "issued_on", "copy", "copy_of")
OFFERED: dict[str, OfferedKind] = {
    o.kind: o
    for o in (
        OfferedKind("case.opened", "立案/登记案件",
                    ("number", "procedure", "state", "matter", "parent", "enforcement_field", "act_date")),
        OfferedKind("case.step_done", "执法程序环节完成", ("action", "label", "state_from", "state_to", "on", "documents")),
        OfferedKind("case.document_issued", "制发执法文书", _DOC),
        OfferedKind("evidence.attached_to_case", "证据材料归入案件", ("records", "case")),
        OfferedKind("disclosure.published", "公示",
                    ("draft", "publication", "published_on", "due_on", "late", "display_until")),
        OfferedKind("disclosure.withdrawn", "撤回公示",
                    ("draft", "publication", "change", "changed_on", "withdrawn_on", "due_on", "late")),
        OfferedKind("disclosure.expired", "公示期满下架", ("publication", "display_until", "taken_down_on")),
        OfferedKind("inspection.result_published", "公开检查结果", ("inspection", "published_on", "due")),
        OfferedKind("inspection.case_linked", "检查发现违法转立案", ("case",)),
        OfferedKind("supervision.instrument_issued", "制发监督文书",
                    ("instrument", "matter", "agency", "kind", "state", "number", "issued_on", "due_on")),
    )
}

ATTEMPTS_MAX = 10
RETRY_FIRST = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=24)
LEASE_SECONDS = 300.0  # longer than a request may take (TIMEOUT_SECONDS); SANXIANG_DELIVER_LEASE_SECONDS
TIMEOUT_SECONDS = 15.0
SIGNATURE_TOLERANCE = dt.timedelta(minutes=5)  # what the receiver's helper accepts (README)
BATCH = 1000  # ledger entries read per ledger in one fan-out step
RESPONSE_KEPT = 500  # characters of a receiver's answer kept in the log


def lease() -> dt.timedelta:
    """How long a claimed delivery is a worker's before another may take it again."""
    from django.conf import settings

    return dt.timedelta(seconds=getattr(settings, "SANXIANG_DELIVER_LEASE_SECONDS", LEASE_SECONDS))


def allowed_hosts() -> frozenset[str]:
    """Hosts (names or addresses, lower case) to which events may go whatever their address, over
    http:// too: receivers on the county intranet (setting SANXIANG_OUTBOX_ALLOWED_HOSTS)."""
    from django.conf import settings

    hosts = getattr(settings, "SANXIANG_OUTBOX_ALLOWED_HOSTS", []) or []
    return frozenset(h.strip().lower().strip("[]") for h in hosts if h.strip())


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: RETRY_FIRST doubled each time, at most
    RETRY_MAX, with up to a fifth of "full jitter" so that many subscribers do not retry together."""
    base = min(RETRY_FIRST * (2 ** max(attempts - 1, 0)), RETRY_MAX) if attempts < 40 else RETRY_MAX
    jitter = (rng or random).uniform(0.8, 1.0)
    return dt.timedelta(seconds=base.total_seconds() * jitter)
