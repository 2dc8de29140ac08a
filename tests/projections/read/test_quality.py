from __future__ import annotations

import pytest

from projections.read.quality import _config, _filters, parse_where


def test_where_grammar_and_columns_per_target() -> None:
    assert parse_where(["posting_id=q-1,engine!=rules"]) == [
        ("posting_id", "=", "q-1"),
        ("engine", "!=", "rules"),
    ]
    with pytest.raises(ValueError, match="COLUMN one of"):
        parse_where(["status=open"])
    where, args = _filters(parse_where(["engine!=rules"]), {"engine": "engine"})
    assert (where, args) == (" AND engine <> %s", ["rules"])
    with pytest.raises(ValueError, match="does not apply"):
        _filters(parse_where(["engine=rules"]), {"posting_id": "posting_id"})


def test_engine_configuration_key_is_stable() -> None:
    config = {"lily": "rules:rules-broad", "extract_summary": "rules:rules-1", "map_skills": "rules:rules-1"}
    assert _config(config, "matcher/1") == "matcher/1 *=rules:rules-1 lily=rules:rules-broad"
    assert _config(None, None) == "matcher/?"
