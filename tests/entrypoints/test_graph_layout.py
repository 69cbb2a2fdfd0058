"""The graph view's layout (entrypoints.graph_layout) and its markup (entrypoints.graph_svg,
included through graph.html)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.bench_graph import pipeline
from entrypoints.graph_layout import (
    _POINT,
    GraphLayout,
    LaidBus,
    LaidEdge,
    LaidNode,
    NodeText,
    _round1,
    graph_layout,
)
from entrypoints.taskgraph import (
    GraphEdge,
    GraphModel,
    GraphStep,
    graph_model,
    validate_document,
)
from entrypoints.taskgraph.cycles import layers, topological_order
from tests.taskgraph.helpers import DECLARATIONS, document

GRAPH = """
late:
  ping: []
dataset:
  load: [$location]
trained_model:
  train: [le_net, $dataset.training]
predictions:
  predict: [$trained_model, $dataset.testing]
  dependencies: [late]
"""
ARTIFACTS = "artifact_outputs:\n  saved:\n    contents: $predictions\n    task: {name: Saver}\n"


def laid_out(text: str) -> GraphLayout:
    return graph_layout(graph_model(validate_document(text)))


def node(layout: GraphLayout, name: str, kind: str = "step") -> LaidNode:
    return next(n for n in layout.nodes if n.name == name and n.kind == kind)


def edge(layout: GraphLayout, source: str, target: str, kind: str = "reference") -> LaidEdge:
    return next(e for e in layout.edges if (e.source, e.target, e.kind) == (source, target, kind))


def hand_made(count: int, uses: list[tuple[int, int, str]], params: int = 0) -> GraphModel:
    """A model of `count` steps s0..sN, step `target` using step `source` by reference or
    dependency (a DAG when every source < target), with the engine's own order and layers."""
    names = [f"s{i}" for i in range(count)]
    edges = [
        GraphEdge(
            names[source],
            names[target],
            kind,
            f"${names[source]}.out" if kind == "reference" else None,
        )
        for source, target, kind in uses
    ]
    edges += [
        GraphEdge(f"p{i % params}", name, "reference", f"$p{i % params}", "parameter")
        for i, name in enumerate(names)
        if params and i % 3 == 0
    ]
    depends_on = {name: [] for name in names}
    for e in edges:
        if e.source_kind == "step":
            depends_on[e.target].append(e.source)
    order = topological_order(names, depends_on)
    found = layers(order, depends_on)
    layer_of = {name: i for i, layer in enumerate(found) for name in layer}
    steps = [
        GraphStep(name, "task", i + 1, ["out"], [], "", layer_of[name])
        for i, name in enumerate(names)
    ]
    return GraphModel(
        steps=steps,
        edges=edges,
        parameters=[f"p{i}" for i in range(params)],
        order=order,
        layers=found,
    )


def assert_no_overlaps(layout: GraphLayout) -> None:
    """No two node boxes intersect (sorted by x, each compared with those starting before its
    right side)."""
    boxes = sorted(layout.nodes, key=lambda n: n.x)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if b.x >= a.x + a.width:
                break
            assert b.y >= a.y + a.height or a.y >= b.y + b.height, (a.name, b.name)


def assert_inside_view_box(layout: GraphLayout) -> None:
    for n in layout.nodes:
        assert 0 <= n.x and n.x + n.width <= layout.width, n.name
        assert 0 <= n.y and n.y + n.height <= layout.height, n.name
    for e in layout.edges:
        for x, y in path_points(e.path):
            assert 0 <= x <= layout.width and 0 <= y <= layout.height, e


def path_points(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", path)]


def on_border(point: tuple[float, float], n: LaidNode, side: str) -> bool:
    x, y = point
    tolerance = 0.11  # coordinates are rounded to 0.1
    within_x = n.x - tolerance <= x <= n.x + n.width + tolerance
    if side == "bottom":
        return within_x and abs(y - (n.y + n.height)) <= tolerance
    return within_x and abs(y - n.y) <= tolerance


def on_bus(point: tuple[float, float], layout: GraphLayout, e: LaidEdge) -> bool:
    """The point is a vertex of the source's bus, or on one of its straight (vertical) runs."""
    bus = next(b for b in layout.buses if (b.source, b.kind) == (e.source, e.kind))
    vertices = path_points(bus.path)
    x, y = point
    for (ax, ay), (bx, by) in zip(vertices, vertices[1:], strict=False):
        if (
            abs(ax - x) <= 0.11
            and abs(bx - x) <= 0.11
            and min(ay, by) - 0.11 <= y <= max(ay, by) + 0.11
        ):
            return True
    return any(abs(vx - x) <= 0.11 and abs(vy - y) <= 0.11 for vx, vy in vertices)


def assert_edges_meet_their_nodes(layout: GraphLayout) -> None:
    by_key = {(n.kind, n.name): n for n in layout.nodes}
    for e in layout.edges:
        source, target = by_key[(e.source_kind, e.source)], by_key[(e.target_kind, e.target)]
        assert path_points(e.path)[0] == e.start and path_points(e.path)[-1] == e.end
        if e.back:
            assert on_border(e.start, source, "bottom") and on_border(e.end, target, "top"), e
            continue
        assert on_border(e.end, target, "top"), e
        if e.via_bus:
            assert on_bus(e.start, layout, e), e
        else:
            assert on_border(e.start, source, "bottom"), e
    for bus in layout.buses:
        source = next(n for n in layout.nodes if (n.name, n.kind) == (bus.source, bus.source_kind))
        assert on_border(bus.start, source, "bottom"), bus


# Layout ------------------------------------------------------------------------------------


def test_steps_sources_and_sinks_in_rows_top_to_bottom():
    layout = laid_out(document(GRAPH, extra=ARTIFACTS))
    location = node(layout, "location", "parameter")
    saved = node(layout, "saved", "artifact_output")
    rows = [node(layout, name).y for name in ("dataset", "trained_model", "predictions")]
    assert location.y < rows[0] < rows[1] < rows[2] < saved.y
    late, dataset = node(layout, "late"), node(layout, "dataset")  # both in layer 0
    assert late.y + late.height / 2 == dataset.y + dataset.height / 2  # centred in their row
    # Every parameter is shown, used or not.
    assert {n.name for n in layout.nodes if n.kind == "parameter"} == {"location", "epochs", "lr"}
    assert_no_overlaps(layout)
    assert_edges_meet_their_nodes(layout)
    assert_inside_view_box(layout)


def test_steps_show_name_task_and_outputs():
    layout = laid_out(document(GRAPH))
    texts = [(t.role, t.text) for t in node(layout, "dataset").texts]
    assert texts == [("name", "dataset"), ("task", "load"), ("outputs", "→ training, testing")]
    assert [t.text for t in node(layout, "late").texts] == ["late", "ping"]  # no outputs
    wide = node(layout, "trained_model")
    assert wide.width >= len("trained_model") * 7.8  # sized from its longest line


def test_references_to_an_output_are_labelled_with_it():
    layout = laid_out(document(GRAPH))
    assert edge(layout, "dataset", "trained_model").label == "training"
    assert edge(layout, "dataset", "predictions").label == "testing"
    assert edge(layout, "trained_model", "predictions").label == ""
    assert edge(layout, "location", "dataset").label == ""
    both = laid_out(document("d:\n  load: [x]\nm:\n  predict: [$d.training, $d.testing]\n"))
    assert [e.label for e in both.edges] == ["training, testing"]  # one edge, both outputs


def test_dependencies_are_flagged():
    layout = laid_out(document(GRAPH))
    assert edge(layout, "late", "predictions", "dependency").css_class == "edge dependency"
    assert edge(layout, "dataset", "trained_model").css_class == "edge reference"


def test_issues_are_carried_by_their_nodes():
    text = document(
        GRAPH + "broken:\n  lod: [$nothing]\nflagged:\n  show: [yes]\n",
        DECLARATIONS + "  show:\n    plugin: p.util.show\n    inputs: [{value: any}]\n",
        extra="artifact_outputs:\n  saved:\n    contents: predictions\n    task: {name: Saver}\n",
    )
    layout = laid_out(text)
    broken = node(layout, "broken")
    assert (broken.errors, broken.warnings) == (2, 0) and broken.badge == 2
    assert broken.css_class == "node step has-errors"
    assert broken.message.startswith("E_UNKNOWN_TASK: ") and "(and 1 more)" in broken.message
    assert broken.title == broken.message and "2 errors" in broken.label
    flagged = node(layout, "flagged")
    assert (flagged.errors, flagged.warnings) == (0, 1)
    assert flagged.css_class == "node step has-warnings"
    assert flagged.message.startswith("W_YAML11_BOOLEAN: ")
    saved = node(layout, "saved", "artifact_output")
    assert saved.css_class == "node artifact-output has-warnings"
    assert node(layout, "dataset").css_class == "node step" and node(layout, "dataset").badge == 0
    assert "Task graph: 6 steps" in layout.label and "1 with errors" in layout.label


def test_labels_say_what_a_node_uses():
    label = node(laid_out(document(GRAPH)), "predictions").label
    assert (
        label == "Step predictions, task predict; uses trained_model, dataset.testing, after late"
    )


def test_long_names_are_clipped_and_kept_whole_in_the_title():
    name = "a_very_long_step_name_that_goes_on_and_on_and_on"
    layout = laid_out(document(f"{name}:\n  ping: []\n"))
    laid = node(layout, name)
    assert laid.texts[0].text.endswith("…") and len(laid.texts[0].text) == 32
    assert name in laid.title


def test_same_model_same_layout():
    model = graph_model(validate_document(pipeline(60)))
    assert graph_layout(model) == graph_layout(model)


def test_layout_does_not_depend_on_string_hashing():
    """Sets and dicts of names must not leak hash order into positions."""
    script = (
        "import hashlib; from benchmarks.bench_graph import pipeline; "
        "from entrypoints.graph_layout import graph_layout; "
        "from entrypoints.taskgraph import graph_model, validate_document; "
        "print(hashlib.sha256(repr(graph_layout(graph_model(validate_document(pipeline(80)))))"
        ".encode()).hexdigest())"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def graphs(acyclic: bool):
    """(step count, uses, parameter count); uses run forwards only when `acyclic`."""

    def drawn(count: int):
        use = st.tuples(
            st.integers(0, count - 1),
            st.integers(0, count - 1),
            st.sampled_from(["reference", "dependency"]),
        )
        if acyclic:
            use = use.filter(lambda u: u[0] < u[1])
        return st.tuples(st.just(count), st.lists(use, max_size=count * 2), st.integers(0, 3))

    return st.integers(2, 24).flatmap(drawn)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(acyclic=True))
def test_random_dags(drawn):
    count, edges, params = drawn
    layout = graph_layout(hand_made(count, edges, params))
    assert len([n for n in layout.nodes if n.kind == "step"]) == count
    assert_no_overlaps(layout)
    assert_edges_meet_their_nodes(layout)
    assert_inside_view_box(layout)
    by_key = {(n.kind, n.name): n for n in layout.nodes}
    for e in layout.edges:
        source, target = by_key[(e.source_kind, e.source)], by_key[(e.target_kind, e.target)]
        assert not e.back and source.y + source.height < target.y  # the source is above
    assert graph_layout(hand_made(count, edges, params)) == layout


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(acyclic=False))
def test_random_graphs_with_cycles(drawn):
    count, edges, params = drawn
    layout = graph_layout(hand_made(count, edges, params))
    assert len([n for n in layout.nodes if n.kind == "step"]) == count
    assert_no_overlaps(layout)
    assert_edges_meet_their_nodes(layout)
    assert_inside_view_box(layout)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_coordinates_are_rounded_as_round_does(value):
    """The layout's fast rounding and its path data agree with round(value, 1) to the bit,
    ties and negative zero included."""
    for tie in (value, round(value) + 0.25, round(value) - 0.75, round(value) + 0.05):
        assert repr(_round1(tie)) == repr(round(tie, 1))
        assert _POINT % (tie, tie) == f"{round(tie, 1)},{round(tie, 1)}"


def test_edges_to_unknown_nodes_are_skipped():
    model = hand_made(2, [(0, 1, "reference")])
    model.edges += [
        GraphEdge("ghost", "s1", "dependency"),
        GraphEdge("s0", "nowhere", "reference", "$s0"),
        GraphEdge("s0", "s1", "reference", "$s0", "artifact_input"),
    ]
    layout = graph_layout(model)
    assert [(e.source, e.target) for e in layout.edges] == [("s0", "s1")]


def test_steps_missing_from_the_layers_still_get_a_place():
    model = hand_made(3, [(0, 1, "reference")])
    model.layers = [["s0"]]
    layout = graph_layout(model)
    assert {n.name for n in layout.nodes} == {"s0", "s1", "s2"}
    assert_no_overlaps(layout)


def test_cycles_come_out_drawn_back_and_do_not_hang():
    text = document(
        GRAPH + "a:\n  ping: []\n  dependencies: [b]\nb:\n  ping: []\n  dependencies: [a]\n"
        "selfish:\n  ping: []\n  dependencies: [selfish]\n"
    )
    layout = laid_out(text)
    back = [(e.source, e.target) for e in layout.edges if e.back]
    assert back == [("b", "a"), ("selfish", "selfish")]
    assert all(e.css_class == "edge dependency back" for e in layout.edges if e.back)
    assert node(layout, "b").errors and node(layout, "selfish").errors  # where the engine says
    # Back edges run close to the nodes, wherever they come in the document.
    loop = (
        "  loop_a:\n    log: [1]\n    dependencies: [loop_b]\n"
        "  loop_b:\n    log: [2]\n    dependencies: [loop_a]\nartifact_outputs:"
    )
    big = laid_out(pipeline(300).replace("artifact_outputs:", loop))
    assert any(e.back for e in big.edges)
    assert big.width - max(n.x + n.width for n in big.nodes) < 100
    assert_no_overlaps(layout)
    assert_edges_meet_their_nodes(layout)
    assert_inside_view_box(layout)


def test_no_steps_is_empty():
    assert graph_layout(GraphModel()).empty
    assert laid_out("graph: [").empty
    only_parameters = laid_out(document("").replace("graph:\n", "graph: {}\n"))
    assert only_parameters.empty


def test_one_step():
    layout = laid_out(document("only:\n  ping: []\n"))
    (only,) = [n for n in layout.nodes if n.kind == "step"]
    assert not layout.empty and not layout.edges
    assert_inside_view_box(layout)


@pytest.mark.parametrize("steps", [200, 1000])
def test_large_documents(steps):
    model = graph_model(validate_document(pipeline(steps)))
    layout = graph_layout(model)
    assert len([n for n in layout.nodes if n.kind == "step"]) == steps
    assert len(layout.edges) >= steps
    assert_no_overlaps(layout)
    assert_edges_meet_their_nodes(layout)
    assert_inside_view_box(layout)
    # Long edges share their source's bus rather than each crossing every row on its own.
    assert sum(e.via_bus for e in layout.edges) > len(layout.buses)


# Template ----------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag as (tag, attributes, [enclosing tags' class lists]) plus text by tag."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict, list]] = []
        self.stack: list[tuple[str, dict]] = []
        self.texts: list[tuple[list, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.found.append((tag, attributes, [a.get("class", "") for _, a in self.stack]))
        if tag not in ("path", "rect", "circle", "br", "img"):
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, dict(attrs), [a.get("class", "") for _, a in self.stack]))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and self.stack:
            self.texts.append(([t for t, _ in self.stack], data.strip()))

    def all(self, tag: str, css: str = "") -> list[dict]:
        wanted = set(css.split())
        return [
            a for t, a, _ in self.found if t == tag and wanted <= set(a.get("class", "").split())
        ]


def rendered(layout: GraphLayout) -> tuple[str, Elements]:
    html = render_to_string("entrypoints/graph.html", {"layout": layout})
    parsed = Elements()
    parsed.feed(html)
    return html, parsed


class Markup(HTMLParser):
    """The markup as events: ("start", tag, [[name, value], ...]), ("end", tag), ("text", text);
    whitespace between tags left out, entities decoded. Tag and attribute names keep the case
    they are written in (SVG's `viewBox` is not `viewbox`), which the parser's own do not."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[list] = []

    def handle_starttag(self, tag, attrs):
        written = self.get_starttag_text()
        # Values are double-quoted with quotes escaped: blanking them leaves only names.
        names = re.findall(r'([^\s=/<>"]+)=""', re.sub(r'"[^"]*"', '""', written))
        tag = re.match(r"<([^\s/>]+)", written).group(1)
        self.events.append(
            ["start", tag, [[name, value] for name, (_, value) in zip(names, attrs, strict=True)]]
        )

    def handle_endtag(self, tag):
        self.events.append(["end", tag])

    def handle_data(self, data):
        if data.strip():
            self.events.append(["text", data])


def markup(html: str) -> list[list]:
    parsed = Markup()
    parsed.feed(html)
    parsed.close()
    return parsed.events


def layout_from(data: dict) -> GraphLayout:
    """A GraphLayout back from `dataclasses.asdict` (as JSON)."""
    return GraphLayout(
        **{
            **data,
            "nodes": [
                LaidNode(**{**n, "texts": [NodeText(**t) for t in n["texts"]]})
                for n in data["nodes"]
            ],
            "edges": [
                LaidEdge(**{**e, "start": tuple(e["start"]), "end": tuple(e["end"])})
                for e in data["edges"]
            ],
            "buses": [LaidBus(**{**b, "start": tuple(b["start"])}) for b in data["buses"]],
        }
    )


RECORDED = json.loads((Path(__file__).parent / "graph_markup.json").read_text())


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_markup_is_the_recorded_one(case):
    """graph_markup.json holds layouts (errors, warnings, cycles, buses, hostile names, empty)
    and the markup the first, Django-template, version of graph.html made of them: same
    elements, attributes and text in the same order, whatever the whitespace. entrypoints.
    graph_svg replaced that template and must keep to it; a deliberate change to the markup
    updates the file (its layouts are `dataclasses.asdict` of GraphLayouts)."""
    layout = layout_from(RECORDED[case]["layout"])
    assert type(layout.svg) is str  # plain: no Django's SafeString, nor markupsafe's Markup
    html = render_to_string("entrypoints/graph.html", {"layout": layout})
    assert markup(html) == RECORDED[case]["markup"]


def test_template_follows_the_dom_contract():
    text = document(GRAPH + "broken:\n  lod: [$nothing]\n", extra=ARTIFACTS)
    layout = laid_out(text)
    html, parsed = rendered(layout)
    (svg,) = parsed.all("svg", "graph")
    assert svg["viewbox"] == f"0 0 {layout.width} {layout.height}"
    assert (svg["data-width"], svg["data-height"]) == (str(layout.width), str(layout.height))
    assert svg["aria-label"] == layout.label and svg["role"] == "group"
    assert len(parsed.all("g", "viewport")) == 1
    steps = parsed.all("g", "node step")
    assert [s["data-step"] for s in steps] == [s.name for s in layout.nodes if s.kind == "step"]
    dataset = next(s for s in steps if s["data-step"] == "dataset")
    assert dataset["data-line"] == str(node(layout, "dataset").line)
    assert dataset["data-source"] == "taskGraph" and dataset["tabindex"] == "0"
    assert dataset["role"] == "button" and dataset["aria-label"].startswith("Step dataset")
    assert [p["data-param"] for p in parsed.all("g", "node param")] == ["location", "epochs", "lr"]
    (saved,) = parsed.all("g", "node artifact-output")
    assert saved["data-artifact-output"] == "saved" and saved["data-source"] == "artifactGraph"
    references = parsed.all("g", "edge reference")
    assert {(e["data-from"], e["data-to"]) for e in references} >= {
        ("location", "dataset"),
        ("dataset", "trained_model"),
        ("predictions", "saved"),
    }
    (dependency,) = parsed.all("g", "edge dependency")
    assert (dependency["data-from"], dependency["data-to"]) == ("late", "predictions")
    markers = {m["id"] for m in parsed.all("marker")}
    assert markers == {"graph-arrow-reference", "graph-arrow-dependency", "graph-arrow-back"}
    assert 'marker-end="url(#graph-arrow-dependency)"' in html
    # Nodes paint over edge ends: every edge comes before the first node.
    assert html.rindex('class="edge') < html.index('class="node')


def test_template_marks_errors_with_a_title():
    layout = laid_out(document(GRAPH + "broken:\n  lod: [$nothing]\n"))
    _, parsed = rendered(layout)
    (broken,) = parsed.all("g", "node step has-errors")
    assert broken["data-step"] == "broken"
    titles = [text for tags, text in parsed.texts if tags[-1] == "title"]
    assert node(layout, "broken").message in titles
    assert (["svg", "g", "g", "g", "text"], "2") in parsed.texts  # the badge: 2 errors


def test_template_shows_labels_and_the_legend():
    html, parsed = rendered(laid_out(document(GRAPH)))
    labels = [
        text
        for tags, text in parsed.texts
        if tags[-1] == "text" and text in ("training", "testing")
    ]
    assert sorted(labels) == ["testing", "training"]
    (legend,) = parsed.all("ul", "graph-legend")
    assert all(word in html for word in ("reference", "dependency", "error"))


def test_template_numbers_are_never_localised():
    layout = laid_out(document(GRAPH))
    with translation.override("de"), settings_thousands():
        html, parsed = rendered(layout)
    (svg,) = parsed.all("svg", "graph")
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", svg["viewbox"])
    assert all(
        re.fullmatch(r"translate\(-?[\d.]+ -?[\d.]+\)", g["transform"])
        for g in parsed.all("g", "node")
    )


def settings_thousands():
    from django.test import override_settings

    return override_settings(USE_THOUSAND_SEPARATOR=True)


def test_template_escapes_names():
    model = hand_made(2, [(0, 1, "reference")])
    model.steps[0] = GraphStep('<b a="1">&', None, 1, [], [])
    model.edges = [GraphEdge('<b a="1">&', "s1", "reference", '$<b a="1">&')]
    model.layers = [['<b a="1">&'], ["s1"]]
    html, parsed = rendered(graph_layout(model))
    assert "<b " not in html
    assert [s["data-step"] for s in parsed.all("g", "node step")] == ['<b a="1">&', "s1"]
    assert parsed.all("g", "edge reference")[0]["data-from"] == '<b a="1">&'


def test_empty_graph_shows_a_hint_instead():
    html, parsed = rendered(graph_layout(GraphModel()))
    assert not parsed.all("svg", "graph")
    assert "No steps yet" in html
