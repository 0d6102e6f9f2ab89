"""The one settings class, read from `HAOCHA_*` environment variables (and `.env`)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]
_DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused outside development below
# Fernet key derived from _DEV_SECRET (see core/crypto.derived_dev_key); refused in production.
_DEV_FERNET_KEY = "n6yKQaDRbxGBwkTkaJVd5iqlZJmUGr1KDJkq2ZKTBic="


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HAOCHA_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'haocha.db'}"
    redis_url: str | None = None
    redis_prefix: str = "haocha:"

    # Keys: one for signing tokens and cookies, one for the keyed hashes of phone numbers
    # and network addresses. Kept apart so rotating the session key never breaks lookups.
    secret_key: SecretStr = SecretStr(_DEV_SECRET)
    hash_key: SecretStr = SecretStr(_DEV_SECRET)
    # Fernet keys (comma-separated, newest first) for the encrypted phone copies that the
    # bad-review loop needs to send an SMS later (core/crypto.py). The default is derived
    # from the development secret and refused in production.
    encryption_keys: SecretStr = SecretStr(_DEV_FERNET_KEY)

    sms_backend: Literal["file", "http"] = "file"
    sms_outbox: Path = PROJECT_ROOT / "var" / "sms-outbox.jsonl"
    sms_gateway_url: str | None = None
    sms_gateway_token: SecretStr | None = None

    login_code_ttl_seconds: int = 300
    login_code_max_attempts: int = 5
    access_token_ttl_seconds: int = 30 * 24 * 3600

    # Fixed windows of (count, seconds). Tight per phone to stop SMS pumping; looser per
    # address because a whole residential compound may share one carrier-grade NAT address.
    limit_code_per_phone: tuple[int, int] = (5, 3600)
    limit_code_per_phone_burst: tuple[int, int] = (1, 60)
    limit_code_per_address: tuple[int, int] = (30, 3600)
    limit_token_per_address: tuple[int, int] = (60, 3600)
    limit_review_per_resident: tuple[int, int] = (10, 3600)
    limit_review_per_address: tuple[int, int] = (60, 3600)

    # Without Redis the web process runs the periodic jobs itself (worker.py); test servers
    # turn that off so that no job writes while a test is in its transaction.
    jobs_in_process: bool = True
    review_repeat_days: int = 30
    # A provider must answer a 差评 (levels 1-2) within this many Chinese working days
    # after the day it was posted, or it goes to the sector regulator (reviews/loop.py).
    bad_review_answer_working_days: int = Field(default=3, ge=1, le=30)
    # A QR invitation (a provider's poster or a staff member's screen) is good for one
    # review within this time: long enough to review after the visit, short enough that a
    # photographed code is soon worthless.
    invitation_ttl_seconds: int = Field(default=2 * 3600, ge=60)
    # The site's address as residents reach it, printed in the posters' QR codes; unset,
    # the address of the request that made the poster.
    public_base_url: str | None = None
    max_body_bytes: int = 64 * 1024
    page_size: int = 20
    # Open data: below this many counted reviews a provider's score is withheld and a
    # sector × district × month cell is suppressed (issue 7).
    open_data_min_reviews: int = Field(default=10, ge=2)
    open_data_snapshot_dir: Path = PROJECT_ROOT / "var" / "open-snapshots"
    # The review scorer's model file (haocha.ml.scorer), written by `haocha ml train`.
    ml_model_path: Path = PROJECT_ROOT / "ml" / "models" / "review-scorer.joblib"
    # ML (issue 5): a review whose fake probability reaches the first threshold is flagged
    # for the regulators, the second also holds it out of the scores until one decides.
    ml_flag_threshold: float = Field(default=0.5, ge=0, le=1)
    ml_hold_threshold: float = Field(default=0.9, ge=0, le=1)
    # 差评 (levels 1-2) are flagged only from a higher fake probability and never held by
    # the model alone: the training data (dp_cdc) labels low ratings fake far more often,
    # so the model over-suspects genuine complaints, and hiding one silences a resident.
    ml_flag_threshold_bad: float = Field(default=0.8, ge=0, le=1)
    ml_prepaid_threshold: float = Field(default=0.5, ge=0, le=1)
    # Send each new review to the ML job after its commit (test servers turn it off and
    # call the jobs themselves, inside the test's transaction).
    ml_dispatch: bool = True
    demo_banner: bool = True
    secure_cookies: bool = Field(default=False)

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Self:
        if self.environment == "production":
            for name in ("secret_key", "hash_key", "encryption_keys"):
                if getattr(self, name).get_secret_value() in (_DEV_SECRET, _DEV_FERNET_KEY):
                    raise ValueError(f"HAOCHA_{name.upper()} must be set in production")
            if self.sms_backend == "file":
                raise ValueError("HAOCHA_SMS_BACKEND=file is for development and tests")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
