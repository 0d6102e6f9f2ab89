"""QR invitations on the web: the poster's scan address (public), the poster itself (PNG,
PDF and the portal page around them), and single invitations issued by staff."""

from functools import lru_cache

import segno
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlmodel import Session

from haocha.core import clock
from haocha.core.ratelimit import enforce
from haocha.core.settings import Settings
from haocha.deps import (
    ClientHashDep,
    CsrfProtected,
    CurrentProviderUser,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from haocha.providers import invitations, poster
from haocha.providers.invitations import InvitationSource
from haocha.providers.portal_pages import PORTAL, ObjectId, done, render_portal
from haocha.providers.service import get_provider, get_sector

router = APIRouter(include_in_schema=False)

POSTER_PAGE = PORTAL + "/poster"
SignatureField = Path(min_length=1, max_length=64)


def _site(request: Request, settings: Settings) -> str:
    return (settings.public_base_url or str(request.base_url)).rstrip("/")


def review_link(request: Request, settings: Settings, provider_id: int, token: str) -> str:
    return f"{_site(request, settings)}/providers/{provider_id}/review?invitation={token}"


@router.get("/scan/{provider_id}/{signature}")
def scan(
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
    provider_id: ObjectId,
    signature: str = SignatureField,
) -> RedirectResponse:
    """A scan of the poster: a fresh invitation for this visit, then the review form."""
    invitations.check_poster(settings, provider_id, signature)
    enforce(
        store, f"invitation-scan:{provider_id}", client_hash, invitations.SCAN_LIMIT_PER_ADDRESS
    )
    provider = get_provider(session, provider_id)
    invitation = invitations.issue(
        session, settings=settings, provider=provider, source=InvitationSource.poster
    )
    token = invitations.token_for(settings, invitation)
    # Relative: the resident stays on the address they scanned.
    return RedirectResponse(f"/providers/{provider_id}/review?invitation={token}", 303)


# -- the poster ------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _poster(name: str, sector: str, url: str) -> poster.Poster:
    # Drawing one takes a good fraction of a second; a provider prints it more than once.
    return poster.render(name, sector, url)


def _poster_for(
    request: Request, session: Session, settings: Settings, provider_id: int
) -> poster.Poster:
    provider = get_provider(session, provider_id)
    sector = get_sector(session, provider.sector_code)
    url = _site(request, settings) + invitations.scan_path(settings, provider_id)
    return _poster(provider.name, sector.name_zh, url)


@router.get(POSTER_PAGE)
def poster_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentProviderUser
) -> HTMLResponse:
    url = _site(request, settings) + invitations.scan_path(settings, user.provider_id)
    return render_portal(request, session, user, "provider/poster.html", scan_url=url)


@router.get(POSTER_PAGE + ".png")
def poster_png(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentProviderUser
) -> Response:
    image = poster.png(_poster_for(request, session, settings, user.provider_id))
    return Response(
        image,
        media_type="image/png",
        headers={
            "Content-Disposition": f'inline; filename="haocha-poster-{user.provider_id}.png"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(POSTER_PAGE + ".pdf")
def poster_pdf(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentProviderUser
) -> Response:
    document = poster.pdf(_poster_for(request, session, settings, user.provider_id))
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="haocha-poster-{user.provider_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


# -- single invitations from the counter -----------------------------------------------


@router.post(PORTAL + "/invitations", dependencies=[CsrfProtected])
def issue_invitation(
    session: SessionDep, settings: SettingsDep, user: CurrentProviderUser
) -> RedirectResponse:
    invitation = invitations.issue(
        session,
        settings=settings,
        provider=get_provider(session, user.provider_id),
        source=InvitationSource.staff,
        issued_by=user.id,
    )
    return done(f"{PORTAL}/invitations/{invitation.id}", "invitation_issued")


@router.get(PORTAL + "/invitations/{invitation_id}")
def invitation_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentProviderUser,
    invitation_id: ObjectId,
) -> HTMLResponse:
    invitation = invitations.provider_invitation(session, user.provider_id, invitation_id)
    link = review_link(
        request, settings, user.provider_id, invitations.token_for(settings, invitation)
    )
    expired = clock.as_utc(invitation.expires_at) <= clock.now()
    usable = invitation.used_at is None and not expired
    qr = None
    if usable:
        # segno writes the SVG itself: no user input reaches it but the link we signed.
        svg = segno.make_qr(link, error="m").svg_inline(scale=6, border=4)
        qr = Markup(svg)  # noqa: S704 - segno's own SVG of our own link
    return render_portal(
        request,
        session,
        user,
        "provider/invitation.html",
        invitation=invitation,
        link=link,
        qr=qr,
        expired=expired,
        usable=usable,
    )
