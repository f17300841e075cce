"""A sampling profiler of this process's CPU time (`setitimer(ITIMER_PROF)`): every `interval`
seconds of CPU the running Python stack is recorded. Unlike cProfile it does not slow each Python
call down, so the shares of many small calls (the ORM) and of C code (zlib, hashing) stay as they
are without it. Used by transition_profile.py (`--profiler sample`)."""

from __future__ import annotations

import collections
import signal


class Sampler:
    def __init__(self, interval: float = 0.0005) -> None:
        self.interval = interval
        self.stacks: collections.Counter[tuple[tuple[str, str], ...]] = collections.Counter()
        self.samples = 0
        self._on = False
        signal.signal(signal.SIGPROF, self._sample)

    def _sample(self, _signum, frame) -> None:
        if not self._on:
            return
        stack = []
        while frame is not None:
            code = frame.f_code
            stack.append((code.co_filename, code.co_name))
            frame = frame.f_back
        self.stacks[tuple(stack)] += 1
        self.samples += 1

    def enable(self) -> None:
        self._on = True
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)

    def disable(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        self._on = False

    def inclusive(self, functions) -> int:
        """Samples with any of these (file suffix, name) on the stack."""
        count = 0
        for stack, n in self.stacks.items():
            if any(f.endswith(s) and name == wanted for f, name in stack for s, wanted in functions):
                count += n
        return count

    def top(self, limit: int, *, own: bool, only: str = "") -> list[tuple[int, str]]:
        """Functions by samples: where the CPU was (own) or under them (inclusive, each counted once a
        sample); `only`: functions whose file contains it."""
        counts: collections.Counter[str] = collections.Counter()
        for stack, n in self.stacks.items():
            frames = stack[:1] if own else stack
            names = {f"{_short(f)}:{name}" for f, name in frames if only in f}
            for name in names:
                counts[name] += n
        return [(n, name) for name, n in counts.most_common(limit)]


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename

