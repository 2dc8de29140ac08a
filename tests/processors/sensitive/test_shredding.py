"""Sealing with a per-profile key: round trip, bound to the profile, unreadable once the key is gone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from processors.sensitive.shredding import Unreadable, is_sealed, new_key, seal, unseal


@given(st.text(max_size=300))
def test_a_sealed_document_opens_with_its_key_only(text: str) -> None:
    key = new_key()
    sealed = seal(key, "pr-1", text)
    assert is_sealed(sealed) and unseal(key, "pr-1", sealed) == text
    assert len(text) < 8 or text not in sealed
    with pytest.raises(Unreadable):
        unseal(new_key(), "pr-1", sealed)
    with pytest.raises(Unreadable):
        unseal(key, "pr-2", sealed)  # bound to its profile: no replay under another id
    with pytest.raises(Unreadable):
        unseal(None, "pr-1", sealed)  # erased


def test_documents_from_before_sealing_are_read_as_they_are() -> None:
    assert unseal(None, "pr-1", '{"id": "pr-1"}') == '{"id": "pr-1"}'
