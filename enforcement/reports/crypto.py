"""The reporter's identity at rest (ADR 0029): cryptography's MultiFernet with keys from
the environment (settings.REPORT_IDENTITY_KEYS, the first encrypts, every one decrypts),
and an HMAC-SHA256 keyed hash for the one lookup by phone number. No home-made crypto:
Fernet is AES-128-CBC with HMAC-SHA256 and a timestamp; the hash key is separate from the
encryption keys so rotating one never touches the other.

Without configured keys (the demo, tests) both are derived from SECRET_KEY with HKDF; a
deployment sets PORTAL_REPORT_IDENTITY_KEYS and PORTAL_REPORT_LOOKUP_HASH_KEY."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derived(purpose: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"safetyportal-reports", info=purpose
    ).derive(settings.SECRET_KEY.encode())


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        keys = (base64.urlsafe_b64encode(_derived(b"identity-encryption")).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.REPORT_IDENTITY_KEYS))


def encrypt(value: str) -> str:
    """The Fernet token of `value` (text); empty stays empty (nothing given)."""
    if not value:
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The clear text of a token; "" for none; a token no configured key opens raises
    InvalidToken (a lost key: nobody can read the identity, which is the point)."""
    if not token:
        return ""
    return fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The token re-encrypted under the first key (MultiFernet.rotate)."""
    if not token:
        return ""
    return fernet().rotate(token.encode()).decode()


def _hash_key() -> bytes:
    configured = settings.REPORT_LOOKUP_HASH_KEY
    return configured.encode() if configured else _derived(b"phone-lookup-hash")


def normalise_phone(phone: str) -> str:
    """Digits only, without a leading +86 / 0086 (so 138-0000-0000 and +86 13800000000
    hash the same)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
    return digits


def phone_hash(phone: str) -> str:
    """The keyed hash used to find a reporter's other reports by phone; "" for none."""
    digits = normalise_phone(phone)
    if not digits:
        return ""
    return hmac.new(_hash_key(), digits.encode(), hashlib.sha256).hexdigest()


__all__ = ["InvalidToken", "decrypt", "encrypt", "phone_hash", "rotate"]
