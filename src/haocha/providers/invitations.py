"""QR invitations: a one-time, signed, expiring token bound to one service event. A review
made with one is stored as verified (DESIGN.md: one review per resident per provider per
service event).

Two ways to get one: the provider's printed poster carries a stable scan address
(`/scan/{provider_id}/{signature}`) and every scan of it issues a fresh invitation; or a
staff member issues one from the portal and shows its QR code on screen. Either way the
resident lands on the review form with the token, and `submit_review` consumes it in the
review's own transaction."""

import hmac
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Column, DateTime, update
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, Session, SQLModel, col

from haocha.core import clock
from haocha.core.errors import DomainError, NotFound
from haocha.core.security import TokenSigner, keyed_hash
from haocha.core.settings import Settings
from haocha.providers.models import Provider

# itsdangerous checks its own timestamp against the wall clock; the row's expires_at (read
# through haocha.core.clock) is the expiry that counts. The signature's age is only a
# backstop, generous so that an expired token is reported as expired, not as forged.
_SIGNATURE_MAX_AGE = 7 * 24 * 3600
_POSTER_SIGNATURE_LENGTH = 20  # hex characters: 80 bits, and a short URL for a small QR code
# Scans of one poster from one address per hour: a shop's Wi-Fi puts all its customers
# behind one address, but nobody needs hundreds of invitations.
SCAN_LIMIT_PER_ADDRESS = (30, 3600)


class InvitationSource(StrEnum):
    poster = "poster"  # a scan of the printed poster
    staff = "staff"  # issued by a staff member for one customer, shown on screen


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    # Random, and part of the signed token: a token names this row and no other, even if
    # ids are reused after a database is rebuilt.
    nonce: str = Field(max_length=32)
    source: InvitationSource = Field(sa_type=SAEnum(InvitationSource, native_enum=False, length=16))
    issued_by: int | None = Field(default=None, foreign_key="provider_user.id")
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    used_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    review_id: int | None = Field(default=None, foreign_key="review.id", index=True)


class InvitationForged(DomainError):
    status_code = 400
    message_key = "error.invitation_forged"


class InvitationExpired(DomainError):
    status_code = 410
    message_key = "error.invitation_expired"


class InvitationUsed(DomainError):
    status_code = 409
    message_key = "error.invitation_used"


class InvitationWrongProvider(DomainError):
    status_code = 422
    message_key = "error.invitation_wrong_provider"


class PosterLinkInvalid(NotFound):
    message_key = "error.poster_link_invalid"


class InvitationNotFound(NotFound):
    message_key = "error.invitation_not_found"


def _signer(settings: Settings) -> TokenSigner:
    return TokenSigner(settings.secret_key.get_secret_value(), salt="provider-invitation")


# -- the poster's stable address -------------------------------------------------------


def poster_signature(settings: Settings, provider_id: int) -> str:
    """Proves the scan address was printed by us for this provider: nobody can make a
    working poster for a listing by guessing its id."""
    digest = keyed_hash(settings.secret_key.get_secret_value(), "poster", str(provider_id))
    return digest[:_POSTER_SIGNATURE_LENGTH]


def scan_path(settings: Settings, provider_id: int) -> str:
    return f"/scan/{provider_id}/{poster_signature(settings, provider_id)}"


def check_poster(settings: Settings, provider_id: int, signature: str) -> None:
    if not hmac.compare_digest(poster_signature(settings, provider_id), signature):
        raise PosterLinkInvalid()


# -- issuing, reading and consuming ----------------------------------------------------


def issue(
    session: Session,
    *,
    settings: Settings,
    provider: Provider,
    source: InvitationSource,
    issued_by: int | None = None,
) -> Invitation:
    """A fresh invitation for one service event at `provider`."""
    assert provider.id is not None  # noqa: S101 - a loaded provider has an id
    now = clock.now()
    invitation = Invitation(
        provider_id=provider.id,
        nonce=secrets.token_urlsafe(16),
        source=source,
        issued_by=issued_by,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.invitation_ttl_seconds),
    )
    session.add(invitation)
    session.flush()
    return invitation


def token_for(settings: Settings, invitation: Invitation) -> str:
    """The signed token that stands for `invitation` in links and QR codes."""
    return _signer(settings).dumps({"i": invitation.id, "n": invitation.nonce})


def resolve(session: Session, *, settings: Settings, token: str, provider_id: int) -> Invitation:
    """The unused, unexpired invitation of `provider_id` behind `token`; otherwise one of
    InvitationForged, InvitationWrongProvider, InvitationUsed, InvitationExpired."""
    payload = _signer(settings).loads(token.strip(), max_age=_SIGNATURE_MAX_AGE)
    if payload is None:
        raise InvitationForged()
    invitation_id, nonce = payload.get("i"), payload.get("n")
    if not isinstance(invitation_id, int) or not isinstance(nonce, str):
        raise InvitationForged()
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or not hmac.compare_digest(invitation.nonce, nonce):
        raise InvitationForged()
    if invitation.provider_id != provider_id:
        raise InvitationWrongProvider()
    if invitation.used_at is not None:
        raise InvitationUsed()
    if clock.as_utc(invitation.expires_at) <= clock.now():
        raise InvitationExpired()
    return invitation


def consume(session: Session, invitation: Invitation, *, review_id: int) -> None:
    """Mark the invitation used by `review_id`, or raise if another request got there first.

    One conditional UPDATE: of two concurrent uses, the second waits on the row lock the
    first one's UPDATE holds (PostgreSQL; SQLite writes one at a time anyway), then finds
    `used_at` set and changes nothing, so exactly one review is stored with it."""
    now = clock.now()
    result = session.execute(
        update(Invitation)
        .where(
            col(Invitation.id) == invitation.id,
            col(Invitation.used_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(used_at=now, review_id=review_id)
        # The row is refreshed below; evaluating the WHERE in Python would compare SQLite's
        # naive datetimes with aware ones.
        .execution_options(synchronize_session=False)
    )
    session.refresh(invitation)
    if int(result.rowcount) != 1:  # type: ignore[attr-defined]
        raise InvitationUsed() if invitation.used_at is not None else InvitationExpired()


def provider_invitation(session: Session, provider_id: int, invitation_id: int) -> Invitation:
    """One of the provider's invitations; another provider's reads as missing."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.provider_id != provider_id:
        raise InvitationNotFound()
    return invitation
