"""`haocha regulator create | list | disable` against a SQLite file migrated by Alembic
(the `cli_database` fixture)."""

from sqlmodel import Session
from typer.testing import CliRunner

from haocha.accounts.regulator_cli import regulator_app
from haocha.accounts.regulators import get_by_username, verify_password
from haocha.core.db import engine_for
from haocha.moderation import audit

PASSWORD = "correct horse battery"

runner = CliRunner()


def create(*args: str, password: str = PASSWORD) -> tuple[int, str]:
    result = runner.invoke(
        regulator_app,
        ["create", "--password-stdin", *args],
        input=password + "\n",
    )
    return result.exit_code, result.output


INSPECTOR = [
    "--username",
    "zhangwei",
    "--name",
    "张伟（静安区市场监管局）",
    "--role",
    "inspector",
    "--sector",
    "fitness",
    "--sector",
    "beauty",
    "--district",
    "310106",
]


def test_create_then_list(cli_database: str) -> None:
    code, output = create(*INSPECTOR)
    assert code == 0, output
    assert "created: zhangwei" in output
    listing = runner.invoke(regulator_app, ["list"])
    assert listing.exit_code == 0
    (line,) = listing.output.splitlines()
    assert line.split("\t") == [
        "zhangwei",
        "张伟（静安区市场监管局）",
        "inspector",
        "sectors=beauty,fitness",
        "districts=310106",
        "password-only",
        "active",
    ]
    with Session(engine_for(cli_database)) as session:
        regulator = get_by_username(session, "zhangwei")
        assert regulator.password_hash.startswith("$argon2id$")
        assert verify_password(regulator.password_hash, PASSWORD)
        assert [e.action for e in audit.entries_for(session, "regulator", regulator.id)] == [
            "regulator.create"
        ]
        assert audit.verify(session).ok


def test_admin_has_full_scope(cli_database: str) -> None:
    code, output = create("--username", "admin", "--name", "管理员", "--role", "admin")
    assert code == 0, output
    assert "sectors=*\tdistricts=*" in output


def test_password_prompt_asks_twice(cli_database: str) -> None:
    args = ["create", *INSPECTOR]
    mismatch = runner.invoke(regulator_app, args, input=f"{PASSWORD}\nsomething else 1\n" * 2)
    assert mismatch.exit_code != 0
    typed = runner.invoke(regulator_app, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert typed.exit_code == 0, typed.output
    assert PASSWORD not in typed.output  # hidden input is not echoed


def test_duplicate_username_is_refused(cli_database: str) -> None:
    assert create(*INSPECTOR)[0] == 0
    code, output = create(*INSPECTOR[:2], "--name", "另一个张伟", *INSPECTOR[4:])
    assert code == 1
    assert "用户名 zhangwei 已被使用。" in output
    assert "The user name zhangwei is already taken." in output


def test_unknown_sector_is_refused(cli_database: str) -> None:
    code, output = create(*INSPECTOR, "--sector", "casino")
    assert code == 1
    assert "No such sector code: casino" in output
    assert runner.invoke(regulator_app, ["list"]).output.startswith("no regulator accounts")


def test_unknown_district_and_missing_scope_are_refused(cli_database: str) -> None:
    code, output = create(*INSPECTOR, "--district", "999999")
    assert code == 1
    assert "No such district code: 999999" in output
    code, output = create("--username", "lisi", "--name", "李四", "--role", "supervisor")
    assert code == 1
    assert "Give at least one sector and one district." in output


def test_short_password_is_refused(cli_database: str) -> None:
    code, output = create(*INSPECTOR, password="short pass")
    assert code == 1
    assert "12–256" in output


def test_bad_username_is_refused(cli_database: str) -> None:
    code, output = create("--username", "张伟", *INSPECTOR[2:])
    assert code == 1
    assert "lowercase letters" in output


def test_totp_prints_the_enrolment_uri(cli_database: str) -> None:
    code, output = create(*INSPECTOR, "--totp")
    assert code == 0, output
    assert "otpauth://totp/" in output
    assert "zhangwei" in output
    assert "\ttotp\t" in runner.invoke(regulator_app, ["list"]).output


def test_disable(cli_database: str) -> None:
    assert create(*INSPECTOR)[0] == 0
    disabled = runner.invoke(regulator_app, ["disable", "ZhangWei"])
    assert disabled.exit_code == 0, disabled.output
    assert runner.invoke(regulator_app, ["list"]).output.rstrip().endswith("\tdisabled")
    missing = runner.invoke(regulator_app, ["disable", "nobody"])
    assert missing.exit_code == 1
    assert "No such regulator account." in missing.output
