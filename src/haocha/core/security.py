"""Keyed hashes, signed tokens and CSRF tokens. Nothing here knows about residents."""

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def keyed_hash(key: str, purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value`, domain-separated by `purpose` so a phone hash can never be
    matched against an address hash. Hex, 64 characters."""
    msg = f"{purpose}\x00{value}".encode()
    return hmac.new(key.encode(), msg, hashlib.sha256).hexdigest()


def random_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


class TokenSigner:
    """Signed, expiring tokens carrying a small payload (e.g. the resident id)."""

    def __init__(self, secret: str, salt: str) -> None:
        self._s = URLSafeTimedSerializer(secret, salt=salt)

    def dumps(self, payload: dict[str, object]) -> str:
        return self._s.dumps(payload)

    def loads(self, token: str, max_age: int) -> dict[str, object] | None:
        try:
            data = self._s.loads(token, max_age=max_age)
        except (SignatureExpired, BadSignature):
            return None
        return data if isinstance(data, dict) else None


def csrf_token_for(secret: str, browser_id: str) -> str:
    """The form token is bound to the browser's id cookie, so a page on another site can
    neither read it nor mint one."""
    return keyed_hash(secret, "csrf", browser_id)[:40]


def csrf_valid(secret: str, browser_id: str | None, submitted: str | None) -> bool:
    if not browser_id or not submitted:
        return False
    return hmac.compare_digest(csrf_token_for(secret, browser_id), submitted)
