"""ASGI middleware: a request-size cap and the locale/browser-id cookies the pages need."""

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from haocha.core.i18n import translate
from haocha.core.requests import BROWSER_COOKIE, new_browser_id, request_locale


class BodySizeLimit:
    """Refuses bodies over `max_bytes` with a 413 before anything parses them, whether the
    client declared a Content-Length or streams chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from fastapi.responses import JSONResponse  # noqa: PLC0415 - keep ASGI layer light

        locale = request_locale(Request(scope, receive))
        body = {"detail": translate(locale, "error.body_too_large")}
        await JSONResponse(body, status_code=413)(scope, receive, send)


class _TooLarge(Exception):
    pass


class BrowserIdCookie:
    """Gives each browser a random id cookie, the anchor of its CSRF tokens, so that even
    the login form (before any session exists) is protected."""

    def __init__(self, app: ASGIApp, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.cookies.get(BROWSER_COOKIE):
            await self.app(scope, receive, send)
            return
        browser_id = new_browser_id()
        scope.setdefault("state", {})["browser_id"] = browser_id

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                secure = "; Secure" if self.secure else ""
                headers.append(
                    "set-cookie",
                    f"{BROWSER_COOKIE}={browser_id}; Path=/; HttpOnly; SameSite=Lax"
                    f"; Max-Age=31536000{secure}",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)
