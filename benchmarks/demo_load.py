"""The demo county's load (`sanxiang demo --no-serve`) phase by phase on a fixed day: CPU seconds of
this process per phase (the database's too on SQLite, which runs in the process; on PostgreSQL the
server's CPU is not counted), and a fingerprint of the loaded database, so that a change meant to
make the load faster can show that it loads exactly the same county.

    python benchmarks/demo_load.py [--day 2026-06-15] [--database-url postgres://…/name]
                                   [--fingerprint out.json] [--compare before.json] [--profile out.prof]

The fingerprint: every table's row count; the ledger's sequence of entry kinds, each with a hash of
its body where the values that differ from run to run (times of day, random keys and tokens, the
hashes and signatures that cover them) are replaced by a placeholder; every case's number and state;
every issued document's title and number. `--compare` prints what differs from a fingerprint written
before (exit 1). Runs in a new data folder (a temporary one unless SANXIANG_DATA_DIR is set and empty)
with the production password hasher, as the command does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Values that differ from one load to the next whatever the code: instants (the wall clock of the
# load), and the random material (keys, salts, tokens) with what hashes or signs it.
_INSTANT = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
_VOLATILE_KEYS = {"signature", "public_key", "key_id", "token", "secret", "salt", "nonce", "password",
                  # the public registry's content hash (it covers instants), a complaint's keyed
                  # hashes of personal data (the key is the data folder's)
                  "content_sha256", "name_sha256", "phone_sha256", "id_number_sha256", "description_sha256"}
# Entries whose body is random by design: inspection codes, and a 案卷评查 campaign's draw (a random
# seed, so the files drawn and their scores differ from one load to the next); their kind is kept.
_RANDOM_KINDS = ("inspection.code_issued", "evaluation.campaign_")


def _normalized(value):
    if isinstance(value, dict):
        return {k: ("<volatile>" if k in _VOLATILE_KEYS else _normalized(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    if isinstance(value, str) and _INSTANT.match(value):
        return "<instant>"
    return value


def fingerprint() -> dict:
    from django.apps import apps
    from django.db import connection

    from sanxiang.cases.models import Case, IssuedDocument
    from sanxiang.ledger.models import Entry

    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in counts or model._meta.proxy or not model._meta.managed:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    entries = []
    for kind, body in Entry.objects.order_by("ledger_id", "seq").values_list("kind", "body"):
        if kind.startswith(_RANDOM_KINDS):
            entries.append(f"{kind} <random>")
            continue
        normal = json.dumps(_normalized(json.loads(bytes(body))), sort_keys=True, ensure_ascii=False)
        entries.append(f"{kind} {hashlib.sha256(normal.encode()).hexdigest()[:16]}")
    cases = [f"{n} {s}" for n, s in Case.objects.order_by("number").values_list("number", "state")]
    documents = [
        f"{t} {n}" for t, n in IssuedDocument.objects.order_by("title", "number").values_list("title", "number")
    ]
    return {"counts": counts, "entries": entries, "cases": cases, "documents": documents}


def fingerprint_hash(fp: dict) -> str:
    return hashlib.sha256(json.dumps(fp, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def differences(before: dict, after: dict) -> list[str]:
    out = []
    for table in sorted(set(before["counts"]) | set(after["counts"])):
        a, b = before["counts"].get(table), after["counts"].get(table)
        if a != b:
            out.append(f"rows of {table}: {a} -> {b}")
    for part in ("entries", "cases", "documents"):
        a, b = before[part], after[part]
        if a != b:
            first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            out.append(f"{part}: {len(a)} -> {len(b)}, first difference at {first}: "
                       f"{a[first] if first < len(a) else '-'} | {b[first] if first < len(b) else '-'}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2026, 12, 5))
    parser.add_argument("--database-url", default="", help="PostgreSQL (recreated); SQLite in the data folder if empty")
    parser.add_argument("--fingerprint", type=Path, help="write the fingerprint (JSON) here")
    parser.add_argument("--compare", type=Path, help="a fingerprint written before: print what differs")
    parser.add_argument("--profile", type=Path, help="cProfile of the load (without migrations) into this file")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="sample the load's CPU (_sampler.py; not cProfile, which inflates the ORM's many "
                             "small calls) and print the N functions of sanxiang with most samples under them")
    parser.add_argument("--existing", action="store_true",
                        help="no load: the fingerprint of the county already in SANXIANG_DATA_DIR (or --database-url)")
    args = parser.parse_args()
    if args.existing:
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        _report(fingerprint(), args)
        return

    data_dir = os.environ.get("SANXIANG_DATA_DIR") or tempfile.mkdtemp(prefix="demo-load-")
    os.environ["SANXIANG_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from _common import pg_admin

        pg_admin(args.database_url, 'DROP DATABASE IF EXISTS "{name}"')
        pg_admin(args.database_url, 'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    started = time.process_time()
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from sanxiang.demo.county import demo_county_load
    from sanxiang.demo.evaluation import demo_evaluation_training_load
    from sanxiang.demo.evaluation_campaigns import demo_evaluation_campaign_load
    from sanxiang.demo.evaluation_closing import demo_evaluation_closing_load
    from sanxiang.demo.evaluation_reports import demo_evaluation_reports_load
    from sanxiang.demo.supervision import demo_supervision_load
    from sanxiang.jobs.services import jobs_run_due
    from sanxiang.ledger.services import checkpoint_issue
    from sanxiang.web.management.commands.serve import data_folder_prepare

    day = args.day
    phases = []

    def phase(name, fn):
        before = time.process_time()
        fn()
        phases.append((name, time.process_time() - before))

    phase("setup (imports, django.setup)", lambda: None)
    phases[-1] = (phases[-1][0], time.process_time() - started)
    data_folder_prepare()
    phase("migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile(time.process_time)
        profile.enable()
    sampler = None
    if args.sample:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from _sampler import Sampler

        sampler = Sampler()
        sampler.enable()
    # The command's phases in its order (web/management/commands/demo.py), each on the fixed day.
    phase("demo_county_load", lambda: demo_county_load(today=day))
    phase("demo_supervision_load", lambda: demo_supervision_load(today=day))
    phase("demo_evaluation_training_load", lambda: demo_evaluation_training_load(today=day))
    phase("demo_evaluation_reports_load", lambda: demo_evaluation_reports_load(today=day))
    phase("demo_evaluation_closing_load", lambda: demo_evaluation_closing_load(today=day))
    phase("demo_evaluation_campaign_load", lambda: demo_evaluation_campaign_load(today=day))
    phase("jobs_run_due", lambda: jobs_run_due(limit=1_000_000))

    def checkpoint():
        with transaction.atomic():
            checkpoint_issue()

    phase("checkpoint_issue", checkpoint)
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.profile)
    if sampler is not None:
        sampler.disable()
        print(f"samples of the load's CPU: {sampler.samples}; under each function of sanxiang (inclusive):")
        for n, name in sampler.top(args.sample, own=False, only="sanxiang"):
            print(f"  {100 * n / sampler.samples:5.1f} %  {name}")
        print("where the CPU was (own, any code):")
        for n, name in sampler.top(args.sample, own=True):
            print(f"  {100 * n / sampler.samples:5.1f} %  {name}")
    total = sum(seconds for _, seconds in phases)
    print(f"day {day}, {'PostgreSQL' if args.database_url else 'SQLite'}, data folder {data_dir}")
    print("CPU seconds of this process per phase:")
    for name, seconds in phases:
        print(f"  {name:34} {seconds:7.2f}  {100 * seconds / total:5.1f} %")
    print(f"  {'total':34} {total:7.2f}")
    _report(fingerprint(), args)


def _report(fp: dict, args) -> None:
    print(f"fingerprint {fingerprint_hash(fp)}: {sum(fp['counts'].values())} rows in {len(fp['counts'])} tables, "
          f"{len(fp['entries'])} ledger entries, {len(fp['cases'])} cases, {len(fp['documents'])} documents")
    if args.fingerprint:
        args.fingerprint.write_text(json.dumps(fp, ensure_ascii=False, indent=0, sort_keys=True))
    if args.compare:
        found = differences(json.loads(args.compare.read_text()), fp)
        print("same county as " + str(args.compare) if not found else "DIFFERENT from " + str(args.compare))
        for line in found:
            print("  " + line)
        if found:
            sys.exit(1)


if __name__ == "__main__":
    main()
