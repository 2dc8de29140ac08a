"""The import graph of the six packages has no cycle between modules (the layer contract in
pyproject.toml, run by `lint-imports`, keeps the direction between packages)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp

PACKAGES = ("schemas", "processors", "streams", "projections", "ray_jobs", "infra")


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's components with more than one node, or a node importing itself; iterative, so a
    deep import chain cannot overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    found.append(sorted(component))
    return found


def describe(graph: Mapping[str, Iterable[str]], component: list[str]) -> str:
    """One cycle through the component's first module, as `a -> b -> ... -> a`."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    node = start
    while True:
        nxt = sorted(n for n in graph[node] if n in members)
        if (start in nxt and len(path) > 1) or nxt == [start]:
            return " -> ".join([*path, start])
        step = next((n for n in nxt if n not in seen), None)
        if step is None:  # the cycle through start closes further back: show the component
            return "{" + ", ".join(component) + "}"
        path.append(step)
        seen.add(step)
        node = step


def module_graph() -> dict[str, set[str]]:
    g = grimp.build_graph(*PACKAGES)
    return {m: set(g.find_modules_directly_imported_by(m)) for m in g.modules}


def test_tarjan_finds_a_cycle_and_names_it() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    components = strongly_connected(graph)
    assert components == [["a", "b", "c"], ["e"]]
    assert describe(graph, components[0]) == "a -> b -> c -> a"
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    graph = module_graph()
    cycles = [describe(graph, c) for c in strongly_connected(graph)]
    assert not cycles, f"{len(cycles)} import cycle(s):\n" + "\n".join(cycles)
