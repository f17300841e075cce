"""The verifiable random draw (sanxiang_verify.draw, used through sanxiang.procedure.draw): the
same public inputs give the same sample, any changed input gives another, the sample is uniform,
and the stand-alone command repeats a published draw."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.draw import DrawInputError, draw_run, sample, seed_commitment, seed_new
from sanxiang_verify import draw as draw_module

POPULATION = [f"T{i:03d}" for i in range(20)]
SEED = "00112233445566778899aabbccddeeff"


def _sample_from_the_docstring(seed, population, k, group="", context=""):
    """The algorithm as the module's docstring writes it, written again independently."""
    pool = sorted(population)
    payload = json.dumps({"context": context, "group": group, "k": k, "population": pool, "seed": seed},
                         ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    key = hashlib.sha256(b"sanxiang-draw/1\x00" + payload).digest()
    numbers = (int.from_bytes(hashlib.sha256(key + i.to_bytes(8, "big")).digest()[at:at + 8], "big")
               for i in range(10**9) for at in (0, 8, 16, 24))
    for i in range(k):
        n = len(pool) - i
        limit = 2**64 - 2**64 % n
        x = next(numbers)
        while x >= limit:
            x = next(numbers)
        j = i + x % n
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def test_a_published_draw_gives_the_recorded_result():
    # Pinned: a change of the algorithm would make every published draw unrepeatable.
    assert sample(seed=SEED, population=POPULATION, k=5, group="A级", context="2026年第1次双随机抽查") == [
        "T015", "T000", "T005", "T011", "T001"]
    assert sample(seed="seed-2", population=["甲", "乙", "丙"], k=3) == ["乙", "甲", "丙"]


identifiers = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=40, unique=True)


@settings(max_examples=60, deadline=None)
@given(population=identifiers, data=st.data(), seed=st.text(min_size=1, max_size=20), group=st.text(max_size=5))
def test_the_sample_is_k_distinct_members_whatever_the_order_and_matches_the_written_algorithm(population, data, seed, group):
    k = data.draw(st.integers(min_value=0, max_value=len(population)))
    drawn = sample(seed=seed, population=population, k=k, group=group)
    assert len(drawn) == k == len(set(drawn)) and set(drawn) <= set(population)
    assert sample(seed=seed, population=list(reversed(population)), k=k, group=group) == drawn
    assert drawn == _sample_from_the_docstring(seed, population, k, group)


def test_each_changed_input_changes_the_draw():
    base = {"seed": SEED, "population": POPULATION, "k": 8, "group": "A", "context": "c"}
    drawn = sample(**base)
    for change in ({"seed": SEED + "0"}, {"population": POPULATION[:-1]}, {"k": 9}, {"group": "B"},
                   {"context": "d"}):
        assert sample(**base | change)[:8] != drawn, change


def test_no_member_is_favoured_over_many_seeds():
    # One of ten drawn under 5,000 seeds: Pearson's chi-square with 9 degrees of freedom stays under
    # 27.88 (p = 0.001); a generator that favoured a position or a member would exceed it.
    population = [f"M{i}" for i in range(10)]
    counts = Counter(sample(seed=f"s{n}", population=population, k=1)[0] for n in range(5000))
    expected = 500
    assert sum((counts[m] - expected) ** 2 / expected for m in population) < 27.88


def test_bad_inputs_are_refused_with_a_reason():
    with pytest.raises(DrawInputError, match="twice"):
        sample(seed=SEED, population=["a", "a"], k=1)
    with pytest.raises(DrawInputError, match="cannot draw 3 of 2"):
        sample(seed=SEED, population=["a", "b"], k=3)
    with pytest.raises(DrawInputError, match="seed"):
        sample(seed="", population=["a"], k=1)


def test_the_seed_is_fresh_and_its_commitment_is_its_sha256():
    seed = seed_new()
    assert len(seed) == 64 and seed != seed_new()
    assert seed_commitment(seed) == hashlib.sha256(seed.encode()).hexdigest()


def test_the_stand_alone_command_repeats_a_published_draw(tmp_path, monkeypatch, capsys):
    inputs = {"algorithm": "sanxiang-draw/1", "seed": SEED, "seed_commitment": seed_commitment(SEED),
              "context": "2026年第1次双随机抽查", "groups": [{"name": "A级", "population": POPULATION, "k": 5}]}
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(inputs, ensure_ascii=False), encoding="utf-8")
    assert draw_module.main([str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seed_matches_commitment"] is True
    assert out["groups"] == [{"name": "A级", "selected": ["T015", "T000", "T005", "T011", "T001"]}]
    assert draw_run(inputs) == out
    # A seed that is not the one committed to is reported, with exit status 1.
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(inputs | {"seed": "another"})))
    assert draw_module.main(["-"]) == 1
    assert json.loads(capsys.readouterr().out)["seed_matches_commitment"] is False
    path.write_text("{}", encoding="utf-8")
    assert draw_module.main([str(path)]) == 2


def test_the_module_runs_alone_with_python_dash_m(tmp_path):
    path = tmp_path / "draw.json"
    path.write_text(json.dumps({"seed": "x", "groups": [{"name": "", "population": ["a", "b"], "k": 2}]}))
    run = subprocess.run([sys.executable, "-m", "sanxiang_verify.draw", str(path)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert sorted(json.loads(run.stdout)["groups"][0]["selected"]) == ["a", "b"]
