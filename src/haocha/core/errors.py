"""Domain errors carry a catalogue key, so the edge can say them in the reader's language."""

from typing import ClassVar


class DomainError(Exception):
    status_code: ClassVar[int] = 400
    message_key: ClassVar[str] = "error.validation"

    def __init__(self, **params: object) -> None:
        super().__init__(self.message_key)
        self.params = params


class NotFound(DomainError):
    status_code = 404
    message_key = "error.not_found"


class RateLimited(DomainError):
    status_code = 429
    message_key = "error.rate_limited"

    def __init__(self, *, seconds: int) -> None:
        super().__init__(seconds=seconds)
        self.retry_after = seconds


class Unauthenticated(DomainError):
    status_code = 401
    message_key = "error.unauthenticated"


class CsrfRejected(DomainError):
    status_code = 403
    message_key = "error.csrf"
