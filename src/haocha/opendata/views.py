"""The open-data docs page (/open/), in zh and en: fields, privacy rules, examples."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from haocha.core.templating import render
from haocha.deps import SettingsDep
from haocha.opendata.schema import RESOURCES

router = APIRouter(include_in_schema=False)


@router.get("/open/")
def open_data_docs(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(
        request,
        "open/index.html",
        resources=list(RESOURCES.values()),
        k=settings.open_data_min_reviews,
        base=str(request.base_url).rstrip("/"),
    )
