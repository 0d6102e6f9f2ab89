"""Moderation API for residents: reporting a provider. The console's pages are views."""

from fastapi import APIRouter

from haocha.deps import CurrentResident, SessionDep, StoreDep
from haocha.moderation.reports import ReportCreate, ReportReceived, submit_report

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.post("/reports", status_code=201)
def create_report(
    body: ReportCreate, resident: CurrentResident, session: SessionDep, store: StoreDep
) -> ReportReceived:
    return ReportReceived(id=submit_report(session, store=store, resident=resident, data=body))
