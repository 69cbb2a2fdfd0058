"""Where every node and edge of the graph view goes: the engine's graph model, laid out for SVG.

Pure Python (no Django), so the job page and the benchmarks can use it as well as the editor.
A layered (Sugiyama-style) drawing, top to bottom:

- rows: parameters and artifact inputs (sources), then one row per engine layer of steps, then
  the artifact outputs (sinks);
- an edge that skips rows runs through one "bus" per source and edge kind: points in the rows
  between, shared by all of that source's long edges, which branch off where their targets are.
  A parameter used by 100 steps then costs one bus, not 100 edges times the rows they cross, and
  reads as one line down the graph instead of a fan of crossing curves;
- crossing reduction: a few barycenter sweeps, keeping the order with the fewest crossings;
- x: each row placed as close as its order allows to the mean x of its neighbours (isotonic
  regression with minimum gaps, so nodes never overlap), alternating down and up;
- edges: cubic curves with vertical tangents between ports spread along node borders; an edge
  against the layering (only in a cycle, which is an error) goes round the right of the rows
  it spans and comes in from above, crossing no node.

Node sizes come from label lengths: the stylesheet draws node text in a monospace font, so
characters times a fixed advance is a close estimate without measuring text on the server.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Mapping
from dataclasses import dataclass, field

from .graph_svg import graph_svg
from .taskgraph import GraphModel
from .taskgraph.references import split_reference

STEP = "step"
PARAMETER = "parameter"
ARTIFACT_INPUT = "artifact_input"
ARTIFACT_OUTPUT = "artifact_output"

# Which editor a node's line is in (the editor contract's `data-source`).
SOURCES = {STEP: "taskGraph", ARTIFACT_OUTPUT: "artifactGraph"}
DATA_KEYS = {
    STEP: "data-step",
    PARAMETER: "data-param",
    ARTIFACT_INPUT: "data-artifact-input",
    ARTIFACT_OUTPUT: "data-artifact-output",
}

# Sizes in SVG units (CSS px at zoom 1). The advances match graph.css's fonts: 13px bold and
# 12px monospace (0.6em per character), with a little slack for fonts a bit wider.
NAME_ADVANCE = 8.0
TEXT_ADVANCE = 7.3
LABEL_ADVANCE = 6.7
PAD_X = 12.0
PAD_Y = 7.0
LINE_HEIGHT = 17.0
MAX_CHARS = 32
MIN_STEP_WIDTH = 96.0
SOURCE_HEIGHT = 26.0
NODE_GAP = 32.0  # between two nodes in a row
BUS_GAP = 14.0  # between a bus and its neighbour
ROW_GAP = 62.0  # between rows: room for the curves and an edge label
MARGIN = 24.0
PORT_SPACING = 12.0
CHANNEL_GAP = 18.0  # between the rows' right ends and the first back edge's channel
CORNER = 8.0  # radius of a back edge's corners

SWEEPS = 5
PLACEMENT_ROUNDS = 2
BUS_WEIGHT = 6.0  # buses resist being pushed more than nodes do, so they stay straight


# Slots, here and below: the layout makes and reads these in its inner loops. Not frozen: a
# frozen dataclass's __init__ costs several times as much, and there are three a node.
@dataclass(slots=True)
class NodeText:
    """One line of a node's label; x and y (the baseline) are relative to the node's corner."""

    text: str
    x: float
    y: float
    role: str  # "name" | "task" | "outputs": the CSS class


@dataclass(slots=True)
class LaidNode:
    """A node's box (top-left corner x, y) and what the markup (graph_svg) says about it."""

    kind: str  # STEP | PARAMETER | ARTIFACT_INPUT | ARTIFACT_OUTPUT
    name: str
    texts: list[NodeText]
    width: float
    height: float
    line: int | None = None
    errors: int = 0
    warnings: int = 0
    message: str = ""  # the first issue, "CODE: message", for the hover title
    title: str = ""
    label: str = ""  # aria-label
    x: float = 0.0
    y: float = 0.0
    diff: str = ""  # in a compare view: added | removed | changed | renamed
    state: str = ""  # on a job's page: pending | started | finished | failed

    @property
    def source(self) -> str | None:
        return SOURCES.get(self.kind)

    @property
    def css_class(self) -> str:
        kind = {STEP: "step", PARAMETER: "param"}.get(self.kind, self.kind.replace("_", "-"))
        state = " has-errors" if self.errors else " has-warnings" if self.warnings else ""
        return (
            f"node {kind}{state}"
            + (f" diff-{self.diff}" if self.diff else "")
            + (f" state-{self.state}" if self.state else "")
        )

    @property
    def badge(self) -> int:
        """The count shown in the corner: errors, else warnings."""
        return self.errors or self.warnings

    @property
    def radius(self) -> float:
        return self.height / 2 if self.kind in (PARAMETER, ARTIFACT_INPUT) else 6.0

    @property
    def clickable(self) -> bool:
        return self.kind in SOURCES

    @property
    def data_key(self) -> str:
        """The attribute naming the node (the editor contract's `data-step`, `data-param`)."""
        return DATA_KEYS[self.kind]

    @property
    def transform(self) -> str:
        return f"translate({self.x} {self.y})"


@dataclass(slots=True)
class LaidEdge:
    """A drawn edge: `target` uses `source` (names, as in the graph model)."""

    kind: str  # "reference" | "dependency"
    source: str
    target: str
    source_kind: str
    target_kind: str
    path: str  # SVG path data
    start: tuple[float, float]
    end: tuple[float, float]
    label: str = ""  # the output, for `$step.output` references
    label_x: float = 0.0
    label_y: float = 0.0
    back: bool = False  # against the layering: part of a cycle
    via_bus: bool = False  # starts on its source's bus, not at the source itself
    diff: str = ""  # in a compare view: added | removed

    @property
    def css_class(self) -> str:
        return (
            f"edge {self.kind}"
            + (" back" if self.back else "")
            + (f" diff-{self.diff}" if self.diff else "")
        )

    @property
    def marker(self) -> str:
        """The arrowhead's id in graph_svg's `<defs>`."""
        return "graph-arrow-back" if self.back else f"graph-arrow-{self.kind}"


@dataclass(slots=True)
class LaidBus:
    """The shared trunk of a source's long edges (of one kind), from the source's port down to
    the last row one of them branches off in; those edges start on it."""

    kind: str
    source: str
    source_kind: str
    path: str
    start: tuple[float, float]

    @property
    def css_class(self) -> str:
        return f"bus {self.kind}"


@dataclass(slots=True)
class GraphLayout:
    width: float = 0.0
    height: float = 0.0
    nodes: list[LaidNode] = field(default_factory=list)
    edges: list[LaidEdge] = field(default_factory=list)
    buses: list[LaidBus] = field(default_factory=list)
    label: str = ""  # aria-label of the whole drawing

    @property
    def empty(self) -> bool:
        """Nothing worth drawing: no step and no artifact output (sources alone say nothing)."""
        return not any(node.kind in (STEP, ARTIFACT_OUTPUT) for node in self.nodes)

    @property
    def svg(self) -> str:
        """The markup (entrypoints.graph_svg), escaped: graph.html outputs it as it is."""
        return graph_svg(self)


@dataclass(slots=True)
class _Link:
    """One drawn edge before routing: model edges with the same ends and kind merged."""

    source: int
    target: int
    kind: str
    labels: list[str]
    back: bool = False  # against the layering
    bus: tuple[int, str] | None = None  # the bus it runs through, if it skips rows
    leaves_by: int = -1  # the item after the source: the target, or the bus's first point
    enters_from: int = -1  # the item before the target: the source, or a bus point


class _Grid:
    """The items being laid out: the nodes, then bus points (width 0) that exist only here;
    their rows, and the segments joining items in consecutive rows."""

    def __init__(self, nodes: list[LaidNode], row_of: list[int], rows: list[list[int]]):
        self.node_count = len(nodes)
        self.widths = [node.width for node in nodes]
        self.heights = [node.height for node in nodes]
        self.row_of = row_of
        self.rows = rows
        self.upper: list[list[int]] = [[] for _ in nodes]
        self.lower: list[list[int]] = [[] for _ in nodes]
        self._segments: set[tuple[int, int]] = set()

    def add_point(self, row: int) -> int:
        self.widths.append(0.0)
        self.heights.append(0.0)
        self.upper.append([])
        self.lower.append([])
        self.row_of.append(row)
        self.rows[row].append(len(self.widths) - 1)
        return len(self.widths) - 1

    def connect(self, above: int, below: int) -> None:
        if (above, below) not in self._segments:
            self._segments.add((above, below))
            self.lower[above].append(below)
            self.upper[below].append(above)


def graph_layout(
    model: GraphModel, *, notes: Mapping[tuple[str, str], str] | None = None
) -> GraphLayout:
    """Positioned nodes and routed edges for the SVG graph view; deterministic. ``notes`` adds a
    last line to the boxes it names by ``(kind, name)`` (a job's page: each step's state)."""
    nodes, index = _nodes(model, notes or {})
    links = _links(model, index)
    _describe_uses(nodes, links)
    row_of, rows = _rows(model, nodes, index)
    if not nodes:
        return GraphLayout(label=_summary(nodes, links))
    grid = _Grid(nodes, row_of, rows)
    buses = _route_through_buses(grid, links)
    grid.rows = _order(grid.rows, grid.upper, grid.lower)
    xs = _place(grid)
    _straighten(grid, xs, buses)
    bands = _Bands(grid, xs)
    for item, node in enumerate(nodes):
        row = row_of[item]
        node.x = xs[item] - node.width / 2
        node.y = bands.tops[row] + (bands.heights[row] - node.height) / 2
    ports = _ports(nodes, links, xs)
    edges, back = [], 0
    for link in links:
        if link.back:
            edges.append(_back(link, nodes, bands, row_of, back))
            back += 1
        else:
            edges.append(_route(link, nodes, xs, ports, bands, row_of))
    trunks = [_trunk(key, points, nodes, xs, ports, bands, row_of) for key, points in buses.items()]
    return _finish(nodes, links, edges, list(buses), trunks)


def _route_through_buses(grid: _Grid, links: list[_Link]) -> dict[tuple[int, str], list[int]]:
    """Give every long edge a bus (one per source and kind, as long as its longest edge needs)
    and join the items each edge passes; returns each bus's points, by row."""
    row_of = grid.row_of
    reach: dict[tuple[int, str], int] = {}
    for link in links:
        link.back = row_of[link.target] <= row_of[link.source]
        if not link.back and row_of[link.target] - row_of[link.source] > 1:
            link.bus = (link.source, link.kind)
            reach[link.bus] = max(reach.get(link.bus, 0), row_of[link.target])
    buses = {}
    for (source, kind), end in reach.items():
        points = [grid.add_point(row) for row in range(row_of[source] + 1, end)]
        buses[(source, kind)] = points
        for above, below in zip([source, *points], points, strict=False):
            grid.connect(above, below)
    for link in links:
        if link.back:
            continue
        if link.bus is None:
            link.leaves_by, link.enters_from = link.target, link.source
        else:
            points = buses[link.bus]
            link.leaves_by = points[0]
            link.enters_from = points[row_of[link.target] - row_of[link.source] - 2]
        grid.connect(link.enters_from, link.target)
    return buses


def _nodes(
    model: GraphModel, notes: Mapping[tuple[str, str], str]
) -> tuple[list[LaidNode], dict[tuple[str, str], int]]:
    nodes: list[LaidNode] = []
    index: dict[tuple[str, str], int] = {}

    def add(node: LaidNode) -> None:
        if (node.kind, node.name) not in index:
            index[(node.kind, node.name)] = len(nodes)
            nodes.append(node)

    for name in model.parameters:
        add(_source_node(PARAMETER, name, "Parameter"))
    for name in model.artifact_inputs:
        add(_source_node(ARTIFACT_INPUT, name, "Artifact input"))
    for step in model.steps:
        outputs = "→ " + ", ".join(step.outputs) if step.outputs else ""
        note = notes.get((STEP, step.name), "")
        add(
            _box_node(
                STEP, step.name, step.task, outputs, step.line, step.issues, what="Step", note=note
            )
        )
    for output in model.artifact_outputs:
        add(
            _box_node(
                ARTIFACT_OUTPUT,
                output.name,
                output.task,
                "",
                output.line,
                output.issues,
                what="Artifact output",
                note=notes.get((ARTIFACT_OUTPUT, output.name), ""),
            )
        )
    return nodes, index


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def _source_node(kind: str, name: str, what: str) -> LaidNode:
    text = _clip("$" + name)
    width = len(text) * TEXT_ADVANCE + 2 * PAD_X
    baseline = SOURCE_HEIGHT / 2 + 4.0
    return LaidNode(
        kind,
        name,
        [NodeText(text, PAD_X, baseline, "name")],
        width,
        SOURCE_HEIGHT,
        title=f"{what} {name}",
        label=f"{what} {name}",
    )


def _box_node(
    kind: str,
    name: str,
    task: str | None,
    outputs: str,
    line: int | None,
    issues,
    what: str,
    note: str = "",
) -> LaidNode:
    lines = [
        (_clip(name), "name", NAME_ADVANCE),
        (_clip(task or "(no task)"), "task", TEXT_ADVANCE),
    ]
    if outputs:
        lines.append((_clip(outputs), "outputs", TEXT_ADVANCE))
    if note:
        lines.append((_clip(note), "note", TEXT_ADVANCE))
    texts = [
        NodeText(text, PAD_X, PAD_Y + (i + 1) * LINE_HEIGHT - 4.5, role)
        for i, (text, role, _) in enumerate(lines)
    ]
    width = max([len(text) * advance for text, _, advance in lines]) + 2 * PAD_X
    errors = [issue for issue in issues if issue.severity == "error"]
    warnings = [issue for issue in issues if issue.severity != "error"]
    first = (errors or warnings or [None])[0]
    message = f"{first.code}: {first.message}" if first else ""
    if first and len(issues) > 1:
        message += f" (and {len(issues) - 1} more)"
    described = f"{name}: {task or '(no task)'}" + (f" {outputs}" if outputs else "")
    label = f"{what} {name}, task {task or 'missing'}"
    if errors:
        label += f", {len(errors)} error" + ("s" if len(errors) > 1 else "")
    if warnings:
        label += f", {len(warnings)} warning" + ("s" if len(warnings) > 1 else "")
    return LaidNode(
        kind,
        name,
        texts,
        max(width, MIN_STEP_WIDTH),
        2 * PAD_Y + len(lines) * LINE_HEIGHT,
        line=line,
        errors=len(errors),
        warnings=len(warnings),
        message=message,
        title=message or described,
        label=label,
    )


def _links(model: GraphModel, index: dict[tuple[str, str], int]) -> list[_Link]:
    """The edges to draw: both ends known (others are skipped: the engine reports them), one per
    (source, target, kind) with the outputs used as its label (`$d.training`, `$d.testing`)."""
    merged: dict[tuple[int, int, str], _Link] = {}
    for edge in model.edges:
        source = index.get((edge.source_kind, edge.source))
        target = index.get((edge.target_kind, edge.target))
        if source is None or target is None:
            continue
        link = merged.setdefault((source, target, edge.kind), _Link(source, target, edge.kind, []))
        if edge.reference:
            _, output = split_reference(edge.reference)
            if output and output not in link.labels:
                link.labels.append(output)
    return list(merged.values())


def _describe_uses(nodes: list[LaidNode], links: list[_Link]) -> None:
    """Screen readers get the edges in words: each node's label says what it uses."""
    uses: dict[int, list[str]] = {}
    for link in links:
        name = nodes[link.source].name
        used = [f"{name}.{label}" for label in link.labels] or [name]
        if link.kind == "dependency":
            used = [f"after {name}"]
        uses.setdefault(link.target, []).extend(used)
    for target, used in uses.items():
        nodes[target].label += "; uses " + ", ".join(used)


def _rows(
    model: GraphModel, nodes: list[LaidNode], index: dict[tuple[str, str], int]
) -> tuple[list[int], list[list[int]]]:
    """Each node's row, and the rows' initial orders (document and topological order)."""
    row_of = [0] * len(nodes)
    rows: list[list[int]] = []
    sources = [i for i, node in enumerate(nodes) if node.kind in (PARAMETER, ARTIFACT_INPUT)]
    if sources:
        rows.append(sources)
    first = len(rows)
    placed: set[int] = set()
    for layer in model.layers:
        row = [index[(STEP, name)] for name in layer if (STEP, name) in index]
        row = [item for item in row if item not in placed]
        placed.update(row)
        if row:
            rows.append(row)
    # Steps the layers miss (a model built by hand) go to the layer the step says it is in.
    for step in model.steps:
        item = index[(STEP, step.name)]
        if item not in placed:
            placed.add(item)
            while len(rows) <= first + max(step.layer, 0):
                rows.append([])
            rows[first + max(step.layer, 0)].append(item)
    rows = [row for row in rows if row]
    sinks = [i for i, node in enumerate(nodes) if node.kind == ARTIFACT_OUTPUT]
    if sinks:
        rows.append(sinks)
    for number, row in enumerate(rows):
        for item in row:
            row_of[item] = number
    return row_of, rows


def _order(rows: list[list[int]], upper: list[list[int]], lower: list[list[int]]):
    """Barycenter sweeps (down, up, ...), keeping the order with the fewest crossings."""
    rows = [list(row) for row in rows]
    # Positions as fractions of the row's length, so rows of different lengths compare.
    place = [0.0] * len(upper)

    def number(row: list[int]) -> None:
        length = len(row)
        for i, item in enumerate(row):
            place[item] = (i + 0.5) / length

    for row in rows:
        number(row)
    best, best_rows = _crossings(rows, lower, len(upper)), [list(row) for row in rows]
    stale = 0
    for sweep in range(SWEEPS):
        if best == 0 or stale == 2:
            break
        downwards = sweep % 2 == 0
        numbers = range(1, len(rows)) if downwards else range(len(rows) - 2, -1, -1)
        neighbours = upper if downwards else lower

        for r in numbers:
            row = rows[r]
            if len(row) == 1:
                continue
            keys = {}
            for item in row:
                # Without neighbours on that side, an item keeps its place; the sort is stable,
                # so ties keep their order.
                around = neighbours[item]
                if len(around) == 1:
                    keys[item] = place[around[0]]
                elif around:
                    keys[item] = sum([place[n] for n in around]) / len(around)
                else:
                    keys[item] = place[item]
            row.sort(key=keys.__getitem__)
            number(row)
        crossings = _crossings(rows, lower, len(upper))
        if crossings < best:
            best, best_rows, stale = crossings, [list(row) for row in rows], 0
        else:
            stale += 1
    return best_rows


def _crossings(rows: list[list[int]], lower: list[list[int]], items: int) -> int:
    """Edge crossings between consecutive rows: inversions among the segments' lower ends."""
    position = [0] * items
    for row in rows:
        for i, item in enumerate(row):
            position[item] = i
    total = 0
    for row, below in zip(rows, rows[1:], strict=False):
        if len(row) == 1 or len(below) == 1:
            continue  # segments sharing an end do not cross
        # Segments as one number each (sorting numbers beats sorting pairs), by upper end.
        width = len(below)
        segments = sorted(
            [position[item] * width + position[after] for item in row for after in lower[item]]
        )
        # In that order, a segment crosses every earlier one whose lower end is further right.
        seen: list[int] = []
        for segment in segments:
            end = segment % width
            total += len(seen) - bisect_right(seen, end)
            insort(seen, end)
    return total


def _place(grid: _Grid) -> list[float]:
    """x of every item's centre: rows packed, then pulled towards their neighbours."""
    widths, node_count = grid.widths, grid.node_count
    xs = [0.0] * len(widths)
    # Each item's least distance from the row's first item (centre to centre).
    offsets: list[list[float]] = []
    for row in grid.rows:
        offset, row_offsets = 0.0, [0.0]
        for a, b in zip(row, row[1:], strict=False):
            gap = NODE_GAP if a < node_count and b < node_count else BUS_GAP
            offset += (widths[a] + widths[b]) / 2 + gap
            row_offsets.append(offset)
        offsets.append(row_offsets)
        for item, at in zip(row, row_offsets, strict=True):
            xs[item] = at - offset / 2
    weights = [[1.0 if item < node_count else BUS_WEIGHT for item in row] for row in grid.rows]
    both = [above + below for above, below in zip(grid.upper, grid.lower, strict=True)]

    def pull(r: int, neighbours: list[list[int]]) -> None:
        row, row_offsets = grid.rows[r], offsets[r]
        wanted: list[float] = []
        for i, item in enumerate(row):
            around = neighbours[item]
            if len(around) == 1:  # most bus points: kept apart for speed
                wanted.append(xs[around[0]])
            elif around:
                wanted.append(sum([xs[n] for n in around]) / len(around))
            elif i:
                # Nothing to be near on that side: stay beside the left neighbour, rather than
                # where the first packing left it (possibly far off the graph).
                wanted.append(wanted[-1] + row_offsets[i] - row_offsets[i - 1])
            else:
                wanted.append(xs[item])
        if len(row) == 1:
            xs[row[0]] = wanted[0]
            return
        for item, x in zip(row, _isotonic(wanted, weights[r], row_offsets), strict=True):
            xs[item] = x

    last = len(grid.rows) - 1
    for _ in range(PLACEMENT_ROUNDS):
        for r in range(1, last + 1):
            pull(r, grid.upper)
        for r in range(last - 1, -1, -1):
            pull(r, grid.lower)
    for r in range(last + 1):
        pull(r, both)
    return xs


def _straighten(grid: _Grid, xs: list[float], buses: dict[tuple[int, str], list[int]]) -> None:
    """Take the small kinks out of buses: a bus point moves to the x of the point above (then,
    going back up, below) wherever its row has room there. A bus then runs straight until a
    node is in the way, instead of shifting a little in every row."""
    where = {item: (row, i) for row in grid.rows for i, item in enumerate(row)}
    widths, node_count = grid.widths, grid.node_count

    def room(item: int, x: float) -> bool:
        row, i = where[item]
        for j in (i - 1, i + 1):
            if 0 <= j < len(row):
                other = row[j]
                gap = NODE_GAP if other < node_count and item < node_count else BUS_GAP
                if abs(x - xs[other]) < (widths[other] + widths[item]) / 2 + gap - 0.01:
                    return False
                if (x - xs[other]) * (xs[item] - xs[other]) < 0:
                    return False  # it would pass its neighbour: the order must hold
        return True

    for points in buses.values():
        for run in (points, points[::-1]):
            for previous, point in zip(run, run[1:], strict=False):
                if abs(xs[point] - xs[previous]) > 0.05 and room(point, xs[previous]):
                    xs[point] = xs[previous]


def _isotonic(wanted: list[float], weights: list[float], offsets: list[float]) -> list[float]:
    """x closest to `wanted` (weighted least squares) keeping the order and the least distances
    `offsets` from the first: less the offsets, that asks for non-decreasing values, which
    pooling adjacent violators finds in linear time."""
    # Blocks of items placed together: total weight, weighted sum (less offsets), size.
    block_weights: list[float] = []
    block_sums: list[float] = []
    block_sizes: list[int] = []
    for want, weight, offset in zip(wanted, weights, offsets, strict=True):
        total, size = weight * (want - offset), 1
        while block_weights and block_sums[-1] * weight > total * block_weights[-1]:
            weight += block_weights.pop()
            total += block_sums.pop()
            size += block_sizes.pop()
        block_weights.append(weight)
        block_sums.append(total)
        block_sizes.append(size)
    xs: list[float] = []
    first = 0
    for weight, total, size in zip(block_weights, block_sums, block_sizes, strict=True):
        at = total / weight
        xs += [at + offset for offset in offsets[first : first + size]]
        first += size
    return xs


class _Bands:
    """The rows' horizontal bands: each as tall as its tallest node (nodes centred in it), and
    how far right its items reach."""

    def __init__(self, grid: _Grid, xs: list[float]) -> None:
        self.tops: list[float] = []
        self.heights: list[float] = []
        self.rights: list[float] = []
        y = 0.0
        for row in grid.rows:
            height = max(grid.heights[item] for item in row)
            self.tops.append(y)
            self.heights.append(height)
            self.rights.append(max(xs[item] + grid.widths[item] / 2 for item in row))
            y += height + ROW_GAP

    def bottom(self, row: int) -> float:
        return self.tops[row] + self.heights[row]


Point = tuple[float, float]
Ports = dict[tuple[int, bool], dict[tuple[int, str], float]]


@dataclass(slots=True)
class _Geometry:
    """A routed path in layout coordinates (before the final shift into the view box)."""

    start: Point
    commands: list[tuple[str, list[Point]]]  # ("C", 3 points) or ("L", 1 point)
    label_at: Point

    @property
    def end(self) -> Point:
        return self.commands[-1][1][-1]

    def points(self) -> list[Point]:
        """The path's points and control points: their box holds the whole curve."""
        return [self.start, *(point for _, points in self.commands for point in points)]


def _ports(nodes: list[LaidNode], links: list[_Link], xs: list[float]) -> Ports:
    """x where each edge leaves (or enters) its node, by (node, outgoing) then (hop, kind): ports
    spread along the border in the order of the points they lead to, so edges do not cross at
    the node; a reference and a dependency between the same two nodes get a port each."""
    hops: dict[tuple[int, bool], list[tuple[int, str]]] = {}
    for link in links:
        if link.back:
            continue
        for item, hop, outgoing in (
            (link.source, link.leaves_by, True),
            (link.target, link.enters_from, False),
        ):
            keys = hops.setdefault((item, outgoing), [])
            if (hop, link.kind) not in keys:
                keys.append((hop, link.kind))
    ports: Ports = {}
    for (item, outgoing), keys in hops.items():
        node = nodes[item]
        if len(keys) == 1:  # most: the one port is the centre (the formula below gives it too)
            ports[(item, outgoing)] = {keys[0]: node.x + node.width / 2}
            continue
        keys.sort(key=lambda key: (xs[key[0]], key[1] != "reference", key[0]))
        spacing = min(PORT_SPACING, (node.width - 2 * PAD_X) / max(len(keys) - 1, 1))
        centre = node.x + node.width / 2
        ports[(item, outgoing)] = {
            key: centre + (i - (len(keys) - 1) / 2) * spacing for i, key in enumerate(keys)
        }
    return ports


def _curve(a: Point, b: Point) -> tuple[str, list[Point]]:
    """From a row's bottom to a lower row's top, leaving and arriving vertically."""
    middle = (a[1] + b[1]) / 2
    return "C", [(a[0], middle), (b[0], middle), b]


def _route(
    link: _Link,
    nodes: list[LaidNode],
    xs: list[float],
    ports: Ports,
    bands: _Bands,
    row_of: list[int],
) -> _Geometry:
    """One curve into the target: from the source's port, or from the bus where it branches off
    (the row just above the target); labelled at its middle."""
    source, target = nodes[link.source], nodes[link.target]
    if link.bus is None:
        start = (ports[(link.source, True)][(link.target, link.kind)], source.y + source.height)
    else:
        start = (xs[link.enters_from], bands.bottom(row_of[link.enters_from]))
    end = (ports[(link.target, False)][(link.enters_from, link.kind)], target.y)
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    return _Geometry(start, [_curve(start, end)], middle)


def _trunk(
    bus: tuple[int, str],
    points: list[int],
    nodes: list[LaidNode],
    xs: list[float],
    ports: Ports,
    bands: _Bands,
    row_of: list[int],
) -> _Geometry:
    """A bus: straight through each row it passes, curves where it shifts between rows; a
    straight stretch is one line, however many rows it passes."""
    source, kind = bus
    node = nodes[source]
    start = (ports[(source, True)][(points[0], kind)], node.y + node.height)
    commands: list[tuple[str, list[Point]]] = []
    here = start
    for point in points:
        row = row_of[point]
        if abs(xs[point] - here[0]) >= 0.05:
            commands.append(_curve(here, (xs[point], bands.tops[row])))
            here = (xs[point], here[1])
        elif commands and commands[-1][0] == "L":
            commands.pop()  # still straight down: the line goes on
        here = (here[0], bands.bottom(row))
        commands.append(("L", [here]))
    return _Geometry(start, commands, start)


def _back(
    link: _Link, nodes: list[LaidNode], bands: _Bands, row_of: list[int], number: int
) -> _Geometry:
    """An edge against the layering (only in a cycle): down out of the source into the gap below
    its row, right to a channel past every node of the rows it spans, up, and left in the gap
    above the target's row, into its top. It crosses edges, never nodes. Each back edge gets
    its own channel, so two cycles do not share a line; a step depending on itself gets a
    small loop beside it."""
    source, target = nodes[link.source], nodes[link.target]
    first, last = row_of[link.target], row_of[link.source]
    sx, tx = source.x + source.width - PAD_X, target.x + target.width - PAD_X
    below = bands.bottom(last) + ROW_GAP / 3
    above = bands.tops[first] - ROW_GAP / 3
    if source is target:  # a tight loop in the gap beside the node
        channel = source.x + source.width + NODE_GAP / 2 - 2
    else:
        channel = max(bands.rights[first : last + 1]) + CHANNEL_GAP + number * BUS_GAP
    r = CORNER
    commands = [
        ("L", [(sx, below - r)]),
        ("Q", [(sx, below), (sx + r, below)]),
        ("L", [(channel - r, below)]),
        ("Q", [(channel, below), (channel, below - r)]),
        ("L", [(channel, above + r)]),
        ("Q", [(channel, above), (channel - r, above)]),
        ("L", [(tx + r, above)]),
        ("Q", [(tx, above), (tx, above + r)]),
        ("L", [(tx, target.y)]),
    ]
    return _Geometry((sx, source.y + source.height), commands, (channel, (below + above) / 2))


# Coordinates to 0.1 with printf-style formatting, the fastest Python has: the layout writes
# thousands of them. "%.1f" gives the digits round(value, 1) keeps (both round correctly, ties
# to even), so float() of it is round(value, 1), bit for bit, in about 60% of the time.
_POINT = "%.1f,%.1f"


def _round1(value: float) -> float:
    return float("%.1f" % value)  # noqa: UP031 - see _POINT


def _finish(
    nodes: list[LaidNode],
    links: list[_Link],
    edges: list[_Geometry],
    bus_keys: list[tuple[int, str]],
    trunks: list[_Geometry],
) -> GraphLayout:
    """Shift everything into a view box starting at (0, 0) with a margin; format the paths."""
    xs = [node.x for node in nodes] + [node.x + node.width for node in nodes]
    ys = [node.y for node in nodes] + [node.y + node.height for node in nodes]
    # A curve stays within its points' hull, and a forward edge's points lie within its nodes'
    # and its bus's: only buses and back edges can reach beyond the nodes.
    back = [routed for link, routed in zip(links, edges, strict=True) if link.back]
    for routed in [*trunks, *back]:
        for x, y in routed.points():
            xs.append(x)
            ys.append(y)
    for link, routed in zip(links, edges, strict=True):
        if link.labels:
            half = len(", ".join(link.labels)) * LABEL_ADVANCE / 2
            xs += [routed.label_at[0] - half, routed.label_at[0] + half]
    left, top = min(xs), min(ys)
    dx, dy = MARGIN - left, MARGIN - top

    def at(point: Point) -> Point:
        return _round1(point[0] + dx), _round1(point[1] + dy)

    def path(routed: _Geometry) -> tuple[str, Point, Point]:
        """The path data, and its ends as the data has them."""
        start = _POINT % (routed.start[0] + dx, routed.start[1] + dy)
        parts = ["M", start]
        for name, points in routed.commands:
            parts.append(name)
            parts.append(" ".join([_POINT % (x + dx, y + dy) for x, y in points]))
        sx, sy = start.split(",")
        ex, ey = parts[-1].rpartition(" ")[2].split(",")
        return "".join(parts), (float(sx), float(sy)), (float(ex), float(ey))

    for node in nodes:
        node.x, node.y = _round1(node.x + dx), _round1(node.y + dy)
        node.width, node.height = _round1(node.width), _round1(node.height)
    laid_edges = []
    for link, routed in zip(links, edges, strict=True):
        source, target = nodes[link.source], nodes[link.target]
        label_x, label_y = at(routed.label_at)
        data, start, end = path(routed)
        laid_edges.append(
            LaidEdge(
                link.kind,
                source.name,
                target.name,
                source.kind,
                target.kind,
                data,
                start,
                end,
                ", ".join(link.labels),
                label_x,
                label_y,
                link.back,
                link.bus is not None,
            )
        )
    laid_buses = []
    for (source, kind), routed in zip(bus_keys, trunks, strict=True):
        data, start, _ = path(routed)
        laid_buses.append(LaidBus(kind, nodes[source].name, nodes[source].kind, data, start))
    return GraphLayout(
        _round1(max(xs) - left + 2 * MARGIN),
        _round1(max(ys) - top + 2 * MARGIN),
        nodes,
        laid_edges,
        laid_buses,
        _summary(nodes, links),
    )


def _summary(nodes: list[LaidNode], links: list[_Link]) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    steps = sum(node.kind == STEP for node in nodes)
    parts = [count(steps, "step"), count(len(links), "edge")]
    sources = sum(node.kind in (PARAMETER, ARTIFACT_INPUT) for node in nodes)
    if sources:
        parts.append(count(sources, "input"))
    sinks = sum(node.kind == ARTIFACT_OUTPUT for node in nodes)
    if sinks:
        parts.append(count(sinks, "artifact output"))
    broken = sum(bool(node.errors) for node in nodes)
    if broken:
        parts.append(f"{broken} with errors")
    return "Task graph: " + ", ".join(parts)
