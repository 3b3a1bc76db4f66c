"""Server-rendered bar charts: the numbers become bar lengths here, the template draws them as SVG.

No JavaScript and no style attributes (the Content-Security-Policy forbids inline styles): positions and
sizes are SVG attributes, in the chart's own units (480 wide, 10 per bar).
"""

from dataclasses import dataclass

LABEL_WIDTH = 180
BAR_AREA = 220
ROW_HEIGHT = 10


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    width: float
    y: int

    @property
    def text_x(self) -> float:
        return LABEL_WIDTH + self.width + 4


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return ROW_HEIGHT * (len(self.bars) + 1)

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH


def bar_chart(items: list[tuple[str, float | None, str]]) -> Chart:
    """(label, value or None when hidden, the value as shown) → bars scaled to the largest; hidden ones are empty."""
    largest = max((value for _, value, _ in items if value), default=0)
    return Chart(
        [
            Bar(label, shown, round(BAR_AREA * value / largest, 1) if largest and value else 0, ROW_HEIGHT * index)
            for index, (label, value, shown) in enumerate(items)
        ]
    )
