"""A compare view's graph: both versions' graphs drawn as one, each node and edge marked added,
removed, changed or renamed (``entrypoints.versions`` says which), with a legend."""

from dataclasses import replace

from entrypoints.graph_layout import STEP, GraphLayout, graph_layout
from entrypoints.taskgraph import GraphModel
from entrypoints.versions import VersionDiff

_WORDS = {
    "added": "added in the newer version",
    "removed": "removed in the newer version",
    "changed": "changed",
    "renamed": "renamed",
}


def _edge_key(edge, names=None) -> tuple:
    """An edge's identity; ``names`` renames the older version's steps to the newer names."""
    names = names or {}
    source = names.get(edge.source, edge.source) if edge.source_kind == STEP else edge.source
    return (
        edge.source_kind,
        source,
        edge.target_kind,
        names.get(edge.target, edge.target),
        edge.kind,
    )


def diff_layout(old: GraphModel, new: GraphModel, diff: VersionDiff) -> GraphLayout:
    """The newer graph plus what the older one had and the newer lost, laid out once.

    Removed steps keep the layer they had, so they sit where they used to be."""
    kinds = diff.step_kinds()
    new_names = {c.old_name: c.name for c in diff.steps if c.kind == "renamed"}
    present = {step.name for step in new.steps}
    gone = [s for s in old.steps if s.name not in present and s.name not in new_names]
    new_edges = {_edge_key(e) for e in new.edges}
    old_edges = {_edge_key(e, new_names) for e in old.edges}
    lost_edges = [
        e
        for e in old.edges
        if _edge_key(e, new_names) not in new_edges
        and e.source not in new_names
        and e.target not in new_names
    ]
    union = GraphModel(
        steps=[*new.steps, *(replace(step, issues=[]) for step in gone)],
        edges=[*new.edges, *lost_edges],
        parameters=[*new.parameters, *(p for p in old.parameters if p not in new.parameters)],
        artifact_inputs=[
            *new.artifact_inputs,
            *(a for a in old.artifact_inputs if a not in new.artifact_inputs),
        ],
        artifact_outputs=[
            *new.artifact_outputs,
            *(
                o
                for o in old.artifact_outputs
                if o.name not in {n.name for n in new.artifact_outputs}
            ),
        ],
        order=new.order,
        layers=new.layers,
    )
    layout = graph_layout(union)
    output_kinds = {c.name: c.kind for c in diff.artifact_outputs}
    old_params = set(old.parameters) | set(old.artifact_inputs)
    new_params = set(new.parameters) | set(new.artifact_inputs)
    for node in layout.nodes:
        if node.kind == STEP:
            node.diff = kinds.get(node.name, "")
        elif node.kind == "artifact_output":
            node.diff = output_kinds.get(node.name, "")
        else:
            node.diff = (
                "added"
                if node.name not in old_params
                else "removed"
                if node.name not in new_params
                else ""
            )
        if node.diff:
            node.title += f" ({_WORDS[node.diff]})"
            node.label += f", {_WORDS[node.diff]}"
    for edge in layout.edges:
        key = _edge_key(edge)
        edge.diff = "added" if key not in old_edges else "removed" if key not in new_edges else ""
    return layout
