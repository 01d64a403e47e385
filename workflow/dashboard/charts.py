"""The dashboard's charts as plain data. The templates draw them in HTML and SVG (templates/dashboard/_charts.html):
every bar carries its number and its whole label, so nothing is told by colour alone or cut short, and the
same numbers sit in a table beside each chart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .services import Figures, Named


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # of the longest bar, 0..1
    url: str | None = None

    ROOM = 88.0  # percent of the row the longest bar takes: room for its number after it

    @property
    def percent(self) -> str:
        """The bar's length as an SVG width."""
        return f"{self.share * self.ROOM:.1f}%"


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]


def bar_chart(title: str, rows: Iterable[tuple[str, int, str | None]]) -> BarChart:
    rows = list(rows)
    longest = max((value for _label, value, _url in rows), default=0)
    return BarChart(title, [Bar(label, value, value / longest if longest else 0.0, url) for label, value, url in rows])


@dataclass(frozen=True)
class Column:
    """One year of the trend: its activities held and still planned, as heights of the tallest column."""

    year: int
    held: int
    planned: int
    url: str | None
    tallest: int

    HEAD = 85.0  # percent of the chart's height the tallest column takes: room for its number above

    @property
    def total(self) -> int:
        return self.held + self.planned

    def _height(self, count: int) -> float:
        return count / self.tallest * self.HEAD if self.tallest else 0.0

    @property
    def held_height(self) -> str:
        return f"{self._height(self.held):.1f}%"

    @property
    def held_top(self) -> str:
        return f"{100 - self._height(self.held):.1f}%"

    @property
    def planned_height(self) -> str:
        return f"{self._height(self.planned):.1f}%"

    @property
    def top(self) -> str:
        return f"{100 - self._height(self.total):.1f}%"


@dataclass(frozen=True)
class TrendChart:
    title: str
    columns: list[Column]

    @property
    def held(self) -> int:
        return sum(column.held for column in self.columns)

    @property
    def planned(self) -> int:
        return sum(column.planned for column in self.columns)

    @property
    def busiest(self) -> Column | None:
        """The year with the most activities (the earliest of equals)."""
        return max(self.columns, key=lambda column: column.total, default=None)


def trend_chart(title: str, rows: Iterable[tuple[int, int, int, str | None]]) -> TrendChart:
    """Columns from (year, held, planned, url) rows."""
    rows = list(rows)
    tallest = max((held + planned for _year, held, planned, _url in rows), default=0)
    return TrendChart(title, [Column(year, held, planned, url, tallest) for year, held, planned, url in rows])


def fold_regions(regions: Sequence[tuple[Named, Figures]],
                 show_all: bool) -> tuple[list[tuple[Named, Figures]], list[Named]]:
    """The regions to show (those with an Action counted, or all of them) and those folded away."""
    shown = [(region, figures) for region, figures in regions if show_all or figures.actions]
    folded = [region for region, figures in regions if not (show_all or figures.actions)]
    return shown, folded
