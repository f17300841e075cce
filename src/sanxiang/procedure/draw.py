"""Random draws (随机抽取) for 双随机一公开 and 案卷评查 sampling: the platform's side.

The algorithm itself lives in `sanxiang_verify.draw` (no Sanxiang, no Django), so that the file a
citizen runs to repeat a draw is the very code that made it. This module adds what the platform
does around it: a fresh seed, its commitment, and the rule that the commitment is recorded before
the draw and the seed published after it.

- 双随机 (random targets, random officers, results published): 《优化营商环境条例》第五十四条,
  《中华人民共和国民营经济促进法》第五十二条.
- Committing the seed before the draw, and the SHA-256 counter generator, are platform rules: no
  text prescribes how the randomness is made, only that the selection is random and public.
"""

from __future__ import annotations

import secrets

from sanxiang.procedure.violations import PLATFORM_PREFIX
from sanxiang_verify.draw import ALGORITHM, DrawInputError, canonical_json, draw_run, sample, seed_commitment

RANDOM_INSPECTION_BASIS = "《优化营商环境条例》第五十四条；《中华人民共和国民营经济促进法》第五十二条"
COMMITMENT_BASIS = (
    f"{PLATFORM_PREFIX}：抽取前公布随机种子的SHA-256摘要，抽取后公布种子，任何人可按公开的输入重复抽取（{ALGORITHM}）"
)
SEED_BYTES = 32


def seed_new() -> str:
    """A fresh seed: 256 bits from the operating system's generator, as hex."""
    return secrets.token_hex(SEED_BYTES)


__all__ = [
    "ALGORITHM",
    "COMMITMENT_BASIS",
    "RANDOM_INSPECTION_BASIS",
    "DrawInputError",
    "canonical_json",
    "draw_run",
    "sample",
    "seed_commitment",
    "seed_new",
]
