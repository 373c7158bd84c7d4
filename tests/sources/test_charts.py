"""The population charts: one scale for all, that draws small changes small."""

import re

from hypothesis import given
from hypothesis import strategies as st

from sources.charts import BOTTOM, HEIGHT, MIN_CHANGE, TOP, Series, change, line_chart, shared_scale

populations = st.lists(st.integers(min_value=100, max_value=200_000), min_size=2, max_size=12)


def series_of(values, key="1833") -> Series:
    return Series(key, "Rana", [(2015 + i, value) for i, value in enumerate(values)])


def heights(svg: str) -> list[float]:
    points = re.search(r'<polyline[^>]* points="([^"]+)"', svg).group(1)
    return [float(point.split(",")[1]) for point in points.split()]


@given(st.lists(populations, min_size=1, max_size=5))
def test_the_shared_scale_holds_every_series_and_never_shrinks_below_the_minimum(values):
    all_series = [series_of(v, key=str(i)) for i, v in enumerate(values)]
    scale = shared_scale(all_series)
    assert scale >= MIN_CHANGE
    for series in all_series:
        assert all(abs(pct) <= scale for _year, pct in change(series.points))
        svg = line_chart(series, scale=scale, title="t", description="d", chart_id="c")
        # Every point is inside the plot.
        assert all(TOP - 0.05 <= y <= HEIGHT - BOTTOM + 0.05 for y in heights(svg))


def test_a_small_change_is_drawn_small_and_a_large_one_large():
    steady = series_of([26_000, 25_900, 25_800, 25_740])  # one per cent down
    growing = series_of([1_800, 1_900, 2_100, 2_300], key="1828")  # 28 per cent up
    plot = HEIGHT - BOTTOM - TOP
    alone = shared_scale([steady])
    assert alone == MIN_CHANGE
    small = heights(line_chart(steady, scale=alone, title="t", description="d", chart_id="a"))
    # A per cent of a 5-per-cent half-height: a tenth of the plot at most.
    assert max(small) - min(small) <= plot * 0.1
    together = shared_scale([steady, growing])
    assert together == 28
    large = heights(line_chart(growing, scale=together, title="t", description="d", chart_id="b"))
    assert max(large) - min(large) >= plot * 0.45


def test_the_labels_say_the_scale_in_the_readers_numbers():
    svg = line_chart(series_of([100, 103]), scale=5, title="t", description="d", chart_id="c")
    labels = re.findall(r'<text class="chart__label"[^>]*font-size="17">([^<]+)</text>', svg)
    assert labels == ["2015", "2016", "+5\u00a0%", "0\u00a0%", "\u22125\u00a0%"]
