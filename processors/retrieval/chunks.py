"""Structure-aware chunking of markdown documents (seed 003 §3.2, §4).

Headings split a document into sections; a chunk never crosses a heading. Within a
section paragraphs are grouped whole, aiming at an even size between `min_words` and
`max_words` (a section of 1,000 words gives two chunks of ~500, not 800 and 200). A
paragraph longer than `max_words` stays one chunk: paragraph boundaries win over size.

Overlap (the seed: one paragraph, "only if the section is long and coherence suffers")
is read as: the section needs more than one chunk, and the paragraph where it is cut
announces what follows (ends in a colon) or stops mid-sentence (no closing punctuation).
That paragraph is then repeated at the start of the next chunk.

Chunk ids are derived from the artifact, position and content, so rebuilding the index
from the same files yields the same ids (seed 003 §10).
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from processors.retrieval.model import Candidate, EvidencePointer, UnitKind

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ENDS_THOUGHT = re.compile(r"[.!?\u2026\"'\u201d\u2019)\]`*_|]\s*$")
_CHUNK_NAMESPACE = uuid.UUID("6f1b7c1e-3a53-4f4e-9a55-2f1f0c0de003")


class DocumentChunk(BaseModel):
    model_config = ConfigDict(frozen=True)

    chunk_id: str
    artifact_id: str
    relative_path: str
    heading_path: str  # "H1 > H2 > H3"; empty before the first heading
    start_line: int  # 1-based, inclusive
    end_line: int
    text: str
    content_hash: str

    def embedding_text(self) -> str:
        """The payload embedded for this chunk (seed 003 §3.2)."""
        return f"[DOC_CHUNK]\nPath: {self.relative_path}\nHeading: {self.heading_path}\nContent: {self.text}"

    def evidence(self) -> EvidencePointer:
        return EvidencePointer(
            kind=UnitKind.CHUNK,
            relative_path=self.relative_path,
            start_line=self.start_line,
            end_line=self.end_line,
            heading_path=self.heading_path,
        )

    def candidate(self, score: float) -> Candidate:
        return Candidate(
            id=self.chunk_id,
            kind=UnitKind.CHUNK,
            score=score,
            evidence=self.evidence(),
            text=self.text,
            heading_path=self.heading_path,
        )


@dataclass(frozen=True)
class _Paragraph:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def chunk_markdown(
    text: str, artifact_id: str, relative_path: str, *, min_words: int = 300, max_words: int = 800
) -> list[DocumentChunk]:
    if not 0 < min_words <= max_words:
        raise ValueError("need 0 < min_words <= max_words")
    chunks = []
    for heading_path, paragraphs in _sections(text):
        for group in _group(paragraphs, min_words, max_words):
            body = "\n\n".join(p.text for p in group)
            digest = hashlib.sha256(" ".join(body.split()).encode()).hexdigest()
            start, end = group[0].start, group[-1].end
            chunks.append(
                DocumentChunk(
                    chunk_id=str(uuid.uuid5(_CHUNK_NAMESPACE, f"{artifact_id}\n{start}\n{end}\n{digest}")),
                    artifact_id=artifact_id,
                    relative_path=relative_path,
                    heading_path=heading_path,
                    start_line=start,
                    end_line=end,
                    text=body,
                    content_hash=digest,
                )
            )
    return chunks


def _sections(text: str) -> list[tuple[str, list[_Paragraph]]]:
    """(heading path, paragraphs) per section, in document order; fenced code is one paragraph."""
    sections: list[tuple[str, list[_Paragraph]]] = [("", [])]
    headings: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []
    fenced = False

    def close_block() -> None:
        if block:
            body = "\n".join(line for _, line in block).strip()
            if body:
                sections[-1][1].append(_Paragraph(block[0][0], block[-1][0], body))
            block.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            block.append((number, line))
            continue
        heading = None if fenced else _HEADING.match(line)
        if heading:
            close_block()
            level = len(heading.group(1))
            headings = [h for h in headings if h[0] < level] + [(level, heading.group(2))]
            sections.append((" > ".join(name for _, name in headings), []))
        elif not fenced and not line.strip():
            close_block()
        else:
            block.append((number, line))
    close_block()
    return [(path, paragraphs) for path, paragraphs in sections if paragraphs]


def _group(paragraphs: list[_Paragraph], min_words: int, max_words: int) -> list[list[_Paragraph]]:
    total = sum(p.words for p in paragraphs)
    pieces = max(1, math.ceil(total / max_words))
    target = max(min_words, math.ceil(total / pieces))
    groups: list[list[_Paragraph]] = []
    current: list[_Paragraph] = []
    fresh = 0  # paragraphs in `current` not carried over from the previous chunk
    for paragraph in paragraphs:
        size = sum(p.words for p in current)
        if fresh and (size >= target or size + paragraph.words > max_words):
            groups.append(current)
            last = current[-1]
            carried = pieces > 1 and not _ENDS_THOUGHT.search(last.text)
            current, fresh = ([last] if carried else []), 0
        current.append(paragraph)
        fresh += 1
    if fresh:
        groups.append(current)
    return groups
