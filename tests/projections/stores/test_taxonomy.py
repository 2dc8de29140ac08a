"""The taxonomy projection on a real PostgreSQL: replace-all loading and reading back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from processors.taxonomy import store
from processors.taxonomy.model import Category, Edge, Skill, Taxonomy
from projections.stores.taxonomy import copy_taxonomy, load_taxonomy, read_taxonomy
from projections.write.checksum import table_checksums
from projections.write.migrate import migrate_projection

pytestmark = pytest.mark.stack  # a real PostgreSQL, started by the pg_dsn fixture


@pytest.fixture()
def schema(pg_dsn: str) -> Iterator[tuple[psycopg.Connection, str]]:
    name = f"tax_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        migrate_projection(conn, name, store.builtin())
        try:
            yield conn, name
        finally:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def small(source: str) -> Taxonomy:
    return Taxonomy.from_skills(
        [Skill("01.01.01.001", "Go", ("Golang",), "hard", ("Go",)), Skill("01.01.01.002", "Rust")],
        [Category("01", "Tech"), Category("01.01", "Languages"), Category("01.01.01", "Compiled")],
        [Edge("01.01.01.001", "01.01.01.002", "related_to", 1, 0.8)],
        source=source,
    )


def test_builtin_round_trip(schema):
    conn, name = schema
    tax = store.builtin()
    counts = load_taxonomy(conn, name, tax)
    assert counts == {"categories": len(tax.categories), "skills": len(tax.skills), "edges": len(tax.edges)}
    back = read_taxonomy(conn, name)
    assert back.skills == tax.skills
    assert back.categories == tax.categories
    assert back.edges == tax.edges
    assert back.source == "builtin"


def test_rows_carry_levels_keys_and_parents(schema):
    conn, name = schema
    load_taxonomy(conn, name, store.builtin())
    postgres = store.builtin().lookup("Postgres").code
    row = conn.execute(
        sql.SQL("SELECT code, key, l1, l2, l3, kind FROM {} WHERE keys @> ARRAY['postgres']").format(
            sql.Identifier(name, "taxonomy_skills")
        )
    ).fetchone()
    assert row == (postgres, "postgresql", "01", "01.03", "01.03.01", "hard")
    levels = dict(
        conn.execute(
            sql.SQL("SELECT level, count(*) FROM {} GROUP BY level").format(
                sql.Identifier(name, "taxonomy_categories")
            )
        ).fetchall()
    )
    assert set(levels) == {1, 2, 3} and levels[1] == 6


def test_loading_replaces_everything(schema):
    conn, name = schema
    load_taxonomy(conn, name, store.builtin())
    load_taxonomy(conn, name, small("second"))
    back = read_taxonomy(conn, name)
    assert back.source == "second" and set(back.skills) == {"01.01.01.001", "01.01.01.002"}
    assert back.skills["01.01.01.001"].case_sensitive == ("Go",)
    assert back.adjacency("01.01.01.001", "01.01.01.002") == pytest.approx(0.4966 * 0.8, abs=1e-4)


def test_a_failed_load_keeps_the_old_taxonomy(schema):
    conn, name = schema
    load_taxonomy(conn, name, small("first"))
    broken = Taxonomy(
        small("broken").skills, {}, (Edge("01.01.01.001", "09.09.09.999", "is_a", 1),), "broken"
    )
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        load_taxonomy(conn, name, broken)
    assert read_taxonomy(conn, name).source == "first"


def test_a_fresh_schema_is_seeded_with_the_taxonomy_it_is_given(schema):
    conn, name = schema
    seeded = read_taxonomy(conn, name)
    assert seeded.skills == store.builtin().skills
    migrate_projection(conn, name, small("later"))  # tables already filled: left as they are
    assert read_taxonomy(conn, name).source == "builtin"


def test_a_rebuilt_schema_gets_a_copy_of_the_live_taxonomy(schema):
    conn, name = schema
    load_taxonomy(conn, name, small("live"))
    fresh = f"{name}_fresh"
    try:
        migrate_projection(conn, fresh)  # no taxonomy given: nothing seeded
        assert read_taxonomy(conn, fresh).skills == {}
        copy_taxonomy(conn, name, fresh)
        assert read_taxonomy(conn, fresh) == read_taxonomy(conn, name)
        assert table_checksums(conn, fresh)["taxonomy_edges"] == table_checksums(conn, name)["taxonomy_edges"]
    finally:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(fresh)))


def test_empty_tables_read_as_empty(schema):
    conn, name = schema
    with conn.transaction():
        for table in ("taxonomy_edges", "taxonomy_skills", "taxonomy_categories", "taxonomy_source"):
            conn.execute(f"DELETE FROM {name}.{table}")
    empty = read_taxonomy(conn, name)
    assert empty.skills == {} and empty.source == "empty"


def test_schema_name_is_checked(schema):
    conn, _ = schema
    with pytest.raises(ValueError, match="not a valid projection schema name"):
        load_taxonomy(conn, "bad-name; drop", small("x"))
