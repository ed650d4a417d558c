"""The growth curves as images an evaluator can put straight into a report (issue 19): one measure of one scope,
each stage at its real date, drawn by matplotlib as SVG (the page) or PNG (print).

No Flask: the words and the reader's number and date formats come in as arguments. Thread-safe in a web
server: a `Figure` of its own per image, never pyplot's global state, drawn by the Agg / SVG canvases. Text is in
matplotlib's default font, DejaVu Sans, which ships with it: the same glyphs on every server."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import matplotlib
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# The SVG's ids come from this salt instead of a random one: the same chart gives the same file.
matplotlib.rcParams["svg.hashsalt"] = "reseau-ei-curves"

# Okabe–Ito's blue (the palette colour-blind readers tell apart), on white, with dark grey words.
LINE, WORDS, GRID = "#0072B2", "#333333", "#dddddd"
# Inches; an inch is 96 CSS pixels, so scaled down to 390 px wide the 10–12-point texts stay about 10 to 12 px high.
SIZE = (5.5, 3.75)
PIXELS = (round(SIZE[0] * 96), round(SIZE[1] * 96))  # 528 × 360: the SVG's size before it scales to the width
PNG_DPI = 192  # twice a screen's 96 dpi, for print
CLOSE = 0.09  # two stages nearer than this share of the date axis: their labels move apart


@dataclass(frozen=True)
class Point:
    day: date | None  # when the stage is reached in every territory of the scope; None: on different days
    stage: str  # « Avant », « S1 »…, « Après »
    value: float | None  # None: no figure (the line breaks there)


@dataclass(frozen=True)
class Words:
    """The chart's texts and the reader's formats, from the caller (translated, Babel)."""

    title: str
    x_label: str
    y_label: str
    format_value: Callable[[float], str]
    format_day: Callable[[date], str]


def y_limits(curves: Iterable[list[Point]], integer: bool,
             bounds: tuple[float, float] | None = None) -> tuple[float, float]:
    """One scale for every curve of a measure shown side by side: from 0 (or below, the E–I index runs from −1)
    to above the highest value, on round ticks, with room above the points for their stage labels; never past
    what the measure can be (`bounds`: a share stops at 100 %)."""
    values = [p.value for points in curves for p in points if p.value is not None and math.isfinite(p.value)]
    low, high = min(0.0, *values) if values else 0.0, max(0.0, *values) if values else 0.0
    if high == low:
        high = low + 1.0
    ticks = MaxNLocator(nbins=4, integer=integer, min_n_ticks=3).tick_values(low, high + (high - low) * 0.12)
    low, high = float(ticks[0]), float(ticks[-1])
    return (max(low, bounds[0]), min(high, bounds[1])) if bounds else (low, high)


def _label_places(days: list[float]) -> list[tuple[int, str]]:
    """Each stage's label above its point; two points too near on the date axis (« Avant » is the eve of a first
    session) push theirs apart, the first to the left and the second to the right: (x offset, alignment)."""
    span = (max(days) - min(days)) if days else 0.0
    places = [(0, "center")] * len(days)
    for i in range(1, len(days)):
        if (days[i] - days[i - 1]) < CLOSE * (span or 1.0):
            places[i - 1] = (-3, "right") if places[i - 1][1] == "center" else places[i - 1]
            places[i] = (3, "left")
    return places


def _wrap(text: str, width: int) -> str:
    """Lines of at most `width` characters, never cutting « Anjou–Saint-Léonard » at its hyphen."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False))


def figure(points: list[Point], words: Words, limits: tuple[float, float], integer: bool) -> Figure:
    """The curve of one scope: the line through its stages at their dates, each point named by its stage."""
    fig = Figure(figsize=SIZE, layout="tight")  # margins fitted to the labels (half the cost of "constrained")
    ax = fig.add_subplot()
    ax.set_title(_wrap(words.title, 48), fontsize=12, loc="left")
    ax.set_xlabel(words.x_label, fontsize=11)
    ax.set_ylabel(_wrap(words.y_label, 30), fontsize=11)
    values = [math.nan if p.value is None else p.value for p in points]
    if any(p.day is None for p in points):  # stages reached on different days (cohorts pooled): by stage
        ax.plot(range(len(points)), values, color=LINE, linewidth=2.5, marker="o", markersize=6)
        ax.set_xticks(range(len(points)), [p.stage for p in points])
        _y_axis(ax, words, limits, integer)
        return fig
    days = [date2num(p.day) for p in points]
    ax.plot(days, values, color=LINE, linewidth=2.5, marker="o", markersize=6)
    for day, point, (dx, align) in zip(days, points, _label_places(days), strict=True):
        if point.value is not None:
            ax.annotate(point.stage, (day, point.value), xytext=(dx, 7), textcoords="offset points",
                        ha=align, fontsize=10, color=WORDS)
    if days:  # a few days either side so that the first and last labels are not cut
        pad = max(3.0, (max(days) - min(days)) * 0.08)
        ax.set_xlim(min(days) - pad, max(days) + pad)
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=3))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: words.format_day(num2date(value).date())))
    else:  # no stage reached yet (a cohort still to come): no dates to show
        ax.set_xticks([])
    _y_axis(ax, words, limits, integer)
    return fig


def _y_axis(ax, words: Words, limits: tuple[float, float], integer: bool) -> None:
    """The measure's scale (shared across scopes), its ticks in the reader's format, and the frame."""
    ax.set_ylim(*limits)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=integer, min_n_ticks=3))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: words.format_value(value)))
    ax.tick_params(labelsize=10)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)


def render(fig: Figure, image: str, title: str, language: str) -> bytes:
    """SVG or PNG bytes; the same chart gives the same bytes (no creation date in the file)."""
    buffer = io.BytesIO()
    if image == "svg":
        metadata = {"Title": title, "Language": language, "Date": None, "Creator": "Réseau EI"}
        fig.savefig(buffer, format="svg", metadata=metadata)
    else:
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Title": title, "Software": "Réseau EI"})
    return buffer.getvalue()

