"""Charts drawn on the server as inline SVG: no JavaScript library and no CDN, so they render
on an offline intranet and in a printout alike.

Plain functions from numbers to markup. Every label is escaped (unit and people's names are
data an admin types in); colours must be hex literals. Each mark carries its number in
``data-value`` so the page's table beside the chart and the chart can be checked against
each other. The SVG is meant to be inlined in HTML, where it needs no ``xmlns``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
_CHART_ID = re.compile(r"[a-z][a-z0-9-]*")
_FONT = 'font-family="Helvetica, Arial, sans-serif"'
_GRID = "#dddddd"
_TEXT = "#333333"
_MUTED = "#999999"
_EMPTY = "#eeeeee"

# A label longer than this is cut with an ellipsis; the full text stays in its <title>.
LABEL_CHARS = 28


@dataclass(frozen=True)
class Series:
    """One set of bars: a value per category (None = not applicable, drawn as a dash)."""

    name: str
    values: Sequence[float | None]
    colour: str


@dataclass(frozen=True)
class Slice:
    label: str
    value: float
    colour: str


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError(f"not a hex colour: {value!r}")
    return value


def _chart_id(value: str) -> str:
    if not _CHART_ID.fullmatch(value):
        raise ValueError(f"not a chart id: {value!r}")
    return value


def number(value: float) -> str:
    """A coordinate or data value without float noise (12.0 → "12", 1/3 → "0.33")."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _open(chart_id: str, title: str, width: int, height: int, kind: str) -> str:
    return (
        f'<svg class="sikap-chart" data-chart="{chart_id}" data-kind="{kind}" role="img" '
        f'aria-labelledby="{chart_id}-title" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" {_FONT} font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
    )


def _legend(items: Sequence[tuple[str, str]], width: int, step: int = 160) -> tuple[str, int]:
    """Legend entries (label, colour) in rows across ``width``; the markup and its height."""
    per_row = max(1, width // step)
    parts = []
    for index, (label, colour) in enumerate(items):
        left, top = (index % per_row) * step, 4 + (index // per_row) * 18
        parts.append(
            f'<rect x="{left}" y="{top}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + 16}" y="{top + 10}" fill="{_TEXT}">{escape(_short(label))}</text>'
        )
    rows = max(1, math.ceil(len(items) / per_row))
    return "".join(parts), 10 + rows * 18


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float | None = None,
    stacked: bool = False,
    value_text: Callable[[float], str] = number,
    width: int = 640,
) -> Markup:
    """Horizontal bars, one group per category: a bar per series side by side, or with
    ``stacked`` one bar of the series' segments end to end, labelled with their sum.

    ``maximum`` is the value of a full-length bar (100 for percentages); without it the
    largest value (or sum). Values are labelled with ``value_text(value)``; None is "not
    applicable", drawn as a dash.
    """
    chart_id = _chart_id(chart_id)
    for item in series:
        _colour(item.colour)
        if len(item.values) != len(categories):
            raise ValueError(f"series {item.name!r} has not one value per category")
    bar, gap, label_width, value_width = 14, 10, 200, 64
    plot = width - label_width - value_width
    legend, legend_height = _legend([(s.name, s.colour) for s in series], width)
    legend_height += 4
    group = (1 if stacked else max(len(series), 1)) * bar + gap
    height = legend_height + max(len(categories), 1) * group + 20
    if stacked:
        sums = [sum(item.values[row] or 0 for item in series) for row in range(len(categories))]
        top = max(sums, default=0)
    else:
        top = max((v for item in series for v in item.values if v is not None), default=0)
    scale = maximum if maximum is not None else top
    parts = [_open(chart_id, title, width, height, "bar"), legend]
    plot_bottom = legend_height + len(categories) * group
    for tick in range(5):
        x = label_width + plot * tick / 4
        parts.append(
            f'<line x1="{number(x)}" y1="{legend_height - 4}" x2="{number(x)}" '
            f'y2="{plot_bottom}" stroke="{_GRID}"/>'
        )
        if scale:
            parts.append(
                f'<text x="{number(x)}" y="{plot_bottom + 14}" text-anchor="middle" '
                f'fill="{_MUTED}">{escape(value_text(scale * tick / 4))}</text>'
            )
    for row, category in enumerate(categories):
        y = legend_height + row * group
        parts.append(
            f'<g class="category" data-category="{escape(category)}">'
            f"<title>{escape(category)}</title>"
            f'<text x="{label_width - 6}" y="{number(y + (group - gap) / 2 + 4)}" '
            f'text-anchor="end" fill="{_TEXT}">{escape(_short(category))}</text>'
        )
        start = 0.0
        for index, item in enumerate(series):
            value = item.values[row]
            bar_y = y if stacked else y + index * bar
            length = plot * value / scale if value and scale else 0
            length = max(0.0, min(length, plot - start if stacked else plot))
            shown = "—" if value is None else value_text(value)
            parts.append(
                f'<rect x="{number(label_width + start)}" y="{bar_y}" width="{number(length)}" '
                f'height="{bar - 2}" fill="{item.colour}" data-series="{escape(item.name)}" '
                f'data-value="{"" if value is None else number(value)}">'
                f"<title>{escape(category)} · {escape(item.name)}: {escape(shown)}</title></rect>"
            )
            if stacked:
                start += length
            else:
                parts.append(
                    f'<text x="{number(label_width + length + 4)}" y="{bar_y + bar - 4}" '
                    f'fill="{_TEXT}">{escape(shown)}</text>'
                )
        if stacked:
            parts.append(
                f'<text x="{number(label_width + start + 4)}" y="{y + bar - 4}" '
                f'fill="{_TEXT}">{escape(value_text(sums[row]))}</text>'
            )
        parts.append("</g>")
    if not categories:
        parts.append(f'<text x="{label_width}" y="{legend_height + 14}" fill="{_MUTED}">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def donut_chart(
    chart_id: str,
    title: str,
    slices: Sequence[Slice],
    *,
    centre_text: str | None = None,
    value_text: Callable[[float], str] = number,
    percent_text: Callable[[float], str] = lambda share: f"{share:.0f} %",
    width: int = 420,
) -> Markup:
    """A ring of slices proportional to their values, with a legend of every slice (zeros
    included) and the total, or ``centre_text``, in the middle.

    Slices are dashes along one circle (stroke-dasharray), so a single slice of 100 % and an
    empty chart draw without degenerate arcs.
    """
    chart_id = _chart_id(chart_id)
    for item in slices:
        _colour(item.colour)
        if item.value < 0:
            raise ValueError(f"negative slice {item.label!r}")
    radius, ring, cx, cy = 70, 28, 100, 100
    height = max(200, 24 + 22 * len(slices))
    circumference = 2 * math.pi * radius
    total = sum(item.value for item in slices)
    parts = [_open(chart_id, title, width, height, "donut")]
    parts.append(
        f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="{_EMPTY}" '
        f'stroke-width="{ring}"/>'
    )
    offset = 0.0
    for item in slices:
        length = circumference * item.value / total if total else 0
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="{item.colour}" '
            f'stroke-width="{ring}" stroke-dasharray="{number(length)} '
            f'{number(circumference - length)}" stroke-dashoffset="{number(-offset)}" '
            f'transform="rotate(-90 {cx} {cy})" data-label="{escape(item.label)}" '
            f'data-value="{number(item.value)}">'
            f"<title>{escape(item.label)}: {escape(value_text(item.value))}</title></circle>"
        )
        offset += length
    centre = centre_text if centre_text is not None else value_text(total)
    parts.append(
        f'<text x="{cx}" y="{cy + 6}" text-anchor="middle" font-size="18" font-weight="bold" '
        f'fill="{_TEXT}">{escape(centre)}</text>'
    )
    legend_x = cx + radius + ring
    for index, item in enumerate(slices):
        y = 20 + index * 22
        share = f" ({percent_text(100 * item.value / total)})" if total else ""
        parts.append(
            f'<rect x="{legend_x}" y="{y}" width="12" height="12" fill="{item.colour}"/>'
            f'<text x="{legend_x + 18}" y="{y + 10}" fill="{_TEXT}">'
            f"{escape(_short(item.label))}: {escape(value_text(item.value))}{escape(share)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Bound:
    """One rule on a share: the share that holds now and the bound it must keep, both in
    percent, written out as ``share_text`` ("12,5 %") and ``bound_text`` ("at most 70 %")."""

    label: str
    share: float
    share_text: str
    bound: float
    bound_text: str
    met: bool


MET = "#2e7d32"
BREACHED = "#c62828"
_MARKER = "#222222"


def bound_chart(chart_id: str, title: str, bounds: Sequence[Bound], *, width: int = 640) -> Markup:
    """A bar per rule, 0–100 % of the width, its label above it: green when the share keeps
    its bound, red when it breaks it, and the bound drawn across the bar as a dark line with
    its text. Labels are the rules' own words, so they get the full width."""
    chart_id = _chart_id(chart_id)
    left, right, bar, row = 4, 60, 16, 52
    plot = width - left - right
    height = max(len(bounds), 1) * row + 20
    parts = [_open(chart_id, title, width, height, "bound")]
    for index, item in enumerate(bounds):
        top = index * row
        share = max(0.0, min(item.share, 100.0))
        bound = max(0.0, min(item.bound, 100.0))
        bar_y = top + 18
        colour = MET if item.met else BREACHED
        marker = left + plot * bound / 100
        parts.append(
            f'<g class="rule" data-met="{1 if item.met else 0}" data-share="{number(item.share)}" '
            f'data-bound="{number(item.bound)}">'
            f"<title>{escape(item.label)}</title>"
            f'<text x="{left}" y="{top + 12}" fill="{_TEXT}">{escape(item.label)}</text>'
            f'<rect x="{left}" y="{bar_y}" width="{plot}" height="{bar}" fill="{_EMPTY}"/>'
            f'<rect x="{left}" y="{bar_y}" width="{number(plot * share / 100)}" '
            f'height="{bar}" fill="{colour}"/>'
            f'<text x="{width - right + 6}" y="{bar_y + bar - 3}" fill="{_TEXT}">'
            f"{escape(item.share_text)}</text>"
            f'<line x1="{number(marker)}" y1="{bar_y - 3}" x2="{number(marker)}" '
            f'y2="{bar_y + bar + 3}" stroke="{_MARKER}" stroke-width="2"/>'
            f'<text x="{number(marker)}" y="{bar_y + bar + 14}" text-anchor="middle" '
            f'font-size="10" fill="{_MARKER}">{escape(item.bound_text)}</text>'
            "</g>"
        )
    if not bounds:
        parts.append(f'<text x="{left}" y="14" fill="{_MUTED}">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
