"""A metric's values over its steps as a small server-rendered SVG line chart, with axes.

Pure Python (no Django): every text goes through ``html.escape`` and numbers are formatted here,
never localised. NaN values (stored as ``None``) and infinities break the line: the chart shows
a gap where they are, and the points on either side stay unjoined. Long series are thinned to
the lowest and highest value of each slice, so a spike is never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 360.0, 160.0
LEFT, RIGHT, TOP, BOTTOM = 52.0, 14.0, 12.0, 28.0
MAX_POINTS = 1200  # drawn; a longer series keeps each slice's lowest and highest value
DOTS_UP_TO = 40  # points get a dot (with a hover title) in series this short
TICKS = 4

Point = tuple[int, float | None]


@dataclass
class Summary:
    """What the chart's caption says: how many values, the last finite one, the extremes."""

    count: int
    last: Point | None
    low: float | None
    high: float | None
    gaps: int  # values that are not drawn: NaN or infinite


def _finite(value) -> bool:
    return value is not None and math.isfinite(value)


def summary(points: Sequence[Point]) -> Summary:
    finite = [(step, value) for step, value in points if _finite(value)]
    values = [value for _, value in finite]
    return Summary(
        count=len(points),
        last=finite[-1] if finite else None,
        low=min(values) if values else None,
        high=max(values) if values else None,
        gaps=len(points) - len(finite),
    )


def number(value: float) -> str:
    """A value as a tick or a caption shows it: four significant digits, no exponent for
    everyday sizes."""
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e6:
        text = f"{value:.4g}"
        return text if "e" not in text else f"{value:.0f}"
    return f"{value:.3g}"


def _nice(span: float) -> float:
    """A round tick spacing (1, 2 or 5 times a power of ten) for ``span`` split in ``TICKS``."""
    raw = span / TICKS
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _ticks(low: float, high: float, *, whole: bool = False) -> list[float]:
    """Round values covering ``low`` to ``high`` (whole numbers only, for steps)."""
    if high <= low:
        spread = abs(low) * 0.1 or 1.0
        low, high = low - spread, high + spread
    spacing = _nice(high - low)
    if whole:
        spacing = max(1.0, round(spacing))
    first = math.floor(low / spacing) * spacing
    ticks = [first]
    while ticks[-1] < high - spacing * 1e-9:
        ticks.append(first + len(ticks) * spacing)
    return ticks


def _thinned(points: Sequence[Point]) -> list[Point]:
    """At most about ``MAX_POINTS`` points: each slice's lowest and highest finite value in step
    order, and a gap (``None``) where a slice had one."""
    if len(points) <= MAX_POINTS:
        return list(points)
    size = math.ceil(len(points) / (MAX_POINTS // 2))
    kept: list[Point] = []
    for start in range(0, len(points), size):
        chunk = points[start : start + size]
        finite = [p for p in chunk if _finite(p[1])]
        if finite:
            low = min(finite, key=lambda p: p[1])
            high = max(finite, key=lambda p: p[1])
            kept.extend(sorted({low, high}, key=chunk.index))
        if len(finite) < len(chunk):
            kept.append((chunk[-1][0], None))
    return kept


def metric_svg(name: str, points: Sequence[Point]) -> str:
    """The chart of one metric (``points``: ``(step, value)`` by step; ``None`` is NaN)."""
    shown = _thinned(points)
    finite = [(step, value) for step, value in shown if _finite(value)]
    about = summary(points)
    label = f"Metric {name}: {about.count} value{'s' if about.count != 1 else ''}"
    if about.last is not None:
        label += f", last {number(about.last[1])} at step {about.last[0]}"
    parts = [
        f'<svg class="metric-chart" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" role="img"'
        f' aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    if not finite:
        parts.append(
            f'<text class="no-values" x="{WIDTH / 2:g}" y="{HEIGHT / 2:g}">'
            "no finite values to draw</text></svg>"
        )
        return "".join(parts)
    steps = [step for step, _ in shown]
    x0, x1 = min(steps), max(steps)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    xs = _step_ticks(x0, x1)
    ys = _ticks(min(v for _, v in finite), max(v for _, v in finite))
    y0, y1 = ys[0], ys[-1]
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def at_x(step: float) -> float:
        return LEFT + (step - x0) / (x1 - x0) * inner_w

    def at_y(value: float) -> float:
        return TOP + (y1 - value) / (y1 - y0) * inner_h

    for tick in ys:
        y = at_y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT:g}" x2="{WIDTH - RIGHT:g}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick y" x="{LEFT - 6:g}" y="{y:.1f}" dy="0.32em">{number(tick)}</text>'
        )
    for tick in xs:
        x = at_x(tick)
        parts.append(
            f'<line class="tick-mark" x1="{x:.1f}" x2="{x:.1f}" y1="{HEIGHT - BOTTOM:g}"'
            f' y2="{HEIGHT - BOTTOM + 4:g}"/>'
            f'<text class="tick x" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16:g}">{tick:.0f}</text>'
        )
    parts.append(
        f'<path class="axis" d="M{LEFT:g},{TOP:g} V{HEIGHT - BOTTOM:g} H{WIDTH - RIGHT:g}"/>'
        f'<text class="axis-label" x="{WIDTH - RIGHT:g}" y="{HEIGHT - 2:g}">step</text>'
    )
    path, run = [], 0
    for step, value in shown:
        if not _finite(value):
            run = 0
            continue
        path.append(f"{'L' if run else 'M'}{at_x(step):.1f},{at_y(value):.1f}")
        run += 1
    parts.append(f'<path class="line" d="{"".join(path)}"/>')
    lonely = _lonely(shown)
    for index, (step, value) in enumerate(shown):
        if _finite(value) and (len(finite) <= DOTS_UP_TO or index in lonely):
            parts.append(
                f'<circle class="dot" cx="{at_x(step):.1f}" cy="{at_y(value):.1f}" r="2.6">'
                f"<title>step {step}: {number(value)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _step_ticks(first: int, last: int) -> list[float]:
    """Round steps between ``first`` and ``last`` (the axis spans exactly the steps drawn), with
    both ends labelled unless a round step sits too close to one."""
    inside = [t for t in _ticks(first, last, whole=True) if first <= t <= last]
    near = (last - first) * 0.12
    ticks = [first] + [t for t in inside if t - first > near and last - t > near] + [last]
    return ticks if len(ticks) <= 6 else [first, *ticks[2:-1:2], last]


def _lonely(points: Sequence[Point]) -> set[int]:
    """Indexes of finite points with no finite neighbour: a line cannot show them."""
    ok = [_finite(value) for _, value in points]
    return {
        i
        for i, good in enumerate(ok)
        if good and not (i > 0 and ok[i - 1]) and not (i + 1 < len(ok) and ok[i + 1])
    }
