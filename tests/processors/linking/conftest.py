"""The ESCO linker, loaded once per session (the shipped taxonomy and skill matrix, local MiniLM)."""

from __future__ import annotations

import pytest

from infra.linking_index import default_linker
from processors.linking.linker import Linker


@pytest.fixture(scope="session")
def esco_linker() -> Linker:
    return default_linker("esco")
