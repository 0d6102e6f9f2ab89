"""`/healthz`: is the database reachable, and is Redis (or its in-process fallback) serving."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from haocha.deps import SessionDep, StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(session: SessionDep, store: StoreDep) -> JSONResponse:
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError as exc:
        database = f"error: {type(exc).__name__}"
    redis = store.health()
    healthy = database == "ok"
    body = {
        "status": "ok" if healthy and not redis.startswith("degraded") else "degraded",
        "database": database,
        "redis": redis,
    }
    return JSONResponse(body, status_code=200 if healthy else 503)
