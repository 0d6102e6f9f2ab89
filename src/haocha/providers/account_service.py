"""Provider accounts: claiming a listing with its registered phone, staff logins by SMS code,
the owner's staff list, and portal sessions.

The one-time codes are the residents' (`accounts.service.send_code` / `check_code`: same
limits per phone and address, same expiry, five guesses per code), under subjects of their
own, so a resident's login code never opens the portal and a login code never claims a
listing. On top, a phone that fails MAX_FAILED_CODES codes in a row is locked out of the
portal for LOCKOUT: the count lives in the key-value store, because a refused login rolls
the request's transaction back."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from haocha.accounts.service import InvalidCode, MalformedCode, check_code, phone_hash, send_code
from haocha.accounts.sms import SmsSender
from haocha.core import clock, crypto
from haocha.core.cache import KeyValueStore
from haocha.core.errors import DomainError, NotFound, Unauthenticated
from haocha.core.security import keyed_hash
from haocha.core.settings import Settings
from haocha.moderation import audit
from haocha.providers import credit_code
from haocha.providers.accounts import ProviderRole, ProviderSession, ProviderUser
from haocha.providers.models import Provider

SESSION_TTL = timedelta(hours=8)  # a working day at the counter, as for the console
MAX_FAILED_CODES = 5
LOCKOUT = timedelta(minutes=15)
MAX_STAFF = 50  # a listing is one shop or centre; more logins than this is a mistake

CLAIM_TEXT = (
    "【好差评】您正在认领机构“{name}”的评价管理后台，验证码 {{code}}，{{minutes}} 分钟内有效。"
    "如非本人操作，请忽略。"
)
LOGIN_TEXT = "【好差评】您的机构后台登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。"


class ProviderLoginRequired(Unauthenticated):
    """No valid portal session (a 401; portal pages answer it with the login form)."""

    message_key = "error.provider_login_required"


class CreditCodeInvalid(DomainError):
    status_code = 422
    message_key = "error.credit_code_invalid"


class ListingNotFound(NotFound):
    message_key = "error.listing_not_found"


class ListingClaimed(DomainError):
    status_code = 409
    message_key = "error.listing_claimed"


class ListingHasNoPhone(DomainError):
    status_code = 409
    message_key = "error.listing_no_phone"


class PhoneInUse(DomainError):
    status_code = 409
    message_key = "error.provider_phone_in_use"


class TooManyStaff(DomainError):
    status_code = 409
    message_key = "error.provider_too_many_staff"

    def __init__(self) -> None:
        super().__init__(max=MAX_STAFF)


class OwnerOnly(DomainError):
    status_code = 403
    message_key = "error.provider_owner_only"


class StaffNotFound(NotFound):
    message_key = "error.provider_staff_not_found"


class PortalLocked(DomainError):
    status_code = 423
    message_key = "error.provider_login_locked"

    def __init__(self) -> None:
        super().__init__(minutes=int(LOCKOUT.total_seconds()) // 60)


# -- phones ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredPhone:
    """A phone as the database keeps it."""

    hash: str
    encrypted: str


def store_phone(settings: Settings, raw_phone: str) -> StoredPhone:
    """Keyed hash and Fernet copy of a number; raises InvalidPhone."""
    phone, phone_h = phone_hash(settings, raw_phone)
    return StoredPhone(hash=phone_h, encrypted=crypto.encrypt(settings, phone))


def set_registered_phone(settings: Settings, provider: Provider, raw_phone: str) -> None:
    """Record the listing's registered phone (the demo loader, an administrator, tests)."""
    stored = store_phone(settings, raw_phone)
    provider.phone_hash = stored.hash
    provider.phone_encrypted = stored.encrypted


def register_phone(
    session: Session, settings: Settings, provider: Provider, raw_phone: str
) -> tuple[str | None, str]:
    """An administrator records (or corrects) a listing's registered phone, the number on
    file with its business registration that a claim code goes to; audited, the numbers
    only masked. Returns (old, new) masked. Raises InvalidPhone."""
    old = registered_phone_masked(settings, provider)
    set_registered_phone(settings, provider, raw_phone)
    session.add(provider)
    new = registered_phone_masked(settings, provider)
    assert new is not None  # noqa: S101 - set just above
    audit.record(
        session,
        actor=None,
        action="provider.registered_phone",
        target_type="provider",
        target_id=provider.id,
        before={"phone": old},
        after={"phone": new},
    )
    session.flush()
    return old, new


def registered_phone_masked(settings: Settings, provider: Provider) -> str | None:
    if provider.phone_encrypted is None:
        return None
    return mask_phone(crypto.decrypt(settings, provider.phone_encrypted))


def mask_phone(phone: str) -> str:
    """138****0000: enough for the owner to recognise the number, too little to call it."""
    return f"{phone[:3]}****{phone[-4:]}"


def masked_phone(settings: Settings, user: ProviderUser) -> str:
    return mask_phone(crypto.decrypt(settings, user.phone_encrypted))


def _subject(settings: Settings, purpose: str, value: str) -> str:
    return keyed_hash(settings.hash_key.get_secret_value(), purpose, value)


# -- lockout ---------------------------------------------------------------------------


def _failures_key(phone_h: str) -> str:
    return f"provider-code-failures:{phone_h}"


def _check_not_locked(store: KeyValueStore, phone_h: str) -> None:
    failures = store.get(_failures_key(phone_h))
    if failures is not None and int(failures) >= MAX_FAILED_CODES:
        raise PortalLocked()


def _checked_code(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    phone_h: str,
    subject: str,
    code: str,
    client_hash: str,
) -> None:
    """`check_code`, counting wrong codes against the phone and locking it at the limit.

    The window starts at the first failure and is not extended by later ones, so the lock
    ends LOCKOUT after it began."""
    _check_not_locked(store, phone_h)
    try:
        check_code(
            session,
            settings=settings,
            store=store,
            subject=subject,
            code=code,
            client_hash=client_hash,
        )
    except (InvalidCode, MalformedCode):
        failures = store.hit(_failures_key(phone_h), int(LOCKOUT.total_seconds()))
        if failures >= MAX_FAILED_CODES:
            raise PortalLocked() from None
        raise
    store.delete(_failures_key(phone_h))


# -- claiming a listing ----------------------------------------------------------------


def find_listing(session: Session, raw_credit_code: str) -> Provider:
    """The listing with this unified social credit code (checked by GB 32100 first, so a
    typo is told apart from an unknown code)."""
    code = credit_code.normalise(raw_credit_code)
    if not credit_code.is_valid(code):
        raise CreditCodeInvalid()
    provider = session.exec(select(Provider).where(Provider.credit_code == code)).first()
    if provider is None:
        raise ListingNotFound()
    return provider


def _claimable(settings: Settings, provider: Provider) -> str:
    """The registered phone of an unclaimed listing, decrypted."""
    if provider.claimed_at is not None:
        raise ListingClaimed()
    if provider.phone_encrypted is None:
        raise ListingHasNoPhone()
    return crypto.decrypt(settings, provider.phone_encrypted)


@dataclass(frozen=True)
class ClaimStarted:
    provider: Provider
    masked_phone: str
    ttl_seconds: int


def claim_target(session: Session, *, settings: Settings, raw_credit_code: str) -> ClaimStarted:
    """The listing a claim is for and its masked phone, without sending anything (the code
    form shown again after a wrong code)."""
    provider = find_listing(session, raw_credit_code)
    phone = _claimable(settings, provider)
    return ClaimStarted(
        provider=provider,
        masked_phone=mask_phone(phone),
        ttl_seconds=settings.login_code_ttl_seconds,
    )


def start_claim(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    sender: SmsSender,
    raw_credit_code: str,
    client_hash: str,
) -> ClaimStarted:
    """Text a claim code to the listing's registered phone; the claimant sees it masked."""
    provider = find_listing(session, raw_credit_code)
    phone = _claimable(settings, provider)
    ttl = send_code(
        session,
        settings=settings,
        store=store,
        sender=sender,
        phone=phone,
        subject=_subject(settings, "provider-claim", f"{provider.id}:{phone}"),
        text=CLAIM_TEXT.format(name=provider.name),
        client_hash=client_hash,
    )
    return ClaimStarted(provider=provider, masked_phone=mask_phone(phone), ttl_seconds=ttl)


def finish_claim(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    raw_credit_code: str,
    code: str,
    client_hash: str,
) -> ProviderUser:
    """Check the claim code; the claimant becomes the listing's owner, bound to the
    registered phone (they log in with it from now on)."""
    provider = find_listing(session, raw_credit_code)
    phone = _claimable(settings, provider)
    stored = store_phone(settings, phone)
    _checked_code(
        session,
        settings=settings,
        store=store,
        phone_h=stored.hash,
        subject=_subject(settings, "provider-claim", f"{provider.id}:{phone}"),
        code=code,
        client_hash=client_hash,
    )
    _check_phone_free(session, stored.hash)
    now = clock.now()
    # Conditional: of two claims racing with valid codes, one sets claimed_at and the
    # other changes nothing and is told the listing is taken.
    claimed = session.execute(
        update(Provider)
        .where(col(Provider.id) == provider.id, col(Provider.claimed_at).is_(None))
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)  # refreshed below
    )
    if int(claimed.rowcount) != 1:  # type: ignore[attr-defined]
        raise ListingClaimed()
    session.refresh(provider)
    owner = ProviderUser(
        provider_id=provider.id or 0,
        role=ProviderRole.owner,
        phone_hash=stored.hash,
        phone_encrypted=stored.encrypted,
        last_login_at=now,
    )
    session.add(owner)
    session.flush()
    return owner


def _check_phone_free(session: Session, phone_h: str) -> None:
    taken = session.exec(
        select(ProviderUser.id).where(
            ProviderUser.phone_hash == phone_h, col(ProviderUser.removed_at).is_(None)
        )
    ).first()
    if taken is not None:
        raise PhoneInUse()


# -- logging in by phone ---------------------------------------------------------------


def _active_user(session: Session, phone_h: str) -> ProviderUser | None:
    return session.exec(
        select(ProviderUser).where(
            ProviderUser.phone_hash == phone_h, col(ProviderUser.removed_at).is_(None)
        )
    ).first()


def request_login_code(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    sender: SmsSender,
    raw_phone: str,
    client_hash: str,
) -> int:
    """Text a login code if the number belongs to a provider account. The answer is the
    same either way (the code's lifetime), so the form cannot be used to find out which
    numbers have accounts."""
    phone, phone_h = phone_hash(settings, raw_phone)
    if _active_user(session, phone_h) is None:
        return settings.login_code_ttl_seconds
    return send_code(
        session,
        settings=settings,
        store=store,
        sender=sender,
        phone=phone,
        subject=_subject(settings, "provider-login", phone),
        text=LOGIN_TEXT,
        client_hash=client_hash,
    )


def verify_login_code(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    raw_phone: str,
    code: str,
    client_hash: str,
) -> ProviderUser:
    phone, phone_h = phone_hash(settings, raw_phone)
    _checked_code(
        session,
        settings=settings,
        store=store,
        phone_h=phone_h,
        subject=_subject(settings, "provider-login", phone),
        code=code,
        client_hash=client_hash,
    )
    user = _active_user(session, phone_h)
    if user is None:
        # Removed between the code and its use: the code is spent, the door stays shut.
        raise InvalidCode()
    user.last_login_at = clock.now()
    session.flush()
    return user


# -- staff -----------------------------------------------------------------------------


def list_staff(session: Session, provider_id: int) -> Sequence[ProviderUser]:
    """The provider's active accounts, owner first."""
    return session.exec(
        select(ProviderUser)
        .where(ProviderUser.provider_id == provider_id, col(ProviderUser.removed_at).is_(None))
        .order_by(col(ProviderUser.role), col(ProviderUser.id))
    ).all()


def _require_owner(user: ProviderUser) -> None:
    if not user.is_owner:
        raise OwnerOnly()


def add_staff(
    session: Session, *, settings: Settings, owner: ProviderUser, raw_phone: str
) -> ProviderUser:
    """A staff login for `raw_phone` at the owner's provider."""
    _require_owner(owner)
    stored = store_phone(settings, raw_phone)
    # The provider's row lock puts one owner's concurrent additions in a line, so the
    # checks below see each other's rows.
    session.exec(select(Provider.id).where(Provider.id == owner.provider_id).with_for_update())
    _check_phone_free(session, stored.hash)
    if len(list_staff(session, owner.provider_id)) > MAX_STAFF:
        raise TooManyStaff()
    staff = ProviderUser(
        provider_id=owner.provider_id,
        role=ProviderRole.staff,
        phone_hash=stored.hash,
        phone_encrypted=stored.encrypted,
    )
    session.add(staff)
    session.flush()
    return staff


def remove_staff(session: Session, *, owner: ProviderUser, user_id: int) -> ProviderUser:
    """End a staff member's access at once: the account is closed and its sessions deleted.
    Another provider's account reads as missing; the owner cannot remove themself."""
    _require_owner(owner)
    staff = session.get(ProviderUser, user_id)
    if (
        staff is None
        or staff.provider_id != owner.provider_id
        or staff.removed_at is not None
        or staff.role != ProviderRole.staff
    ):
        raise StaffNotFound()
    staff.removed_at = clock.now()
    session.execute(delete(ProviderSession).where(col(ProviderSession.user_id) == staff.id))
    session.flush()
    return staff


# -- portal sessions -------------------------------------------------------------------


def _token_hash(token: str) -> str:
    # A plain digest is enough: the token is 256 random bits, nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: ProviderUser, *, ttl: timedelta = SESSION_TTL) -> str:
    """A new portal session; returns the raw token for the cookie (stored only hashed)."""
    if user.id is None:
        raise ValueError("the account must be saved before it can log in")
    token = secrets.token_urlsafe(32)
    session.add(
        ProviderSession(
            token_hash=_token_hash(token), user_id=user.id, expires_at=clock.now() + ttl
        )
    )
    session.flush()
    return token


def _session_row(session: Session, token: str) -> ProviderSession | None:
    if not token or len(token) > 128:
        return None
    return session.exec(
        select(ProviderSession).where(ProviderSession.token_hash == _token_hash(token))
    ).first()


def user_for_token(session: Session, token: str) -> ProviderUser | None:
    """The active account behind a portal token; None if unknown, expired or removed."""
    row = _session_row(session, token)
    if row is None or clock.as_utc(row.expires_at) <= clock.now():
        return None
    user = session.get(ProviderUser, row.user_id)
    if user is None or user.removed_at is not None:
        return None
    return user


def end_session(session: Session, token: str) -> None:
    """Log out: the token stops working at once, whatever the browser keeps."""
    row = _session_row(session, token)
    if row is not None:
        session.delete(row)
        session.flush()


def purge_expired_sessions(session: Session) -> int:
    result = session.execute(
        delete(ProviderSession).where(col(ProviderSession.expires_at) <= clock.now())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
