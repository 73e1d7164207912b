"""Draw a laid-out link chart as a static SVG (for the report): nodes by label, edges by weight."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from desktop.dto import LinkChart

WIDTH = 1000
HEIGHT = 560
MARGIN = 60
LABELLED = 30
STRETCH = 2.5


def _frame(chart: LinkChart) -> dict[int, tuple[float, float]]:
    """Scale positions into the picture; the axes stretch apart by at most STRETCH."""
    xs = [x for x, _ in chart.positions.values()]
    ys = [y for _, y in chart.positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    # A spring layout has no meaningful aspect: fill the wide picture, within reason.
    scale_x = (WIDTH - 2 * MARGIN) / span_x
    scale_y = (HEIGHT - 2 * MARGIN) / span_y
    scale_x = min(scale_x, scale_y * STRETCH)
    scale_y = min(scale_y, scale_x * STRETCH)
    off_x = (WIDTH - span_x * scale_x) / 2
    off_y = (HEIGHT - span_y * scale_y) / 2
    return {
        node: (off_x + (x - min(xs)) * scale_x, off_y + (max(ys) - y) * scale_y)
        for node, (x, y) in chart.positions.items()
    }


def chart_svg(chart: LinkChart, colours: dict[str, str]) -> str:
    """Return an inline SVG of a chart with positions; "" when there is nothing to draw.

    Args:
        chart: A chart with ``positions`` (``link_chart.layout``).
        colours: Fill colour per entity label; unknown labels are grey.
    """
    if not chart.positions:
        return ""
    at = _frame(chart)
    top_weight = max((e.weight for e in chart.edges), default=1)
    parts = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    for edge in sorted(chart.edges, key=lambda e: e.weight):
        if edge.source not in at or edge.target not in at:
            continue
        (x1, y1), (x2, y2) = at[edge.source], at[edge.target]
        width = 0.6 + 4.0 * math.log1p(edge.weight) / math.log1p(top_weight)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke="#7f8c8d" stroke-opacity="0.55" stroke-width="{width:.1f}"/>')
    top_mentions = max((n.mentions for n in chart.nodes), default=1)
    ranked = sorted(chart.nodes, key=lambda n: -n.mentions)
    named = {n.id for n in ranked[:LABELLED]}
    for node in reversed(ranked):
        if node.id not in at:
            continue
        x, y = at[node.id]
        radius = 5.0 + 11.0 * math.log1p(node.mentions) / math.log1p(top_mentions)
        fill = colours.get(node.label, "#dddddd")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
                     'stroke="#333" stroke-width="1"/>')
        if node.id in named:
            text = escape(node.name)
            where = f'x="{x + radius + 3:.1f}" y="{y + 4:.1f}" font-size="15"'
            parts.append(f'<text {where} fill="#fff" stroke="#fff" stroke-width="3">{text}</text>'
                         f'<text {where} fill="#111">{text}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'font-family="DejaVu Sans, Arial, sans-serif" role="img">{"".join(parts)}</svg>')
