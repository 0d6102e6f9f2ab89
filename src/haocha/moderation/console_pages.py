"""The frame every console page shares: rendering with what the console's templates need
(the signed-in regulator, sector and district names, the notice of a decision just taken,
a refused form's message), and reading form fields into service arguments."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.core.i18n import translate
from haocha.core.requests import request_locale
from haocha.core.templating import get_templates, render
from haocha.moderation.cases import MAX_WORKING_DAYS, CaseDeadlineInvalid
from haocha.moderation.scope import Scope
from haocha.providers.models import District, Sector
from haocha.providers.service import list_districts, list_sectors

CONSOLE = "/regulator"
PAGE_SIZE = 25  # regulators work long lists at a desk: more per page than the public pages
ObjectId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Decided = TypeVar("Decided")

# What a redirect after a decision may announce (`?done=`); anything else in the address
# is ignored, so a link cannot put words on the console's pages.
DONE_NOTICES = frozenset(
    {
        "confirmed",
        "dismissed",
        "case_opened",
        "note_added",
        "status_changed",
        "assigned",
        "warning_published",
        "blacklist_published",
        "lifted",
    }
)


def _local_datetime(value: datetime) -> str:
    """A timestamp to the minute in China time: the audit log and case notes need the time
    of day, which the public pages' `local_date` leaves out."""
    return clock.as_utc(value).astimezone(clock.CHINA_TZ).strftime("%Y-%m-%d %H:%M")


get_templates().env.filters["local_datetime"] = _local_datetime


class DateInvalid(DomainError):
    status_code = 422
    message_key = "console.error.date"


class ChoiceInvalid(DomainError):
    """A select's value that none of its options has (a hand-made request)."""

    status_code = 422
    message_key = "console.error.choice"


def render_console(
    request: Request,
    session: Session,
    regulator: Regulator,
    template: str,
    *,
    error: DomainError | None = None,
    **context: Any,
) -> HTMLResponse:
    """A console page; shown again with a refused form's `error`, it answers with that
    refusal's status (409, 422), so the response says the decision was not taken."""
    locale = request_locale(request)
    done = request.query_params.get("done")
    zh = locale == "zh"
    response = render(
        request,
        template,
        status_code=error.status_code if error else 200,
        regulator=regulator,
        done=done if done in DONE_NOTICES else None,
        error=translate(locale, error.message_key, **error.params) if error else None,
        sector_names={s.code: s.name_zh if zh else s.name_en for s in list_sectors(session)},
        district_names={d.code: d.name_zh if zh else d.name_en for d in list_districts(session)},
        **context,
    )
    # Console pages hold evidence and names: no shared or back-button cache keeps them.
    response.headers["Cache-Control"] = "no-store"
    return response


def scope_options(session: Session, scope: Scope) -> tuple[list[Sector], list[District]]:
    """The sectors and districts a filter may offer: the scope's own (all for an admin)."""
    sectors = [s for s in list_sectors(session) if scope.unrestricted or s.code in scope.sectors]
    districts = [
        d for d in list_districts(session) if scope.unrestricted or d.code in scope.districts
    ]
    return sectors, districts


def done(path: str, notice: str) -> RedirectResponse:
    """After a decision: back to the page it was taken on, saying what happened (GET after
    POST, so a reload does not send the decision twice)."""
    assert notice in DONE_NOTICES  # noqa: S101 - a programming error, not input
    return RedirectResponse(f"{path}?done={notice}", status_code=303)


def form_error(exc: DomainError) -> bool:
    """A refusal the regulator can correct on the same form (a note too long, a flag
    someone else just decided, a date the wrong way round). Not-found and role refusals
    are not: they go to the error page like on any GET."""
    return exc.status_code in (409, 422)


def decide(
    decision: Callable[[], Decided],
    *,
    then: Callable[[Decided], Response],
    refused: Callable[[DomainError], Response],
) -> Response:
    """Take a decision and answer with `then(what it returned)`, the redirect to `done`. A
    refusal the regulator can correct (`form_error`) answers with `refused(error)` instead:
    the same page again, with the message and what was typed. Any other refusal goes on to
    the error page."""
    try:
        decided = decision()
    except DomainError as exc:
        # The services refuse before they write, so rendering here commits nothing.
        if not form_error(exc):
            raise
        return refused(exc)
    return then(decided)


def form_date(value: str) -> date:
    """A required date input's value (YYYY-MM-DD, as browsers send it)."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DateInvalid() from None


def form_optional_date(value: str) -> date | None:
    """A date input left blank is None (e.g. a warning without an end)."""
    return form_date(value) if value.strip() else None


def form_working_days(value: str) -> int | None:
    """Blank means the default for the case's kind."""
    value = value.strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise CaseDeadlineInvalid(max=MAX_WORKING_DAYS)
    return int(value)


def form_id(value: str) -> int | None:
    """A select's value: blank is "none", else an id."""
    value = value.strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        raise ChoiceInvalid()
    return int(value)
