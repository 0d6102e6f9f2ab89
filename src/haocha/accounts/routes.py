"""Resident login API: a one-time code by SMS, exchanged for a bearer token."""

from fastapi import APIRouter

from haocha.accounts import service
from haocha.accounts.models import CodeRequest, CodeSent, Token, TokenRequest
from haocha.deps import ClientHashDep, SessionDep, SettingsDep, SmsDep, StoreDep

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/code", status_code=202)
def request_code(
    body: CodeRequest,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    sender: SmsDep,
    client_hash: ClientHashDep,
) -> CodeSent:
    ttl = service.request_code(
        session,
        settings=settings,
        store=store,
        sender=sender,
        raw_phone=body.phone,
        client_hash=client_hash,
    )
    return CodeSent(expires_in=ttl)


@router.post("/token")
def issue_token(
    body: TokenRequest,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
) -> Token:
    resident = service.verify_code(
        session,
        settings=settings,
        store=store,
        raw_phone=body.phone,
        code=body.code,
        client_hash=client_hash,
    )
    return Token(
        access_token=service.issue_token(settings, resident),
        expires_in=settings.access_token_ttl_seconds,
    )
