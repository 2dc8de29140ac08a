"""Parsers for the public corpora the linker and Lily are judged on (pure: text in, records out).

- ESCO linking (Decorte et al.): CSV `sentence, span, sub_span, label`, one row per linked
  span; `LABEL NOT PRESENT` and `UNDERSPECIFIED` mean no ESCO label fits. Rows are grouped
  by sentence, in order of first appearance.
- SkillSpan (Zhang et al.): CoNLL `token<TAB>skill-tag<TAB>knowledge-tag`, BIO tags, a
  blank line between sentences.
- Any CoNLL-2003-style file (e.g. Green, Maynard & Lin 2022, whose entities are Skill,
  Qualification, Experience, Occupation, Domain): whitespace-separated columns, the token
  first and a `B-TYPE` / `I-TYPE` / `O` tag last, `-DOCSTART-` lines skipped; the spans of
  the entity types asked for are kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

NO_LABEL = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED"})


class CorpusFormatError(ValueError):
    """A corpus file is not in the expected shape; the message names the line."""


@dataclass(frozen=True)
class LinkedSpan:
    span: str
    label: str  # an ESCO preferred label, or one of NO_LABEL


@dataclass(frozen=True)
class LinkingSentence:
    sentence: str
    spans: tuple[LinkedSpan, ...]

    @property
    def gold(self) -> frozenset[str]:
        """The ESCO labels of the sentence (the spans no label fits are left out)."""
        return frozenset(s.label for s in self.spans if s.label not in NO_LABEL)


def parse_esco_linking(text: str) -> list[LinkingSentence]:
    reader = csv.DictReader(io.StringIO(text))
    # `span` is optional: TECHWOLF links whole sentences, with no span between them and the label
    missing = [c for c in ("sentence", "label") if c not in (reader.fieldnames or [])]
    if missing:
        raise CorpusFormatError(f"line 1: missing column(s) {', '.join(missing)}")
    grouped: dict[str, list[LinkedSpan]] = {}
    for row in reader:
        sentence, label = (row["sentence"] or "").strip(), (row["label"] or "").strip()
        if not sentence or not label:
            raise CorpusFormatError(f"line {reader.line_num}: empty sentence or label")
        grouped.setdefault(sentence, []).append(LinkedSpan((row.get("span") or "").strip(), label))
    return [LinkingSentence(s, tuple(spans)) for s, spans in grouped.items()]


@dataclass(frozen=True)
class Span:
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    kind: str  # "skill" | "knowledge"


@dataclass(frozen=True)
class TaggedSentence:
    tokens: tuple[str, ...]
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _bio_spans(tags: list[str], kind: str, line_of: list[int]) -> list[Span]:
    spans: list[Span] = []
    start: int | None = None
    for i, tag in enumerate([*tags, "O"]):
        if tag not in ("B", "I", "O"):
            raise CorpusFormatError(f"line {line_of[i]}: tag {tag!r} is not B, I or O")
        if start is not None and tag != "I":
            spans.append(Span(start, i, kind))
            start = None
        if tag == "B" or (tag == "I" and start is None):  # a stray I opens a span, as seqeval does
            start = i
    return spans


def parse_skillspan(text: str) -> list[TaggedSentence]:
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    skill: list[str] = []
    knowledge: list[str] = []
    lines: list[int] = []

    def flush() -> None:
        if tokens:
            found = _bio_spans(skill, "skill", [*lines, 0]) + _bio_spans(knowledge, "knowledge", [*lines, 0])
            sentences.append(
                TaggedSentence(tuple(tokens), tuple(sorted(found, key=lambda s: (s.start, s.end))))
            )
        for held in (tokens, skill, knowledge):
            held.clear()
        lines.clear()

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            flush()
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise CorpusFormatError(f"line {n}: expected token, skill tag, knowledge tag (tab-separated)")
        tokens.append(parts[0])
        skill.append(parts[1].strip()[:1] or "O")
        knowledge.append(parts[2].strip()[:1] or "O")
        lines.append(n)
    flush()
    return sentences


def parse_conll(text: str, entities: frozenset[str]) -> list[TaggedSentence]:
    """Sentences of a CoNLL-2003-style file with the spans of `entities` (types, any case)."""
    wanted = {e.lower() for e in entities}
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    spans: list[Span] = []
    start: int | None = None
    kind = ""

    def close(at: int) -> None:
        nonlocal start
        if start is not None:
            spans.append(Span(start, at, kind))
            start = None

    def flush() -> None:
        close(len(tokens))
        if tokens:
            sentences.append(TaggedSentence(tuple(tokens), tuple(spans)))
        tokens.clear()
        spans.clear()

    for n, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split()
        if not parts:
            flush()
            continue
        if parts[0] == "-DOCSTART-":
            continue
        if len(parts) < 2:
            raise CorpusFormatError(f"line {n}: expected a token and a tag (whitespace-separated)")
        tag = parts[-1]
        prefix, _, entity = tag.partition("-")
        if tag != "O" and (prefix not in ("B", "I") or not entity):
            raise CorpusFormatError(f"line {n}: tag {tag!r} is not O, B-TYPE or I-TYPE")
        entity = entity.lower()
        inside = tag != "O" and entity in wanted
        if start is not None and (not inside or prefix == "B" or entity != kind):
            close(len(tokens))
        if inside and start is None:  # a stray I opens a span, as seqeval does
            start, kind = len(tokens), entity
        tokens.append(parts[0])
    flush()
    return sentences
