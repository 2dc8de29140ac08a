"""Evaluation is a value object built by keyword: eleven positional fields were easy to swap."""

from __future__ import annotations

import pytest

from processors.scoring.evaluation import Evaluation


def test_an_evaluation_refuses_positional_fields() -> None:
    with pytest.raises(TypeError):
        Evaluation(*([None] * 11))  # type: ignore[call-arg]
