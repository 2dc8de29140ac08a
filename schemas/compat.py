"""Avro schema-resolution compatibility, following the resolution rules of the Avro spec.

Pure functions over parsed .avsc JSON (dict / list / str). `reader_can_read` answers "can data
written with `writer` be read with `reader`", as a list of messages (empty = yes); `check` applies
a Confluent compatibility level to a new schema and the existing versions of a subject.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS: tuple[str, ...] = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})

# writer type -> reader types that can read it (besides itself), per the spec's promotions
PROMOTIONS: dict[str, frozenset[str]] = {
    "int": frozenset({"long", "float", "double"}),
    "long": frozenset({"float", "double"}),
    "float": frozenset({"double"}),
    "string": frozenset({"bytes"}),
    "bytes": frozenset({"string"}),
}


class SchemaError(ValueError):
    """The JSON is not a schema this checker understands (unknown type, missing attribute)."""


# --- normalised schema model -----------------------------------------------------------------
# Named types are kept in a table and referenced by full name everywhere (definition or later
# reference alike), which makes recursive types ordinary graph edges.


@dataclass(frozen=True)
class _Ref:
    fullname: str


@dataclass(frozen=True)
class _Array:
    items: _Node


@dataclass(frozen=True)
class _Map:
    values: _Node


@dataclass(frozen=True)
class _Union:
    branches: tuple[_Node, ...]


_Node = str | _Ref | _Array | _Map | _Union


@dataclass
class _Field:
    name: str
    aliases: frozenset[str]
    type: _Node
    has_default: bool


@dataclass
class _Record:
    fullname: str
    aliases: frozenset[str]
    fields: list[_Field] = field(default_factory=list)


@dataclass(frozen=True)
class _Enum:
    fullname: str
    aliases: frozenset[str]
    symbols: tuple[str, ...]
    default: str | None


@dataclass(frozen=True)
class _Fixed:
    fullname: str
    aliases: frozenset[str]
    size: int


_NamedDef = _Record | _Enum | _Fixed


@dataclass
class _Schema:
    root: _Node
    names: dict[str, _NamedDef]

    def named(self, ref: _Ref) -> _NamedDef:
        return self.names[ref.fullname]


def _short(fullname: str) -> str:
    return fullname.rsplit(".", 1)[-1]


def _qualify(name: str, namespace: str) -> str:
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


class _Parser:
    def __init__(self) -> None:
        self.names: dict[str, _NamedDef] = {}

    def parse(self, schema: object, namespace: str) -> _Node:
        if isinstance(schema, str):
            return self._reference(schema, namespace)
        if isinstance(schema, list):
            return _Union(tuple(self.parse(branch, namespace) for branch in schema))
        if not isinstance(schema, dict):
            raise SchemaError(f"not a schema: {schema!r}")
        kind = schema.get("type")
        if isinstance(kind, dict | list):
            # {"type": {...}} wraps another schema; the outer attributes add nothing to resolution
            return self.parse(kind, namespace)
        if not isinstance(kind, str):
            raise SchemaError(f"schema without a type: {schema!r}")
        if kind in ("record", "error"):
            return self._record(schema, namespace)
        if kind == "enum":
            return self._enum(schema, namespace)
        if kind == "fixed":
            return self._fixed(schema, namespace)
        if kind == "array":
            return _Array(self.parse(_required(schema, "items"), namespace))
        if kind == "map":
            return _Map(self.parse(_required(schema, "values"), namespace))
        # a primitive with attributes (logicalType is deliberately ignored) or {"type": "Name"}
        return self._reference(kind, namespace)

    def _reference(self, name: str, namespace: str) -> _Node:
        if name in PRIMITIVES:
            return name
        for candidate in (_qualify(name, namespace), name):
            if candidate in self.names:
                return _Ref(candidate)
        raise SchemaError(f"unknown type {name!r}")

    def _declare(self, schema: dict[str, object], namespace: str) -> tuple[str, str, frozenset[str]]:
        # returns the full name, the namespace for nested definitions, and the full aliases
        name = _required(schema, "name")
        if not isinstance(name, str) or not name:
            raise SchemaError(f"invalid name {name!r}")
        explicit = schema.get("namespace")
        own_ns = explicit if isinstance(explicit, str) else namespace
        fullname = name if "." in name else _qualify(name, own_ns)
        if fullname in self.names:
            raise SchemaError(f"type {fullname!r} is defined twice")
        inner_ns = fullname.rsplit(".", 1)[0] if "." in fullname else ""
        return fullname, inner_ns, _aliases(schema, inner_ns)

    def _record(self, schema: dict[str, object], namespace: str) -> _Ref:
        fullname, inner_ns, aliases = self._declare(schema, namespace)
        record = _Record(fullname, aliases)
        # registered before the fields are parsed, so that fields may refer to the record itself
        self.names[fullname] = record
        fields = _required(schema, "fields")
        if not isinstance(fields, list):
            raise SchemaError(f"{fullname}: fields must be a list")
        for raw in fields:
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
                raise SchemaError(f"{fullname}: invalid field {raw!r}")
            record.fields.append(
                _Field(
                    name=raw["name"],
                    aliases=frozenset(a for a in raw.get("aliases", []) if isinstance(a, str)),
                    type=self.parse(_required(raw, "type"), inner_ns),
                    has_default="default" in raw,
                )
            )
        return _Ref(fullname)

    def _enum(self, schema: dict[str, object], namespace: str) -> _Ref:
        fullname, _, aliases = self._declare(schema, namespace)
        symbols = _required(schema, "symbols")
        if not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols):
            raise SchemaError(f"{fullname}: symbols must be a list of strings")
        default = schema.get("default")
        self.names[fullname] = _Enum(
            fullname, aliases, tuple(symbols), default if isinstance(default, str) else None
        )
        return _Ref(fullname)

    def _fixed(self, schema: dict[str, object], namespace: str) -> _Ref:
        fullname, _, aliases = self._declare(schema, namespace)
        size = _required(schema, "size")
        if not isinstance(size, int):
            raise SchemaError(f"{fullname}: size must be an integer")
        self.names[fullname] = _Fixed(fullname, aliases, size)
        return _Ref(fullname)


def _required(schema: dict[str, object], key: str) -> object:
    if key not in schema:
        raise SchemaError(f"missing {key!r} in {schema!r}")
    return schema[key]


def _aliases(schema: dict[str, object], namespace: str) -> frozenset[str]:
    raw = schema.get("aliases", [])
    if not isinstance(raw, list):
        raise SchemaError(f"aliases must be a list: {raw!r}")
    return frozenset(_qualify(a, namespace) for a in raw if isinstance(a, str))


def _parse(schema: object) -> _Schema:
    parser = _Parser()
    root = parser.parse(schema, "")
    return _Schema(root, parser.names)


def validate(schema: object) -> None:
    """Raise `SchemaError` if `schema` cannot be understood by this checker."""
    _parse(schema)


# --- resolution ------------------------------------------------------------------------------


def _describe(node: _Node, schema: _Schema) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, _Ref):
        named = schema.named(node)
        kind = {_Record: "record", _Enum: "enum", _Fixed: "fixed"}[type(named)]
        return f"{kind} {named.fullname}"
    if isinstance(node, _Array):
        return f"array<{_describe(node.items, schema)}>"
    if isinstance(node, _Map):
        return f"map<{_describe(node.values, schema)}>"
    return "union[" + ", ".join(_describe(b, schema) for b in node.branches) + "]"


def _names_match(reader: _NamedDef, writer: _NamedDef) -> bool:
    # The spec matches unqualified names; reader aliases (full names) may name the writer too.
    if _short(reader.fullname) == _short(writer.fullname):
        return True
    return writer.fullname in reader.aliases or _short(writer.fullname) in {_short(a) for a in reader.aliases}


@dataclass
class _Resolver:
    reader: _Schema
    writer: _Schema
    # pairs of named types being compared further up the stack: assumed compatible when met
    # again, which is what terminates recursive types (the rest of the comparison decides)
    in_progress: set[tuple[str, str]] = field(default_factory=set)

    def resolve(self, r: _Node, w: _Node, path: str) -> list[str]:
        if isinstance(w, _Union):
            return self._writer_union(r, w, path)
        if isinstance(r, _Union):
            return self._reader_union(r, w, path)
        if isinstance(r, str) or isinstance(w, str):
            if r == w or (isinstance(w, str) and isinstance(r, str) and r in PROMOTIONS.get(w, ())):
                return []
            return [self._mismatch(r, w, path)]
        if isinstance(r, _Array) and isinstance(w, _Array):
            return self.resolve(r.items, w.items, f"{path}[]")
        if isinstance(r, _Map) and isinstance(w, _Map):
            return self.resolve(r.values, w.values, f"{path}{{}}")
        if isinstance(r, _Ref) and isinstance(w, _Ref):
            return self._named(self.reader.named(r), self.writer.named(w), path)
        return [self._mismatch(r, w, path)]

    def _mismatch(self, r: _Node, w: _Node, path: str) -> str:
        return (
            f"{path}: reader type {_describe(r, self.reader)} "
            f"cannot read writer type {_describe(w, self.writer)}"
        )

    def _writer_union(self, r: _Node, w: _Union, path: str) -> list[str]:
        # whichever branch the writer picked, the reader must cope with it
        messages: list[str] = []
        for branch in w.branches:
            messages.extend(self.resolve(r, branch, path))
        return messages

    def _reader_union(self, r: _Union, w: _Node, path: str) -> list[str]:
        closest: list[str] | None = None
        for branch in r.branches:
            messages = self.resolve(branch, w, path)
            if not messages:
                return []
            if closest is None and self._same_kind(branch, w):
                closest = messages
        if closest is not None:
            return closest
        return [
            f"{path}: writer type {_describe(w, self.writer)} matches no branch of reader "
            f"{_describe(r, self.reader)}"
        ]

    def _same_kind(self, r: _Node, w: _Node) -> bool:
        # the branch a reader would pick, used only to give the most useful message
        if isinstance(r, _Ref) and isinstance(w, _Ref):
            named_r, named_w = self.reader.named(r), self.writer.named(w)
            return type(named_r) is type(named_w) and _names_match(named_r, named_w)
        return type(r) is type(w) and not isinstance(r, str)

    def _named(self, r: _NamedDef, w: _NamedDef, path: str) -> list[str]:
        if type(r) is not type(w) or not _names_match(r, w):
            return [self._mismatch(_Ref(r.fullname), _Ref(w.fullname), path)]
        key = (r.fullname, w.fullname)
        if key in self.in_progress:
            return []
        self.in_progress.add(key)
        try:
            if isinstance(r, _Record) and isinstance(w, _Record):
                return self._record(r, w, path)
            if isinstance(r, _Enum) and isinstance(w, _Enum):
                return _enum(r, w, path)
            if isinstance(r, _Fixed) and isinstance(w, _Fixed) and r.size != w.size:
                return [f"{path}: fixed {r.fullname} has size {r.size}, writer's has {w.size}"]
            return []
        finally:
            self.in_progress.discard(key)

    def _record(self, r: _Record, w: _Record, path: str) -> list[str]:
        by_name = {f.name: f for f in w.fields}
        messages: list[str] = []
        for rf in r.fields:
            wf = by_name.get(rf.name) or next((by_name[a] for a in sorted(rf.aliases) if a in by_name), None)
            field_path = f"{path}.{rf.name}"
            if wf is None:
                if not rf.has_default:
                    messages.append(
                        f"{field_path}: reader field has no default and is missing from the writer"
                    )
                continue
            messages.extend(self.resolve(rf.type, wf.type, field_path))
        return messages


def _enum(r: _Enum, w: _Enum, path: str) -> list[str]:
    if r.default is not None:
        return []
    missing = [s for s in w.symbols if s not in r.symbols]
    if not missing:
        return []
    return [f"{path}: writer enum symbols {missing} are not in reader enum {r.fullname}"]


def _root_path(reader: _Schema, writer: _Schema) -> str:
    # paths start at the top-level record's name, the way people refer to event types
    for root in (reader.root, writer.root):
        branches = root.branches if isinstance(root, _Union) else (root,)
        for node in branches:
            if isinstance(node, _Ref):
                return _short(node.fullname)
    return "<root>"


def reader_can_read(reader: object, writer: object) -> list[str]:
    """Why data written with `writer` cannot be read with `reader`; empty when it can.

    Raises `SchemaError` when either side is not a schema this checker understands.
    """
    r, w = _parse(reader), _parse(writer)
    return _Resolver(r, w).resolve(r.root, w.root, _root_path(r, w))


def check(new: object, existing: list[object], level: str) -> list[str]:
    """Incompatibilities of `new` with the `existing` versions (oldest first) under `level`."""
    level = level.upper()
    if level not in LEVELS:
        raise ValueError(f"unknown compatibility level {level!r}; expected one of {LEVELS}")
    if level == "NONE" or not existing:
        return []
    first = 0 if level.endswith("_TRANSITIVE") else len(existing) - 1
    backward = level.startswith(("BACKWARD", "FULL"))
    forward = level.startswith(("FORWARD", "FULL"))
    messages: list[str] = []
    for index in range(first, len(existing)):
        old = existing[index]
        label = f"existing schema {index + 1} of {len(existing)}"
        if backward:
            messages.extend(
                f"new schema cannot read data written with {label}: {m}" for m in reader_can_read(new, old)
            )
        if forward:
            messages.extend(
                f"{label} cannot read data written with the new schema: {m}"
                for m in reader_can_read(old, new)
            )
    return messages
