"""Server-side SVG charts: each mark carries its number, labels are escaped, odd inputs
(nothing to draw, one slice of 100 %, a missing value) draw without broken geometry, and
nothing points outside the page."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from app.reports.charts import (
    BREACHED,
    MET,
    Bound,
    Series,
    Slice,
    bar_chart,
    bound_chart,
    donut_chart,
    number,
)

EVIL = '<script>alert("x")</script> & "Dinas"'


def parse(markup: str) -> ET.Element:
    """The chart as XML: escaping mistakes or broken attributes fail here."""
    return ET.fromstring(str(markup))


def bars(markup: str) -> list[tuple[str, str, str]]:
    """(category, series, data-value) of every bar, in drawing order."""
    found = []
    for group in parse(markup).iter("g"):
        for rect in group.iter("rect"):
            found.append(
                (group.get("data-category"), rect.get("data-series"), rect.get("data-value"))
            )
    return found


def test_number_drops_float_noise():
    assert [number(v) for v in (12.0, 1 / 3, 0, 66.666, 100)] == ["12", "0.33", "0", "66.67", "100"]


def test_bar_chart_marks_carry_their_values():
    chart = bar_chart(
        "uji",
        "Penyelesaian",
        ["Dinas A", "Dinas B"],
        [Series("SKP", [50, 100], "#1976d2"), Series("Nilai", [25.5, None], "#2e7d32")],
        maximum=100,
    )
    assert bars(chart) == [
        ("Dinas A", "SKP", "50"),
        ("Dinas A", "Nilai", "25.5"),
        ("Dinas B", "SKP", "100"),
        ("Dinas B", "Nilai", ""),
    ]
    widths = [float(r.get("width")) for g in parse(chart).iter("g") for r in g.iter("rect")]
    assert widths[2] == 2 * widths[0]  # proportional to the value against the maximum
    assert widths[3] == 0  # no value: no bar, a dash instead
    assert "—" in str(chart)


def test_stacked_bars_put_segments_end_to_end_and_label_the_sum():
    chart = bar_chart(
        "uji",
        "Predikat per unit",
        ["Bidang A", "Bidang B"],
        [Series("Baik", [3, 0], "#1976d2"), Series("Kurang", [1, None], "#c62828")],
        stacked=True,
    )
    assert bars(chart) == [
        ("Bidang A", "Baik", "3"),
        ("Bidang A", "Kurang", "1"),
        ("Bidang B", "Baik", "0"),
        ("Bidang B", "Kurang", ""),
    ]
    rects = [r for g in parse(chart).iter("g") for r in g.iter("rect")]
    first, second = rects[0], rects[1]
    assert float(second.get("x")) == float(first.get("x")) + float(first.get("width"))
    assert float(first.get("width")) == 3 * float(second.get("width"))
    assert first.get("y") == second.get("y")
    labels = [t.text for g in parse(chart).iter("g") for t in g.iter("text")]
    assert labels == ["Bidang A", "4", "Bidang B", "0"]


def test_bar_longer_than_the_maximum_is_clipped():
    chart = bar_chart("uji", "t", ["x", "y"], [Series("s", [150, 100], "#123456")], maximum=100)
    widths = [float(r.get("width")) for g in parse(chart).iter("g") for r in g.iter("rect")]
    assert widths[0] == widths[1]
    assert bars(chart)[0][2] == "150"  # the number itself is not clipped


def test_labels_and_titles_are_escaped():
    chart = bar_chart("uji", EVIL, [EVIL], [Series(EVIL, [1], "#123")])
    donut = donut_chart("donat", EVIL, [Slice(EVIL, 1, "#123")])
    for markup in (chart, donut):
        assert "<script>" not in str(markup)
        root = parse(markup)
        assert root.find("title").text == EVIL
    assert bars(chart)[0][:2] == (EVIL, EVIL)


def test_long_label_is_cut_but_kept_whole_in_its_title():
    name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    chart = parse(bar_chart("uji", "t", [name], [Series("s", [1], "#123")]))
    group = next(chart.iter("g"))
    assert group.find("title").text == name
    shown = group.find("text").text
    assert shown.endswith("…") and len(shown) < len(name)


@pytest.mark.parametrize("colour", ["red", "#12", "#1234567", 'x" onload="alert(1)'])
def test_only_hex_colours_are_accepted(colour):
    with pytest.raises(ValueError):
        bar_chart("uji", "t", ["a"], [Series("s", [1], colour)])
    with pytest.raises(ValueError):
        donut_chart("uji", "t", [Slice("a", 1, colour)])


@pytest.mark.parametrize("chart_id", ["", "Uji", "a b", 'x"y'])
def test_chart_id_is_a_plain_name(chart_id):
    with pytest.raises(ValueError):
        donut_chart(chart_id, "t", [])


def test_a_series_needs_one_value_per_category():
    with pytest.raises(ValueError):
        bar_chart("uji", "t", ["a", "b"], [Series("s", [1], "#123")])


def test_empty_bar_chart_draws():
    root = parse(bar_chart("uji", "t", [], [Series("s", [], "#123")]))
    assert list(root.iter("g")) == []


def slices(markup: str) -> list[tuple[str, float, float, float]]:
    """(label, value, dash length, offset) of every slice."""
    found = []
    for circle in parse(markup).iter("circle"):
        if circle.get("data-label") is None:
            continue  # the grey ring underneath
        dash = float(circle.get("stroke-dasharray").split()[0])
        found.append(
            (
                circle.get("data-label"),
                float(circle.get("data-value")),
                dash,
                float(circle.get("stroke-dashoffset")),
            )
        )
    return found


def test_donut_slices_are_proportional_and_follow_each_other():
    chart = donut_chart(
        "donat",
        "Predikat",
        [Slice("Baik", 3, "#1976d2"), Slice("Kurang", 1, "#c62828"), Slice("Nol", 0, "#999")],
    )
    drawn = slices(chart)
    circumference = 2 * math.pi * 70
    assert [(label, value) for label, value, _, _ in drawn] == [
        ("Baik", 3),
        ("Kurang", 1),
        ("Nol", 0),
    ]
    assert drawn[0][2] == pytest.approx(circumference * 0.75, abs=0.01)
    assert drawn[1][2] == pytest.approx(circumference * 0.25, abs=0.01)
    assert drawn[1][3] == pytest.approx(-drawn[0][2], abs=0.01)
    assert drawn[2][2] == 0
    assert ">4</text>" in str(chart)  # the total in the middle
    assert "Nol: 0" in str(chart)  # every slice is in the legend, zeros too


def test_single_slice_is_a_full_ring_and_empty_donut_has_no_nan():
    full = slices(donut_chart("donat", "t", [Slice("Baik", 5, "#123")]))
    assert full[0][2] == pytest.approx(2 * math.pi * 70, abs=0.01)
    empty = donut_chart("donat", "t", [Slice("Baik", 0, "#123"), Slice("Kurang", 0, "#456")])
    assert "nan" not in str(empty).lower()
    assert [dash for _, _, dash, _ in slices(empty)] == [0, 0]


def test_negative_slice_is_refused():
    with pytest.raises(ValueError):
        donut_chart("donat", "t", [Slice("a", -1, "#123")])


def test_value_and_percent_texts_are_the_callers():
    chart = donut_chart(
        "donat",
        "t",
        [Slice("a", 1, "#123"), Slice("b", 2, "#456")],
        value_text=lambda v: f"{v:.0f} org",
        percent_text=lambda p: f"{p:.1f}".replace(".", ",") + " %",
    )
    assert "a: 1 org (33,3 %)" in str(chart)


def test_charts_reference_nothing_outside_the_page():
    markup = str(bar_chart("uji", "t", ["a"], [Series("s", [1], "#123")])) + str(
        donut_chart("donat", "t", [Slice("a", 1, "#123")])
    )
    assert not re.search(r"https?:|//|href|<script|<image|url\(", markup)


def rules_of(markup: str) -> list[tuple[str, str, str, str]]:
    """(met, share, bound, bar colour) of every rule of a bound chart."""
    return [
        (
            g.get("data-met"),
            g.get("data-share"),
            g.get("data-bound"),
            g.findall("rect")[1].get("fill"),
        )
        for g in parse(markup).iter("g")
    ]


def test_bound_chart_draws_each_share_against_its_bound():
    chart = bound_chart(
        "uji-batas",
        EVIL,
        [
            Bound(EVIL, 25, "25 %", 60, "min 60 %", met=False),
            Bound("Paling banyak 70 % Baik", 50, "50 %", 70, "maks 70 %", met=True),
        ],
    )
    assert rules_of(chart) == [("0", "25", "60", BREACHED), ("1", "50", "70", MET)]
    assert "<script>" not in str(chart)
    markers = [float(line.get("x1")) for line in parse(chart).iter("line")]
    fills = [float(g.findall("rect")[1].get("width")) for g in parse(chart).iter("g")]
    plot = float(parse(chart).iter("g").__next__().findall("rect")[0].get("width"))
    assert markers[0] == pytest.approx(4 + plot * 0.6) and markers[1] == pytest.approx(
        4 + plot * 0.7
    )
    assert fills == [pytest.approx(plot * 0.25), pytest.approx(plot * 0.5)]


def test_bound_chart_keeps_odd_values_on_the_bar():
    chart = bound_chart("uji-batas", "t", [Bound("x", 130, "130 %", -5, "?", met=True)])
    (group,) = parse(chart).iter("g")
    track, fill = group.findall("rect")
    assert float(fill.get("width")) == float(track.get("width"))  # cut at 100 %
    assert float(group.find("line").get("x1")) == 4  # the bound at 0 %
    assert parse(bound_chart("uji-kosong", "t", [])).find("text").text == "—"
