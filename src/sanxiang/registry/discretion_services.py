"""Writes of 裁量基准 (discretion benchmarks): a version is added, never edited, with its ledger
entry in the same transaction; a refused version writes nothing and reports every reason."""

import hashlib
import json

from django.db import IntegrityError, transaction

from sanxiang.ledger.services import entry_append
from sanxiang.procedure.discretion import PLATFORM_RULE, Benchmark, benchmark_as_dict, benchmark_problems
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry import events
from sanxiang.registry.models import DiscretionBenchmark, Matter
from sanxiang.registry.permissions import Actor, permission_require, user_can_manage_staff

VERSION_MAX = 20
SOURCE_MAX = 200


def content_digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def discretion_benchmark_problems(*, matter: Matter, benchmark: Benchmark) -> list[Violation]:
    """Every reason a version cannot be added: the benchmark's own defects, its identity."""
    problems = list(benchmark_problems(benchmark))
    if benchmark.matter != matter.code:
        problems.append(
            Violation(
                "discretion.matter",
                f"裁量基准的事项编码“{benchmark.matter}”与执法事项不符",
                PLATFORM_RULE,
                "matter",
            )
        )
    if not benchmark.version.strip() or len(benchmark.version) > VERSION_MAX:
        problems.append(
            Violation(
                "discretion.version", f"版本号必填，不超过{VERSION_MAX}个字符", PLATFORM_RULE, "version"
            )
        )
    elif DiscretionBenchmark.objects.filter(matter=matter, version=benchmark.version).exists():
        problems.append(_version_taken(benchmark.version))
    if not benchmark.source.strip() or len(benchmark.source) > SOURCE_MAX:
        problems.append(
            Violation(
                "discretion.source", f"文件名称及文号必填，不超过{SOURCE_MAX}个字符", PLATFORM_RULE, "source"
            )
        )
    return problems


def _version_taken(version: str) -> Violation:
    return Violation(
        "discretion.version_exists", f"该事项已有第{version}版裁量基准，修改须另立新版本", PLATFORM_RULE, "version"
    )


@transaction.atomic
def discretion_benchmark_add(
    *, actor: Actor | None, matter: Matter, benchmark: Benchmark
) -> DiscretionBenchmark:
    if actor is not None:
        permission_require(user_can_manage_staff(actor, matter.agency_id), "只有本单位管理员可以维护裁量基准")
    problems = discretion_benchmark_problems(matter=matter, benchmark=benchmark)
    if problems:
        raise Refused(problems)
    content = benchmark_as_dict(benchmark)
    try:
        with transaction.atomic():  # the version taken by another request since the check: the same refusal
            row = DiscretionBenchmark.objects.create(
                matter=matter,
                version=benchmark.version,
                effective_from=benchmark.effective_from,
                effective_to=benchmark.effective_to,
                source=benchmark.source,
                content=content,
                content_sha256=content_digest(content),
            )
    except IntegrityError:
        raise Refused([_version_taken(benchmark.version)]) from None
    entry_append(event=events.discretion_benchmark_added_event(benchmark=row), actor=actor)
    return row
