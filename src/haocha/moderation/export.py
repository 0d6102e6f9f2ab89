"""The queue as CSV, for a regulator's own spreadsheet: the same flags, filters and order as
the queue page (`flags.queue`, so the same scope), and nothing personal.

The file leaves the platform, so the export is written to the audit log (who took which
slice of the queue, and how many rows). Columns are fixed and carry no evidence: never a
phone hash, resident id, reporter id or network address hash, only what the queue page
itself shows."""

import csv
import io
from collections.abc import Collection
from typing import Any

from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.moderation import audit, flags
from haocha.moderation.models import Flag, FlagKind
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider

COLUMNS = (
    "id",
    "kind",
    "risk",
    "provider_id",
    "provider_name",
    "sector",
    "district",
    "created_at",
    "reasons_zh",
)
# A sector-and-district queue holds hundreds of open flags; the cap only bounds memory
# should an admin export every patch at once.
MAX_ROWS = 100_000
# Excel reads a CSV file without a byte-order mark in the system's ANSI code page (GBK on
# Chinese Windows) and garbles every Chinese name; with the BOM it reads UTF-8.
BOM = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheet programs: a provider
# named "=HYPERLINK(...)" must arrive as text (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(flag: Flag, provider: Provider | None) -> list[Any]:
    created = clock.as_utc(flag.created_at).astimezone(clock.CHINA_TZ)
    return [
        flag.id,
        flag.kind.value,
        f"{flag.risk:.1f}",
        flag.provider_id,
        _cell(provider.name if provider else ""),
        flag.sector_code,
        flag.district_code,
        created.strftime("%Y-%m-%d %H:%M"),
        _cell("；".join(r.get("zh", "") for r in flag.reasons)),
    ]


def queue_csv(
    session: Session,
    regulator: Regulator,
    scope: Scope,
    *,
    kinds: Collection[FlagKind] | None = None,
    sector: str | None = None,
    district: str | None = None,
    max_age_days: int | None = None,
) -> str:
    """The open flags in scope matching the filters, highest risk first, as CSV text with a
    byte-order mark (encode it as UTF-8)."""
    items, total = flags.queue(
        session,
        scope,
        kinds=kinds,
        sector=sector,
        district=district,
        max_age_days=max_age_days,
        limit=MAX_ROWS,
    )
    ids = {f.provider_id for f in items}
    providers = {
        p.id: p for p in session.exec(select(Provider).where(col(Provider.id).in_(ids))).all()
    }
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF line ends, quotes only where needed
    writer.writerow(COLUMNS)
    for flag in items:
        writer.writerow(_row(flag, providers.get(flag.provider_id)))
    audit.record(
        session,
        actor=regulator,
        action="queue.export",
        target_type="queue",
        target_id="csv",
        after={
            "kinds": sorted(k.value for k in kinds or ()),
            "sector": sector,
            "district": district,
            "max_age_days": max_age_days,
            "rows": len(items),
            "total": total,
        },
    )
    return BOM + out.getvalue()
