"""Avro resolution rules, one hand-written pair per rule, plus properties over generated schemas."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import fastavro
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.compat import LEVELS, SchemaError, check, reader_can_read

AVRO_DIR = Path(__file__).resolve().parents[2] / "schemas" / "avro"


def record(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def fld(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def compatible(reader: Any, writer: Any) -> bool:
    return reader_can_read(reader, writer) == []


# --- primitives and promotions ------------------------------------------------------------

PROMOTABLE = [
    ("int", "long"),
    ("int", "float"),
    ("int", "double"),
    ("long", "float"),
    ("long", "double"),
    ("float", "double"),
    ("string", "bytes"),
    ("bytes", "string"),
]


@pytest.mark.parametrize(("writer", "reader"), PROMOTABLE)
def test_promotions(writer: str, reader: str) -> None:
    assert compatible(reader, writer)


@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        ("long", "int"),
        ("double", "float"),
        ("float", "long"),
        ("int", "string"),
        ("boolean", "int"),
        ("null", "string"),
    ],
)
def test_no_demotion_or_unrelated_primitives(writer: str, reader: str) -> None:
    messages = reader_can_read(reader, writer)
    assert messages and reader in messages[0] and writer in messages[0]


def test_identical_primitives() -> None:
    for name in ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]:
        assert compatible(name, name)
        assert compatible({"type": name}, name)


def test_logical_type_is_ignored() -> None:
    assert compatible({"type": "long", "logicalType": "timestamp-millis"}, "long")
    assert compatible("string", {"type": "string", "logicalType": "uuid"})
    assert compatible({"type": "long", "logicalType": "timestamp-micros"}, "int")


# --- records ------------------------------------------------------------------------------


def test_field_type_mismatch_reports_path() -> None:
    writer = record("PostingEvent", fld("content", record("Content", fld("salary_min", "string"))))
    reader = record("PostingEvent", fld("content", record("Content", fld("salary_min", "int"))))
    [message] = reader_can_read(reader, writer)
    assert message.startswith("PostingEvent.content.salary_min: ")


def test_reader_field_missing_from_writer_needs_default() -> None:
    writer = record("R", fld("a", "int"))
    without = record("R", fld("a", "int"), fld("b", "string"))
    with_default = record("R", fld("a", "int"), fld("b", "string", default=""))
    [message] = reader_can_read(without, writer)
    assert message.startswith("R.b: ") and "default" in message
    assert compatible(with_default, writer)


def test_writer_fields_missing_in_reader_are_ignored() -> None:
    writer = record("R", fld("a", "int"), fld("b", "string"))
    assert compatible(record("R", fld("a", "int")), writer)


def test_record_names_must_match() -> None:
    assert not compatible(record("A", fld("x", "int")), record("B", fld("x", "int")))


def test_record_name_matched_unqualified_or_by_alias() -> None:
    writer = record("Old", fld("x", "int"), namespace="a.b")
    assert compatible(record("Old", fld("x", "int"), namespace="c.d"), writer)
    assert compatible(record("New", fld("x", "int"), aliases=["a.b.Old"]), writer)
    assert compatible(record("New", fld("x", "int"), aliases=["Old"]), writer)
    assert not compatible(record("New", fld("x", "int")), writer)


def test_field_matched_by_alias() -> None:
    writer = record("R", fld("old_name", "int"))
    assert compatible(record("R", fld("new_name", "long", aliases=["old_name"])), writer)
    wrong = reader_can_read(record("R", fld("new_name", "string", aliases=["old_name"])), writer)
    assert wrong and wrong[0].startswith("R.new_name: ")


def test_record_against_other_kind() -> None:
    assert not compatible(record("R", fld("x", "int")), "int")
    assert not compatible("int", record("R", fld("x", "int")))


# --- enums and fixed ----------------------------------------------------------------------


def enum(name: str, symbols: list[str], **extra: Any) -> dict[str, Any]:
    return {"type": "enum", "name": name, "symbols": symbols, **extra}


def test_enum_rules() -> None:
    writer = enum("Status", ["OPEN", "CLOSED", "DRAFT"])
    assert compatible(enum("Status", ["OPEN", "CLOSED", "DRAFT", "NEW"]), writer)
    [message] = reader_can_read(enum("Status", ["OPEN", "CLOSED"]), writer)
    assert "DRAFT" in message
    assert compatible(enum("Status", ["OPEN", "CLOSED", "UNKNOWN"], default="UNKNOWN"), writer)
    assert not compatible(enum("Other", ["OPEN", "CLOSED", "DRAFT"]), writer)


def test_fixed_rules() -> None:
    writer = {"type": "fixed", "name": "Hash", "size": 16}
    assert compatible({"type": "fixed", "name": "Hash", "size": 16}, writer)
    [message] = reader_can_read({"type": "fixed", "name": "Hash", "size": 32}, writer)
    assert "size" in message
    assert not compatible({"type": "fixed", "name": "Other", "size": 16}, writer)
    decimal = {"type": "fixed", "name": "Hash", "size": 16, "logicalType": "decimal"}
    assert compatible(decimal, writer)


# --- arrays and maps ----------------------------------------------------------------------


def test_arrays_and_maps_recurse() -> None:
    assert compatible({"type": "array", "items": "long"}, {"type": "array", "items": "int"})
    [message] = reader_can_read(
        record("R", fld("xs", {"type": "array", "items": "int"})),
        record("R", fld("xs", {"type": "array", "items": "long"})),
    )
    assert message.startswith("R.xs[]: ")
    assert compatible({"type": "map", "values": "double"}, {"type": "map", "values": "float"})
    [message] = reader_can_read(
        record("R", fld("m", {"type": "map", "values": "int"})),
        record("R", fld("m", {"type": "map", "values": "string"})),
    )
    assert message.startswith("R.m{}: ")
    assert not compatible({"type": "array", "items": "int"}, {"type": "map", "values": "int"})


# --- unions -------------------------------------------------------------------------------


def test_writer_union_every_branch_must_be_readable() -> None:
    assert compatible(["null", "string", "int"], ["null", "int"])
    assert compatible("long", ["int", "long"])
    [message] = reader_can_read("string", ["null", "string"])
    assert "null" in message


def test_reader_union_some_branch_must_match() -> None:
    assert compatible(["null", "string"], "string")
    assert compatible(["null", "long"], "int")
    assert not compatible(["null", "string"], "int")


def test_reader_union_reports_the_closest_branch() -> None:
    reader = ["null", record("R", fld("x", "int"))]
    [message] = reader_can_read(reader, record("R", fld("x", "string")))
    assert message.startswith("R.x: ")
    [message] = reader_can_read("string", ["null", "string"])
    assert message.startswith("<root>: ")


def test_making_a_field_optional_is_backward_not_forward() -> None:
    old = record("R", fld("x", "string"))
    new = record("R", fld("x", ["null", "string"], default=None))
    assert compatible(new, old)
    assert not compatible(old, new)


# --- named references, namespaces, recursion ----------------------------------------------


def test_named_references_with_namespaces() -> None:
    writer = record(
        "Outer",
        fld("a", enum("Kind", ["X", "Y"])),
        fld("b", "Kind"),
        fld("c", "ns.Kind"),
        namespace="ns",
    )
    reader = copy.deepcopy(writer)
    assert compatible(reader, writer)
    reader["fields"][0]["type"]["symbols"] = ["X"]
    messages = reader_can_read(reader, writer)
    assert [m.split(":")[0] for m in messages] == ["Outer.a", "Outer.b", "Outer.c"]


def test_nested_definition_inherits_namespace() -> None:
    inner = record("Inner", fld("x", "int"))
    writer = record("Outer", fld("inner", inner), fld("again", "a.Inner"), namespace="a")
    assert compatible(writer, writer)
    elsewhere = record("Outer", fld("inner", inner), fld("again", "b.Inner"), namespace="a")
    with pytest.raises(SchemaError):
        reader_can_read(elsewhere, writer)


def test_unknown_type_is_a_schema_error() -> None:
    with pytest.raises(SchemaError):
        reader_can_read(record("R", fld("x", "Missing")), "int")


LINKED = record("Node", fld("value", "int"), fld("next", ["null", "Node"], default=None))


def test_recursive_types_terminate() -> None:
    assert compatible(LINKED, LINKED)
    widened = json.loads(json.dumps(LINKED).replace('"int"', '"long"'))
    assert compatible(widened, LINKED)
    narrowed = json.loads(json.dumps(LINKED).replace('"int"', '"string"'))
    [message] = reader_can_read(narrowed, LINKED)
    assert message.startswith("Node.value: ")


def test_mutually_recursive_types() -> None:
    def tree(leaf_type: str) -> dict[str, Any]:
        forest = record("Forest", fld("trees", {"type": "array", "items": "Tree"}))
        return record("Tree", fld("label", leaf_type), fld("children", forest))

    assert compatible(tree("long"), tree("int"))
    messages = reader_can_read(tree("int"), tree("long"))
    assert messages == [messages[0]] and messages[0].startswith("Tree.label: ")


def test_project_schemas_read_themselves_and_their_history() -> None:
    for path in sorted(AVRO_DIR.glob("*.avsc")):
        current = json.loads(path.read_text())
        assert compatible(current, current), path.name
        for old in sorted((AVRO_DIR.parent / "history" / path.stem).glob("*.avsc")):
            assert check(current, [json.loads(old.read_text())], "FULL_TRANSITIVE") == [], old


# --- levels -------------------------------------------------------------------------------

V1 = record("R", fld("a", "int"))
V2 = record("R", fld("a", "int"), fld("b", "string", default=""))
V3 = record("R", fld("a", "int"), fld("b", "string", default=""), fld("c", "string"))


def test_levels_constant() -> None:
    assert set(LEVELS) == {
        "NONE",
        "BACKWARD",
        "BACKWARD_TRANSITIVE",
        "FORWARD",
        "FORWARD_TRANSITIVE",
        "FULL",
        "FULL_TRANSITIVE",
    }


def test_check_directions() -> None:
    assert check(V3, [V1], "NONE") == []
    assert check(V3, [V1], "BACKWARD") != []  # new reader needs c, which old data lacks
    assert check(V3, [V1], "FORWARD") == []  # old readers ignore c
    assert check(V1, [V3], "BACKWARD") == []
    assert check(V1, [V3], "FORWARD") != []
    assert check(V3, [V1], "FULL") != [] and check(V1, [V3], "FULL") != []
    assert check(V2, [V1], "FULL") == []


def test_non_transitive_compares_with_last_only() -> None:
    old = record("R", fld("a", "int"), fld("z", "string"))
    # z was dropped in V1 and comes back without a default: only the first version had it
    back = record("R", fld("a", "int"), fld("z", "int", default=0))
    assert check(back, [old, V1], "FORWARD") == []
    assert check(back, [old, V1], "FORWARD_TRANSITIVE") != []
    assert check(back, [old, V1], "FULL") == []
    assert check(back, [old, V1], "FULL_TRANSITIVE") != []


def test_check_with_no_existing_and_bad_level() -> None:
    assert check(V1, [], "FULL_TRANSITIVE") == []
    assert check(V1, [V1], "full_transitive") == []
    with pytest.raises(ValueError):
        check(V1, [V1], "SIDEWAYS")


# --- properties ---------------------------------------------------------------------------

# Abstract shapes, rendered into schemas with unique names afterwards.
_leaves = st.sampled_from(["null", "boolean", "int", "long", "float", "double", "bytes", "string"])
_named_leaves = st.one_of(
    st.builds(lambda n: ("enum", n), st.integers(1, 4)),
    st.builds(lambda n: ("fixed", n), st.integers(1, 32)),
    st.just(("ref",)),
)
_shapes = st.recursive(
    st.one_of(_leaves, _named_leaves),
    lambda children: st.one_of(
        st.builds(lambda c: ("array", c), children),
        st.builds(lambda c: ("map", c), children),
        st.builds(lambda c: ("optional", c), children),
        st.builds(lambda cs: ("record", cs), st.lists(children, min_size=1, max_size=4)),
    ),
    max_leaves=12,
)


class _Renderer:
    def __init__(self) -> None:
        self.counter = itertools.count()
        self.defined: list[str] = []

    def name(self, prefix: str) -> str:
        return f"{prefix}{next(self.counter)}"

    def render(self, shape: Any) -> Any:
        if isinstance(shape, str):
            return shape
        kind = shape[0]
        if kind == "enum":
            name = self.name("E")
            self.defined.append(name)
            return {"type": "enum", "name": name, "symbols": [f"S{i}" for i in range(shape[1])]}
        if kind == "fixed":
            name = self.name("F")
            self.defined.append(name)
            return {"type": "fixed", "name": name, "size": shape[1]}
        if kind == "ref":
            return self.defined[-1] if self.defined else "string"
        if kind == "array":
            return {"type": "array", "items": self.render(shape[1])}
        if kind == "map":
            return {"type": "map", "values": self.render(shape[1])}
        if kind == "optional":
            inner = self.render(shape[1])
            return inner if inner == "null" or isinstance(inner, list) else ["null", inner]
        return self.record(shape[1])

    def record(self, children: list[Any]) -> dict[str, Any]:
        name = self.name("R")
        fields = [fld(f"f{i}", self.render(c)) for i, c in enumerate(children)]
        self.defined.append(name)
        return record(name, *fields, namespace="gen")


@st.composite
def record_schemas(draw: st.DrawFn) -> dict[str, Any]:
    schema = _Renderer().record(draw(st.lists(_shapes, min_size=1, max_size=5)))
    fastavro.parse_schema(copy.deepcopy(schema))  # the generator must only make valid schemas
    return schema


@settings(max_examples=150, deadline=None)
@given(record_schemas())
def test_schema_is_compatible_with_itself(schema: dict[str, Any]) -> None:
    assert reader_can_read(schema, schema) == []
    assert check(schema, [schema], "FULL_TRANSITIVE") == []


@settings(max_examples=150, deadline=None)
@given(record_schemas(), _leaves.filter(lambda t: t != "null"))
def test_adding_optional_field_with_default_keeps_full(schema: dict[str, Any], type_: str) -> None:
    new = copy.deepcopy(schema)
    new["fields"].append(fld("added", ["null", type_], default=None))
    assert check(new, [schema], "FULL") == []
    assert check(new, [schema], "FULL_TRANSITIVE") == []


@settings(max_examples=150, deadline=None)
@given(record_schemas(), _leaves)
def test_adding_required_field_breaks_backward(schema: dict[str, Any], type_: str) -> None:
    new = copy.deepcopy(schema)
    new["fields"].append(fld("added", type_))
    messages = check(new, [schema], "BACKWARD")
    assert messages and any(f"{schema['name']}.added: " in m for m in messages)
    assert check(new, [schema], "FORWARD") == []
