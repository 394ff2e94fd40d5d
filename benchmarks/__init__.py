"""Benchmarks: each ``benchmarks/bench_*.py`` module exposes ``run() -> list[Measure]``.

``python -m benchmarks`` imports them all and prints one line per figure with its budget.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from statistics import median


@dataclass
class Measure:
    issue: str          # e.g. "#2 geodata"
    name: str           # what is measured, in plain words
    value: float
    unit: str           # "s", "ms", "KB", "MB", ...
    budget: float | None = None   # the issue's budget in the same unit (value must be <= budget)

    @property
    def ok(self) -> bool | None:
        return None if self.budget is None else self.value <= self.budget


def time_ms(fn, repeat: int = 20) -> float:
    """Median wall time of ``fn()`` in milliseconds over ``repeat`` runs (after one warm-up)."""
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return median(runs)
