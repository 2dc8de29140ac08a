"""The taxonomy projection: the configured taxonomy's skills, categories and edges in Postgres.

`load_taxonomy` replaces the tables' contents in one transaction (readers see the old
taxonomy or the new one, never a mix); `read_taxonomy` rebuilds the Taxonomy from them.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import tuple_row

from processors.taxonomy.model import Category, Edge, Skill, Taxonomy
from processors.taxonomy.text import normalise
from projections.db import check_schema_name

_TABLES = ("taxonomy_edges", "taxonomy_skills", "taxonomy_categories", "taxonomy_source")


def _q(schema: str, statement: str, *tables: str) -> sql.Composed:
    return sql.SQL(statement).format(*(sql.Identifier(schema, t) for t in tables))


def load_taxonomy(conn: psycopg.Connection[Any], schema: str, taxonomy: Taxonomy) -> dict[str, int]:
    """Replace the taxonomy tables in `schema` with `taxonomy`; returns the row counts written."""
    check_schema_name(schema)
    categories = [
        (c.code, c.name, c.level) for c in sorted(taxonomy.categories.values(), key=lambda c: c.code)
    ]
    skills = [
        (
            s.code,
            s.name,
            s.key,
            s.kind,
            list(s.synonyms),
            sorted({k for k in (normalise(a) for a in s.aliases) if k}),
            list(s.case_sensitive),
            list(s.lookup_only),
            *(".".join(s.code.split(".")[:n]) for n in (1, 2, 3)),
        )
        for s in sorted(taxonomy.skills.values(), key=lambda s: s.code)
    ]
    edges: dict[tuple[str, str], tuple[object, ...]] = {}
    for i, e in enumerate(taxonomy.edges):
        edges.setdefault(
            (e.from_code, e.to_code), (e.from_code, e.to_code, e.relation, e.distance, e.strength, i)
        )
    with conn.transaction(), conn.cursor() as cur:
        for table in _TABLES:
            cur.execute(_q(schema, "DELETE FROM {}", table))
        cur.executemany(
            _q(schema, "INSERT INTO {} (code, name, level) VALUES (%s, %s, %s)", "taxonomy_categories"),
            categories,
        )
        cur.executemany(
            _q(
                schema,
                "INSERT INTO {} (code, name, key, kind, synonyms, keys, case_sensitive, lookup_only, l1, l2, l3)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                "taxonomy_skills",
            ),
            skills,
        )
        cur.executemany(
            _q(
                schema,
                "INSERT INTO {} (from_code, to_code, relation, distance, strength, position)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                "taxonomy_edges",
            ),
            list(edges.values()),
        )
        cur.execute(
            _q(schema, "INSERT INTO {} (source, skills) VALUES (%s, %s)", "taxonomy_source"),
            (taxonomy.source, len(skills)),
        )
    return {"categories": len(categories), "skills": len(skills), "edges": len(edges)}


def copy_taxonomy(conn: psycopg.Connection[Any], source: str, target: str) -> None:
    """Replace `target`'s taxonomy tables with `source`'s rows, as they are (one transaction)."""
    check_schema_name(source)
    check_schema_name(target)
    with conn.transaction(), conn.cursor() as cur:
        for table in _TABLES:
            cur.execute(_q(target, "DELETE FROM {}", table))
        for table in reversed(_TABLES):  # skills before the edges that reference them
            cur.execute(
                sql.SQL("INSERT INTO {}.{} SELECT * FROM {}.{}").format(
                    sql.Identifier(target),
                    sql.Identifier(table),
                    sql.Identifier(source),
                    sql.Identifier(table),
                )
            )


def read_taxonomy(conn: psycopg.Connection[Any], schema: str) -> Taxonomy:
    """The taxonomy the tables in `schema` hold (empty, source "empty", when none was loaded)."""
    check_schema_name(schema)
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(_q(schema, "SELECT code, name FROM {} ORDER BY code", "taxonomy_categories"))
        categories = [Category(code, name) for code, name in cur.fetchall()]
        cur.execute(
            _q(
                schema,
                "SELECT code, name, synonyms, kind, case_sensitive, lookup_only FROM {} ORDER BY code",
                "taxonomy_skills",
            )
        )
        skills = [Skill(r[0], r[1], tuple(r[2]), r[3], tuple(r[4]), tuple(r[5])) for r in cur.fetchall()]
        cur.execute(
            _q(
                schema,
                "SELECT from_code, to_code, relation, distance, strength FROM {} ORDER BY position",
                "taxonomy_edges",
            )
        )
        edges = [Edge(a, b, rel, int(d), float(st)) for a, b, rel, d, st in cur.fetchall()]
        cur.execute(_q(schema, "SELECT source FROM {}", "taxonomy_source"))
        row = cur.fetchone()
    return Taxonomy.from_skills(skills, categories, edges, source=row[0] if row else "empty")
