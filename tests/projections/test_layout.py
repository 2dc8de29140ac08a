"""How projections/ hangs together: read, write, lineage and stores apart, and no broker inside.

The projector gets its log through processors.ports.LogReader, so no module here may import the
Kafka adapters (streams) or the wiring (infra). Inside, the write side (folds, rebuild,
migrations) and the read side (queries by resource) share only the top-level modules (db,
columns, jsonable) and the stores; lineage reads through read/, never through write/; the
stores (the ports' adapters among them) may build on read/, never on write/ or lineage/.
"""

from __future__ import annotations

import grimp
import pytest

FORBIDDEN = {
    "projections.write": ("projections.read", "projections.lineage"),
    "projections.read": ("projections.write", "projections.lineage"),
    "projections.lineage": ("projections.write",),
    # The ports' Postgres adapters wrap read/'s queries; write/ uses the lower stores (keys, atoms, taxonomy).
    "projections.stores": ("projections.write", "projections.lineage"),
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(
        "projections", "streams", "infra", include_external_packages=False, cache_dir=None
    )


def _ours(graph: grimp.ImportGraph) -> list[str]:
    return sorted(m for m in graph.modules if m.startswith("projections"))


def test_projections_import_neither_streams_nor_infra(graph: grimp.ImportGraph) -> None:
    upward = [
        f"{m} -> {i}"
        for m in _ours(graph)
        for i in graph.find_modules_directly_imported_by(m)
        if i.split(".")[0] in ("streams", "infra")
    ]
    assert upward == []


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_part_keeps_to_its_job(graph: grimp.ImportGraph, package: str) -> None:
    crossing = [
        f"{m} -> {i}"
        for m in _ours(graph)
        if m == package or m.startswith(package + ".")
        for i in graph.find_modules_directly_imported_by(m)
        if i.startswith(FORBIDDEN[package])
    ]
    assert crossing == []
