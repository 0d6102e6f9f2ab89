"""Encrypted copies of phone numbers, for the few places that must send an SMS later (the
bad-review loop, a provider's registered phone). Fernet keys from the settings: the first
encrypts, all decrypt, so a key is rotated by putting a new one first and re-encrypting
(`rotate`) before the old one is dropped."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from haocha.core.settings import Settings


class DecryptionFailed(Exception):
    """The ciphertext was made with a key the settings no longer hold, or was altered."""


def _keys(settings: Settings) -> list[Fernet]:
    raw = settings.encryption_keys.get_secret_value()
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    return [Fernet(k.encode()) for k in keys]


def _cipher(settings: Settings) -> MultiFernet:
    return MultiFernet(_keys(settings))


def encrypt(settings: Settings, plaintext: str) -> str:
    return _cipher(settings).encrypt(plaintext.encode()).decode()


def decrypt(settings: Settings, token: str) -> str:
    try:
        return _cipher(settings).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("cannot decrypt with the configured keys") from exc


def rotate(settings: Settings, token: str) -> str:
    """The same plaintext under the first (newest) key."""
    try:
        return _cipher(settings).rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("cannot decrypt with the configured keys") from exc


def derived_dev_key(secret: str) -> str:
    """A valid Fernet key derived from a development secret (never used in production)."""
    return base64.urlsafe_b64encode(
        hashlib.sha256(b"haocha-fernet:" + secret.encode()).digest()
    ).decode()
