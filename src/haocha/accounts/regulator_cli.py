"""`haocha regulator …`: regulator accounts from the admin's command line.

Accounts are made here, not in the console, so that the first admin needs no account to
exist already and every account traces back to someone with shell access."""

import contextlib
import sys
from typing import Annotated, NoReturn

import typer

from haocha.accounts import regulators
from haocha.accounts.models import Regulator, RegulatorRole
from haocha.core import clock
from haocha.core.db import session_scope
from haocha.core.errors import DomainError
from haocha.core.i18n import translate

regulator_app = typer.Typer(
    help="Regulator accounts (行业主管部门): create, list, disable.", no_args_is_help=True
)

# session_scope as a context manager: an error raised inside the block is thrown into it
# and rolls the transaction back (a plain `for` loop would only close the session).
_transaction = contextlib.contextmanager(session_scope)


def _fail(exc: DomainError) -> NoReturn:
    for locale in ("zh", "en"):
        typer.echo(translate(locale, exc.message_key, **exc.params), err=True)
    raise typer.Exit(1)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line, for scripts: `pass show console/zhangwei | haocha regulator create …`.
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password / 密码", hide_input=True, confirmation_prompt=True)
    return password


@regulator_app.command("create")
def create(
    username: Annotated[str, typer.Option(help="Login name: lowercase letters, digits, . _ -")],
    name: Annotated[str, typer.Option(help="Name shown in the console and the audit log.")],
    role: Annotated[RegulatorRole, typer.Option(case_sensitive=False, help="What it may do.")],
    sector: Annotated[
        list[str] | None, typer.Option(help="Sector code it may see; repeat for several.")
    ] = None,
    district: Annotated[
        list[str] | None, typer.Option(help="District code it may see; repeat for several.")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    totp: Annotated[
        bool, typer.Option("--totp", help="Require a TOTP code too; prints the otpauth URI.")
    ] = False,
) -> None:
    """Create an account. Admins see every sector and district; others need both."""
    password = _read_password(password_stdin)
    try:
        with _transaction() as session:
            regulator = regulators.create_regulator(
                session,
                username=username,
                display_name=name,
                password=password,
                role=role,
                sectors=sector or (),
                districts=district or (),
            )
            enrolment = regulators.set_totp(session, regulator) if totp else None
            line = _describe(regulator)
    except DomainError as exc:
        _fail(exc)
    typer.echo(f"created: {line}")
    if enrolment is not None:
        # Shown once and never again: only the account's phone should keep the secret.
        typer.echo("Add this to the authenticator app (shown only now) / 请用身份验证器添加：")
        typer.echo(enrolment.uri)
        typer.echo(f"secret: {enrolment.secret}")


@regulator_app.command("list")
def list_accounts() -> None:
    """List every account with its role, scope and state."""
    with _transaction() as session:
        lines = [_describe(r) for r in regulators.list_regulators(session)]
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo("no regulator accounts yet / 暂无监管账号")


@regulator_app.command("disable")
def disable(
    username: Annotated[str, typer.Argument(help="The account to disable.")],
) -> None:
    """Disable an account: its logins are refused and its open sessions end at once."""
    try:
        with _transaction() as session:
            regulator = regulators.get_by_username(session, username)
            regulators.disable_regulator(session, regulator)
            line = _describe(regulator)
    except DomainError as exc:
        _fail(exc)
    typer.echo(f"disabled: {line}")


def _describe(regulator: Regulator) -> str:
    """One line per account, tab-separated, so `list` can be piped to grep or cut."""
    if regulator.role == RegulatorRole.admin:
        scope = "sectors=*\tdistricts=*"
    else:
        scope = f"sectors={','.join(regulator.sectors)}\tdistricts={','.join(regulator.districts)}"
    state = "active" if regulator.is_active else "disabled"
    if regulator.locked_until is not None and clock.as_utc(regulator.locked_until) > clock.now():
        state += f" locked-until={clock.as_utc(regulator.locked_until).isoformat()}"
    second = "totp" if regulator.totp_secret else "password-only"
    fields = [regulator.username, regulator.display_name, regulator.role.value, scope, second]
    return "\t".join([*fields, state])
