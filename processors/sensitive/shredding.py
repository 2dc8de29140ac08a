"""Crypto-shredding (GDPR art. 17 on an immutable log): a profile's personal data travels sealed
with a key of its own; destroying the key erases every copy the log keeps, replicas included.

Pure: the key comes in from a `KeyStore` (a port: a table for the embedded stack, a KMS in
production; see docs/access.md). AES-256-GCM, the profile id bound as associated data so a
sealed document cannot be replayed under another profile.
"""

from __future__ import annotations

import base64
import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEALED_PREFIX = "sealed:aes256gcm:v1:"
_NONCE = 12


class KeyStore(Protocol):
    """Where per-profile keys live. `key_for(..., create=True)` makes one when there is none;
    after `destroy` the profile's key is gone for good and `key_for` answers None."""

    def key_for(self, profile_id: str, create: bool = False) -> bytes | None: ...

    def destroy(self, profile_id: str) -> bool: ...


class Unreadable(ValueError):
    """A sealed text whose key is gone (erased) or does not fit."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def is_sealed(text: str) -> bool:
    return text.startswith(SEALED_PREFIX)


def seal(key: bytes, profile_id: str, plaintext: str) -> str:
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), profile_id.encode("utf-8"))
    return SEALED_PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes | None, profile_id: str, text: str) -> str:
    """The plaintext; a text that was never sealed comes back as it is (events from before sealing)."""
    if not is_sealed(text):
        return text
    if key is None:
        raise Unreadable(f"the key of profile {profile_id!r} is gone: its data was erased")
    raw = base64.b64decode(text[len(SEALED_PREFIX) :])
    try:
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], profile_id.encode("utf-8")).decode("utf-8")
    except InvalidTag as exc:
        raise Unreadable(f"the sealed document of profile {profile_id!r} does not open with its key") from exc
