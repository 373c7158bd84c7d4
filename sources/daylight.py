"""Daylight through the year at a municipality's administrative centre: the facts a
newcomer asks for (the shortest day, the midnight sun, the polar night), a chart and the
table that is its accessible version. Read from `DaylightDay` (MET Norway's sunrise API).
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .models import DAY_MINUTES, DaylightDay

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 46, 10, 12, 28
# SVG units; the chart is at least 343 px wide on a phone, so 14 units are 13 px or more.
LABEL_SIZE = 14


def duration(minutes: int) -> str:
    """ "2 h 25 min", "24 h", "0 min" (Norwegian: "2 t 25 min")."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": rest}


@dataclass
class Period:
    first: date
    last: date


def longest_run(days: list[DaylightDay], test) -> Period | None:
    """The longest run of consecutive stored days for which `test` holds."""
    best = current = None
    for day in days:
        if test(day):
            current = Period(current.first, day.date) if current else Period(day.date, day.date)
            if best is None or (current.last - current.first) > (best.last - best.first):
                best = current
        else:
            current = None
    return best


def days_of_latest_year(days: list[DaylightDay]) -> list[DaylightDay]:
    if not days:
        return []
    year = max(day.date.year for day in days)
    return sorted((day for day in days if day.date.year == year), key=lambda day: day.date)


def summary(days: list[DaylightDay]) -> dict:
    shortest = min(days, key=lambda day: (day.daylight_minutes, day.date))
    longest = max(days, key=lambda day: (day.daylight_minutes, -day.date.toordinal()))
    return {
        "shortest": shortest,
        "longest": longest,
        "midnight_sun": longest_run(days, lambda day: day.midnight_sun),
        "polar_night": longest_run(days, lambda day: day.polar_night),
    }


def facts_sentence(place: str, facts: dict) -> str:
    """What a newcomer asks first, in two or three sentences."""
    shortest, longest = facts["shortest"], facts["longest"]
    if facts["polar_night"]:
        parts = [
            _("In %(place)s the sun does not rise from %(first)s to %(last)s: the polar night.")
            % {"place": place, **_period(facts["polar_night"])}
        ]
    else:
        parts = [
            _("In %(place)s the sun is up for %(time)s on the shortest day (%(date)s).")
            % {
                "place": place,
                "time": duration(shortest.daylight_minutes),
                "date": _day(shortest.date),
            }
        ]
    if facts["midnight_sun"]:
        parts.append(
            _("From %(first)s to %(last)s it does not set at all: the midnight sun.")
            % _period(facts["midnight_sun"])
        )
    else:
        parts.append(
            _("On the longest day (%(date)s) it is up for %(time)s.")
            % {"date": _day(longest.date), "time": duration(longest.daylight_minutes)}
        )
    parts.append(_("The times are for a flat horizon: mountains can hide a low sun for longer."))
    return " ".join(parts)


def _is_nb() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "nb").startswith(("nb", "no"))


def _day(day: date) -> str:
    """ "21. desember", "21 December"."""
    return date_format(day, "j. F" if _is_nb() else "j F")


def _period(period: Period) -> dict:
    return {"first": _day(period.first), "last": _day(period.last)}


def table_rows(days: list[DaylightDay]) -> list[dict]:
    """The first stored day of each month, and the solstices: at most 14 rows. (The facts
    sentence gives the exact days of the midnight sun; the chart, every day.)"""
    rows, months = [], set()
    for day in days:
        solstice = (day.date.month, day.date.day) in ((6, 21), (12, 21))
        if day.date.month in months and not solstice:
            continue
        months.add(day.date.month)
        sunrise = timezone.localtime(day.sunrise) if day.sunrise else None
        sunset = timezone.localtime(day.sunset) if day.sunset else None
        rows.append(
            {
                "date": day.date,
                # "1. jan", "1 Jan", never broken across lines.
                "label": date_format(day.date, "j. b" if _is_nb() else "j M").replace(
                    " ", "\u00a0"
                ),
                "sunrise": sunrise,
                "sunset": sunset,
                "sunset_next_day": bool(sunset and sunset.date() > day.date),
                "daylight": duration(day.daylight_minutes),
                "midnight_sun": day.midnight_sun,
                "polar_night": day.polar_night,
            }
        )
    return rows


def outline(days: list[DaylightDay], every: int = 4) -> list[DaylightDay]:
    """The days the chart draws: every `every`-th, the first and the last, and each day on
    which the midnight sun or the polar night begins or ends (so the flat stretches are
    drawn where they are)."""

    def state(day):
        return (day.midnight_sun, day.polar_night)

    kept = []
    for index, day in enumerate(days):
        turning = 0 < index < len(days) - 1 and (
            state(day) != state(days[index - 1]) or state(day) != state(days[index + 1])
        )
        if index % every == 0 or index == len(days) - 1 or turning:
            kept.append(day)
    return kept


def chart(days: list[DaylightDay], *, title: str, description: str, chart_id: str):
    """Hours of daylight through the year as an area over the months, 0 to 24 hours."""
    year = days[0].date.year
    first = date(year, 1, 1).toordinal()
    span = date(year + 1, 1, 1).toordinal() - first
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + inner_w * (day.toordinal() - first) / span

    def y(minutes: int) -> float:
        return TOP + inner_h * (1 - minutes / DAY_MINUTES)

    drawn = [(x(day.date), y(day.daylight_minutes)) for day in outline(days)]
    area = [(drawn[0][0], y(0)), *drawn, (drawn[-1][0], y(0))]
    points = " ".join(f"{px:.0f},{py:.1f}" for px, py in area)
    grid = format_html_join(
        "",
        '<line class="chart__grid" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<text class="chart__label" x="{}" y="{}" text-anchor="end" font-size="{}">{}</text>',
        (
            (
                LEFT,
                f"{y(h * 60):.1f}",
                WIDTH - RIGHT,
                f"{y(h * 60):.1f}",
                LEFT - 5,
                f"{y(h * 60) + 5:.1f}",
                LABEL_SIZE,
                _("%(hours)s h") % {"hours": h},
            )
            for h in (0, 6, 12, 18, 24)
        ),
    )
    months = format_html_join(
        "",
        '<text class="chart__label" x="{}" y="{}" text-anchor="start" font-size="{}">{}</text>',
        (
            (f"{x(date(year, month, 1)):.1f}", HEIGHT - 8, LABEL_SIZE, MONTHS_3[month])
            for month in (1, 4, 7, 10)
        ),
    )
    return format_html(
        '<svg class="chart chart--daylight" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{grid}"
        '<polygon class="chart__area" points="{points}"></polygon>{months}</svg>',
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        grid=grid,
        points=points,
        months=months,
    )
