"""The review form asks once before it stores a level its text contradicts (the shipped
sentiment model reads the text): a mis-tap can be fixed, a deliberate choice goes through."""

import httpx
from sqlmodel import Session, func, select

from haocha.accounts.service import issue_token
from haocha.core.settings import Settings
from haocha.deps import SESSION_COOKIE
from haocha.providers.models import Provider
from haocha.reviews.models import Review
from tests.api.console_http import HTML, csrf_token
from tests.factories.accounts import make_resident
from tests.factories.providers import make_provider

COMPLAINT = "太差了，服务态度恶劣，等了一个小时没人管，再也不会来了。"
PRAISE = "阿姨非常耐心细致，饭菜可口，环境干净，老人住得很开心，非常满意！"


def _count(db: Session, provider: Provider) -> int:
    db.expire_all()
    return int(db.exec(select(func.count()).where(Review.provider_id == provider.id)).one())


def _post(
    client: httpx.Client, provider: Provider, level: int, text: str, **extra: str
) -> httpx.Response:
    return client.post(
        f"/providers/{provider.id}/review",
        data={
            "csrf_token": csrf_token(client),
            "level": str(level),
            "text": text,
            "submission_id": f"form-check-{level}-{len(text)}-{len(extra)}-000",
            **extra,
        },
        headers=HTML,
    )


def _logged_in(client: httpx.Client, db: Session, settings: Settings) -> Provider:
    provider = make_provider(db)
    resident = make_resident(db)
    db.commit()
    client.cookies.set(SESSION_COOKIE, issue_token(settings, resident), domain="127.0.0.1")
    return provider


def test_a_complaint_under_very_satisfied_is_asked_about_then_stored_when_confirmed(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    provider = _logged_in(client, db, settings)
    asked = _post(client, provider, 5, COMPLAINT)
    assert asked.status_code == 200
    assert 'id="level-check"' in asked.text
    assert "读起来是不满意的" in asked.text
    assert COMPLAINT in asked.text  # the text is kept for the second try
    assert _count(db, provider) == 0

    confirmed = _post(client, provider, 5, COMPLAINT, level_confirmed="1")
    assert confirmed.status_code == 303
    assert _count(db, provider) == 1


def test_praise_under_a_bad_level_is_asked_about_and_a_corrected_level_is_stored(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    provider = _logged_in(client, db, settings)
    asked = _post(client, provider, 1, PRAISE)
    assert 'id="level-check"' in asked.text
    assert "读起来是满意的" in asked.text
    corrected = _post(client, provider, 5, PRAISE)
    assert corrected.status_code == 303
    db.expire_all()
    assert db.exec(select(Review.level).where(Review.provider_id == provider.id)).one() == 5


def test_consistent_reviews_and_empty_texts_are_not_asked_about(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    provider = _logged_in(client, db, settings)
    assert _post(client, provider, 1, COMPLAINT).status_code == 303
    other = make_provider(db)
    db.commit()
    assert _post(client, other, 5, "").status_code == 303
