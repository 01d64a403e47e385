"""Bar charts as plain data; the template draws them as SVG with every value written beside its bar,
so nothing is told by colour alone and the same numbers sit in a table below each chart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # of the longest bar, 0..1
    url: str | None = None


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    ROW = 26  # pixels per bar

    @property
    def height(self) -> int:
        return self.ROW * len(self.bars) + 8


def bar_chart(title: str, rows: Iterable[tuple[str, int, str | None]]) -> BarChart:
    rows = list(rows)
    longest = max((value for _label, value, _url in rows), default=0)
    return BarChart(title, [Bar(label, value, value / longest if longest else 0.0, url) for label, value, url in rows])
