"""Charts drawn on the server as accessible SVG: no script, no inline style.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` naming what it shows;
the numbers themselves are in a table next to it, which is the accessible version. Colours
come from CSS classes in the site's stylesheet.
"""

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


def line_chart(series: Series, *, title: str, description: str, chart_id: str):
    """A small line chart of one series, scaled to its own range."""
    points = series.points
    years = [year for year, _value in points]
    values = [value for _year, value in points]
    low, high = min(values), max(values)
    margin = max((high - low) * 0.15, max(high * 0.01, 1))
    low, high = low - margin, high + margin
    first, last = years[0], years[-1]
    span = max(last - first, 1)

    def x(year):
        return LEFT + (WIDTH - LEFT - RIGHT) * (year - first) / span

    def y(value):
        return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low)

    path = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in points)
    dots = format_html_join(
        "",
        '<circle class="chart__dot" cx="{}" cy="{}" r="3"></circle>',
        ((f"{x(year):.1f}", f"{y(value):.1f}") for year, value in points),
    )
    top_value, bottom_value = max(values), min(values)
    return format_html(
        '<svg class="chart chart--{key}" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line class="chart__axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"></line>'
        '<polyline class="chart__line" fill="none" points="{path}"></polyline>{dots}'
        '<text class="chart__label" x="{left}" y="{label_y}" text-anchor="start">{first}</text>'
        '<text class="chart__label" x="{right}" y="{label_y}" text-anchor="end">{last}</text>'
        '<text class="chart__label" x="{value_x}" y="{top_y}" text-anchor="end">{top}</text>'
        '<text class="chart__label" x="{value_x}" y="{bottom_y}" text-anchor="end">{low}</text>'
        "</svg>",
        key=series.key,
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM,
        path=path,
        dots=dots,
        label_y=HEIGHT - 10,
        first=first,
        last=last,
        value_x=LEFT - 6,
        top_y=f"{y(top_value) + 4:.1f}",
        bottom_y=f"{y(bottom_value) + 4:.1f}",
        top=number_format(top_value, force_grouping=True),
        low=number_format(bottom_value, force_grouping=True),
    )
