"""The growth curves' builder on its own (no Flask, no Neo4j): what an evaluator pasting the image in a report
expects — a title, named axes, the stages at their real dates, one scale for every scope of a measure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal
from matplotlib.dates import date2num

from referral.evaluation import curves

MN = [
    curves.Point(date(2025, 9, 30), "Avant", 12), curves.Point(date(2025, 10, 1), "S1", 15),
    curves.Point(date(2025, 11, 5), "S2", 19), curves.Point(date(2026, 1, 14), "S3", None),
    curves.Point(date(2026, 3, 12), "S4", 33), curves.Point(date(2026, 3, 31), "Après", 35),
]
VSP = [curves.Point(date(2026, 2, 1), "Avant", 3), curves.Point(date(2026, 6, 30), "Après", 71)]
SVG = "{http://www.w3.org/2000/svg}"


def words(title: str = "Liens — Montréal-Nord") -> curves.Words:
    return curves.Words(title, "Date", "Liens", lambda v: format_decimal(v, format="#,##0", locale="fr_CA"),
                        lambda d: format_date(d, "d MMM y", locale="fr_CA"))


def drawn(points=MN, limits=(0.0, 40.0)):
    return curves.figure(points, words(), limits, integer=True)


def test_the_figure_has_its_title_its_axis_labels_and_the_stages_at_their_real_dates():
    ax = drawn().axes[0]
    assert ax.get_title(loc="left") == "Liens — Montréal-Nord"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Date", "Liens")
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [date2num(p.day) for p in MN]  # not evenly spaced: S2 → S3 is ten weeks
    ys = list(line.get_ydata())
    assert ys[:3] == [12, 15, 19] and ys[3] != ys[3] and ys[4:] == [33, 35]  # a missing figure breaks the line
    # Each point is named by its stage (the missing one is not).
    assert [t.get_text() for t in ax.texts] == ["Avant", "S1", "S2", "S4", "Après"]
    # « Avant » (the eve) and « S1 » (the first day) are pushed apart instead of overlapping.
    assert [t.get_horizontalalignment() for t in ax.texts[:2]] == ["right", "left"]


def test_dates_and_numbers_are_in_the_readers_language():
    fig = drawn()
    fig.canvas.draw()  # the tick labels exist once drawn
    ax = fig.axes[0]
    x_labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert x_labels and all(label.split()[-1] in ("2025", "2026") for label in x_labels)
    assert any(month in " ".join(x_labels) for month in ("oct.", "janv.", "avr.", "déc."))
    wide = curves.figure([curves.Point(date(2026, 3, 12), "S1", 1234.0)], words(), (0.0, 2000.0), integer=True)
    wide.canvas.draw()
    assert "1\u00a0000" in [t.get_text() for t in wide.axes[0].get_yticklabels()]  # French thousands


def test_every_scope_of_a_measure_shares_one_y_scale():
    limits = curves.y_limits([MN, VSP], integer=True)
    assert limits[0] == 0 and limits[1] >= 71
    assert limits == curves.y_limits([VSP, MN], integer=True)
    a, b = drawn(MN, limits).axes[0], drawn(VSP, limits).axes[0]
    assert a.get_ylim() == b.get_ylim() == limits
    assert curves.y_limits([MN], integer=True)[1] < limits[1]  # on its own, Montréal-Nord's scale would be lower


def test_a_scale_stops_where_the_measure_does():
    shares = [[curves.Point(date(2026, 1, 1), "Avant", 0.1), curves.Point(date(2026, 6, 1), "Après", 0.95)]]
    assert curves.y_limits(shares, integer=False)[1] > 1  # round ticks and room for the labels…
    assert curves.y_limits(shares, integer=False, bounds=(0.0, 1.0)) == (0.0, 1.0)  # …but never past 100 %
    index = [[curves.Point(date(2026, 1, 1), "Avant", -0.95)]]
    assert curves.y_limits(index, integer=False, bounds=(-1.0, 1.0))[0] == -1.0


def test_a_scale_goes_below_zero_for_a_negative_figure_and_survives_no_figure():
    low, high = curves.y_limits([[curves.Point(date(2026, 1, 1), "Avant", -0.6)]], integer=False)
    assert low <= -0.6 and high >= 0
    low, high = curves.y_limits([[curves.Point(date(2026, 1, 1), "Avant", None)]], integer=False)
    assert low == 0 and high >= 1
    empty = curves.render(curves.figure([], words(), (0.0, 1.0), integer=False), "svg", "Liens", "fr")
    ET.fromstring(empty)


def test_the_svg_parses_carries_its_title_and_is_the_same_every_time():
    content = curves.render(drawn(), "svg", "Liens — Montréal-Nord", "fr")
    root = ET.fromstring(content)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Liens — Montréal-Nord"
    assert "Liens — Montréal-Nord" in content.decode()  # the figure's own title text too
    assert b"<dc:date>" not in content  # no creation date: the same chart gives the same file
    assert curves.render(drawn(), "svg", "Liens — Montréal-Nord", "fr") == content


def test_the_png_is_twice_the_pages_size():
    content = curves.render(drawn(), "png", "Liens — Montréal-Nord", "fr")
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    assert (width, height) == (2 * curves.PIXELS[0], 2 * curves.PIXELS[1])
