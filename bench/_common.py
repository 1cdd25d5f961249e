"""Helpers shared by the benchmark scripts (percentiles, printing)."""

from __future__ import annotations

import statistics


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def report(figure: str, ours: float, baseline: float, unit: str = "ms", better: str = "lower") -> None:
    ratio = ours / baseline if baseline else float("inf")
    print(f"{figure}: {ours:.2f} {unit} vs raw baseline {baseline:.2f} {unit} → ratio {ratio:.2f} ({better} is better)")


def summary(values: list[float]) -> str:
    return (f"n={len(values)} p50={percentile(values, 50):.2f} p95={percentile(values, 95):.2f} "
            f"mean={statistics.fmean(values):.2f}")
