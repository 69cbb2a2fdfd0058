"""The graph view's markup: a laid out graph (`entrypoints.graph_layout`) as SVG, with its legend.

Built in Python rather than by a template because the editor redraws the graph on every
validation answer, and the template engine took longer than the layout itself. No Django:
every text and attribute value from the layout goes through `html.escape`, and numbers are
written with `str`, never localised (a decimal comma would break the SVG). The markup is the
DOM contract the editor's scripts and stylesheet rely on (tests/entrypoints/graph_markup.json).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .graph_layout import GraphLayout

EMPTY = (
    '<p class="graph-empty">No steps yet. Add one in the task graph, or from the palette, and it'
    " shows up here.</p>\n"
)

_ARROW = (
    '<marker id="graph-arrow-{id}" class="{css}" viewBox="0 0 10 10" refX="9" refY="5"'
    ' markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L10,5 L0,9 z"/></marker>\n'
)
DEFS = (
    "<defs>\n"
    + _ARROW.format(id="reference", css="graph-arrow")
    + _ARROW.format(id="dependency", css="graph-arrow dependency")
    + _ARROW.format(id="back", css="graph-arrow back")
    + "</defs>\n"
)

LEGEND = """\
<ul class="graph-legend" aria-label="Legend">
<li><svg width="28" height="10" aria-hidden="true"><path class="legend-reference" d="M1,5 H27"/></svg>reference</li>
<li><svg width="28" height="10" aria-hidden="true"><path class="legend-dependency" d="M1,5 H27"/></svg>dependency</li>
<li><span class="legend-node param" aria-hidden="true"></span>parameter</li>
<li><span class="legend-node artifact-input" aria-hidden="true"></span>artifact input</li>
<li><span class="legend-node artifact-output" aria-hidden="true"></span>artifact output</li>
<li><span class="legend-node has-errors" aria-hidden="true"></span>error</li>
<li><span class="legend-node has-warnings" aria-hidden="true"></span>warning</li>
</ul>
"""  # noqa: E501 - one legend entry a line reads better than split strings

DIFF_LEGEND = """\
<ul class="graph-legend diff-legend" aria-label="What changed">
<li><span class="legend-node diff-added" aria-hidden="true"></span>added</li>
<li><span class="legend-node diff-removed" aria-hidden="true"></span>removed</li>
<li><span class="legend-node diff-changed" aria-hidden="true"></span>changed</li>
<li><span class="legend-node diff-renamed" aria-hidden="true"></span>renamed</li>
<li><svg width="28" height="10" aria-hidden="true"><path class="legend-diff-added" d="M1,5 H27"/></svg>edge added</li>
<li><svg width="28" height="10" aria-hidden="true"><path class="legend-diff-removed" d="M1,5 H27"/></svg>edge removed</li>
</ul>
"""  # noqa: E501

STATE_LEGEND = """\
<ul class="graph-legend state-legend" aria-label="Step states">
<li><span class="legend-node state-pending" aria-hidden="true"></span>pending</li>
<li><span class="legend-node state-started" aria-hidden="true"></span>running</li>
<li><span class="legend-node state-finished" aria-hidden="true"></span>finished</li>
<li><span class="legend-node state-failed" aria-hidden="true"></span>failed</li>
</ul>
"""


def _legend(layout: GraphLayout) -> str:
    if any(node.state for node in layout.nodes):
        return STATE_LEGEND
    if any(node.diff for node in layout.nodes) or any(edge.diff for edge in layout.edges):
        return DIFF_LEGEND
    return LEGEND


def graph_svg(layout: GraphLayout) -> str:
    """The drawing (edges before nodes, so nodes paint over their ends) and the legend, or a
    hint when there is nothing to draw."""
    if layout.empty:
        return EMPTY
    width, height = layout.width, layout.height
    parts = [
        f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" data-width="{width}" data-height="{height}"'
        f' role="group" aria-roledescription="graph" aria-label="{escape(layout.label)}">\n',
        DEFS,
        '<g class="viewport">\n',
    ]
    append = parts.append
    for bus in layout.buses:
        append(
            f'<g class="{escape(bus.css_class)}" data-from="{escape(bus.source)}"'
            f' data-from-kind="{escape(bus.source_kind)}" aria-hidden="true">'
            f'<path d="{escape(bus.path)}"/></g>\n'
        )
    for edge in layout.edges:
        label = (
            f'<text class="edge-label" x="{edge.label_x}" y="{edge.label_y}" dy="0.35em">'
            f"{escape(edge.label)}</text>"
            if edge.label
            else ""
        )
        append(
            f'<g class="{escape(edge.css_class)}" data-from="{escape(edge.source)}"'
            f' data-to="{escape(edge.target)}" data-from-kind="{escape(edge.source_kind)}"'
            f' data-to-kind="{escape(edge.target_kind)}" aria-hidden="true">'
            f'<path d="{escape(edge.path)}" marker-end="url(#{escape(edge.marker)})"/>{label}</g>\n'
        )
    for node in layout.nodes:
        # The attribute's name comes from graph_layout's fixed table, never from the document.
        append(f'<g class="{escape(node.css_class)}" {node.data_key}="{escape(node.name)}"')
        if node.line:
            append(f' data-line="{node.line}"')
        if node.clickable:
            append(f' data-source="{escape(node.source)}" tabindex="0" role="button"')
        else:
            append(' role="img"')
        append(
            f' aria-label="{escape(node.label)}" transform="{escape(node.transform)}">\n'
            f"<title>{escape(node.title)}</title>\n"
            f'<rect width="{node.width}" height="{node.height}" rx="{node.radius}"/>\n'
        )
        for text in node.texts:
            append(
                f'<text class="{escape(text.role)}" x="{text.x}" y="{text.y}">'
                f"{escape(text.text)}</text>"
            )
        if node.badge:
            append(
                f'\n<g class="badge" transform="translate({node.width} 0)" aria-hidden="true">'
                f'<circle r="9"/><text dy="0.35em">{node.badge}</text></g>'
            )
        append("\n</g>\n")
    append("</g>\n</svg>\n")
    append(_legend(layout))
    return "".join(parts)
