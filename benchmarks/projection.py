"""A projection to a province: 10 million cases and 100 million ledger entries, from the growth
measured by benchmarks/pages.py (database bytes per case and per ledger entry, entries per case,
time per grown case, each page's latency and query count at two sizes).

    python benchmarks/pages.py --cases 1000 10000 --json /tmp/pages.json
    python benchmarks/projection.py /tmp/pages.json
    python benchmarks/projection.py                     # runs pages.py at 1,000 and 5,000 cases first

Every figure is a straight line through the two largest sizes measured (the marginal cost of one
more case, one more entry), extended to the target; the assumptions are printed with the figures.
A straight line is what the code's shape gives where the work is proportional to the rows read;
it is a floor where memory or the database's caches run out first.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = 10_000_000
ENTRIES = 100_000_000
BOUNDED_QUERIES = 0.0005  # queries per extra case below which a page counts as bounded


def _line(x1: float, y1: float, x2: float, y2: float, x: float) -> tuple[float, float]:
    """(slope, value at x) of the line through (x1, y1) and (x2, y2)."""
    slope = (y2 - y1) / (x2 - x1) if x2 != x1 else 0.0
    return slope, y2 + slope * (x - x2)


def _size(value: float) -> str:
    for unit, scale in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20)):
        if value >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value / 1024:,.0f} KB"


def _duration(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:,.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:,.1f} min"
    return f"{seconds:,.2f} s" if seconds >= 1 else f"{seconds * 1000:,.0f} ms"


def project(results: list[dict]) -> None:
    results = sorted(results, key=lambda r: r["cases"])
    if len(results) < 2:
        raise SystemExit("need figures at two sizes at least (pages.py --cases A B)")
    a, b = results[-2], results[-1]
    engine = b.get("engine", "?")
    n1, n2 = a["cases"], b["cases"]
    per_case, db_at_cases = _line(n1, a["db"]["bytes"], n2, b["db"]["bytes"], CASES)
    entries_per_case, entries_at_cases = _line(n1, a["db"]["entries"], n2, b["db"]["entries"], CASES)
    e1, e2 = a["db"]["entries"], b["db"]["entries"]
    ledger_per_entry, ledger_at_entries = _line(e1, a["db"].get("ledger_bytes", 0), e2, b["db"].get("ledger_bytes", 0),
                                                ENTRIES)
    grow_per_case, grow_at_cases = _line(n1, a["grow_seconds"], n2, b["grow_seconds"], CASES)
    cases_at_entries = n2 + (ENTRIES - e2) / entries_per_case if entries_per_case else 0

    print(f"### Projection to {CASES:,} cases and {ENTRIES:,} ledger entries ({engine}, "
          f"from {n1:,} and {n2:,} cases measured)\n")
    print("Assumptions:")
    print(f"- every figure grows along the straight line through the two sizes measured ({n1:,} → {n2:,} cases);")
    print("- the grown cases are the demo's mix (every state of every procedure; the same share of documents, "
          "evidence rows and publications per case as the demo county), stored files not counted (rows only: "
          "a grown case's documents share the demo's files);")
    print("- one database on this machine (2 shared cores); a page's latency is the test client's (no network, "
          "no WSGI server), and a page whose query count grows with the cases is projected linearly although "
          "its memory would run out first;")
    print("- the open cases stay at the number grown with (`--open`, 250 by default) at every size: what depends on "
          "open cases (the homes, the review desk) is flat here and grows with a province's open cases instead;")
    print("- the two sizes were measured on a machine whose load may differ between them (pages.py prints the load "
          "average): a page faster at the larger size is noise, read as flat;")
    print(f"- a province decides ~10M cases a year: {CASES:,} cases is one year of a province, or 2,000 county-years "
          "at 5,000 decisions each.\n")

    print("| quantity | measured per unit | at 10M cases | at 100M entries |")
    print("|---|---|---|---|")
    print(f"| database size (all tables and indexes) | {per_case:,.0f} bytes per case | {_size(db_at_cases)} | "
          f"{_size(b['db']['bytes'] + per_case * (cases_at_entries - n2))} |")
    print(f"| ledger entries | {entries_per_case:.1f} per case | {entries_at_cases:,.0f} | {ENTRIES:,} "
          f"(= {cases_at_entries:,.0f} cases) |")
    print(f"| ledger tables (entries, nodes, checkpoints) | {ledger_per_entry:,.0f} bytes per entry | "
          f"{_size(b['db'].get('ledger_bytes', 0) + ledger_per_entry * (entries_at_cases - e2))} | "
          f"{_size(ledger_at_entries)} |")
    print(f"| growing the database in bulk (sanxiang grow) | {grow_per_case * 1000:.2f} ms per case | "
          f"{_duration(grow_at_cases)} | {_duration(grow_per_case * cases_at_entries)} |")

    print("\n| page | queries at " + f"{n1:,} / {n2:,}" + " | latency at " + f"{n1:,} / {n2:,}"
          + " | shape | projected at 10M cases |")
    print("|---|---|---|---|---|")
    for label, f2 in b["pages"].items():
        f1 = a["pages"].get(label, {})
        if not f1 or not f2 or "median_ms" not in f1 or "median_ms" not in f2:
            print(f"| {label} | – | – | not measured at both sizes | – |")
            continue
        query_slope, queries_at = _line(n1, f1["queries"], n2, f2["queries"], CASES)
        time_slope, ms_at = _line(n1, f1["median_ms"], n2, f2["median_ms"], CASES)
        bounded = abs(query_slope) < BOUNDED_QUERIES
        flat = bounded and time_slope <= f2["median_ms"] / n2 * 0.1
        if flat:
            shape = "flat: queries and time independent of the cases"
        elif bounded:
            shape = f"same queries, time grows ({time_slope * 1000:.0f} ms per 1,000 cases: rows read per query)"
        else:
            shape = f"{query_slope * 1000:.1f} queries per 1,000 cases"
        if flat:
            at = f"≈ {_duration(f2['median_ms'] / 1000)}"
        else:
            at = f"{_duration(max(ms_at, f2['median_ms']) / 1000)}" + ("" if bounded else f", {queries_at:,.0f} queries")
        print(f"| {label} | {f1['queries']:,} / {f2['queries']:,} | {f1['median_ms']:,.0f} / {f2['median_ms']:,.0f} ms "
              f"| {shape} | {at} |")
    raw = b.get("raw", {})
    if raw:
        print(f"\nRaw limits in the same run: SELECT 1 {raw['select1_ms'] * 1000:.0f} µs, indexed 50-row SELECT "
              f"{raw['select50_ms'] * 1000:.0f} µs, test-client request without queries {raw['client_ms']:.1f} ms.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("figures", nargs="?", type=Path, help="the --json output of benchmarks/pages.py")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite",
                        help="when no figures are given: the engine pages.py runs on")
    args = parser.parse_args()
    path = args.figures
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="sanxiang-projection-")) / "pages.json"
        subprocess.run([sys.executable, str(Path(__file__).with_name("pages.py")), "--cases", "1000", "5000",
                        "--engine", args.engine, "--repeat", "3", "--json", str(path)], check=True)
    project(json.loads(path.read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
