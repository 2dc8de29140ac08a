"""Hybrid search over a profile's atoms: the use case on a real stack, and `turing search profile`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from infra.cli.search_cmds import search_app
from infra.context import Context
from infra.endpoints import Endpoints
from infra.usecases.ingest_profiles import ingest_profiles
from infra.usecases.search import search_profile
from processors.embeddings.cache import CachedEmbedder, InMemoryVectorStore
from ray_jobs.embeddings.providers import MiniLMProvider
from tests.conftest import SAMPLES

LATENCY = "Cut p99 latency of the pricing API"


@pytest.fixture(scope="module")
def stack(module_stack: tuple[Path, Endpoints]) -> Iterator[tuple[Path, Context]]:
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    try:
        ingest_profiles(ctx, "profiles.jsonl", (SAMPLES / "profiles.jsonl").read_bytes())
        yield root, ctx
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def minilm() -> MiniLMProvider:
    return MiniLMProvider()


@pytest.mark.stack
def test_lexical_search_finds_the_latency_atom_first(stack: tuple[Path, Context]) -> None:
    _, ctx = stack
    answer = search_profile(ctx.endpoints.dsn, ctx.schema, "pr-amara-okafor", "latency reduction")
    assert answer["mode"] == "lexical"
    top = answer["results"][0]
    assert top["text"].startswith(LATENCY)
    assert top["evidence"] == {
        "kind": "atom",
        "atom_id": "atoms[0]",
        "source": "atoms[0]",
        "text": top["text"],
    }
    assert top["found_by"] == "lexical"
    assert [(p["retriever"], p["rank"]) for p in top["provenance"]] == [("lexical", 1)]
    assert top["provenance"][0]["raw_score"] > 0 and top["scores"]["lexical"] == 1.0
    audit = answer["audit"]
    assert audit["preset"] == "job_matching" and audit["provider"] is None and audit["semantic"] == []
    assert audit["lexical"][0]["id"] == "atoms[0]"
    assert len(audit["query_hash"]) == 64  # the query itself is not kept, only its hash


@pytest.mark.stack
def test_semantic_search_finds_a_paraphrase_and_embeds_each_atom_once(
    stack: tuple[Path, Context], minilm: MiniLMProvider
) -> None:
    _, ctx = stack
    embedder = CachedEmbedder(minilm, InMemoryVectorStore())
    dsn = ctx.endpoints.dsn
    answer = search_profile(dsn, ctx.schema, "pr-amara-okafor", "made the API faster", embedder=embedder)
    assert answer["mode"] == "hybrid" and answer["embedded_atoms"] == 6
    top = answer["results"][0]
    assert top["text"].startswith(LATENCY)
    semantic = [p for p in top["provenance"] if p["retriever"] == "semantic"]
    assert semantic and semantic[0]["rank"] == 1 and 0 < semantic[0]["raw_score"] <= 1
    assert answer["audit"]["model"] == "all-MiniLM-L6-v2" and answer["audit"]["dimension"] == 384

    # A query with no shared word at all still finds it, by meaning alone.
    again = search_profile(
        dsn,
        ctx.schema,
        "pr-amara-okafor",
        "quicker response times",
        preset="writing_corpus",
        embedder=embedder,
    )
    assert again["embedded_atoms"] == 0  # the atoms kept their vectors
    assert again["results"][0]["text"].startswith(LATENCY)
    assert again["results"][0]["found_by"] == "semantic" and again["audit"]["w_sem"] == 0.55


@pytest.mark.stack
def test_unknown_profile_and_preset_are_clear_errors(stack: tuple[Path, Context]) -> None:
    _, ctx = stack
    with pytest.raises(LookupError, match="unknown profile 'pr-nobody'"):
        search_profile(ctx.endpoints.dsn, ctx.schema, "pr-nobody", "python")
    with pytest.raises(ValueError, match="job_matching, writing_corpus"):
        search_profile(ctx.endpoints.dsn, ctx.schema, "pr-amara-okafor", "python", preset="fastest")


def _cli() -> typer.Typer:
    # The lead registers search_app on the real `turing` app; here it is mounted the same way.
    app = typer.Typer()
    app.add_typer(search_app, name="search")
    return app


@pytest.mark.stack
def test_cli_lexical_table_and_hybrid_json(stack: tuple[Path, Context]) -> None:
    root, _ = stack
    runner = CliRunner()
    env = {"TURING_DATA_DIR": str(root), "COLUMNS": "200"}
    base = ["search", "profile", "pr-amara-okafor", "--data-dir", str(root)]

    table = runner.invoke(_cli(), [*base, "latency reduction", "--lexical-only"], env=env)
    assert table.exit_code == 0, table.output
    assert "found by" in table.output and LATENCY in table.output and "atoms[0]" in table.output

    hybrid = runner.invoke(_cli(), [*base, "made the API faster", "--json", "--k", "2"], env=env)
    assert hybrid.exit_code == 0, hybrid.output
    answer = json.loads(hybrid.stdout)
    assert answer["mode"] == "hybrid" and len(answer["results"]) == 2
    assert answer["results"][0]["evidence"]["source"] == "atoms[0]"

    unknown = runner.invoke(
        _cli(), ["search", "profile", "pr-nobody", "x", "--lexical-only", "--data-dir", str(root)]
    )
    assert unknown.exit_code == 1 and "unknown profile" in unknown.output
