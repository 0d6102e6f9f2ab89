"""`haocha provider set-phone`: an administrator records a listing's registered phone, so
that a listing created without one can be claimed; audited, never in plain text."""

from sqlmodel import Session, select
from typer.testing import CliRunner

from haocha.core.db import engine_for
from haocha.core.settings import get_settings
from haocha.moderation import audit
from haocha.moderation.models import AuditEntry
from haocha.providers.account_service import registered_phone_masked
from haocha.providers.cli import provider_app
from haocha.providers.models import Provider, ProviderCreate
from haocha.providers.service import create_provider
from tests.factories.providers import credit_code

runner = CliRunner()


def _listing_without_phone(url: str) -> int:
    with Session(engine_for(url)) as session:
        provider = create_provider(
            session,
            ProviderCreate(
                name="老城厢社区食堂",
                sector_code="catering",
                district_code="310101",
                address="上海市黄浦区测试路2号",
                credit_code=credit_code("310101"),
            ),
        )
        session.commit()
        assert provider.id is not None
        return provider.id


def test_a_listing_without_a_phone_gets_one_masked_and_audited(cli_database: str) -> None:
    provider_id = _listing_without_phone(cli_database)
    result = runner.invoke(
        provider_app, ["set-phone", str(provider_id), "--phone-stdin"], input="+86 139-1234-5678\n"
    )
    assert result.exit_code == 0, result.output
    assert "139****5678" in result.output
    assert "13912345678" not in result.output
    with Session(engine_for(cli_database)) as session:
        provider = session.get(Provider, provider_id)
        assert provider is not None
        assert registered_phone_masked(get_settings(), provider) == "139****5678"
        assert "13912345678" not in (provider.phone_encrypted or "")
        (entry,) = audit.entries_for(session, "provider", provider_id)
        assert entry.action == "provider.registered_phone"
        assert (entry.actor, entry.before, entry.after) == (
            "system",
            {"phone": None},
            {"phone": "139****5678"},
        )
        assert audit.verify(session).ok

    again = runner.invoke(provider_app, ["set-phone", str(provider_id)], input="13800000000\n")
    assert again.exit_code == 0, again.output
    assert "139****5678 -> 138****0000" in again.output


def test_a_bad_number_or_an_unknown_listing_changes_nothing(cli_database: str) -> None:
    provider_id = _listing_without_phone(cli_database)
    bad = runner.invoke(
        provider_app, ["set-phone", str(provider_id), "--phone-stdin"], input="12345\n"
    )
    assert bad.exit_code == 1
    assert "手机号" in bad.output
    unknown = runner.invoke(
        provider_app, ["set-phone", "999999", "--phone-stdin"], input="13912345678\n"
    )
    assert unknown.exit_code == 1
    assert "服务机构不存在。" in unknown.output
    with Session(engine_for(cli_database)) as session:
        provider = session.get(Provider, provider_id)
        assert provider is not None
        assert provider.phone_hash is None
        assert session.exec(select(AuditEntry)).all() == []
