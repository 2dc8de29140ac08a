"""What changed between two derivation versions of a posting, field by field and layer by layer."""

from __future__ import annotations

from typing import Any

from processors.pipeline.work import PriorDerivation

LAYERS = ("skill", "experience", "certification", "track_record", "requirement_strength", "flags")
SCALARS = ("summary", "culture_text", "ihl_score", "red_flag_category", "ghost_score")


def _layer(stack: dict[str, Any] | None, layer: str) -> Any:
    if not stack:
        return None
    value = stack.get(layer)
    if isinstance(value, dict):
        # Confidence moves on every model change; the diff shows what was read, not how sure.
        return {k: v for k, v in value.items() if k != "confidence"} or None
    return value


def diff(a: PriorDerivation, b: PriorDerivation) -> dict[str, Any]:
    changes: list[dict[str, Any]] = []
    for field in SCALARS:
        old, new = getattr(a, field), getattr(b, field)
        if old != new:
            changes.append({"field": field, "from": old, "to": new})
    if a.responsibilities != b.responsibilities:
        changes.append({"field": "responsibilities", "from": a.responsibilities, "to": b.responsibilities})
    ra, rb = a.requirements, b.requirements
    for i in range(max(len(ra), len(rb))):
        old_r = ra[i] if i < len(ra) else None
        new_r = rb[i] if i < len(rb) else None
        if old_r is None or new_r is None or old_r["text"] != new_r["text"]:
            changes.append(
                {
                    "field": f"requirements[{i}]",
                    "from": old_r["text"] if old_r else None,
                    "to": new_r["text"] if new_r else None,
                }
            )
            continue
        sa, sb = old_r.get("proof_stacks") or [], new_r.get("proof_stacks") or []
        for alt in range(max(len(sa), len(sb))):
            xa = sa[alt] if alt < len(sa) else None
            xb = sb[alt] if alt < len(sb) else None
            for layer in LAYERS:
                old, new = _layer(xa, layer), _layer(xb, layer)
                if old != new:
                    where = f"requirements[{i}]" + (f"/{alt}" if alt else "")
                    changes.append(
                        {"field": f"{where}.{layer}", "text": new_r["text"], "from": old, "to": new}
                    )
    skills_a = {(s.get("code"), s.get("name")) for s in a.skills}
    skills_b = {(s.get("code"), s.get("name")) for s in b.skills}
    if skills_a != skills_b:
        changes.append(
            {
                "field": "skills",
                "added": sorted(n for _, n in skills_b - skills_a),
                "removed": sorted(n for _, n in skills_a - skills_b),
            }
        )
    return {"from_version": a.version, "to_version": b.version, "changes": changes}
