"""The per-part figures that the hand-written sets' tests print (body, comments)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

R = TypeVar("R")


def part_lines(parts: Mapping[str, Sequence[R]], summary: Callable[[list[R]], Mapping[str, float]], width: int) -> str:
    """One line a part: its name, then each figure (fractions to three digits, counts as they are)."""
    lines = []
    for part, chosen in parts.items():
        figures = summary(list(chosen))
        shown = (f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())
        lines.append(f"  {part:<{width}} " + ", ".join(shown))
    return "\n".join(lines)
