"""Inclusion and consistency proofs at 1,000,000 entries, beside the raw reads they are made of.

    python benchmarks/ledger_proofs.py                        # SQLite, 1,000,000 entries
    python benchmarks/ledger_proofs.py --entries 100000 --engine postgres

The same database as `ledger_verify.py` (built there the same way when missing). For random
leaves (inclusion) and random first sizes (consistency) against the whole tree: median and max
time of the selector, the queries each made and the most stored hashes one read, every proof
verified; an inclusion proof through the HTTP view. Beside them, in the same run: one primary-key
read of a node row (the raw limit of one round trip) and log2(n) such reads one after another.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from ledger_verify import arguments, prepare


def _median_max(timings: list[float]) -> str:
    return f"median {statistics.median(timings) * 1000:.2f} ms, max {max(timings) * 1000:.2f} ms"


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    prepare(args)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import include, path

    from sanxiang.ledger import merkle, selectors
    from sanxiang.ledger.models import Head

    head = Head.objects.get(pk=1)
    size = head.size
    hasher = merkle.hasher_for(head.algorithm)
    rng = random.Random(1)
    levels = (size - 1).bit_length()  # ceil(log2(n)): the longest inclusion path
    print(f"{args.engine}: ledger of {size:,} entries ({head.algorithm}); ceil(log2(n)) = {levels}")

    # The raw limit: one node row by its primary key, and log2(n) of them one after another.
    single, chain = [], []
    with connection.cursor() as cur:
        for _ in range(args.samples):
            level = rng.randrange(1, levels - 1)
            index = rng.randrange(size >> level)
            t = time.perf_counter()
            cur.execute(
                'SELECT hash FROM ledger_node WHERE ledger_id = 1 AND level = %s AND "index" = %s', [level, index]
            )
            cur.fetchone()
            single.append(time.perf_counter() - t)
        for _ in range(args.samples // 10):
            t = time.perf_counter()
            for level in (1 + i % (levels - 2) for i in range(levels)):
                cur.execute(
                    'SELECT hash FROM ledger_node WHERE ledger_id = 1 AND level = %s AND "index" = %s',
                    [level, rng.randrange(size >> level)],
                )
                cur.fetchone()
            chain.append(time.perf_counter() - t)
    print(f"  raw: one node by primary key:           {_median_max(single)}")
    print(f"  raw: {levels} nodes, one query each:        {_median_max(chain)}")

    timings, queries, most_nodes = [], 0, 0
    for _ in range(args.samples):
        seq = rng.randrange(size)
        nodes = {(0, seq)} | {n for b, e in merkle.inclusion_ranges(seq, size) for n in merkle.range_nodes(b, e)}
        most_nodes = max(most_nodes, len(nodes))
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            proof = selectors.inclusion_proof_get(seq=seq, size=size)
            timings.append(time.perf_counter() - t)
        queries = max(queries, len(ctx.captured_queries))
        merkle.verify_inclusion(hasher, seq, size, proof.leaf_hash, proof.path, bytes(head.root))
    print(
        f"  inclusion proof (selector):             {_median_max(timings)}; at most {queries} queries"
        f" (the head, the hashes), {most_nodes} stored hashes read, {len(proof.path)} in the path; all verified"
    )

    timings, queries, most_nodes = [], 0, 0
    for _ in range(args.samples):
        first = rng.randrange(1, size)
        ranges = [*merkle.consistency_ranges(first, size), (0, first), (0, size)]
        most_nodes = max(most_nodes, len({n for b, e in ranges for n in merkle.range_nodes(b, e)}))
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            proof = selectors.consistency_proof_get(first=first, second=size)
            timings.append(time.perf_counter() - t)
        queries = max(queries, len(ctx.captured_queries))
        merkle.verify_consistency(hasher, first, size, proof.path, proof.first_root, bytes(head.root))
    print(
        f"  consistency proof (selector):           {_median_max(timings)}; at most {queries} queries,"
        f" {most_nodes} stored hashes read (the proof's and both roots'); all verified"
    )

    # Through the HTTP view as a client would call it (urlconf of the ledger alone).
    module = type(sys)("bench_urls")
    module.urlpatterns = [path("ledger/", include("sanxiang.ledger.urls"))]
    sys.modules["bench_urls"] = module
    with override_settings(ROOT_URLCONF="bench_urls", ALLOWED_HOSTS=["testserver"]):
        client = Client()
        timings = []
        for _ in range(args.samples):
            seq = rng.randrange(size)
            t = time.perf_counter()
            response = client.get("/ledger/proof/inclusion", {"seq": seq, "size": size})
            timings.append(time.perf_counter() - t)
            assert response.status_code == 200
    print(f"  inclusion proof over HTTP:              {_median_max(timings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
