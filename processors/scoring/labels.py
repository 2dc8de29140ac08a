"""Labels and the combined recommendation (seed 001 §7).

The seed's table leaves the middle uncovered (fit 60-74, or a high fit with stretch 60-79);
we fill it so every pair gets one answer:

| fit | stretch | recommendation |
| --- | --- | --- |
| blocked | - | Blocked |
| >= 75 | >= 80 | Top Priority |
| >= 75 | < 80 | Safe Bet |
| < 60 | >= 80 | Stretch Opportunity |
| < 60 | < 60 | Likely Skip |
| otherwise | | Worth a Look |
"""

from __future__ import annotations

from processors.scoring.config import ScoringConfig

BLOCKED = "Blocked"


def label(total: float, thresholds: tuple[tuple[float, str], ...]) -> str:
    for floor, name in thresholds:
        if total >= floor:
            return name
    return thresholds[-1][1]


def fit_label(total: float, config: ScoringConfig) -> str:
    return label(total, config.fit_thresholds)


def stretch_label(total: float, config: ScoringConfig) -> str:
    return label(total, config.stretch_thresholds)


def recommendation(fit: float | None, stretch: float | None) -> str:
    if fit is None or stretch is None:
        return BLOCKED
    if fit >= 75:
        return "Top Priority" if stretch >= 80 else "Safe Bet"
    if fit < 60 and stretch >= 80:
        return "Stretch Opportunity"
    if fit < 60 and stretch < 60:
        return "Likely Skip"
    return "Worth a Look"


def auto_draft(fit: float | None, config: ScoringConfig) -> bool:
    return fit is not None and fit >= config.auto_draft_threshold
