"""The leak test of issue 6 at its acceptance scale: 1,000 decided cases full of personal values go
through the publication pipeline, then every public page and feed is crawled and none of those
values may appear (tests/portal/test_leak.py, which the suite runs with 100 cases).

    python benchmarks/portal_leak.py                        # SQLite, 1,000 cases
    python benchmarks/portal_leak.py --engine postgres --cases 2000

It runs that same test through pytest, serially, with SANXIANG_LEAK_CASES set, on the embedded
SQLite test database or on PostgreSQL (pytest-django creates and drops test_<name> for the
database named in --pg-url). Printed: the crawl's summary line and the time taken; the exit code is
pytest's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/sanxiang_leak_bench")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SANXIANG_LEAK_CASES"] = str(args.cases)
    env.setdefault("SANXIANG_DATA_DIR", tempfile.mkdtemp(prefix="sanxiang-bench-"))
    if args.engine == "postgres":
        env["DATABASE_URL"] = args.pg_url
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-s", "--no-header",
         "tests/portal/test_leak.py::test_no_personal_value_reaches_any_public_page_or_feed"],
        cwd=ROOT, env=env,
    )
    print(f"{args.engine}: {args.cases} cases published and crawled in {time.perf_counter() - started:.1f} s "
          f"(pytest exit {result.returncode})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
