"""Regulator accounts: creation, login (argon2 password, optional TOTP, lockout) and
console sessions.

Plain functions over a session: they flush, the caller's transaction commits. Every
account change and every login attempt is written to the audit log in that same
transaction, so an action and its record commit or roll back together."""

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator, RegulatorRole, RegulatorSession
from haocha.core import clock
from haocha.core.cache import KeyValueStore
from haocha.core.errors import DomainError, NotFound, Unauthenticated
from haocha.moderation import audit
from haocha.providers.service import DistrictNotFound, SectorNotFound, get_district, get_sector

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_TTL = timedelta(hours=8)  # one working day; the cookie's max-age is the same
MIN_PASSWORD_LENGTH = 12
# argon2 accepts any length; the cap only keeps a pasted document from being hashed.
MAX_PASSWORD_LENGTH = 256
TOTP_ISSUER = "好差评 Haocha"
# A code is accepted one 30-second step either side of now (clock drift on the phone),
# so a used code is remembered for a little longer than those 90 seconds.
_TOTP_REPLAY_SECONDS = 120
# Lowercase ASCII so "Zhang.Wei" and "zhang.wei" cannot be two accounts, and the name is
# safe in logs, audit entries and the otpauth URI.
_USERNAME = re.compile(r"[a-z][a-z0-9._-]{2,31}")

# The parameters are policy: when they change, `authenticate` rehashes each password at
# its owner's next successful login.
PASSWORD_HASHER = PasswordHasher()


class RegulatorNotFound(NotFound):
    message_key = "error.regulator_not_found"


class InvalidUsername(DomainError):
    status_code = 422
    message_key = "error.regulator_username"


class UsernameTaken(DomainError):
    status_code = 409
    message_key = "error.regulator_username_taken"


class InvalidDisplayName(DomainError):
    status_code = 422
    message_key = "error.regulator_display_name"


class WeakPassword(DomainError):
    status_code = 422
    message_key = "error.regulator_password"

    def __init__(self) -> None:
        super().__init__(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)


class UnknownSector(DomainError):
    status_code = 422
    message_key = "error.regulator_unknown_sector"


class UnknownDistrict(DomainError):
    status_code = 422
    message_key = "error.regulator_unknown_district"


class ScopeRequired(DomainError):
    status_code = 422
    message_key = "error.regulator_scope_required"


class AdminScopeGiven(DomainError):
    status_code = 422
    message_key = "error.regulator_admin_scope"


class LoginError(DomainError):
    """A refused login."""


class LoginRefused(LoginError):
    """Wrong name, password or code, or a disabled account: one message for all of them,
    so the form never tells a guesser which part was right."""

    status_code = 400
    message_key = "error.login_failed"


class AccountLocked(LoginError):
    status_code = 423
    message_key = "error.account_locked"

    def __init__(self, *, until: datetime) -> None:
        local = clock.as_utc(until).astimezone(clock.CHINA_TZ)
        super().__init__(until=local.strftime("%Y-%m-%d %H:%M"))
        self.until = until


class ConsoleLoginRequired(Unauthenticated):
    """No valid console session (a 401; console pages may answer it with the login form)."""

    message_key = "error.console_login_required"


class RoleNotAllowed(DomainError):
    status_code = 403
    message_key = "error.role_forbidden"


# -- passwords -----------------------------------------------------------------------


def hash_password(password: str) -> str:
    return PASSWORD_HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return PASSWORD_HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        # InvalidHashError: accounts made without a password carry "!" (see the factory).
        return False


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def check_password(password: str, *, username: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise WeakPassword()
    if password.strip().lower() == username:
        raise WeakPassword()


def normalise_username(raw: str) -> str:
    username = raw.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise InvalidUsername()
    return username


# -- accounts ------------------------------------------------------------------------


def create_regulator(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    role: RegulatorRole,
    sectors: Iterable[str] = (),
    districts: Iterable[str] = (),
    actor: Regulator | None = None,
) -> Regulator:
    """A new account. `actor` None means the admin command line ("system" in the log)."""
    username = normalise_username(username)
    display_name = display_name.strip()
    if not 1 <= len(display_name) <= 64:
        raise InvalidDisplayName()
    check_password(password, username=username)
    # Checked before hashing (the slow part); the savepoint below still catches a race.
    if session.exec(select(Regulator.id).where(Regulator.username == username)).first():
        raise UsernameTaken(username=username)
    sector_codes, district_codes = _scope_codes(session, role, sectors, districts)
    regulator = Regulator(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
        sectors=sector_codes,
        districts=district_codes,
    )
    try:
        with session.begin_nested():
            session.add(regulator)
    except IntegrityError:
        raise UsernameTaken(username=username) from None
    audit.record(
        session,
        actor=actor,
        action="regulator.create",
        target_type="regulator",
        target_id=regulator.id,
        after=account_summary(regulator),
    )
    return regulator


def _scope_codes(
    session: Session, role: RegulatorRole, sectors: Iterable[str], districts: Iterable[str]
) -> tuple[list[str], list[str]]:
    sector_codes = sorted({code.strip() for code in sectors if code.strip()})
    district_codes = sorted({code.strip() for code in districts if code.strip()})
    if role == RegulatorRole.admin:
        # An admin's scope is everything (Scope.unrestricted); a list given here would
        # suggest a limit that no query applies.
        if sector_codes or district_codes:
            raise AdminScopeGiven()
        return [], []
    if not sector_codes or not district_codes:
        raise ScopeRequired()
    for code in sector_codes:
        try:
            get_sector(session, code)
        except SectorNotFound:
            raise UnknownSector(code=code) from None
    for code in district_codes:
        try:
            get_district(session, code)
        except DistrictNotFound:
            raise UnknownDistrict(code=code) from None
    return sector_codes, district_codes


def account_summary(regulator: Regulator) -> dict[str, Any]:
    """What the audit log keeps of an account: never the hash or the TOTP secret."""
    return {
        "username": regulator.username,
        "display_name": regulator.display_name,
        "role": regulator.role.value,
        "sectors": list(regulator.sectors),
        "districts": list(regulator.districts),
        "totp": regulator.totp_secret is not None,
        "is_active": regulator.is_active,
    }


def get_by_username(session: Session, username: str) -> Regulator:
    regulator = session.exec(
        select(Regulator).where(Regulator.username == username.strip().lower())
    ).first()
    if regulator is None:
        raise RegulatorNotFound()
    return regulator


def list_regulators(session: Session) -> Sequence[Regulator]:
    return session.exec(select(Regulator).order_by(col(Regulator.username))).all()


def disable_regulator(
    session: Session, regulator: Regulator, *, actor: Regulator | None = None
) -> Regulator:
    """Refuse the account's logins from now on and end its open sessions."""
    before = account_summary(regulator)
    regulator.is_active = False
    session.add(regulator)
    session.execute(
        delete(RegulatorSession).where(col(RegulatorSession.regulator_id) == regulator.id)
    )
    audit.record(
        session,
        actor=actor,
        action="regulator.disable",
        target_type="regulator",
        target_id=regulator.id,
        before=before,
        after=account_summary(regulator),
    )
    return regulator


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    uri: str  # otpauth://… for the authenticator app (or a QR code of it)


def set_totp(
    session: Session, regulator: Regulator, *, actor: Regulator | None = None
) -> TotpEnrolment:
    """Give the account a new TOTP secret; from now on its logins need a code."""
    before = account_summary(regulator)
    secret = pyotp.random_base32()
    regulator.totp_secret = secret
    session.add(regulator)
    audit.record(
        session,
        actor=actor,
        action="regulator.totp_set",
        target_type="regulator",
        target_id=regulator.id,
        before=before,
        after=account_summary(regulator),
    )
    uri = pyotp.TOTP(secret).provisioning_uri(name=regulator.username, issuer_name=TOTP_ISSUER)
    return TotpEnrolment(secret=secret, uri=uri)


# -- login ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    """What `authenticate` decided.

    A refusal is returned, not raised: the failure counter, the lock and their audit
    entries are written in the caller's transaction, and an exception escaping the
    request would roll them back with it, which would give a guesser unlimited tries."""

    regulator: Regulator | None = None
    refusal: LoginError | None = None

    def regulator_or_raise(self) -> Regulator:
        """For callers that can let the refusal escape (nothing to keep is pending)."""
        if self.regulator is None:
            raise self.refusal or LoginRefused()
        return self.regulator


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    totp_code: str = "",
    store: KeyValueStore | None = None,
) -> LoginResult:
    """Check a login; count failures and lock the account after MAX_FAILED_LOGINS.

    `store`, when given, remembers used TOTP codes so none works twice."""
    now = clock.now()
    name = username.strip().lower()
    regulator = None
    if _USERNAME.fullmatch(name):
        # The row lock serialises one account's attempts, so parallel guesses cannot all
        # read the same counter and slip past the limit together.
        regulator = session.exec(
            select(Regulator).where(Regulator.username == name).with_for_update()
        ).first()
    if regulator is None or not regulator.is_active:
        # Hash anyway: a quick answer would tell which names have accounts.
        verify_password(_decoy_hash(), password)
        # An unknown name is often a password typed into the wrong field, and the audit
        # log cannot be edited later: it keeps no trace of what was typed.
        _record_login(
            session,
            action="regulator.login_failed",
            target_id=regulator.id if regulator else "unknown",
            reason="disabled" if regulator else "unknown_user",
        )
        return LoginResult(refusal=LoginRefused())
    if regulator.locked_until is not None and clock.as_utc(regulator.locked_until) > now:
        # Refused without checking the password, and the lock is not extended: otherwise
        # anyone could keep an inspector out of the console for good.
        _record_login(
            session, action="regulator.login_refused", target_id=regulator.id, reason="locked"
        )
        return LoginResult(refusal=AccountLocked(until=regulator.locked_until))
    reason = _wrong_factor(regulator, password, totp_code, store, now)
    if reason:
        return LoginResult(refusal=_count_failure(session, regulator, reason, now))
    regulator.failed_logins = 0
    regulator.locked_until = None
    if PASSWORD_HASHER.check_needs_rehash(regulator.password_hash):
        regulator.password_hash = hash_password(password)
    session.add(regulator)
    audit.record(
        session,
        actor=regulator,
        action="regulator.login",
        target_type="regulator",
        target_id=regulator.id,
        after={"totp": regulator.totp_secret is not None},
    )
    return LoginResult(regulator=regulator)


def _wrong_factor(
    regulator: Regulator,
    password: str,
    totp_code: str,
    store: KeyValueStore | None,
    now: datetime,
) -> str:
    """Which factor failed ("password", "totp"), or "" when both are right."""
    if not verify_password(regulator.password_hash, password):
        return "password"
    if regulator.totp_secret is None:
        return ""
    code = "".join(totp_code.split())  # apps show "123 456"
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return "totp"
    if not pyotp.TOTP(regulator.totp_secret).verify(code, for_time=now, valid_window=1):
        return "totp"
    # A code read over a shoulder or from a proxy log must not open a second session.
    if (
        store is not None
        and store.hit(f"totp-used:{regulator.id}:{code}", _TOTP_REPLAY_SECONDS) > 1
    ):
        return "totp"
    return ""


def _count_failure(
    session: Session, regulator: Regulator, reason: str, now: datetime
) -> LoginError:
    regulator.failed_logins += 1
    failures = regulator.failed_logins
    until = now + LOCKOUT if failures >= MAX_FAILED_LOGINS else None
    if until is not None:
        regulator.locked_until = until
        # The count starts afresh, so after the lock the owner has full tries again.
        regulator.failed_logins = 0
    session.add(regulator)
    _record_login(
        session,
        action="regulator.login_failed",
        target_id=regulator.id,
        reason=reason,
        failed_logins=failures,
    )
    if until is not None:
        audit.record(
            session,
            actor=None,
            action="regulator.locked",
            target_type="regulator",
            target_id=regulator.id,
            after={"locked_until": until.isoformat(), "failures": failures},
        )
        return AccountLocked(until=until)
    return LoginRefused()


def _record_login(session: Session, *, action: str, target_id: object, **after: object) -> None:
    # The actor is "system": whoever typed has not proved to be the account's owner.
    audit.record(
        session,
        actor=None,
        action=action,
        target_type="regulator",
        target_id=target_id,
        after=dict(after),
    )


# -- console sessions ----------------------------------------------------------------


def _token_hash(token: str) -> str:
    # A plain digest is enough: the token is 256 random bits, nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, regulator: Regulator, *, ttl: timedelta = SESSION_TTL) -> str:
    """A new console session; returns the raw token for the cookie (stored only hashed)."""
    if regulator.id is None:
        raise ValueError("the regulator must be saved before it can log in")
    token = secrets.token_urlsafe(32)
    session.add(
        RegulatorSession(
            token_hash=_token_hash(token),
            regulator_id=regulator.id,
            expires_at=clock.now() + ttl,
        )
    )
    session.flush()
    return token


def _session_row(session: Session, token: str) -> RegulatorSession | None:
    if not token or len(token) > 128:
        return None
    return session.exec(
        select(RegulatorSession).where(RegulatorSession.token_hash == _token_hash(token))
    ).first()


def regulator_for_token(session: Session, token: str) -> Regulator | None:
    """The active account behind a console token; None if unknown, expired or disabled."""
    row = _session_row(session, token)
    if row is None:
        return None
    if clock.as_utc(row.expires_at) <= clock.now():
        # Tidy up on sight. Should the request then fail (401) and roll back, the row
        # stays until `purge_expired_sessions`; it can never be used either way.
        session.delete(row)
        session.flush()
        return None
    regulator = session.get(Regulator, row.regulator_id)
    if regulator is None or not regulator.is_active:
        return None
    return regulator


def end_session(session: Session, token: str) -> None:
    """Log out: the token stops working at once, whatever the browser keeps."""
    row = _session_row(session, token)
    if row is None:
        return
    regulator = session.get(Regulator, row.regulator_id)
    session.delete(row)
    session.flush()
    if regulator is not None:
        audit.record(
            session,
            actor=regulator,
            action="regulator.logout",
            target_type="regulator",
            target_id=regulator.id,
        )


def purge_expired_sessions(session: Session) -> int:
    result = session.execute(
        delete(RegulatorSession).where(col(RegulatorSession.expires_at) <= clock.now())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
