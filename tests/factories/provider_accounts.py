"""Provider account factories: owners and staff of a provider, portal sessions, and QR
invitations, written directly (no SMS code), for tests that need them in a given state."""

import itertools
from datetime import datetime, timedelta

from sqlmodel import Session

from haocha.core import clock
from haocha.core.settings import Settings
from haocha.providers import account_service, invitations
from haocha.providers.accounts import ProviderRole, ProviderUser
from haocha.providers.invitations import Invitation, InvitationSource
from haocha.providers.models import Provider

_serial = itertools.count(1)


def new_phone() -> str:
    """A mobile number no other factory call of this run hands out."""
    return f"1355{next(_serial):07d}"


def make_provider_user(
    session: Session,
    settings: Settings,
    provider: Provider,
    *,
    role: ProviderRole = ProviderRole.owner,
    phone: str | None = None,
) -> ProviderUser:
    """An account of `provider`; an owner also marks the listing claimed."""
    assert provider.id is not None
    stored = account_service.store_phone(settings, phone or new_phone())
    user = ProviderUser(
        provider_id=provider.id,
        role=role,
        phone_hash=stored.hash,
        phone_encrypted=stored.encrypted,
    )
    if role == ProviderRole.owner:
        provider.claimed_at = clock.now()
        session.add(provider)
    session.add(user)
    session.flush()
    return user


def portal_token(session: Session, user: ProviderUser) -> str:
    """A portal session for `user`, committed so that it outlives the refusals (and their
    rollbacks) a test provokes."""
    token = account_service.start_session(session, user)
    session.commit()
    return token


def make_invitation(
    session: Session,
    settings: Settings,
    provider: Provider,
    *,
    source: InvitationSource = InvitationSource.poster,
    created_at: datetime | None = None,
) -> tuple[Invitation, str]:
    """An invitation and its token; `created_at` in the past makes an expired one."""
    invitation = invitations.issue(session, settings=settings, provider=provider, source=source)
    if created_at is not None:
        invitation.created_at = created_at
        invitation.expires_at = created_at + timedelta(seconds=settings.invitation_ttl_seconds)
        session.add(invitation)
        session.flush()
    return invitation, invitations.token_for(settings, invitation)
