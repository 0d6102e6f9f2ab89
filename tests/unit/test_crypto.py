"""Encrypted phone copies: round trip, key rotation, and a clear failure on a foreign key."""

import pytest
from pydantic import SecretStr

from haocha.core import crypto
from haocha.core.settings import Settings

OLD = crypto.derived_dev_key("old")
NEW = crypto.derived_dev_key("new")


def _settings(keys: str) -> Settings:
    return Settings(encryption_keys=SecretStr(keys))


def test_round_trip_and_no_plaintext() -> None:
    settings = _settings(NEW)
    token = crypto.encrypt(settings, "13800138000")
    assert "13800138000" not in token
    assert crypto.decrypt(settings, token) == "13800138000"


def test_rotation_keeps_old_copies_readable() -> None:
    old_token = crypto.encrypt(_settings(OLD), "13900000000")
    both = _settings(f"{NEW},{OLD}")
    assert crypto.decrypt(both, old_token) == "13900000000"
    rotated = crypto.rotate(both, old_token)
    assert crypto.decrypt(_settings(NEW), rotated) == "13900000000"


def test_foreign_key_fails_clearly() -> None:
    token = crypto.encrypt(_settings(OLD), "13900000000")
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(_settings(NEW), token)


def test_production_refuses_the_development_key() -> None:
    with pytest.raises(ValueError, match="ENCRYPTION_KEYS"):
        Settings(
            environment="production",
            secret_key=SecretStr("s" * 32),
            hash_key=SecretStr("h" * 32),
            sms_backend="http",
        )
