"""Resident login with one-time SMS codes, and access tokens."""

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from haocha.accounts.models import LoginCode, Resident
from haocha.accounts.phone import normalise_phone
from haocha.accounts.sms import SmsSender
from haocha.core import clock, crypto
from haocha.core.cache import KeyValueStore
from haocha.core.errors import DomainError
from haocha.core.ratelimit import enforce
from haocha.core.security import TokenSigner, keyed_hash, random_code
from haocha.core.settings import Settings


class InvalidPhone(DomainError):
    status_code = 422
    message_key = "error.phone_invalid"


class InvalidCode(DomainError):
    status_code = 400
    message_key = "error.code_invalid"


class MalformedCode(DomainError):
    status_code = 422
    message_key = "error.code_format"


def phone_hash(settings: Settings, raw_phone: str) -> tuple[str, str]:
    """(normalised number, its keyed hash); raises InvalidPhone."""
    phone = normalise_phone(raw_phone)
    if phone is None:
        raise InvalidPhone()
    return phone, keyed_hash(settings.hash_key.get_secret_value(), "phone", phone)


def _code_hash(settings: Settings, subject: str, code: str) -> str:
    return keyed_hash(settings.hash_key.get_secret_value(), "login-code", f"{subject}:{code}")


RESIDENT_CODE_TEXT = "【好差评】您的登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。"


def send_code(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    sender: SmsSender,
    phone: str,
    subject: str,
    text: str,
    client_hash: str,
) -> int:
    """Text a fresh one-time code to the normalised `phone`; return its lifetime in seconds.

    `subject` is what the code proves (a keyed hash: the resident's phone hash for a
    resident login; the provider portal uses hashes of its own purposes, so a code sent for
    one purpose never works for another). `text` holds `{code}` and `{minutes}`. The
    limits count per phone, whatever the purpose, since SMS pumping costs the same."""
    phone_h = keyed_hash(settings.hash_key.get_secret_value(), "phone", phone)
    enforce(store, "code-address", client_hash, settings.limit_code_per_address)
    enforce(store, "code-phone-burst", phone_h, settings.limit_code_per_phone_burst)
    enforce(store, "code-phone", phone_h, settings.limit_code_per_phone)
    now = clock.now()
    # A new code retires the older ones, so only the latest text message works.
    for old in session.exec(
        select(LoginCode).where(LoginCode.phone_hash == subject, col(LoginCode.used_at).is_(None))
    ):
        old.used_at = now
    code = random_code()
    ttl = settings.login_code_ttl_seconds
    session.add(
        LoginCode(
            phone_hash=subject,
            code_hash=_code_hash(settings, subject, code),
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    session.flush()
    sender.send(phone, text.format(code=code, minutes=ttl // 60))
    return ttl


def check_code(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    subject: str,
    code: str,
    client_hash: str,
) -> None:
    """Accept the latest code sent for `subject` (single use, expiring, limited tries) and
    mark it used; raise MalformedCode or InvalidCode otherwise."""
    enforce(store, "token-address", client_hash, settings.limit_token_per_address)
    code = code.strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise MalformedCode()
    now = clock.now()
    login = session.exec(
        select(LoginCode)
        .where(LoginCode.phone_hash == subject, col(LoginCode.used_at).is_(None))
        .order_by(col(LoginCode.id).desc())
        .limit(1)
    ).first()
    if login is None or clock.as_utc(login.expires_at) <= now:
        raise InvalidCode()
    # Wrong guesses are counted in the store rather than the row: a failed attempt raises,
    # and the request's transaction (with any row update) is rolled back.
    tries = store.hit(f"code-tries:{login.id}", settings.login_code_ttl_seconds)
    if tries > settings.login_code_max_attempts:
        raise InvalidCode()
    if login.code_hash != _code_hash(settings, subject, code):
        raise InvalidCode()
    login.used_at = now


def request_code(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    sender: SmsSender,
    raw_phone: str,
    client_hash: str,
) -> int:
    """Send a fresh code; return its lifetime in seconds."""
    phone, phone_h = phone_hash(settings, raw_phone)
    return send_code(
        session,
        settings=settings,
        store=store,
        sender=sender,
        phone=phone,
        subject=phone_h,
        text=RESIDENT_CODE_TEXT,
        client_hash=client_hash,
    )


def verify_code(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    raw_phone: str,
    code: str,
    client_hash: str,
) -> Resident:
    """Check a code (single use, expiring, limited tries) and return the resident."""
    phone, phone_h = phone_hash(settings, raw_phone)
    check_code(
        session,
        settings=settings,
        store=store,
        subject=phone_h,
        code=code,
        client_hash=client_hash,
    )
    resident = _get_or_create_resident(session, phone_h)
    resident.last_login_at = clock.now()
    # Re-encrypted at every login, so a rotated key reaches active residents by itself.
    resident.phone_encrypted = crypto.encrypt(settings, phone)
    session.flush()
    return resident


def _get_or_create_resident(session: Session, phone_h: str) -> Resident:
    resident = session.exec(select(Resident).where(Resident.phone_hash == phone_h)).first()
    if resident is not None:
        return resident
    try:
        with session.begin_nested():
            resident = Resident(phone_hash=phone_h)
            session.add(resident)
    except IntegrityError:
        # Two first logins of one number raced; the other one created the row.
        return session.exec(select(Resident).where(Resident.phone_hash == phone_h)).one()
    return resident


def access_tokens(settings: Settings) -> TokenSigner:
    return TokenSigner(settings.secret_key.get_secret_value(), salt="resident-access")


def issue_token(settings: Settings, resident: Resident) -> str:
    return access_tokens(settings).dumps({"rid": resident.id})


def resident_from_token(session: Session, settings: Settings, token: str) -> Resident | None:
    payload = access_tokens(settings).loads(token, max_age=settings.access_token_ttl_seconds)
    if payload is None or not isinstance(payload.get("rid"), int):
        return None
    return session.get(Resident, payload["rid"])


def purge_expired_codes(session: Session, *, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete login codes expired for a while (kept a day so support can see failed logins)."""
    cutoff = clock.now() - older_than
    result = session.execute(delete(LoginCode).where(col(LoginCode.expires_at) < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]
