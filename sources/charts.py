"""Charts drawn on the server as accessible SVG: no script, no inline style.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` naming what it shows;
population charts draw the change since the first year on one scale shared by all of them,
so that neither a small town's nor a large one's small change looks like a large one;
the numbers themselves are in a table next to it, which is the accessible version. Colours
come from CSS classes in the site's stylesheet.
"""

import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 64, 14, 14, 30


@dataclass
class Series:
    key: str
    label: str
    points: list[tuple[int, int]]  # (year, value), in year order


# The smallest half-height of the shared scale, in per cent: a change of a few hundred
# people in a town of 26 000 is drawn as the small change it is.
MIN_CHANGE = 5
# SVG units: the chart is never drawn narrower than 232 px (the grid's 16-rem column less
# the card's padding) for its 320 units, so text of 17 units is at least 12 px on screen.
LABEL_SIZE = 17


def change(points: list[tuple[int, int]]) -> list[tuple[int, float]]:
    """Each value as its change since the first year, in per cent."""
    base = points[0][1]
    return [(year, (value / base - 1) * 100 if base else 0.0) for year, value in points]


def shared_scale(all_series: list[Series]) -> int:
    """The half-height, in whole per cent, of the scale all the charts share: the largest
    change of any series, at least MIN_CHANGE."""
    largest = max(
        (abs(value) for series in all_series for _year, value in change(series.points)),
        default=0,
    )
    return max(MIN_CHANGE, math.ceil(largest))


def percent(value: float, decimals: int = 0) -> str:
    """+2 %, -0,8 % (the reader's decimal sign, and a real minus sign, U+2212)."""
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{number_format(abs(value), decimals)}\u00a0%"


def line_chart(series: Series, *, scale: int, title: str, description: str, chart_id: str):
    """A small line chart of one series' change since its first year, on the shared scale
    (from -scale to +scale per cent), with a line at no change."""
    points = change(series.points)
    years = [year for year, _value in points]
    first, last = years[0], years[-1]
    span = max(last - first, 1)

    def x(year):
        return LEFT + (WIDTH - LEFT - RIGHT) * (year - first) / span

    def y(value):
        return TOP + (HEIGHT - TOP - BOTTOM) * (scale - value) / (2 * scale)

    path = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in points)
    dots = format_html_join(
        "",
        '<circle class="chart__dot" cx="{}" cy="{}" r="3"></circle>',
        ((f"{x(year):.1f}", f"{y(value):.1f}") for year, value in points),
    )
    labels = format_html_join(
        "",
        '<text class="chart__label" x="{}" y="{}" text-anchor="end" font-size="{}">{}</text>',
        (
            (LEFT - 6, f"{y(value) + 5:.1f}", LABEL_SIZE, percent(value))
            for value in (scale, 0, -scale)
        ),
    )
    return format_html(
        '<svg class="chart chart--{key}" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line class="chart__axis" x1="{left}" y1="{zero}" x2="{right}" y2="{zero}"></line>'
        '<polyline class="chart__line" fill="none" points="{path}"></polyline>{dots}'
        '<text class="chart__label" x="{left}" y="{label_y}" text-anchor="start" '
        'font-size="{size}">{first}</text>'
        '<text class="chart__label" x="{right}" y="{label_y}" text-anchor="end" '
        'font-size="{size}">{last}</text>'
        "{labels}</svg>",
        key=series.key,
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        left=LEFT,
        right=WIDTH - RIGHT,
        zero=f"{y(0):.1f}",
        path=path,
        dots=dots,
        label_y=HEIGHT - 8,
        size=LABEL_SIZE,
        first=first,
        last=last,
        labels=labels,
    )
