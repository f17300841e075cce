"""Evidence ingest throughput, beside `sha256sum` of the same file measured in the same run.

    python benchmarks/evidence_ingest.py                 # 1 GiB, SQLite in a temporary data folder
    python benchmarks/evidence_ingest.py --size-mib 256 --runs 5 --pg-url postgres://postgres@127.0.0.1:5432/bench_evidence

Ingest is the whole service call (`evidence_ingest`): stream the file in 1 MiB reads, hash it,
write it to a temporary blob, fsync, sniff, rename it into the content-addressed store, insert the
rows and the ledger entry, commit. The raw limit is coreutils' `sha256sum` over the same file
(the acceptance target is ingest >= 70% of its throughput); Python's hashlib over the same bytes
is printed too, as the ceiling of the hashing alone. The file is read from the page cache in both
(it is read once before measuring). Each ingest run changes 8 bytes of the file first, so every
run stores a new blob instead of finding a duplicate. With --sm3 the runs are repeated with SM3
computed beside SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def make_file(path: Path, size: int) -> None:
    """A pseudo-random MP4-looking file (ftyp box first, so that it sniffs as video)."""
    rng = random.Random(2026)
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    with open(path, "wb") as out:
        out.write(ftyp)
        written = len(ftyp)
        while written < size:
            block = rng.randbytes(min(8 * MIB, size - written))
            out.write(block)
            written += len(block)


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SANXIANG_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def actor_make():
    from sanxiang.accounts.services import user_create
    from sanxiang.registry import services
    from tests.factories import credit_code, id_number

    agency = services.agency_create(
        actor=None, name="基准测试执法局", credit_code=credit_code(serial=424242), kind="administrative_organ",
        region_code="150626", parent_government="乌审旗人民政府", enforcement_fields="市场监管",
    )
    officer = services.officer_create(
        actor=None, agency=agency, name="基准执法员", id_number=id_number(serial=424), staffing_type="administrative"
    )
    return user_create(
        actor=None, username="bench", password="Bench-Password-2026!", role="officer", agency=agency,
        officer=officer, validate=False,
    )


def time_sha256sum(path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - started, out.split()[0]


def time_hashlib(path: Path) -> float:
    started = time.perf_counter()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(MIB):
            digest.update(chunk)
    return time.perf_counter() - started


def file_vary(path: Path, run: int) -> None:
    """Change 8 bytes so that this run stores a new blob, and let earlier writes reach the disk
    so that they do not slow down whatever is measured next."""
    with open(path, "r+b") as handle:
        handle.seek(100)
        handle.write(run.to_bytes(8, "big"))
    os.sync()


def time_ingest(path: Path, actor, run: int) -> tuple[float, str]:
    from sanxiang.evidence import services

    meta = services.evidence_metadata_check(actor=actor, kind="video", original_name=f"bench-{run}.mp4")
    started = time.perf_counter()
    with open(path, "rb") as source:
        record = services.evidence_ingest(actor=actor, source=source, meta=meta)
    return time.perf_counter() - started, record.stored_file.sha256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg-url", default="", help="PostgreSQL database to use (dropped and created afresh)")
    parser.add_argument("--sm3", action="store_true", help="also measure with SM3 beside SHA-256")
    parser.add_argument("--dir", default="/tmp", help="where the test file and the data folder go")
    args = parser.parse_args()

    if shutil.which("sha256sum") is None:
        sys.exit("sha256sum (coreutils) is needed for the raw limit")
    work = Path(tempfile.mkdtemp(prefix="sanxiang-ingest-", dir=args.dir))
    source = work / "source.mp4"
    size = args.size_mib * MIB
    try:
        database_url = args.pg_url or f"sqlite:///{work / 'db.sqlite3'}"
        if args.pg_url:
            _pg_recreate(args.pg_url)
        setup_django(database_url, str(work / "data"))
        from django.conf import settings

        settings.SANXIANG_EVIDENCE_MAX_BYTES = max(settings.SANXIANG_EVIDENCE_MAX_BYTES, size)
        actor = actor_make()
        print(f"file: {size / MIB:.0f} MiB pseudo-random in {work}; database: {settings.DATABASES['default']['ENGINE']}")
        make_file(source, size)
        subprocess.run(["cat", str(source)], check=True, stdout=subprocess.DEVNULL)  # into the page cache

        rows = []
        modes = [("off", "ingest (SHA-256)")] + ([("auto", "ingest (SHA-256 + SM3)")] if args.sm3 else [])
        run = 0
        for mode, label in modes:
            settings.SANXIANG_EVIDENCE_SM3 = mode
            raw_times, ingest_times, hashlib_times = [], [], []
            for _ in range(args.runs):
                run += 1
                file_vary(source, run)
                raw_seconds, raw_sha = time_sha256sum(source)
                hashlib_times.append(time_hashlib(source))
                os.sync()
                ingest_seconds, stored_sha = time_ingest(source, actor, run)  # the same bytes
                if raw_sha != stored_sha:
                    sys.exit(f"digest mismatch: sha256sum {raw_sha}, stored {stored_sha}")
                ingest_times.append(ingest_seconds)
                raw_times.append(raw_seconds)
            rows.append((label, statistics.median(ingest_times), statistics.median(raw_times), statistics.median(hashlib_times)))

        mb = size / 1e6
        print(f"\n{'':28}{'median s':>10}{'MB/s':>10}")
        for label, ingest_s, raw_s, hashlib_s in rows:
            print(f"{label:28}{ingest_s:>10.2f}{mb / ingest_s:>10.0f}")
            print(f"{'  raw limit: sha256sum':28}{raw_s:>10.2f}{mb / raw_s:>10.0f}")
            print(f"{'  (hashlib sha256, 1 MiB)':28}{hashlib_s:>10.2f}{mb / hashlib_s:>10.0f}")
            ratio = raw_s / ingest_s
            print(f"  ingest / sha256sum = {ratio:.0%}  (target >= 70%: {'PASS' if ratio >= 0.7 else 'FAIL'})\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pg_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # tests.factories builds valid registry data
    main()
