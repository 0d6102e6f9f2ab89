"""The `Annotated` dependencies every route and view draws on, in one place."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlmodel import Session

from haocha.accounts.models import Resident
from haocha.accounts.service import resident_from_token
from haocha.accounts.sms import SmsSender, make_sender
from haocha.core.cache import KeyValueStore, attach_store, store_for
from haocha.core.db import engine_for
from haocha.core.errors import CsrfRejected, Unauthenticated
from haocha.core.i18n import Locale
from haocha.core.requests import BROWSER_COOKIE, request_locale
from haocha.core.security import csrf_valid, keyed_hash
from haocha.core.settings import Settings

SESSION_COOKIE = "haocha_session"


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (tests build apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_store(settings: SettingsDep) -> KeyValueStore:
    return store_for(settings.redis_url, settings.redis_prefix)


StoreDep = Annotated[KeyValueStore, Depends(get_store)]


def get_session(settings: SettingsDep, store: StoreDep) -> Iterator[Session]:
    """The one commit point: the request's work commits after the handler returns and
    before the response is sent, so a client never sees success for a write that is lost."""
    with Session(engine_for(settings.database_url)) as session:
        attach_store(session, store)
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


# scope="function" ends the dependency (and so commits) before the response goes out.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_sms_sender(settings: SettingsDep) -> SmsSender:
    return make_sender(settings)


SmsDep = Annotated[SmsSender, Depends(get_sms_sender)]


def get_locale(request: Request) -> Locale:
    return request_locale(request)


LocaleDep = Annotated[Locale, Depends(get_locale)]


def get_client_hash(request: Request, settings: SettingsDep) -> str:
    """Keyed hash of the client's address: limits and ring detection without keeping it."""
    host = request.client.host if request.client else "unknown"
    return keyed_hash(settings.hash_key.get_secret_value(), "address", host)


ClientHashDep = Annotated[str, Depends(get_client_hash)]


def get_optional_resident(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Resident | None:
    """The resident from a Bearer token (API) or the session cookie (pages)."""
    token = None
    if authorization and authorization[:7].lower() == "bearer ":
        token = authorization[7:].strip()
    elif request.cookies.get(SESSION_COOKIE):
        token = request.cookies[SESSION_COOKIE]
    if not token:
        return None
    return resident_from_token(session, settings, token)


OptionalResident = Annotated[Resident | None, Depends(get_optional_resident)]


def get_current_resident(resident: OptionalResident) -> Resident:
    if resident is None:
        raise Unauthenticated()
    return resident


CurrentResident = Annotated[Resident, Depends(get_current_resident)]


async def require_csrf(request: Request, settings: SettingsDep) -> None:
    """Form POSTs must carry the token bound to this browser's id cookie."""
    form = await request.form()
    submitted = form.get("csrf_token")
    if not csrf_valid(
        settings.secret_key.get_secret_value(),
        request.cookies.get(BROWSER_COOKIE),
        submitted if isinstance(submitted, str) else None,
    ):
        raise CsrfRejected()


CsrfProtected = Depends(require_csrf)


# -- the regulators' console --------------------------------------------------------
# Imported here rather than at the top so this section stays one self-contained block.

from typing import Any  # noqa: E402

from haocha.accounts.models import Regulator, RegulatorRole  # noqa: E402
from haocha.accounts.regulators import (  # noqa: E402
    ConsoleLoginRequired,
    RoleNotAllowed,
    regulator_for_token,
)
from haocha.moderation.scope import Scope  # noqa: E402

# Apart from the residents' cookie, and sent only under /regulator (its Path), so a
# console session is never presented to the public pages.
CONSOLE_COOKIE = "haocha_console"


def get_optional_regulator(request: Request, session: SessionDep) -> Regulator | None:
    token = request.cookies.get(CONSOLE_COOKIE)
    return regulator_for_token(session, token) if token else None


OptionalRegulator = Annotated[Regulator | None, Depends(get_optional_regulator)]


def get_current_regulator(regulator: OptionalRegulator) -> Regulator:
    if regulator is None:
        raise ConsoleLoginRequired()
    return regulator


CurrentRegulator = Annotated[Regulator, Depends(get_current_regulator)]


def get_regulator_scope(regulator: CurrentRegulator) -> Scope:
    """The request's scope, from one place: every regulator query filters with it."""
    return Scope.of(regulator)


RegulatorScope = Annotated[Scope, Depends(get_regulator_scope)]


def require_role(*roles: RegulatorRole) -> Any:
    """`dependencies=[require_role(RegulatorRole.supervisor, RegulatorRole.admin)]`, or
    `Annotated[Regulator, require_role(...)]` to receive the account as well. Roles are
    listed in full: admin is not implied, since managing accounts is not casework."""
    allowed = frozenset(roles)

    def check_role(regulator: CurrentRegulator) -> Regulator:
        if regulator.role not in allowed:
            raise RoleNotAllowed()
        return regulator

    return Depends(check_role)


# -- the provider portal ------------------------------------------------------------

from haocha.providers.account_service import ProviderLoginRequired, user_for_token  # noqa: E402
from haocha.providers.accounts import ProviderUser  # noqa: E402

# Sent only under /provider (its Path; "/providers/…", the public pages, do not match it),
# apart from the residents' and the console's cookies.
PORTAL_COOKIE = "haocha_provider"


def get_optional_provider_user(request: Request, session: SessionDep) -> ProviderUser | None:
    token = request.cookies.get(PORTAL_COOKIE)
    return user_for_token(session, token) if token else None


OptionalProviderUser = Annotated[ProviderUser | None, Depends(get_optional_provider_user)]


def get_current_provider_user(user: OptionalProviderUser) -> ProviderUser:
    """The signed-in provider account. Every /provider query is scoped by its provider_id,
    so this is the one place a portal request learns whose data it may touch."""
    if user is None:
        raise ProviderLoginRequired()
    return user


CurrentProviderUser = Annotated[ProviderUser, Depends(get_current_provider_user)]
