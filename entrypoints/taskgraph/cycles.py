"""Graph algorithms over named nodes: cycles (for steps and types) and ordering.

All iterative: a 1,000-step chain must not hit Python's recursion limit.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

# edges: node -> [(target, payload), ...] in document order; payload locates the edge.
Edges = Mapping[Hashable, Sequence[tuple[Hashable, Any]]]


def strongly_connected(nodes: Sequence[Hashable], edges: Edges) -> list[list[Hashable]]:
    """Tarjan's algorithm; components with more than one node or a self-loop."""
    index_of: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    found: list[list[Hashable]] = []
    counter = 0
    for root in nodes:
        if root in index_of:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, ())
            recursed = False
            while position < len(targets):
                target = targets[position][0]
                position += 1
                if target not in index_of:
                    work.append((node, position))
                    work.append((target, 0))
                    recursed = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index_of[target])
            if recursed:
                continue
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or any(t == node for t, _ in edges.get(node, ())):
                    found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def find_cycles(nodes: Sequence[Hashable], edges: Edges) -> list[tuple[list[Hashable], Any]]:
    """One cycle per strongly connected component, as `[a, b, ..., a]` starting at the component's
    first node in document order, with the payload of the edge leaving its last node in document
    order (the one that "points back")."""
    order = {node: i for i, node in enumerate(nodes)}
    cycles = []
    for component in strongly_connected(nodes, edges):
        members = set(component)
        start = min(component, key=order.__getitem__)
        path = _path_back(start, members, edges)
        last = max(path[:-1], key=order.__getitem__)
        following = path[path.index(last) + 1]
        payload = next(p for t, p in edges.get(last, ()) if t == following)
        cycles.append((path, payload))
    cycles.sort(key=lambda cycle: order[cycle[0][0]])
    return cycles


def _path_back(start: Hashable, members: set, edges: Edges) -> list[Hashable]:
    """Shortest path start -> ... -> start inside one component (edges in document order)."""
    previous: dict = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target, _ in edges.get(node, ()):
            if target not in members:
                continue
            if target == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(previous[chain[-1]])
                chain.reverse()
                chain.append(start)
                return chain
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return [start, start]  # pragma: no cover - a component always has a way back


def topological_order(
    nodes: Sequence[Hashable], depends_on: Mapping[Hashable, Sequence[Hashable]]
) -> list:
    """Nodes with their dependencies first; ties (and nodes caught in cycles) in document order."""
    position = {node: i for i, node in enumerate(nodes)}
    waiting = {node: 0 for node in nodes}
    dependents: dict = {node: [] for node in nodes}
    for node in nodes:
        for dependency in set(depends_on.get(node, ())):
            if dependency in position and dependency != node:
                waiting[node] += 1
                dependents[dependency].append(node)
    ready = [position[node] for node in nodes if waiting[node] == 0]
    heapq.heapify(ready)
    ordered = []
    done = set()
    while len(ordered) < len(nodes):
        if not ready:
            # A cycle: release the earliest node still waiting.
            stuck = min((position[n] for n in nodes if n not in done), default=None)
            if stuck is None:
                break
            ready.append(stuck)
            waiting[nodes[stuck]] = 0
        index = heapq.heappop(ready)
        node = nodes[index]
        if node in done:
            continue
        done.add(node)
        ordered.append(node)
        for dependent in dependents[node]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0 and dependent not in done:
                heapq.heappush(ready, position[dependent])
    return ordered


def layers(
    order: Sequence[Hashable], depends_on: Mapping[Hashable, Sequence[Hashable]]
) -> list[list]:
    """Layer 0 holds nodes without dependencies; every other node sits one past its deepest
    dependency (dependencies not yet placed, i.e. inside a cycle, are ignored)."""
    level: dict = {}
    for node in order:
        placed = [level[d] for d in depends_on.get(node, ()) if d in level and d != node]
        level[node] = max(placed) + 1 if placed else 0
    result: list[list] = []
    for node in order:
        while len(result) <= level[node]:
            result.append([])
        result[level[node]].append(node)
    return result
