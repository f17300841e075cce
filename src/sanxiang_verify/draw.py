"""Verifiable random draws (随机抽取), repeatable by anyone from the public inputs.

Who uses it: 双随机一公开 inspections (targets and officers, issue 17) and 案卷评查 campaigns (the
sample of files and their evaluators, issue 16). Existing systems draw "randomly" with a seed nobody
recorded; here the seed is committed before the draw (its SHA-256 published first) and published
after it, and the algorithm below is fixed, so the published inputs determine the result and anyone
can check it with this file alone (`python -m sanxiang_verify.draw INPUTS.json`). The module imports
nothing of Sanxiang nor Django, like the case-file verifier.

Algorithm `sanxiang-draw/1`, for each group (a population and how many to draw from it):
1. The population is a list of distinct identifiers (strings); it is sorted (by Unicode code points),
   so the order a database returns rows in cannot change the result.
2. key = SHA-256(b"sanxiang-draw/1" || 0x00 || canonical JSON of
   {"context", "group", "k", "population", "seed"}), where canonical JSON is UTF-8 with sorted keys,
   no spaces and non-ASCII characters as they are. Every input is inside the key: changing the seed,
   the population, the number drawn, the group's name or the context changes the whole stream.
3. The counter generator: block i = SHA-256(key || i as 8 bytes big-endian), i = 0, 1, 2, ...; each
   32-byte block gives four 64-bit big-endian unsigned integers, used in order.
4. below(n), a uniform integer in [0, n): take integers x until x < 2^64 - (2^64 mod n) (rejection
   sampling: no modulo bias), and return x mod n.
5. The sample: a partial Fisher–Yates shuffle of the sorted population. For i = 0 .. k-1: j = i +
   below(N - i); swap positions i and j. The first k identifiers, in drawn order, are the result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass

# UTF-8, sorted keys, no spaces, non-ASCII as it is: the ledger's canonical form.
from sanxiang_verify.casefile import entry_line_canonical as canonical_json

ALGORITHM = "sanxiang-draw/1"
_DOMAIN = ALGORITHM.encode("ascii") + b"\x00"
_TWO_64 = 1 << 64


class DrawInputError(ValueError):
    """The inputs cannot be drawn from (duplicates, too many asked, an empty seed ...)."""


def seed_commitment(seed: str) -> str:
    """What is published before the draw: the SHA-256 of the seed's UTF-8 bytes, in hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


class CounterGenerator:
    """SHA-256 in counter mode over a key: a deterministic stream of 64-bit integers."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._counter = 0
        self._pending: list[int] = []

    def next_uint64(self) -> int:
        if not self._pending:
            block = hashlib.sha256(self._key + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            self._pending = [int.from_bytes(block[at:at + 8], "big") for at in (24, 16, 8, 0)]
        return self._pending.pop()  # the block's integers in order: bytes 0-7 first

    def below(self, n: int) -> int:
        if n <= 0:
            raise DrawInputError("below(n) needs n ≥ 1")
        limit = _TWO_64 - (_TWO_64 % n)
        while True:
            x = self.next_uint64()
            if x < limit:
                return x % n


def group_key(*, seed: str, context: str, group: str, population: Sequence[str], k: int) -> bytes:
    payload = {"context": context, "group": group, "k": k, "population": sorted(population), "seed": seed}
    return hashlib.sha256(_DOMAIN + canonical_json(payload)).digest()


def sample(*, seed: str, population: Sequence[str], k: int, group: str = "", context: str = "") -> list[str]:
    """k distinct identifiers of `population`, in drawn order (the module docstring's algorithm)."""
    if not isinstance(seed, str) or not seed:
        raise DrawInputError("the seed is empty")
    if any(not isinstance(item, str) for item in population):
        raise DrawInputError("identifiers must be strings")
    pool = sorted(population)
    if len(set(pool)) != len(pool):
        raise DrawInputError("the population holds an identifier twice")
    if isinstance(k, bool) or not isinstance(k, int) or k < 0 or k > len(pool):
        raise DrawInputError(f"cannot draw {k} of {len(pool)}")
    generator = CounterGenerator(group_key(seed=seed, context=context, group=group, population=pool, k=k))
    for i in range(k):
        j = i + generator.below(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


@dataclass(frozen=True)
class Group:
    name: str
    population: tuple[str, ...]
    k: int


def draw_inputs_parse(data: object) -> tuple[str, str, str | None, list[Group]]:
    """The public inputs as published: {"algorithm", "seed", "seed_commitment"?, "context"?,
    "groups": [{"name", "population": [...], "k"}]}. Raises DrawInputError on anything else."""
    if not isinstance(data, dict):
        raise DrawInputError("the inputs are not a JSON object")
    if data.get("algorithm", ALGORITHM) != ALGORITHM:
        raise DrawInputError(f"unknown algorithm {data.get('algorithm')!r} (this file implements {ALGORITHM})")
    seed, context, commitment = data.get("seed"), data.get("context", ""), data.get("seed_commitment")
    if not isinstance(seed, str) or not isinstance(context, str) or not isinstance(commitment, (str, type(None))):
        raise DrawInputError("seed and context must be strings")
    groups_data = data.get("groups")
    if not isinstance(groups_data, list):
        raise DrawInputError("groups must be a list")
    groups = []
    for item in groups_data:
        if not isinstance(item, dict) or not isinstance(item.get("population"), list):
            raise DrawInputError("each group needs a population list")
        groups.append(Group(name=str(item.get("name", "")), population=tuple(item["population"]), k=item.get("k")))
    return seed, context, commitment, groups


def draw_run(data: object) -> dict:
    """Repeat a draw from its public inputs: each group's selection, and whether the seed matches the
    commitment published before the draw (None when no commitment is given)."""
    seed, context, commitment, groups = draw_inputs_parse(data)
    return {
        "algorithm": ALGORITHM,
        "seed_matches_commitment": None if commitment is None else seed_commitment(seed) == commitment.lower(),
        "groups": [
            {"name": group.name, "selected": sample(seed=seed, population=group.population, k=group.k,
                                                    group=group.name, context=context)}
            for group in groups
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sanxiang_verify.draw",
        description="按公开的输入重复一次随机抽取 / repeat a Sanxiang random draw from its public inputs",
    )
    parser.add_argument("inputs", help="the draw's public inputs (JSON), as the portal publishes them; - for stdin")
    args = parser.parse_args(argv)
    try:
        if args.inputs == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.inputs, encoding="utf-8") as handle:
                data = json.load(handle)
        result = draw_run(data)
    except (OSError, ValueError) as error:  # DrawInputError and JSON errors are ValueErrors
        print(f"无法重复抽取 / cannot repeat the draw: {error}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 1 if result["seed_matches_commitment"] is False else 0


if __name__ == "__main__":
    sys.exit(main())
